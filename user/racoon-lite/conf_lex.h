/* SPDX-License-Identifier: BSD-3-Clause */
/* Tokens of racoon.conf: words, "strings", { } ; , [ ] and # comments. */
#ifndef RACOON_LITE_CONF_LEX_H
#define RACOON_LITE_CONF_LEX_H

enum tok_type {
	T_EOF,
	T_WORD,
	T_STRING,
	T_LBRACE,
	T_RBRACE,
	T_SEMI,
	T_COMMA,
	T_LBRACKET,
	T_RBRACKET,
	T_ERROR,
};

#define TOKEN_MAX 256

struct token {
	enum tok_type type;
	int line;
	char text[TOKEN_MAX];	/* the word, string body or error reason */
};

struct lexer {
	const char *p;
	int line;
};

void lex_init(struct lexer *lx, const char *text);
enum tok_type lex_next(struct lexer *lx, struct token *t);
const char *tok_describe(const struct token *t);

#endif
