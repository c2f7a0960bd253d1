// SPDX-License-Identifier: BSD-3-Clause
/* CERT and CERTREQ payload bodies. See certpl.h. */
#include <openssl/err.h>

#include "certpl.h"
#include "isakmp.h"

X509 *certpl_cert(const uint8_t *body, size_t len, const char **err)
{
	const unsigned char *p = body + 1;
	X509 *x;

	if (len < 2) {
		*err = "CERT payload without a certificate";
		return NULL;
	}
	if (body[0] != CERT_X509_SIG) {
		*err = "CERT payload is not an X.509 signature certificate";
		return NULL;
	}
	x = d2i_X509(NULL, &p, (long)(len - 1));
	ERR_clear_error();
	if (!x) {
		*err = "CERT payload holds no valid DER certificate";
		return NULL;
	}
	if (p != body + len) {
		X509_free(x);
		*err = "CERT payload has bytes after its certificate";
		return NULL;
	}
	return x;
}

int certpl_certreq(const uint8_t *body, size_t len, uint8_t *enc,
		   const uint8_t **ca, size_t *calen, const char **err)
{
	if (len < 1) {
		*err = "CERTREQ payload without an encoding";
		return -1;
	}
	*enc = body[0];
	*ca = body + 1;
	*calen = len - 1;
	if (*calen) {
		const unsigned char *p = *ca;
		X509_NAME *n = d2i_X509_NAME(NULL, &p, (long)*calen);

		ERR_clear_error();
		X509_NAME_free(n);
		if (!n || p != *ca + *calen) {
			*err = "CERTREQ payload names no valid DER DN";
			return -1;
		}
	}
	return 0;
}

int certpl_collect(const struct payload_list *pl, X509 **leaf,
		   STACK_OF(X509) **chain, const char **err)
{
	const struct payload *c;

	*leaf = NULL;
	*chain = NULL;
	for (int i = 0; (c = payload_find(pl, PL_CERT, i)); i++) {
		X509 *x = certpl_cert(c->body, c->len, err);

		if (!x)
			goto fail;
		if (!*leaf) {
			*leaf = x;
			continue;
		}
		if ((!*chain && !(*chain = sk_X509_new_null())) ||
		    !sk_X509_push(*chain, x)) {
			X509_free(x);
			*err = "out of memory";
			goto fail;
		}
	}
	return 0;
fail:
	X509_free(*leaf);
	sk_X509_pop_free(*chain, X509_free);
	*leaf = NULL;
	*chain = NULL;
	return -1;
}
