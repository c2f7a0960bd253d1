/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Everything racoon-lite says to and hears from PF_KEY lives in kernel.c:
 * REGISTER, ACQUIRE (+ SPDGET of the policy it names), GETSPI, UPDATE,
 * ADD, DELETE, EXPIRE, SPDDUMP, and the IKE sockets' bypass policies.
 * Messages are built from <linux/pfkeyv2.h> here, and each request
 * waits for its own reply (anything else is queued), so the engine sees
 * synchronous calls; libipsec provides ipsec_set_policy().
 */
#ifndef RACOON_LITE_KERNEL_H
#define RACOON_LITE_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/pfkeyv2.h>

#include "ike.h"

struct kernel;

extern const struct kernel_ops pfkey_kernel_ops;

/* Opens PF_KEY; NULL with err set if the kernel has no PF_KEY. */
struct kernel *kernel_open(char *err, size_t errlen);
/* Wraps an already open socket (tests use a socketpair). */
struct kernel *kernel_wrap(int fd);
void kernel_close(struct kernel *k);
int kernel_fd(const struct kernel *k);
/* The engine that ACQUIRE/EXPIRE/DELETE are handed to. */
void kernel_set_ike(struct kernel *k, struct ike *ike);
/* IKE port for sending to peers found in ACQUIREs (default 500). */
void kernel_set_port(struct kernel *k, uint16_t port);
/* After fork()/daemon(): our messages must carry the new pid. */
void kernel_refresh_pid(struct kernel *k);
/* SADB_REGISTER for ESP, AH and IPCOMP. */
int kernel_register(struct kernel *k);
/* Reads and handles what the kernel sent (non-blocking). */
void kernel_input(struct kernel *k);
/* The next sequence number kernel.c will use (tests predict replies). */
uint32_t kernel_next_seq(const struct kernel *k);

/*
 * Puts "in bypass" and "out bypass" (ipsec_set_policy(3)) on the IKE
 * socket fd. Returns -1 (errno set) if the kernel has no per-socket
 * policies; the caller logs the setkey advice.
 */
int kernel_socket_bypass(int fd, int family);

/* Bounds-checked extension table of one message; -1 if malformed. */
int pfkey_parse_exts(const struct sadb_msg *m, size_t len,
		     const struct sadb_ext *ext[SADB_EXT_MAX + 1]);
/*
 * Fills acq from an ACQUIRE and, if given, the SPDGET answer for its
 * policy (selectors, mode, reqid). Returns -1 if the ACQUIRE is unusable.
 */
int kernel_parse_acquire(const struct sadb_msg *m, size_t len,
			 const struct sadb_msg *pol, size_t pollen,
			 struct acquire *acq);

/* SADB_X_NAT_T_NEW_MAPPING: the SA and its peer's old and new address:port. */
int kernel_parse_new_mapping(const struct sadb_msg *m, size_t len,
			     uint32_t *spi, struct sockaddr_storage *was,
			     struct sockaddr_storage *now);

#endif
