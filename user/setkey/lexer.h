/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * setkey's tokenizer. Statements may span lines and share lines; blanks
 * and newlines separate tokens, ';' ends a statement, '#' starts a comment
 * to the end of the line, a backslash before the newline continues the
 * line (kept for scripts written that way), "..." is a string (no escapes,
 * as KAME). Reads lazily, one line at a time, so -c works interactively.
 */
#ifndef SETKEY_LEXER_H
#define SETKEY_LEXER_H

#include <stddef.h>
#include <stdio.h>

enum sk_tok {
	SK_TOK_EOF,
	SK_TOK_WORD,
	SK_TOK_STRING,
	SK_TOK_SEMI,
	SK_TOK_ERROR,
};

struct sk_lexer {
	FILE *in;		/* or NULL when reading from mem */
	const char *mem;
	size_t memlen, mempos;
	char *line;		/* current line */
	size_t linecap;
	size_t linelen, pos;
	int lineno;		/* line of the current position */
	int eof;
	/* the current token */
	enum sk_tok tok;
	char *text;
	size_t textlen, textcap;
	int tokline;
	const char *err;	/* for SK_TOK_ERROR */
	/* one token of lookahead */
	int have_peek;
};

void sk_lex_init_file(struct sk_lexer *lx, FILE *in);
void sk_lex_init_mem(struct sk_lexer *lx, const char *buf, size_t len);
void sk_lex_free(struct sk_lexer *lx);
/* Advances and returns the new token. */
enum sk_tok sk_lex_next(struct sk_lexer *lx);
/* Makes the next sk_lex_next() return the current token again. */
void sk_lex_unget(struct sk_lexer *lx);
/* Skips to just after the next ';' (error recovery, interactive use). */
void sk_lex_skip_statement(struct sk_lexer *lx);

#endif
