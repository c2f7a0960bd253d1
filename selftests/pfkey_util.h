/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the PF_KEY selftests: build PF_KEY v2 messages (libipsec's
 * builder, into a buffer the test may then break on purpose), send them,
 * read replies with a timeout, and split replies into extensions with the
 * parser userland checks kernel messages with (kame_msg_parse_out).
 */
#ifndef PFKEY_UTIL_H
#define PFKEY_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <linux/pfkeyv2.h>
#include <linux/ipsec.h>
#include "pfkey_msg.h"

#define PK_BUF	8192

/*
 * Seconds for a test that sends SADB_REGISTER (TEST_F_TIMEOUT): the first
 * REGISTER of a boot, and one a minute after the last probe, asks the
 * crypto API for every algorithm, which builds each one and runs its
 * self-test; on the debug kernel under TCG that blocked the write for
 * over the harness's default 30 s.
 */
#define PK_REGISTER_TIMEOUT	300

/* buf and len may be changed by the test between the pk_*() calls. */
struct pk_msg {
	uint8_t buf[PK_BUF] __attribute__((aligned(8)));
	size_t len;
	struct sadb_x_policy *pol;	/* open policy for pk_ipsecreq() */
	struct pfkey_msgbuf mb;		/* libipsec's builder over buf */
};

/*
 * A received message split into its extensions. A message the kernel does
 * not send that way (kame_msg_parse_out) has none and bad says why (the
 * kernel also forwards X_PROMISC payloads raw: pfkey_fuzz's are refused); an
 * error reply or X_PROMISC carries a message as written, split without
 * checks as pfkey_align() does.
 */
struct pk_reply {
	uint8_t buf[PK_BUF] __attribute__((aligned(8)));
	ssize_t len;
	struct sadb_msg *hdr;
	struct sadb_ext *ext[SADB_EXT_MAX + 1];
	const char *bad;
};

int pk_open(void);
void pk_init(struct pk_msg *m, uint8_t type, uint8_t satype, uint32_t seq);
void *pk_ext(struct pk_msg *m, uint16_t type, size_t len);
/* "10.0.0.1" or "2001:db8::1". */
struct sadb_address *pk_addr(struct pk_msg *m, uint16_t type, const char *addr,
			     uint16_t port, uint8_t plen, uint8_t proto);
struct sadb_sa *pk_sa(struct pk_msg *m, uint32_t spi, uint8_t auth,
		      uint8_t enc, uint8_t replay);
struct sadb_x_sa2 *pk_sa2(struct pk_msg *m, uint8_t mode, uint32_t reqid);
/* A key of @bits bits, every byte @fill. */
struct sadb_key *pk_key(struct pk_msg *m, uint16_t type, uint16_t bits,
			uint8_t fill);
struct sadb_lifetime *pk_lifetime(struct pk_msg *m, uint16_t type,
				  uint32_t alloc, uint64_t bytes,
				  uint64_t addtime, uint64_t usetime);
struct sadb_spirange *pk_spirange(struct pk_msg *m, uint32_t min, uint32_t max);
struct sadb_x_policy *pk_policy(struct pk_msg *m, uint16_t type, uint8_t dir,
				uint32_t id, uint32_t priority);
void pk_ipsecreq(struct pk_msg *m, uint16_t proto, uint8_t mode, uint8_t level,
		 uint32_t reqid, const char *src, const char *dst);
size_t pk_finish(struct pk_msg *m);

/* write() of the finished message: its return value (errno kept). */
ssize_t pk_send(int fd, struct pk_msg *m);
/* One message within @ms milliseconds, split; len -1 on timeout. */
ssize_t pk_recv(int fd, struct pk_reply *r, int ms);
/* Next message of @type (others skipped) within @ms; len -1 if none. */
ssize_t pk_recv_type(int fd, struct pk_reply *r, uint8_t type, int ms);
/* Send, then the reply of the same type, seq and pid; its errno or -1. */
int pk_call(int fd, struct pk_msg *m, struct pk_reply *r);
/* Drain everything queued now. */
int pk_drain(int fd);
/* Send a bare header of @type and @satype (FLUSH, DUMP, REGISTER...). */
void pk_simple(int fd, uint8_t type, uint8_t satype);

/* Typical messages. */
void pk_build_add(struct pk_msg *m, uint8_t type, uint32_t seq, uint32_t spi,
		  const char *src, const char *dst);
void pk_build_spd(struct pk_msg *m, uint8_t type, uint32_t seq, uint8_t dir,
		  const char *src, uint8_t splen, const char *dst,
		  uint8_t dplen, uint16_t ptype);

/* The sockaddr_in's address of an address extension as a host-order u32. */
uint32_t pk_addr4(const struct sadb_ext *e);
/* Set a sysctl (e.g. "net/key/larval_lifetime"); 0 or -1. */
int pk_sysctl_set(const char *path, long value);
long pk_sysctl_get(const char *path);
/* The value of @key in @path ("key value" lines, as /proc/net/kame_pfkey), or -1. */
long pk_proc_value(const char *path, const char *key);

#endif
