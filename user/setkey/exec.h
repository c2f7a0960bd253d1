/* SPDX-License-Identifier: BSD-3-Clause */
/* Sending parsed commands to the kernel and reading its replies. */
#ifndef SETKEY_EXEC_H
#define SETKEY_EXEC_H

#include <stdio.h>
#include "parse.h"

struct sk_exec {
	int so;			/* PF_KEY socket; -1 with -n */
	int noop;		/* -n: print the messages, send nothing */
	int verbose;		/* -v: print every message both ways */
	int withports;		/* -p */
	int show_dead;		/* -a */
	int hide_socket;	/* -N */
	int have_supported;	/* the SADB_REGISTER list is loaded */
	const char *file;
	FILE *out;
	FILE *err;
	uint32_t pid;
	int timeout_ms;
};

void sk_exec_init(struct sk_exec *x, int so, const char *file);
/* 0 ok; -1 after printing "file:line: what failed". */
int sk_exec_cmd(struct sk_exec *x, const struct sk_cmd *c);
/* Asks the kernel which algorithms it has (SADB_REGISTER, UNSPEC). */
int sk_exec_register(struct sk_exec *x);
/* sk_alg_check_fn against the REGISTER list; ctx is the sk_exec. */
int sk_exec_alg_check(void *ctx, const struct kame_alg *a, size_t keybytes,
		      char *why, size_t whylen);
/* -D / -DP: dump and print everything; loop: one-line format (-l). */
int sk_exec_dump(struct sk_exec *x, int spd, unsigned int satype, int shortfmt);
/* Every SA (or policy) the kernel dumps, to each(); 0 or -1. */
int sk_exec_walk(struct sk_exec *x, int spd,
		 int (*each)(struct sk_exec *, const struct sadb_msg *, void *),
		 void *arg);
/* -n: what would be sent. */
void sk_exec_print_cmd(struct sk_exec *x, const struct sk_cmd *c);

#endif
