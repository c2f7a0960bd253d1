// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the PF_KEY message parser (kmod/pfkey/msg_parse.c): valid
 * messages of every type, then one test per error class with the errno the
 * table at the top of msg_tables.c documents.
 */
#include <arpa/inet.h>

/* The harness and its TEST() wrappers ignore some of their parameters. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "msgbuild.h"

/*
 * Parses b's message, first from an exact-size heap copy so that ASan
 * catches any read past the end, then in place (the result the tests see).
 */
static int parse(struct mb *b, struct kame_msg *m)
{
	__u8 *copy;
	int err;

	mb_done(b);
	copy = malloc(b->len);
	if (!copy)
		abort();
	memcpy(copy, b->buf, b->len);
	err = kame_msg_parse(copy, b->len, m);
	free(copy);
	if (err != kame_msg_parse(b->buf, b->len, m))
		abort();
	return err;
}

/* Builds the catalogue's valid message called @name. */
static void build(struct mb *b, const char *name)
{
	unsigned int i;

	for (i = 0; i < kt_nvalid; i++) {
		if (!strcmp(kt_valid_msgs[i].name, name)) {
			kt_valid_msgs[i].build(b);
			return;
		}
	}
	fprintf(stderr, "no valid message %s\n", name);
	abort();
}

static struct sadb_msg *hdr(struct mb *b)
{
	return (struct sadb_msg *)b->buf;
}

/* ---- Valid messages ---- */

TEST(every_valid_message_parses_and_exposes_its_extensions)
{
	unsigned int i, t;

	for (i = 0; i < kt_nvalid; i++) {
		struct kame_msg m;
		struct mb b;
		const char *broken;

		kt_valid_msgs[i].build(&b);
		mb_done(&b);
		ASSERT_EQ(0, kame_msg_parse(b.buf, b.len, &m))
			TH_LOG("%s", kt_valid_msgs[i].name);
		ASSERT_EQ(b.present, m.present);
		for (t = 1; t <= SADB_EXT_MAX; t++) {
			if (b.present & KAME_EXT_BIT(t)) {
				ASSERT_EQ((const void *)(b.buf + b.off[t]),
					  (const void *)m.ext[t]);
			} else {
				ASSERT_NULL(m.ext[t]);
			}
		}
		broken = kt_check_parsed(b.buf, b.len, &m);
		ASSERT_NULL(broken);
	}
}

TEST(every_user_message_type_has_a_valid_example)
{
	unsigned int covered = 0, i, type;

	for (i = 0; i < kt_nvalid; i++) {
		struct mb b;

		kt_valid_msgs[i].build(&b);
		covered |= 1U << hdr(&b)->sadb_msg_type;
	}
	for (type = 1; type <= SADB_MAX; type++)
		ASSERT_EQ(kame_msg_type_from_user(type), !!(covered & (1U << type)));
}

TEST(kernel_only_types_are_rejected_even_when_well_formed)
{
	static const __u8 types[] = {
		SADB_EXPIRE, SADB_X_PCHANGE, SADB_X_SPDACQUIRE, SADB_X_SPDEXPIRE,
		SADB_X_NAT_T_NEW_MAPPING, SADB_X_MIGRATE,
	};
	unsigned int i;

	for (i = 0; i < sizeof(types); i++) {
		struct kame_msg m;
		struct mb b;

		mb_init(&b, types[i], SADB_SATYPE_ESP);
		mb_sa(&b, 1, 0, 0);
		mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.0.0.1", 32, 0);
		mb_addr(&b, SADB_EXT_ADDRESS_DST, "10.0.0.2", 32, 0);
		ASSERT_EQ(-EINVAL, parse(&b, &m));
		ASSERT_EQ((const void *)b.buf, (const void *)m.hdr);
		ASSERT_FALSE(kame_msg_type_from_user(types[i]));
	}
}

TEST(add_exposes_sa_keys_and_addresses)
{
	const struct sockaddr_in *src, *dst;
	const struct sadb_address *da;
	struct kame_msg m;
	unsigned int bits;
	const __u8 *key;
	__u16 family;
	size_t bytes;
	struct mb b;

	build(&b, "add_esp4");
	ASSERT_EQ(SADB_ADD, hdr(&b)->sadb_msg_type);
	ASSERT_EQ(0, parse(&b, &m));
	ASSERT_EQ(AF_INET, m.family);
	ASSERT_EQ(htonl(0x10001), kame_msg_sa(&m)->sadb_sa_spi);
	ASSERT_EQ(SADB_EALG_3DESCBC, kame_msg_sa(&m)->sadb_sa_encrypt);
	ASSERT_EQ(IPSEC_MODE_ANY, kame_msg_sa2(&m)->sadb_x_sa2_mode);

	src = (const void *)kame_msg_addr(&m, SADB_EXT_ADDRESS_SRC, &family);
	ASSERT_EQ(AF_INET, family);
	ASSERT_EQ(htonl(0x0a010101), src->sin_addr.s_addr);
	dst = (const void *)kame_msg_addr(&m, SADB_EXT_ADDRESS_DST, &family);
	ASSERT_EQ(htonl(0x0a020202), dst->sin_addr.s_addr);
	ASSERT_NULL(kame_msg_addr(&m, SADB_EXT_ADDRESS_PROXY, &family));
	ASSERT_NULL(kame_msg_addr(&m, SADB_EXT_SA, &family));
	da = kame_msg_addr_ext(&m, SADB_EXT_ADDRESS_DST);
	ASSERT_EQ(32, da->sadb_address_prefixlen);
	ASSERT_EQ(IPSEC_ULPROTO_ANY, da->sadb_address_proto);

	key = kame_msg_key(&m, SADB_EXT_KEY_ENCRYPT, &bits, &bytes);
	ASSERT_EQ(192U, bits);
	ASSERT_EQ(24U, bytes);
	ASSERT_EQ(0xa0, key[0]);
	ASSERT_EQ(0xa0 + 23, key[23]);
	key = kame_msg_key(&m, SADB_EXT_KEY_AUTH, &bits, &bytes);
	ASSERT_EQ(160U, bits);
	ASSERT_EQ(20U, bytes);
	ASSERT_NULL(kame_msg_key(&m, SADB_EXT_SA, &bits, &bytes));
	ASSERT_NULL(kame_msg_lifetime(&m, SADB_EXT_LIFETIME_HARD));
}

TEST(update_exposes_lifetimes_identities_and_natt)
{
	const struct sockaddr_in *oa;
	struct kame_msg m;
	__u16 type, family;
	__be16 port;
	struct mb b;

	build(&b, "update_full");
	ASSERT_EQ(0, parse(&b, &m));
	ASSERT_EQ(3600U, kame_msg_lifetime(&m, SADB_EXT_LIFETIME_HARD)->sadb_lifetime_addtime);
	ASSERT_EQ(2880U, kame_msg_lifetime(&m, SADB_EXT_LIFETIME_SOFT)->sadb_lifetime_addtime);
	ASSERT_NULL(kame_msg_lifetime(&m, SADB_EXT_SA));
	ASSERT_STREQ("left.example", kame_msg_ident(&m, SADB_EXT_IDENTITY_SRC, &type));
	ASSERT_EQ(SADB_IDENTTYPE_FQDN, type);
	ASSERT_STREQ("r@example.org", kame_msg_ident(&m, SADB_EXT_IDENTITY_DST, &type));
	ASSERT_EQ(SADB_IDENTTYPE_USERFQDN, type);
	ASSERT_TRUE(kame_msg_natt_port(&m, SADB_X_EXT_NAT_T_SPORT, &port));
	ASSERT_EQ(htons(4500), port);
	ASSERT_TRUE(kame_msg_natt_port(&m, SADB_X_EXT_NAT_T_DPORT, &port));
	ASSERT_EQ(htons(4501), port);
	ASSERT_FALSE(kame_msg_natt_port(&m, SADB_X_EXT_NAT_T_TYPE, &port));
	oa = (const void *)kame_msg_addr(&m, SADB_X_EXT_NAT_T_OA, &family);
	ASSERT_EQ(AF_INET, family);
	ASSERT_EQ(htonl(0x0a000001), oa->sin_addr.s_addr);
}

TEST(ipv6_addresses_and_empty_identity)
{
	const struct sockaddr_in6 *dst;
	struct in6_addr want;
	struct kame_msg m;
	__u16 family, type;
	struct mb b;

	mb_init(&b, SADB_ADD, SADB_SATYPE_AH);
	mb_sa(&b, 9, SADB_AALG_SHA1HMAC, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "2001:db8::1", 64, IPPROTO_UDP);
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "2001:db8::2", 128, IPPROTO_UDP);
	mb_addr(&b, SADB_EXT_ADDRESS_PROXY, "2001:db8::3", 128, 0);
	mb_ident(&b, SADB_EXT_IDENTITY_SRC, SADB_IDENTTYPE_PREFIX, NULL);
	ASSERT_EQ(0, parse(&b, &m));
	ASSERT_EQ(AF_INET6, m.family);
	dst = (const void *)kame_msg_addr(&m, SADB_EXT_ADDRESS_DST, &family);
	ASSERT_EQ(AF_INET6, family);
	ASSERT_EQ(1, inet_pton(AF_INET6, "2001:db8::2", &want));
	ASSERT_EQ(0, memcmp(&want, &dst->sin6_addr, sizeof(want)));
	ASSERT_STREQ("", kame_msg_ident(&m, SADB_EXT_IDENTITY_SRC, &type));
	ASSERT_EQ(SADB_IDENTTYPE_PREFIX, type);
}

TEST(acquire_exposes_proposal_combs)
{
	const struct sadb_comb *c;
	struct kame_msg m;
	unsigned int n;
	struct mb b;

	build(&b, "acquire");
	ASSERT_EQ(SADB_ACQUIRE, hdr(&b)->sadb_msg_type);
	ASSERT_EQ(0, parse(&b, &m));
	c = kame_msg_combs(&m, &n);
	ASSERT_EQ(2U, n);
	ASSERT_EQ(SADB_X_EALG_AESCBC, c[1].sadb_comb_encrypt);
	ASSERT_EQ(86400U, c[1].sadb_comb_hard_addtime);
}

TEST(supported_algs_helper_counts_entries)
{
	struct sadb_supported *s;
	struct sadb_alg *a;
	struct kame_msg m;
	unsigned int n;
	struct mb b;

	/* No user message may carry SUPPORTED_*: check the helper directly. */
	mb_init(&b, SADB_REGISTER, SADB_SATYPE_ESP);
	s = mb_ext(&b, SADB_EXT_SUPPORTED_ENCRYPT, sizeof(*s) + 3 * sizeof(*a));
	a = (struct sadb_alg *)(s + 1);
	a[2].sadb_alg_id = SADB_X_EALG_AESCBC;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_SUPPORTED_ENCRYPT, m.err_ext);
	memset(&m, 0, sizeof(m));
	m.ext[SADB_EXT_SUPPORTED_ENCRYPT] = (const struct sadb_ext *)s;
	ASSERT_EQ((const void *)&a[0],
		  (const void *)kame_msg_algs(&m, SADB_EXT_SUPPORTED_ENCRYPT, &n));
	ASSERT_EQ(3U, n);
	ASSERT_NULL(kame_msg_algs(&m, SADB_EXT_SUPPORTED_AUTH, &n));
}

TEST(policy_iterator_yields_each_request)
{
	const struct sockaddr_in *sin;
	struct kame_ipsecreq_iter it;
	struct kame_ipsecreq r;
	struct kame_msg m;
	struct mb b;

	build(&b, "spdadd_tunnel4");
	ASSERT_EQ(SADB_X_SPDADD, hdr(&b)->sadb_msg_type);
	ASSERT_EQ(0, parse(&b, &m));
	ASSERT_EQ(2, m.nreq);
	ASSERT_EQ(IPSEC_DIR_FWD, kame_msg_policy(&m)->sadb_x_policy_dir);

	kame_ipsecreq_iter_init(&it, &m);
	ASSERT_TRUE(kame_ipsecreq_next(&it, &r));
	ASSERT_EQ(IPPROTO_COMP, r.proto);
	ASSERT_EQ(IPSEC_MODE_TUNNEL, r.mode);
	ASSERT_EQ(IPSEC_LEVEL_USE, r.level);
	ASSERT_EQ(AF_INET, r.family);
	sin = (const void *)r.src;
	ASSERT_EQ(htonl(0xc0000201), sin->sin_addr.s_addr);
	sin = (const void *)r.dst;
	ASSERT_EQ(htonl(0xc0000202), sin->sin_addr.s_addr);
	ASSERT_EQ(AF_INET, sin->sin_family);
	ASSERT_TRUE(kame_ipsecreq_next(&it, &r));
	ASSERT_EQ(IPPROTO_ESP, r.proto);
	ASSERT_EQ(IPSEC_LEVEL_REQUIRE, r.level);
	ASSERT_FALSE(kame_ipsecreq_next(&it, &r));

	build(&b, "spdadd_transport");
	ASSERT_EQ(0, parse(&b, &m));
	kame_ipsecreq_iter_init(&it, &m);
	ASSERT_TRUE(kame_ipsecreq_next(&it, &r));
	ASSERT_EQ(IPSEC_MODE_TRANSPORT, r.mode);
	ASSERT_NULL(r.src);
	ASSERT_EQ(0, r.family);
	ASSERT_TRUE(kame_ipsecreq_next(&it, &r));
	ASSERT_EQ(IPSEC_LEVEL_UNIQUE, r.level);
	ASSERT_EQ(7U, r.reqid);
	ASSERT_FALSE(kame_ipsecreq_next(&it, &r));

	build(&b, "spdsetidx");
	ASSERT_EQ(SADB_X_SPDSETIDX, hdr(&b)->sadb_msg_type);
	ASSERT_EQ(0, parse(&b, &m));
	kame_ipsecreq_iter_init(&it, &m);
	ASSERT_FALSE(kame_ipsecreq_next(&it, &r));
	build(&b, "flush");
	ASSERT_EQ(0, parse(&b, &m));
	kame_ipsecreq_iter_init(&it, &m);
	ASSERT_FALSE(kame_ipsecreq_next(&it, &r));
}

TEST(ipv6_tunnel_request_endpoints)
{
	const struct sockaddr_in6 *sin6;
	struct kame_ipsecreq_iter it;
	struct kame_ipsecreq r;
	struct in6_addr want;
	struct kame_msg m;
	struct mb b;

	build(&b, "spdupdate_tunnel6");
	ASSERT_EQ(0, parse(&b, &m));
	kame_ipsecreq_iter_init(&it, &m);
	ASSERT_TRUE(kame_ipsecreq_next(&it, &r));
	ASSERT_EQ(72U, r.req->sadb_x_ipsecrequest_len);
	ASSERT_EQ(AF_INET6, r.family);
	sin6 = (const void *)r.dst;
	ASSERT_EQ(1, inet_pton(AF_INET6, "2001:db8::b", &want));
	ASSERT_EQ(0, memcmp(&want, &sin6->sin6_addr, sizeof(want)));
	ASSERT_FALSE(kame_ipsecreq_next(&it, &r));
}

TEST(promisc_payload_is_opaque)
{
	struct kame_msg m;
	struct mb b;

	build(&b, "promisc_payload");
	ASSERT_EQ(0, parse(&b, &m));
	ASSERT_EQ((const void *)(b.buf + 16), m.payload);
	ASSERT_EQ(16U, m.payload_len);
	ASSERT_EQ(0U, m.present);
	build(&b, "promisc_on");
	ASSERT_EQ(0, parse(&b, &m));
	ASSERT_NULL(m.payload);
	hdr(&b)->sadb_msg_satype = SADB_SATYPE_ESP;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
}

/* ---- Framing and header ---- */

TEST(short_buffer)
{
	__u8 buf[16] __attribute__((aligned(8))) = { PF_KEY_V2, SADB_FLUSH, 0, 0, 2 };
	struct kame_msg m;
	size_t len;

	for (len = 0; len < sizeof(buf); len++) {
		ASSERT_EQ(-EINVAL, kame_msg_parse(buf, len, &m));
		ASSERT_NULL(m.hdr);
	}
	ASSERT_EQ(-EINVAL, kame_msg_parse(NULL, 16, &m));
	ASSERT_EQ(0, kame_msg_parse(buf, 16, &m));
}

TEST(bad_length)
{
	struct kame_msg m;
	struct mb b;

	build(&b, "getspi4");
	mb_done(&b);
	hdr(&b)->sadb_msg_len++;
	ASSERT_EQ(-EINVAL, kame_msg_parse(b.buf, b.len, &m));
	ASSERT_NULL(m.hdr);
	hdr(&b)->sadb_msg_len -= 2;
	ASSERT_EQ(-EINVAL, kame_msg_parse(b.buf, b.len, &m));
	ASSERT_NULL(m.hdr);
	hdr(&b)->sadb_msg_len = 0;
	ASSERT_EQ(-EINVAL, kame_msg_parse(b.buf, b.len, &m));
	hdr(&b)->sadb_msg_len = b.len / 8;
	ASSERT_EQ(-EINVAL, kame_msg_parse(b.buf, b.len - 4, &m));
	ASSERT_EQ(-EINVAL, kame_msg_parse(b.buf, b.len + 8, &m));
	ASSERT_EQ(0, kame_msg_parse(b.buf, b.len, &m));
}

TEST(bad_version)
{
	struct kame_msg m;
	struct mb b;

	mb_init(&b, SADB_FLUSH, 0);
	hdr(&b)->sadb_msg_version = 1;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ((const void *)b.buf, (const void *)m.hdr);
	hdr(&b)->sadb_msg_version = 3;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
}

TEST(bad_message_type)
{
	static const __u8 types[] = { SADB_RESERVED, SADB_MAX + 1, 200, 255 };
	struct kame_msg m;
	unsigned int i;
	struct mb b;

	for (i = 0; i < sizeof(types); i++) {
		mb_init(&b, types[i], 0);
		ASSERT_EQ(-EINVAL, parse(&b, &m));
		ASSERT_NE(NULL, m.hdr);
	}
}

TEST(reserved_and_errno_fields_are_ignored)
{
	struct kame_msg m;
	struct mb b;

	mb_init(&b, SADB_FLUSH, 0);
	hdr(&b)->sadb_msg_reserved = 0xffff;
	hdr(&b)->sadb_msg_errno = 5;
	ASSERT_EQ(0, parse(&b, &m));
}

/* ---- Extension walk ---- */

TEST(zero_length_extension)
{
	struct sadb_ext *e;
	struct kame_msg m;
	struct mb b;

	mb_init(&b, SADB_DUMP, 0);
	e = mb_raw(&b, 8);
	e->sadb_ext_type = SADB_X_EXT_FILTER;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_FILTER, m.err_ext);
}

TEST(extension_past_the_end)
{
	struct sadb_address *a;
	struct kame_msg m;
	struct mb b;

	build(&b, "get");
	a = (struct sadb_address *)(b.buf + b.off[SADB_EXT_ADDRESS_DST]);
	a->sadb_address_len++;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_ADDRESS_DST, m.err_ext);
	a->sadb_address_len = 0xffff;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
}

TEST(unknown_extension_type)
{
	static const __u16 types[] = { SADB_EXT_RESERVED, SADB_EXT_MAX + 1, 27, 28, 0xffff };
	struct kame_msg m;
	unsigned int i;
	struct mb b;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		build(&b, "deleteall");
		mb_ext(&b, types[i], 8);
		ASSERT_EQ(-EINVAL, parse(&b, &m));
		ASSERT_EQ(types[i], m.err_ext);
	}
}

TEST(duplicate_extension)
{
	struct kame_msg m;
	struct mb b;

	build(&b, "get");
	mb_sa(&b, 2, 0, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_SA, m.err_ext);

	build(&b, "get");
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, IPSEC_ULPROTO_ANY);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_ADDRESS_SRC, m.err_ext);
}

TEST(extension_not_allowed_for_the_type)
{
	struct kame_msg m;
	struct mb b;

	build(&b, "add_esp4");
	mb_spirange(&b, 1, 2);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_SPIRANGE, m.err_ext);

	build(&b, "spdadd_transport");
	mb_key(&b, SADB_EXT_KEY_AUTH, 128);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_KEY_AUTH, m.err_ext);

	mb_init(&b, SADB_FLUSH, 0);
	mb_sa(&b, 1, 0, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));

	mb_init(&b, SADB_X_SPDFLUSH, 0);	/* KAME: SPDFLUSH longer than 16 */
	mb_lifetime(&b, SADB_EXT_LIFETIME_HARD, 1);
	ASSERT_EQ(-EINVAL, parse(&b, &m));

	mb_init(&b, SADB_REGISTER, SADB_SATYPE_ESP);
	mb_ext(&b, SADB_X_EXT_KMPRIVATE, 8);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
}

TEST(missing_required_extension)
{
	struct kame_msg m;
	struct mb b;

	mb_init(&b, SADB_ADD, SADB_SATYPE_ESP);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_SA, m.err_ext);

	mb_init(&b, SADB_GET, SADB_SATYPE_ESP);
	mb_sa(&b, 1, 0, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_ADDRESS_DST, m.err_ext);

	mb_init(&b, SADB_X_SPDADD, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.0.1.0", 24, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "10.0.2.0", 24, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_POLICY, m.err_ext);

	mb_init(&b, SADB_X_SPDGET, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_POLICY, m.err_ext);

	mb_init(&b, SADB_GETSPI, SADB_SATYPE_ESP);
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_ADDRESS_SRC, m.err_ext);
}

TEST(fixed_size_extensions_reject_other_sizes)
{
	static const struct { __u16 type; size_t good; } exts[] = {
		{ SADB_EXT_SA, 16 }, { SADB_EXT_LIFETIME_HARD, 32 },
		{ SADB_EXT_LIFETIME_SOFT, 32 }, { SADB_X_EXT_SA2, 16 },
	};
	struct kame_msg m;
	unsigned int i;
	struct mb b;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t sz;

		for (sz = 8; sz <= 48; sz += 8) {
			mb_init(&b, SADB_UPDATE, SADB_SATYPE_ESP);
			if (exts[i].type != SADB_EXT_SA)
				mb_sa(&b, 1, 0, 0);
			mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
			mb_addr(&b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
			if (exts[i].type == SADB_EXT_LIFETIME_HARD)
				mb_lifetime(&b, SADB_EXT_LIFETIME_SOFT, 1);
			if (exts[i].type == SADB_EXT_LIFETIME_SOFT)
				mb_lifetime(&b, SADB_EXT_LIFETIME_HARD, 1);
			mb_ext(&b, exts[i].type, sz);
			ASSERT_EQ(sz == exts[i].good ? 0 : -EINVAL, parse(&b, &m));
		}
	}
}

/* ---- Addresses ---- */

TEST(address_family_mismatch)
{
	struct kame_msg m;
	struct mb b;

	mb_init(&b, SADB_GET, SADB_SATYPE_ESP);
	mb_sa(&b, 1, 0, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "2001:db8::2", 128, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_ADDRESS_DST, m.err_ext);

	mb_init(&b, SADB_ADD, SADB_SATYPE_ESP);
	mb_sa(&b, 1, 0, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_PROXY, "2001:db8::2", 128, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_ADDRESS_PROXY, m.err_ext);
}

TEST(address_upper_protocol_mismatch)
{
	struct kame_msg m;
	struct mb b;

	mb_init(&b, SADB_X_SPDADD, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.0.1.0", 24, IPPROTO_TCP);
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "10.0.2.0", 24, IPPROTO_UDP);
	mb_policy(&b, IPSEC_POLICY_DISCARD, IPSEC_DIR_OUTBOUND, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
}

TEST(bad_prefixlen)
{
	struct sadb_address *a;
	struct kame_msg m;
	struct mb b;

	build(&b, "spddelete");
	ASSERT_EQ(SADB_X_SPDDELETE, hdr(&b)->sadb_msg_type);
	a = (struct sadb_address *)(b.buf + b.off[SADB_EXT_ADDRESS_SRC]);
	a->sadb_address_prefixlen = 32;
	ASSERT_EQ(0, parse(&b, &m));
	a->sadb_address_prefixlen = 33;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_ADDRESS_SRC, m.err_ext);
	a->sadb_address_prefixlen = 255;
	ASSERT_EQ(-EINVAL, parse(&b, &m));

	build(&b, "deleteall");
	a = (struct sadb_address *)(b.buf + b.off[SADB_EXT_ADDRESS_DST]);
	a->sadb_address_prefixlen = 128;
	ASSERT_EQ(0, parse(&b, &m));
	a->sadb_address_prefixlen = 129;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_ADDRESS_DST, m.err_ext);
}

TEST(truncated_sockaddr)
{
	struct sadb_address *a;
	struct kame_msg m;
	struct mb b;
	__u16 fam;

	/* Only the sadb_address header: no room for the family. */
	mb_init(&b, SADB_DELETE, SADB_SATYPE_ESP);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
	mb_ext(&b, SADB_EXT_ADDRESS_DST, 8);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_ADDRESS_DST, m.err_ext);

	/* An AF_INET6 sockaddr in an extension sized for AF_INET. */
	mb_init(&b, SADB_DELETE, SADB_SATYPE_ESP);
	a = mb_ext(&b, SADB_EXT_ADDRESS_SRC, 24);
	fam = AF_INET6;
	memcpy(a + 1, &fam, sizeof(fam));
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "2001:db8::2", 128, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_ADDRESS_SRC, m.err_ext);

	/* And an AF_INET one with room to spare. */
	mb_init(&b, SADB_DELETE, SADB_SATYPE_ESP);
	a = mb_ext(&b, SADB_EXT_ADDRESS_SRC, 40);
	fam = AF_INET;
	memcpy(a + 1, &fam, sizeof(fam));
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
}

TEST(unsupported_address_family)
{
	static const __u16 families[] = { AF_UNSPEC, AF_UNIX, AF_PACKET, 0xffff };
	struct sadb_address *a;
	struct kame_msg m;
	unsigned int i;
	struct mb b;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		mb_init(&b, SADB_DELETE, SADB_SATYPE_ESP);
		a = mb_ext(&b, SADB_EXT_ADDRESS_SRC, 24);
		memcpy(a + 1, &families[i], sizeof(families[i]));
		mb_addr(&b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
		ASSERT_EQ(-EAFNOSUPPORT, parse(&b, &m));
	}
}

/* ---- Policies and ipsecrequests ---- */

static struct sadb_x_policy *spdadd_start(struct mb *b, __u16 type, __u8 dir)
{
	mb_init(b, SADB_X_SPDADD, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.0.1.0", 24, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.0.2.0", 24, IPSEC_ULPROTO_ANY);
	return mb_policy(b, type, dir, 0);
}

TEST(truncated_ipsecrequest)
{
	struct sadb_x_policy *pol;
	struct kame_msg m;
	struct mb b;

	/* 8 bytes after the policy header: less than a request header. */
	pol = spdadd_start(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	*(__u16 *)mb_raw(&b, 8) = 8;
	pol->sadb_x_policy_len += 1;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_POLICY, m.err_ext);

	/* A tunnel request whose endpoints are cut off by the policy length. */
	pol = spdadd_start(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	mb_ipsecreq(&b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE, 0,
		    "192.0.2.1", "192.0.2.2");
	pol->sadb_x_policy_len -= 2;
	b.len -= 16;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
}

TEST(ipsecrequest_len_not_matching)
{
	static const __u16 bad_lens[] = { 0, 8, 15, 17, 24, 40, 56, 64, 0xffff };
	struct sadb_x_ipsecrequest *rq;
	struct kame_msg m;
	unsigned int i;
	struct mb b;

	for (i = 0; i < sizeof(bad_lens) / sizeof(bad_lens[0]); i++) {
		spdadd_start(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
		rq = mb_ipsecreq(&b, IPPROTO_ESP, IPSEC_MODE_TUNNEL,
				 IPSEC_LEVEL_REQUIRE, 0, "192.0.2.1", "192.0.2.2");
		mb_ipsecreq(&b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT,
			    IPSEC_LEVEL_REQUIRE, 0, NULL, NULL);
		ASSERT_EQ(0, parse(&b, &m));
		rq->sadb_x_ipsecrequest_len = bad_lens[i];
		ASSERT_EQ(-EINVAL, parse(&b, &m))
			TH_LOG("request len %u", bad_lens[i]);
		ASSERT_EQ(SADB_X_EXT_POLICY, m.err_ext);

		/* The same as the last bytes of the message. */
		spdadd_start(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
		rq = mb_ipsecreq(&b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT,
				 IPSEC_LEVEL_REQUIRE, 0, NULL, NULL);
		rq->sadb_x_ipsecrequest_len = bad_lens[i];
		ASSERT_EQ(-EINVAL, parse(&b, &m))
			TH_LOG("last request len %u", bad_lens[i]);
	}
}

TEST(ipsecrequest_ipv6_endpoints_must_be_packed)
{
	struct sadb_x_ipsecrequest *rq;
	struct sadb_x_policy *pol;
	struct kame_msg m;
	struct mb b;

	/* 16 + 2 * 28 = 72 is right; 16 + 2 * 32 = 80 is not. */
	pol = spdadd_start(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	rq = mb_ipsecreq(&b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE, 0,
			 "2001:db8::1", "2001:db8::2");
	mb_raw(&b, 8);
	rq->sadb_x_ipsecrequest_len = 80;
	pol->sadb_x_policy_len += 1;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
}

TEST(ipsecrequest_endpoint_families)
{
	struct sadb_x_ipsecrequest *rq;
	struct kame_msg m;
	__u16 fam;
	struct mb b;

	spdadd_start(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	rq = mb_ipsecreq(&b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE, 0,
			 "192.0.2.1", "192.0.2.2");
	fam = AF_INET6;
	memcpy((__u8 *)(rq + 1) + 16, &fam, sizeof(fam));
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	fam = AF_UNSPEC;
	memcpy((__u8 *)(rq + 1), &fam, sizeof(fam));
	ASSERT_EQ(-EAFNOSUPPORT, parse(&b, &m));
}

TEST(ipsecrequest_tunnel_needs_endpoints)
{
	struct kame_msg m;
	struct mb b;

	spdadd_start(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	mb_ipsecreq(&b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE, 0,
		    NULL, NULL);
	ASSERT_EQ(-EINVAL, parse(&b, &m));

	/* Transport mode may carry them (KAME keeps them). */
	spdadd_start(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	mb_ipsecreq(&b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0,
		    "192.0.2.1", "192.0.2.2");
	ASSERT_EQ(0, parse(&b, &m));
}

TEST(ipsecrequest_proto_mode_level)
{
	static const struct { __u16 proto; __u8 mode, level; int err; } cases[] = {
		{ IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_UNIQUE, 0 },
		{ 0, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, -EPROTONOSUPPORT },
		{ IPPROTO_TCP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, -EPROTONOSUPPORT },
		{ 255, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, -EPROTONOSUPPORT },
		{ IPPROTO_AH, IPSEC_MODE_ANY, IPSEC_LEVEL_REQUIRE, -EINVAL },
		{ IPPROTO_AH, IPSEC_MODE_BEET, IPSEC_LEVEL_REQUIRE, -EINVAL },
		{ IPPROTO_AH, 5, IPSEC_LEVEL_REQUIRE, -EINVAL },
		{ IPPROTO_AH, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_UNIQUE + 1, -EINVAL },
		{ IPPROTO_AH, IPSEC_MODE_TRANSPORT, 255, -EINVAL },
	};
	struct kame_msg m;
	unsigned int i;
	struct mb b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		spdadd_start(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
		mb_ipsecreq(&b, cases[i].proto, cases[i].mode, cases[i].level, 0,
			    NULL, NULL);
		ASSERT_EQ(cases[i].err, parse(&b, &m))
			TH_LOG("case %u", i);
	}
}

TEST(at_most_six_ipsecrequests)
{
	struct kame_msg m;
	unsigned int i;
	struct mb b;

	spdadd_start(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	for (i = 0; i < KAME_SP_MAXREQ; i++)
		mb_ipsecreq(&b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE,
			    i, "192.0.2.1", "192.0.2.2");
	ASSERT_EQ(0, parse(&b, &m));
	ASSERT_EQ(KAME_SP_MAXREQ, m.nreq);
	mb_ipsecreq(&b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0,
		    NULL, NULL);
	ASSERT_EQ(-ELOOP, parse(&b, &m));
}

TEST(policy_type_and_direction)
{
	static const struct { __u8 msg; __u16 type; __u8 dir; int err; } cases[] = {
		{ SADB_X_SPDADD, IPSEC_POLICY_NONE, IPSEC_DIR_INBOUND, 0 },
		{ SADB_X_SPDADD, IPSEC_POLICY_DISCARD, IPSEC_DIR_FWD, 0 },
		{ SADB_X_SPDADD, IPSEC_POLICY_NONE, IPSEC_DIR_ANY, -EINVAL },
		{ SADB_X_SPDADD, IPSEC_POLICY_NONE, IPSEC_DIR_MAX, -EINVAL },
		{ SADB_X_SPDADD, IPSEC_POLICY_NONE, 255, -EINVAL },
		{ SADB_X_SPDADD, IPSEC_POLICY_ENTRUST, IPSEC_DIR_INBOUND, -EINVAL },
		{ SADB_X_SPDADD, IPSEC_POLICY_BYPASS, IPSEC_DIR_INBOUND, -EINVAL },
		{ SADB_X_SPDADD, IPSEC_POLICY_BYPASS + 1, IPSEC_DIR_INBOUND, -EINVAL },
		{ SADB_X_SPDADD, IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND, -EINVAL },
		{ SADB_X_SPDUPDATE, IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND, -EINVAL },
		{ SADB_X_SPDSETIDX, IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND, 0 },
		{ SADB_X_SPDDELETE, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0 },
		{ SADB_X_SPDDELETE, IPSEC_POLICY_IPSEC, IPSEC_DIR_ANY, -EINVAL },
	};
	struct kame_msg m;
	unsigned int i;
	struct mb b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		spdadd_start(&b, cases[i].type, cases[i].dir);
		hdr(&b)->sadb_msg_type = cases[i].msg;
		ASSERT_EQ(cases[i].err, parse(&b, &m))
			TH_LOG("case %u", i);
		ASSERT_EQ(cases[i].err ? SADB_X_EXT_POLICY : 0, m.err_ext);
	}
}

/* ---- Other extension contents ---- */

TEST(bad_spirange)
{
	struct sadb_spirange *r;
	struct kame_msg m;
	struct mb b;

	build(&b, "getspi4");
	r = (struct sadb_spirange *)(b.buf + b.off[SADB_EXT_SPIRANGE]);
	r->sadb_spirange_min = 0x2000;
	r->sadb_spirange_max = 0x1fff;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_SPIRANGE, m.err_ext);
	r->sadb_spirange_max = 0x2000;
	ASSERT_EQ(0, parse(&b, &m));

	build(&b, "getspi_ipcomp");
	r = (struct sadb_spirange *)(b.buf + b.off[SADB_EXT_SPIRANGE]);
	r->sadb_spirange_max = 0x10000;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
}

TEST(key_bits_must_fit)
{
	struct sadb_key *k;
	struct kame_msg m;
	struct mb b;

	build(&b, "add_esp4");
	k = (struct sadb_key *)(b.buf + b.off[SADB_EXT_KEY_ENCRYPT]);
	k->sadb_key_bits = 24 * 8;
	ASSERT_EQ(0, parse(&b, &m));
	k->sadb_key_bits = 24 * 8 + 1;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_KEY_ENCRYPT, m.err_ext);
	k->sadb_key_bits = 0xffff;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	k->sadb_key_bits = 0;
	ASSERT_EQ(0, parse(&b, &m));
}

TEST(identity_type_and_termination)
{
	struct sadb_ident *id;
	struct kame_msg m;
	struct mb b;

	build(&b, "update_full");
	id = (struct sadb_ident *)(b.buf + b.off[SADB_EXT_IDENTITY_SRC]);
	id->sadb_ident_type = SADB_IDENTTYPE_RESERVED;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	id->sadb_ident_type = SADB_IDENTTYPE_MAX + 1;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	id->sadb_ident_type = SADB_IDENTTYPE_FQDN;
	/* "left.example\0" plus 3 NUL pad bytes: fill every one. */
	memset((__u8 *)(id + 1), 'x', (size_t)id->sadb_ident_len * 8 - sizeof(*id));
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_IDENTITY_SRC, m.err_ext);
}

TEST(lifetimes_hard_and_soft_together)
{
	struct kame_msg m;
	struct mb b;

	build(&b, "add_esp4");
	mb_lifetime(&b, SADB_EXT_LIFETIME_HARD, 100);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_LIFETIME_HARD, m.err_ext);
	mb_lifetime(&b, SADB_EXT_LIFETIME_SOFT, 80);
	ASSERT_EQ(0, parse(&b, &m));
}

TEST(natt_extensions)
{
	struct sadb_x_nat_t_type *t;
	struct kame_msg m;
	struct mb b;

	build(&b, "add_esp4");
	mb_ext(&b, SADB_X_EXT_NAT_T_SPORT, 8);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_NAT_T_TYPE, m.err_ext);

	build(&b, "getspi6_natt");
	t = (struct sadb_x_nat_t_type *)(b.buf + b.off[SADB_X_EXT_NAT_T_TYPE]);
	t->sadb_x_nat_t_type_type = UDP_ENCAP_ESPINUDP_NON_IKE;
	ASSERT_EQ(0, parse(&b, &m));
	t->sadb_x_nat_t_type_type = 0;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	t->sadb_x_nat_t_type_type = 3;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_NAT_T_TYPE, m.err_ext);
}

/* Set the NAT-T type of the message built in @b (it has one). */
static void natt_type_set(struct mb *b, __u8 type)
{
	struct sadb_x_nat_t_type *t =
		(struct sadb_x_nat_t_type *)(b->buf + b->off[SADB_X_EXT_NAT_T_TYPE]);

	t->sadb_x_nat_t_type_type = type;
}

static void natt_port_set(struct mb *b, unsigned int ext, __u16 port)
{
	struct sadb_x_nat_t_port *p =
		(struct sadb_x_nat_t_port *)(b->buf + b->off[ext]);

	p->sadb_x_nat_t_port_port = htons(port);
}

TEST(natt_sa_rules)
{
	struct kame_msg m;
	struct mb b;

	/* update_full: ESP, NAT-T 4500 -> 4501, NAT-OA 10.0.0.1 */
	build(&b, "update_full");
	ASSERT_EQ(0, parse(&b, &m));

	/* The drafts' non-IKE marker: not in an SA (GETSPI may reserve). */
	natt_type_set(&b, UDP_ENCAP_ESPINUDP_NON_IKE);
	ASSERT_EQ(-EOPNOTSUPP, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_NAT_T_TYPE, m.err_ext);
	natt_type_set(&b, UDP_ENCAP_ESPINUDP);

	/* Port 0 is no port. */
	natt_port_set(&b, SADB_X_EXT_NAT_T_SPORT, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_NAT_T_SPORT, m.err_ext);
	natt_port_set(&b, SADB_X_EXT_NAT_T_SPORT, 4500);
	natt_port_set(&b, SADB_X_EXT_NAT_T_DPORT, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_NAT_T_DPORT, m.err_ext);
	natt_port_set(&b, SADB_X_EXT_NAT_T_DPORT, 4500);
	ASSERT_EQ(0, parse(&b, &m));

	/* ESP only: the same message as AH. */
	((struct sadb_msg *)b.buf)->sadb_msg_satype = SADB_SATYPE_AH;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_NAT_T_TYPE, m.err_ext);

	/* NAT-OA of another family than the SA's addresses. */
	mb_init(&b, SADB_ADD, SADB_SATYPE_ESP);
	mb_sa(&b, 0x1000, SADB_AALG_SHA1HMAC, SADB_EALG_3DESCBC);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, IPSEC_ULPROTO_ANY);
	mb_natt(&b, UDP_ENCAP_ESPINUDP, 4500, 4500);
	mb_addr(&b, SADB_X_EXT_NAT_T_OA, "2001:db8::1", 128, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_NAT_T_OA, m.err_ext);

	/* NAT-OA without the NAT-T type and ports. */
	mb_init(&b, SADB_ADD, SADB_SATYPE_ESP);
	mb_sa(&b, 0x1000, SADB_AALG_SHA1HMAC, SADB_EALG_3DESCBC);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, IPSEC_ULPROTO_ANY);
	mb_addr(&b, SADB_X_EXT_NAT_T_OA, "10.0.0.1", 32, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_NAT_T_OA, m.err_ext);
}

TEST(sensitivity_length)
{
	struct sadb_sens *s;
	struct kame_msg m;
	struct mb b;

	build(&b, "add_esp4");
	s = mb_ext(&b, SADB_EXT_SENSITIVITY, sizeof(*s) + 3 * 8);
	s->sadb_sens_sens_len = 1;
	s->sadb_sens_integ_len = 2;
	ASSERT_EQ(0, parse(&b, &m));
	s->sadb_sens_integ_len = 3;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_SENSITIVITY, m.err_ext);
}

TEST(proposal_is_whole_combs)
{
	struct sadb_prop *p;
	struct kame_msg m;
	struct mb b;

	mb_init(&b, SADB_ACQUIRE, SADB_SATYPE_ESP);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
	p = mb_ext(&b, SADB_EXT_PROPOSAL, sizeof(*p) + 72 + 8);
	(void)p;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_PROPOSAL, m.err_ext);
}

TEST(acquire_forms)
{
	struct kame_msg m;
	struct mb b;

	mb_init(&b, SADB_ACQUIRE, SADB_SATYPE_ESP);
	mb_addr(&b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
	mb_addr(&b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_EXT_PROPOSAL, m.err_ext);
	mb_prop(&b, 0);
	ASSERT_EQ(0, parse(&b, &m));
}

TEST(sec_ctx_length)
{
	struct sadb_x_sec_ctx *c;
	struct kame_msg m;
	struct mb b;

	build(&b, "spdadd_discard");
	c = mb_ext(&b, SADB_X_EXT_SEC_CTX, sizeof(*c) + 20);
	c->sadb_x_ctx_len = 20;
	ASSERT_EQ(0, parse(&b, &m));
	c->sadb_x_ctx_len = 24;
	ASSERT_EQ(0, parse(&b, &m));
	c->sadb_x_ctx_len = 25;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	c->sadb_x_ctx_len = 16;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	c->sadb_x_ctx_len = KAME_SEC_CTX_MAX + 1;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_SEC_CTX, m.err_ext);
}

TEST(dump_filter)
{
	struct sadb_x_filter *f;
	struct kame_msg m;
	struct mb b;

	build(&b, "dump_filter");
	f = (struct sadb_x_filter *)(b.buf + b.off[SADB_X_EXT_FILTER]);
	f->sadb_x_filter_dplen = 129;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	f->sadb_x_filter_family = AF_INET;
	f->sadb_x_filter_splen = 24;
	f->sadb_x_filter_dplen = 32;
	ASSERT_EQ(0, parse(&b, &m));
	f->sadb_x_filter_splen = 33;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	f->sadb_x_filter_family = AF_UNSPEC;
	ASSERT_EQ(-EAFNOSUPPORT, parse(&b, &m));
}

TEST(sa2_mode)
{
	struct sadb_x_sa2 *sa2;
	struct kame_msg m;
	struct mb b;

	build(&b, "update_full");
	sa2 = (struct sadb_x_sa2 *)(b.buf + b.off[SADB_X_EXT_SA2]);
	sa2->sadb_x_sa2_mode = IPSEC_MODE_TUNNEL;
	ASSERT_EQ(0, parse(&b, &m));
	sa2->sadb_x_sa2_mode = IPSEC_MODE_BEET;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	ASSERT_EQ(SADB_X_EXT_SA2, m.err_ext);
}

/* ---- sadb_msg_satype ---- */

TEST(satype_rules)
{
	static const struct { __u8 type, satype; int err; } cases[] = {
		{ SADB_FLUSH, SADB_SATYPE_UNSPEC, 0 },
		{ SADB_FLUSH, SADB_SATYPE_AH, 0 },
		{ SADB_FLUSH, 1, -EINVAL },
		{ SADB_FLUSH, 4, -EINVAL },
		{ SADB_FLUSH, SADB_SATYPE_MAX + 1, -EINVAL },
		{ SADB_FLUSH, 255, -EINVAL },
		{ SADB_FLUSH, SADB_SATYPE_RSVP, -EOPNOTSUPP },
		{ SADB_FLUSH, SADB_SATYPE_MIP, -EOPNOTSUPP },
		{ SADB_REGISTER, SADB_X_SATYPE_IPCOMP, 0 },
		{ SADB_REGISTER, 10, -EINVAL },
		{ SADB_X_SPDDUMP, SADB_SATYPE_UNSPEC, 0 },
		{ SADB_X_SPDDUMP, SADB_SATYPE_ESP, -EINVAL },
		{ SADB_X_SPDFLUSH, SADB_SATYPE_AH, -EINVAL },
		{ SADB_X_PROMISC, 1, 0 },
		{ SADB_X_PROMISC, 0, 0 },
		{ SADB_X_PROMISC, SADB_SATYPE_ESP, -EINVAL },
		{ SADB_ACQUIRE, SADB_SATYPE_UNSPEC, -EINVAL },
	};
	struct kame_msg m;
	unsigned int i;
	struct mb b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mb_init(&b, cases[i].type, cases[i].satype);
		ASSERT_EQ(cases[i].err, parse(&b, &m))
			TH_LOG("case %u", i);
	}

	build(&b, "add_esp4");
	hdr(&b)->sadb_msg_satype = SADB_SATYPE_UNSPEC;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
	build(&b, "spdadd_transport");
	hdr(&b)->sadb_msg_satype = SADB_SATYPE_ESP;
	ASSERT_EQ(-EINVAL, parse(&b, &m));
}

/* ---- Robustness: every byte of every valid message set to 0 and 0xff ---- */

TEST(single_byte_corruption_never_breaks_invariants)
{
	static const __u8 vals[] = { 0x00, 0x01, 0x07, 0x08, 0x80, 0xff };
	unsigned int i, v, accepted = 0, rejected = 0;
	size_t pos;

	for (i = 0; i < kt_nvalid; i++) {
		struct mb b;

		kt_valid_msgs[i].build(&b);
		mb_done(&b);
		for (pos = 0; pos < b.len; pos++) {
			for (v = 0; v < sizeof(vals); v++) {
				__u8 copy[MB_SIZE] __attribute__((aligned(8)));
				struct kame_msg m;
				int err;

				memcpy(copy, b.buf, b.len);
				copy[pos] = vals[v];
				err = kame_msg_parse(copy, b.len, &m);
				if (err) {
					ASSERT_LT(err, 0);
					rejected++;
					continue;
				}
				accepted++;
				ASSERT_NULL(kt_check_parsed(copy, b.len, &m));
			}
		}
	}
	TH_LOG("%u accepted, %u rejected", accepted, rejected);
	ASSERT_NE(0U, accepted);
	ASSERT_NE(0U, rejected);
}

TEST_HARNESS_MAIN
