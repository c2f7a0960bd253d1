// SPDX-License-Identifier: BSD-3-Clause
/*
 * racoon.conf parser: recursive descent over conf_lex tokens.
 *
 * A racoon.conf written for racoon loads: a statement racoon-lite has no
 * use for (an admin socket, privilege separation, NAT-T timers, XAUTH
 * servers, ...) is skipped with one warning naming file:line, and
 * algorithms racoon knows but racoon-lite does not are left out of the
 * offer with a warning. What would change security if ignored
 * (generate_policy, a PFS group, sainfo restrictions, ...) stays an error
 * with file:line, so a configuration never silently means less than it says.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "cert.h"
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
	int depth;		/* include nesting */
	jmp_buf fail;
};

static void parse_top(struct parser *ps);
static void parse_path(struct parser *ps, int line);
static void parse_include(struct parser *ps, int line);

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

/* "file:line: what; ignored (why)": kept in the config for the daemon to log. */
static void __attribute__((format(printf, 3, 4)))
warn_at(struct parser *ps, int line, const char *fmt, ...)
{
	char msg[512], *w, **v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (asprintf(&w, "%s:%d: %s", ps->name, line, msg) < 0)
		fail(ps, line, "out of memory");
	v = realloc(ps->c->warnings,
		    (size_t)(ps->c->nwarnings + 1) * sizeof(*v));
	if (!v) {
		free(w);
		fail(ps, line, "out of memory");
	}
	v[ps->c->nwarnings++] = w;
	ps->c->warnings = v;
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

/*
 * The rest of a statement whose keyword was just read: through its ';',
 * or its { } block (and a ';' after it, if any), nested blocks included.
 */
static void skip_statement(struct parser *ps, const char *kw)
{
	int depth = 0;

	for (;;) {
		struct token *t = next(ps);

		switch (t->type) {
		case T_EOF:
			fail(ps, t->line, "unexpected end of file in '%s'", kw);
		case T_LBRACE:
			depth++;
			break;
		case T_RBRACE:
			if (depth == 0)
				fail(ps, t->line, "unexpected '}' in '%s'", kw);
			if (--depth == 0) {
				if (peek(ps)->type == T_SEMI)
					next(ps);
				return;
			}
			break;
		case T_SEMI:
			if (depth == 0)
				return;
			break;
		default:
			break;
		}
	}
}

/* A statement racoon-lite has no use for: one warning, then skip it. */
static void ignore(struct parser *ps, int line, const char *kw,
		   const char *why)
{
	warn_at(ps, line, "'%s' ignored (%s)", kw, why);
	skip_statement(ps, kw);
}

/* Whether @s is in the NULL-terminated list @v. */
static bool one_of(const char *s, const char *const *v)
{
	for (; *v; v++)
		if (strcmp(s, *v) == 0)
			return true;
	return false;
}

/* Names racoon.conf(5) knows that racoon-lite does not implement. */
static const char *const racoon_p1_enc[] = {
	"des", "blowfish", "cast128", "camellia", NULL };
static const char *const racoon_p1_auth[] = {
	"gssapi_krb", "hybrid_rsa_server", "hybrid_rsa_client",
	"xauth_rsa_server", "xauth_rsa_client", "xauth_psk_server",
	"xauth_psk_client", NULL };
static const char *const racoon_groups[] = {
	"1", "modp768", "15", "modp3072", "16", "modp4096", "17", "modp6144",
	"18", "modp8192", NULL };
static const char *const racoon_p2_enc[] = {
	"des", "des_iv64", "des_iv32", "rc5", "rc4", "idea", "3idea",
	"cast128", "blowfish", "null_enc", "twofish", "camellia", NULL };
static const char *const racoon_p2_auth[] = {
	"des", "3des", "des_iv64", "des_iv32", "non_auth", NULL };

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

/* A quoted string into @out, else fail with @what. */
static void quoted(struct parser *ps, const char *what, char *out,
		   size_t outlen)
{
	if (next(ps)->type != T_STRING || !ps->tok.text[0])
		fail(ps, ps->tok.line, "%s", what);
	if (strlen(ps->tok.text) >= outlen)
		fail(ps, ps->tok.line, "file name too long");
	snprintf(out, outlen, "%s", ps->tok.text);
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

/* The hash an ECDSA method signs with (RFC 4754), 0 for the others. */
static int ecdsa_hash(int auth)
{
	switch (auth) {
	case OAKLEY_AUTH_ECDSA_256:
		return OAKLEY_HASH_SHA256;
	case OAKLEY_AUTH_ECDSA_384:
		return OAKLEY_HASH_SHA384;
	case OAKLEY_AUTH_ECDSA_521:
		return OAKLEY_HASH_SHA512;
	}
	return 0;
}

/* 0 for a group racoon knows and racoon-lite does not (left out). */
static int dh_group_value(struct parser *ps, const char *s)
{
	static const struct {
		const char *name;
		int group;
	} names[] = {
		{ "2", 2 }, { "modp1024", 2 }, { "5", 5 }, { "modp1536", 5 },
		{ "14", 14 }, { "modp2048", 14 }, { "19", 19 }, { "ecp256", 19 },
		{ "20", 20 }, { "ecp384", 20 }, { "21", 21 }, { "ecp521", 21 },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (is(s, names[i].name))
			return names[i].group;
	if (one_of(s, racoon_groups))
		return 0;
	fail(ps, ps->tok.line, "unsupported DH group '%s' (supported: 2, 5, "
	     "14, 19, 20, 21 / modp1024, modp1536, modp2048, ecp256, ecp384, "
	     "ecp521)", s);
}

/*
 * "3des", "aes", "aes 256", "aes256" -> enc id, keybits. False for a name
 * in @known (racoon's, not racoon-lite's): the caller leaves it out.
 */
static bool enc_value(struct parser *ps, const char *s, int id_3des,
		      int id_aes, const char *const *known, struct alg *a)
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
	} else if (one_of(name, known)) {
		/* a key length may follow ("blowfish 448") */
		if (peek(ps)->type == T_WORD)
			number(ps, "key length", 1024);
		return false;
	} else {
		fail(ps, ps->tok.line, "unsupported encryption algorithm '%s' "
		     "(supported: 3des, aes [128|192|256])", name);
	}
	return true;
}

static void parse_proposal(struct parser *ps, struct remote_conf *r, int line)
{
	struct p1_proposal *p = calloc(1, sizeof(*p)), **tail;
	char left_out[TOKEN_MAX + 64] = "";
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
			char name[TOKEN_MAX];

			/* enc_value may read a key length over the token */
			snprintf(name, sizeof(name), "%s",
				 word(ps, "an algorithm"));
			if (!enc_value(ps, name, OAKLEY_ENC_3DES, OAKLEY_ENC_AES,
				       racoon_p1_enc, &a))
				snprintf(left_out, sizeof(left_out),
					 "encryption_algorithm %s", name);
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
			else if (is(v, "sha384") || is(v, "sha2_384"))
				p->hash = OAKLEY_HASH_SHA384;
			else if (is(v, "sha512") || is(v, "sha2_512"))
				p->hash = OAKLEY_HASH_SHA512;
			else
				fail(ps, ps->tok.line, "unsupported hash "
				     "algorithm '%s' (supported: md5, sha1, "
				     "sha256, sha384, sha512)", v);
		} else if (is(kw, "authentication_method")) {
			v = word(ps, "a method");
			if (is(v, "pre_shared_key"))
				p->auth = OAKLEY_AUTH_PSK;
			else if (is(v, "rsasig"))
				p->auth = OAKLEY_AUTH_RSA_SIG;
			else if (is(v, "ecdsa_sha256"))
				p->auth = OAKLEY_AUTH_ECDSA_256;
			else if (is(v, "ecdsa_sha384"))
				p->auth = OAKLEY_AUTH_ECDSA_384;
			else if (is(v, "ecdsa_sha512"))
				p->auth = OAKLEY_AUTH_ECDSA_521;
			else if (one_of(v, racoon_p1_auth))
				snprintf(left_out, sizeof(left_out),
					 "authentication_method %s", v);
			else
				fail(ps, ps->tok.line, "authentication_method "
				     "'%s' is not supported (pre_shared_key, "
				     "rsasig, ecdsa_sha256, ecdsa_sha384, "
				     "ecdsa_sha512)", v);
		} else if (is(kw, "dh_group")) {
			v = word(ps, "a group");
			p->group = dh_group_value(ps, v);
			if (!p->group)
				snprintf(left_out, sizeof(left_out),
					 "dh_group %s", v);
		} else if (is(kw, "lifetime")) {
			v = word(ps, "time");
			if (is(v, "byte")) {
				byte_value_kb(ps);
				warn_at(ps, kline, "'lifetime byte' ignored "
					"(phase 1 lifetimes are in time only)");
			} else if (!is(v, "time")) {
				fail(ps, ps->tok.line, "phase 1 lifetime must "
				     "be 'lifetime time N unit'");
			} else {
				r->lifetime = time_value(ps);
			}
		} else if (is(kw, "gss_id")) {
			ignore(ps, kline, kw, "no GSS-API authentication");
			continue;
		} else {
			fail(ps, kline, "unknown or unsupported statement "
			     "'%s' in proposal", kw);
		}
		expect(ps, T_SEMI, kw);
	}
	next(ps);
	/*
	 * RFC 4754: ECDSA-256 signs a SHA-256 hash, ECDSA-384 a SHA-384 one,
	 * ECDSA-521 a SHA-512 one; in IKEv1 the signed HASH_I/R is made with
	 * the negotiated hash, so the two must agree.
	 */
	if (!left_out[0] && p->hash && ecdsa_hash(p->auth) &&
	    p->hash != ecdsa_hash(p->auth))
		fail(ps, line, "authentication_method %s needs "
		     "hash_algorithm %s (RFC 4754)",
		     p->auth == OAKLEY_AUTH_ECDSA_256 ? "ecdsa_sha256" :
		     p->auth == OAKLEY_AUTH_ECDSA_384 ? "ecdsa_sha384" :
		     "ecdsa_sha512",
		     p->auth == OAKLEY_AUTH_ECDSA_256 ? "sha256" :
		     p->auth == OAKLEY_AUTH_ECDSA_384 ? "sha384" : "sha512");
	if (left_out[0]) {
		/* racoon's name, not racoon-lite's: offer the others */
		warn_at(ps, line, "proposal left out of the offer (%s is not "
			"supported by racoon-lite)", left_out);
		*tail = NULL;
		free(p);
		r->props_left_out++;
		return;
	}
	if (!p->enc || !p->hash || !p->auth || !p->group)
		fail(ps, line, "proposal needs encryption_algorithm, "
		     "hash_algorithm, authentication_method and dh_group");
}

/* peers_identifier address [ADDR] | fqdn "name" | user_fqdn "name" */
static void parse_peers_id(struct parser *ps, struct remote_conf *r)
{
	struct peer_id *id;
	char *s = word(ps, "an identifier type");

	if (r->npeers_id == MAX_PEERS_ID)
		fail(ps, ps->tok.line, "at most %d peers_identifier",
		     MAX_PEERS_ID);
	id = &r->peers_id[r->npeers_id];
	if (is(s, "address")) {
		struct sockaddr_storage tmp;

		id->kind = MYID_ADDRESS;
		if (next(ps)->type != T_WORD && ps->tok.type != T_STRING)
			fail(ps, ps->tok.line, "peers_identifier address "
			     "needs an address");
		parse_addr(ps, ps->tok.text, &tmp, ps->tok.line);
		snprintf(id->value, sizeof(id->value), "%s", ps->tok.text);
	} else if (is(s, "fqdn") || is(s, "user_fqdn")) {
		id->kind = is(s, "fqdn") ? MYID_FQDN : MYID_USER_FQDN;
		if (next(ps)->type != T_STRING)
			fail(ps, ps->tok.line, "peers_identifier %s needs a "
			     "quoted name", s);
		snprintf(id->value, sizeof(id->value), "%s", ps->tok.text);
	} else if (is(s, "asn1dn")) {
		X509_NAME *n;

		id->kind = MYID_ASN1DN;
		if (next(ps)->type != T_STRING)
			fail(ps, ps->tok.line, "peers_identifier asn1dn needs "
			     "a quoted name (\"C=JP, O=KAME, CN=host\")");
		n = certs_parse_dn(ps->tok.text);
		if (!n)
			fail(ps, ps->tok.line, "peers_identifier asn1dn: '%s' "
			     "is not a distinguished name", ps->tok.text);
		X509_NAME_free(n);
		snprintf(id->value, sizeof(id->value), "%s", ps->tok.text);
	} else {
		fail(ps, ps->tok.line, "peers_identifier '%s' is not "
		     "supported (address, fqdn, user_fqdn, asn1dn)", s);
	}
	r->npeers_id++;
}

/*
 * remote statements with no meaning for racoon-lite: true if @kw is one
 * (warned about and skipped). None of them weakens what is checked.
 */
static bool ignore_remote(struct parser *ps, const char *kw, int line)
{
	static const struct {
		const char *kw, *why;
	} v[] = {
		{ "support_proxy", "racoon-lite takes the peer's IDs as they come" },
		{ "esp_frag", "ESP in UDP is fragmented by the kernel as any "
			      "IP packet" },
		{ "script", "no phase 1 scripts" },
		{ "rekey", "phase 1 is renegotiated on demand" },
		{ "weak_phase1_check", "racoon-lite keeps the strict checks" },
		{ "mode_cfg", "no mode config" },
		{ "xauth_login", "no XAUTH" },
		{ "ph1id", "sainfo remoteid is not supported" },
		{ "nat_keepalive", "racoon's name is natt_keepalive, in timer {}" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (is(kw, v[i].kw)) {
			ignore(ps, line, kw, v[i].why);
			return true;
		}
	return false;
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
	r->nonce_size = DEFAULT_NONCE_SIZE;
	r->verify_cert = r->send_cert = r->send_cr = true;	/* racoon's */
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
			if (is(s, "byte")) {
				byte_value_kb(ps);
				warn_at(ps, kline, "'lifetime byte' ignored "
					"(phase 1 lifetimes are in time only)");
			} else if (!is(s, "time")) {
				fail(ps, ps->tok.line, "phase 1 lifetime must "
				     "be 'lifetime time N unit'");
			} else {
				r->lifetime = time_value(ps);
			}
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
			} else if (is(s, "asn1dn")) {
				/* racoon: the string must be our subject;
				 * racoon-lite sends the certificate's */
				r->myid_kind = MYID_ASN1DN;
				if (peek(ps)->type == T_STRING) {
					next(ps);
					snprintf(r->myid, sizeof(r->myid),
						 "%s", ps->tok.text);
				}
			} else {
				fail(ps, ps->tok.line, "my_identifier '%s' is "
				     "not supported (address, fqdn, "
				     "user_fqdn, asn1dn)", s);
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
			s = word(ps, "on, off or force");
			/* racoon also takes yes/no */
			if (is(s, "on") || is(s, "yes"))
				r->nat_traversal = NATT_CONF_ON;
			else if (is(s, "force"))
				r->nat_traversal = NATT_CONF_FORCE;
			else if (is(s, "off") || is(s, "no"))
				r->nat_traversal = NATT_CONF_OFF;
			else
				fail(ps, ps->tok.line, "nat_traversal takes "
				     "on, off or force, not '%s'", s);
			if (r->nat_traversal != NATT_CONF_OFF)
				ps->c->natt_any = true;
		} else if (is(kw, "peers_identifier")) {
			parse_peers_id(ps, r);
		} else if (is(kw, "verify_identifier")) {
			r->verify_identifier = on_off(ps, kw);
		} else if (is(kw, "certificate_type")) {
			s = word(ps, "x509");
			if (!is(s, "x509"))
				fail(ps, ps->tok.line, "certificate_type %s is "
				     "not supported (x509)", s);
			quoted(ps, "certificate_type x509 needs \"cert\" "
			       "\"key\"", r->cert_file, sizeof(r->cert_file));
			quoted(ps, "certificate_type x509 needs \"cert\" "
			       "\"key\"", r->key_file, sizeof(r->key_file));
			r->use_cert = true;
		} else if (is(kw, "ca_type")) {
			s = word(ps, "x509");
			if (!is(s, "x509"))
				fail(ps, ps->tok.line, "ca_type %s is not "
				     "supported (x509)", s);
			quoted(ps, "ca_type x509 needs a quoted file name",
			       r->ca_file, sizeof(r->ca_file));
		} else if (is(kw, "peers_certfile")) {
			s = word(ps, "x509");
			if (!is(s, "x509"))
				fail(ps, ps->tok.line, "peers_certfile %s is "
				     "not supported (x509)", s);
			quoted(ps, "peers_certfile x509 needs a quoted file "
			       "name", r->peers_certfile,
			       sizeof(r->peers_certfile));
		} else if (is(kw, "ike_frag")) {
			s = word(ps, "on, off or force");
			if (is(s, "on"))
				r->ike_frag = IKE_FRAG_ON;
			else if (is(s, "force"))
				r->ike_frag = IKE_FRAG_FORCE;
			else if (is(s, "off"))
				r->ike_frag = IKE_FRAG_OFF;
			else
				fail(ps, ps->tok.line, "ike_frag takes on, off "
				     "or force, not '%s'", s);
		} else if (is(kw, "verify_cert")) {
			r->verify_cert = on_off(ps, kw);
			if (!r->verify_cert)
				warn_at(ps, kline, "verify_cert off: the peer's "
					"certificate is not checked against a "
					"CA, its dates or CRLs");
		} else if (is(kw, "send_cert")) {
			r->send_cert = on_off(ps, kw);
		} else if (is(kw, "send_cr")) {
			r->send_cr = on_off(ps, kw);
		} else if (is(kw, "nonce_size")) {
			r->nonce_size = (int)number(ps, "nonce size", 256);
			if (r->nonce_size < 8)
				fail(ps, ps->tok.line, "nonce_size must be 8 to "
				     "256 (RFC 2409)");
		} else if (ignore_remote(ps, kw, kline)) {
			continue;
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
	if (!r->props && r->props_left_out)
		fail(ps, line, "no proposal of this remote is left that "
		     "racoon-lite supports (see the warnings)");
	if (!r->props)
		fail(ps, line, "remote needs at least one proposal block");
	if (r->verify_identifier && !r->npeers_id)
		fail(ps, line, "verify_identifier on needs a peers_identifier");
	for (struct p1_proposal *p = r->props; p; p = p->next)
		if (p->auth != OAKLEY_AUTH_PSK && !r->use_cert)
			fail(ps, p->line, "authentication_method %s needs "
			     "certificate_type x509 \"cert\" \"key\" in its "
			     "remote", p->auth == OAKLEY_AUTH_RSA_SIG ?
			     "rsasig" : "ecdsa");
	if (r->myid_kind == MYID_ASN1DN && !r->use_cert)
		fail(ps, line, "my_identifier asn1dn needs certificate_type "
		     "x509");
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

/* Counts of what a sainfo listed, to tell "none given" from "none left". */
struct listed {
	int enc, auth;
};

static void alg_list(struct parser *ps, const char *kw, struct sainfo_conf *si,
		     struct listed *n)
{
	int line = ps->tok.line;

	for (;;) {
		char *s = word(ps, "an algorithm");
		struct alg a = { 0, 0 };
		char name[TOKEN_MAX];
		bool ok = true;

		snprintf(name, sizeof(name), "%s", s);
		if (is(kw, "encryption_algorithm")) {
			n->enc++;
			if (si->nenc == MAX_ALGS)
				fail(ps, ps->tok.line, "too many algorithms");
			ok = enc_value(ps, s, ESP_3DES, ESP_AES, racoon_p2_enc,
				       &a);
			if (ok)
				si->enc[si->nenc++] = a;
		} else if (is(kw, "authentication_algorithm")) {
			n->auth++;
			if (si->nauth == MAX_ALGS)
				fail(ps, ps->tok.line, "too many algorithms");
			if (is(s, "hmac_md5"))
				a.id = AUTH_HMAC_MD5;
			else if (is(s, "hmac_sha1"))
				a.id = AUTH_HMAC_SHA1;
			else if (is(s, "hmac_sha256"))
				a.id = AUTH_HMAC_SHA256;
			else if (is(s, "hmac_sha384"))
				a.id = AUTH_HMAC_SHA384;
			else if (is(s, "hmac_sha512"))
				a.id = AUTH_HMAC_SHA512;
			else if (one_of(s, racoon_p2_auth))
				ok = false;
			else
				fail(ps, ps->tok.line, "unsupported "
				     "authentication algorithm '%s' "
				     "(supported: hmac_md5, hmac_sha1, "
				     "hmac_sha256, hmac_sha384, hmac_sha512)", s);
			if (ok)
				si->auth[si->nauth++] = a;
		} else {
			if (si->ncomp == MAX_ALGS)
				fail(ps, ps->tok.line, "too many algorithms");
			if (is(s, "deflate"))
				si->comp[si->ncomp++] = IPCOMP_DEFLATE;
			else if (is(s, "oui") || is(s, "lzs"))
				ok = false;
			else
				fail(ps, ps->tok.line, "unsupported "
				     "compression algorithm '%s' (only "
				     "deflate)", s);
		}
		if (!ok)
			warn_at(ps, line, "%s %s left out of the offer (not "
				"supported by racoon-lite)", kw, name);
		if (peek(ps)->type != T_COMMA)
			return;
		next(ps);
	}
}

static void parse_sainfo(struct parser *ps)
{
	struct sainfo_conf *si = calloc(1, sizeof(*si)), **tail;
	int line = ps->tok.line;
	struct listed n = { 0, 0 };

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
			s = word(ps, "a group");
			si->pfs_group = dh_group_value(ps, s);
			/* no PFS is less than the file asks: refuse */
			if (!si->pfs_group)
				fail(ps, ps->tok.line, "pfs_group %s is not "
				     "supported (2, 5, 14, 19, 20, 21)", s);
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
			alg_list(ps, kw, si, &n);
		} else {
			fail(ps, kline, "unknown or unsupported statement "
			     "'%s' in sainfo", kw);
		}
		expect(ps, T_SEMI, kw);
	}
	next(ps);
	if ((n.enc && !si->nenc) || (n.auth && !si->nauth))
		fail(ps, line, "no %s of this sainfo is left that racoon-lite "
		     "supports (see the warnings)", n.enc && !si->nenc ?
		     "encryption_algorithm" : "authentication_algorithm");
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

		if (is(kw, "adminsock")) {
			ignore(ps, kline, kw, "racoon-lite has no admin socket "
			       "(racoonctl); see SIGUSR1 in racoon-lite(8)");
			continue;
		}
		if (is(kw, "isakmp_natt")) {
			if (ps->c->nlisten_natt == MAX_LISTEN)
				fail(ps, kline, "too many isakmp_natt addresses");
			ss = &ps->c->listen_natt[ps->c->nlisten_natt++];
			parse_addr(ps, word(ps, "an address"), ss,
				   ps->tok.line);
			set_port(ss, NATT_DEFAULT_PORT);
			opt_port(ps, ss, NULL);
			if (ps->c->nlisten_natt == 1)
				ps->c->natt_port = ntohs(
					ss->ss_family == AF_INET6 ?
					((struct sockaddr_in6 *)ss)->sin6_port :
					((struct sockaddr_in *)ss)->sin_port);
			expect(ps, T_SEMI, kw);
			continue;
		}
		if (is(kw, "strict_address")) {
			/* racoon-lite binds only the listed addresses anyway,
			 * and fails when one cannot be bound */
			expect(ps, T_SEMI, kw);
			continue;
		}
		if (!is(kw, "isakmp"))
			fail(ps, kline, "unknown or unsupported statement "
			     "'%s' in listen", kw);
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
		else if (is(kw, "natt_keepalive")) {
			uint32_t v = time_value(ps);

			if (v > 3600)
				fail(ps, ps->tok.line, "natt_keepalive longer "
				     "than an hour");
			t->natt_keepalive = (int)v;
		} else if (is(kw, "interval") || is(kw, "phase1") ||
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
			parse_path(ps, line);
		} else if (is(kw, "include")) {
			parse_include(ps, line);
		} else if (is(kw, "privsep")) {
			ignore(ps, line, kw, "racoon-lite runs as one process; "
			       "its systemd unit sandboxes it");
		} else if (is(kw, "mode_cfg") || is(kw, "ldapcfg") ||
			   is(kw, "radiuscfg")) {
			ignore(ps, line, kw, "racoon-lite has no XAUTH or mode "
			       "config server");
		} else if (is(kw, "gss_id_enc")) {
			ignore(ps, line, kw, "no GSS-API authentication");
		} else if (is(kw, "complex_bundle")) {
			ignore(ps, line, kw, "racoon-lite negotiates one "
			       "protocol per SA");
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

/* path TYPE "name"; */
static void parse_path(struct parser *ps, int line)
{
	char type[TOKEN_MAX], **dst = NULL;

	snprintf(type, sizeof(type), "%s", word(ps, "a path type"));
	if (is(type, "pre_shared_key"))
		dst = &ps->c->psk_path;
	else if (is(type, "certificate"))
		dst = &ps->c->cert_path;
	else if (is(type, "include"))
		dst = &ps->c->include_path;
	else if (is(type, "pidfile"))
		dst = &ps->c->pidfile;
	else if (is(type, "backupsa") || is(type, "script") ||
		 is(type, "logfile"))
		;
	else
		fail(ps, ps->tok.line, "unknown path type '%s' "
		     "(pre_shared_key, certificate, include, pidfile, "
		     "backupsa, script)", type);
	if (next(ps)->type != T_STRING)
		fail(ps, ps->tok.line, "path %s needs a quoted file name", type);
	if (dst) {
		free(*dst);
		*dst = strdup(ps->tok.text);
		if (!*dst)
			fail(ps, line, "out of memory");
	} else {
		warn_at(ps, line, "'path %s' ignored (racoon-lite has no %s)",
			type, is(type, "backupsa") ? "SA backup file" :
			is(type, "script") ? "scripts" :
			"log file statement; use -l");
	}
	expect(ps, T_SEMI, "path");
}

static char *read_text(const char *path, char *err, size_t errlen);
static int parse_text(struct config *c, const char *name, const char *text,
		      int depth, char *err, size_t errlen);

/*
 * include "file"; relative to "path include" (racoon's rule), a glob
 * pattern allowed; each file is parsed in place, as if written here.
 */
static void parse_include(struct parser *ps, int line)
{
	char pattern[4096];
	glob_t g;
	int r;

	if (next(ps)->type != T_STRING)
		fail(ps, ps->tok.line, "include needs a quoted file name");
	if (ps->tok.text[0] != '/' && ps->c->include_path)
		snprintf(pattern, sizeof(pattern), "%s/%s",
			 ps->c->include_path, ps->tok.text);
	else
		snprintf(pattern, sizeof(pattern), "%s", ps->tok.text);
	expect(ps, T_SEMI, "include");
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/* the fuzzer's includes would read the machine's files */
	fail(ps, line, "include is off in the fuzzing build");
#endif
	if (ps->depth >= MAX_INCLUDE_DEPTH)
		fail(ps, line, "includes nested more than %d deep",
		     MAX_INCLUDE_DEPTH);
	r = glob(pattern, GLOB_ERR, NULL, &g);
	if (r == GLOB_NOMATCH && !strpbrk(pattern, "*?["))
		fail(ps, line, "include %s: no such file", pattern);
	if (r && r != GLOB_NOMATCH)
		fail(ps, line, "include %s: cannot read the directory", pattern);
	for (size_t i = 0; r == 0 && i < g.gl_pathc; i++) {
		char *text = read_text(g.gl_pathv[i], ps->err, ps->errlen);

		if (!text || parse_text(ps->c, g.gl_pathv[i], text,
					ps->depth + 1, ps->err, ps->errlen)) {
			free(text);
			globfree(&g);
			longjmp(ps->fail, 1);	/* the error is written */
		}
		free(text);
	}
	if (r == 0)
		globfree(&g);
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
	free(c->cert_path);
	free(c->include_path);
	free(c->pidfile);
	for (int i = 0; i < c->nwarnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free(c);
}

/* Parses @text into @c (which the caller frees); 0, or -1 with @err set. */
static int parse_text(struct config *c, const char *name, const char *text,
		      int depth, char *err, size_t errlen)
{
	struct parser ps;

	memset(&ps, 0, sizeof(ps));
	ps.name = name;
	ps.c = c;
	ps.err = err;
	ps.errlen = errlen;
	ps.depth = depth;
	lex_init(&ps.lx, text);
	if (setjmp(ps.fail))
		return -1;
	parse_top(&ps);
	return 0;
}

struct config *conf_parse_string(const char *name, const char *text,
				 char *err, size_t errlen)
{
	struct config *c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	c->log_level = -1;
	c->timer = (struct timer_conf){ .counter = 5, .interval = 10,
					.persend = 1, .phase1 = 15,
					.phase2 = 10,
					.natt_keepalive =
						NATT_DEFAULT_KEEPALIVE };
	c->natt_port = NATT_DEFAULT_PORT;
	if (parse_text(c, name, text, 0, err, errlen)) {
		conf_free(c);
		return NULL;
	}
	return c;
}

/* The whole file, NUL-terminated; NULL with @err set. */
static char *read_text(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re"), *m;
	char *text = NULL, chunk[4096];
	size_t len = 0, n;
	struct stat st;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
			 strerror(errno));
		return NULL;
	}
	/* a configuration is a regular file of sane size (not /dev/zero) */
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > CONF_MAX_SIZE) {
		fclose(f);
		snprintf(err, errlen, "%s: not a regular file of at most %d "
			 "bytes", path, CONF_MAX_SIZE);
		return NULL;
	}
	/* open_memstream gives a NUL-terminated copy of any size */
	m = open_memstream(&text, &len);
	if (!m) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(m);
	fclose(f);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (strlen(text) != len) {
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		free(text);
		return NULL;
	}
	return text;
}

struct config *conf_load(const char *path, char *err, size_t errlen)
{
	struct config *c;
	char *text = read_text(path, err, errlen);

	if (!text)
		return NULL;
	c = conf_parse_string(path, text, err, errlen);
	free(text);
	return c;
}
