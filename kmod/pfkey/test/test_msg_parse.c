// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the PF_KEY message parser (kmod/pfkey/msg_parse.c): valid
 * messages of every type, then the errno table at the top of msg_tables.c
 * as data (error_cases[]: a message, the result, the extension blamed),
 * run by one loop and checked against that table row by row.
 */
#include <arpa/inet.h>
#include <ctype.h>

/* The harness and its TEST() wrappers ignore some of their parameters. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "msgbuild.h"

/*
 * Parses b's message (b->len bytes, as they are), first from an exact-size
 * heap copy so that ASan catches any read past the end, then in place (the
 * result the tests see).
 */
static int parse_as_is(struct mb *b, struct kame_msg *m)
{
	__u8 *copy;
	int err;

	copy = malloc(b->len ? b->len : 1);
	if (!copy)
		abort();
	memcpy(copy, b->buf, b->len);
	err = kame_msg_parse(copy, b->len, m);
	free(copy);
	if (err != kame_msg_parse(b->buf, b->len, m))
		abort();
	return err;
}

/* The same after setting sadb_msg_len from the length built. */
static int parse(struct mb *b, struct kame_msg *m)
{
	mb_done(b);
	return parse_as_is(b, m);
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

/*
 * ---- The errno table, as data ----
 *
 * Every check kame_msg_parse() makes is a row of the table at the top of
 * msg_tables.c ("stage | condition | errno | KAME / Linux"). Each row of
 * error_cases[] below is one case of one of those rules: a message
 * (built by @build with variant @v, for @n variants from @v), the result
 * kame_msg_parse() must give (0 or -errno) and the extension it must blame
 * (m->err_ext; ANY_EXT: not checked). One loop runs them all;
 * errno_table_matches_msg_tables_c checks that every @rule names a row of
 * that table, and that every row with an errno has a case with that errno
 * (the few that no user message can reach are listed, with the reason).
 */
#define ANY_EXT -1
/* The builder sets sadb_msg_len and the length parsed (b->len) itself. */
#define RAW 1

struct error_case {
	const char *rule;	/* "stage | condition" of msg_tables.c, a prefix */
	const char *name;
	void (*build)(struct mb *b, unsigned int v);
	unsigned int v, n;	/* variants v .. v + n - 1 (n 0: just v) */
	int err;
	int ext;
	int flags;
};

static struct sadb_x_policy *spdadd_start(struct mb *b, __u16 type, __u8 dir)
{
	mb_init(b, SADB_X_SPDADD, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.0.1.0", 24, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.0.2.0", 24, IPSEC_ULPROTO_ANY);
	return mb_policy(b, type, dir, 0);
}

/* The extension of type @ext in the message built in @b. */
#define EXT(b, type, ext) ((type *)((b)->buf + (b)->off[ext]))

/* Set the NAT-T type of the message built in @b (it has one). */
static void natt_type_set(struct mb *b, __u8 type)
{
	EXT(b, struct sadb_x_nat_t_type, SADB_X_EXT_NAT_T_TYPE)->sadb_x_nat_t_type_type = type;
}

static void natt_port_set(struct mb *b, unsigned int ext, __u16 port)
{
	EXT(b, struct sadb_x_nat_t_port, ext)->sadb_x_nat_t_port_port = htons(port);
}

/* -- Framing and header -- */

/* v bytes of a FLUSH (16 is all of it). */
static void short_buffer(struct mb *b, unsigned int v)
{
	mb_init(b, SADB_FLUSH, 0);
	mb_done(b);
	b->len = v;
}

/* getspi4 with sadb_msg_len +1, -1, 0; the buffer 4 short, 8 long; right. */
static void bad_length(struct mb *b, unsigned int v)
{
	static const int dmsg[] = { 1, -1, 0, 0, 0, 0 };
	static const int dbuf[] = { 0, 0, 0, -4, 8, 0 };

	build(b, "getspi4");
	mb_done(b);
	if (v == 2)
		hdr(b)->sadb_msg_len = 0;
	else
		hdr(b)->sadb_msg_len += dmsg[v];
	b->len += dbuf[v];
}

static void bad_version(struct mb *b, unsigned int v)
{
	mb_init(b, SADB_FLUSH, 0);
	hdr(b)->sadb_msg_version = v;
}

static void bad_message_type(struct mb *b, unsigned int v)
{
	static const __u8 types[] = { SADB_RESERVED, SADB_MAX + 1, 200, 255 };

	mb_init(b, types[v], 0);
}

static void reserved_and_errno(struct mb *b, unsigned int v)
{
	mb_init(b, SADB_FLUSH, 0);
	hdr(b)->sadb_msg_reserved = 0xffff;
	hdr(b)->sadb_msg_errno = 5;
}

/* -- Extension walk -- */

static void zero_length_extension(struct mb *b, unsigned int v)
{
	struct sadb_ext *e;

	mb_init(b, SADB_DUMP, 0);
	e = mb_raw(b, 8);
	e->sadb_ext_type = SADB_X_EXT_FILTER;
}

static void extension_past_the_end(struct mb *b, unsigned int v)
{
	struct sadb_address *a;

	build(b, "get");
	a = EXT(b, struct sadb_address, SADB_EXT_ADDRESS_DST);
	if (v == 0)
		a->sadb_address_len++;
	else
		a->sadb_address_len = 0xffff;
}

static const __u16 unknown_ext_types[] = { SADB_EXT_RESERVED, SADB_EXT_MAX + 1, 27, 28, 0xffff };

static void unknown_extension_type(struct mb *b, unsigned int v)
{
	build(b, "deleteall");
	mb_ext(b, unknown_ext_types[v], 8);
}

static void duplicate_extension(struct mb *b, unsigned int v)
{
	build(b, "get");
	if (v == 0)
		mb_sa(b, 2, 0, 0);
	else
		mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, IPSEC_ULPROTO_ANY);
}

static void extension_not_allowed(struct mb *b, unsigned int v)
{
	switch (v) {
	case 0:
		build(b, "add_esp4");
		mb_spirange(b, 1, 2);
		break;
	case 1:
		build(b, "spdadd_transport");
		mb_key(b, SADB_EXT_KEY_AUTH, 128);
		break;
	case 2:
		mb_init(b, SADB_FLUSH, 0);
		mb_sa(b, 1, 0, 0);
		break;
	case 3:
		mb_init(b, SADB_X_SPDFLUSH, 0);	/* KAME: SPDFLUSH longer than 16 */
		mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 1);
		break;
	case 4:
		mb_init(b, SADB_REGISTER, SADB_SATYPE_ESP);
		mb_ext(b, SADB_X_EXT_KMPRIVATE, 8);
		break;
	}
}

static void missing_required(struct mb *b, unsigned int v)
{
	switch (v) {
	case 0:		/* ADD without SA */
		mb_init(b, SADB_ADD, SADB_SATYPE_ESP);
		mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
		mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
		break;
	case 1:		/* GET without ADDRESS_DST */
		mb_init(b, SADB_GET, SADB_SATYPE_ESP);
		mb_sa(b, 1, 0, 0);
		mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
		break;
	case 2:		/* X_SPDADD without policy */
		mb_init(b, SADB_X_SPDADD, 0);
		mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.0.1.0", 24, 0);
		mb_addr(b, SADB_EXT_ADDRESS_DST, "10.0.2.0", 24, 0);
		break;
	case 3:		/* X_SPDGET without policy */
		mb_init(b, SADB_X_SPDGET, 0);
		break;
	case 4:		/* GETSPI without ADDRESS_SRC */
		mb_init(b, SADB_GETSPI, SADB_SATYPE_ESP);
		mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
		break;
	}
}

/* v / 6: which extension (SA, LIFETIME_HARD, _SOFT, X_SA2), v % 6: 8 to 48 bytes. */
static const __u16 fixed_exts[] = {
	SADB_EXT_SA, SADB_EXT_LIFETIME_HARD, SADB_EXT_LIFETIME_SOFT, SADB_X_EXT_SA2,
};

static void fixed_size(struct mb *b, unsigned int v)
{
	__u16 type = fixed_exts[v / 6];

	mb_init(b, SADB_UPDATE, SADB_SATYPE_ESP);
	if (type != SADB_EXT_SA)
		mb_sa(b, 1, 0, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
	if (type == SADB_EXT_LIFETIME_HARD)
		mb_lifetime(b, SADB_EXT_LIFETIME_SOFT, 1);
	if (type == SADB_EXT_LIFETIME_SOFT)
		mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 1);
	mb_ext(b, type, 8 + 8 * (v % 6));
}

/* -- Addresses -- */

static void address_family_mismatch(struct mb *b, unsigned int v)
{
	mb_init(b, v ? SADB_ADD : SADB_GET, SADB_SATYPE_ESP);
	mb_sa(b, 1, 0, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
	if (v == 0) {
		mb_addr(b, SADB_EXT_ADDRESS_DST, "2001:db8::2", 128, 0);
		return;
	}
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
	mb_addr(b, SADB_EXT_ADDRESS_PROXY, "2001:db8::2", 128, 0);
}

static void address_upper_protocol_mismatch(struct mb *b, unsigned int v)
{
	mb_init(b, SADB_X_SPDADD, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.0.1.0", 24, IPPROTO_TCP);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.0.2.0", 24, IPPROTO_UDP);
	mb_policy(b, IPSEC_POLICY_DISCARD, IPSEC_DIR_OUTBOUND, 0);
}

/* spddelete's IPv4 source /32, /33, /255; deleteall's IPv6 dest /128, /129. */
static void bad_prefixlen(struct mb *b, unsigned int v)
{
	static const __u8 plen[] = { 32, 33, 255, 128, 129 };

	build(b, v < 3 ? "spddelete" : "deleteall");
	EXT(b, struct sadb_address, v < 3 ? SADB_EXT_ADDRESS_SRC :
	    SADB_EXT_ADDRESS_DST)->sadb_address_prefixlen = plen[v];
}

static void truncated_sockaddr(struct mb *b, unsigned int v)
{
	struct sadb_address *a;
	__u16 fam;

	mb_init(b, SADB_DELETE, SADB_SATYPE_ESP);
	switch (v) {
	case 0:	/* only the sadb_address header: no room for the family */
		mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
		mb_ext(b, SADB_EXT_ADDRESS_DST, 8);
		return;
	case 1:	/* an AF_INET6 sockaddr in an extension sized for AF_INET */
		a = mb_ext(b, SADB_EXT_ADDRESS_SRC, 24);
		fam = AF_INET6;
		memcpy(a + 1, &fam, sizeof(fam));
		mb_addr(b, SADB_EXT_ADDRESS_DST, "2001:db8::2", 128, 0);
		return;
	case 2:	/* and an AF_INET one with room to spare */
		a = mb_ext(b, SADB_EXT_ADDRESS_SRC, 40);
		fam = AF_INET;
		memcpy(a + 1, &fam, sizeof(fam));
		mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
		return;
	}
}

static void unsupported_address_family(struct mb *b, unsigned int v)
{
	static const __u16 families[] = { AF_UNSPEC, AF_UNIX, AF_PACKET, 0xffff };
	struct sadb_address *a;

	mb_init(b, SADB_DELETE, SADB_SATYPE_ESP);
	a = mb_ext(b, SADB_EXT_ADDRESS_SRC, 24);
	memcpy(a + 1, &families[v], sizeof(families[v]));
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
}

/* -- Policies and ipsecrequests -- */

static void truncated_ipsecrequest(struct mb *b, unsigned int v)
{
	struct sadb_x_policy *pol;

	pol = spdadd_start(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	if (v == 0) {	/* 8 bytes after the policy header: less than a request header */
		*(__u16 *)mb_raw(b, 8) = 8;
		pol->sadb_x_policy_len += 1;
		return;
	}
	/* A tunnel request whose endpoints are cut off by the policy length. */
	mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE, 0,
		    "192.0.2.1", "192.0.2.2");
	pol->sadb_x_policy_len -= 2;
	b->len -= 16;
}

/*
 * v 0..8: a tunnel request (48 bytes) then a transport one, as they are;
 * 9..17: the same with the first one's len bad_req_lens[v - 9]; 18..26: a
 * lone transport request with len bad_req_lens[v - 18] (the last bytes of
 * the message).
 */
static const __u16 bad_req_lens[] = { 0, 8, 15, 0xffff, 17, 24, 40, 56, 64 };

static void ipsecreq_len(struct mb *b, unsigned int v)
{
	struct sadb_x_ipsecrequest *rq;

	spdadd_start(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	if (v >= 18) {
		rq = mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT,
				 IPSEC_LEVEL_REQUIRE, 0, NULL, NULL);
	} else {
		rq = mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TUNNEL,
				 IPSEC_LEVEL_REQUIRE, 0, "192.0.2.1", "192.0.2.2");
		mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT,
			    IPSEC_LEVEL_REQUIRE, 0, NULL, NULL);
	}
	if (v >= 9)
		rq->sadb_x_ipsecrequest_len = bad_req_lens[v % 9];
}

/* 16 + 2 * 28 = 72 is right; 16 + 2 * 32 = 80 is not. */
static void ipsecreq_ipv6_unpacked(struct mb *b, unsigned int v)
{
	struct sadb_x_ipsecrequest *rq;
	struct sadb_x_policy *pol;

	pol = spdadd_start(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	rq = mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE, 0,
			 "2001:db8::1", "2001:db8::2");
	mb_raw(b, 8);
	rq->sadb_x_ipsecrequest_len = 80;
	pol->sadb_x_policy_len += 1;
}

/* v 0: the endpoints' families differ; 1: and the first is AF_UNSPEC. */
static void ipsecreq_endpoint_families(struct mb *b, unsigned int v)
{
	struct sadb_x_ipsecrequest *rq;
	__u16 fam;

	spdadd_start(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	rq = mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE, 0,
			 "192.0.2.1", "192.0.2.2");
	fam = AF_INET6;
	memcpy((__u8 *)(rq + 1) + 16, &fam, sizeof(fam));
	if (v) {
		fam = AF_UNSPEC;
		memcpy((__u8 *)(rq + 1), &fam, sizeof(fam));
	}
}

/* v 0: tunnel mode without endpoints; 1: transport mode with (KAME keeps them). */
static void ipsecreq_endpoints(struct mb *b, unsigned int v)
{
	spdadd_start(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	if (v == 0)
		mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE, 0,
			    NULL, NULL);
	else
		mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0,
			    "192.0.2.1", "192.0.2.2");
}

static const struct { __u16 proto; __u8 mode, level; } pml[] = {
	{ IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_UNIQUE },
	{ 0, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE },		/* 1..3: proto */
	{ IPPROTO_TCP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE },
	{ 255, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE },
	{ IPPROTO_AH, IPSEC_MODE_ANY, IPSEC_LEVEL_REQUIRE },		/* 4..6: mode */
	{ IPPROTO_AH, IPSEC_MODE_BEET, IPSEC_LEVEL_REQUIRE },
	{ IPPROTO_AH, 5, IPSEC_LEVEL_REQUIRE },
	{ IPPROTO_AH, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_UNIQUE + 1 },	/* 7, 8: level */
	{ IPPROTO_AH, IPSEC_MODE_TRANSPORT, 255 },
};

static void ipsecreq_proto_mode_level(struct mb *b, unsigned int v)
{
	spdadd_start(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	mb_ipsecreq(b, pml[v].proto, pml[v].mode, pml[v].level, 0, NULL, NULL);
}

/* KAME_SP_MAXREQ tunnel requests, and v more. */
static void ipsecreq_count(struct mb *b, unsigned int v)
{
	unsigned int i;

	spdadd_start(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	for (i = 0; i < KAME_SP_MAXREQ; i++)
		mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE,
			    i, "192.0.2.1", "192.0.2.2");
	for (i = 0; i < v; i++)
		mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0,
			    NULL, NULL);
}

static const struct { __u8 msg; __u16 type; __u8 dir; } ptd[] = {
	{ SADB_X_SPDADD, IPSEC_POLICY_NONE, IPSEC_DIR_INBOUND },	/* 0, 1: fine */
	{ SADB_X_SPDADD, IPSEC_POLICY_DISCARD, IPSEC_DIR_FWD },
	{ SADB_X_SPDADD, IPSEC_POLICY_NONE, IPSEC_DIR_ANY },		/* 2..4: dir */
	{ SADB_X_SPDADD, IPSEC_POLICY_NONE, IPSEC_DIR_MAX },
	{ SADB_X_SPDADD, IPSEC_POLICY_NONE, 255 },
	{ SADB_X_SPDADD, IPSEC_POLICY_ENTRUST, IPSEC_DIR_INBOUND },	/* 5, 6: SPD type */
	{ SADB_X_SPDADD, IPSEC_POLICY_BYPASS, IPSEC_DIR_INBOUND },
	{ SADB_X_SPDADD, IPSEC_POLICY_BYPASS + 1, IPSEC_DIR_INBOUND },	/* 7: type */
	{ SADB_X_SPDADD, IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND },	/* 8, 9: no requests */
	{ SADB_X_SPDUPDATE, IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND },
	{ SADB_X_SPDSETIDX, IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND },	/* 10, 11: fine */
	{ SADB_X_SPDDELETE, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND },
	{ SADB_X_SPDDELETE, IPSEC_POLICY_IPSEC, IPSEC_DIR_ANY },	/* 12: dir */
};

static void policy_type_dir(struct mb *b, unsigned int v)
{
	spdadd_start(b, ptd[v].type, ptd[v].dir);
	hdr(b)->sadb_msg_type = ptd[v].msg;
}

/* -- Other extension contents -- */

/* getspi4 with min 0x2000, max 0x1fff / 0x2000; getspi_ipcomp, max 0x10000. */
static void spirange(struct mb *b, unsigned int v)
{
	struct sadb_spirange *r;

	build(b, v < 2 ? "getspi4" : "getspi_ipcomp");
	r = EXT(b, struct sadb_spirange, SADB_EXT_SPIRANGE);
	if (v == 2) {
		r->sadb_spirange_max = 0x10000;
		return;
	}
	r->sadb_spirange_min = 0x2000;
	r->sadb_spirange_max = 0x1fff + v;
}

/* add_esp4's 24-byte encryption key with 24 * 8, + 1, 0xffff, 0 bits. */
static void key_bits(struct mb *b, unsigned int v)
{
	static const __u16 bits[] = { 24 * 8, 24 * 8 + 1, 0xffff, 0 };

	build(b, "add_esp4");
	EXT(b, struct sadb_key, SADB_EXT_KEY_ENCRYPT)->sadb_key_bits = bits[v];
}

/* update_full's source identity: type RESERVED, MAX + 1; FQDN without NUL. */
static void identity(struct mb *b, unsigned int v)
{
	struct sadb_ident *id;

	build(b, "update_full");
	id = EXT(b, struct sadb_ident, SADB_EXT_IDENTITY_SRC);
	if (v < 2) {
		id->sadb_ident_type = v ? SADB_IDENTTYPE_MAX + 1 : SADB_IDENTTYPE_RESERVED;
		return;
	}
	id->sadb_ident_type = SADB_IDENTTYPE_FQDN;
	/* "left.example\0" plus 3 NUL pad bytes: fill every one. */
	memset((__u8 *)(id + 1), 'x', (size_t)id->sadb_ident_len * 8 - sizeof(*id));
}

/* add_esp4 with a hard lifetime; v 1: and a soft one. */
static void lifetimes(struct mb *b, unsigned int v)
{
	build(b, "add_esp4");
	mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 100);
	if (v)
		mb_lifetime(b, SADB_EXT_LIFETIME_SOFT, 80);
}

/* v 0: add_esp4 with a lone NAT_T_SPORT; getspi6_natt with the type NON_IKE, 0, 3. */
static void natt_ext(struct mb *b, unsigned int v)
{
	static const __u8 types[] = { 0, UDP_ENCAP_ESPINUDP_NON_IKE, 0, 3 };

	if (v == 0) {
		build(b, "add_esp4");
		mb_ext(b, SADB_X_EXT_NAT_T_SPORT, 8);
		return;
	}
	build(b, "getspi6_natt");
	natt_type_set(b, types[v]);
}

/*
 * update_full (ESP, NAT-T 4500 -> 4501, NAT-OA 10.0.0.1): 0 as it is, 1 the
 * drafts' non-IKE marker (not in an SA; GETSPI may reserve), 2 source port
 * 0, 3 destination port 0, 4 both 4500, 5 as AH (NAT-T is ESP only).
 */
static void natt_sa(struct mb *b, unsigned int v)
{
	build(b, "update_full");
	if (v == 1)
		natt_type_set(b, UDP_ENCAP_ESPINUDP_NON_IKE);
	if (v >= 2)
		natt_port_set(b, SADB_X_EXT_NAT_T_SPORT, v == 2 ? 0 : 4500);
	if (v >= 3)
		natt_port_set(b, SADB_X_EXT_NAT_T_DPORT, v == 3 ? 0 : 4500);
	if (v == 5)
		hdr(b)->sadb_msg_satype = SADB_SATYPE_AH;
}

/* An ADD with NAT-OA: v 0 IPv6 (the SA is IPv4), with NAT-T; 1 without NAT-T. */
static void natt_oa(struct mb *b, unsigned int v)
{
	mb_init(b, SADB_ADD, SADB_SATYPE_ESP);
	mb_sa(b, 0x1000, SADB_AALG_SHA1HMAC, SADB_EALG_3DESCBC);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, IPSEC_ULPROTO_ANY);
	if (v == 0) {
		mb_natt(b, UDP_ENCAP_ESPINUDP, 4500, 4500);
		mb_addr(b, SADB_X_EXT_NAT_T_OA, "2001:db8::1", 128, 0);
	} else {
		mb_addr(b, SADB_X_EXT_NAT_T_OA, "10.0.0.1", 32, 0);
	}
}

/* 3 * 8 bytes of sensitivity: sens_len 1 + integ_len 2, then 1 + 3. */
static void sensitivity(struct mb *b, unsigned int v)
{
	struct sadb_sens *s;

	build(b, "add_esp4");
	s = mb_ext(b, SADB_EXT_SENSITIVITY, sizeof(*s) + 3 * 8);
	s->sadb_sens_sens_len = 1;
	s->sadb_sens_integ_len = 2 + v;
}

/* v 0: a proposal of one comb and 8 bytes; 1: none; 2: an empty one. */
static void acquire(struct mb *b, unsigned int v)
{
	mb_init(b, SADB_ACQUIRE, SADB_SATYPE_ESP);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, 0);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, 0);
	if (v == 0)
		mb_ext(b, SADB_EXT_PROPOSAL, sizeof(struct sadb_prop) + 72 + 8);
	if (v == 2)
		mb_prop(b, 0);
}

/* 20 bytes of context, ctx_len 20, 24, 25, 16, KAME_SEC_CTX_MAX + 1. */
static void sec_ctx(struct mb *b, unsigned int v)
{
	static const unsigned int lens[] = { 20, 24, 25, 16, KAME_SEC_CTX_MAX + 1 };
	struct sadb_x_sec_ctx *c;

	build(b, "spdadd_discard");
	c = mb_ext(b, SADB_X_EXT_SEC_CTX, sizeof(*c) + 20);
	c->sadb_x_ctx_len = lens[v];
}

/*
 * dump_filter's filter: 0 dplen 129 (IPv6); AF_INET /24 -> /32: 1 fine,
 * 2 splen 33, 3 the family AF_UNSPEC.
 */
static void dump_filter(struct mb *b, unsigned int v)
{
	struct sadb_x_filter *f;

	build(b, "dump_filter");
	f = EXT(b, struct sadb_x_filter, SADB_X_EXT_FILTER);
	if (v == 0) {
		f->sadb_x_filter_dplen = 129;
		return;
	}
	f->sadb_x_filter_family = v == 3 ? AF_UNSPEC : AF_INET;
	f->sadb_x_filter_splen = v == 1 ? 24 : 33;
	f->sadb_x_filter_dplen = 32;
}

static void sa2_mode(struct mb *b, unsigned int v)
{
	build(b, "update_full");
	EXT(b, struct sadb_x_sa2, SADB_X_EXT_SA2)->sadb_x_sa2_mode =
		v ? IPSEC_MODE_BEET : IPSEC_MODE_TUNNEL;
}

/* -- sadb_msg_satype -- */

static const struct { __u8 type, satype; } sat[] = {
	{ SADB_FLUSH, SADB_SATYPE_UNSPEC },		/* 0, 1: fine */
	{ SADB_FLUSH, SADB_SATYPE_AH },
	{ SADB_FLUSH, 1 },				/* 2..5: invalid */
	{ SADB_FLUSH, 4 },
	{ SADB_FLUSH, SADB_SATYPE_MAX + 1 },
	{ SADB_FLUSH, 255 },
	{ SADB_FLUSH, SADB_SATYPE_RSVP },		/* 6, 7: not supported */
	{ SADB_FLUSH, SADB_SATYPE_MIP },
	{ SADB_REGISTER, SADB_X_SATYPE_IPCOMP },	/* 8: fine, 9: invalid */
	{ SADB_REGISTER, 10 },
	{ SADB_X_SPDDUMP, SADB_SATYPE_UNSPEC },		/* 10: fine; 11, 12: SPD */
	{ SADB_X_SPDDUMP, SADB_SATYPE_ESP },
	{ SADB_X_SPDFLUSH, SADB_SATYPE_AH },
	{ SADB_X_PROMISC, 1 },				/* 13, 14: fine, 15: no */
	{ SADB_X_PROMISC, 0 },
	{ SADB_X_PROMISC, SADB_SATYPE_ESP },
	{ SADB_ACQUIRE, SADB_SATYPE_UNSPEC },		/* 16: UNSPEC */
};

/* sat[v]; v 17: add_esp4 as UNSPEC; 18: spdadd_transport as ESP. */
static void satype(struct mb *b, unsigned int v)
{
	if (v < sizeof(sat) / sizeof(sat[0])) {
		mb_init(b, sat[v].type, sat[v].satype);
	} else if (v == 17) {
		build(b, "add_esp4");
		hdr(b)->sadb_msg_satype = SADB_SATYPE_UNSPEC;
	} else {
		build(b, "spdadd_transport");
		hdr(b)->sadb_msg_satype = SADB_SATYPE_ESP;
	}
}

#define PF SADB_X_EXT_POLICY
static const struct error_case error_cases[] = {
	/* frame */
	{ "frame | buffer shorter than struct sadb_msg", "0 to 15 bytes", short_buffer, 0, 16, -EINVAL, ANY_EXT, RAW },
	{ "frame | buffer shorter than struct sadb_msg", "16 bytes: a FLUSH", short_buffer, 16, 0, 0, ANY_EXT, RAW },
	{ "frame | sadb_msg_len * 8 != buffer length", "len 1 over, 1 under, 0; buffer 4 short, 8 long", bad_length, 0, 5, -EINVAL, ANY_EXT, RAW },
	{ "frame | sadb_msg_len * 8 != buffer length", "as built", bad_length, 5, 0, 0, ANY_EXT, RAW },
	/* header */
	{ "header | sadb_msg_version != PF_KEY_V2", "version 1", bad_version, 1, 0, -EINVAL, 0, 0 },
	{ "header | sadb_msg_version != PF_KEY_V2", "version 3", bad_version, 3, 0, -EINVAL, 0, 0 },
	{ "header | sadb_msg_type 0 or > SADB_MAX", "0, SADB_MAX + 1, 200, 255", bad_message_type, 0, 4, -EINVAL, ANY_EXT, 0 },
	{ "header | sadb_msg_reserved, sadb_msg_errno", "ignored", reserved_and_errno, 0, 0, 0, 0, 0 },
	/* ext */
	{ "ext | sadb_ext_len == 0", "FILTER of length 0", zero_length_extension, 0, 0, -EINVAL, SADB_X_EXT_FILTER, 0 },
	{ "ext | extension runs past the end", "address len + 1", extension_past_the_end, 0, 0, -EINVAL, SADB_EXT_ADDRESS_DST, 0 },
	{ "ext | extension runs past the end", "address len 0xffff", extension_past_the_end, 1, 0, -EINVAL, ANY_EXT, 0 },
	{ "ext | sadb_ext_type 0 or > SADB_EXT_MAX", "type 0", unknown_extension_type, 0, 0, -EINVAL, SADB_EXT_RESERVED, 0 },
	{ "ext | sadb_ext_type 0 or > SADB_EXT_MAX", "type MAX + 1", unknown_extension_type, 1, 0, -EINVAL, SADB_EXT_MAX + 1, 0 },
	{ "ext | sadb_ext_type 0 or > SADB_EXT_MAX", "type 27", unknown_extension_type, 2, 0, -EINVAL, 27, 0 },
	{ "ext | sadb_ext_type 0 or > SADB_EXT_MAX", "type 28", unknown_extension_type, 3, 0, -EINVAL, 28, 0 },
	{ "ext | sadb_ext_type 0 or > SADB_EXT_MAX", "type 0xffff", unknown_extension_type, 4, 0, -EINVAL, 0xffff, 0 },
	{ "ext | same type twice", "SA twice", duplicate_extension, 0, 0, -EINVAL, SADB_EXT_SA, 0 },
	{ "ext | same type twice", "ADDRESS_SRC twice", duplicate_extension, 1, 0, -EINVAL, SADB_EXT_ADDRESS_SRC, 0 },
	{ "ext | type not allowed in this message type", "SPIRANGE in ADD", extension_not_allowed, 0, 0, -EINVAL, SADB_EXT_SPIRANGE, 0 },
	{ "ext | type not allowed in this message type", "KEY_AUTH in X_SPDADD", extension_not_allowed, 1, 0, -EINVAL, SADB_EXT_KEY_AUTH, 0 },
	{ "ext | type not allowed in this message type", "SA in FLUSH, LIFETIME in X_SPDFLUSH, KMPRIVATE in REGISTER", extension_not_allowed, 2, 3, -EINVAL, ANY_EXT, 0 },
	{ "ext | length below min or above max of its type", "SA of 8 bytes", fixed_size, 0, 0, -EINVAL, ANY_EXT, 0 },
	{ "ext | length below min or above max of its type", "SA of 16 bytes", fixed_size, 1, 0, 0, 0, 0 },
	{ "ext | length below min or above max of its type", "SA of 24 to 48 bytes", fixed_size, 2, 4, -EINVAL, ANY_EXT, 0 },
	{ "ext | length below min or above max of its type", "LIFETIME_HARD of 8 to 24 bytes", fixed_size, 6, 3, -EINVAL, ANY_EXT, 0 },
	{ "ext | length below min or above max of its type", "LIFETIME_HARD of 32 bytes", fixed_size, 9, 0, 0, 0, 0 },
	{ "ext | length below min or above max of its type", "LIFETIME_HARD of 40 to 48 bytes", fixed_size, 10, 2, -EINVAL, ANY_EXT, 0 },
	{ "ext | length below min or above max of its type", "LIFETIME_SOFT of 8 to 24 bytes", fixed_size, 12, 3, -EINVAL, ANY_EXT, 0 },
	{ "ext | length below min or above max of its type", "LIFETIME_SOFT of 32 bytes", fixed_size, 15, 0, 0, 0, 0 },
	{ "ext | length below min or above max of its type", "LIFETIME_SOFT of 40 to 48 bytes", fixed_size, 16, 2, -EINVAL, ANY_EXT, 0 },
	{ "ext | length below min or above max of its type", "X_SA2 of 8 bytes", fixed_size, 18, 0, -EINVAL, ANY_EXT, 0 },
	{ "ext | length below min or above max of its type", "X_SA2 of 16 bytes", fixed_size, 19, 0, 0, 0, 0 },
	{ "ext | length below min or above max of its type", "X_SA2 of 24 to 48 bytes", fixed_size, 20, 4, -EINVAL, ANY_EXT, 0 },
	/* address */
	{ "address | too short to hold the sockaddr family", "8-byte ADDRESS_DST", truncated_sockaddr, 0, 0, -EINVAL, SADB_EXT_ADDRESS_DST, 0 },
	{ "address | length != 8 + ALIGN8", "AF_INET6 in 24 bytes", truncated_sockaddr, 1, 0, -EINVAL, SADB_EXT_ADDRESS_SRC, 0 },
	{ "address | length != 8 + ALIGN8", "AF_INET in 40 bytes", truncated_sockaddr, 2, 0, -EINVAL, ANY_EXT, 0 },
	{ "address | family neither AF_INET nor AF_INET6", "AF_UNSPEC, AF_UNIX, AF_PACKET, 0xffff", unsupported_address_family, 0, 4, -EAFNOSUPPORT, ANY_EXT, 0 },
	{ "address | prefixlen > 32 (AF_INET)", "IPv4 /32", bad_prefixlen, 0, 0, 0, 0, 0 },
	{ "address | prefixlen > 32 (AF_INET)", "IPv4 /33", bad_prefixlen, 1, 0, -EINVAL, SADB_EXT_ADDRESS_SRC, 0 },
	{ "address | prefixlen > 32 (AF_INET)", "IPv4 /255", bad_prefixlen, 2, 0, -EINVAL, ANY_EXT, 0 },
	{ "address | prefixlen > 32 (AF_INET)", "IPv6 /128", bad_prefixlen, 3, 0, 0, 0, 0 },
	{ "address | prefixlen > 32 (AF_INET)", "IPv6 /129", bad_prefixlen, 4, 0, -EINVAL, SADB_EXT_ADDRESS_DST, 0 },
	/* policies and requests */
	{ "policy | sadb_x_policy_type > IPSEC_POLICY_BYPASS", "type BYPASS + 1", policy_type_dir, 7, 0, -EINVAL, PF, 0 },
	{ "policy | sadb_x_policy_dir > IPSEC_DIR_FWD", "dir MAX, 255", policy_type_dir, 3, 2, -EINVAL, PF, 0 },
	{ "ipsecreq| fewer than 16 bytes left for a request header", "8 bytes", truncated_ipsecrequest, 0, 0, -EINVAL, PF, 0 },
	{ "ipsecreq| request len < 16 or past the end of the policy", "endpoints cut off", truncated_ipsecrequest, 1, 0, -EINVAL, ANY_EXT, 0 },
	{ "ipsecreq| request len < 16 or past the end of the policy", "two requests as built (9 times)", ipsecreq_len, 0, 9, 0, 0, 0 },
	{ "ipsecreq| request len < 16 or past the end of the policy", "first of two: len 0, 8, 15, 0xffff", ipsecreq_len, 9, 4, -EINVAL, PF, 0 },
	{ "ipsecreq| len not 16 nor 16 + ALIGN8(2 * sockaddr size)", "first of two: len 17, 24, 40, 56, 64", ipsecreq_len, 13, 5, -EINVAL, PF, 0 },
	{ "ipsecreq| request len < 16 or past the end of the policy", "last: len 0, 8, 15, 0xffff, 17, 24, 40, 56, 64", ipsecreq_len, 18, 9, -EINVAL, ANY_EXT, 0 },
	{ "ipsecreq| len not 16 nor 16 + ALIGN8(2 * sockaddr size)", "IPv6 endpoints in 80 bytes", ipsecreq_ipv6_unpacked, 0, 0, -EINVAL, ANY_EXT, 0 },
	{ "ipsecreq| more than KAME_SP_MAXREQ (6) requests", "6", ipsecreq_count, 0, 0, 0, 0, 0 },
	{ "ipsecreq| more than KAME_SP_MAXREQ (6) requests", "7", ipsecreq_count, 1, 0, -ELOOP, ANY_EXT, 0 },
	{ "ipsecreq| proto not IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP", "0, TCP, 255", ipsecreq_proto_mode_level, 1, 3, -EPROTONOSUPPORT, ANY_EXT, 0 },
	{ "ipsecreq| mode not TRANSPORT or TUNNEL", "ANY, BEET, 5", ipsecreq_proto_mode_level, 4, 3, -EINVAL, ANY_EXT, 0 },
	{ "ipsecreq| level > IPSEC_LEVEL_UNIQUE", "UNIQUE", ipsecreq_proto_mode_level, 0, 0, 0, ANY_EXT, 0 },
	{ "ipsecreq| level > IPSEC_LEVEL_UNIQUE", "UNIQUE + 1, 255", ipsecreq_proto_mode_level, 7, 2, -EINVAL, ANY_EXT, 0 },
	{ "ipsecreq| endpoint family not AF_INET/AF_INET6", "AF_UNSPEC", ipsecreq_endpoint_families, 1, 0, -EAFNOSUPPORT, ANY_EXT, 0 },
	{ "ipsecreq| endpoints of different families", "AF_INET, AF_INET6", ipsecreq_endpoint_families, 0, 0, -EINVAL, ANY_EXT, 0 },
	{ "ipsecreq| tunnel mode without endpoints", "tunnel", ipsecreq_endpoints, 0, 0, -EINVAL, ANY_EXT, 0 },
	{ "ipsecreq| tunnel mode without endpoints", "transport with endpoints", ipsecreq_endpoints, 1, 0, 0, ANY_EXT, 0 },
	/* other extension contents */
	{ "spirange| sadb_spirange_min > sadb_spirange_max", "0x2000 > 0x1fff", spirange, 0, 0, -EINVAL, SADB_EXT_SPIRANGE, 0 },
	{ "spirange| sadb_spirange_min > sadb_spirange_max", "0x2000 = 0x2000", spirange, 1, 0, 0, 0, 0 },
	{ "GETSPI | X_IPCOMP with sadb_spirange_max > 0xffff", "0x10000", spirange, 2, 0, -EINVAL, ANY_EXT, 0 },
	{ "key | 8 + ceil(sadb_key_bits / 8) > extension length", "192 bits in 24 bytes", key_bits, 0, 0, 0, 0, 0 },
	{ "key | 8 + ceil(sadb_key_bits / 8) > extension length", "193 bits", key_bits, 1, 0, -EINVAL, SADB_EXT_KEY_ENCRYPT, 0 },
	{ "key | 8 + ceil(sadb_key_bits / 8) > extension length", "0xffff bits", key_bits, 2, 0, -EINVAL, ANY_EXT, 0 },
	{ "key | 8 + ceil(sadb_key_bits / 8) > extension length", "0 bits", key_bits, 3, 0, 0, 0, 0 },
	{ "ident | type not PREFIX, FQDN or USERFQDN", "RESERVED, MAX + 1", identity, 0, 2, -EINVAL, ANY_EXT, 0 },
	{ "ident | string present but without a NUL", "FQDN", identity, 2, 0, -EINVAL, SADB_EXT_IDENTITY_SRC, 0 },
	{ "ADD/UPD | exactly one of LIFETIME_HARD / LIFETIME_SOFT", "hard only", lifetimes, 0, 0, -EINVAL, SADB_EXT_LIFETIME_HARD, 0 },
	{ "ADD/UPD | exactly one of LIFETIME_HARD / LIFETIME_SOFT", "both", lifetimes, 1, 0, 0, 0, 0 },
	{ "SA msgs | NAT_T_TYPE, _SPORT, _DPORT not all or none", "SPORT alone", natt_ext, 0, 0, -EINVAL, SADB_X_EXT_NAT_T_TYPE, 0 },
	{ "natt | sadb_x_nat_t_type_type not ESPINUDP", "GETSPI with NON_IKE", natt_ext, 1, 0, 0, 0, 0 },
	{ "natt | sadb_x_nat_t_type_type not ESPINUDP", "type 0", natt_ext, 2, 0, -EINVAL, ANY_EXT, 0 },
	{ "natt | sadb_x_nat_t_type_type not ESPINUDP", "type 3", natt_ext, 3, 0, -EINVAL, SADB_X_EXT_NAT_T_TYPE, 0 },
	{ "ADD/UPD | NAT-T type ESPINUDP_NON_IKE", "update_full as it is", natt_sa, 0, 0, 0, 0, 0 },
	{ "ADD/UPD | NAT-T type ESPINUDP_NON_IKE", "NON_IKE in UPDATE", natt_sa, 1, 0, -EOPNOTSUPP, SADB_X_EXT_NAT_T_TYPE, 0 },
	{ "SA msgs | NAT_T_SPORT or _DPORT 0", "source port 0", natt_sa, 2, 0, -EINVAL, SADB_X_EXT_NAT_T_SPORT, 0 },
	{ "SA msgs | NAT_T_SPORT or _DPORT 0", "destination port 0", natt_sa, 3, 0, -EINVAL, SADB_X_EXT_NAT_T_DPORT, 0 },
	{ "SA msgs | NAT_T_SPORT or _DPORT 0", "both 4500", natt_sa, 4, 0, 0, 0, 0 },
	{ "SA msgs | NAT-T with satype other than ESP", "AH", natt_sa, 5, 0, -EINVAL, SADB_X_EXT_NAT_T_TYPE, 0 },
	{ "SA msgs | NAT_T_OA of another family than ADDRESS_SRC", "IPv6 NAT-OA", natt_oa, 0, 0, -EINVAL, SADB_X_EXT_NAT_T_OA, 0 },
	{ "SA msgs | NAT_T_OA without NAT_T_TYPE", "NAT-OA alone", natt_oa, 1, 0, -EINVAL, SADB_X_EXT_NAT_T_OA, 0 },
	{ "sens | length != 16 + 8 * (sens_len + integ_len)", "1 + 2 in 24 bytes", sensitivity, 0, 0, 0, 0, 0 },
	{ "sens | length != 16 + 8 * (sens_len + integ_len)", "1 + 3", sensitivity, 1, 0, -EINVAL, SADB_EXT_SENSITIVITY, 0 },
	{ "prop | (length - 8) not a multiple of sizeof(sadb_comb)", "72 + 8 bytes", acquire, 0, 0, -EINVAL, SADB_EXT_PROPOSAL, 0 },
	{ "ACQUIRE | extensions present but ADDRESS_SRC, _DST or PROPOSAL missing", "no PROPOSAL", acquire, 1, 0, -EINVAL, SADB_EXT_PROPOSAL, 0 },
	{ "ACQUIRE | extensions present but ADDRESS_SRC, _DST or PROPOSAL missing", "empty PROPOSAL", acquire, 2, 0, 0, 0, 0 },
	{ "sec_ctx | ctx_len > KAME_SEC_CTX_MAX or len != 8 + ALIGN8(ctx_len)", "20, 24 in 24 bytes", sec_ctx, 0, 2, 0, 0, 0 },
	{ "sec_ctx | ctx_len > KAME_SEC_CTX_MAX or len != 8 + ALIGN8(ctx_len)", "25, 16", sec_ctx, 2, 2, -EINVAL, ANY_EXT, 0 },
	{ "sec_ctx | ctx_len > KAME_SEC_CTX_MAX or len != 8 + ALIGN8(ctx_len)", "KAME_SEC_CTX_MAX + 1", sec_ctx, 4, 0, -EINVAL, SADB_X_EXT_SEC_CTX, 0 },
	{ "filter | splen or dplen above the family's bits", "IPv6 /129", dump_filter, 0, 0, -EINVAL, ANY_EXT, 0 },
	{ "filter | splen or dplen above the family's bits", "IPv4 /24 -> /32", dump_filter, 1, 0, 0, 0, 0 },
	{ "filter | splen or dplen above the family's bits", "IPv4 /33", dump_filter, 2, 0, -EINVAL, ANY_EXT, 0 },
	{ "filter | family not AF_INET/AF_INET6", "AF_UNSPEC", dump_filter, 3, 0, -EAFNOSUPPORT, ANY_EXT, 0 },
	{ "sa2 | sadb_x_sa2_mode not ANY, TRANSPORT or TUNNEL", "TUNNEL", sa2_mode, 0, 0, 0, 0, 0 },
	{ "sa2 | sadb_x_sa2_mode not ANY, TRANSPORT or TUNNEL", "BEET", sa2_mode, 1, 0, -EINVAL, SADB_X_EXT_SA2, 0 },
	/* cross-extension and per-type rules */
	{ "cross | ADDRESS_SRC and _DST of different families", "IPv4 -> IPv6", address_family_mismatch, 0, 0, -EINVAL, SADB_EXT_ADDRESS_DST, 0 },
	{ "cross | ADDRESS_PROXY of another family than _SRC", "IPv6 proxy", address_family_mismatch, 1, 0, -EINVAL, SADB_EXT_ADDRESS_PROXY, 0 },
	{ "cross | ADDRESS_SRC and _DST with different upper proto", "TCP -> UDP", address_upper_protocol_mismatch, 0, 0, -EINVAL, ANY_EXT, 0 },
	{ "required| a required extension of the type is missing", "ADD without SA", missing_required, 0, 0, -EINVAL, SADB_EXT_SA, 0 },
	{ "required| a required extension of the type is missing", "GET without ADDRESS_DST", missing_required, 1, 0, -EINVAL, SADB_EXT_ADDRESS_DST, 0 },
	{ "required| a required extension of the type is missing", "X_SPDADD, X_SPDGET without policy", missing_required, 2, 2, -EINVAL, PF, 0 },
	{ "required| a required extension of the type is missing", "GETSPI without ADDRESS_SRC", missing_required, 4, 0, -EINVAL, SADB_EXT_ADDRESS_SRC, 0 },
	{ "SPD add | policy type not DISCARD, NONE, IPSEC", "NONE in, DISCARD fwd", policy_type_dir, 0, 2, 0, 0, 0 },
	{ "SPD add | policy type not DISCARD, NONE, IPSEC", "ENTRUST, BYPASS", policy_type_dir, 5, 2, -EINVAL, PF, 0 },
	{ "SPD add | policy dir not IN, OUT, FWD", "ANY", policy_type_dir, 2, 0, -EINVAL, PF, 0 },
	{ "SPD add | policy dir not IN, OUT, FWD", "X_SPDDELETE ANY", policy_type_dir, 12, 0, -EINVAL, PF, 0 },
	{ "SPD add | IPSEC policy without requests", "X_SPDADD, X_SPDUPDATE", policy_type_dir, 8, 2, -EINVAL, PF, 0 },
	{ "SPD add | IPSEC policy without requests", "X_SPDSETIDX; X_SPDDELETE out", policy_type_dir, 10, 2, 0, 0, 0 },
	/* satype */
	{ "satype | RSVP, OSPFV2, RIPV2 or MIP", "FLUSH RSVP, MIP", satype, 6, 2, -EOPNOTSUPP, ANY_EXT, 0 },
	{ "satype | 1 in anything but X_PROMISC, or 4 or above 9", "FLUSH UNSPEC, AH", satype, 0, 2, 0, ANY_EXT, 0 },
	{ "satype | 1 in anything but X_PROMISC, or 4 or above 9", "FLUSH 1, 4, MAX + 1, 255", satype, 2, 4, -EINVAL, ANY_EXT, 0 },
	{ "satype | 1 in anything but X_PROMISC, or 4 or above 9", "REGISTER IPCOMP", satype, 8, 0, 0, ANY_EXT, 0 },
	{ "satype | 1 in anything but X_PROMISC, or 4 or above 9", "REGISTER 10", satype, 9, 0, -EINVAL, ANY_EXT, 0 },
	{ "satype | AH/ESP/IPCOMP in an SPD message", "X_SPDDUMP UNSPEC", satype, 10, 0, 0, ANY_EXT, 0 },
	{ "satype | AH/ESP/IPCOMP in an SPD message", "X_SPDDUMP ESP, X_SPDFLUSH AH", satype, 11, 2, -EINVAL, ANY_EXT, 0 },
	{ "PROMISC | 16 bytes and satype not 0 or 1", "1, 0", satype, 13, 2, 0, ANY_EXT, 0 },
	{ "PROMISC | 16 bytes and satype not 0 or 1", "ESP", satype, 15, 0, -EINVAL, ANY_EXT, 0 },
	{ "satype | UNSPEC in GETSPI/UPDATE/ADD/DELETE/GET/ACQUIRE", "ACQUIRE", satype, 16, 0, -EINVAL, ANY_EXT, 0 },
	{ "satype | UNSPEC in GETSPI/UPDATE/ADD/DELETE/GET/ACQUIRE", "ADD", satype, 17, 0, -EINVAL, ANY_EXT, 0 },
	{ "satype | AH/ESP/IPCOMP in an SPD message", "X_SPDADD ESP", satype, 18, 0, -EINVAL, ANY_EXT, 0 },
};
#undef PF

TEST(errno_table)
{
	unsigned int i, v, cases = 0;

	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct error_case *c = &error_cases[i];

		for (v = c->v; v < c->v + (c->n ? c->n : 1); v++) {
			struct kame_msg m;
			struct mb b;
			int err;

			c->build(&b, v);
			err = (c->flags & RAW) ? parse_as_is(&b, &m) : parse(&b, &m);
			cases++;
			EXPECT_EQ(c->err, err)
				TH_LOG("%s: %s (variant %u)", c->rule, c->name, v);
			if (c->ext != ANY_EXT)
				EXPECT_EQ(c->ext, m.err_ext)
					TH_LOG("%s: %s (variant %u): err_ext", c->rule, c->name, v);
			/* A frame error leaves no header to reply to; any later one does. */
			if (err) {
				const void *want = strncmp(c->rule, "frame", 5) ? b.buf : NULL;

				EXPECT_TRUE((const void *)m.hdr == want)
					TH_LOG("%s: %s (variant %u): m->hdr", c->rule, c->name, v);
			}
		}
	}
	TH_LOG("%u cases", cases);
}

TEST(null_buffer)
{
	struct kame_msg m;

	ASSERT_EQ(-EINVAL, kame_msg_parse(NULL, 16, &m));
	ASSERT_NULL(m.hdr);
}

TEST(six_requests_are_all_counted)
{
	struct kame_msg m;
	struct mb b;

	ipsecreq_count(&b, 0);
	ASSERT_EQ(0, parse(&b, &m));
	ASSERT_EQ(KAME_SP_MAXREQ, m.nreq);
}

/*
 * Rows of msg_tables.c's table with an errno that no case above reaches,
 * and why. Anything else without a case fails errno_table_matches_msg_tables_c.
 */
static const char *const rows_without_case[] = {
	"header|type only the kernel sends",		/* kernel_only_types_are_rejected_even_when_well_formed */
	"ext|fewer than 4 bytes left",			/* lengths are multiples of 8 */
	"supp|",					/* SUPPORTED_* in no user message */
	"kmaddr|",					/* KMADDRESS in no user message */
};

/* "stage | condition" with the blanks around '|' and runs of blanks folded. */
static void fold(const char *in, size_t n, char *out, size_t outsz)
{
	size_t i, o = 0;

	for (i = 0; i < n && in[i] && o + 1 < outsz; i++) {
		if (isspace((unsigned char)in[i])) {
			if (o && out[o - 1] != ' ' && out[o - 1] != '|')
				out[o++] = ' ';
			continue;
		}
		if (in[i] == '|' && o && out[o - 1] == ' ')
			o--;
		out[o++] = in[i];
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = 0;
}

static int errno_named(const char *s)
{
	static const struct { const char *name; int err; } names[] = {
		{ "EINVAL", EINVAL }, { "EAFNOSUPPORT", EAFNOSUPPORT }, { "ELOOP", ELOOP },
		{ "EPROTONOSUPPORT", EPROTONOSUPPORT }, { "EOPNOTSUPP", EOPNOTSUPP },
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(s, names[i].name, strlen(names[i].name)) &&
		    !isalnum((unsigned char)s[strlen(names[i].name)]))
			return names[i].err;
	return 0;
}

TEST(errno_table_matches_msg_tables_c)
{
	char path[4096], line[512], key[512], rule[512];
	unsigned int i, j, rows = 0, used[sizeof(error_cases) / sizeof(error_cases[0])] = { 0 };
	const char *dir = __FILE__, *slash = strrchr(dir, '/');
	FILE *f;

	snprintf(path, sizeof(path), "%.*s../msg_tables.c",
		 slash ? (int)(slash - dir + 1) : 0, dir);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f) TH_LOG("%s", path);
	while (fgets(line, sizeof(line), f) && !strstr(line, "*/")) {
		char *p1, *p2, *p3, *e = line + 3;
		int err, found = 0;

		/* " * stage | condition | errno | KAME / Linux" */
		if (strncmp(line, " * ", 3) || *e == '(' ||
		    !(p1 = strchr(e, '|')) || !(p2 = strchr(p1 + 1, '|')) ||
		    !(p3 = strchr(p2 + 1, '|')))
			continue;
		rows++;
		fold(e, p2 - e, key, sizeof(key));
		while (*++p2 == ' ')
			;
		err = errno_named(p2);
		for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
			fold(error_cases[i].rule, strlen(error_cases[i].rule), rule, sizeof(rule));
			if (strncmp(key, rule, strlen(rule)))
				continue;
			used[i]++;
			if (err && error_cases[i].err == -err)
				found = 1;
		}
		for (j = 0; j < sizeof(rows_without_case) / sizeof(rows_without_case[0]); j++)
			if (!strncmp(key, rows_without_case[j], strlen(rows_without_case[j])))
				found = 1;
		if (*p2 == '-' || !strncmp(p2, "not checked", 11))
			found = 1;
		EXPECT_TRUE(err || found) TH_LOG("msg_tables.c: unknown errno in \"%s\"", key);
		EXPECT_TRUE(found) TH_LOG("msg_tables.c: no case for \"%s\" (%.20s)", key, p2);
	}
	fclose(f);
	ASSERT_LT(40U, rows);
	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		if (used[i] != 1)
			fprintf(stderr, "# case \"%s\" (%s) names %u rows of msg_tables.c's table\n",
				error_cases[i].rule, error_cases[i].name, used[i]);
		EXPECT_EQ(1U, used[i]);
	}
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
