/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * setkey's statement parser: text in, PF_KEY messages out. It never
 * touches a socket, so it can be tested and fuzzed without a kernel; the
 * executor (exec.c) sends what it produces.
 */
#ifndef SETKEY_PARSE_H
#define SETKEY_PARSE_H

#include <stdint.h>
#include <sys/socket.h>
#include "lexer.h"
#include "../libipsec/libipsec.h"
#include "../libipsec/algs.h"

enum sk_kind {
	SK_SEND,	/* send each message, expect a reply to each */
	SK_GET,		/* send, print the SA in the reply */
	SK_DUMP,	/* SADB_DUMP, print every reply */
	SK_SPDDUMP,	/* SADB_X_SPDDUMP, print every reply */
	SK_DELETEALL,	/* KAME delete-all; dump + delete where refused */
	SK_EXIT,
};

struct sk_msg {
	struct sadb_msg *m;
	size_t len;
};

struct sk_cmd {
	enum sk_kind kind;
	const char *name;	/* "add", "spdadd", ... */
	int line;		/* where the statement started */
	struct sk_msg *msgs;
	size_t nmsgs;
	unsigned int satype;	/* dump, deleteall */
};

/*
 * Asked before an SA uses an algorithm; returns 0 if the kernel can do
 * it with this key length, else fills why[] (e.g. from SADB_REGISTER).
 */
typedef int (*sk_alg_check_fn)(void *ctx, const struct kame_alg *alg,
			       size_t keybytes, char *why, size_t whylen);

struct sk_parser {
	struct sk_lexer lx;
	const char *file;
	int rfc_mode;		/* -r: every "in" policy also as "fwd" */
	int no_dns;		/* numeric addresses only (fuzzing) */
	uint32_t seq;
	uint32_t pid;
	sk_alg_check_fn alg_check;
	void *alg_ctx;
	/*
	 * -n (lint): a key of the wrong length goes here, as an error at
	 * the statement's line, and the SA is still built so the linter
	 * sees it; without diag it is a parse error.
	 */
	void (*diag)(void *ctx, int line, const char *msg);
	void *diag_ctx;
	int stmtline;		/* where the current statement started */
	/* last error */
	int errline;
	char err[512];
};

void sk_parser_init(struct sk_parser *p, const char *file);
void sk_parser_free(struct sk_parser *p);
/* 1: *cmd filled; 0: end of input; -1: error in p->err (line p->errline). */
int sk_parse_next(struct sk_parser *p, struct sk_cmd *cmd);
void sk_cmd_free(struct sk_cmd *cmd);

/* internal, shared by parse_*.c */
struct sk_addr {
	struct sockaddr_storage ss;
	unsigned int prefix;	/* -1u if not given */
	int has_port;
};
struct sk_addrlist {
	struct sk_addr *a;
	size_t n;
};
int sk_error(struct sk_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum sk_tok sk_next(struct sk_parser *p);
int sk_expect_semi(struct sk_parser *p);
int sk_parse_number(const char *s, uint64_t max, uint64_t *out);
int sk_add_msg(struct sk_parser *p, struct sk_cmd *cmd, void *mb);
/* aiflags: '4', '6', 'n' seen before the addresses */
struct sk_aiflags {
	int family;
	int numeric;
};
int sk_parse_aiflags(struct sk_parser *p, struct sk_aiflags *f);
/* allow_prefix: selectors (spd*) take addr/prefix; SAs do not. */
int sk_parse_addr(struct sk_parser *p, const char *word,
		  const struct sk_aiflags *f, int allow_prefix,
		  struct sk_addrlist *out);
void sk_addrlist_free(struct sk_addrlist *l);

int sk_parse_sa_cmd(struct sk_parser *p, const char *name, struct sk_cmd *cmd);
int sk_parse_spd_cmd(struct sk_parser *p, const char *name, struct sk_cmd *cmd);

#endif
