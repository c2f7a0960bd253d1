// SPDX-License-Identifier: BSD-3-Clause
/*
 * SAD statements: add, update, getspi, get, delete, deleteall, flush, dump.
 *
 *   add [-46n] src dst proto spi [option...] algorithm... ;
 *   proto := esp | esp-old | ah | ah-old | ipcomp | esp-udp [oa-addr] | tcp
 *   option := -m mode | -r size | -u reqid | -f pad/seq | -lh/-ls/-bh/-bs N
 *           | -ctx doi alg "context"
 *   algorithm := -E ealg key [-A aalg key] | -A aalg key | -C calg [-R]
 *
 * Options and algorithms may come in any order after the SPI (KAME wants
 * options first; accepting both breaks no KAME script).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "parse.h"
#include "../libipsec/pfkey_msg.h"

#define UDP_ENCAP_ESPINUDP_TYPE	2
#define NATT_DEFAULT_PORT	4500

struct sa_key {
	uint8_t *data;
	size_t len;
};

struct sa_spec {
	unsigned int satype;
	int old, natt, is_tcp;
	struct sk_addrlist oa;
	uint32_t spi;
	unsigned int mode;
	uint32_t reqid;
	unsigned int replay;
	int replay_set;
	uint32_t flags;
	int cycseq_set;		/* -f cyclic-seq or nocyclic-seq written */
	uint64_t lh, ls, bh, bs;
	int hard, soft;
	const struct kame_alg *enc, *auth, *comp;
	struct sa_key ekey, akey;
	int has_ctx;
	unsigned int ctx_doi, ctx_alg;
	char *ctx;
};

static void sa_spec_free(struct sa_spec *s)
{
	sk_addrlist_free(&s->oa);
	free(s->ekey.data);
	free(s->akey.data);
	free(s->ctx);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "string" gives its bytes; 0xHEX gives the bytes it spells. */
static int parse_key(struct sk_parser *p, const char *alg, struct sa_key *k)
{
	enum sk_tok t = sk_next(p);
	const char *s = p->lx.text;
	size_t n, i, odd;

	if (t == SK_TOK_ERROR)
		return -1;
	if (t == SK_TOK_STRING) {
		k->len = p->lx.textlen;
		k->data = malloc(k->len ? k->len : 1);
		if (!k->data)
			return sk_error(p, "out of memory");
		memcpy(k->data, s, k->len);
		return 0;
	}
	if (t != SK_TOK_WORD || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return sk_error(p, "%s: expected a key, \"string\" or 0xHEX, got '%s'",
				alg, s);
	s += 2;
	n = strlen(s);
	odd = n % 2;	/* an odd digit count means a leading 0 */
	k->len = (n + 1) / 2;
	k->data = calloc(1, k->len ? k->len : 1);
	if (!k->data)
		return sk_error(p, "out of memory");
	for (i = 0; i < n; i++) {
		int v = hexval(s[i]);

		if (v < 0)
			return sk_error(p, "%s: '%c' is not a hex digit in the key",
					alg, s[i]);
		k->data[(i + odd) / 2] |= ((i + odd) % 2) ? v : v << 4;
	}
	return 0;
}

static int key_is_next(struct sk_parser *p)
{
	enum sk_tok t = sk_next(p);
	int yes = t == SK_TOK_STRING ||
		  (t == SK_TOK_WORD && p->lx.text[0] == '0' &&
		   (p->lx.text[1] == 'x' || p->lx.text[1] == 'X'));

	if (t != SK_TOK_ERROR)
		sk_lex_unget(&p->lx);
	return t == SK_TOK_ERROR ? -1 : yes;
}

static int parse_alg(struct sk_parser *p, char kind, const struct kame_alg **out,
		     struct sa_key *key)
{
	const char *flag = kind == KAME_ALG_ENC ? "-E" :
			   kind == KAME_ALG_AUTH ? "-A" : "-C";
	const struct kame_alg *a;
	char name[64];
	int more;

	if (*out)
		return sk_error(p, "%s given twice", flag);
	if (sk_next(p) != SK_TOK_WORD)
		return sk_error(p, "%s needs an algorithm name", flag);
	a = kame_alg_by_name(kind, p->lx.text);
	if (!a)
		return sk_error(p, "unknown %s algorithm '%s'%s",
				kind == KAME_ALG_ENC ? "encryption" :
				kind == KAME_ALG_AUTH ? "authentication" :
				"compression", p->lx.text,
				kind == KAME_ALG_COMP ? "" :
				" (setkey -h lists them)");
	*out = a;
	snprintf(name, sizeof(name), "%s", a->name);
	if (kind == KAME_ALG_COMP)
		return 0;
	if (a->nokey) {
		/* tolerate an explicit empty key after null */
		more = key_is_next(p);
		if (more < 0)
			return -1;
		if (more) {
			if (parse_key(p, name, key))
				return -1;
			if (key->len)
				return sk_error(p, "%s takes no key", name);
		}
		return 0;
	}
	return parse_key(p, name, key);
}

static int parse_u64(struct sk_parser *p, const char *opt, uint64_t max,
		     uint64_t *v)
{
	if (sk_next(p) != SK_TOK_WORD || sk_parse_number(p->lx.text, max, v))
		return sk_error(p, "%s needs a number up to %llu, got '%s'", opt,
				(unsigned long long)max, p->lx.text);
	return 0;
}

static int parse_ctx(struct sk_parser *p, unsigned int *doi, unsigned int *alg,
		     char **ctx)
{
	uint64_t v;

	if (parse_u64(p, "-ctx doi", 255, &v))
		return -1;
	*doi = v;
	if (parse_u64(p, "-ctx algorithm", 255, &v))
		return -1;
	*alg = v;
	if (sk_next(p) != SK_TOK_STRING)
		return sk_error(p, "-ctx needs a \"context\" string");
	free(*ctx);
	*ctx = strdup(p->lx.text);
	return *ctx ? 0 : sk_error(p, "out of memory");
}

static int parse_option(struct sk_parser *p, const char *cmd, struct sa_spec *s)
{
	char o[8];	/* the lexer reuses its buffer for the next token */
	int algs_ok = !strcmp(cmd, "add") || !strcmp(cmd, "update");
	uint64_t v;

	snprintf(o, sizeof(o), "%s", p->lx.text);
	if (!strcmp(o, "-m")) {
		if (sk_next(p) != SK_TOK_WORD)
			return sk_error(p, "-m needs transport, tunnel or any");
		if (!strcmp(p->lx.text, "transport"))
			s->mode = IPSEC_MODE_TRANSPORT;
		else if (!strcmp(p->lx.text, "tunnel"))
			s->mode = IPSEC_MODE_TUNNEL;
		else if (!strcmp(p->lx.text, "any"))
			s->mode = IPSEC_MODE_ANY;
		else
			return sk_error(p, "-m: '%s' is not transport, tunnel or any",
					p->lx.text);
		return 0;
	}
	if (!strcmp(o, "-r")) {
		/* sadb_sa_replay is 8 bits wide */
		if (parse_u64(p, "-r", 255, &v))
			return -1;
		s->replay = v;
		s->replay_set = 1;
		return 0;
	}
	if (!strcmp(o, "-u")) {
		if (parse_u64(p, "-u", 0xffffffffu, &v))
			return -1;
		s->reqid = v;
		return 0;
	}
	if (!strcmp(o, "-f")) {
		if (sk_next(p) != SK_TOK_WORD)
			return sk_error(p, "-f needs zero-pad, random-pad, seq-pad or nocyclic-seq");
		if (!strcmp(p->lx.text, "zero-pad"))
			s->flags = (s->flags & ~SADB_X_EXT_PMASK) | SADB_X_EXT_PZERO;
		else if (!strcmp(p->lx.text, "random-pad"))
			s->flags = (s->flags & ~SADB_X_EXT_PMASK) | SADB_X_EXT_PRAND;
		else if (!strcmp(p->lx.text, "seq-pad"))
			s->flags = (s->flags & ~SADB_X_EXT_PMASK) | SADB_X_EXT_PSEQ;
		else if (!strcmp(p->lx.text, "nocyclic-seq"))
			s->flags &= ~SADB_X_EXT_CYCSEQ, s->cycseq_set = 1;
		else if (!strcmp(p->lx.text, "cyclic-seq"))
			s->flags |= SADB_X_EXT_CYCSEQ, s->cycseq_set = 1;
		else
			return sk_error(p, "-f: unknown flag '%s'", p->lx.text);
		return 0;
	}
	if (!strcmp(o, "-lh") || !strcmp(o, "-ls") || !strcmp(o, "-bh") ||
	    !strcmp(o, "-bs")) {
		if (parse_u64(p, o, UINT64_MAX, &v))
			return -1;
		if (o[1] == 'l')
			*(o[2] == 'h' ? &s->lh : &s->ls) = v;
		else
			*(o[2] == 'h' ? &s->bh : &s->bs) = v;
		*(o[2] == 'h' ? &s->hard : &s->soft) = 1;
		return 0;
	}
	if (!strcmp(o, "-ctx")) {
		s->has_ctx = 1;
		return parse_ctx(p, &s->ctx_doi, &s->ctx_alg, &s->ctx);
	}
	if (!strcmp(o, "-E") || !strcmp(o, "-A") || !strcmp(o, "-C")) {
		if (!algs_ok)
			return sk_error(p, "%s: algorithms belong to add and update only",
					o);
		if (o[1] == 'E')
			return parse_alg(p, KAME_ALG_ENC, &s->enc, &s->ekey);
		if (o[1] == 'A')
			return parse_alg(p, KAME_ALG_AUTH, &s->auth, &s->akey);
		return parse_alg(p, KAME_ALG_COMP, &s->comp, NULL);
	}
	if (!strcmp(o, "-R")) {
		if (!s->comp)
			return sk_error(p, "-R belongs after -C calg");
		s->flags |= SADB_X_EXT_RAWCPI;
		return 0;
	}
	return sk_error(p, "unknown option '%s'", p->lx.text);
}

static int parse_proto(struct sk_parser *p, const char *word, struct sa_spec *s,
		       int optional)
{
	s->satype = SADB_SATYPE_UNSPEC;
	if (!strcmp(word, "esp")) {
		s->satype = SADB_SATYPE_ESP;
	} else if (!strcmp(word, "esp-old")) {
		s->satype = SADB_SATYPE_ESP;
		s->old = 1;
	} else if (!strcmp(word, "ah")) {
		s->satype = SADB_SATYPE_AH;
	} else if (!strcmp(word, "ah-old")) {
		s->satype = SADB_SATYPE_AH;
		s->old = 1;
	} else if (!strcmp(word, "ipcomp")) {
		s->satype = SADB_X_SATYPE_IPCOMP;
	} else if (!strcmp(word, "esp-udp")) {
		s->satype = SADB_SATYPE_ESP;
		s->natt = 1;
	} else if (!strcmp(word, "tcp")) {
		s->is_tcp = 1;
		return sk_error(p, "tcp: TCP-MD5 SAs (BSD satype 11) do not exist in the Linux PF_KEY ABI");
	} else if (!optional) {
		return sk_error(p, "'%s' is not esp, esp-old, ah, ah-old, ipcomp or esp-udp",
				word);
	} else {
		return 1;
	}
	if (s->old)
		s->flags |= SADB_X_EXT_OLD;
	return 0;
}

static int check_key(struct sk_parser *p, const struct kame_alg *a,
		     const struct sa_key *k)
{
	size_t bits = k->len * 8;
	char why[256];

	if (!a->nokey && (bits < a->minbits || bits > a->maxbits)) {
		if (a->minbits == a->maxbits)
			snprintf(why, sizeof(why),
				 "%s needs a %u-bit key, got %zu bits; give %u bytes (0x and %u hex digits)",
				 a->name, a->minbits, bits, a->minbits / 8,
				 a->minbits / 4);
		else
			snprintf(why, sizeof(why),
				 "%s takes a %u..%u-bit key, got %zu bits; give %u..%u bytes (0x and %u..%u hex digits)",
				 a->name, a->minbits, a->maxbits, bits,
				 a->minbits / 8, a->maxbits / 8, a->minbits / 4,
				 a->maxbits / 4);
		if (p->diag) {
			p->diag(p->diag_ctx, p->stmtline, why);
			return 0;
		}
		return sk_error(p, "%s", why);
	}
	if (p->alg_check && p->alg_check(p->alg_ctx, a, k->len, why, sizeof(why)))
		return sk_error(p, "%s", why);
	return 0;
}

static int check_add(struct sk_parser *p, struct sa_spec *s)
{
	if (s->satype == SADB_SATYPE_ESP) {
		if (!s->enc)
			return sk_error(p, "esp needs -E (use -E null for authentication only)");
		if (s->comp)
			return sk_error(p, "-C belongs to ipcomp SAs");
		if (s->old && s->auth)
			return sk_error(p, "esp-old (RFC 1827) has no authentication");
		if (s->enc->saflags && !s->old)
			return sk_error(p, "%s exists only for esp-old", s->enc->name);
		s->flags |= s->enc->saflags;
		if (!s->enc->alias && s->enc->id == SADB_EALG_NULL && s->natt && !s->auth)
			return sk_error(p, "esp-udp with -E null needs -A");
	} else if (s->satype == SADB_SATYPE_AH) {
		if (!s->auth)
			return sk_error(p, "ah needs -A");
		if (s->enc || s->comp)
			return sk_error(p, "ah takes only -A");
	} else {
		if (!s->comp)
			return sk_error(p, "ipcomp needs -C");
		if (s->enc || s->auth)
			return sk_error(p, "ipcomp takes only -C");
	}
	if (s->old && s->replay_set)
		return sk_error(p, "-r does not apply to %s-old",
				s->satype == SADB_SATYPE_ESP ? "esp" : "ah");
	if (s->enc && check_key(p, s->enc, &s->ekey))
		return -1;
	if (s->auth && check_key(p, s->auth, &s->akey))
		return -1;
	return 0;
}

/*
 * Ciphers whose IV is the sequence number under a fixed salt (every AEAD,
 * AES-CTR): cycling would repeat nonces, and kameipsec refuses CYCSEQ for
 * them (EINVAL), so KAME's default CYCSEQ is only sent when written.
 */
static int seq_nonce(const struct kame_alg *enc)
{
	switch (enc ? enc->id : 0) {
	case SADB_X_EALG_AESCTR:
	case SADB_X_EALG_AES_CCM_ICV8:
	case SADB_X_EALG_AES_CCM_ICV12:
	case SADB_X_EALG_AES_CCM_ICV16:
	case SADB_X_EALG_AES_GCM_ICV8:
	case SADB_X_EALG_AES_GCM_ICV12:
	case SADB_X_EALG_AES_GCM_ICV16:
	case SADB_X_EALG_NULL_AES_GMAC:
	case KAME_EALG_CHACHA20_POLY1305:
		return 1;
	}
	return 0;
}

static void build_sa(struct pfkey_msgbuf *mb, const char *cmd,
		     const struct sa_spec *s, const struct sk_addr *src,
		     const struct sk_addr *dst)
{
	const struct sockaddr *ss = (const void *)&src->ss;
	const struct sockaddr *ds = (const void *)&dst->ss;
	int add = !strcmp(cmd, "add") || !strcmp(cmd, "update");

	if (add || !strcmp(cmd, "get") || !strcmp(cmd, "delete"))
		pfkey_mb_sa(mb, s->spi, add ? s->replay : 0, SADB_SASTATE_LARVAL,
			    add && s->auth ? s->auth->id : 0,
			    add ? (s->enc ? s->enc->id : s->comp ? s->comp->id : 0) : 0,
			    add ? s->flags : 0);
	if (add || !strcmp(cmd, "getspi"))
		pfkey_mb_sa2(mb, s->mode, s->reqid, 0);
	pfkey_mb_address(mb, SADB_EXT_ADDRESS_SRC, ss,
			 pfkey_sockaddr_maxprefix(ss), IPSEC_ULPROTO_ANY);
	pfkey_mb_address(mb, SADB_EXT_ADDRESS_DST, ds,
			 pfkey_sockaddr_maxprefix(ds), IPSEC_ULPROTO_ANY);
	if (!strcmp(cmd, "getspi") && s->spi)
		pfkey_mb_spirange(mb, s->spi, s->spi);
	if (!add)
		return;
	/* Linux requires KEY_ENCRYPT on ESP, even for null (0 bits) */
	if (s->enc)
		pfkey_mb_key(mb, SADB_EXT_KEY_ENCRYPT, s->ekey.data, s->ekey.len);
	if (s->auth)
		pfkey_mb_key(mb, SADB_EXT_KEY_AUTH, s->akey.data, s->akey.len);
	/* both kernels want HARD and SOFT together: supply a zero partner */
	if (s->hard || s->soft) {
		pfkey_mb_lifetime(mb, SADB_EXT_LIFETIME_HARD, 0, s->bh, s->lh, 0);
		pfkey_mb_lifetime(mb, SADB_EXT_LIFETIME_SOFT, 0, s->bs, s->ls, 0);
	}
	if (s->natt) {
		unsigned int sp = pfkey_sockaddr_port(ss), dp = pfkey_sockaddr_port(ds);

		pfkey_mb_nat_t(mb, UDP_ENCAP_ESPINUDP_TYPE,
			       sp ? sp : NATT_DEFAULT_PORT,
			       dp ? dp : NATT_DEFAULT_PORT);
		if (s->oa.n)
			pfkey_mb_address(mb, SADB_X_EXT_NAT_T_OA,
					 (const void *)&s->oa.a[0].ss,
					 pfkey_sockaddr_maxprefix((const void *)&s->oa.a[0].ss),
					 0);
	}
	if (s->has_ctx)
		pfkey_mb_sec_ctx(mb, s->ctx_doi, s->ctx_alg, s->ctx,
				 strlen(s->ctx) + 1);
}

static unsigned int msg_type(const char *cmd)
{
	if (!strcmp(cmd, "add"))
		return SADB_ADD;
	if (!strcmp(cmd, "update"))
		return SADB_UPDATE;
	if (!strcmp(cmd, "get"))
		return SADB_GET;
	if (!strcmp(cmd, "getspi"))
		return SADB_GETSPI;
	return SADB_DELETE;	/* delete, deleteall */
}

static int parse_flush_dump(struct sk_parser *p, const char *cmd,
			    struct sk_cmd *c)
{
	struct sa_spec s;
	struct pfkey_msgbuf mb;
	enum sk_tok t = sk_next(p);

	memset(&s, 0, sizeof(s));
	if (t == SK_TOK_WORD) {
		if (parse_proto(p, p->lx.text, &s, 0))
			return -1;
	} else if (t == SK_TOK_ERROR) {
		return -1;
	} else {
		sk_lex_unget(&p->lx);
	}
	if (sk_expect_semi(p))
		return -1;
	c->satype = s.satype;
	if (!strcmp(cmd, "dump")) {
		c->kind = SK_DUMP;
		pfkey_mb_init(&mb, SADB_DUMP, s.satype, ++p->seq, p->pid);
	} else {
		c->kind = SK_SEND;
		pfkey_mb_init(&mb, SADB_FLUSH, s.satype, ++p->seq, p->pid);
	}
	return sk_add_msg(p, c, &mb);
}

static int looks_like_address(const char *w)
{
	return strchr(w, ':') || (strchr(w, '.') && strspn(w, "0123456789.") == strlen(w));
}

int sk_parse_sa_cmd(struct sk_parser *p, const char *cmd, struct sk_cmd *c)
{
	struct sk_aiflags af;
	struct sk_addrlist src = { 0 }, dst = { 0 };
	struct sa_spec s;
	int deleteall = !strcmp(cmd, "deleteall");
	uint64_t v;
	size_t i, j;
	int r = -1;

	if (!strcmp(cmd, "flush") || !strcmp(cmd, "dump"))
		return parse_flush_dump(p, cmd, c);

	memset(&s, 0, sizeof(s));
	s.flags = SADB_X_EXT_CYCSEQ;	/* KAME setkey's default */
	c->kind = !strcmp(cmd, "get") ? SK_GET : deleteall ? SK_DELETEALL : SK_SEND;
	if (sk_parse_aiflags(p, &af))
		goto out;
	if (sk_next(p) != SK_TOK_WORD) {
		sk_error(p, "%s: expected the source address", cmd);
		goto out;
	}
	if (sk_parse_addr(p, p->lx.text, &af, 0, &src))
		goto out;
	if (sk_next(p) != SK_TOK_WORD) {
		sk_error(p, "%s: expected the destination address", cmd);
		goto out;
	}
	if (sk_parse_addr(p, p->lx.text, &af, 0, &dst))
		goto out;
	if (sk_next(p) != SK_TOK_WORD) {
		sk_error(p, "%s: expected the protocol (esp, ah, ipcomp, ...)", cmd);
		goto out;
	}
	if (parse_proto(p, p->lx.text, &s, 0))
		goto out;
	c->satype = s.satype;
	if (s.natt) {
		/* optional original address for NAT-T */
		if (sk_next(p) == SK_TOK_WORD && looks_like_address(p->lx.text) &&
		    strncmp(p->lx.text, "0x", 2)) {
			if (sk_parse_addr(p, p->lx.text, &af, 0, &s.oa))
				goto out;
		} else {
			sk_lex_unget(&p->lx);
		}
	}
	if (!deleteall) {
		if (sk_next(p) != SK_TOK_WORD ||
		    sk_parse_number(p->lx.text, 0xffffffffu, &v)) {
			sk_error(p, "%s: expected the SPI (a number up to 0xffffffff), got '%s'",
				 cmd, p->lx.text);
			goto out;
		}
		s.spi = v;
	}
	for (;;) {
		enum sk_tok t = sk_next(p);

		if (t == SK_TOK_SEMI)
			break;
		if (t == SK_TOK_EOF) {
			sk_error(p, "missing ';' at end of input");
			goto out;
		}
		if (t != SK_TOK_WORD || p->lx.text[0] != '-') {
			if (t != SK_TOK_ERROR)
				sk_error(p, "unexpected '%s'", p->lx.text);
			goto out;
		}
		if (deleteall) {
			sk_error(p, "deleteall takes no options");
			goto out;
		}
		if (parse_option(p, cmd, &s))
			goto out;
	}
	if (!s.cycseq_set && s.satype == SADB_SATYPE_ESP && seq_nonce(s.enc))
		s.flags &= ~SADB_X_EXT_CYCSEQ;
	if ((!strcmp(cmd, "add") || !strcmp(cmd, "update")) && check_add(p, &s)) {
		p->errline = c->line;	/* the statement, not its ';' */
		goto out;
	}
	for (i = 0; i < src.n; i++)
		for (j = 0; j < dst.n; j++) {
			struct pfkey_msgbuf mb;

			if (src.a[i].ss.ss_family != dst.a[j].ss.ss_family)
				continue;
			pfkey_mb_init(&mb, msg_type(cmd), s.satype, ++p->seq, p->pid);
			build_sa(&mb, cmd, &s, &src.a[i], &dst.a[j]);
			if (sk_add_msg(p, c, &mb))
				goto out;
		}
	if (!c->nmsgs) {
		sk_error(p, "%s: source and destination have no address family in common",
			 cmd);
		p->errline = c->line;
		goto out;
	}
	r = 0;
out:
	sk_addrlist_free(&src);
	sk_addrlist_free(&dst);
	sa_spec_free(&s);
	return r;
}
