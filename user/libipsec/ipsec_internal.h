/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared between libipsec's files; not installed. */
#ifndef KAMEIPSEC_IPSEC_INTERNAL_H
#define KAMEIPSEC_IPSEC_INTERNAL_H

#include "libipsec.h"
#include "algs.h"

/* Sets __ipsec_errcode and an optional detail shown by ipsec_strerror(). */
void ipsec_set_error(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sets EIPSEC_SYSTEM_ERROR for the current errno. */
void ipsec_set_syserror(void);

/* Fixed size of an extension type (pfkey_align.c). */
size_t kame_ext_minlen(unsigned int type);
/* 0 if @msg is what the kernel sends (kame_msg_parse_out), else -1, error set. */
int kame_check_from_kernel(const struct sadb_msg *msg, size_t len);

/* Printing helpers shared by the dumpers. */
const char *kame_str_time(time_t t, char buf[21]);
/* Numeric address of a Linux sockaddr; "?" for unknown families. */
const char *kame_str_addr(const struct sockaddr *sa, char *buf, size_t len);
const struct sockaddr *kame_ext_sockaddr(const void *ext);
void kame_hexdump(FILE *out, const void *buf, size_t len);
const char *kame_str_satype(unsigned int satype);
const char *kame_str_mode(unsigned int mode);
const char *kame_str_dir(unsigned int dir);
const char *kame_str_state(unsigned int state);

struct sadb_x_sec_ctx;
void kame_print_sec_ctx(FILE *out, const struct sadb_x_sec_ctx *c);

/* The policy dump with a choice of ports (policy_dump.c). */
char *kame_dump_policy(const void *policy, size_t len, const char *delim,
		       int withports, int per_socket);

/* Message building + sending used by the pfkey_send_* wrappers. */
struct pfkey_msgbuf;
int pfkey_send_mb(int so, struct pfkey_msgbuf *mb);

#endif
