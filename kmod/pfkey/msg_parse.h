/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * PF_KEY v2 message validation: one table-driven pass over a message written
 * to a PF_KEY socket, run before any handler. After kame_msg_parse() returns
 * 0 every length, offset, sockaddr and ipsecrequest in the message has been
 * checked, so handlers read the extensions through struct kame_msg without
 * further bounds checks.
 *
 * The code is kernel-independent (see portable.h): no allocation, no
 * mutable globals, no recursion; it may run in any context.
 *
 * Alignment: the parser itself reads the buffer byte-wise, whatever its
 * alignment. Every extension starts at a multiple of 8 from the buffer, so
 * pointers returned by the helpers below may be dereferenced directly when
 * the buffer is 8-byte aligned (skb data is).
 */
#ifndef KAME_PFKEY_MSG_PARSE_H
#define KAME_PFKEY_MSG_PARSE_H

#include "portable.h"
#include "../sp_limits.h"

#define KAME_EXT_BIT(t)		(1U << (t))

/* Largest sadb_x_ctx_len accepted in SADB_X_EXT_SEC_CTX (a page, as Linux). */
#define KAME_SEC_CTX_MAX	4096

/* Bits in an address of @family (AF_INET or AF_INET6): a full prefix. */
static inline unsigned int kame_family_bits(__u16 family)
{
	return family == AF_INET ? 32 : 128;
}

struct kame_msg {
	/*
	 * Set once the buffer is framed (at least 16 bytes and
	 * sadb_msg_len * 8 == length). On error with hdr == NULL the write
	 * itself fails; with hdr != NULL the error goes into an error reply.
	 */
	const struct sadb_msg *hdr;
	/* ext[t]: the extension of type t, or NULL; ext[0] is always NULL. */
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	__u32 present;		/* KAME_EXT_BIT(t) for every ext[t] != NULL */
	/* SADB_X_PROMISC longer than 16 bytes: the opaque payload after hdr. */
	const void *payload;
	size_t payload_len;
	__u16 family;		/* AF_INET/AF_INET6 of ADDRESS_SRC, else 0 */
	__u8 nreq;		/* ipsecrequests in SADB_X_EXT_POLICY */
	/* On error: the extension type being checked, or 0 for the header. */
	__u16 err_ext;
};

int kame_msg_parse(const void *buf, size_t len, struct kame_msg *m);

/*
 * The other direction, for userland (msg_out.c, not built into the module):
 * a message the kernel sent. KAME_OUT_ANY, what any PF_KEY v2 kernel sends
 * (kameipsec, Linux af_key, a BSD): framing, header, then every extension's
 * type, bounds and content checked as kame_msg_parse() does, and the
 * addresses' families; what a type carries is left to the reader (setkey,
 * racoon-lite). KAME_OUT_STRICT adds kameipsec's own shapes
 * (kame_msg_specs_out: extensions allowed and required per type, satype,
 * NAT-T all or none): the selftests read every reply so.
 * An error reply (sadb_msg_errno != 0) and X_PROMISC carry a message as it
 * was written: only their header is checked, the rest is m->payload.
 * Returns 0 or -EINVAL/-EAFNOSUPPORT/..., m->err_ext naming the extension
 * and, if @why is not NULL, *why saying what was wrong in a few words.
 */
enum kame_out_mode {
	KAME_OUT_ANY,
	KAME_OUT_STRICT,
};

int kame_msg_parse_out(const void *buf, size_t len, struct kame_msg *m,
		       enum kame_out_mode mode, const char **why);

/*
 * Structure only, any message type: framing, then each extension's type,
 * length (at least its fixed part) and uniqueness. libipsec's pfkey_align().
 */
int kame_msg_index(const void *buf, size_t len, struct kame_msg *m);

/* "ADD", "X_SPDDUMP"; "KEY_AUTH", "X_NAT_T_OA" ("?" if out of range). */
const char *kame_msg_type_name(unsigned int type);
const char *kame_ext_type_name(unsigned int type);

/* True if message type @type is ever accepted from userland. */
bool kame_msg_type_from_user(unsigned int type);

/* Typed views of a parsed message's extensions (NULL when absent). */
static inline const struct sadb_sa *kame_msg_sa(const struct kame_msg *m)
{
	return (const struct sadb_sa *)m->ext[SADB_EXT_SA];
}

static inline const struct sadb_x_sa2 *kame_msg_sa2(const struct kame_msg *m)
{
	return (const struct sadb_x_sa2 *)m->ext[SADB_X_EXT_SA2];
}

static inline const struct sadb_lifetime *
kame_msg_lifetime(const struct kame_msg *m, unsigned int exttype)
{
	if (exttype != SADB_EXT_LIFETIME_CURRENT &&
	    exttype != SADB_EXT_LIFETIME_HARD &&
	    exttype != SADB_EXT_LIFETIME_SOFT)
		return NULL;
	return (const struct sadb_lifetime *)m->ext[exttype];
}

static inline const struct sadb_x_policy *
kame_msg_policy(const struct kame_msg *m)
{
	return (const struct sadb_x_policy *)m->ext[SADB_X_EXT_POLICY];
}

static inline const struct sadb_spirange *
kame_msg_spirange(const struct kame_msg *m)
{
	return (const struct sadb_spirange *)m->ext[SADB_EXT_SPIRANGE];
}

/*
 * Address extensions (ADDRESS_SRC/DST/PROXY, X_EXT_NAT_T_OA): the validated
 * sockaddr (struct sockaddr_in or sockaddr_in6 by *family), or NULL if the
 * extension is absent or @exttype is not an address type.
 */
const struct sockaddr *kame_msg_addr(const struct kame_msg *m,
				     unsigned int exttype, __u16 *family);

/* Prefix length and upper-layer protocol of an address extension. */
const struct sadb_address *kame_msg_addr_ext(const struct kame_msg *m,
					     unsigned int exttype);

/*
 * Key extensions (KEY_AUTH/KEY_ENCRYPT): the key bytes and their count
 * (ceil(bits / 8), all inside the extension), or NULL.
 */
const __u8 *kame_msg_key(const struct kame_msg *m, unsigned int exttype,
			 unsigned int *bits, size_t *bytes);

/* Identity string (NUL-terminated inside the extension), or NULL. */
const char *kame_msg_ident(const struct kame_msg *m, unsigned int exttype,
			   __u16 *type);

/* NAT-T port (network order) of NAT_T_SPORT/DPORT; false if absent. */
bool kame_msg_natt_port(const struct kame_msg *m, unsigned int exttype,
			__be16 *port);

/* SADB_EXT_PROPOSAL combinations and SUPPORTED_* algorithms, or NULL. */
const struct sadb_comb *kame_msg_combs(const struct kame_msg *m,
				       unsigned int *n);
const struct sadb_alg *kame_msg_algs(const struct kame_msg *m,
				     unsigned int exttype, unsigned int *n);

/* One ipsecrequest of a validated SADB_X_EXT_POLICY. */
struct kame_ipsecreq {
	const struct sadb_x_ipsecrequest *req;
	__u16 proto;		/* IPPROTO_ESP, IPPROTO_AH or IPPROTO_COMP */
	__u8 mode;		/* IPSEC_MODE_TRANSPORT or IPSEC_MODE_TUNNEL */
	__u8 level;		/* IPSEC_LEVEL_* */
	__u32 reqid;
	/* Endpoints: both NULL (family 0) or both of one family. */
	const struct sockaddr *src;
	const struct sockaddr *dst;
	__u16 family;
};

struct kame_ipsecreq_iter {
	const __u8 *pos;
	const __u8 *end;
};

/* Iterate the requests of m's policy: init, then next() until false. */
void kame_ipsecreq_iter_init(struct kame_ipsecreq_iter *it,
			     const struct kame_msg *m);
bool kame_ipsecreq_next(struct kame_ipsecreq_iter *it,
			struct kame_ipsecreq *r);

/* ---- Tables (msg_tables.c); used by msg_parse.c and tests only. ---- */

/* What a per-extension check looks at beyond its size bounds. */
enum kame_ext_check {
	KAME_XC_NONE,
	KAME_XC_ADDRESS,	/* one sockaddr, prefixlen */
	KAME_XC_KEY,		/* sadb_key_bits fit */
	KAME_XC_IDENT,		/* type, NUL-terminated string */
	KAME_XC_SENS,		/* bitmap lengths */
	KAME_XC_PROPOSAL,	/* n * sadb_comb */
	KAME_XC_SUPPORTED,	/* n * sadb_alg */
	KAME_XC_SPIRANGE,	/* min <= max */
	KAME_XC_POLICY,		/* type, dir, ipsecrequest list */
	KAME_XC_SA2,		/* mode */
	KAME_XC_NATT_TYPE,	/* encapsulation type */
	KAME_XC_SEC_CTX,	/* ctx_len */
	KAME_XC_KMADDRESS,	/* sockaddr pair */
	KAME_XC_FILTER,		/* family, prefix lengths */
};

struct kame_ext_spec {
	__u16 min;		/* bytes, header included */
	__u16 max;		/* bytes; 0: bounded by the message only */
	__u8 check;		/* enum kame_ext_check */
};

/* Which sadb_msg_satype values a message type takes (KAME key_parse). */
enum kame_satype_rule {
	KAME_SAT_ANY,		/* UNSPEC or an SA type */
	KAME_SAT_SA,		/* an SA type: UNSPEC -> EINVAL */
	KAME_SAT_SPD,		/* UNSPEC only: an SA type -> EINVAL */
};

/* kame_msg_spec.flags */
#define KAME_MT_NOUSER	0x1	/* never accepted from userland */
#define KAME_MT_OPAQUE	0x2	/* body after the header is not parsed */
#define KAME_MT_NOKERNEL 0x4	/* never sent by the kernel (out table) */

struct kame_msg_spec {
	__u32 allowed;		/* KAME_EXT_BIT() of extensions allowed */
	__u32 required;		/* subset of allowed that must be present */
	__u8 satype;		/* enum kame_satype_rule */
	__u8 flags;		/* KAME_MT_* */
};

extern const struct kame_ext_spec kame_ext_specs[SADB_EXT_MAX + 1];
extern const struct kame_msg_spec kame_msg_specs[SADB_MAX + 1];
/* What the kernel sends (msg_out.c): userland's checks of kernel messages. */
extern const struct kame_msg_spec kame_msg_specs_out[SADB_MAX + 1];

/* The steps kame_msg_parse() takes, shared with msg_out.c. */
#define KAME_WALK_BOUNDS	0x1	/* minimum sizes only, no content checks */
int kame_msg_walk(const void *buf, size_t len, __u32 allowed,
		  unsigned int flags, struct kame_msg *m);
int kame_msg_check_satype(unsigned int type, unsigned int satype,
			  enum kame_satype_rule rule);
int kame_msg_check_addrs(struct kame_msg *m);

#endif /* KAME_PFKEY_MSG_PARSE_H */
