// SPDX-License-Identifier: BSD-3-Clause
/* The SPD half of the ipsec-tools pfkey_send_* API. */
#include <unistd.h>
#include "pfkey_msg.h"
#include "ipsec_internal.h"

static int send_spd(int so, unsigned int type, struct sockaddr *src,
		    unsigned int prefs, struct sockaddr *dst, unsigned int prefd,
		    unsigned int proto, uint64_t ltime, uint64_t vtime,
		    caddr_t policy, int policylen, uint32_t seq)
{
	struct pfkey_msgbuf mb;

	if (!pfkey_sockaddr_len(src) || !pfkey_sockaddr_len(dst)) {
		ipsec_set_error(EIPSEC_INVAL_FAMILY, NULL);
		return -1;
	}
	if (src->sa_family != dst->sa_family) {
		ipsec_set_error(EIPSEC_FAMILY_MISMATCH, NULL);
		return -1;
	}
	if (prefs > pfkey_sockaddr_maxprefix(src) ||
	    prefd > pfkey_sockaddr_maxprefix(dst)) {
		ipsec_set_error(EIPSEC_INVAL_PREFIXLEN, NULL);
		return -1;
	}
	if (!policy || policylen < (int)sizeof(struct sadb_x_policy) ||
	    ipsec_get_policylen(policy) != policylen) {
		ipsec_set_error(EIPSEC_INVAL_POLICY, "length");
		return -1;
	}
	pfkey_mb_init(&mb, type, SADB_SATYPE_UNSPEC, seq, getpid());
	pfkey_mb_address(&mb, SADB_EXT_ADDRESS_SRC, src, prefs, proto);
	pfkey_mb_address(&mb, SADB_EXT_ADDRESS_DST, dst, prefd, proto);
	if (ltime || vtime)
		pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_HARD, 0, 0, ltime, vtime);
	pfkey_mb_policy(&mb, policy, policylen);
	return pfkey_send_mb(so, &mb);
}

int pfkey_send_spdadd(int so, struct sockaddr *src, unsigned int prefs,
		      struct sockaddr *dst, unsigned int prefd,
		      unsigned int proto, caddr_t policy, int policylen,
		      uint32_t seq)
{
	return send_spd(so, SADB_X_SPDADD, src, prefs, dst, prefd, proto, 0, 0,
			policy, policylen, seq);
}

int pfkey_send_spdadd2(int so, struct sockaddr *src, unsigned int prefs,
		       struct sockaddr *dst, unsigned int prefd,
		       unsigned int proto, uint64_t ltime, uint64_t vtime,
		       caddr_t policy, int policylen, uint32_t seq)
{
	return send_spd(so, SADB_X_SPDADD, src, prefs, dst, prefd, proto, ltime,
			vtime, policy, policylen, seq);
}

int pfkey_send_spdupdate(int so, struct sockaddr *src, unsigned int prefs,
			 struct sockaddr *dst, unsigned int prefd,
			 unsigned int proto, caddr_t policy, int policylen,
			 uint32_t seq)
{
	return send_spd(so, SADB_X_SPDUPDATE, src, prefs, dst, prefd, proto, 0,
			0, policy, policylen, seq);
}

int pfkey_send_spdupdate2(int so, struct sockaddr *src, unsigned int prefs,
			  struct sockaddr *dst, unsigned int prefd,
			  unsigned int proto, uint64_t ltime, uint64_t vtime,
			  caddr_t policy, int policylen, uint32_t seq)
{
	return send_spd(so, SADB_X_SPDUPDATE, src, prefs, dst, prefd, proto,
			ltime, vtime, policy, policylen, seq);
}

int pfkey_send_spddelete(int so, struct sockaddr *src, unsigned int prefs,
			 struct sockaddr *dst, unsigned int prefd,
			 unsigned int proto, caddr_t policy, int policylen,
			 uint32_t seq)
{
	return send_spd(so, SADB_X_SPDDELETE, src, prefs, dst, prefd, proto, 0,
			0, policy, policylen, seq);
}

int pfkey_send_spdsetidx(int so, struct sockaddr *src, unsigned int prefs,
			 struct sockaddr *dst, unsigned int prefd,
			 unsigned int proto, caddr_t policy, int policylen,
			 uint32_t seq)
{
	return send_spd(so, SADB_X_SPDSETIDX, src, prefs, dst, prefd, proto, 0,
			0, policy, policylen, seq);
}

static int send_by_id(int so, unsigned int type, uint32_t spid)
{
	struct pfkey_msgbuf mb;

	pfkey_mb_init(&mb, type, SADB_SATYPE_UNSPEC, 0, getpid());
	/* as ipsec-tools: only the id; Linux derives the direction from it */
	pfkey_mb_policy_id(&mb, 0, spid);
	return pfkey_send_mb(so, &mb);
}

int pfkey_send_spddelete2(int so, uint32_t spid)
{
	return send_by_id(so, SADB_X_SPDDELETE2, spid);
}

int pfkey_send_spdget(int so, uint32_t spid)
{
	return send_by_id(so, SADB_X_SPDGET, spid);
}

int pfkey_send_spdflush(int so)
{
	struct pfkey_msgbuf mb;

	pfkey_mb_init(&mb, SADB_X_SPDFLUSH, SADB_SATYPE_UNSPEC, 0, getpid());
	return pfkey_send_mb(so, &mb);
}

int pfkey_send_spddump(int so)
{
	struct pfkey_msgbuf mb;

	pfkey_mb_init(&mb, SADB_X_SPDDUMP, SADB_SATYPE_UNSPEC, 0, getpid());
	return pfkey_send_mb(so, &mb);
}
