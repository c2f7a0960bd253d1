/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * setkey -n as a linter: "file:line: warning: ..." (or error:, note:)
 * for a script's mistakes that the kernel would accept but that drop or
 * leak packets, and for the ones it would refuse, before anything is sent.
 */
#ifndef SETKEY_LINT_H
#define SETKEY_LINT_H

#include <stdio.h>
#include "model.h"

enum sk_sev { SK_NOTE, SK_WARNING, SK_ERROR };

struct sk_finding {
	int line;
	unsigned int seq;	/* report order within a line */
	enum sk_sev sev;
	char *text;
};

struct sk_lint {
	const char *file;
	struct sk_model m;
	struct sk_finding *f;
	size_t nf;
	unsigned int seq;
	int ike;		/* an IKE daemon runs (or SETKEY_LINT_IKE=yes) */
	int oom;
	int entries;		/* loaded SAs and policies numbered (-n -D) */
};

void sk_lint_init(struct sk_lint *l, const char *file);
void sk_lint_free(struct sk_lint *l);
void sk_lint_report(struct sk_lint *l, int line, enum sk_sev sev,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* sk_parser.diag: a parse error or a bad key, as an error at that line. */
void sk_lint_diag(void *lint, int line, const char *msg);
/* Applies a parsed statement to the model, reporting what the kernel refuses. */
void sk_lint_cmd(struct sk_lint *l, const struct sk_cmd *c);
/* -n -D: one SA or policy from a kernel dump, numbered as a "line". */
void sk_lint_loaded(struct sk_lint *l, const struct sadb_msg *m);
/* Runs every check on the end state and prints the findings sorted by
 * line; returns the number of errors. */
int sk_lint_finish(struct sk_lint *l, FILE *out);

/* lint_checks.c: the table of end-state checks. */
void sk_lint_run_checks(struct sk_lint *l);
/* "out 10.0.0.1[110] 0.0.0.0/0 tcp" for messages. */
const char *sk_lint_polstr(const struct sk_mpol *p, char *buf, size_t len);

#endif
