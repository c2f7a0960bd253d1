/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building PF_KEY messages for the parser's host tests, the fuzz corpus
 * generator and the fuzz target's invariant checks, with libipsec's builder
 * (malformed ones by changing what it built, or with mb_raw()).
 */
#ifndef KAME_PFKEY_TEST_MSGBUILD_H
#define KAME_PFKEY_TEST_MSGBUILD_H

#include "msg_parse.h"
#include "pfkey_msg.h"

#define MB_SIZE 4096

/* libipsec's builder over buf; buf and len may be changed between calls. */
struct mb {
	__u8 buf[MB_SIZE] __attribute__((aligned(8)));
	size_t len;
	__u32 present;			/* extension types added */
	size_t off[SADB_EXT_MAX + 1];	/* where each one starts */
	struct sadb_x_policy *pol;	/* open policy requests are added to */
	struct pfkey_msgbuf pm;
};

void mb_init(struct mb *b, __u8 type, __u8 satype);
/* A zeroed extension of @bytes (rounded up to 8) with its header set. */
void *mb_ext(struct mb *b, __u16 exttype, size_t bytes);
/* Raw bytes appended as they are (for malformed messages). */
void *mb_raw(struct mb *b, size_t bytes);
/* Sets sadb_msg_len from the length so far; returns the length. */
size_t mb_done(struct mb *b);

/* A sockaddr_in/_in6 from "1.2.3.4" or "2001:db8::1" into @out; its size. */
size_t mb_sockaddr(const char *addr, __u16 port, void *out);

struct sadb_address *mb_addr(struct mb *b, __u16 exttype, const char *addr,
			     __u8 prefixlen, __u8 proto);
struct sadb_sa *mb_sa(struct mb *b, __u32 spi, __u8 auth, __u8 enc);
struct sadb_x_sa2 *mb_sa2(struct mb *b, __u8 mode, __u32 reqid);
struct sadb_lifetime *mb_lifetime(struct mb *b, __u16 exttype, __u64 addtime);
struct sadb_key *mb_key(struct mb *b, __u16 exttype, __u16 bits);
struct sadb_ident *mb_ident(struct mb *b, __u16 exttype, __u16 type, const char *s);
struct sadb_spirange *mb_spirange(struct mb *b, __u32 min, __u32 max);
void mb_natt(struct mb *b, __u8 type, __u16 sport, __u16 dport);
struct sadb_prop *mb_prop(struct mb *b, unsigned int ncombs);
struct sadb_x_filter *mb_filter(struct mb *b, __u16 family, __u8 splen, __u8 dplen);
struct sadb_x_policy *mb_policy(struct mb *b, __u16 type, __u8 dir, __u32 id);
/* Appends a request to the policy just added; src/dst NULL for none. */
struct sadb_x_ipsecrequest *mb_ipsecreq(struct mb *b, __u16 proto, __u8 mode,
					__u8 level, __u32 reqid,
					const char *src, const char *dst);

/* A catalogue of valid messages, one or more per message type. */
struct kt_valid {
	const char *name;
	void (*build)(struct mb *b);
};
extern const struct kt_valid kt_valid_msgs[];
extern const unsigned int kt_nvalid;

/*
 * Checks what a successful parse promises (pointers inside the buffer,
 * every byte in exactly one extension, helpers agreeing with the bytes).
 * Returns NULL if all hold, else a description of the first broken one.
 */
const char *kt_check_parsed(const void *buf, size_t len, const struct kame_msg *m);

#endif /* KAME_PFKEY_TEST_MSGBUILD_H */
