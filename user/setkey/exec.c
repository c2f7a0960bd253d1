// SPDX-License-Identifier: BSD-3-Clause
/*
 * The executor: sends a command's messages, matches each reply by
 * (type, seq, pid) so broadcasts from other sockets pass by, and turns a
 * kernel errno into "file:line: command: text".
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include "exec.h"
#include "../libipsec/pfkey_msg.h"

void sk_exec_init(struct sk_exec *x, int so, const char *file)
{
	memset(x, 0, sizeof(*x));
	x->so = so;
	x->file = file;
	x->out = stdout;
	x->err = stderr;
	x->pid = getpid();
	x->timeout_ms = 30000;
}

static void fail(struct sk_exec *x, const struct sk_cmd *c, const char *what)
{
	fflush(x->out);
	if (c)
		fprintf(x->err, "%s:%d: %s: %s\n", x->file, c->line, c->name, what);
	else
		fprintf(x->err, "setkey: %s\n", what);
}

static int send_msg(struct sk_exec *x, const struct sk_cmd *c,
		    struct sadb_msg *m, size_t len)
{
	if (x->verbose) {
		fprintf(x->out, "# send\n");
		kdebug_sadb_fp(x->out, m);
	}
	if (pfkey_send(x->so, m, len) < 0) {
		fail(x, c, ipsec_strerror());
		return -1;
	}
	return 0;
}

/*
 * The next message of this type for this process (and this seq unless
 * any_seq). NULL on timeout or socket error, after printing why.
 */
static struct sadb_msg *wait_reply(struct sk_exec *x, const struct sk_cmd *c,
				   unsigned int type, uint32_t seq, int any_seq)
{
	struct pollfd pfd = { .fd = x->so, .events = POLLIN };
	struct sadb_msg *m;

	for (;;) {
		int r = poll(&pfd, 1, x->timeout_ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fail(x, c, r == 0 ? "no reply from the kernel" :
			     strerror(errno));
			return NULL;
		}
		m = pfkey_recv(x->so);
		if (!m) {
			fail(x, c, ipsec_strerror());
			return NULL;
		}
		if (x->verbose) {
			fprintf(x->out, "# recv\n");
			kdebug_sadb_fp(x->out, m);
		}
		if (m->sadb_msg_type == type && m->sadb_msg_pid == x->pid &&
		    (any_seq || m->sadb_msg_seq == seq || m->sadb_msg_errno))
			return m;
		free(m);
	}
}

/* KAME wording for "nothing there" (Linux says ESRCH for SAs). */
static const char *errno_text(const struct sk_cmd *c, int e)
{
	if (e == ENOSYS && c && (!strcmp(c->name, "add") ||
				 !strcmp(c->name, "update")))
		return "the kernel does not implement this algorithm (ENOSYS)";
	if ((e == ENOENT || e == ESRCH) && c && (!strcmp(c->name, "get") ||
				 !strcmp(c->name, "delete") ||
				 !strcmp(c->name, "spddelete")))
		return "No entry";
	return strerror(e);
}

static int send_and_check(struct sk_exec *x, const struct sk_cmd *c,
			  struct sadb_msg *m, size_t len, struct sadb_msg **reply)
{
	struct sadb_msg *r;

	if (send_msg(x, c, m, len))
		return -1;
	r = wait_reply(x, c, m->sadb_msg_type, m->sadb_msg_seq, 0);
	if (!r)
		return -1;
	if (r->sadb_msg_errno) {
		int e = r->sadb_msg_errno;

		free(r);
		errno = e;
		return -2;
	}
	if (reply)
		*reply = r;
	else
		free(r);
	return 0;
}

static int print_one(struct sk_exec *x, const struct sadb_msg *m, int spd,
		     int shortfmt)
{
	struct pfkey_dump_opts o = { x->out, time(NULL), x->withports,
				     x->show_dead };

	if (spd) {
		caddr_t mhp[SADB_EXT_MAX + 1];

		if (x->hide_socket && !pfkey_align((struct sadb_msg *)m, mhp) &&
		    mhp[SADB_X_EXT_POLICY]) {
			const struct sadb_x_policy *xp = (const void *)mhp[SADB_X_EXT_POLICY];

			if (xp->sadb_x_policy_id % 8 >= 3)
				return 1;
		}
		pfkey_spdump_opts(m, &o);
		return 0;
	}
	if (shortfmt)
		pfkey_sadump_short(m, &o);
	else
		pfkey_sadump_opts(m, &o);
	return 0;
}

/* Sends a dump request and handles every reply until seq 0. */
static int run_dump(struct sk_exec *x, const struct sk_cmd *c, unsigned int type,
		    unsigned int satype, int shortfmt,
		    int (*each)(struct sk_exec *, const struct sadb_msg *, void *),
		    void *arg)
{
	struct pfkey_msgbuf mb;
	struct sadb_msg *req, *r;
	size_t len;
	int hidden = 0, rc = 0;

	pfkey_mb_init(&mb, type, satype, 0, x->pid);
	req = pfkey_mb_finish(&mb, &len);
	if (!req || send_msg(x, c, req, len)) {
		pfkey_mb_free(&mb);
		return -1;
	}
	pfkey_mb_free(&mb);
	for (;;) {
		r = wait_reply(x, c, type, 0, 1);
		if (!r)
			return -1;
		if (r->sadb_msg_errno) {
			int e = r->sadb_msg_errno;

			free(r);
			if (e == ENOENT) {
				if (!each)
					fprintf(x->out, "No %s entries.\n",
						type == SADB_DUMP ? "SAD" : "SPD");
				return 0;
			}
			fail(x, c, strerror(e));
			return -1;
		}
		if (each)
			rc |= each(x, r, arg);
		else
			hidden += print_one(x, r, type == SADB_X_SPDDUMP, shortfmt);
		if (r->sadb_msg_seq == 0) {
			free(r);
			break;
		}
		free(r);
	}
	if (hidden)
		fprintf(x->out, "%d per-socket policies not shown (filtered by -N)\n",
			hidden);
	return rc;
}

int sk_exec_walk(struct sk_exec *x, int spd,
		 int (*each)(struct sk_exec *, const struct sadb_msg *, void *),
		 void *arg)
{
	return run_dump(x, NULL, spd ? SADB_X_SPDDUMP : SADB_DUMP,
			SADB_SATYPE_UNSPEC, 0, each, arg);
}

int sk_exec_dump(struct sk_exec *x, int spd, unsigned int satype, int shortfmt)
{
	return run_dump(x, NULL, spd ? SADB_X_SPDDUMP : SADB_DUMP, satype,
			shortfmt, NULL, NULL);
}

static int same_addr(const struct sockaddr *a, const struct sockaddr *b)
{
	if (!a || !b || a->sa_family != b->sa_family)
		return 0;
	if (a->sa_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr,
		       sizeof(struct in6_addr));
}

struct spi_list {
	const struct sockaddr *src, *dst;
	uint32_t *spi;
	size_t n;
};

static int collect_spi(struct sk_exec *x, const struct sadb_msg *m, void *arg)
{
	struct spi_list *l = arg;
	caddr_t mhp[SADB_EXT_MAX + 1];
	const struct sadb_sa *sa;
	uint32_t *n;

	if (pfkey_align((struct sadb_msg *)m, mhp))
		return 0;
	sa = (const void *)mhp[SADB_EXT_SA];
	if (!sa || !same_addr(kame_ext_sockaddr(mhp[SADB_EXT_ADDRESS_SRC]), l->src) ||
	    !same_addr(kame_ext_sockaddr(mhp[SADB_EXT_ADDRESS_DST]), l->dst))
		return 0;
	n = realloc(l->spi, (l->n + 1) * sizeof(*n));
	if (!n)
		return -1;
	l->spi = n;
	l->spi[l->n++] = ntohl(sa->sadb_sa_spi);
	return 0;
}

/*
 * KAME deletes every SA of the pair for a DELETE without an SA extension;
 * Linux refuses it (EINVAL), so then dump and delete one by one.
 */
static int run_deleteall(struct sk_exec *x, const struct sk_cmd *c,
			 struct sadb_msg *m, size_t len)
{
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct spi_list l = { 0 };
	size_t i;
	int r = send_and_check(x, c, m, len, NULL);

	if (r == 0 || (r == -2 && errno == ENOENT))
		return 0;
	if (r == -1 || errno != EINVAL) {
		fail(x, c, strerror(errno));
		return -1;
	}
	if (pfkey_align(m, mhp))
		return -1;
	l.src = kame_ext_sockaddr(mhp[SADB_EXT_ADDRESS_SRC]);
	l.dst = kame_ext_sockaddr(mhp[SADB_EXT_ADDRESS_DST]);
	if (run_dump(x, c, SADB_DUMP, c->satype, 0, collect_spi, &l)) {
		free(l.spi);
		return -1;
	}
	r = 0;
	for (i = 0; i < l.n; i++) {
		struct pfkey_msgbuf mb;
		struct sadb_msg *d;
		size_t dl;

		pfkey_mb_init(&mb, SADB_DELETE, c->satype, m->sadb_msg_seq, x->pid);
		pfkey_mb_sa(&mb, l.spi[i], 0, 0, 0, 0, 0);
		pfkey_mb_address(&mb, SADB_EXT_ADDRESS_SRC, l.src,
				 pfkey_sockaddr_maxprefix(l.src), IPSEC_ULPROTO_ANY);
		pfkey_mb_address(&mb, SADB_EXT_ADDRESS_DST, l.dst,
				 pfkey_sockaddr_maxprefix(l.dst), IPSEC_ULPROTO_ANY);
		d = pfkey_mb_finish(&mb, &dl);
		if (d) {
			int e = send_and_check(x, c, d, dl, NULL);

			if (e == -2 && errno != ENOENT) {
				fail(x, c, strerror(errno));
				r = -1;
			} else if (e == -1) {
				r = -1;
			}
		}
		pfkey_mb_free(&mb);
	}
	free(l.spi);
	return r;
}

int sk_exec_cmd(struct sk_exec *x, const struct sk_cmd *c)
{
	struct sadb_msg *reply;
	size_t i;
	int rc = 0, r;

	switch (c->kind) {
	case SK_EXIT:
		return 0;
	case SK_DUMP:
		return run_dump(x, c, SADB_DUMP, c->satype, 0, NULL, NULL);
	case SK_SPDDUMP:
		return run_dump(x, c, SADB_X_SPDDUMP, 0, 0, NULL, NULL);
	default:
		break;
	}
	for (i = 0; i < c->nmsgs; i++) {
		struct sadb_msg *m = c->msgs[i].m;

		if (c->kind == SK_DELETEALL) {
			rc |= run_deleteall(x, c, m, c->msgs[i].len);
			continue;
		}
		reply = NULL;
		r = send_and_check(x, c, m, c->msgs[i].len,
				   c->kind == SK_GET ? &reply : NULL);
		if (r == -2)
			fail(x, c, errno_text(c, errno));
		if (r) {
			rc = -1;
			continue;
		}
		if (reply) {
			struct pfkey_dump_opts o = { x->out, time(NULL),
						     x->withports, 1 };

			pfkey_sadump_opts(reply, &o);
			free(reply);
		}
	}
	return rc;
}

int sk_exec_register(struct sk_exec *x)
{
	if (pfkey_send_register(x->so, SADB_SATYPE_UNSPEC) < 0)
		return -1;
	if (pfkey_recv_register(x->so) < 0)
		return -1;
	x->have_supported = 1;
	return 0;
}

/* Bits of nonce salt carried at the end of the key (RFC 3686/4106/4309). */
static unsigned int salt_bits(const struct kame_alg *a)
{
	switch (a->id) {
	case SADB_X_EALG_AESCTR:
	case SADB_X_EALG_AES_GCM_ICV8:
	case SADB_X_EALG_AES_GCM_ICV12:
	case SADB_X_EALG_AES_GCM_ICV16:
	case SADB_X_EALG_NULL_AES_GMAC:
	case KAME_EALG_CHACHA20_POLY1305:
		return 32;
	case SADB_X_EALG_AES_CCM_ICV8:
	case SADB_X_EALG_AES_CCM_ICV12:
	case SADB_X_EALG_AES_CCM_ICV16:
		return 24;
	}
	return 0;
}

int sk_exec_alg_check(void *ctx, const struct kame_alg *a, size_t keybytes,
		      char *why, size_t whylen)
{
	struct sk_exec *x = ctx;
	struct sadb_alg alg;
	unsigned int bits = keybytes * 8, salt;
	unsigned int ext;

	if (!x->have_supported || a->kind == KAME_ALG_COMP)
		return 0;
	ext = a->kind == KAME_ALG_ENC ? SADB_EXT_SUPPORTED_ENCRYPT :
	      SADB_EXT_SUPPORTED_AUTH;
	if (ipsec_get_keylen(ext, a->id, &alg)) {
		/*
		 * Linux lists no AEAD (GCM, CCM, GMAC, ChaCha20) in its
		 * REGISTER reply yet accepts them; let the kernel decide.
		 */
		if (salt_bits(a))
			return 0;
		snprintf(why, whylen,
			 "%s (SADB id %u) is not supported by this kernel (not in its SADB_REGISTER list)",
			 a->name, a->id);
		return -1;
	}
	if (a->nokey)
		return 0;
	salt = salt_bits(a);
	/* Linux lists AEAD/CTR sizes without the salt; KAME with it */
	if ((bits >= alg.sadb_alg_minbits && bits <= alg.sadb_alg_maxbits) ||
	    (salt && bits - salt >= alg.sadb_alg_minbits &&
	     bits - salt <= alg.sadb_alg_maxbits))
		return 0;
	snprintf(why, whylen, "this kernel takes %s keys of %u..%u bits, got %u bits",
		 a->name, alg.sadb_alg_minbits, alg.sadb_alg_maxbits, bits);
	return -1;
}

void sk_exec_print_cmd(struct sk_exec *x, const struct sk_cmd *c)
{
	size_t i;

	for (i = 0; i < c->nmsgs; i++) {
		fprintf(x->out, "# %s:%d: %s\n", x->file, c->line, c->name);
		kdebug_sadb_fp(x->out, c->msgs[i].m);
	}
	if (c->kind == SK_EXIT)
		fprintf(x->out, "# %s:%d: exit\n", x->file, c->line);
}
