// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of userland's checks of what the kernel sends
 * (kmod/pfkey/msg_out.c): each message type as kmod/pfkey writes it is
 * accepted, and each way a kernel reply can be malformed is refused with
 * the errno, extension and reason msg_out.c's table at the top documents.
 * One table of cases drives one loop; kame_msg_index() (pfkey_align) last.
 */
#include <arpa/inet.h>

#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "msgbuild.h"

static struct sadb_msg *hdr(struct mb *b)
{
	return (struct sadb_msg *)b->buf;
}

/* <SA, ADDRESS_SRC, ADDRESS_DST> of an ESP SA between two IPv4 hosts. */
static void sa_base(struct mb *b, __u8 type)
{
	mb_init(b, type, SADB_SATYPE_ESP);
	mb_sa(b, 0x1234, SADB_AALG_SHA1HMAC, SADB_X_EALG_AESCBC);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, IPSEC_ULPROTO_ANY);
}

static void spd_base(struct mb *b, __u8 type)
{
	mb_init(b, type, SADB_SATYPE_UNSPEC);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.0.0.0", 24, IPPROTO_TCP);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.0.1.0", 24, IPPROTO_TCP);
}

/* ---- What the kernel writes ---- */

static void k_getspi(struct mb *b) { sa_base(b, SADB_GETSPI); }

/* An ADD broadcast (NOTIFY_PARTS): no keys, no current lifetime. */
static void k_add(struct mb *b)
{
	sa_base(b, SADB_ADD);
	mb_sa2(b, IPSEC_MODE_TRANSPORT, 7);
	mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 3600);
	mb_ident(b, SADB_EXT_IDENTITY_SRC, SADB_IDENTTYPE_FQDN, "left.example");
	mb_natt(b, UDP_ENCAP_ESPINUDP, 4500, 4500);
	mb_addr(b, SADB_X_EXT_NAT_T_OA, "10.9.9.9", 32, IPSEC_ULPROTO_ANY);
}

static void k_update(struct mb *b)
{
	sa_base(b, SADB_UPDATE);
	mb_sa2(b, IPSEC_MODE_TUNNEL, 0);
}

static void k_delete_all(struct mb *b)
{
	mb_init(b, SADB_DELETE, SADB_SATYPE_AH);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "2001:db8::1", 128, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "2001:db8::2", 128, IPSEC_ULPROTO_ANY);
}

/* GET and DUMP go to the requester only: keys and current lifetime. */
static void k_get(struct mb *b)
{
	sa_base(b, SADB_GET);
	mb_sa2(b, IPSEC_MODE_TRANSPORT, 0);
	mb_lifetime(b, SADB_EXT_LIFETIME_CURRENT, 1700000000);
	mb_key(b, SADB_EXT_KEY_AUTH, 160);
	mb_key(b, SADB_EXT_KEY_ENCRYPT, 128);
}

static void k_dump(struct mb *b)
{
	k_get(b);
	hdr(b)->sadb_msg_type = SADB_DUMP;
}

static void k_expire_soft(struct mb *b)
{
	sa_base(b, SADB_EXPIRE);
	mb_sa2(b, IPSEC_MODE_TRANSPORT, 0);
	mb_lifetime(b, SADB_EXT_LIFETIME_CURRENT, 1700000000);
	mb_lifetime(b, SADB_EXT_LIFETIME_SOFT, 30);
}

static void k_expire_hard(struct mb *b)
{
	sa_base(b, SADB_EXPIRE);
	mb_lifetime(b, SADB_EXT_LIFETIME_CURRENT, 1700000000);
	mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 60);
}

static void k_acquire(struct mb *b)
{
	mb_init(b, SADB_ACQUIRE, SADB_SATYPE_ESP);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, IPSEC_ULPROTO_ANY);
	mb_policy(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 9);
	mb_prop(b, 2);
}

/* No algorithm available: the kernel leaves the proposal out. */
static void k_acquire_noprop(struct mb *b)
{
	mb_init(b, SADB_ACQUIRE, SADB_SATYPE_AH);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, IPSEC_ULPROTO_ANY);
	mb_policy(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 9);
}

static void supported(struct mb *b, __u16 type, unsigned int n)
{
	struct sadb_supported *s = mb_ext(b, type, sizeof(*s) +
					  n * sizeof(struct sadb_alg));
	struct sadb_alg *a = (struct sadb_alg *)(s + 1);
	unsigned int i;

	for (i = 0; i < n; i++) {
		a[i].sadb_alg_id = i + 2;
		a[i].sadb_alg_minbits = 128;
		a[i].sadb_alg_maxbits = 256;
	}
}

static void k_register(struct mb *b)
{
	mb_init(b, SADB_REGISTER, SADB_SATYPE_ESP);
	supported(b, SADB_EXT_SUPPORTED_AUTH, 3);
	supported(b, SADB_EXT_SUPPORTED_ENCRYPT, 0);
}

static void k_flush(struct mb *b) { mb_init(b, SADB_FLUSH, SADB_SATYPE_UNSPEC); }
static void k_spdflush(struct mb *b) { mb_init(b, SADB_X_SPDFLUSH, 0); }

static void k_spdadd(struct mb *b)
{
	spd_base(b, SADB_X_SPDADD);
	mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 600);
	mb_policy(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 17);
	mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0,
		    NULL, NULL);
}

static void k_spddump(struct mb *b)
{
	spd_base(b, SADB_X_SPDDUMP);
	mb_lifetime(b, SADB_EXT_LIFETIME_CURRENT, 1700000000);
	mb_policy(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND, 32);
	mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_UNIQUE, 0x4001,
		    "198.51.100.1", "198.51.100.2");
	mb_ipsecreq(b, IPPROTO_AH, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_USE, 0,
		    NULL, NULL);
}

static void k_spdexpire(struct mb *b)
{
	k_spddump(b);
	hdr(b)->sadb_msg_type = SADB_X_SPDEXPIRE;
}

static void k_spdupdate(struct mb *b)
{
	k_spdadd(b);
	hdr(b)->sadb_msg_type = SADB_X_SPDUPDATE;
}

static void k_spdsetidx(struct mb *b)
{
	k_spdadd(b);
	hdr(b)->sadb_msg_type = SADB_X_SPDSETIDX;
}

static void k_spddelete(struct mb *b)
{
	spd_base(b, SADB_X_SPDDELETE);
	mb_policy(b, IPSEC_POLICY_DISCARD, IPSEC_DIR_INBOUND, 8);
}

static void k_spdget(struct mb *b)
{
	k_spddump(b);
	hdr(b)->sadb_msg_type = SADB_X_SPDGET;
}

static void k_spddelete2(struct mb *b)
{
	mb_init(b, SADB_X_SPDDELETE2, SADB_SATYPE_UNSPEC);
	mb_policy(b, IPSEC_POLICY_DISCARD, IPSEC_DIR_OUTBOUND, 40);
}

static void k_new_mapping(struct mb *b)
{
	struct sadb_x_nat_t_port *p;

	mb_init(b, SADB_X_NAT_T_NEW_MAPPING, SADB_SATYPE_ESP);
	mb_sa(b, 0x1234, 0, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "203.0.113.1", 32, IPSEC_ULPROTO_ANY);
	p = mb_ext(b, SADB_X_EXT_NAT_T_SPORT, sizeof(*p));
	p->sadb_x_nat_t_port_port = htons(4500);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "203.0.113.9", 32, IPSEC_ULPROTO_ANY);
	p = mb_ext(b, SADB_X_EXT_NAT_T_DPORT, sizeof(*p));
	p->sadb_x_nat_t_port_port = htons(61000);
}

/* An error reply echoes the request as written, however malformed. */
static void k_error_reply(struct mb *b)
{
	struct sadb_ext *e;

	mb_init(b, SADB_X_MIGRATE, SADB_SATYPE_ESP);
	hdr(b)->sadb_msg_errno = EINVAL;
	e = mb_raw(b, 16);
	e->sadb_ext_len = 9;	/* runs past the end */
	e->sadb_ext_type = 77;
}

/* What a promiscuous socket gets: any message, wrapped as it was. */
static void k_promisc(struct mb *b)
{
	__u8 *p;

	mb_init(b, SADB_X_PROMISC, 0);
	p = mb_raw(b, 24);
	memset(p, 0xee, 24);
}

/* ---- Malformed kernel messages ---- */

/* Keys in an ADD broadcast would hand them to every PF_KEY socket. */
static void bad_add_keys(struct mb *b)
{
	k_add(b);
	mb_key(b, SADB_EXT_KEY_ENCRYPT, 128);
}

/*
 * An ADD broadcast as Linux af_key sends it (pfkey_xfrm_state2msg: the keys
 * and the current lifetime go to every socket): not kameipsec's shape, but
 * a PF_KEY v2 kernel's, which setkey -x must print.
 */
static void afkey_add_broadcast(struct mb *b)
{
	sa_base(b, SADB_ADD);
	mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 0);
	mb_lifetime(b, SADB_EXT_LIFETIME_SOFT, 0);
	mb_lifetime(b, SADB_EXT_LIFETIME_CURRENT, 0);
	mb_key(b, SADB_EXT_KEY_AUTH, 160);
	mb_key(b, SADB_EXT_KEY_ENCRYPT, 128);
	mb_sa2(b, IPSEC_MODE_TRANSPORT, 0);
}

static void bad_getspi_no_sa(struct mb *b)
{
	mb_init(b, SADB_GETSPI, SADB_SATYPE_ESP);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, IPSEC_ULPROTO_ANY);
}

static void bad_get_no_current(struct mb *b)
{
	sa_base(b, SADB_GET);
}

static void bad_expire_no_limit(struct mb *b)
{
	sa_base(b, SADB_EXPIRE);
	mb_lifetime(b, SADB_EXT_LIFETIME_CURRENT, 1700000000);
}

static void bad_register_one_list(struct mb *b)
{
	mb_init(b, SADB_REGISTER, SADB_SATYPE_ESP);
	supported(b, SADB_EXT_SUPPORTED_AUTH, 1);
}

static void bad_spddump_satype(struct mb *b)
{
	k_spddump(b);
	hdr(b)->sadb_msg_satype = SADB_SATYPE_ESP;
}

static void bad_dump_unspec(struct mb *b)
{
	k_dump(b);
	hdr(b)->sadb_msg_satype = SADB_SATYPE_UNSPEC;
}

static void bad_pchange(struct mb *b) { mb_init(b, SADB_X_PCHANGE, 0); }

static void bad_version(struct mb *b)
{
	k_flush(b);
	hdr(b)->sadb_msg_version = 1;
}

static void bad_ext_overrun(struct mb *b)
{
	struct sadb_lifetime *l;

	k_get(b);
	l = mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 1);
	l->sadb_lifetime_len = 40;
}

static void bad_ext_short(struct mb *b)
{
	struct sadb_sa *sa;

	mb_init(b, SADB_GETSPI, SADB_SATYPE_ESP);
	sa = mb_ext(b, SADB_EXT_SA, 8);
	sa->sadb_sa_len = 1;
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, IPSEC_ULPROTO_ANY);
}

static void bad_prefixlen(struct mb *b)
{
	k_getspi(b);
	((struct sadb_address *)(b->buf + b->off[SADB_EXT_ADDRESS_DST]))
		->sadb_address_prefixlen = 33;
}

static void bad_family_mix(struct mb *b)
{
	mb_init(b, SADB_GETSPI, SADB_SATYPE_ESP);
	mb_sa(b, 0x1234, 0, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "2001:db8::2", 128, IPSEC_ULPROTO_ANY);
}

static void bad_natt_no_ports(struct mb *b)
{
	struct sadb_x_nat_t_type *t;

	k_update(b);
	t = mb_ext(b, SADB_X_EXT_NAT_T_TYPE, sizeof(*t));
	t->sadb_x_nat_t_type_type = UDP_ENCAP_ESPINUDP;
}

static void bad_mapping_no_dport(struct mb *b)
{
	mb_init(b, SADB_X_NAT_T_NEW_MAPPING, SADB_SATYPE_ESP);
	mb_sa(b, 0x1234, 0, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "203.0.113.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "203.0.113.9", 32, IPSEC_ULPROTO_ANY);
	mb_ext(b, SADB_X_EXT_NAT_T_SPORT, sizeof(struct sadb_x_nat_t_port));
}

static void bad_spdadd_request_len(struct mb *b)
{
	struct sadb_x_ipsecrequest *rq;

	spd_base(b, SADB_X_SPDADD);
	mb_policy(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 17);
	rq = mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT,
			 IPSEC_LEVEL_REQUIRE, 0, NULL, NULL);
	rq->sadb_x_ipsecrequest_len = 24;	/* past the policy's end */
}

static void bad_duplicate(struct mb *b)
{
	k_spddelete2(b);
	mb_policy(b, IPSEC_POLICY_DISCARD, IPSEC_DIR_OUTBOUND, 41);
}

static void bad_unknown_ext(struct mb *b)
{
	k_flush(b);
	mb_ext(b, SADB_EXT_MAX + 1, 8);
}

struct out_case {
	const char *name;
	void (*build)(struct mb *b);
	int err;		/* 0 or the negative errno */
	__u16 err_ext;		/* extension named on error */
	const char *why;	/* the reason given on error */
	bool opaque;		/* accepted with the body as payload */
	bool shape;		/* not kameipsec's shape: KAME_OUT_ANY takes it */
};

#define OK(f)		{ #f, f, 0, 0, NULL, false, false }
#define OPAQUE(f)	{ #f, f, 0, 0, NULL, true, false }
/* Refused in both modes: no PF_KEY v2 kernel sends that. */
#define BAD(f, e, x, w)	{ #f, f, e, x, w, false, false }
/* Refused by KAME_OUT_STRICT only: a kernel may, kameipsec does not. */
#define SHAPE(f, e, x, w) { #f, f, e, x, w, false, true }

static const struct out_case cases[] = {
	OK(k_getspi), OK(k_add), OK(k_update), OK(k_delete_all), OK(k_get),
	OK(k_dump), OK(k_expire_soft), OK(k_expire_hard), OK(k_acquire),
	OK(k_acquire_noprop), OK(k_register), OK(k_flush), OK(k_spdflush),
	OK(k_spdadd), OK(k_spdupdate), OK(k_spdsetidx), OK(k_spddelete),
	OK(k_spdget), OK(k_spddump), OK(k_spdexpire), OK(k_spddelete2),
	OK(k_new_mapping), OPAQUE(k_error_reply), OPAQUE(k_promisc),
	SHAPE(bad_add_keys, -EINVAL, SADB_EXT_KEY_ENCRYPT,
	    "extension not allowed in this message"),
	SHAPE(afkey_add_broadcast, -EINVAL, SADB_EXT_LIFETIME_CURRENT,
	      "extension not allowed in this message"),
	SHAPE(bad_getspi_no_sa, -EINVAL, SADB_EXT_SA, "required extension missing"),
	SHAPE(bad_get_no_current, -EINVAL, SADB_EXT_LIFETIME_CURRENT,
	    "required extension missing"),
	SHAPE(bad_expire_no_limit, -EINVAL, SADB_EXT_LIFETIME_HARD,
	    "required extension missing"),
	SHAPE(bad_register_one_list, -EINVAL, SADB_EXT_SUPPORTED_ENCRYPT,
	    "required extension missing"),
	SHAPE(bad_spddump_satype, -EINVAL, 0, "satype"),
	SHAPE(bad_dump_unspec, -EINVAL, 0, "satype"),
	SHAPE(bad_pchange, -EINVAL, 0, "not a type the kernel sends"),
	BAD(bad_version, -EINVAL, 0, "header"),
	BAD(bad_ext_overrun, -EINVAL, SADB_EXT_LIFETIME_HARD, "malformed extension"),
	BAD(bad_ext_short, -EINVAL, SADB_EXT_SA, "malformed extension"),
	BAD(bad_prefixlen, -EINVAL, SADB_EXT_ADDRESS_DST, "malformed extension"),
	BAD(bad_family_mix, -EINVAL, SADB_EXT_ADDRESS_DST,
	    "address families or protocols differ"),
	SHAPE(bad_natt_no_ports, -EINVAL, SADB_X_EXT_NAT_T_SPORT,
	    "NAT-T extensions incomplete"),
	SHAPE(bad_mapping_no_dport, -EINVAL, SADB_X_EXT_NAT_T_DPORT,
	    "required extension missing"),
	BAD(bad_spdadd_request_len, -EINVAL, SADB_X_EXT_POLICY,
	    "malformed extension"),
	BAD(bad_duplicate, -EINVAL, SADB_X_EXT_POLICY, "extension twice"),
	BAD(bad_unknown_ext, -EINVAL, SADB_EXT_MAX + 1, "unknown extension type"),
};

/* Parses an exact-size heap copy, so that ASan sees any overread. */
static int parse_out(struct mb *b, enum kame_out_mode mode, struct kame_msg *m,
		     const char **why)
{
	__u8 *copy;
	int err;

	mb_done(b);
	copy = malloc(b->len);
	if (!copy)
		abort();
	memcpy(copy, b->buf, b->len);
	err = kame_msg_parse_out(copy, b->len, m, mode, why);
	free(copy);
	/* Again in place: the pointers the caller looks at. */
	if (err != kame_msg_parse_out(b->buf, b->len, m, mode, why))
		abort();
	return err;
}

/* Every case in both modes: STRICT as the table says, ANY takes SHAPEs. */
TEST(every_case_of_the_table)
{
	unsigned int i, t, mode;

	for (i = 0; i < 2 * sizeof(cases) / sizeof(cases[0]); i++) {
		const struct out_case *c = &cases[i / 2];
		const char *why = "unset";
		struct kame_msg m;
		struct mb b;
		int err, want;

		mode = i % 2 ? KAME_OUT_ANY : KAME_OUT_STRICT;
		want = mode == KAME_OUT_ANY && c->shape ? 0 : c->err;
		c->build(&b);
		err = parse_out(&b, mode, &m, &why);
		ASSERT_EQ(want, err) TH_LOG("%s (mode %u): %s", c->name, mode,
					    why ?: "");
		if (want) {
			EXPECT_EQ(c->err_ext, m.err_ext) TH_LOG("%s", c->name);
			ASSERT_NE(NULL, why) TH_LOG("%s", c->name);
			EXPECT_STREQ(c->why, why) TH_LOG("%s", c->name);
			continue;
		}
		EXPECT_NULL(why) TH_LOG("%s", c->name);
		if (c->opaque) {
			EXPECT_EQ(0U, m.present) TH_LOG("%s", c->name);
			EXPECT_EQ(b.len - sizeof(struct sadb_msg), m.payload_len);
			EXPECT_EQ((const void *)(b.buf + sizeof(struct sadb_msg)),
				  m.payload);
			continue;
		}
		/* Every extension built is found where it was put. */
		EXPECT_EQ(b.present, m.present) TH_LOG("%s (mode %u)", c->name, mode);
		for (t = 1; t <= SADB_EXT_MAX; t++)
			if (b.present & KAME_EXT_BIT(t))
				EXPECT_EQ((const void *)(b.buf + b.off[t]),
					  (const void *)m.ext[t]);
	}
}

/* Every type the table does not mark NOKERNEL has a case that parses. */
TEST(every_type_the_kernel_sends_has_a_valid_case)
{
	unsigned int type, i;

	for (type = 1; type <= SADB_MAX; type++) {
		bool seen = false;

		if (kame_msg_specs_out[type].flags & KAME_MT_NOKERNEL)
			continue;
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct mb b;

			if (cases[i].err)
				continue;
			cases[i].build(&b);
			if (hdr(&b)->sadb_msg_type == type && !hdr(&b)->sadb_msg_errno)
				seen = true;
		}
		EXPECT_TRUE(seen) TH_LOG("type %s", kame_msg_type_name(type));
	}
}

/* A type's required extensions are among those it may carry. */
TEST(required_is_a_subset_of_allowed)
{
	unsigned int type;

	for (type = 0; type <= SADB_MAX; type++) {
		const struct kame_msg_spec *s = &kame_msg_specs_out[type];

		EXPECT_EQ(s->required, s->required & s->allowed)
			TH_LOG("type %s", kame_msg_type_name(type));
	}
}

TEST(framing_errors_leave_no_header)
{
	struct kame_msg m;
	const char *why;
	struct mb b;

	k_flush(&b);
	mb_done(&b);
	EXPECT_EQ(-EINVAL, kame_msg_parse_out(b.buf, 8, &m, KAME_OUT_ANY, &why));
	EXPECT_NULL(m.hdr);
	EXPECT_STREQ("framing", why);
	EXPECT_EQ(-EINVAL, kame_msg_parse_out(b.buf, b.len + 8, &m,
					      KAME_OUT_STRICT, NULL));
	EXPECT_EQ(-EINVAL, kame_msg_parse_out(NULL, 16, &m, KAME_OUT_ANY, NULL));
}

TEST(names)
{
	EXPECT_STREQ("X_SPDDUMP", kame_msg_type_name(SADB_X_SPDDUMP));
	EXPECT_STREQ("?", kame_msg_type_name(SADB_MAX + 1));
	EXPECT_STREQ("KEY_ENCRYPT", kame_ext_type_name(SADB_EXT_KEY_ENCRYPT));
	EXPECT_STREQ("X_FILTER", kame_ext_type_name(SADB_X_EXT_FILTER));
	EXPECT_STREQ("?", kame_ext_type_name(SADB_EXT_MAX + 1));
}

/* ---- kame_msg_index(): structure only (libipsec's pfkey_align) ---- */

TEST(index_takes_any_type_and_content)
{
	struct kame_msg m;
	struct mb b;

	bad_add_keys(&b);		/* not allowed in an ADD from the kernel */
	hdr(&b)->sadb_msg_type = SADB_X_PCHANGE;
	((struct sadb_address *)(b.buf + b.off[SADB_EXT_ADDRESS_DST]))
		->sadb_address_prefixlen = 200;
	mb_done(&b);
	ASSERT_EQ(0, kame_msg_index(b.buf, b.len, &m));
	EXPECT_EQ(b.present, m.present);
	EXPECT_EQ((const void *)(b.buf + b.off[SADB_EXT_KEY_ENCRYPT]),
		  (const void *)m.ext[SADB_EXT_KEY_ENCRYPT]);
}

TEST(index_refuses_broken_structure)
{
	struct kame_msg m;
	struct mb b;

	bad_ext_short(&b);		/* SA of 8 bytes: below its 16 */
	mb_done(&b);
	EXPECT_EQ(-EINVAL, kame_msg_index(b.buf, b.len, &m));
	EXPECT_EQ(SADB_EXT_SA, m.err_ext);

	bad_duplicate(&b);
	mb_done(&b);
	EXPECT_EQ(-EINVAL, kame_msg_index(b.buf, b.len, &m));
	EXPECT_NE(NULL, m.ext[SADB_X_EXT_POLICY]);

	bad_unknown_ext(&b);
	mb_done(&b);
	EXPECT_EQ(-EINVAL, kame_msg_index(b.buf, b.len, &m));

	bad_ext_overrun(&b);
	mb_done(&b);
	EXPECT_EQ(-EINVAL, kame_msg_index(b.buf, b.len, &m));
}

TEST_HARNESS_MAIN
