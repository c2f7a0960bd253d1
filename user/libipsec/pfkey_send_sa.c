// SPDX-License-Identifier: BSD-3-Clause
/* The SAD half of the ipsec-tools pfkey_send_* API. */
#include <unistd.h>
#include "pfkey_msg.h"
#include "ipsec_internal.h"

static int check_satype(unsigned int satype, int unspec_ok)
{
	switch (satype) {
	case SADB_SATYPE_UNSPEC:
		if (unspec_ok)
			return 0;
		break;
	case SADB_SATYPE_AH:
	case SADB_SATYPE_ESP:
	case SADB_X_SATYPE_IPCOMP:
		return 0;
	}
	ipsec_set_error(EIPSEC_INVAL_SATYPE, "%u", satype);
	return -1;
}

static int check_pair(const struct sockaddr *src, const struct sockaddr *dst)
{
	if (!pfkey_sockaddr_len(src) || !pfkey_sockaddr_len(dst)) {
		ipsec_set_error(EIPSEC_INVAL_FAMILY, NULL);
		return -1;
	}
	if (src->sa_family != dst->sa_family) {
		ipsec_set_error(EIPSEC_FAMILY_MISMATCH, NULL);
		return -1;
	}
	return 0;
}

static void add_sa_addrs(struct pfkey_msgbuf *mb, const struct sockaddr *src,
			 const struct sockaddr *dst)
{
	pfkey_mb_address(mb, SADB_EXT_ADDRESS_SRC, src,
			 pfkey_sockaddr_maxprefix(src), IPSEC_ULPROTO_ANY);
	pfkey_mb_address(mb, SADB_EXT_ADDRESS_DST, dst,
			 pfkey_sockaddr_maxprefix(dst), IPSEC_ULPROTO_ANY);
}

int pfkey_send_getspi(int so, unsigned int satype, unsigned int mode,
		      struct sockaddr *src, struct sockaddr *dst,
		      uint32_t min, uint32_t max, uint32_t reqid, uint32_t seq)
{
	struct pfkey_msgbuf mb;

	if (check_satype(satype, 0) || check_pair(src, dst))
		return -1;
	if (min > max || (min > 0 && min <= 255) ||
	    (satype == SADB_X_SATYPE_IPCOMP && max > 0xffff)) {
		ipsec_set_error(EIPSEC_INVAL_SPI, "range %u-%u", min, max);
		return -1;
	}
	pfkey_mb_init(&mb, SADB_GETSPI, satype, seq, getpid());
	pfkey_mb_sa2(&mb, mode, reqid, 0);
	add_sa_addrs(&mb, src, dst);
	if (min || max)
		pfkey_mb_spirange(&mb, min, max);
	return pfkey_send_mb(so, &mb);
}

struct natt_args {
	unsigned int type;	/* 0: no NAT-T extensions */
	uint16_t sport, dport;	/* host order */
	const struct sockaddr *oa;
};

static int send_add_update(int so, unsigned int type, unsigned int satype,
			   unsigned int mode, struct sockaddr *src,
			   struct sockaddr *dst, uint32_t spi, uint32_t reqid,
			   unsigned int wsize, caddr_t keymat,
			   unsigned int e_type, unsigned int e_keylen,
			   unsigned int a_type, unsigned int a_keylen,
			   unsigned int flags, uint32_t l_alloc, uint64_t l_bytes,
			   uint64_t l_addtime, uint64_t l_usetime, uint32_t seq,
			   const struct natt_args *natt)
{
	struct pfkey_msgbuf mb;
	const unsigned int rate = PFKEY_SOFT_LIFETIME_RATE;

	if (check_satype(satype, 0) || check_pair(src, dst))
		return -1;
	if (satype == SADB_X_SATYPE_IPCOMP) {
		if (e_type == SADB_X_CALG_NONE) {
			ipsec_set_error(EIPSEC_INVAL_ALGS, "no compression algorithm");
			return -1;
		}
		a_type = SADB_AALG_NONE;
		e_keylen = a_keylen = 0;
	} else if (satype == SADB_SATYPE_ESP && e_type == SADB_EALG_NONE) {
		ipsec_set_error(EIPSEC_NO_ALGS, "ESP needs an encryption algorithm");
		return -1;
	} else if (satype == SADB_SATYPE_AH && a_type == SADB_AALG_NONE) {
		ipsec_set_error(EIPSEC_NO_ALGS, "AH needs an authentication algorithm");
		return -1;
	}
	if ((e_keylen || a_keylen) && !keymat) {
		ipsec_set_error(EIPSEC_INVAL_ARGUMENT, "no key material");
		return -1;
	}
	pfkey_mb_init(&mb, type, satype, seq, getpid());
	pfkey_mb_sa(&mb, spi, wsize, SADB_SASTATE_LARVAL,
		    satype == SADB_X_SATYPE_IPCOMP ? 0 : a_type, e_type, flags);
	pfkey_mb_sa2(&mb, mode, reqid, 0);
	add_sa_addrs(&mb, src, dst);
	if (satype == SADB_SATYPE_ESP)
		pfkey_mb_key(&mb, SADB_EXT_KEY_ENCRYPT, keymat, e_keylen);
	if (a_type != SADB_AALG_NONE)
		pfkey_mb_key(&mb, SADB_EXT_KEY_AUTH, keymat + e_keylen, a_keylen);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_HARD, l_alloc, l_bytes,
			  l_addtime, l_usetime);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_SOFT, l_alloc * rate / 100,
			  l_bytes * rate / 100, l_addtime * rate / 100,
			  l_usetime * rate / 100);
	if (natt && natt->type) {
		pfkey_mb_nat_t(&mb, natt->type, natt->sport, natt->dport);
		if (natt->oa)
			pfkey_mb_address(&mb, SADB_X_EXT_NAT_T_OA, natt->oa,
					 pfkey_sockaddr_maxprefix(natt->oa), 0);
	}
	return pfkey_send_mb(so, &mb);
}

int pfkey_send_update(int so, unsigned int satype, unsigned int mode,
		      struct sockaddr *src, struct sockaddr *dst, uint32_t spi,
		      uint32_t reqid, unsigned int wsize, caddr_t keymat,
		      unsigned int e_type, unsigned int e_keylen,
		      unsigned int a_type, unsigned int a_keylen,
		      unsigned int flags, uint32_t l_alloc, uint64_t l_bytes,
		      uint64_t l_addtime, uint64_t l_usetime, uint32_t seq)
{
	return send_add_update(so, SADB_UPDATE, satype, mode, src, dst, spi,
			       reqid, wsize, keymat, e_type, e_keylen, a_type,
			       a_keylen, flags, l_alloc, l_bytes, l_addtime,
			       l_usetime, seq, NULL);
}

int pfkey_send_add(int so, unsigned int satype, unsigned int mode,
		   struct sockaddr *src, struct sockaddr *dst, uint32_t spi,
		   uint32_t reqid, unsigned int wsize, caddr_t keymat,
		   unsigned int e_type, unsigned int e_keylen,
		   unsigned int a_type, unsigned int a_keylen,
		   unsigned int flags, uint32_t l_alloc, uint64_t l_bytes,
		   uint64_t l_addtime, uint64_t l_usetime, uint32_t seq)
{
	return send_add_update(so, SADB_ADD, satype, mode, src, dst, spi,
			       reqid, wsize, keymat, e_type, e_keylen, a_type,
			       a_keylen, flags, l_alloc, l_bytes, l_addtime,
			       l_usetime, seq, NULL);
}

int pfkey_send_update_nat(int so, unsigned int satype, unsigned int mode,
			  struct sockaddr *src, struct sockaddr *dst,
			  uint32_t spi, uint32_t reqid, unsigned int wsize,
			  caddr_t keymat, unsigned int e_type,
			  unsigned int e_keylen, unsigned int a_type,
			  unsigned int a_keylen, unsigned int flags,
			  uint32_t l_alloc, uint64_t l_bytes, uint64_t l_addtime,
			  uint64_t l_usetime, uint32_t seq, uint8_t natt_type,
			  uint16_t natt_sport, uint16_t natt_dport,
			  struct sockaddr *natt_oa, uint16_t natt_frag)
{
	struct natt_args n = { natt_type, natt_sport, natt_dport, natt_oa };

	(void)natt_frag;	/* BSD only; Linux has no extension for it */
	return send_add_update(so, SADB_UPDATE, satype, mode, src, dst, spi,
			       reqid, wsize, keymat, e_type, e_keylen, a_type,
			       a_keylen, flags, l_alloc, l_bytes, l_addtime,
			       l_usetime, seq, &n);
}

int pfkey_send_add_nat(int so, unsigned int satype, unsigned int mode,
		       struct sockaddr *src, struct sockaddr *dst, uint32_t spi,
		       uint32_t reqid, unsigned int wsize, caddr_t keymat,
		       unsigned int e_type, unsigned int e_keylen,
		       unsigned int a_type, unsigned int a_keylen,
		       unsigned int flags, uint32_t l_alloc, uint64_t l_bytes,
		       uint64_t l_addtime, uint64_t l_usetime, uint32_t seq,
		       uint8_t natt_type, uint16_t natt_sport,
		       uint16_t natt_dport, struct sockaddr *natt_oa,
		       uint16_t natt_frag)
{
	struct natt_args n = { natt_type, natt_sport, natt_dport, natt_oa };

	(void)natt_frag;
	return send_add_update(so, SADB_ADD, satype, mode, src, dst, spi,
			       reqid, wsize, keymat, e_type, e_keylen, a_type,
			       a_keylen, flags, l_alloc, l_bytes, l_addtime,
			       l_usetime, seq, &n);
}

/* DELETE and GET carry <SA(spi), ADDR_SRC, ADDR_DST>. */
static int send_by_spi(int so, unsigned int type, unsigned int satype,
		       struct sockaddr *src, struct sockaddr *dst, uint32_t spi,
		       int with_sa)
{
	struct pfkey_msgbuf mb;

	if (check_satype(satype, 0) || check_pair(src, dst))
		return -1;
	pfkey_mb_init(&mb, type, satype, 0, getpid());
	if (with_sa)
		pfkey_mb_sa(&mb, spi, 0, 0, 0, 0, 0);
	add_sa_addrs(&mb, src, dst);
	return pfkey_send_mb(so, &mb);
}

int pfkey_send_delete(int so, unsigned int satype, unsigned int mode,
		      struct sockaddr *src, struct sockaddr *dst, uint32_t spi)
{
	(void)mode;
	return send_by_spi(so, SADB_DELETE, satype, src, dst, spi, 1);
}

/* KAME: a DELETE without an SA extension removes every SA of the pair. */
int pfkey_send_delete_all(int so, unsigned int satype, unsigned int mode,
			  struct sockaddr *src, struct sockaddr *dst)
{
	(void)mode;
	return send_by_spi(so, SADB_DELETE, satype, src, dst, 0, 0);
}

int pfkey_send_get(int so, unsigned int satype, unsigned int mode,
		   struct sockaddr *src, struct sockaddr *dst, uint32_t spi)
{
	(void)mode;
	return send_by_spi(so, SADB_GET, satype, src, dst, spi, 1);
}

static int send_base(int so, unsigned int type, unsigned int satype)
{
	struct pfkey_msgbuf mb;

	pfkey_mb_init(&mb, type, satype, 0, getpid());
	return pfkey_send_mb(so, &mb);
}

int pfkey_send_register(int so, unsigned int satype)
{
	if (check_satype(satype, 1))
		return -1;
	return send_base(so, SADB_REGISTER, satype);
}

int pfkey_send_flush(int so, unsigned int satype)
{
	if (check_satype(satype, 1))
		return -1;
	return send_base(so, SADB_FLUSH, satype);
}

int pfkey_send_dump(int so, unsigned int satype)
{
	if (check_satype(satype, 1))
		return -1;
	return send_base(so, SADB_DUMP, satype);
}

int pfkey_send_promisc_toggle(int so, int flag)
{
	return send_base(so, SADB_X_PROMISC, flag ? 1 : 0);
}
