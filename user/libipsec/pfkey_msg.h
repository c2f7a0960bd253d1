/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kameipsec extension to libipsec: build PF_KEY messages in memory without
 * sending them. setkey uses it so that its parser can be tested (and its
 * -n mode can print) without a kernel; the pfkey_send_* functions are thin
 * wrappers around it.
 */
#ifndef KAMEIPSEC_PFKEY_MSG_H
#define KAMEIPSEC_PFKEY_MSG_H

#include "libipsec.h"

struct pfkey_msgbuf {
	uint8_t *buf;
	size_t len;
	size_t cap;
	int err;		/* sticky: an EIPSEC_* code once anything failed */
	int fixed;		/* buf is the caller's: never grown nor freed */
	size_t last;		/* offset of the last extension added (0: none) */
};

void pfkey_mb_init(struct pfkey_msgbuf *mb, unsigned int type,
		   unsigned int satype, uint32_t seq, uint32_t pid);
/*
 * The same into the caller's zeroed buffer of @cap bytes (8-byte aligned):
 * extensions stay where they were put, so their pointers may be kept and
 * changed afterwards (tests build malformed messages so); going past @cap
 * fails like an allocation.
 */
void pfkey_mb_init_buf(struct pfkey_msgbuf *mb, void *buf, size_t cap,
		       unsigned int type, unsigned int satype, uint32_t seq,
		       uint32_t pid);
void pfkey_mb_free(struct pfkey_msgbuf *mb);
/* Sets sadb_msg_len; returns the message (owned by mb) or NULL on error. */
struct sadb_msg *pfkey_mb_finish(struct pfkey_msgbuf *mb, size_t *lenp);

/* Appends a zeroed extension of hdrlen + datalen bytes padded to 8. */
void *pfkey_mb_ext(struct pfkey_msgbuf *mb, unsigned int exttype,
		   size_t hdrlen, const void *data, size_t datalen);

void pfkey_mb_sa(struct pfkey_msgbuf *mb, uint32_t spi_host, unsigned int replay,
		 unsigned int state, unsigned int auth, unsigned int encrypt,
		 uint32_t flags);
void pfkey_mb_sa2(struct pfkey_msgbuf *mb, unsigned int mode, uint32_t reqid,
		  uint32_t sequence);
void pfkey_mb_address(struct pfkey_msgbuf *mb, unsigned int exttype,
		      const struct sockaddr *sa, unsigned int prefixlen,
		      unsigned int proto);
void pfkey_mb_key(struct pfkey_msgbuf *mb, unsigned int exttype,
		  const void *key, size_t keylen);
void pfkey_mb_lifetime(struct pfkey_msgbuf *mb, unsigned int exttype,
		       uint32_t allocations, uint64_t bytes, uint64_t addtime,
		       uint64_t usetime);
void pfkey_mb_spirange(struct pfkey_msgbuf *mb, uint32_t min, uint32_t max);
/* policy: an ipsec_set_policy() buffer, copied as is. */
void pfkey_mb_policy(struct pfkey_msgbuf *mb, const void *policy, size_t len);
void pfkey_mb_policy_id(struct pfkey_msgbuf *mb, unsigned int dir, uint32_t id);
/*
 * Appends an ipsecrequest to the policy extension just added (the last
 * one), endpoints @src/@dst (both or neither), and grows the policy.
 */
void pfkey_mb_ipsecreq(struct pfkey_msgbuf *mb, unsigned int proto,
		       unsigned int mode, unsigned int level, uint32_t reqid,
		       const struct sockaddr *src, const struct sockaddr *dst);
void pfkey_mb_nat_t(struct pfkey_msgbuf *mb, unsigned int type,
		    uint16_t sport_host, uint16_t dport_host);
void pfkey_mb_sec_ctx(struct pfkey_msgbuf *mb, unsigned int doi,
		      unsigned int alg, const void *ctx, size_t len);

/* Size of a Linux sockaddr of this family (no sa_len): 16, 28 or 0. */
size_t pfkey_sockaddr_len(const struct sockaddr *sa);
unsigned int pfkey_sockaddr_maxprefix(const struct sockaddr *sa);
/* The sockaddr inside an address extension, or NULL if it does not fit. */
const struct sockaddr *kame_ext_sockaddr(const void *ext);
/* Port in host order (0 for families without ports). */
unsigned int pfkey_sockaddr_port(const struct sockaddr *sa);

/* Names as setkey prints them: "esp", "tunnel", "out" (dump_util.c). */
const char *kame_str_satype(unsigned int satype);
const char *kame_str_mode(unsigned int mode);
const char *kame_str_dir(unsigned int dir);

#endif /* KAMEIPSEC_PFKEY_MSG_H */
