// SPDX-License-Identifier: BSD-3-Clause
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "conf_lex.h"

void lex_init(struct lexer *lx, const char *text)
{
	lx->p = text;
	lx->line = 1;
}

static int word_char(int c)
{
	/* strchr() would also find the terminating NUL */
	return c && (isalnum(c) || strchr("_.:/-*@%+", c));
}

enum tok_type lex_next(struct lexer *lx, struct token *t)
{
	const char *p = lx->p;
	size_t n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			if (*p == '\n')
				lx->line++;
			p++;
		}
		if (*p != '#')
			break;
		while (*p && *p != '\n')
			p++;
	}
	t->line = lx->line;
	t->text[0] = '\0';
	switch (*p) {
	case '\0':
		t->type = T_EOF;
		break;
	case '{':
		t->type = T_LBRACE;
		break;
	case '}':
		t->type = T_RBRACE;
		break;
	case ';':
		t->type = T_SEMI;
		break;
	case ',':
		t->type = T_COMMA;
		break;
	case '[':
		t->type = T_LBRACKET;
		break;
	case ']':
		t->type = T_RBRACKET;
		break;
	case '"':
		p++;
		while (*p && *p != '"' && *p != '\n') {
			if (n + 1 >= TOKEN_MAX) {
				t->type = T_ERROR;
				snprintf(t->text, TOKEN_MAX, "string too long");
				lx->p = p;
				return t->type;
			}
			t->text[n++] = *p++;
		}
		t->text[n] = '\0';
		if (*p != '"') {
			t->type = T_ERROR;
			snprintf(t->text, TOKEN_MAX, "unterminated string");
			lx->p = p;
			return t->type;
		}
		t->type = T_STRING;
		lx->p = p + 1;
		return t->type;
	default:
		if (!word_char((unsigned char)*p)) {
			t->type = T_ERROR;
			snprintf(t->text, TOKEN_MAX, "unexpected character '%c'",
				 isprint((unsigned char)*p) ? *p : '?');
			lx->p = p + 1;
			return t->type;
		}
		while (word_char((unsigned char)*p)) {
			if (n + 1 >= TOKEN_MAX) {
				t->type = T_ERROR;
				snprintf(t->text, TOKEN_MAX, "word too long");
				lx->p = p;
				return t->type;
			}
			t->text[n++] = *p++;
		}
		t->text[n] = '\0';
		t->type = T_WORD;
		lx->p = p;
		return t->type;
	}
	if (t->type != T_EOF)
		p++;
	lx->p = p;
	return t->type;
}

const char *tok_describe(const struct token *t)
{
	switch (t->type) {
	case T_EOF:
		return "end of file";
	case T_WORD:
	case T_STRING:
		return t->text;
	case T_LBRACE:
		return "{";
	case T_RBRACE:
		return "}";
	case T_SEMI:
		return ";";
	case T_COMMA:
		return ",";
	case T_LBRACKET:
		return "[";
	case T_RBRACKET:
		return "]";
	default:
		return "error";
	}
}
