// SPDX-License-Identifier: BSD-3-Clause
/* The payload walker and the SA parser on well-formed and malformed
 * input: every bad length is an error, never a read past the end. */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../build.h"
#include "../conf.h"
#include "../isakmp.h"
#include "../payload.h"
#include "../proposal.h"

static size_t hdr(uint8_t *b, uint8_t np, uint8_t etype, uint32_t len)
{
	memset(b, 0, ISAKMP_HDR_LEN);
	memset(b, 0xaa, 8);
	b[16] = np;
	b[17] = ISAKMP_VERSION;
	b[18] = etype;
	put32(b + 24, len);
	return ISAKMP_HDR_LEN;
}

TEST(header_checks)
{
	uint8_t b[64];
	struct isakmp_hdr h;
	const char *err = NULL;

	hdr(b, PL_SA, ETYPE_IDENT, 28);
	ASSERT_EQ(0, isakmp_parse_hdr(b, 28, &h, &err));
	ASSERT_EQ(ETYPE_IDENT, h.etype);
	ASSERT_EQ(-1, isakmp_parse_hdr(b, 27, &h, &err));
	ASSERT_STREQ("shorter than an ISAKMP header", err);
	ASSERT_EQ(-1, isakmp_parse_hdr(b, 40, &h, &err));
	ASSERT_STREQ("header length does not match the datagram", err);
	b[17] = 0x20;
	ASSERT_EQ(-1, isakmp_parse_hdr(b, 28, &h, &err));
	ASSERT_STREQ("not ISAKMP major version 1", err);
	b[17] = 0x10;
	b[19] = 0x80;
	ASSERT_EQ(-1, isakmp_parse_hdr(b, 28, &h, &err));
	ASSERT_STREQ("unknown header flags", err);
}

/* body of generic payloads: np, 0, len16, data */
static size_t pl(uint8_t *b, uint8_t np, const void *data, size_t len)
{
	b[0] = np;
	b[1] = 0;
	put16(b + 2, (uint16_t)(len + 4));
	memcpy(b + 4, data, len);
	return len + 4;
}

TEST(walks_a_chain_with_padding)
{
	uint8_t b[256], ke[128], nonce[16];
	struct payload_list l;
	const char *err = NULL;
	size_t n = 0;

	memset(ke, 1, sizeof(ke));
	memset(nonce, 2, sizeof(nonce));
	n += pl(b + n, PL_NONCE, ke, sizeof(ke));
	n += pl(b + n, PL_VID, nonce, sizeof(nonce));
	n += pl(b + n, PL_NONE, "vendor", 6);
	memset(b + n, 0, 6);	/* encryption padding */
	ASSERT_EQ(0, payload_walk(b, n + 6, PL_KE, &l, &err));
	ASSERT_EQ(3, l.n);
	ASSERT_EQ(6, l.trailing);
	ASSERT_EQ(PL_KE, l.pl[0].type);
	ASSERT_EQ(128, l.pl[0].len);
	ASSERT_EQ(PL_NONCE, l.pl[1].type);
	ASSERT_EQ(PL_VID, l.pl[2].type);
	ASSERT_EQ(&l.pl[1], payload_find(&l, PL_NONCE, 0));
	ASSERT_EQ(NULL, payload_find(&l, PL_NONCE, 1));
	ASSERT_EQ(1, payload_count(&l, PL_VID));
}

TEST(malformed_chains)
{
	static const struct {
		uint8_t first;
		uint8_t bytes[16];
		size_t len;
		const char *err;
	} cases[] = {
		{ PL_KE, { 0, 0, 0 }, 3, "truncated payload header" },
		{ PL_KE, { 0, 0, 0, 3 }, 4, "payload length out of bounds" },
		{ PL_KE, { 0, 0, 0, 9, 1, 2, 3, 4 }, 8,
		  "payload length out of bounds" },
		{ PL_KE, { 0, 0, 0, 4 }, 4, "empty KE, HASH or SIG payload" },
		{ 14, { 0, 0, 0, 5, 1 }, 5, "unknown payload type" },
		{ PL_KE, { 99, 0, 0, 5, 1 }, 5, "unknown payload type" },
		{ PL_NONCE, { 0, 0, 0, 8, 1, 2, 3, 4 }, 8,
		  "nonce not 8..256 bytes" },
		{ PL_ID, { 0, 0, 0, 6, 1, 0 }, 6, "ID payload too short" },
		{ PL_SA, { 0, 0, 0, 8, 0, 0, 0, 1 }, 8, "SA payload too short" },
		/* notification whose SPI size runs past the payload */
		{ PL_N, { 0, 0, 0, 12, 0, 0, 0, 1, 1, 16, 0, 24 }, 12,
		  "notification payload malformed" },
		/* delete with 2 SPIs of 4 bytes but room for one */
		{ PL_D, { 0, 0, 0, 16, 0, 0, 0, 1, 3, 4, 0, 2, 1, 2, 3, 4 }, 16,
		  "delete payload malformed" },
		{ PL_P, { 0, 0, 0, 8, 1, 1, 0, 0 }, 8,
		  "proposal or transform outside an SA payload" },
		/* a KE that points at a chain beyond the buffer */
		{ PL_KE, { PL_NONCE, 0, 0, 5, 1 }, 5,
		  "truncated payload header" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct payload_list l;
		const char *err = NULL;
		uint8_t *copy = malloc(cases[i].len);	/* ASan bounds */

		memcpy(copy, cases[i].bytes, cases[i].len);
		EXPECT_EQ(-1, payload_walk(copy, cases[i].len, cases[i].first,
					   &l, &err)) TH_LOG("case %zu", i);
		EXPECT_STREQ(cases[i].err, err);
		free(copy);
	}
}

TEST(too_many_payloads)
{
	uint8_t b[4 * (MAX_PAYLOADS + 1) + 16];
	struct payload_list l;
	const char *err = NULL;
	size_t n = 0;

	for (int i = 0; i <= MAX_PAYLOADS; i++)
		n += pl(b + n, i == MAX_PAYLOADS ? PL_NONE : PL_VID, "", 0);
	ASSERT_EQ(-1, payload_walk(b, n, PL_VID, &l, &err));
	ASSERT_STREQ("too many payloads", err);
}

static struct remote_conf *remote(void)
{
	static struct p1_proposal p2 = { OAKLEY_ENC_3DES, 0, OAKLEY_HASH_SHA1,
					 OAKLEY_AUTH_PSK, 2, 0, NULL };
	static struct p1_proposal p1 = { OAKLEY_ENC_AES, 256,
					 OAKLEY_HASH_SHA256, OAKLEY_AUTH_PSK,
					 14, 0, &p2 };
	static struct remote_conf r;

	r.props = &p1;
	r.lifetime = 3600;
	r.prop_check = PROP_STRICT;
	return &r;
}

TEST(phase1_sa_round_trip)
{
	struct p1_choice c;
	const char *why = NULL;
	struct buf b;

	buf_init(&b);
	p1_sa_build(&b, remote());
	ASSERT_FALSE(b.oom);
	ASSERT_EQ(0, p1_sa_choose(b.p, b.len, remote(), &c, &why));
	ASSERT_EQ(OAKLEY_ENC_AES, c.enc);
	ASSERT_EQ(256, c.keybits);
	ASSERT_EQ(14, c.group);
	ASSERT_EQ(3600, c.life_sec);
	buf_free(&b);
}

TEST(phase1_sa_malformed)
{
	struct p1_choice c;
	const char *why = NULL;
	struct buf b;
	uint8_t *cut;

	buf_init(&b);
	p1_sa_build(&b, remote());
	/* every truncation is refused, none reads past the copy */
	for (size_t len = 0; len < b.len; len++) {
		cut = malloc(len ? len : 1);
		memcpy(cut, b.p, len);
		EXPECT_EQ(-1, p1_sa_choose(cut, len, remote(), &c, &why));
		free(cut);
	}
	/* proposal length larger than the SA */
	put16(b.p + 8 + 2, 0xffff);
	ASSERT_EQ(-1, p1_sa_choose(b.p, b.len, remote(), &c, &why));
	ASSERT_STREQ("malformed proposal", why);
	buf_free(&b);
	/* an attribute whose variable length overruns the transform */
	buf_init(&b);
	p1_sa_build(&b, remote());
	put16(b.p + 8 + 8 + 8, 0x000c);	/* first attr: variable, type 12 */
	put16(b.p + 8 + 8 + 8 + 2, 0x7fff);
	ASSERT_EQ(-1, p1_sa_choose(b.p, b.len, remote(), &c, &why));
	buf_free(&b);
	/* wrong DOI */
	buf_init(&b);
	p1_sa_build(&b, remote());
	b.p[3] = 2;
	ASSERT_EQ(-1, p1_sa_choose(b.p, b.len, remote(), &c, &why));
	ASSERT_STREQ("SA payload DOI is not IPsec", why);
	buf_free(&b);
}

TEST(phase2_sa_round_trip_and_bundles)
{
	struct sainfo_conf si = { 0 };
	struct p2_choice c;
	const char *why = NULL;
	struct buf b, two;

	si.lifetime = 600;
	si.nenc = 2;
	si.enc[0] = (struct alg){ ESP_AES, 256 };
	si.enc[1] = (struct alg){ ESP_3DES, 0 };
	si.nauth = 1;
	si.auth[0] = (struct alg){ AUTH_HMAC_SHA1, 0 };
	si.pfs_group = 2;
	buf_init(&b);
	p2_sa_build(&b, &si, PROTO_IPSEC_ESP, ENCAP_TUNNEL, 0x11223344);
	ASSERT_EQ(0, p2_sa_choose(b.p, b.len, &si, PROP_STRICT, &c, &why));
	ASSERT_EQ(ESP_AES, c.trans_id);
	ASSERT_EQ(256, c.keybits);
	ASSERT_EQ(ENCAP_TUNNEL, c.mode);
	ASSERT_EQ(2, c.group);
	ASSERT_EQ(600, c.life_sec);
	ASSERT_EQ(0x11223344, c.spi);
	/* the same proposal number twice = an AH+ESP bundle: skipped */
	buf_init(&two);
	buf_put(&two, b.p, b.len);
	buf_put(&two, b.p + 8, b.len - 8);
	two.p[8] = PL_P;	/* first proposal is not the last */
	ASSERT_EQ(-1, p2_sa_choose(two.p, two.len, &si, PROP_STRICT, &c, &why));
	ASSERT_STREQ("no proposal chosen", why);
	buf_free(&two);
	buf_free(&b);
}

TEST(lifetime_and_pfs_rules)
{
	uint32_t use;
	bool claim;

	ASSERT_EQ(0, lifetime_check(PROP_OBEY, 7200, 3600, &use, &claim));
	ASSERT_EQ(7200, use);
	ASSERT_EQ(-1, lifetime_check(PROP_STRICT, 7200, 3600, &use, &claim));
	ASSERT_EQ(0, lifetime_check(PROP_STRICT, 600, 3600, &use, &claim));
	ASSERT_EQ(600, use);
	ASSERT_EQ(0, lifetime_check(PROP_CLAIM, 7200, 3600, &use, &claim));
	ASSERT_EQ(3600, use);
	ASSERT_TRUE(claim);
	ASSERT_EQ(-1, lifetime_check(PROP_EXACT, 600, 3600, &use, &claim));
	ASSERT_EQ(0, lifetime_check(PROP_EXACT, 3600, 3600, &use, &claim));
	ASSERT_EQ(0, pfs_check(PROP_OBEY, 0, 14));
	ASSERT_EQ(-1, pfs_check(PROP_STRICT, 0, 14));
	ASSERT_EQ(0, pfs_check(PROP_STRICT, 5, 0));
	ASSERT_EQ(-1, pfs_check(PROP_CLAIM, 5, 14));
	ASSERT_EQ(-1, pfs_check(PROP_EXACT, 5, 0));
}

TEST_HARNESS_MAIN
