// SPDX-License-Identifier: BSD-3-Clause
/* setkey's tokenizer (see lexer.h). */
#include <stdlib.h>
#include <string.h>
#include "lexer.h"

void sk_lex_init_file(struct sk_lexer *lx, FILE *in)
{
	memset(lx, 0, sizeof(*lx));
	lx->in = in;
}

void sk_lex_init_mem(struct sk_lexer *lx, const char *buf, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->mem = buf;
	lx->memlen = len;
}

void sk_lex_free(struct sk_lexer *lx)
{
	free(lx->line);
	free(lx->text);
	memset(lx, 0, sizeof(*lx));
}

/* Loads the next line; returns 0 at end of input. */
static int next_line(struct sk_lexer *lx)
{
	if (lx->eof)
		return 0;
	if (lx->in) {
		ssize_t n = getline(&lx->line, &lx->linecap, lx->in);

		if (n < 0) {
			lx->eof = 1;
			return 0;
		}
		lx->linelen = n;
	} else {
		const char *s = lx->mem + lx->mempos, *nl;
		size_t left = lx->memlen - lx->mempos, n;

		if (!left) {
			lx->eof = 1;
			return 0;
		}
		nl = memchr(s, '\n', left);
		n = nl ? (size_t)(nl - s) + 1 : left;
		if (n + 1 > lx->linecap) {
			char *l = realloc(lx->line, n + 1);

			if (!l) {
				lx->eof = 1;
				return 0;
			}
			lx->line = l;
			lx->linecap = n + 1;
		}
		memcpy(lx->line, s, n);
		lx->line[n] = '\0';
		lx->linelen = n;
		lx->mempos += n;
	}
	lx->pos = 0;
	lx->lineno++;
	return 1;
}

static int text_add(struct sk_lexer *lx, char c)
{
	if (lx->textlen + 2 > lx->textcap) {
		size_t cap = lx->textcap ? lx->textcap * 2 : 64;
		char *t;

		/* one token is never longer than a few KB (keys, contexts) */
		if (cap > 65536)
			return -1;
		t = realloc(lx->text, cap);
		if (!t)
			return -1;
		lx->text = t;
		lx->textcap = cap;
	}
	lx->text[lx->textlen++] = c;
	lx->text[lx->textlen] = '\0';
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

static enum sk_tok fail(struct sk_lexer *lx, const char *msg)
{
	lx->err = msg;
	lx->tok = SK_TOK_ERROR;
	return lx->tok;
}

enum sk_tok sk_lex_next(struct sk_lexer *lx)
{
	char c;

	if (lx->have_peek) {
		lx->have_peek = 0;
		return lx->tok;
	}
	lx->textlen = 0;
	if (text_add(lx, 'x'))
		return fail(lx, "out of memory");
	lx->textlen = 0;
	lx->text[0] = '\0';
	for (;;) {
		if (!lx->line || lx->pos >= lx->linelen) {
			if (!next_line(lx)) {
				lx->tokline = lx->lineno;
				lx->tok = SK_TOK_EOF;
				return lx->tok;
			}
			continue;
		}
		c = lx->line[lx->pos];
		if (c == '\0') {
			lx->pos = lx->linelen;	/* NUL: ignore the rest */
			continue;
		}
		if (is_blank(c)) {
			lx->pos++;
			continue;
		}
		if (c == '\\' && lx->pos + 1 < lx->linelen &&
		    (lx->line[lx->pos + 1] == '\n' || lx->line[lx->pos + 1] == '\r')) {
			lx->pos = lx->linelen;	/* continuation */
			continue;
		}
		if (c == '#') {
			lx->pos = lx->linelen;
			continue;
		}
		break;
	}
	lx->tokline = lx->lineno;
	if (c == ';') {
		lx->pos++;
		text_add(lx, ';');
		lx->tok = SK_TOK_SEMI;
		return lx->tok;
	}
	if (c == '"') {
		lx->pos++;
		for (;;) {
			if (lx->pos >= lx->linelen || lx->line[lx->pos] == '\n' ||
			    lx->line[lx->pos] == '\0')
				return fail(lx, "unterminated string");
			c = lx->line[lx->pos++];
			if (c == '"')
				break;
			if (text_add(lx, c))
				return fail(lx, "string too long");
		}
		lx->tok = SK_TOK_STRING;
		return lx->tok;
	}
	while (lx->pos < lx->linelen) {
		c = lx->line[lx->pos];
		if (is_blank(c) || c == ';' || c == '"' || c == '#' || c == '\0')
			break;
		if (c == '\\' && lx->pos + 1 < lx->linelen &&
		    (lx->line[lx->pos + 1] == '\n' || lx->line[lx->pos + 1] == '\r'))
			break;
		if (text_add(lx, c))
			return fail(lx, "token too long");
		lx->pos++;
	}
	lx->tok = SK_TOK_WORD;
	return lx->tok;
}

void sk_lex_unget(struct sk_lexer *lx)
{
	lx->have_peek = 1;
}

void sk_lex_skip_statement(struct sk_lexer *lx)
{
	enum sk_tok t = lx->tok;

	while (t != SK_TOK_SEMI && t != SK_TOK_EOF) {
		t = sk_lex_next(lx);
		if (t == SK_TOK_ERROR) {
			/* drop the rest of the offending line */
			lx->pos = lx->linelen;
			t = SK_TOK_WORD;
		}
	}
}
