// SPDX-License-Identifier: BSD-3-Clause
/*
 * Phase 1 identities (RFC 2407 4.6.2): the peer's ID payload against
 * peers_identifier when verify_identifier is on, as racoon checks it.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cert.h"
#include "ident.h"
#include "isakmp.h"

void ident_str(const uint8_t *id, size_t len, char *out, size_t outlen)
{
	const uint8_t *d = id + 4;
	size_t dl = len - 4;
	char a[INET6_ADDRSTRLEN];

	switch (id[0]) {
	case ID_IPV4_ADDR:
		if (dl == 4 && inet_ntop(AF_INET, d, a, sizeof(a))) {
			snprintf(out, outlen, "address %s", a);
			return;
		}
		break;
	case ID_IPV6_ADDR:
		if (dl == 16 && inet_ntop(AF_INET6, d, a, sizeof(a))) {
			snprintf(out, outlen, "address %s", a);
			return;
		}
		break;
	case ID_DER_ASN1_DN: {
		const unsigned char *q = d;
		X509_NAME *n = d2i_X509_NAME(NULL, &q, (long)dl);

		if (n && q == d + dl) {
			char dn[256];

			certs_name(n, dn, sizeof(dn));
			snprintf(out, outlen, "asn1dn \"%s\"", dn);
			X509_NAME_free(n);
			return;
		}
		X509_NAME_free(n);
		break;
	}
	case ID_FQDN:
	case ID_USER_FQDN: {
		size_t n = 0;

		/* printable only: this goes to the log */
		n = (size_t)snprintf(out, outlen, "%s \"",
				     id[0] == ID_FQDN ? "fqdn" : "user_fqdn");
		for (size_t i = 0; i < dl && n + 2 < outlen; i++)
			out[n++] = d[i] >= 0x20 && d[i] < 0x7f && d[i] != '"' ?
					   (char)d[i] : '?';
		if (n + 1 < outlen)
			out[n++] = '"';
		out[n < outlen ? n : outlen - 1] = '\0';
		return;
	}
	}
	snprintf(out, outlen, "ID type %u, %zu bytes", id[0], dl);
}

static bool matches_one(const struct peer_id *p, const uint8_t *id, size_t len)
{
	const uint8_t *d = id + 4;
	size_t dl = len - 4, vl = strlen(p->value);
	uint8_t a[16];

	switch (p->kind) {
	case MYID_ADDRESS:
		if (inet_pton(AF_INET, p->value, a) == 1)
			return id[0] == ID_IPV4_ADDR && dl == 4 &&
			       !memcmp(d, a, 4);
		if (inet_pton(AF_INET6, p->value, a) == 1)
			return id[0] == ID_IPV6_ADDR && dl == 16 &&
			       !memcmp(d, a, 16);
		return false;
	case MYID_FQDN:
		/* DNS names compare without regard to case */
		return id[0] == ID_FQDN && dl == vl &&
		       !strncasecmp((const char *)d, p->value, vl);
	case MYID_USER_FQDN:
		return id[0] == ID_USER_FQDN && dl == vl &&
		       !memcmp(d, p->value, vl);
	case MYID_ASN1DN: {
		const unsigned char *q = d;
		X509_NAME *want, *got;
		bool ok;

		if (id[0] != ID_DER_ASN1_DN)
			return false;
		want = certs_parse_dn(p->value);
		got = d2i_X509_NAME(NULL, &q, (long)dl);
		ok = want && got && q == d + dl && !X509_NAME_cmp(want, got);
		X509_NAME_free(want);
		X509_NAME_free(got);
		return ok;
	}
	}
	return false;
}

bool ident_matches(const struct remote_conf *r, const uint8_t *id, size_t len)
{
	if (len < 4)
		return false;
	for (int i = 0; i < r->npeers_id; i++)
		if (matches_one(&r->peers_id[i], id, len))
			return true;
	return false;
}

const char *ident_refusal(const struct remote_conf *r, const uint8_t *id,
			  size_t len, char *why, size_t whylen)
{
	char s[300];

	if (!r->verify_identifier || ident_matches(r, id, len))
		return NULL;
	if (len < 4)
		snprintf(why, whylen, "the peer's ID payload is too short");
	else {
		ident_str(id, len, s, sizeof(s));
		snprintf(why, whylen, "the peer's ID (%s) is not its "
			 "peers_identifier (verify_identifier on)", s);
	}
	return why;
}
