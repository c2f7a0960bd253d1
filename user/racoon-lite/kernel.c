// SPDX-License-Identifier: BSD-3-Clause
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/ipsec.h>
#include <linux/pfkeyv2.h>

#include "../libipsec/libipsec.h"
#include "../libipsec/pfkey_msg.h"
#include "../../kmod/pfkey/msg_parse.h"
#include "kernel.h"
#include "log.h"
#include "natt.h"

#define PFKEY_RCVBUF	(1 << 20)
#define REPLY_TIMEOUT_MS 2000
#define SPI_MIN		0x100
#define SPI_MAX		0x0fffffff
#define REPLAY_WINDOW	32
/* Soft lifetime = 80 % of hard, as racoon (PFKEY_SOFT_LIFETIME_RATE). */
#define SOFT_LIFETIME_RATE 80

struct queued {
	struct queued *next;
	size_t len;
	uint8_t msg[];
};

struct kernel {
	int fd;
	uint32_t seq;
	uint32_t pid;
	uint16_t port;
	struct ike *ike;
	struct queued *queue, **qtail;
	bool kame_sha256;	/* the kernel lists KAME's id 12 (kameipsec) */
};

struct kernel *kernel_wrap(int fd)
{
	struct kernel *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->fd = fd;
	k->seq = 1;
	k->pid = (uint32_t)getpid();
	k->port = 500;
	k->qtail = &k->queue;
	return k;
}

struct kernel *kernel_open(char *err, size_t errlen)
{
	int fd = socket(PF_KEY, SOCK_RAW | SOCK_CLOEXEC, PF_KEY_V2);
	int sz = PFKEY_RCVBUF, got;
	socklen_t sl = sizeof(got);
	struct kernel *k;

	if (fd < 0) {
		snprintf(err, errlen, "cannot open a PF_KEY socket: %s (is "
			 "the kameipsec module loaded?)", strerror(errno));
		return NULL;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (!getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &sl) && got < sz)
		log_warn("PF_KEY receive buffer is %d bytes, wanted %d", got,
			 sz);
	k = kernel_wrap(fd);
	if (!k) {
		close(fd);
		snprintf(err, errlen, "out of memory");
	}
	return k;
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	while (k->queue) {
		struct queued *q = k->queue;

		k->queue = q->next;
		free(q);
	}
	close(k->fd);
	free(k);
}

int kernel_fd(const struct kernel *k)
{
	return k->fd;
}

void kernel_set_ike(struct kernel *k, struct ike *ike)
{
	k->ike = ike;
}

void kernel_set_port(struct kernel *k, uint16_t port)
{
	k->port = port;
}

void kernel_refresh_pid(struct kernel *k)
{
	k->pid = (uint32_t)getpid();
}

uint32_t kernel_next_seq(const struct kernel *k)
{
	return k->seq;
}

/* ---- message building (libipsec's builder) ------------------------------ */

/* SA addresses carry no ports; prefix 0 means the whole address. */
static void ext_address(struct pfkey_msgbuf *mb, uint16_t type,
			const struct sockaddr *sa, uint8_t prefix, uint8_t proto)
{
	struct sockaddr_storage copy;

	memset(&copy, 0, sizeof(copy));
	memcpy(&copy, sa, pfkey_sockaddr_len(sa) ? pfkey_sockaddr_len(sa) :
						   sizeof(struct sockaddr_in));
	sa_set_port(&copy, 0);
	pfkey_mb_address(mb, type, (const struct sockaddr *)&copy,
			 prefix ? prefix : pfkey_sockaddr_maxprefix(sa), proto);
}

/* NAT-T (Linux's extensions): type, ports, the peer's original address. */
static void ext_natt(struct pfkey_msgbuf *mb, const struct child_sa *sa)
{
	pfkey_mb_nat_t(mb, sa->natt_type, sa->natt_sport, sa->natt_dport);
	/* the peer's original address, in the SA's family only */
	if (sa->natt_oa.ss_family == sa->dst.ss_family)
		ext_address(mb, SADB_X_EXT_NAT_T_OA,
			    (const struct sockaddr *)&sa->natt_oa, 0,
			    IPSEC_ULPROTO_ANY);
}

/* ---- I/O ------------------------------------------------------------------ */

static int msg_send(struct kernel *k, struct pfkey_msgbuf *mb)
{
	struct sadb_msg *m;
	size_t len;
	ssize_t n;

	m = pfkey_mb_finish(mb, &len);
	if (!m) {
		pfkey_mb_free(mb);
		errno = ENOMEM;
		return -1;
	}
	n = send(k->fd, m, len, 0);
	pfkey_mb_free(mb);
	return n < 0 ? -1 : 0;
}

/* One message, or NULL (would block / error). Caller frees. */
static struct sadb_msg *msg_recv(struct kernel *k, size_t *lenp, int timeout)
{
	struct pollfd pfd = { .fd = k->fd, .events = POLLIN };
	uint8_t *buf;
	ssize_t n;

	if (poll(&pfd, 1, timeout) <= 0)
		return NULL;
	buf = malloc(65536);
	if (!buf)
		return NULL;
	n = recv(k->fd, buf, 65536, MSG_DONTWAIT);
	if (n < 0 || pfkey_parse_exts((struct sadb_msg *)buf, (size_t)n, NULL)) {
		free(buf);
		return NULL;
	}
	*lenp = (size_t)n;
	return (struct sadb_msg *)buf;
}

static void enqueue(struct kernel *k, struct sadb_msg *m, size_t len)
{
	struct queued *q = malloc(sizeof(*q) + len);

	if (!q)
		return;
	q->next = NULL;
	q->len = len;
	memcpy(q->msg, m, len);
	*k->qtail = q;
	k->qtail = &q->next;
}

/*
 * Waits for the answer to our request (type, seq); anything else that
 * arrives meanwhile is queued for kernel_input. Returns the reply, or
 * NULL on timeout; *err gets the reply's errno.
 */
static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static struct sadb_msg *wait_reply(struct kernel *k, uint8_t type,
				   uint32_t seq, size_t *lenp, int *err)
{
	long deadline = now_ms() + REPLY_TIMEOUT_MS;

	/* a deadline, not a count: other messages may keep arriving */
	while (now_ms() < deadline) {
		struct sadb_msg *m;
		size_t len;

		m = msg_recv(k, &len, 100);
		if (!m)
			continue;
		if (m->sadb_msg_type == type && m->sadb_msg_seq == seq &&
		    m->sadb_msg_pid == k->pid) {
			*lenp = len;
			*err = m->sadb_msg_errno;
			return m;
		}
		enqueue(k, m, len);
		free(m);
	}
	*err = ETIMEDOUT;
	return NULL;
}

static int request(struct kernel *k, struct pfkey_msgbuf *mb, uint8_t type,
		   uint32_t seq, struct sadb_msg **reply, size_t *rlen)
{
	struct sadb_msg *m;
	size_t len;
	int err;

	if (msg_send(k, mb)) {
		log_err("PF_KEY: sending message type %u failed: %m", type);
		return -1;
	}
	m = wait_reply(k, type, seq, &len, &err);
	if (!m || err) {
		log_err("PF_KEY: message type %u failed: %s", type,
			strerror(err));
		free(m);
		return -1;
	}
	if (reply) {
		*reply = m;
		*rlen = len;
	} else {
		free(m);
	}
	return 0;
}

/* ---- kernel_ops ------------------------------------------------------------- */

int pfkey_parse_exts(const struct sadb_msg *m, size_t len,
		     const struct sadb_ext *ext[SADB_EXT_MAX + 1])
{
	struct kame_msg km;
	const char *why;
	int err;

	if (ext)
		memset(ext, 0, sizeof(ext[0]) * (SADB_EXT_MAX + 1));
	err = kame_msg_parse_out(m, len, &km, KAME_OUT_ANY, &why);
	if (err) {
		if (km.hdr)
			log_warn("PF_KEY: dropped a malformed SADB_%s from the "
				 "kernel: %s%s%s (%s)",
				 kame_msg_type_name(m->sadb_msg_type), why,
				 km.err_ext ? " " : "",
				 km.err_ext ? kame_ext_type_name(km.err_ext) : "",
				 strerror(-err));
		else
			log_warn("PF_KEY: dropped a malformed message (%zu "
				 "bytes)", len);
		return -1;
	}
	if (ext)
		memcpy(ext, km.ext, sizeof(km.ext));
	return 0;
}

static int k_getspi(void *kctx, const struct sockaddr *src,
		    const struct sockaddr *dst, uint8_t satype, uint8_t mode,
		    uint32_t reqid, uint32_t seq, uint32_t *spi)
{
	struct kernel *k = kctx;
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	struct sadb_msg *reply;
	struct pfkey_msgbuf b;
	size_t rlen;
	uint32_t s = seq ? seq : k->seq++;

	pfkey_mb_init(&b, SADB_GETSPI, satype, s, k->pid);
	pfkey_mb_sa2(&b, mode, reqid, 0);
	ext_address(&b, SADB_EXT_ADDRESS_SRC, src, 0, IPSEC_ULPROTO_ANY);
	ext_address(&b, SADB_EXT_ADDRESS_DST, dst, 0, IPSEC_ULPROTO_ANY);
	pfkey_mb_spirange(&b, SPI_MIN, SPI_MAX);
	if (request(k, &b, SADB_GETSPI, s, &reply, &rlen))
		return -1;
	/* replies are checked on arrival (msg_recv): GETSPI's has its SA */
	if (pfkey_parse_exts(reply, rlen, ext) || !ext[SADB_EXT_SA]) {
		log_err("PF_KEY: GETSPI reply has no SA extension");
		free(reply);
		return -1;
	}
	*spi = ntohl(((const struct sadb_sa *)ext[SADB_EXT_SA])->sadb_sa_spi);
	free(reply);
	log_debug("GETSPI: spi 0x%08x (seq %u)", *spi, s);
	return 0;
}

static int k_install(void *kctx, const struct child_sa *sa, bool inbound)
{
	struct kernel *k = kctx;
	uint8_t type = inbound ? SADB_UPDATE : SADB_ADD;
	uint32_t seq = inbound && sa->seq ? sa->seq : k->seq++;
	struct pfkey_msgbuf b;

	/*
	 * The plain SADB ids, as racoon installs them: the kernel gives
	 * SADB_X_AALG_SHA2_*HMAC its ICV length (kameipsec: RFC 4868's
	 * unless net.key.sha256_icv96 = 1), so racoon and racoon-lite
	 * on one kernel agree (Documentation/pfkey-conformance.md).
	 */
	pfkey_mb_init(&b, type, sa->satype, seq, k->pid);
	pfkey_mb_sa(&b, sa->spi, REPLAY_WINDOW, SADB_SASTATE_MATURE, sa->aalg,
		    sa->ealg, 0);
	pfkey_mb_sa2(&b, sa->mode, sa->reqid, 0);
	pfkey_mb_lifetime(&b, SADB_EXT_LIFETIME_HARD, 0, sa->life_bytes,
			  sa->life_sec, 0);
	pfkey_mb_lifetime(&b, SADB_EXT_LIFETIME_SOFT, 0,
			  sa->life_bytes * SOFT_LIFETIME_RATE / 100,
			  (uint64_t)sa->life_sec * SOFT_LIFETIME_RATE / 100, 0);
	ext_address(&b, SADB_EXT_ADDRESS_SRC,
		    (const struct sockaddr *)&sa->src, 0, IPSEC_ULPROTO_ANY);
	ext_address(&b, SADB_EXT_ADDRESS_DST,
		    (const struct sockaddr *)&sa->dst, 0, IPSEC_ULPROTO_ANY);
	if (sa->authkeylen)
		pfkey_mb_key(&b, SADB_EXT_KEY_AUTH, sa->authkey, sa->authkeylen);
	if (sa->enckeylen)
		pfkey_mb_key(&b, SADB_EXT_KEY_ENCRYPT, sa->enckey, sa->enckeylen);
	if (sa->natt_type)
		ext_natt(&b, sa);
	return request(k, &b, type, seq, NULL, NULL);
}

static int k_del(void *kctx, uint8_t satype, const struct sockaddr *src,
		 const struct sockaddr *dst, uint32_t spi)
{
	struct kernel *k = kctx;
	uint32_t seq = k->seq++;
	struct pfkey_msgbuf b;

	pfkey_mb_init(&b, SADB_DELETE, satype, seq, k->pid);
	pfkey_mb_sa(&b, spi, REPLAY_WINDOW, SADB_SASTATE_MATURE, 0, 0, 0);
	ext_address(&b, SADB_EXT_ADDRESS_SRC,
		    src, 0, IPSEC_ULPROTO_ANY);
	ext_address(&b, SADB_EXT_ADDRESS_DST,
		    dst, 0, IPSEC_ULPROTO_ANY);
	/* fire and forget: a missing SA is not worth waiting for */
	return msg_send(k, &b);
}

/* RFC 2367 3.1.6: an ACQUIRE with only a base header and an errno. */
static void k_acquire_failed(void *kctx, uint8_t satype, uint32_t seq)
{
	struct kernel *k = kctx;
	struct pfkey_msgbuf b;

	pfkey_mb_init(&b, SADB_ACQUIRE, satype, seq, k->pid);
	if (b.buf)
		((struct sadb_msg *)b.buf)->sadb_msg_errno = ENOENT;
	msg_send(k, &b);
}


/* Remembers whether the REGISTER reply lists KAME's id 12 (kameipsec). */
static void note_supported(struct kernel *k, const struct sadb_msg *m,
			   size_t len)
{
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	const struct sadb_ext *e;
	size_t n;

	if (pfkey_parse_exts(m, len, ext) || !ext[SADB_EXT_SUPPORTED_AUTH])
		return;
	e = ext[SADB_EXT_SUPPORTED_AUTH];
	n = ((size_t)e->sadb_ext_len * 8 - sizeof(struct sadb_supported)) /
	    sizeof(struct sadb_alg);
	for (size_t i = 0; i < n; i++) {
		const struct sadb_alg *a = (const void *)
			((const uint8_t *)e + sizeof(struct sadb_supported) +
			 i * sizeof(struct sadb_alg));

		if (a->sadb_alg_id == KAME_AALG_SHA2_256HMAC_128)
			k->kame_sha256 = true;
	}
}

/* kameipsec's net.key.sha256_icv96 in our netns (0 if unreadable). */
static bool sha256_icv96(void)
{
	FILE *f = fopen("/proc/sys/net/key/sha256_icv96", "re");
	int v = 0;

	if (!f)
		return false;
	if (fscanf(f, "%d", &v) != 1)
		v = 0;
	fclose(f);
	return v == 1;
}

int kernel_register(struct kernel *k)
{
	static const uint8_t types[] = { SADB_SATYPE_ESP, SADB_SATYPE_AH,
					 SADB_X_SATYPE_IPCOMP };

	for (size_t i = 0; i < sizeof(types); i++) {
		uint32_t seq = k->seq++;
		struct sadb_msg *reply;
		size_t rlen;
		struct pfkey_msgbuf b;

		pfkey_mb_init(&b, SADB_REGISTER, types[i], seq, k->pid);
		if (request(k, &b, SADB_REGISTER, seq, &reply, &rlen)) {
			/* without ESP there is nothing to do; AH, IPcomp
			 * are optional */
			if (types[i] == SADB_SATYPE_ESP) {
				log_err("PF_KEY: REGISTER for ESP failed");
				return -1;
			}
			log_warn("PF_KEY: REGISTER for %s failed; no ACQUIREs "
				 "for it", types[i] == SADB_SATYPE_AH ? "AH" :
				 "IPcomp");
			continue;
		}
		if (types[i] == SADB_SATYPE_ESP)
			note_supported(k, reply, rlen);
		free(reply);
	}
	if (!k->kame_sha256)
		log_info("the kernel is not kameipsec (Linux af_key?): "
			 "hmac_sha256 SAs get its 96-bit ICV, which RFC 4868 "
			 "peers do not share");
	else if (sha256_icv96())
		log_info("net.key.sha256_icv96 = 1: hmac_sha256 SAs get a "
			 "96-bit ICV, which RFC 4868 peers do not share");
	return 0;
}

/* ---- kernel -> us ------------------------------------------------------------ */

static bool get_address(const struct sadb_ext *e, struct sockaddr_storage *ss,
			uint8_t *prefix, uint8_t *proto)
{
	const struct sadb_address *a = (const void *)e;
	size_t elen, salen;
	const struct sockaddr *sa;

	if (!e)
		return false;
	elen = (size_t)e->sadb_ext_len * 8;
	if (elen < sizeof(*a) + sizeof(struct sockaddr_in))
		return false;
	sa = (const void *)(a + 1);
	salen = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
		sa->sa_family == AF_INET ? sizeof(struct sockaddr_in) : 0;
	if (!salen || elen < sizeof(*a) + salen)
		return false;
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, sa, salen);
	if (prefix)
		*prefix = a->sadb_address_prefixlen;
	if (proto)
		*proto = a->sadb_address_proto;
	return true;
}

static void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

static uint8_t ipproto_of_satype(uint8_t satype)
{
	switch (satype) {
	case SADB_SATYPE_AH:
		return IPPROTO_AH;
	case SADB_X_SATYPE_IPCOMP:
		return IPPROTO_COMP;
	}
	return IPPROTO_ESP;
}

/* The ipsecrequest for our protocol in an SPDGET answer. */
static void policy_request(const struct sadb_ext *e, uint8_t satype,
			   struct acquire *acq)
{
	const struct sadb_x_policy *p = (const void *)e;
	size_t elen = (size_t)e->sadb_ext_len * 8, off = sizeof(*p);

	if (elen < sizeof(*p))
		return;
	while (elen - off >= sizeof(struct sadb_x_ipsecrequest)) {
		const struct sadb_x_ipsecrequest *r =
			(const void *)((const uint8_t *)p + off);
		size_t rlen = r->sadb_x_ipsecrequest_len;

		if (rlen < sizeof(*r) || rlen > elen - off)
			return;
		if (r->sadb_x_ipsecrequest_proto == ipproto_of_satype(satype)) {
			acq->mode = r->sadb_x_ipsecrequest_mode;
			if (r->sadb_x_ipsecrequest_level == IPSEC_LEVEL_UNIQUE)
				acq->reqid = r->sadb_x_ipsecrequest_reqid;
			return;
		}
		off += rlen;
	}
}

int kernel_parse_acquire(const struct sadb_msg *m, size_t len,
			 const struct sadb_msg *pol, size_t pollen,
			 struct acquire *acq)
{
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	const struct sadb_ext *pext[SADB_EXT_MAX + 1];
	uint8_t prefix, proto;

	memset(acq, 0, sizeof(*acq));
	if (pfkey_parse_exts(m, len, ext) ||
	    !get_address(ext[SADB_EXT_ADDRESS_SRC], &acq->local, NULL, NULL) ||
	    !get_address(ext[SADB_EXT_ADDRESS_DST], &acq->remote, NULL, NULL))
		return -1;
	if (acq->local.ss_family != acq->remote.ss_family)
		return -1;
	acq->satype = m->sadb_msg_satype;
	acq->seq = m->sadb_msg_seq;
	acq->mode = IPSEC_MODE_TRANSPORT;
	if (ext[SADB_X_EXT_POLICY] &&
	    ext[SADB_X_EXT_POLICY]->sadb_ext_len * 8 >=
		    sizeof(struct sadb_x_policy))
		acq->policy_id = ((const struct sadb_x_policy *)
					  ext[SADB_X_EXT_POLICY])->sadb_x_policy_id;
	/* default selectors: the two hosts, any protocol */
	acq->src.addr = acq->local;
	acq->dst.addr = acq->remote;
	acq->src.prefix = acq->dst.prefix =
		acq->local.ss_family == AF_INET6 ? 128 : 32;
	acq->src.proto = acq->dst.proto = IPSEC_ULPROTO_ANY;
	if (pol && !pfkey_parse_exts(pol, pollen, pext)) {
		if (get_address(pext[SADB_EXT_ADDRESS_SRC], &acq->src.addr,
				&prefix, &proto)) {
			acq->src.prefix = prefix;
			acq->src.proto = proto ? proto : IPSEC_ULPROTO_ANY;
		}
		if (get_address(pext[SADB_EXT_ADDRESS_DST], &acq->dst.addr,
				&prefix, &proto)) {
			acq->dst.prefix = prefix;
			acq->dst.proto = proto ? proto : IPSEC_ULPROTO_ANY;
		}
		if (pext[SADB_X_EXT_POLICY])
			policy_request(pext[SADB_X_EXT_POLICY], acq->satype,
				       acq);
	}
	return 0;
}

/* SPDGET for the ACQUIRE's policy id; NULL if the kernel cannot say. */
static struct sadb_msg *spdget(struct kernel *k, const struct sadb_msg *m,
			       size_t len, size_t *rlen)
{
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	const struct sadb_x_policy *ap;
	struct sadb_msg *reply;
	uint32_t seq = k->seq++;
	struct pfkey_msgbuf b;

	if (pfkey_parse_exts(m, len, ext) || !ext[SADB_X_EXT_POLICY])
		return NULL;
	ap = (const void *)ext[SADB_X_EXT_POLICY];
	pfkey_mb_init(&b, SADB_X_SPDGET, SADB_SATYPE_UNSPEC, seq, k->pid);
	pfkey_mb_policy_id(&b, ap->sadb_x_policy_dir ? ap->sadb_x_policy_dir :
			   IPSEC_DIR_OUTBOUND, ap->sadb_x_policy_id);
	if (request(k, &b, SADB_X_SPDGET, seq, &reply, rlen))
		return NULL;
	return reply;
}

static void handle_acquire(struct kernel *k, struct sadb_msg *m, size_t len)
{
	struct sadb_msg *pol;
	struct acquire acq;
	size_t plen = 0;

	if (m->sadb_msg_errno || m->sadb_msg_pid == k->pid)
		return;		/* an error report (maybe ours), not a request */
	if (m->sadb_msg_satype == SADB_X_SATYPE_IPCOMP) {
		log_warn("ACQUIRE for IPcomp: not negotiated by racoon-lite");
		return;
	}
	pol = spdget(k, m, len, &plen);
	if (kernel_parse_acquire(m, len, pol, plen, &acq)) {
		log_warn("PF_KEY: unusable ACQUIRE (seq %u)", m->sadb_msg_seq);
		free(pol);
		return;
	}
	free(pol);
	set_port(&acq.local, k->port);
	set_port(&acq.remote, k->port);
	log_info("ACQUIRE seq %u for policy %u", acq.seq, acq.policy_id);
	if (k->ike)
		ike_acquire(k->ike, &acq);
}

static void handle_expire(struct kernel *k, struct sadb_msg *m, size_t len)
{
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	struct sockaddr_storage dst;
	uint32_t spi;
	bool hard;

	if (pfkey_parse_exts(m, len, ext) || !ext[SADB_EXT_SA] ||
	    ext[SADB_EXT_SA]->sadb_ext_len * 8 < sizeof(struct sadb_sa) ||
	    !get_address(ext[SADB_EXT_ADDRESS_DST], &dst, NULL, NULL))
		return;
	spi = ntohl(((const struct sadb_sa *)ext[SADB_EXT_SA])->sadb_sa_spi);
	/* DELETE broadcasts count as hard; EXPIRE says which by its ext */
	hard = m->sadb_msg_type == SADB_DELETE ||
	       ext[SADB_EXT_LIFETIME_HARD] != NULL;
	if (k->ike)
		ike_sa_expired(k->ike, m->sadb_msg_satype, spi,
			       (struct sockaddr *)&dst, hard);
}

static bool get_natt_port(const struct sadb_ext *e, uint16_t *port)
{
	if (!e || (size_t)e->sadb_ext_len * 8 < sizeof(struct sadb_x_nat_t_port))
		return false;
	*port = ntohs(((const struct sadb_x_nat_t_port *)e)->sadb_x_nat_t_port_port);
	return true;
}

/*
 * SADB_X_NAT_T_NEW_MAPPING, Linux af_key's layout: SA, ADDRESS_SRC and
 * NAT_T_SPORT the SA's peer as it was, ADDRESS_DST and NAT_T_DPORT where
 * its packet came from now.
 */
int kernel_parse_new_mapping(const struct sadb_msg *m, size_t len,
			     uint32_t *spi, struct sockaddr_storage *was,
			     struct sockaddr_storage *now)
{
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	uint16_t sport, dport;

	if (pfkey_parse_exts(m, len, ext) || !ext[SADB_EXT_SA] ||
	    ext[SADB_EXT_SA]->sadb_ext_len * 8 < sizeof(struct sadb_sa) ||
	    !get_address(ext[SADB_EXT_ADDRESS_SRC], was, NULL, NULL) ||
	    !get_address(ext[SADB_EXT_ADDRESS_DST], now, NULL, NULL) ||
	    !get_natt_port(ext[SADB_X_EXT_NAT_T_SPORT], &sport) ||
	    !get_natt_port(ext[SADB_X_EXT_NAT_T_DPORT], &dport) ||
	    was->ss_family != now->ss_family)
		return -1;
	*spi = ntohl(((const struct sadb_sa *)ext[SADB_EXT_SA])->sadb_sa_spi);
	sa_set_port(was, sport);
	sa_set_port(now, dport);
	return 0;
}

static void handle_new_mapping(struct kernel *k, struct sadb_msg *m,
			       size_t len)
{
	struct sockaddr_storage was, now;
	uint32_t spi;

	if (kernel_parse_new_mapping(m, len, &spi, &was, &now)) {
		log_warn("PF_KEY: malformed NAT_T_NEW_MAPPING");
		return;
	}
	if (k->ike)
		ike_new_mapping(k->ike, m->sadb_msg_satype, spi,
				(struct sockaddr *)&was,
				(struct sockaddr *)&now);
}

static void dispatch(struct kernel *k, struct sadb_msg *m, size_t len)
{
	switch (m->sadb_msg_type) {
	case SADB_ACQUIRE:
		handle_acquire(k, m, len);
		break;
	case SADB_EXPIRE:
		handle_expire(k, m, len);
		break;
	case SADB_X_NAT_T_NEW_MAPPING:
		handle_new_mapping(k, m, len);
		break;
	case SADB_DELETE:
		/* our own deletes come back as broadcasts: skip those */
		if (m->sadb_msg_pid != k->pid && !m->sadb_msg_errno)
			handle_expire(k, m, len);
		break;
	default:
		break;
	}
}

void kernel_input(struct kernel *k)
{
	struct sadb_msg *m;
	size_t len;

	while (k->queue) {
		struct queued *q = k->queue;

		k->queue = q->next;
		if (!k->queue)
			k->qtail = &k->queue;
		dispatch(k, (struct sadb_msg *)q->msg, q->len);
		free(q);
	}
	while ((m = msg_recv(k, &len, 0))) {
		dispatch(k, m, len);
		free(m);
	}
}

/* ---- SPD lookups ---------------------------------------------------------- */

static bool sel_match(const struct sadb_ext *e, const struct selector *sel)
{
	struct sockaddr_storage ss;
	uint8_t prefix, proto;
	size_t alen;

	if (!get_address(e, &ss, &prefix, &proto) ||
	    ss.ss_family != sel->addr.ss_family || prefix != sel->prefix)
		return false;
	if ((proto ? proto : IPSEC_ULPROTO_ANY) !=
	    (sel->proto ? sel->proto : IPSEC_ULPROTO_ANY))
		return false;
	/* address and port, both in network order in the sockaddr */
	if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)&ss;
		const struct sockaddr_in6 *b = (const void *)&sel->addr;

		alen = 16;
		return a->sin6_port == b->sin6_port &&
		       !memcmp(&a->sin6_addr, &b->sin6_addr, alen);
	}
	return ((const struct sockaddr_in *)&ss)->sin_port ==
		       ((const struct sockaddr_in *)&sel->addr)->sin_port &&
	       ((const struct sockaddr_in *)&ss)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)&sel->addr)->sin_addr.s_addr;
}

/* Scans an SPDDUMP for the policy; -1 if none matches. */
static int k_policy_reqid(void *kctx, uint8_t satype,
			  const struct selector *src,
			  const struct selector *dst, uint8_t dir,
			  uint32_t *reqid)
{
	struct kernel *k = kctx;
	uint32_t seq = k->seq++;
	int found = -1;
	struct pfkey_msgbuf b;

	pfkey_mb_init(&b, SADB_X_SPDDUMP, SADB_SATYPE_UNSPEC, seq, k->pid);
	if (msg_send(k, &b))
		return -1;
	for (long deadline = now_ms() + REPLY_TIMEOUT_MS; now_ms() < deadline;) {
		const struct sadb_ext *ext[SADB_EXT_MAX + 1];
		const struct sadb_x_policy *p;
		struct sadb_msg *m;
		struct acquire tmp;
		size_t len;
		bool last;

		m = msg_recv(k, &len, 100);
		if (!m)
			continue;
		if (m->sadb_msg_type != SADB_X_SPDDUMP ||
		    m->sadb_msg_pid != k->pid) {
			enqueue(k, m, len);
			free(m);
			continue;
		}
		last = m->sadb_msg_seq == 0 || m->sadb_msg_errno;
		if (found < 0 && !m->sadb_msg_errno &&
		    !pfkey_parse_exts(m, len, ext) && ext[SADB_X_EXT_POLICY] &&
		    ext[SADB_X_EXT_POLICY]->sadb_ext_len * 8 >= sizeof(*p)) {
			p = (const void *)ext[SADB_X_EXT_POLICY];
			if (p->sadb_x_policy_dir == dir &&
			    p->sadb_x_policy_type == IPSEC_POLICY_IPSEC &&
			    sel_match(ext[SADB_EXT_ADDRESS_SRC], src) &&
			    sel_match(ext[SADB_EXT_ADDRESS_DST], dst)) {
				memset(&tmp, 0, sizeof(tmp));
				tmp.satype = satype;
				policy_request(ext[SADB_X_EXT_POLICY], satype,
					       &tmp);
				*reqid = tmp.reqid;
				found = 0;
			}
		}
		free(m);
		if (last)
			break;
	}
	return found;
}

const struct kernel_ops pfkey_kernel_ops = {
	.getspi = k_getspi,
	.install = k_install,
	.del = k_del,
	.acquire_failed = k_acquire_failed,
	.policy_reqid = k_policy_reqid,
};

/* ---- per-socket policies ---------------------------------------------------- */

int kernel_socket_bypass(int fd, int family)
{
	static const char *const pol[] = { "in bypass", "out bypass" };
	int level = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
	int opt = family == AF_INET6 ? IPV6_IPSEC_POLICY : IP_IPSEC_POLICY;

	for (size_t i = 0; i < 2; i++) {
		char *buf = ipsec_set_policy(pol[i], (int)strlen(pol[i]));
		int r, saved;

		if (!buf) {
			log_err("ipsec_set_policy(\"%s\"): %s", pol[i],
				ipsec_strerror());
			errno = EINVAL;
			return -1;
		}
		r = setsockopt(fd, level, opt, buf,
			       (socklen_t)ipsec_get_policylen(buf));
		saved = errno;
		free(buf);
		if (r < 0) {
			errno = saved;
			return -1;
		}
	}
	return 0;
}
