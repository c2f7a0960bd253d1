/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libipsec: PF_KEY v2 helpers and the KAME IPsec policy API, Linux ABI.
 *
 * The function names and argument orders follow the ipsec-tools libipsec
 * (libpfkey.h + ipsec_set_policy(3)), so programs written for it build
 * unchanged. Messages use <linux/pfkeyv2.h> and <linux/ipsec.h>: 16-byte
 * sadb_x_ipsecrequest with a 32-bit reqid, sockaddrs without sa_len,
 * sadb_x_policy with a priority.
 */
#ifndef KAMEIPSEC_LIBIPSEC_H
#define KAMEIPSEC_LIBIPSEC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <linux/pfkeyv2.h>
#include <linux/ipsec.h>

#ifdef __cplusplus
extern "C" {
#endif

/* KAME SA flags (sadb_sa_flags); Linux has no names for them. */
#ifndef SADB_X_EXT_NONE
#define SADB_X_EXT_NONE		0x0000
#define SADB_X_EXT_OLD		0x0001
#define SADB_X_EXT_IV4B		0x0010
#define SADB_X_EXT_DERIV	0x0020
#define SADB_X_EXT_CYCSEQ	0x0040
#define SADB_X_EXT_PSEQ		0x0000
#define SADB_X_EXT_PRAND	0x0100
#define SADB_X_EXT_PZERO	0x0200
#define SADB_X_EXT_PMASK	0x0300
#define SADB_X_EXT_RAWCPI	0x0080
#endif

/*
 * Algorithms the Linux PF_KEY ABI has no number for. kameipsec assigns
 * them the IANA IKEv2 transform ids (RFC 7634 ENCR_CHACHA20_POLY1305 = 28,
 * RFC 4868 AUTH_HMAC_SHA2_256_128 = 12). A kernel that does not know them
 * leaves them out of its SADB_REGISTER reply and refuses them (ENOSYS).
 */
#define KAME_EALG_CHACHA20_POLY1305	28
#define KAME_AALG_SHA2_256HMAC_128	12

/* Used by ipsec-tools and racoon. */
#define PFKEY_SOFT_LIFETIME_RATE	80

#define PFKEY_ALIGN8(a)	(1 + (((a) - 1) | (8 - 1)))
#define PFKEY_UNIT64(a)	((a) >> 3)
#define PFKEY_UNUNIT64(a)	((a) << 3)
#define PFKEY_EXTLEN(e)	PFKEY_UNUNIT64((size_t)((const struct sadb_ext *)(e))->sadb_ext_len)

/* Linux sadb_x_policy_priority conventions (lower value = earlier match). */
#define PRIORITY_LOW		0xC0000000u
#define PRIORITY_DEFAULT	0x80000000u
#define PRIORITY_HIGH		0x40000000u

/* ipsec_strerror() codes, in __ipsec_errcode. */
enum {
	EIPSEC_NO_ERROR = 0,
	EIPSEC_NOT_SUPPORTED,
	EIPSEC_INVAL_ARGUMENT,
	EIPSEC_INVAL_SADBMSG,
	EIPSEC_INVAL_VERSION,
	EIPSEC_INVAL_POLICY,
	EIPSEC_INVAL_ADDRESS,
	EIPSEC_INVAL_PROTO,
	EIPSEC_INVAL_MODE,
	EIPSEC_INVAL_LEVEL,
	EIPSEC_INVAL_SATYPE,
	EIPSEC_INVAL_MSGTYPE,
	EIPSEC_INVAL_EXTTYPE,
	EIPSEC_INVAL_ALGS,
	EIPSEC_INVAL_KEYLEN,
	EIPSEC_INVAL_FAMILY,
	EIPSEC_INVAL_PREFIXLEN,
	EIPSEC_INVAL_DIR,
	EIPSEC_INVAL_SPI,
	EIPSEC_NO_PROTO,
	EIPSEC_NO_ALGS,
	EIPSEC_NO_BUFS,
	EIPSEC_DO_GET_SUPP_LIST,
	EIPSEC_INVAL_REQUESTS,
	EIPSEC_FAMILY_MISMATCH,
	EIPSEC_SYSTEM_ERROR,
	EIPSEC_MAX,
};

extern int __ipsec_errcode;

/* --- policy API: ipsec_set_policy(3) ------------------------------------ */
caddr_t ipsec_set_policy(const char *policy, int len);
int ipsec_get_policylen(const void *policy);
char *ipsec_dump_policy(const void *policy, const char *delimiter);
char *ipsec_dump_policy_withports(const void *policy, const char *delimiter);
const char *ipsec_strerror(void);

/* --- PF_KEY socket -------------------------------------------------------- */
int pfkey_open(void);
void pfkey_close(int so);
struct sadb_msg *pfkey_recv(int so);
int pfkey_send(int so, struct sadb_msg *msg, int len);
int pfkey_align(struct sadb_msg *msg, caddr_t *mhp);
int pfkey_check(caddr_t *mhp);

/* --- SAD messages ----------------------------------------------------------- */
int pfkey_send_getspi(int so, unsigned int satype, unsigned int mode,
		      struct sockaddr *src, struct sockaddr *dst,
		      uint32_t min, uint32_t max, uint32_t reqid, uint32_t seq);
int pfkey_send_update(int so, unsigned int satype, unsigned int mode,
		      struct sockaddr *src, struct sockaddr *dst, uint32_t spi,
		      uint32_t reqid, unsigned int wsize, caddr_t keymat,
		      unsigned int e_type, unsigned int e_keylen,
		      unsigned int a_type, unsigned int a_keylen,
		      unsigned int flags, uint32_t l_alloc, uint64_t l_bytes,
		      uint64_t l_addtime, uint64_t l_usetime, uint32_t seq);
int pfkey_send_add(int so, unsigned int satype, unsigned int mode,
		   struct sockaddr *src, struct sockaddr *dst, uint32_t spi,
		   uint32_t reqid, unsigned int wsize, caddr_t keymat,
		   unsigned int e_type, unsigned int e_keylen,
		   unsigned int a_type, unsigned int a_keylen,
		   unsigned int flags, uint32_t l_alloc, uint64_t l_bytes,
		   uint64_t l_addtime, uint64_t l_usetime, uint32_t seq);
/*
 * NAT-T variants: natt_type UDP_ENCAP_ESPINUDP (2) adds the NAT-T type and
 * port extensions (ports in host byte order) and, if natt_oa is not NULL,
 * the original address. natt_frag is accepted for source compatibility
 * and ignored (no such extension on Linux).
 */
int pfkey_send_update_nat(int so, unsigned int satype, unsigned int mode,
			  struct sockaddr *src, struct sockaddr *dst,
			  uint32_t spi, uint32_t reqid, unsigned int wsize,
			  caddr_t keymat, unsigned int e_type,
			  unsigned int e_keylen, unsigned int a_type,
			  unsigned int a_keylen, unsigned int flags,
			  uint32_t l_alloc, uint64_t l_bytes, uint64_t l_addtime,
			  uint64_t l_usetime, uint32_t seq, uint8_t natt_type,
			  uint16_t natt_sport, uint16_t natt_dport,
			  struct sockaddr *natt_oa, uint16_t natt_frag);
int pfkey_send_add_nat(int so, unsigned int satype, unsigned int mode,
		       struct sockaddr *src, struct sockaddr *dst, uint32_t spi,
		       uint32_t reqid, unsigned int wsize, caddr_t keymat,
		       unsigned int e_type, unsigned int e_keylen,
		       unsigned int a_type, unsigned int a_keylen,
		       unsigned int flags, uint32_t l_alloc, uint64_t l_bytes,
		       uint64_t l_addtime, uint64_t l_usetime, uint32_t seq,
		       uint8_t natt_type, uint16_t natt_sport,
		       uint16_t natt_dport, struct sockaddr *natt_oa,
		       uint16_t natt_frag);
int pfkey_send_delete(int so, unsigned int satype, unsigned int mode,
		      struct sockaddr *src, struct sockaddr *dst, uint32_t spi);
int pfkey_send_delete_all(int so, unsigned int satype, unsigned int mode,
			  struct sockaddr *src, struct sockaddr *dst);
int pfkey_send_get(int so, unsigned int satype, unsigned int mode,
		   struct sockaddr *src, struct sockaddr *dst, uint32_t spi);
int pfkey_send_register(int so, unsigned int satype);
int pfkey_recv_register(int so);
int pfkey_set_supported(struct sadb_msg *msg, int tlen);
int pfkey_send_flush(int so, unsigned int satype);
int pfkey_send_dump(int so, unsigned int satype);
int pfkey_send_promisc_toggle(int so, int flag);

/* --- SPD messages ----------------------------------------------------------- */
int pfkey_send_spdadd(int so, struct sockaddr *src, unsigned int prefs,
		      struct sockaddr *dst, unsigned int prefd,
		      unsigned int proto, caddr_t policy, int policylen,
		      uint32_t seq);
int pfkey_send_spdadd2(int so, struct sockaddr *src, unsigned int prefs,
		       struct sockaddr *dst, unsigned int prefd,
		       unsigned int proto, uint64_t ltime, uint64_t vtime,
		       caddr_t policy, int policylen, uint32_t seq);
int pfkey_send_spdupdate(int so, struct sockaddr *src, unsigned int prefs,
			 struct sockaddr *dst, unsigned int prefd,
			 unsigned int proto, caddr_t policy, int policylen,
			 uint32_t seq);
int pfkey_send_spdupdate2(int so, struct sockaddr *src, unsigned int prefs,
			  struct sockaddr *dst, unsigned int prefd,
			  unsigned int proto, uint64_t ltime, uint64_t vtime,
			  caddr_t policy, int policylen, uint32_t seq);
int pfkey_send_spddelete(int so, struct sockaddr *src, unsigned int prefs,
			 struct sockaddr *dst, unsigned int prefd,
			 unsigned int proto, caddr_t policy, int policylen,
			 uint32_t seq);
int pfkey_send_spddelete2(int so, uint32_t spid);
int pfkey_send_spdget(int so, uint32_t spid);
int pfkey_send_spdsetidx(int so, struct sockaddr *src, unsigned int prefs,
			 struct sockaddr *dst, unsigned int prefd,
			 unsigned int proto, caddr_t policy, int policylen,
			 uint32_t seq);
int pfkey_send_spdflush(int so);
int pfkey_send_spddump(int so);

/* --- algorithms and key lengths ------------------------------------------- */
/* supported: SADB_EXT_SUPPORTED_AUTH or _ENCRYPT; keylen in bytes. */
int ipsec_check_keylen(unsigned int supported, unsigned int alg_id,
		       unsigned int keylen);
int ipsec_check_keylen2(unsigned int satype, unsigned int alg_id,
			unsigned int keylen);
int ipsec_get_keylen(unsigned int supported, unsigned int alg_id,
		     struct sadb_alg *alg);

/* --- printers (setkey -D, -DP, -x) ------------------------------------------ */
void pfkey_sadump(struct sadb_msg *m);
void pfkey_sadump_withports(struct sadb_msg *m);
void pfkey_spdump(struct sadb_msg *m);
void pfkey_spdump_withports(struct sadb_msg *m);
void kdebug_sadb(struct sadb_msg *m);
void ipsec_hexdump(const void *buf, int len);

/*
 * kameipsec extensions: the same printers writing to any stream with a
 * given "now" (for reproducible output), and a one-line SA summary.
 */
struct pfkey_dump_opts {
	FILE *out;
	time_t now;		/* "current:" time and "diff:" base */
	int withports;
	int show_dead;		/* print SAs in state dead too */
};
int pfkey_sadump_opts(const struct sadb_msg *m, const struct pfkey_dump_opts *o);
int pfkey_spdump_opts(const struct sadb_msg *m, const struct pfkey_dump_opts *o);
void pfkey_sadump_short(const struct sadb_msg *m, const struct pfkey_dump_opts *o);
void kdebug_sadb_fp(FILE *out, const struct sadb_msg *m);

#ifdef __cplusplus
}
#endif
#endif /* KAMEIPSEC_LIBIPSEC_H */
