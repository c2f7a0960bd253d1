/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the per-socket policy tests: policies from strings, counters. */
#ifndef SOCKPOLICY_UTIL_H
#define SOCKPOLICY_UTIL_H

#include <stdbool.h>
#include <sys/socket.h>

/* /proc/net/kame_sockpolicy (this netns). */
struct sp_stat {
	long live, compiled, rejected, freed;
};

/* 0, or -1 if the file is missing or unreadable. */
int sp_stat_read(struct sp_stat *st);

/*
 * Wait up to @secs seconds for "live" to fall to @want or below (the module
 * frees policies one to three seconds after their sockets close). Returns
 * the last value read.
 */
long sp_wait_live(long want, int secs);

/* setsockopt(IP[V6]_IPSEC_POLICY) with ipsec_set_policy(@str): 0 or errno. */
int sp_set(int fd, int family, const char *str);

/* setsockopt(IP[V6]_IPSEC_POLICY) with a raw buffer: 0 or errno. */
int sp_set_raw(int fd, int family, const void *buf, int len);

/* The option level and name for @family. */
int sp_level(int family);
int sp_optname(int family);

/* Bring this netns's loopback up (after unshare(CLONE_NEWNET)): 0 or -1. */
int sp_lo_up(void);

/* sendto() of one byte from @fd to 127.0.0.1:9: 0 or errno. */
int sp_send_lo(int fd);

/* True if xfrm_user is loaded (it may answer for a buffer we rejected). */
bool sp_xfrm_user_loaded(void);

#endif
