// SPDX-License-Identifier: GPL-2.0
/*
 * Per-socket policy buffers through the PF_KEY validator. The rules that
 * differ from an SPDADD body (KAME ipsec_set_policy()/key_msg2sp()):
 *  - the length must be exactly sadb_x_policy_len * 8 (Linux's af_key
 *    tolerated trailing bytes; KAME does not);
 *  - sadb_x_policy_exttype is not looked at (neither KAME nor Linux did);
 *  - the direction is inbound or outbound: a socket has no "any" or
 *    forward policy;
 *  - every type is accepted: discard, none, ipsec, entrust, bypass (the
 *    privilege KAME wants for bypass is checked by the caller);
 *  - ipsec needs at least one request; other types ignore their requests.
 */
#include "sockpol_parse.h"

static void sockaddr_addr(const struct sockaddr *sa, __u16 family, __u8 *addr)
{
	const __u8 *p = (const __u8 *)sa;

	memset(addr, 0, 16);
	if (family == AF_INET)
		memcpy(addr, p + offsetof(struct sockaddr_in, sin_addr), 4);
	else
		memcpy(addr, p + offsetof(struct sockaddr_in6, sin6_addr), 16);
}

int kame_sockpol_parse(const void *buf, size_t len, void *scratch,
		       struct kame_sockpol *out)
{
	struct sadb_msg *hdr = scratch;
	struct sadb_x_policy *xpl;
	struct kame_ipsecreq_iter it;
	struct kame_ipsecreq q;
	struct kame_msg m;
	int err;

	memset(out, 0, sizeof(*out));
	if (!buf || len < sizeof(*xpl) || len > KAME_SOCKPOL_MAXLEN || len % 8)
		return -EINVAL;

	memset(hdr, 0, sizeof(*hdr));
	hdr->sadb_msg_version = PF_KEY_V2;
	hdr->sadb_msg_type = SADB_X_SPDGET;
	hdr->sadb_msg_satype = SADB_SATYPE_UNSPEC;
	hdr->sadb_msg_len = (__u16)((sizeof(*hdr) + len) / 8);
	xpl = (struct sadb_x_policy *)(hdr + 1);
	memcpy(xpl, buf, len);
	if ((size_t)xpl->sadb_x_policy_len * 8 != len)
		return -EINVAL;
	xpl->sadb_x_policy_exttype = SADB_X_EXT_POLICY;

	err = kame_msg_parse(hdr, sizeof(*hdr) + len, &m);
	if (err)
		return err;

	if (xpl->sadb_x_policy_dir != IPSEC_DIR_INBOUND &&
	    xpl->sadb_x_policy_dir != IPSEC_DIR_OUTBOUND)
		return -EINVAL;
	out->dir = xpl->sadb_x_policy_dir;
	out->type = (__u8)xpl->sadb_x_policy_type;
	out->priority = xpl->sadb_x_policy_priority;
	if (out->type != IPSEC_POLICY_IPSEC)
		return 0;
	if (!m.nreq)
		return -EINVAL;

	kame_ipsecreq_iter_init(&it, &m);
	while (out->nreq < KAME_SP_MAXREQ && kame_ipsecreq_next(&it, &q)) {
		struct kame_sockpol_req *r = &out->req[out->nreq++];

		r->proto = (__u8)q.proto;
		r->mode = q.mode;
		r->level = q.level;
		r->reqid = q.reqid;
		r->family = q.family;
		if (q.family) {
			sockaddr_addr(q.src, q.family, r->src);
			sockaddr_addr(q.dst, q.family, r->dst);
		}
	}
	return 0;
}
