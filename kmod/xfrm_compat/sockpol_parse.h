/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validation of a per-socket policy buffer: a struct sadb_x_policy followed
 * by Linux-layout sadb_x_ipsecrequests, as ipsec_set_policy(3) makes it and
 * setsockopt(IP_IPSEC_POLICY / IPV6_IPSEC_POLICY) passes it. The buffer is
 * checked by the PF_KEY validator (kmod/pfkey/msg_parse.c) wrapped in a
 * synthetic SADB_X_SPDGET message, then by the socket rules below.
 *
 * Kernel-independent (portable.h) so that it runs in host tests and under
 * libFuzzer; no allocation: the caller gives the scratch buffer.
 */
#ifndef KAME_XFRM_COMPAT_SOCKPOL_PARSE_H
#define KAME_XFRM_COMPAT_SOCKPOL_PARSE_H

#include "../pfkey/portable.h"
#include "../pfkey/msg_parse.h"

/* Largest buffer accepted: XFRM itself refuses more than a page. */
#define KAME_SOCKPOL_MAXLEN	4096

/* Scratch bytes kame_sockpol_parse() needs for a buffer of @len bytes. */
#define KAME_SOCKPOL_SCRATCH(len)	(sizeof(struct sadb_msg) + (len))

struct kame_sockpol_req {
	__u8 proto;		/* IPPROTO_ESP, IPPROTO_AH or IPPROTO_COMP */
	__u8 mode;		/* IPSEC_MODE_TRANSPORT or IPSEC_MODE_TUNNEL */
	__u8 level;		/* IPSEC_LEVEL_* as given */
	__u16 family;		/* of the endpoints; 0 when none were given */
	__u32 reqid;
	__u8 src[16], dst[16];	/* endpoint addresses, network order */
};

struct kame_sockpol {
	__u8 dir;		/* IPSEC_DIR_INBOUND or IPSEC_DIR_OUTBOUND */
	__u8 type;		/* IPSEC_POLICY_DISCARD .. IPSEC_POLICY_BYPASS */
	__u8 nreq;		/* requests (type IPSEC only; else 0) */
	__u32 priority;
	struct kame_sockpol_req req[KAME_SP_MAXREQ];
};

/*
 * Check the @len bytes at @buf and fill @out. @scratch must hold
 * KAME_SOCKPOL_SCRATCH(len) bytes, 8-byte aligned. Returns 0 or a negative
 * errno: -EINVAL (framing, direction, type, an ipsec policy without a
 * request, a request's mode or level), -EPROTONOSUPPORT (request protocol),
 * -EAFNOSUPPORT (endpoint family), -ELOOP (more than KAME_SP_MAXREQ
 * requests).
 */
int kame_sockpol_parse(const void *buf, size_t len, void *scratch,
		       struct kame_sockpol *out);

#endif /* KAME_XFRM_COMPAT_SOCKPOL_PARSE_H */
