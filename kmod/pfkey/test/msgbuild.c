// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

#include "msgbuild.h"

/* libipsec's builder (user/libipsec/pfkey_build.c) writes the messages. */

static void die(const char *what)
{
	fprintf(stderr, "msgbuild: %s\n", what);
	abort();
}

void mb_init(struct mb *b, __u8 type, __u8 satype)
{
	memset(b, 0, sizeof(*b));
	pfkey_mb_init_buf(&b->pm, b->buf, sizeof(b->buf), type, satype, 7, 4242);
	b->len = b->pm.len;
}

/*
 * Every helper runs libipsec's builder from b->len (mb_raw() and the tests
 * move it) and returns what it appended, in place in b->buf.
 */
static void *begin(struct mb *b)
{
	b->pm.len = b->len;
	return b->buf + b->len;
}

static void *end(struct mb *b, void *start)
{
	if (b->pm.err)
		die("message too long or builder error");
	b->len = b->pm.len;
	return start;
}

void *mb_raw(struct mb *b, size_t bytes)
{
	void *p;

	if (b->len + bytes > sizeof(b->buf))
		die("message too long");
	p = b->buf + b->len;
	memset(p, 0, bytes);
	b->len += bytes;
	b->pol = NULL;
	return p;
}

/* Records where extension @exttype starts (tests corrupt it there). */
static void *note(struct mb *b, __u16 exttype, void *e)
{
	if (exttype <= SADB_EXT_MAX) {
		b->present |= KAME_EXT_BIT(exttype);
		b->off[exttype] = (__u8 *)e - b->buf;
	}
	b->pol = NULL;
	return e;
}

void *mb_ext(struct mb *b, __u16 exttype, size_t bytes)
{
	void *e = begin(b);

	pfkey_mb_ext(&b->pm, exttype, bytes, NULL, 0);
	return note(b, exttype, end(b, e));
}

size_t mb_done(struct mb *b)
{
	((struct sadb_msg *)b->buf)->sadb_msg_len = b->len / 8;
	return b->len;
}

size_t mb_sockaddr(const char *addr, __u16 port, void *out)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		memcpy(out, &sin, sizeof(sin));
		return sizeof(sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(port);
		memcpy(out, &sin6, sizeof(sin6));
		return sizeof(sin6);
	}
	die("bad address literal");
	return 0;
}

struct sadb_address *mb_addr(struct mb *b, __u16 exttype, const char *addr,
			     __u8 prefixlen, __u8 proto)
{
	struct sockaddr_storage sa;
	void *a;

	memset(&sa, 0, sizeof(sa));
	mb_sockaddr(addr, 500, &sa);
	a = begin(b);
	pfkey_mb_address(&b->pm, exttype, (struct sockaddr *)&sa, prefixlen,
			 proto);
	return note(b, exttype, end(b, a));
}

struct sadb_sa *mb_sa(struct mb *b, __u32 spi, __u8 auth, __u8 enc)
{
	void *sa = begin(b);

	pfkey_mb_sa(&b->pm, spi, 32, SADB_SASTATE_MATURE, auth, enc, 0);
	return note(b, SADB_EXT_SA, end(b, sa));
}

struct sadb_x_sa2 *mb_sa2(struct mb *b, __u8 mode, __u32 reqid)
{
	void *sa2 = begin(b);

	pfkey_mb_sa2(&b->pm, mode, reqid, 0);
	return note(b, SADB_X_EXT_SA2, end(b, sa2));
}

struct sadb_lifetime *mb_lifetime(struct mb *b, __u16 exttype, __u64 addtime)
{
	void *lt = begin(b);

	pfkey_mb_lifetime(&b->pm, exttype, 0, 0, addtime, 0);
	return note(b, exttype, end(b, lt));
}

struct sadb_key *mb_key(struct mb *b, __u16 exttype, __u16 bits)
{
	__u8 key[(0xffff + 7) / 8];
	size_t bytes = (bits + 7) / 8, i;
	struct sadb_key *k = begin(b);

	for (i = 0; i < bytes; i++)
		key[i] = (__u8)(0xa0 + i);
	pfkey_mb_key(&b->pm, exttype, key, bytes);
	note(b, exttype, end(b, k));
	k->sadb_key_bits = bits;	/* not always whole bytes */
	return k;
}

struct sadb_ident *mb_ident(struct mb *b, __u16 exttype, __u16 type, const char *s)
{
	struct sadb_ident *id = begin(b);

	pfkey_mb_ext(&b->pm, exttype, sizeof(*id), s, s ? strlen(s) + 1 : 0);
	note(b, exttype, end(b, id));
	id->sadb_ident_type = type;
	return id;
}

struct sadb_spirange *mb_spirange(struct mb *b, __u32 min, __u32 max)
{
	void *r = begin(b);

	pfkey_mb_spirange(&b->pm, min, max);
	return note(b, SADB_EXT_SPIRANGE, end(b, r));
}

void mb_natt(struct mb *b, __u8 type, __u16 sport, __u16 dport)
{
	__u8 *t = begin(b);

	pfkey_mb_nat_t(&b->pm, type, sport, dport);
	end(b, t);
	note(b, SADB_X_EXT_NAT_T_TYPE, t);
	note(b, SADB_X_EXT_NAT_T_SPORT, t + sizeof(struct sadb_x_nat_t_type));
	note(b, SADB_X_EXT_NAT_T_DPORT, t + sizeof(struct sadb_x_nat_t_type) +
	     sizeof(struct sadb_x_nat_t_port));
}

struct sadb_prop *mb_prop(struct mb *b, unsigned int ncombs)
{
	struct sadb_prop *p = mb_ext(b, SADB_EXT_PROPOSAL,
				     sizeof(*p) + ncombs * sizeof(struct sadb_comb));
	struct sadb_comb *c = (struct sadb_comb *)(p + 1);
	unsigned int i;

	p->sadb_prop_replay = 32;
	for (i = 0; i < ncombs; i++) {
		c[i].sadb_comb_auth = SADB_AALG_SHA1HMAC;
		c[i].sadb_comb_encrypt = SADB_X_EALG_AESCBC;
		c[i].sadb_comb_encrypt_minbits = 128;
		c[i].sadb_comb_encrypt_maxbits = 256;
		c[i].sadb_comb_hard_addtime = 86400;
		c[i].sadb_comb_soft_addtime = 72000;
	}
	return p;
}

struct sadb_x_filter *mb_filter(struct mb *b, __u16 family, __u8 splen, __u8 dplen)
{
	struct sadb_x_filter *f = mb_ext(b, SADB_X_EXT_FILTER, sizeof(*f));

	f->sadb_x_filter_family = family;
	f->sadb_x_filter_splen = splen;
	f->sadb_x_filter_dplen = dplen;
	return f;
}

struct sadb_x_policy *mb_policy(struct mb *b, __u16 type, __u8 dir, __u32 id)
{
	struct sadb_x_policy *pol = mb_ext(b, SADB_X_EXT_POLICY, sizeof(*pol));

	pol->sadb_x_policy_type = type;
	pol->sadb_x_policy_dir = dir;
	pol->sadb_x_policy_id = id;
	pol->sadb_x_policy_priority = 0x80000000u;
	b->pol = pol;
	return pol;
}

struct sadb_x_ipsecrequest *mb_ipsecreq(struct mb *b, __u16 proto, __u8 mode,
					__u8 level, __u32 reqid,
					const char *src, const char *dst)
{
	struct sockaddr_storage sa[2];
	struct sadb_x_policy *pol = b->pol;
	void *rq;

	memset(sa, 0, sizeof(sa));
	if (src)
		mb_sockaddr(src, 0, &sa[0]);
	if (dst)
		mb_sockaddr(dst, 0, &sa[1]);
	if (!pol)
		die("request must follow a policy");
	rq = begin(b);
	b->pm.last = (__u8 *)pol - b->buf;
	pfkey_mb_ipsecreq(&b->pm, proto, mode, level, reqid,
			  src ? (struct sockaddr *)&sa[0] : NULL,
			  dst ? (struct sockaddr *)&sa[1] : NULL);
	end(b, rq);
	return rq;
}

/* ---- The catalogue of valid messages ---- */

static void v_getspi4(struct mb *b)
{
	mb_init(b, SADB_GETSPI, SADB_SATYPE_ESP);
	mb_sa2(b, IPSEC_MODE_ANY, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, IPSEC_ULPROTO_ANY);
	mb_spirange(b, 0x100, 0x0fffffff);
}

static void v_getspi6_natt(struct mb *b)
{
	mb_init(b, SADB_GETSPI, SADB_SATYPE_ESP);
	mb_sa2(b, IPSEC_MODE_TUNNEL, 5);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "2001:db8::1", 128, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "2001:db8::2", 128, IPSEC_ULPROTO_ANY);
	mb_natt(b, UDP_ENCAP_ESPINUDP, 4500, 4500);
}

static void v_getspi_ipcomp(struct mb *b)
{
	mb_init(b, SADB_GETSPI, SADB_X_SATYPE_IPCOMP);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, IPSEC_ULPROTO_ANY);
	mb_spirange(b, 0x100, 0xffff);
}

static void v_update_full(struct mb *b)
{
	mb_init(b, SADB_UPDATE, SADB_SATYPE_ESP);
	mb_sa(b, 0x1234, SADB_X_AALG_SHA2_256HMAC, SADB_X_EALG_AESCBC);
	mb_sa2(b, IPSEC_MODE_TRANSPORT, 1);
	mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 3600);
	mb_lifetime(b, SADB_EXT_LIFETIME_SOFT, 2880);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, IPSEC_ULPROTO_ANY);
	mb_key(b, SADB_EXT_KEY_AUTH, 256);
	mb_key(b, SADB_EXT_KEY_ENCRYPT, 128);
	mb_ident(b, SADB_EXT_IDENTITY_SRC, SADB_IDENTTYPE_FQDN, "left.example");
	mb_ident(b, SADB_EXT_IDENTITY_DST, SADB_IDENTTYPE_USERFQDN, "r@example.org");
	mb_natt(b, UDP_ENCAP_ESPINUDP, 4500, 4501);
	mb_addr(b, SADB_X_EXT_NAT_T_OA, "10.0.0.1", 32, 0);
}

static void v_add_esp4(struct mb *b)
{
	mb_init(b, SADB_ADD, SADB_SATYPE_ESP);
	mb_sa(b, 0x10001, SADB_AALG_SHA1HMAC, SADB_EALG_3DESCBC);
	mb_sa2(b, IPSEC_MODE_ANY, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, IPSEC_ULPROTO_ANY);
	mb_key(b, SADB_EXT_KEY_AUTH, 160);
	mb_key(b, SADB_EXT_KEY_ENCRYPT, 192);
}

static void v_add_ah6(struct mb *b)
{
	mb_init(b, SADB_ADD, SADB_SATYPE_AH);
	mb_sa(b, 0x20002, SADB_X_AALG_SHA2_512HMAC, SADB_EALG_NONE);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "fe80::1", 128, IPPROTO_TCP);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "fe80::2", 128, IPPROTO_TCP);
	mb_key(b, SADB_EXT_KEY_AUTH, 512);
}

static void v_add_ipcomp(struct mb *b)
{
	mb_init(b, SADB_ADD, SADB_X_SATYPE_IPCOMP);
	mb_sa(b, 0x4001, 0, SADB_X_CALG_DEFLATE);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, IPSEC_ULPROTO_ANY);
}

static void v_delete(struct mb *b)
{
	mb_init(b, SADB_DELETE, SADB_SATYPE_ESP);
	mb_sa(b, 0x10001, 0, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, IPSEC_ULPROTO_ANY);
}

static void v_deleteall(struct mb *b)
{
	mb_init(b, SADB_DELETE, SADB_SATYPE_AH);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "2001:db8::1", 128, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "2001:db8::2", 128, IPSEC_ULPROTO_ANY);
}

static void v_get(struct mb *b)
{
	mb_init(b, SADB_GET, SADB_SATYPE_ESP);
	mb_sa(b, 0x10001, 0, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, IPSEC_ULPROTO_ANY);
}

static void v_acquire_error(struct mb *b)
{
	mb_init(b, SADB_ACQUIRE, SADB_SATYPE_ESP);
	((struct sadb_msg *)b->buf)->sadb_msg_errno = EINVAL;
}

static void v_acquire(struct mb *b)
{
	mb_init(b, SADB_ACQUIRE, SADB_SATYPE_ESP);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, IPSEC_ULPROTO_ANY);
	mb_prop(b, 2);
}

static void v_register(struct mb *b)
{
	mb_init(b, SADB_REGISTER, SADB_SATYPE_ESP);
}

static void v_register_unspec(struct mb *b)
{
	mb_init(b, SADB_REGISTER, SADB_SATYPE_UNSPEC);
}

static void v_flush(struct mb *b)
{
	mb_init(b, SADB_FLUSH, SADB_SATYPE_UNSPEC);
}

static void v_dump(struct mb *b)
{
	mb_init(b, SADB_DUMP, SADB_SATYPE_ESP);
}

static void v_dump_filter(struct mb *b)
{
	mb_init(b, SADB_DUMP, SADB_SATYPE_UNSPEC);
	mb_filter(b, AF_INET6, 64, 128);
}

static void v_promisc_on(struct mb *b)
{
	mb_init(b, SADB_X_PROMISC, 1);
}

static void v_promisc_payload(struct mb *b)
{
	struct sadb_msg *inner;

	mb_init(b, SADB_X_PROMISC, SADB_SATYPE_UNSPEC);
	inner = mb_raw(b, sizeof(*inner));
	inner->sadb_msg_version = PF_KEY_V2;
	inner->sadb_msg_type = SADB_FLUSH;
	inner->sadb_msg_len = 2;
}

static void spd_selector4(struct mb *b)
{
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.0.1.0", 24, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.0.2.0", 24, IPSEC_ULPROTO_ANY);
}

static void v_spdadd_transport(struct mb *b)
{
	mb_init(b, SADB_X_SPDADD, SADB_SATYPE_UNSPEC);
	spd_selector4(b);
	mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 0);
	mb_policy(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0);
	mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0,
		    NULL, NULL);
	mb_ipsecreq(b, IPPROTO_AH, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_UNIQUE, 7,
		    NULL, NULL);
}

static void v_spdadd_tunnel4(struct mb *b)
{
	mb_init(b, SADB_X_SPDADD, SADB_SATYPE_UNSPEC);
	spd_selector4(b);
	mb_policy(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_FWD, 0);
	mb_ipsecreq(b, IPPROTO_COMP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_USE, 0,
		    "192.0.2.1", "192.0.2.2");
	mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE, 0,
		    "192.0.2.1", "192.0.2.2");
}

static void v_spdupdate_tunnel6(struct mb *b)
{
	mb_init(b, SADB_X_SPDUPDATE, SADB_SATYPE_UNSPEC);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "2001:db8:1::", 48, IPPROTO_ICMPV6);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "2001:db8:2::", 48, IPPROTO_ICMPV6);
	mb_policy(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND, 0);
	mb_ipsecreq(b, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_DEFAULT, 0,
		    "2001:db8::a", "2001:db8::b");
}

static void v_spdadd_discard(struct mb *b)
{
	mb_init(b, SADB_X_SPDADD, SADB_SATYPE_UNSPEC);
	spd_selector4(b);
	mb_policy(b, IPSEC_POLICY_DISCARD, IPSEC_DIR_INBOUND, 0);
}

static void v_spddelete(struct mb *b)
{
	mb_init(b, SADB_X_SPDDELETE, SADB_SATYPE_UNSPEC);
	spd_selector4(b);
	mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 0);
	mb_policy(b, IPSEC_POLICY_NONE, IPSEC_DIR_OUTBOUND, 0);
}

static void v_spdget(struct mb *b)
{
	mb_init(b, SADB_X_SPDGET, SADB_SATYPE_UNSPEC);
	mb_policy(b, IPSEC_POLICY_DISCARD, IPSEC_DIR_ANY, 17);
}

static void v_spddump(struct mb *b)
{
	mb_init(b, SADB_X_SPDDUMP, SADB_SATYPE_UNSPEC);
}

static void v_spdflush(struct mb *b)
{
	mb_init(b, SADB_X_SPDFLUSH, SADB_SATYPE_UNSPEC);
}

static void v_spdsetidx(struct mb *b)
{
	mb_init(b, SADB_X_SPDSETIDX, SADB_SATYPE_UNSPEC);
	spd_selector4(b);
	mb_policy(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0);
}

static void v_spddelete2(struct mb *b)
{
	mb_init(b, SADB_X_SPDDELETE2, SADB_SATYPE_UNSPEC);
	mb_policy(b, IPSEC_POLICY_DISCARD, IPSEC_DIR_ANY, 18);
}

static void v_add_proxy_sens(struct mb *b)
{
	struct sadb_sens *sens;

	mb_init(b, SADB_ADD, SADB_SATYPE_ESP);
	mb_sa(b, 0x30003, SADB_X_AALG_SHA2_384HMAC, SADB_X_EALG_AES_GCM_ICV16);
	mb_sa2(b, IPSEC_MODE_TUNNEL, 0x3fff);
	mb_lifetime(b, SADB_EXT_LIFETIME_CURRENT, 0);
	mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 0);
	mb_lifetime(b, SADB_EXT_LIFETIME_SOFT, 0);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "198.51.100.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "198.51.100.2", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_PROXY, "198.51.100.3", 32, 0);
	mb_key(b, SADB_EXT_KEY_ENCRYPT, 288);
	sens = mb_ext(b, SADB_EXT_SENSITIVITY, sizeof(*sens) + 2 * 8);
	sens->sadb_sens_sens_len = 1;
	sens->sadb_sens_integ_len = 1;
}

static void v_get_natt(struct mb *b)
{
	struct sadb_x_nat_t_port *p;

	mb_init(b, SADB_GET, SADB_SATYPE_ESP);
	mb_sa(b, 0x10001, 0, 0);
	mb_sa2(b, IPSEC_MODE_ANY, 3);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "10.1.1.1", 32, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "10.2.2.2", 32, IPSEC_ULPROTO_ANY);
	p = mb_ext(b, SADB_X_EXT_NAT_T_DPORT, sizeof(*p));
	p->sadb_x_nat_t_port_port = htons(4500);
}

static void v_acquire_full(struct mb *b)
{
	struct sadb_x_sec_ctx *ctx;

	mb_init(b, SADB_ACQUIRE, SADB_SATYPE_AH);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "2001:db8::1", 128, IPPROTO_TCP);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "2001:db8::2", 128, IPPROTO_TCP);
	mb_addr(b, SADB_EXT_ADDRESS_PROXY, "2001:db8::3", 128, 0);
	mb_ident(b, SADB_EXT_IDENTITY_SRC, SADB_IDENTTYPE_PREFIX, "2001:db8::/64");
	mb_ident(b, SADB_EXT_IDENTITY_DST, SADB_IDENTTYPE_FQDN, "peer");
	ctx = mb_ext(b, SADB_X_EXT_SEC_CTX, sizeof(*ctx) + 11);
	ctx->sadb_x_ctx_alg = 1;
	ctx->sadb_x_ctx_len = 11;
	memcpy(ctx + 1, "system_u:r", 11);
	mb_prop(b, 1);
	mb_policy(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 42);
	mb_ipsecreq(b, IPPROTO_AH, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0,
		    NULL, NULL);
}

static void v_spdadd_six_requests(struct mb *b)
{
	static const __u16 protos[] = { IPPROTO_COMP, IPPROTO_AH, IPPROTO_ESP };
	unsigned int i;

	mb_init(b, SADB_X_SPDADD, SADB_SATYPE_UNSPEC);
	mb_addr(b, SADB_EXT_ADDRESS_SRC, "2001:db8:1::", 48, IPSEC_ULPROTO_ANY);
	mb_addr(b, SADB_EXT_ADDRESS_DST, "2001:db8:2::", 48, IPSEC_ULPROTO_ANY);
	mb_lifetime(b, SADB_EXT_LIFETIME_HARD, 600);
	mb_lifetime(b, SADB_EXT_LIFETIME_SOFT, 480);
	mb_policy(b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0);
	for (i = 0; i < KAME_SP_MAXREQ; i++) {
		if (i % 2)
			mb_ipsecreq(b, protos[i % 3], IPSEC_MODE_TUNNEL,
				    IPSEC_LEVEL_UNIQUE, 100 + i, "192.0.2.1", "192.0.2.2");
		else
			mb_ipsecreq(b, protos[i % 3], IPSEC_MODE_TUNNEL,
				    IPSEC_LEVEL_USE, 0, "2001:db8::a", "2001:db8::b");
	}
}

#define V(fn)	{ &(#fn)[2], fn }

const struct kt_valid kt_valid_msgs[] = {
	V(v_getspi4), V(v_getspi6_natt), V(v_getspi_ipcomp), V(v_update_full),
	V(v_add_esp4), V(v_add_ah6), V(v_add_ipcomp), V(v_delete), V(v_deleteall),
	V(v_get), V(v_acquire_error), V(v_acquire), V(v_register),
	V(v_register_unspec), V(v_flush), V(v_dump), V(v_dump_filter),
	V(v_promisc_on), V(v_promisc_payload), V(v_spdadd_transport),
	V(v_spdadd_tunnel4), V(v_spdupdate_tunnel6), V(v_spdadd_discard),
	V(v_spddelete), V(v_spdget), V(v_spddump), V(v_spdflush), V(v_spdsetidx),
	V(v_spddelete2), V(v_add_proxy_sens), V(v_get_natt), V(v_acquire_full),
	V(v_spdadd_six_requests),
};
const unsigned int kt_nvalid = sizeof(kt_valid_msgs) / sizeof(kt_valid_msgs[0]);

/* ---- Invariants of a successful parse ---- */

static bool inside(const void *p, size_t n, const __u8 *buf, size_t len)
{
	const __u8 *q = p;

	return q >= buf && q <= buf + len && n <= (size_t)(buf + len - q);
}

static size_t sa_size(__u16 family)
{
	return family == AF_INET ? sizeof(struct sockaddr_in) :
	       family == AF_INET6 ? sizeof(struct sockaddr_in6) : 0;
}

static const char *check_requests(const __u8 *buf, size_t len, const struct kame_msg *m)
{
	const struct sadb_x_policy *pol = kame_msg_policy(m);
	struct kame_ipsecreq_iter it;
	struct kame_ipsecreq r;
	size_t total = sizeof(*pol);
	unsigned int n = 0;

	kame_ipsecreq_iter_init(&it, m);
	while (kame_ipsecreq_next(&it, &r)) {
		size_t rqlen = r.req->sadb_x_ipsecrequest_len;

		if (!inside(r.req, rqlen, buf, len))
			return "request outside the buffer";
		if (r.proto != IPPROTO_ESP && r.proto != IPPROTO_AH &&
		    r.proto != IPPROTO_COMP)
			return "request with a bad proto";
		if (r.mode != IPSEC_MODE_TRANSPORT && r.mode != IPSEC_MODE_TUNNEL)
			return "request with a bad mode";
		if (r.level > IPSEC_LEVEL_UNIQUE)
			return "request with a bad level";
		if (r.mode == IPSEC_MODE_TUNNEL && !r.src)
			return "tunnel request without endpoints";
		if (r.src) {
			__u16 df;

			if (!sa_size(r.family))
				return "request endpoint family";
			memcpy(&df, r.dst, sizeof(df));
			if (df != r.family)
				return "request endpoints of two families";
			if (!inside(r.dst, sa_size(r.family), (const __u8 *)r.req, rqlen))
				return "request endpoint outside the request";
		}
		total += rqlen;
		n++;
	}
	if (pol && total != (size_t)pol->sadb_x_policy_len * 8)
		return "requests do not fill the policy";
	if (n != m->nreq || n > KAME_SP_MAXREQ)
		return "request count";
	return NULL;
}

static const char *check_addrs(const __u8 *buf, size_t len, const struct kame_msg *m)
{
	static const unsigned int types[] = {
		SADB_EXT_ADDRESS_SRC, SADB_EXT_ADDRESS_DST, SADB_EXT_ADDRESS_PROXY,
		SADB_X_EXT_NAT_T_OA,
	};
	unsigned int i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const struct sadb_address *a = kame_msg_addr_ext(m, types[i]);
		const struct sockaddr *sa;
		__u16 family = 0;

		sa = kame_msg_addr(m, types[i], &family);
		if (!a != !sa)
			return "address helpers disagree";
		if (!sa)
			continue;
		if (!sa_size(family))
			return "address family";
		if (!inside(sa, sa_size(family), buf, len))
			return "sockaddr outside the buffer";
		if (a->sadb_address_prefixlen > kame_family_bits(family))
			return "prefixlen";
	}
	return NULL;
}

const char *kt_check_parsed(const void *vbuf, size_t len, const struct kame_msg *m)
{
	const __u8 *buf = vbuf;
	size_t covered = sizeof(struct sadb_msg);
	unsigned int t;
	const __u8 *key;
	size_t kbytes;
	unsigned int kbits, n;
	__u16 idtype;
	const char *s;

	if (m->hdr != vbuf)
		return "hdr is not the buffer";
	if (m->ext[0])
		return "ext[0] set";
	for (t = 1; t <= SADB_EXT_MAX; t++) {
		const struct sadb_ext *e = m->ext[t];

		if (!e != !(m->present & KAME_EXT_BIT(t)))
			return "present bitmap disagrees with ext[]";
		if (!e)
			continue;
		if (!inside(e, sizeof(*e), buf, len) ||
		    !inside(e, (size_t)e->sadb_ext_len * 8, buf, len))
			return "extension outside the buffer";
		if (e->sadb_ext_type != t)
			return "extension under the wrong index";
		if (((const __u8 *)e - buf) % 8)
			return "extension not 8-byte aligned in the message";
		covered += (size_t)e->sadb_ext_len * 8;
	}
	if (m->payload) {
		if (m->present || m->payload != buf + sizeof(struct sadb_msg) ||
		    m->payload_len != len - sizeof(struct sadb_msg))
			return "promisc payload";
		covered += m->payload_len;
	}
	if (covered != len)
		return "extensions do not cover the message exactly";
	if (m->err_ext)
		return "err_ext set on success";

	for (t = SADB_EXT_KEY_AUTH; t <= SADB_EXT_KEY_ENCRYPT; t++) {
		key = kame_msg_key(m, t, &kbits, &kbytes);
		if (key && !inside(key, kbytes, (const __u8 *)m->ext[t],
				   (size_t)m->ext[t]->sadb_ext_len * 8))
			return "key outside its extension";
	}
	for (t = SADB_EXT_IDENTITY_SRC; t <= SADB_EXT_IDENTITY_DST; t++) {
		s = kame_msg_ident(m, t, &idtype);
		if (s && *s && !inside(s, strlen(s) + 1, (const __u8 *)m->ext[t],
				       (size_t)m->ext[t]->sadb_ext_len * 8))
			return "identity string not terminated inside its extension";
	}
	if (kame_msg_combs(m, &n) && !inside(kame_msg_combs(m, NULL),
					     n * sizeof(struct sadb_comb), buf, len))
		return "combs outside the buffer";
	for (t = SADB_X_EXT_NAT_T_SPORT; t <= SADB_X_EXT_NAT_T_DPORT; t++) {
		__be16 port;

		if (kame_msg_natt_port(m, t, &port) != !!m->ext[t])
			return "NAT-T port helper disagrees";
	}
	for (t = SADB_EXT_LIFETIME_CURRENT; t <= SADB_EXT_LIFETIME_SOFT; t++) {
		if ((const void *)kame_msg_lifetime(m, t) != (const void *)m->ext[t])
			return "lifetime helper disagrees";
	}
	if ((const void *)kame_msg_sa(m) != (const void *)m->ext[SADB_EXT_SA] ||
	    (const void *)kame_msg_sa2(m) != (const void *)m->ext[SADB_X_EXT_SA2])
		return "SA helpers disagree";
	s = check_addrs(buf, len, m);
	if (s)
		return s;
	return check_requests(buf, len, m);
}
