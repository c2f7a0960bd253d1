// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer target for what a peer's certificates reach: the CERT and
 * CERTREQ payload parsers (certpl.c), several CERT payloads in a chain,
 * and ID payloads as the log prints them and as they are matched against
 * a certificate. The first byte picks the parser.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/x509.h>

#include "../cert.h"
#include "../certpl.h"
#include "../ident.h"
#include "../isakmp.h"
#include "../payload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *err;
	char s[400];

	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0: {
		X509 *x = certpl_cert(data + 1, size - 1, &err);

		if (x) {
			X509_NAME *n = X509_get_subject_name(x);

			certs_name(n, s, sizeof(s));
		}
		X509_free(x);
		break;
	}
	case 1: {
		const uint8_t *ca;
		size_t calen;
		uint8_t enc;

		certpl_certreq(data + 1, size - 1, &enc, &ca, &calen, &err);
		break;
	}
	case 2: {
		struct payload_list pl;
		STACK_OF(X509) *chain;
		X509 *leaf;

		if (payload_walk(data + 1, size - 1, PL_CERT, &pl, &err))
			break;
		if (!certpl_collect(&pl, &leaf, &chain, &err)) {
			X509_free(leaf);
			sk_X509_pop_free(chain, X509_free);
		}
		break;
	}
	default:
		if (size >= 5)
			ident_str(data + 1, size - 1, s, sizeof(s));
		break;
	}
	return 0;
}
