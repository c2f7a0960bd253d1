// SPDX-License-Identifier: BSD-3-Clause
/* setkey statements: dispatch and the helpers every command shares. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parse.h"
#include "../libipsec/pfkey_msg.h"

void sk_parser_init(struct sk_parser *p, const char *file)
{
	memset(p, 0, sizeof(*p));
	p->file = file;
	p->pid = getpid();
}

void sk_parser_free(struct sk_parser *p)
{
	sk_lex_free(&p->lx);
}

void sk_cmd_free(struct sk_cmd *cmd)
{
	size_t i;

	for (i = 0; i < cmd->nmsgs; i++)
		free(cmd->msgs[i].m);
	free(cmd->msgs);
	memset(cmd, 0, sizeof(*cmd));
}

int sk_error(struct sk_parser *p, const char *fmt, ...)
{
	va_list ap;

	p->errline = p->lx.tokline;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -1;
}

enum sk_tok sk_next(struct sk_parser *p)
{
	enum sk_tok t = sk_lex_next(&p->lx);

	if (t == SK_TOK_ERROR)
		sk_error(p, "%s", p->lx.err);
	return t;
}

int sk_expect_semi(struct sk_parser *p)
{
	enum sk_tok t = sk_next(p);

	if (t == SK_TOK_SEMI)
		return 0;
	if (t == SK_TOK_ERROR)
		return -1;
	if (t == SK_TOK_EOF)
		return sk_error(p, "missing ';' at end of input");
	return sk_error(p, "unexpected '%s' (expected ';')", p->lx.text);
}

/* Decimal or 0x-hex, no sign, at most max. */
int sk_parse_number(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s[0] || s[0] == '-' || s[0] == '+' || s[0] == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Finishes a message and appends it to the command. */
int sk_add_msg(struct sk_parser *p, struct sk_cmd *cmd, void *mbp)
{
	struct pfkey_msgbuf *mb = mbp;
	struct sk_msg *n;
	struct sadb_msg *m;
	size_t len;

	m = pfkey_mb_finish(mb, &len);
	if (!m) {
		pfkey_mb_free(mb);
		return sk_error(p, "cannot build the message: %s",
				ipsec_strerror());
	}
	n = realloc(cmd->msgs, (cmd->nmsgs + 1) * sizeof(*n));
	if (!n) {
		pfkey_mb_free(mb);
		return sk_error(p, "out of memory");
	}
	cmd->msgs = n;
	cmd->msgs[cmd->nmsgs].m = m;	/* ownership moves to the command */
	cmd->msgs[cmd->nmsgs].len = len;
	cmd->nmsgs++;
	return 0;
}

int sk_parse_aiflags(struct sk_parser *p, struct sk_aiflags *f)
{
	const char *s;

	memset(f, 0, sizeof(*f));
	f->family = AF_UNSPEC;
	for (;;) {
		enum sk_tok t = sk_next(p);

		if (t == SK_TOK_ERROR)
			return -1;
		if (t != SK_TOK_WORD || p->lx.text[0] != '-' ||
		    !p->lx.text[1] || strspn(p->lx.text + 1, "46n") !=
		    strlen(p->lx.text + 1)) {
			sk_lex_unget(&p->lx);
			return 0;
		}
		for (s = p->lx.text + 1; *s; s++) {
			if (*s == 'n')
				f->numeric = 1;
			else
				f->family = *s == '4' ? AF_INET : AF_INET6;
		}
	}
}

static const struct {
	const char *name;
	int (*parse)(struct sk_parser *, const char *, struct sk_cmd *);
} commands[] = {
	{ "add", sk_parse_sa_cmd },
	{ "update", sk_parse_sa_cmd },
	{ "get", sk_parse_sa_cmd },
	{ "delete", sk_parse_sa_cmd },
	{ "deleteall", sk_parse_sa_cmd },
	{ "getspi", sk_parse_sa_cmd },
	{ "flush", sk_parse_sa_cmd },
	{ "dump", sk_parse_sa_cmd },
	{ "spdadd", sk_parse_spd_cmd },
	{ "spdupdate", sk_parse_spd_cmd },
	{ "spddelete", sk_parse_spd_cmd },
	{ "spdflush", sk_parse_spd_cmd },
	{ "spddump", sk_parse_spd_cmd },
};

int sk_parse_next(struct sk_parser *p, struct sk_cmd *cmd)
{
	enum sk_tok t;
	size_t i;

	memset(cmd, 0, sizeof(*cmd));
	p->err[0] = '\0';
	do {
		t = sk_next(p);
	} while (t == SK_TOK_SEMI);	/* empty statements */
	if (t == SK_TOK_EOF)
		return 0;
	if (t == SK_TOK_ERROR)
		goto fail;
	cmd->line = p->lx.tokline;
	p->stmtline = cmd->line;
	if (t != SK_TOK_WORD) {
		sk_error(p, "expected a command, got \"%s\"", p->lx.text);
		goto fail;
	}
	if (!strcmp(p->lx.text, "exit") || !strcmp(p->lx.text, "quit") ||
	    !strcmp(p->lx.text, "bye")) {
		cmd->kind = SK_EXIT;
		cmd->name = "exit";
		/* the ';' is optional at the prompt */
		t = sk_next(p);
		if (t != SK_TOK_SEMI && t != SK_TOK_EOF)
			sk_lex_unget(&p->lx);
		return 1;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(p->lx.text, commands[i].name))
			continue;
		cmd->name = commands[i].name;
		if (commands[i].parse(p, commands[i].name, cmd))
			goto fail;
		return 1;
	}
	sk_error(p, "unknown command '%s'", p->lx.text);
fail:
	if (!p->errline)
		p->errline = p->lx.tokline;
	sk_cmd_free(cmd);
	sk_lex_skip_statement(&p->lx);
	return -1;
}
