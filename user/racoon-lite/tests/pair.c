// SPDX-License-Identifier: BSD-3-Clause
#include <arpa/inet.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/ipsec.h>
#include <linux/pfkeyv2.h>

#include "../log.h"
#include "pair.h"
#include "../cert.h"

time_t fake_now = 1000000;

static time_t fake_clock(void)
{
	return fake_now;
}

static int f_getspi(void *kctx, const struct sockaddr *src,
		    const struct sockaddr *dst, uint8_t satype, uint8_t mode,
		    uint32_t reqid, uint32_t seq, uint32_t *spi)
{
	struct fake_kernel *k = kctx;

	(void)src; (void)dst; (void)satype; (void)mode; (void)reqid;
	k->getspi_calls++;
	k->last_getspi_seq = seq;
	*spi = k->next_spi++;
	return 0;
}

static int f_install(void *kctx, const struct child_sa *sa, bool inbound)
{
	struct fake_kernel *k = kctx;

	if (k->fail_install || k->nsa == FAKE_MAX_SAS)
		return -1;
	k->sa[k->nsa] = *sa;
	k->inbound[k->nsa] = inbound;
	k->deleted[k->nsa] = false;
	k->nsa++;
	return 0;
}

static int f_del(void *kctx, uint8_t satype, const struct sockaddr *src,
		 const struct sockaddr *dst, uint32_t spi)
{
	struct fake_kernel *k = kctx;

	(void)satype; (void)src; (void)dst;
	k->last_del_spi = spi;
	k->del_calls++;
	for (int i = 0; i < k->nsa; i++)
		if (k->sa[i].spi == spi && !k->deleted[i]) {
			k->deleted[i] = true;
			k->ndel++;
		}
	return 0;
}

static void f_acquire_failed(void *kctx, uint8_t satype, uint32_t seq)
{
	struct fake_kernel *k = kctx;

	(void)satype; (void)seq;
	k->acquire_failed++;
}

static int f_policy_reqid(void *kctx, uint8_t satype,
			  const struct selector *src,
			  const struct selector *dst, uint8_t dir,
			  uint32_t *reqid)
{
	struct fake_kernel *k = kctx;
	uint32_t r = dir == IPSEC_DIR_INBOUND ? k->reqid_in : k->reqid_out;

	(void)satype; (void)src; (void)dst;
	if (!r)
		return -1;
	*reqid = r;
	return 0;
}

const struct kernel_ops fake_kernel_ops = {
	.getspi = f_getspi,
	.install = f_install,
	.del = f_del,
	.acquire_failed = f_acquire_failed,
	.policy_reqid = f_policy_reqid,
};

/* The wire header before each datagram: source and destination port and
 * the destination address, as the sender chose them. */
#define WIRE_HDR 8

static int side_send(void *arg, const struct sockaddr *local,
		     const struct sockaddr *remote, const uint8_t *buf,
		     size_t len)
{
	struct side *s = arg;
	uint8_t pkt[65536 + WIRE_HDR];

	if (local->sa_family != AF_INET || remote->sa_family != AF_INET ||
	    len > 65536)
		return -1;
	s->last_sport = ntohs(((const struct sockaddr_in *)local)->sin_port);
	s->last_dport = ntohs(((const struct sockaddr_in *)remote)->sin_port);
	if (s->drop_next > 0) {
		s->drop_next--;
		return (int)len;
	}
	/* a path that loses IP fragments: UDP over IPv4, 28 bytes */
	if (s->mtu && len + 28 > s->mtu) {
		s->too_big++;
		return (int)len;
	}
	s->sent++;
	put16(pkt, s->last_sport);
	put16(pkt + 2, s->last_dport);
	memcpy(pkt + 4, &((const struct sockaddr_in *)remote)->sin_addr, 4);
	memcpy(pkt + WIRE_HDR, buf, len);
	if (send(s->fd, pkt, len + WIRE_HDR, 0) < 0)
		return -1;
	return (int)len;
}

char *write_temp(const char *text, int mode)
{
	char *path = strdup("/tmp/racoon-lite-test-XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0)
		abort();
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	fchmod(fd, (mode_t)mode);
	close(fd);
	return path;
}

static int side_init(struct side *s, const char *ip, uint32_t spi_base,
		     const char *conf, const char *psk)
{
	char err[512];
	char *path;

	memset(&s->addr, 0, sizeof(s->addr));
	s->addr.sin_family = AF_INET;
	s->addr.sin_port = htons(500);
	inet_pton(AF_INET, ip, &s->addr.sin_addr);
	s->conf = conf_parse_string("test.conf", conf, err, sizeof(err));
	if (!s->conf) {
		fprintf(stderr, "config: %s\n", err);
		return -1;
	}
	if (certs_load_config(s->conf, getuid(), err, sizeof(err))) {
		fprintf(stderr, "certificates: %s\n", err);
		return -1;
	}
	path = write_temp(psk, 0600);
	s->psk = psk_load(path, getuid(), err, sizeof(err));
	unlink(path);
	free(path);
	if (!s->psk) {
		fprintf(stderr, "psk: %s\n", err);
		return -1;
	}
	memset(&s->k, 0, sizeof(s->k));
	s->k.next_spi = spi_base;
	s->ike = ike_new(s->conf, s->psk, &fake_kernel_ops, &s->k, side_send,
			 s);
	if (!s->ike)
		return -1;
	s->ike->clock = fake_clock;
	return 0;
}

int pair_init(struct pair *p, const char *conf_a, const char *psk_a,
	      const char *conf_b, const char *psk_b)
{
	int sv[2];

	memset(p, 0, sizeof(*p));
	p->log = fmemopen(p->logbuf, sizeof(p->logbuf) - 1, "w");
	if (!p->log)
		return -1;
	log_set_stream(p->log);
	log_set_level(LLV_DEBUG);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv))
		return -1;
	p->a.fd = sv[0];
	p->b.fd = sv[1];
	inet_pton(AF_INET, "10.0.0.99", &p->nat_addr);
	inet_pton(AF_INET, "10.0.0.98", &p->nat_b_addr);
	p->nat_shift = 10000;
	if (side_init(&p->a, "10.0.0.1", 0x1000, conf_a, psk_a) ||
	    side_init(&p->b, "10.0.0.2", 0x2000, conf_b, psk_b))
		return -1;
	return 0;
}

static void side_free(struct side *s)
{
	ike_free(s->ike);
	certs_free_config(s->conf);
	conf_free(s->conf);
	psk_free(s->psk);
	close(s->fd);
}

void pair_free(struct pair *p)
{
	side_free(&p->a);
	side_free(&p->b);
	log_set_stream(NULL);
	fclose(p->log);
}

/*
 * One datagram from the wire to side @to (sent by @from): the addresses
 * and ports as the receiver sees them, through the NAT in front of A.
 */
static int deliver(struct pair *p, struct side *from, struct side *to,
		   const uint8_t *pkt, size_t n)
{
	struct sockaddr_in local = to->addr, remote = from->addr;
	struct in_addr dst;
	uint16_t sport, dport;

	if (n < WIRE_HDR)
		return 0;
	sport = get16(pkt);
	dport = get16(pkt + 2);
	memcpy(&dst, pkt + 4, 4);
	remote.sin_port = htons(sport);
	local.sin_port = htons(dport);
	if (p->nat_b && from == &p->b) {
		remote.sin_addr = p->nat_b_addr;
	} else if (p->nat_b && to == &p->b) {
		/* forwarded: only what goes to B's public address */
		if (dst.s_addr != p->nat_b_addr.s_addr)
			return 0;
		dst = to->addr.sin_addr;
	}
	if (p->nat_a && from == &p->a) {
		remote.sin_addr = p->nat_addr;
		remote.sin_port = htons(sport + p->nat_shift);
	} else if (p->nat_a && to == &p->a) {
		/* only what goes to the mapping reaches A */
		if (dst.s_addr != p->nat_addr.s_addr ||
		    dport < p->nat_shift)
			return 0;
		local.sin_port = htons(dport - p->nat_shift);
	} else if (dst.s_addr != to->addr.sin_addr.s_addr) {
		return 0;
	}
	if (p->mangle)
		p->mangle(p, from, (uint8_t *)pkt + WIRE_HDR, n - WIRE_HDR);
	if (n == WIRE_HDR + 1 && pkt[WIRE_HDR] == 0xff) {
		to->keepalives_rx++;	/* net.c would skip it */
		return 1;
	}
	ike_input(to->ike, pkt + WIRE_HDR, n - WIRE_HDR,
		  (struct sockaddr *)&local, (struct sockaddr *)&remote);
	return 1;
}

int pair_run(struct pair *p)
{
	uint8_t buf[65536 + WIRE_HDR];
	int total = 0;

	for (;;) {
		int moved = 0;
		ssize_t n;

		/* what A sent arrives at B's end, and the other way round */
		while ((n = recv(p->b.fd, buf, sizeof(buf), 0)) >= 0)
			moved += deliver(p, &p->a, &p->b, buf, (size_t)n);
		while ((n = recv(p->a.fd, buf, sizeof(buf), 0)) >= 0)
			moved += deliver(p, &p->b, &p->a, buf, (size_t)n);
		total += moved;
		if (!moved)
			break;
	}
	fflush(p->log);
	return total;
}

int pair_acquire(struct pair *p, struct side *from, struct side *to,
		 uint8_t satype, uint32_t seq)
{
	struct acquire acq;

	(void)p;
	memset(&acq, 0, sizeof(acq));
	memcpy(&acq.local, &from->addr, sizeof(from->addr));
	memcpy(&acq.remote, &to->addr, sizeof(to->addr));
	memcpy(&acq.src.addr, &from->addr, sizeof(from->addr));
	memcpy(&acq.dst.addr, &to->addr, sizeof(to->addr));
	((struct sockaddr_in *)&acq.src.addr)->sin_port = 0;
	((struct sockaddr_in *)&acq.dst.addr)->sin_port = 0;
	acq.src.prefix = acq.dst.prefix = 32;
	acq.src.proto = acq.dst.proto = 255;
	acq.satype = satype;
	acq.mode = IPSEC_MODE_TRANSPORT;
	acq.seq = seq;
	acq.policy_id = seq;
	return ike_acquire(from->ike, &acq);
}

const struct child_sa *fake_find(const struct side *s, bool inbound,
				 uint32_t spi)
{
	for (int i = 0; i < s->k.nsa; i++)
		if (s->k.inbound[i] == inbound && s->k.sa[i].spi == spi &&
		    !s->k.deleted[i])
			return &s->k.sa[i];
	return NULL;
}

int fake_count(const struct side *s, bool inbound)
{
	int n = 0;

	for (int i = 0; i < s->k.nsa; i++)
		n += s->k.inbound[i] == inbound && !s->k.deleted[i];
	return n;
}

const char *pair_log(struct pair *p)
{
	fflush(p->log);
	return p->logbuf;
}

int side_restart(struct side *s)
{
	ike_free(s->ike);
	s->ike = ike_new(s->conf, s->psk, &fake_kernel_ops, &s->k, side_send,
			 s);
	if (!s->ike)
		return -1;
	s->ike->clock = fake_clock;
	return 0;
}
