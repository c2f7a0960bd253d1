// SPDX-License-Identifier: BSD-3-Clause
/*
 * racoon.conf subset parser: recursive descent over conf_lex tokens.
 * Every statement it does not implement is an error with file:line, so a
 * configuration never silently means something else than it says.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf_lex.h"
#include "dh.h"
#include "isakmp.h"

struct parser {
	const char *name;
	struct lexer lx;
	struct token tok;	/* current token */
	bool peeked;
	struct config *c;
	char *err;
	size_t errlen;
	jmp_buf fail;
};

static void __attribute__((noreturn, format(printf, 3, 4)))
fail(struct parser *ps, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->name, line, msg);
	longjmp(ps->fail, 1);
}

static struct token *next(struct parser *ps)
{
	if (ps->peeked) {
		ps->peeked = false;
		return &ps->tok;
	}
	if (lex_next(&ps->lx, &ps->tok) == T_ERROR)
		fail(ps, ps->tok.line, "%s", ps->tok.text);
	return &ps->tok;
}

static struct token *peek(struct parser *ps)
{
	if (!ps->peeked) {
		next(ps);
		ps->peeked = true;
	}
	return &ps->tok;
}

static void expect(struct parser *ps, enum tok_type type, const char *after)
{
	struct token *t = next(ps);
	static const char *const what[] = {
		[T_LBRACE] = "{", [T_RBRACE] = "}", [T_SEMI] = ";",
		[T_RBRACKET] = "]",
	};

	if (t->type != type)
		fail(ps, t->line, "expected '%s' after %s, got '%s'",
		     what[type], after, tok_describe(t));
}

static char *word(struct parser *ps, const char *what)
{
	struct token *t = next(ps);

	if (t->type != T_WORD)
		fail(ps, t->line, "expected %s, got '%s'", what,
		     tok_describe(t));
	return t->text;
}

static bool is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static unsigned long number(struct parser *ps, const char *what,
			    unsigned long max)
{
	char *s = word(ps, what), *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v > max)
		fail(ps, ps->tok.line, "invalid %s '%s'", what, s);
	return v;
}

static bool on_off(struct parser *ps, const char *what)
{
	char *s = word(ps, "on or off");

	if (is(s, "on"))
		return true;
	if (is(s, "off"))
		return false;
	fail(ps, ps->tok.line, "%s takes on or off, not '%s'", what, s);
}

static void parse_addr(struct parser *ps, const char *s,
		       struct sockaddr_storage *ss, int line)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		return;
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		return;
	}
	fail(ps, line, "'%s' is not a numeric IPv4 or IPv6 address "
	     "(host names are not supported)", s);
}

static void set_port(struct sockaddr_storage *ss, unsigned int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

/* An optional "[port]" after an address. */
static void opt_port(struct parser *ps, struct sockaddr_storage *ss,
		     unsigned int *portp)
{
	unsigned int port;

	if (peek(ps)->type != T_LBRACKET)
		return;
	next(ps);
	if (peek(ps)->type == T_WORD && is(ps->tok.text, "any")) {
		next(ps);
		port = 0;
	} else {
		port = number(ps, "port", 65535);
	}
	expect(ps, T_RBRACKET, "the port");
	if (ss)
		set_port(ss, port);
	if (portp)
		*portp = port;
}

static uint32_t time_value(struct parser *ps)
{
	unsigned long n = number(ps, "lifetime", 0xffffffffUL);
	char *u = word(ps, "a time unit");
	unsigned long mult;

	if (is(u, "sec") || is(u, "secs") || is(u, "second") ||
	    is(u, "seconds"))
		mult = 1;
	else if (is(u, "min") || is(u, "mins") || is(u, "minute") ||
		 is(u, "minutes"))
		mult = 60;
	else if (is(u, "hour") || is(u, "hours"))
		mult = 3600;
	else
		fail(ps, ps->tok.line, "unknown time unit '%s' (use sec, min "
		     "or hour)", u);
	if (n * mult > 0xffffffffUL || n == 0)
		fail(ps, ps->tok.line, "lifetime out of range");
	return (uint32_t)(n * mult);
}

static uint32_t byte_value_kb(struct parser *ps)
{
	unsigned long n = number(ps, "lifetime", 0xffffffffUL);
	char *u = word(ps, "a byte unit");
	unsigned long long kb;

	if (is(u, "B") || is(u, "byte") || is(u, "bytes"))
		kb = (n + 1023) / 1024;
	else if (is(u, "KB"))
		kb = n;
	else if (is(u, "MB"))
		kb = (unsigned long long)n * 1024;
	else if (is(u, "GB"))
		kb = (unsigned long long)n * 1024 * 1024;
	else
		fail(ps, ps->tok.line, "unknown byte unit '%s' (use B, KB, MB "
		     "or GB)", u);
	if (kb == 0 || kb > 0xffffffffULL)
		fail(ps, ps->tok.line, "lifetime out of range");
	return (uint32_t)kb;
}

static int dh_group_value(struct parser *ps, const char *s)
{
	static const struct {
		const char *name;
		int group;
	} names[] = {
		{ "2", 2 }, { "modp1024", 2 }, { "5", 5 }, { "modp1536", 5 },
		{ "14", 14 }, { "modp2048", 14 }, { "19", 19 }, { "ecp256", 19 },
		{ "20", 20 }, { "ecp384", 20 },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (is(s, names[i].name))
			return names[i].group;
	fail(ps, ps->tok.line, "unsupported DH group '%s' (supported: 2, 5, "
	     "14, 19, 20 / modp1024, modp1536, modp2048, ecp256, ecp384)", s);
}

/* "3des", "aes", "aes 256", "aes256" -> enc id, keybits */
static void enc_value(struct parser *ps, const char *s, int id_3des,
		      int id_aes, struct alg *a)
{
	char name[TOKEN_MAX];

	snprintf(name, sizeof(name), "%s", s);
	a->keybits = 0;
	if (is(name, "3des")) {
		a->id = id_3des;
	} else if (is(name, "aes") || is(name, "rijndael") || is(name, "aes128") ||
		   is(name, "aes192") || is(name, "aes256")) {
		a->id = id_aes;
		if (name[3] && !is(name, "rijndael"))
			a->keybits = (unsigned int)atoi(name + 3);
		else if (peek(ps)->type == T_WORD)
			a->keybits = (unsigned int)number(ps, "key length",
							  256);
		if (a->keybits && a->keybits != 128 && a->keybits != 192 &&
		    a->keybits != 256)
			fail(ps, ps->tok.line, "aes key length must be 128, "
			     "192 or 256");
	} else {
		fail(ps, ps->tok.line, "unsupported encryption algorithm '%s' "
		     "(supported: 3des, aes [128|192|256])", name);
	}
}

static void parse_proposal(struct parser *ps, struct remote_conf *r, int line)
{
	struct p1_proposal *p = calloc(1, sizeof(*p)), **tail;
	struct alg a;

	if (!p)
		fail(ps, line, "out of memory");
	for (tail = &r->props; *tail; tail = &(*tail)->next)
		;
	*tail = p;
	p->line = line;
	expect(ps, T_LBRACE, "proposal");
	while (peek(ps)->type != T_RBRACE) {
		char kw[TOKEN_MAX];
		int kline;

		snprintf(kw, sizeof(kw), "%s", word(ps, "a proposal statement"));
		kline = ps->tok.line;
		char *v;

		if (is(kw, "encryption_algorithm")) {
			enc_value(ps, word(ps, "an algorithm"), OAKLEY_ENC_3DES,
				  OAKLEY_ENC_AES, &a);
			p->enc = a.id;
			p->keybits = a.keybits;
		} else if (is(kw, "hash_algorithm")) {
			v = word(ps, "an algorithm");
			if (is(v, "md5"))
				p->hash = OAKLEY_HASH_MD5;
			else if (is(v, "sha1"))
				p->hash = OAKLEY_HASH_SHA1;
			else if (is(v, "sha256") || is(v, "sha2_256"))
				p->hash = OAKLEY_HASH_SHA256;
			else
				fail(ps, ps->tok.line, "unsupported hash "
				     "algorithm '%s' (supported: md5, sha1, "
				     "sha256)", v);
		} else if (is(kw, "authentication_method")) {
			v = word(ps, "a method");
			if (!is(v, "pre_shared_key"))
				fail(ps, ps->tok.line, "authentication_method "
				     "'%s' is not supported (only "
				     "pre_shared_key)", v);
			p->auth = OAKLEY_AUTH_PSK;
		} else if (is(kw, "dh_group")) {
			p->group = dh_group_value(ps, word(ps, "a group"));
		} else if (is(kw, "lifetime")) {
			v = word(ps, "time");
			if (!is(v, "time"))
				fail(ps, ps->tok.line, "phase 1 lifetime must "
				     "be 'lifetime time N unit'");
			r->lifetime = time_value(ps);
		} else {
			fail(ps, kline, "unknown or unsupported statement "
			     "'%s' in proposal", kw);
		}
		expect(ps, T_SEMI, kw);
	}
	next(ps);
	if (!p->enc || !p->hash || !p->auth || !p->group)
		fail(ps, line, "proposal needs encryption_algorithm, "
		     "hash_algorithm, authentication_method and dh_group");
}

static void parse_remote(struct parser *ps)
{
	struct remote_conf *r = calloc(1, sizeof(*r)), **tail;
	int line = ps->tok.line;
	char *s;

	if (!r)
		fail(ps, line, "out of memory");
	for (tail = &ps->c->remotes; *tail; tail = &(*tail)->next)
		;
	*tail = r;
	r->line = line;
	r->lifetime = DEFAULT_LIFETIME;
	r->prop_check = PROP_STRICT;
	r->initial_contact = true;
	r->main_mode = true;
	r->dpd_retry = 5;	/* racoon's defaults */
	r->dpd_maxfail = 5;
	r->myid_kind = MYID_ADDRESS;
	s = word(ps, "anonymous or an address after remote");
	if (is(s, "anonymous")) {
		r->anonymous = true;
	} else {
		parse_addr(ps, s, &r->addr, ps->tok.line);
		opt_port(ps, &r->addr, NULL);
	}
	if (peek(ps)->type == T_WORD && is(ps->tok.text, "inherit"))
		fail(ps, ps->tok.line, "'inherit' is not supported");
	expect(ps, T_LBRACE, "remote");
	while (peek(ps)->type != T_RBRACE) {
		char kw[TOKEN_MAX];
		int kline;

		snprintf(kw, sizeof(kw), "%s", word(ps, "a remote statement"));
		kline = ps->tok.line;

		if (is(kw, "proposal")) {
			parse_proposal(ps, r, kline);
			continue;
		}
		if (is(kw, "exchange_mode")) {
			bool first = true;

			r->main_mode = false;
			for (;;) {
				s = word(ps, "an exchange mode");
				if (is(s, "main")) {
					r->main_mode = true;
				} else if (is(s, "aggressive")) {
					r->aggressive = true;
					if (first)
						r->initiate_aggressive = true;
				} else {
					fail(ps, ps->tok.line, "exchange_mode "
					     "'%s' is not supported (only "
					     "main and aggressive)", s);
				}
				first = false;
				if (peek(ps)->type != T_COMMA)
					break;
				next(ps);
			}
		} else if (is(kw, "lifetime")) {
			s = word(ps, "time");
			if (!is(s, "time"))
				fail(ps, ps->tok.line, "phase 1 lifetime must "
				     "be 'lifetime time N unit'");
			r->lifetime = time_value(ps);
		} else if (is(kw, "proposal_check")) {
			s = word(ps, "obey, strict, claim or exact");
			if (is(s, "obey"))
				r->prop_check = PROP_OBEY;
			else if (is(s, "strict"))
				r->prop_check = PROP_STRICT;
			else if (is(s, "claim"))
				r->prop_check = PROP_CLAIM;
			else if (is(s, "exact"))
				r->prop_check = PROP_EXACT;
			else
				fail(ps, ps->tok.line, "proposal_check takes "
				     "obey, strict, claim or exact, not "
				     "'%s'", s);
		} else if (is(kw, "my_identifier")) {
			s = word(ps, "an identifier type");
			if (is(s, "address")) {
				r->myid_kind = MYID_ADDRESS;
				if (peek(ps)->type == T_WORD) {
					struct sockaddr_storage tmp;

					s = word(ps, "an address");
					parse_addr(ps, s, &tmp, ps->tok.line);
					snprintf(r->myid, sizeof(r->myid),
						 "%s", s);
				}
			} else if (is(s, "fqdn") || is(s, "user_fqdn")) {
				r->myid_kind = is(s, "fqdn") ? MYID_FQDN :
							       MYID_USER_FQDN;
				if (next(ps)->type != T_STRING)
					fail(ps, ps->tok.line, "%s needs a "
					     "quoted name",
					     r->myid_kind == MYID_FQDN ?
						     "fqdn" : "user_fqdn");
				snprintf(r->myid, sizeof(r->myid), "%s",
					 ps->tok.text);
			} else {
				fail(ps, ps->tok.line, "my_identifier '%s' is "
				     "not supported (address, fqdn, "
				     "user_fqdn)", s);
			}
		} else if (is(kw, "initial_contact")) {
			r->initial_contact = on_off(ps, kw);
		} else if (is(kw, "generate_policy")) {
			if (on_off(ps, kw))
				fail(ps, ps->tok.line, "generate_policy on is "
				     "not supported; add the policies with "
				     "setkey");
		} else if (is(kw, "passive")) {
			r->passive = on_off(ps, kw);
		} else if (is(kw, "dpd_delay")) {
			r->dpd_delay = (int)number(ps, "seconds", 86400);
		} else if (is(kw, "dpd_retry")) {
			r->dpd_retry = (int)number(ps, "seconds", 3600);
			if (!r->dpd_retry)
				fail(ps, ps->tok.line, "dpd_retry must be at "
				     "least 1");
		} else if (is(kw, "dpd_maxfail")) {
			r->dpd_maxfail = (int)number(ps, "count", 100);
			if (!r->dpd_maxfail)
				fail(ps, ps->tok.line, "dpd_maxfail must be "
				     "at least 1");
		} else if (is(kw, "nat_traversal")) {
			if (on_off(ps, kw))
				fail(ps, ps->tok.line, "nat_traversal on is "
				     "not supported");
		} else if (is(kw, "doi")) {
			if (!is(word(ps, "ipsec_doi"), "ipsec_doi"))
				fail(ps, ps->tok.line, "only doi ipsec_doi "
				     "is supported");
		} else if (is(kw, "situation")) {
			if (!is(word(ps, "identity_only"), "identity_only"))
				fail(ps, ps->tok.line, "only situation "
				     "identity_only is supported");
		} else {
			fail(ps, kline, "unknown or unsupported statement "
			     "'%s' in remote", kw);
		}
		expect(ps, T_SEMI, kw);
	}
	next(ps);
	if (!r->props)
		fail(ps, line, "remote needs at least one proposal block");
	/* Aggressive Mode sends its KE with the offer: one group only */
	for (struct p1_proposal *p = r->props; r->aggressive && p; p = p->next)
		if (p->group != r->props->group)
			fail(ps, p->line, "with exchange_mode aggressive, every "
			     "proposal must use the same dh_group");
}

static void parse_sa_id(struct parser *ps, struct sa_id *id)
{
	char *s = word(ps, "anonymous or address");
	char *slash;
	unsigned int max;

	memset(id, 0, sizeof(*id));
	if (is(s, "anonymous")) {
		id->any = true;
		return;
	}
	if (!is(s, "address") && !is(s, "subnet"))
		fail(ps, ps->tok.line, "sainfo identifier '%s' is not "
		     "supported (anonymous, address, subnet)", s);
	s = word(ps, "an address");
	slash = strchr(s, '/');
	if (slash)
		*slash++ = '\0';
	parse_addr(ps, s, &id->addr, ps->tok.line);
	max = id->addr.ss_family == AF_INET ? 32 : 128;
	id->prefix = max;
	if (slash) {
		char *end;
		unsigned long v = strtoul(slash, &end, 10);

		if (!*slash || *end || v > max)
			fail(ps, ps->tok.line, "invalid prefix length '%s'",
			     slash);
		id->prefix = (unsigned int)v;
	}
	opt_port(ps, NULL, &id->port);
	s = word(ps, "a protocol (any, tcp, udp, icmp or a number)");
	if (is(s, "any"))
		id->proto = 255;
	else if (is(s, "tcp"))
		id->proto = IPPROTO_TCP;
	else if (is(s, "udp"))
		id->proto = IPPROTO_UDP;
	else if (is(s, "icmp"))
		id->proto = IPPROTO_ICMP;
	else if (is(s, "icmp6") || is(s, "ipv6-icmp"))
		id->proto = IPPROTO_ICMPV6;
	else {
		char *end;
		unsigned long v = strtoul(s, &end, 10);

		if (*end || v > 255)
			fail(ps, ps->tok.line, "unknown protocol '%s'", s);
		id->proto = (int)v;
	}
}

static void alg_list(struct parser *ps, const char *kw, struct sainfo_conf *si)
{
	for (;;) {
		char *s = word(ps, "an algorithm");
		struct alg a = { 0, 0 };

		if (is(kw, "encryption_algorithm")) {
			if (si->nenc == MAX_ALGS)
				fail(ps, ps->tok.line, "too many algorithms");
			enc_value(ps, s, ESP_3DES, ESP_AES, &a);
			si->enc[si->nenc++] = a;
		} else if (is(kw, "authentication_algorithm")) {
			if (si->nauth == MAX_ALGS)
				fail(ps, ps->tok.line, "too many algorithms");
			if (is(s, "hmac_md5"))
				a.id = AUTH_HMAC_MD5;
			else if (is(s, "hmac_sha1"))
				a.id = AUTH_HMAC_SHA1;
			else if (is(s, "hmac_sha256"))
				a.id = AUTH_HMAC_SHA256;
			else
				fail(ps, ps->tok.line, "unsupported "
				     "authentication algorithm '%s' "
				     "(supported: hmac_md5, hmac_sha1, "
				     "hmac_sha256)", s);
			si->auth[si->nauth++] = a;
		} else {
			if (si->ncomp == MAX_ALGS)
				fail(ps, ps->tok.line, "too many algorithms");
			if (!is(s, "deflate"))
				fail(ps, ps->tok.line, "unsupported "
				     "compression algorithm '%s' (only "
				     "deflate)", s);
			si->comp[si->ncomp++] = IPCOMP_DEFLATE;
		}
		if (peek(ps)->type != T_COMMA)
			return;
		next(ps);
	}
}

static void parse_sainfo(struct parser *ps)
{
	struct sainfo_conf *si = calloc(1, sizeof(*si)), **tail;
	int line = ps->tok.line;

	if (!si)
		fail(ps, line, "out of memory");
	for (tail = &ps->c->sainfos; *tail; tail = &(*tail)->next)
		;
	*tail = si;
	si->line = line;
	si->lifetime = DEFAULT_LIFETIME;
	parse_sa_id(ps, &si->src);
	if (peek(ps)->type == T_WORD)
		parse_sa_id(ps, &si->dst);
	else if (si->src.any)
		si->dst.any = true;
	else
		fail(ps, line, "sainfo needs a destination identifier");
	if (peek(ps)->type == T_WORD && is(ps->tok.text, "from"))
		fail(ps, ps->tok.line, "'sainfo ... from' is not supported");
	expect(ps, T_LBRACE, "sainfo");
	while (peek(ps)->type != T_RBRACE) {
		char kw[TOKEN_MAX];
		int kline;

		snprintf(kw, sizeof(kw), "%s", word(ps, "a sainfo statement"));
		kline = ps->tok.line;
		char *s;

		if (is(kw, "pfs_group")) {
			si->pfs_group = dh_group_value(ps, word(ps, "a group"));
		} else if (is(kw, "lifetime")) {
			s = word(ps, "time or byte");
			if (is(s, "time"))
				si->lifetime = time_value(ps);
			else if (is(s, "byte"))
				si->lifetime_kb = byte_value_kb(ps);
			else
				fail(ps, ps->tok.line, "lifetime takes time "
				     "or byte, not '%s'", s);
		} else if (is(kw, "encryption_algorithm") ||
			   is(kw, "authentication_algorithm") ||
			   is(kw, "compression_algorithm")) {
			alg_list(ps, kw, si);
		} else {
			fail(ps, kline, "unknown or unsupported statement "
			     "'%s' in sainfo", kw);
		}
		expect(ps, T_SEMI, kw);
	}
	next(ps);
	if (!si->nenc || !si->nauth)
		fail(ps, line, "sainfo needs encryption_algorithm and "
		     "authentication_algorithm");
}

static void parse_listen(struct parser *ps)
{
	expect(ps, T_LBRACE, "listen");
	while (peek(ps)->type != T_RBRACE) {
		char kw[TOKEN_MAX];
		int kline;

		snprintf(kw, sizeof(kw), "%s", word(ps, "a listen statement"));
		kline = ps->tok.line;
		struct sockaddr_storage *ss;

		if (!is(kw, "isakmp"))
			fail(ps, kline, "unknown or unsupported statement "
			     "'%s' in listen (only isakmp)", kw);
		if (ps->c->nlisten == MAX_LISTEN)
			fail(ps, kline, "too many listen addresses");
		ss = &ps->c->listen[ps->c->nlisten++];
		parse_addr(ps, word(ps, "an address"), ss, ps->tok.line);
		set_port(ss, ISAKMP_PORT);
		opt_port(ps, ss, NULL);
		expect(ps, T_SEMI, kw);
	}
	next(ps);
}

static void parse_timer(struct parser *ps)
{
	struct timer_conf *t = &ps->c->timer;

	expect(ps, T_LBRACE, "timer");
	while (peek(ps)->type != T_RBRACE) {
		char kw[TOKEN_MAX];
		int kline;

		snprintf(kw, sizeof(kw), "%s", word(ps, "a timer statement"));
		kline = ps->tok.line;

		if (is(kw, "counter"))
			t->counter = (int)number(ps, "counter", 100);
		else if (is(kw, "persend"))
			t->persend = (int)number(ps, "persend", 10);
		else if (is(kw, "interval") || is(kw, "phase1") ||
			 is(kw, "phase2")) {
			uint32_t v = time_value(ps);

			if (v > 3600)
				fail(ps, ps->tok.line, "%s longer than an "
				     "hour", kw);
			if (is(kw, "interval"))
				t->interval = (int)v;
			else if (is(kw, "phase1"))
				t->phase1 = (int)v;
			else
				t->phase2 = (int)v;
		} else
			fail(ps, kline, "unknown or unsupported statement "
			     "'%s' in timer", kw);
		if (t->persend == 0 && is(kw, "persend"))
			fail(ps, ps->tok.line, "persend must be at least 1");
		expect(ps, T_SEMI, kw);
	}
	next(ps);
}

static void parse_padding(struct parser *ps)
{
	struct padding_conf *p = &ps->c->padding;

	expect(ps, T_LBRACE, "padding");
	while (peek(ps)->type != T_RBRACE) {
		char kw[TOKEN_MAX];
		int kline;

		snprintf(kw, sizeof(kw), "%s", word(ps, "a padding statement"));
		kline = ps->tok.line;

		if (is(kw, "randomize"))
			p->randomize = on_off(ps, kw);
		else if (is(kw, "randomize_length"))
			p->randomize = on_off(ps, kw) || p->randomize;
		else if (is(kw, "maximum_length"))
			p->maximum_length = (int)number(ps, "length", 255);
		else if (is(kw, "strict_check"))
			p->strict_check = on_off(ps, kw);
		else if (is(kw, "exclusive_tail"))
			p->exclusive_tail = on_off(ps, kw);
		else
			fail(ps, kline, "unknown or unsupported statement "
			     "'%s' in padding", kw);
		expect(ps, T_SEMI, kw);
	}
	next(ps);
}

static void parse_top(struct parser *ps)
{
	while (peek(ps)->type != T_EOF) {
		char kw[TOKEN_MAX];
		int line;

		snprintf(kw, sizeof(kw), "%s", word(ps, "a statement"));
		line = ps->tok.line;
		char *s;

		if (is(kw, "path")) {
			s = word(ps, "a path type");
			if (!is(s, "pre_shared_key"))
				fail(ps, ps->tok.line, "path %s is not "
				     "supported (only pre_shared_key)", s);
			if (next(ps)->type != T_STRING)
				fail(ps, ps->tok.line, "path pre_shared_key "
				     "needs a quoted file name");
			free(ps->c->psk_path);
			ps->c->psk_path = strdup(ps->tok.text);
			if (!ps->c->psk_path)
				fail(ps, line, "out of memory");
			expect(ps, T_SEMI, "path");
		} else if (is(kw, "log")) {
			s = word(ps, "a log level");
			if (is(s, "error"))
				ps->c->log_level = 0;
			else if (is(s, "warning"))
				ps->c->log_level = 1;
			else if (is(s, "notify"))
				ps->c->log_level = 2;
			else if (is(s, "info"))
				ps->c->log_level = 3;
			else if (is(s, "debug"))
				ps->c->log_level = 4;
			else if (is(s, "debug2"))
				ps->c->log_level = 5;
			else
				fail(ps, ps->tok.line, "unknown log level '%s' "
				     "(error, warning, notify, info, debug, "
				     "debug2)", s);
			expect(ps, T_SEMI, "log");
		} else if (is(kw, "listen")) {
			parse_listen(ps);
		} else if (is(kw, "timer")) {
			parse_timer(ps);
		} else if (is(kw, "padding")) {
			parse_padding(ps);
		} else if (is(kw, "remote")) {
			parse_remote(ps);
		} else if (is(kw, "sainfo")) {
			parse_sainfo(ps);
		} else {
			fail(ps, line, "unknown or unsupported statement '%s'",
			     kw);
		}
	}
}

void conf_free(struct config *c)
{
	if (!c)
		return;
	while (c->remotes) {
		struct remote_conf *r = c->remotes;

		c->remotes = r->next;
		while (r->props) {
			struct p1_proposal *p = r->props;

			r->props = p->next;
			free(p);
		}
		free(r);
	}
	while (c->sainfos) {
		struct sainfo_conf *s = c->sainfos;

		c->sainfos = s->next;
		free(s);
	}
	free(c->psk_path);
	free(c);
}

struct config *conf_parse_string(const char *name, const char *text,
				 char *err, size_t errlen)
{
	struct parser ps;
	struct config *volatile c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	c->log_level = -1;
	c->timer = (struct timer_conf){ .counter = 5, .interval = 10,
					.persend = 1, .phase1 = 15,
					.phase2 = 10 };
	memset(&ps, 0, sizeof(ps));
	ps.name = name;
	ps.c = c;
	ps.err = err;
	ps.errlen = errlen;
	lex_init(&ps.lx, text);
	if (setjmp(ps.fail)) {
		conf_free(c);
		return NULL;
	}
	parse_top(&ps);
	return c;
}

struct config *conf_load(const char *path, char *err, size_t errlen)
{
	struct config *c;
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
			 strerror(errno));
		return NULL;
	}
	/* open_memstream gives a NUL-terminated copy of any size */
	{
		FILE *m = open_memstream(&text, &len);
		char chunk[4096];
		size_t n;

		if (!m) {
			fclose(f);
			snprintf(err, errlen, "%s: out of memory", path);
			return NULL;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, n, m);
		fclose(m);
	}
	fclose(f);
	if (strlen(text) != len) {
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		free(text);
		return NULL;
	}
	c = conf_parse_string(path, text, err, errlen);
	free(text);
	return c;
}
