// SPDX-License-Identifier: BSD-3-Clause
/*
 * Engine core: handle tables, packet input dispatch, encryption of whole
 * messages and the send path with retransmission bookkeeping.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pfkeyv2.h>

#include "dh.h"
#include "ike.h"
#include "isakmp.h"
#include "log.h"
#include "natt.h"

time_t ike_now(const struct ike *ike)
{
	return ike->clock ? ike->clock() : time(NULL);
}

const char *addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  buf, (socklen_t)len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
			  (socklen_t)len);
	else
		snprintf(buf, len, "(family %d)", sa->sa_family);
	return buf;
}

bool addr_eq(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->sa_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			      &((const struct sockaddr_in6 *)b)->sin6_addr,
			      16) == 0;
	return false;
}

size_t sa_len(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					   sizeof(struct sockaddr_in);
}

struct ike *ike_new(struct config *conf, const struct psk_table *psk,
		    const struct kernel_ops *kops, void *kctx,
		    ike_send_fn send, void *send_arg)
{
	struct ike *ike = calloc(1, sizeof(*ike));

	if (!ike)
		return NULL;
	ike->conf = conf;
	ike->psk = psk;
	ike->kops = kops;
	ike->kctx = kctx;
	ike->send = send;
	ike->send_arg = send_arg;
	return ike;
}

static void ph1_free(struct ph1 *p1)
{
	dh_free(p1->dh);
	free(p1->sai_b);
	free(p1->my_id);
	free(p1->peer_id);
	free(p1->gxi);
	free(p1->gxr);
	free_secret(p1->psk, p1->psklen);
	free(p1->tx.pkt);
	frag_clear(&p1->frag_rx);
	free_secret(p1, sizeof(*p1));
}

static void ph2_free(struct ph2 *p2)
{
	dh_free(p2->dh);
	free_secret(p2->gxy, p2->glen);
	free(p2->tx.pkt);
	free_secret(p2, sizeof(*p2));
}

void ike_free(struct ike *ike)
{
	if (!ike)
		return;
	while (ike->ph2s) {
		struct ph2 *p2 = ike->ph2s;

		ike->ph2s = p2->next;
		ph2_free(p2);
	}
	while (ike->ph1s) {
		struct ph1 *p1 = ike->ph1s;

		ike->ph1s = p1->next;
		ph1_free(p1);
	}
	free(ike);
}

struct ph1 *ph1_new(struct ike *ike, const struct sockaddr *local,
		    const struct sockaddr *remote, bool initiator)
{
	struct ph1 *p1 = calloc(1, sizeof(*p1));

	if (!p1)
		return NULL;
	p1->ike = ike;
	memcpy(&p1->local, local, sa_len(local));
	memcpy(&p1->remote, remote, sa_len(remote));
	p1->initiator = initiator;
	p1->deadline = ike_now(ike) + ike->conf->timer.phase1 +
		       ike->conf->timer.counter * ike->conf->timer.interval;
	p1->next = ike->ph1s;
	ike->ph1s = p1;
	return p1;
}

/* Unlinks dead handles; ph2s first since they point at ph1s. */
void ph2_free_all_dead(struct ike *ike)
{
	struct ph2 **pp2 = &ike->ph2s;
	struct ph1 **pp1 = &ike->ph1s;

	while (*pp2) {
		struct ph2 *p2 = *pp2;

		if (p2->state == PH2_DEAD) {
			*pp2 = p2->next;
			ph2_free(p2);
		} else {
			if (p2->ph1 && p2->ph1->state == PH1_DEAD)
				p2->ph1 = NULL;
			pp2 = &p2->next;
		}
	}
	while (*pp1) {
		struct ph1 *p1 = *pp1;

		if (p1->state == PH1_DEAD) {
			*pp1 = p1->next;
			ph1_free(p1);
		} else {
			pp1 = &p1->next;
		}
	}
}

void ph1_fail(struct ph1 *p1, const char *why)
{
	char a[INET6_ADDRSTRLEN];
	struct ph2 *p2;

	if (p1->state == PH1_DEAD)
		return;
	log_err("phase 1 with %s failed: %s",
		addr_str((struct sockaddr *)&p1->remote, a, sizeof(a)), why);
	p1->ike->stats.ph1_failed++;
	p1->state = PH1_DEAD;
	for (p2 = p1->ike->ph2s; p2; p2 = p2->next)
		if (p2->ph1 == p1 && p2->state != PH2_ESTABLISHED)
			ph2_fail(p2, "its phase 1 failed");
}

void ph1_delete(struct ph1 *p1)
{
	struct ph2 *p2;

	p1->state = PH1_DEAD;
	for (p2 = p1->ike->ph2s; p2; p2 = p2->next)
		if (p2->ph1 == p1) {
			if (p2->state != PH2_ESTABLISHED)
				p2->state = PH2_DEAD;
			p2->ph1 = NULL;
		}
}

struct ph1 *ph1_find_established(struct ike *ike, const struct sockaddr *local,
				 const struct sockaddr *remote)
{
	struct ph1 *p1, *best = NULL;

	for (p1 = ike->ph1s; p1; p1 = p1->next)
		if (p1->state == PH1_ESTABLISHED &&
		    addr_eq((struct sockaddr *)&p1->local, local) &&
		    addr_eq((struct sockaddr *)&p1->remote, remote) &&
		    (!best || p1->expires > best->expires))
			best = p1;
	return best;
}

struct ph2 *ph2_new(struct ike *ike, struct ph1 *p1, bool initiator)
{
	struct ph2 *p2 = calloc(1, sizeof(*p2));

	if (!p2)
		return NULL;
	p2->ike = ike;
	p2->ph1 = p1;
	p2->initiator = initiator;
	p2->deadline = ike_now(ike) + ike->conf->timer.phase2 +
		       ike->conf->timer.counter * ike->conf->timer.interval;
	p2->next = ike->ph2s;
	ike->ph2s = p2;
	return p2;
}

void ph2_fail(struct ph2 *p2, const char *why)
{
	char a[INET6_ADDRSTRLEN];

	if (p2->state == PH2_DEAD)
		return;
	log_err("phase 2 with %s failed: %s",
		addr_str((struct sockaddr *)&p2->acq.remote, a, sizeof(a)),
		why);
	p2->ike->stats.ph2_failed++;
	/* GETSPI left a larval SA: nothing may stay behind a failure */
	if (p2->spi_in && p2->state != PH2_ESTABLISHED)
		p2->ike->kops->del(p2->ike->kctx, p2->acq.satype,
				   (struct sockaddr *)&p2->acq.remote,
				   (struct sockaddr *)&p2->acq.local,
				   p2->spi_in);
	p2->state = PH2_DEAD;
	/* let the kernel drop its larval SA instead of waiting it out */
	if (p2->initiator && p2->acq.seq && p2->ike->kops->acquire_failed)
		p2->ike->kops->acquire_failed(p2->ike->kctx, p2->acq.satype,
					      p2->acq.seq);
}

struct frag_out {
	struct ike *ike;
	const struct sockaddr *local, *remote;
};

static void send_one(void *arg, const uint8_t *f, size_t flen)
{
	struct frag_out *o = arg;
	char a[INET6_ADDRSTRLEN];

	if (o->ike->send(o->ike->send_arg, o->local, o->remote, f, flen) < 0)
		log_warn("sending %zu bytes to %s failed", flen,
			 addr_str(o->remote, a, sizeof(a)));
}

void ike_send_out(struct ike *ike, const struct sockaddr *local,
		  const struct sockaddr *remote, const uint8_t *pkt,
		  size_t len, bool frag)
{
	struct frag_out o = { ike, local, remote };
	char a[INET6_ADDRSTRLEN];
	int n;

	if (!frag || len <= FRAG_MAXLEN) {
		send_one(&o, pkt, len);
		return;
	}
	n = frag_split(pkt, len, send_one, &o);
	plog(LLV_DEBUG, "sent %zu bytes to %s as %d IKE fragments", len,
	     addr_str(remote, a, sizeof(a)), n);
}

void ike_send_packet(struct ike *ike, const struct sockaddr *local,
		     const struct sockaddr *remote, uint8_t *pkt, size_t len,
		     struct xmit *tx)
{
	char a[INET6_ADDRSTRLEN];

	for (int i = 0; i < ike->conf->timer.persend; i++) {
		ike_send_out(ike, local, remote, pkt, len, tx && tx->frag);
		ike->stats.tx++;
	}
	plog(LLV_DEBUG, "sent %zu bytes to %s", len,
	     addr_str(remote, a, sizeof(a)));
	plog_hex(LLV_DEBUG3, "sent packet", pkt, len);
	if (!tx) {
		free(pkt);
		return;
	}
	free(tx->pkt);
	tx->pkt = pkt;
	tx->len = len;
	tx->left = ike->conf->timer.counter;
	tx->next = ike_now(ike) + ike->conf->timer.interval;
}

bool ike_encrypt(struct ph1 *p1, struct buf *b, uint8_t *iv)
{
	size_t bl = crypto_block_len(p1->enc), body, pad;
	const struct padding_conf *pc = &p1->ike->conf->padding;
	uint8_t *ct;

	if (b->oom || b->len < ISAKMP_HDR_LEN)
		return false;
	body = b->len - ISAKMP_HDR_LEN;
	pad = bl - body % bl;
	if (pad == bl && !pc->exclusive_tail)
		pad = 0;
	if (pc->randomize) {
		uint8_t r;

		crypto_random(&r, 1);
		pad += bl * (r % 4);
	}
	/* Zero padding; with exclusive_tail the last byte is its length. */
	if (!buf_put(b, NULL, pad))
		return false;
	if (pc->exclusive_tail)
		b->p[b->len - 1] = (uint8_t)(pad - 1);
	body = b->len - ISAKMP_HDR_LEN;
	ct = malloc(body);
	if (!ct)
		return false;
	if (crypto_cbc(p1->enc, p1->keybits, p1->keys.key, iv,
		       b->p + ISAKMP_HDR_LEN, body, ct, true)) {
		free(ct);
		return false;
	}
	memcpy(b->p + ISAKMP_HDR_LEN, ct, body);
	free(ct);
	b->p[19] |= ISAKMP_FLAG_E;
	put32(b->p + 24, (uint32_t)b->len);
	return true;
}

uint8_t *ike_decrypt(struct ph1 *p1, const uint8_t *pkt, size_t len,
		     uint8_t *iv)
{
	size_t bl = crypto_block_len(p1->enc), body = len - ISAKMP_HDR_LEN;
	uint8_t *pt;

	if (len <= ISAKMP_HDR_LEN || body % bl)
		return NULL;
	pt = malloc(body);
	if (!pt)
		return NULL;
	if (crypto_cbc(p1->enc, p1->keybits, p1->keys.key, iv,
		       pkt + ISAKMP_HDR_LEN, body, pt, false)) {
		free(pt);
		return NULL;
	}
	return pt;
}

bool ike_is_retransmit(uint8_t last[MAX_HASH_LEN], const uint8_t *pkt,
		       size_t len)
{
	uint8_t h[MAX_HASH_LEN] = { 0 };
	struct chunk c = { pkt, len };

	crypto_hash(OAKLEY_HASH_SHA1, &c, 1, h);
	if (memcmp(h, last, MAX_HASH_LEN) == 0)
		return true;
	memcpy(last, h, MAX_HASH_LEN);
	return false;
}

bool ike_load_psk(struct ph1 *p1)
{
	char a[INET6_ADDRSTRLEN];
	const struct psk_entry *e;

	if (p1->psk)
		return true;
	addr_str((struct sockaddr *)&p1->remote, a, sizeof(a));
	e = psk_lookup(p1->ike->psk, a);
	if (!e) {
		log_err("no pre-shared key for %s in the psk file", a);
		return false;
	}
	p1->psk = memdup(e->key, e->keylen);
	p1->psklen = e->keylen;
	return p1->psk != NULL;
}

static struct ph1 *ph1_by_cookies(struct ike *ike, const struct isakmp_hdr *h,
				  const struct sockaddr *remote)
{
	static const uint8_t zero[8];
	struct ph1 *p1;

	for (p1 = ike->ph1s; p1; p1 = p1->next) {
		if (p1->state == PH1_DEAD ||
		    memcmp(p1->icookie, h->icookie, 8))
			continue;
		if (memcmp(p1->rcookie, h->rcookie, 8) == 0)
			return p1;
		if (!addr_eq((struct sockaddr *)&p1->remote, remote))
			continue;
		/* our msg1 went out with a zero responder cookie */
		if (p1->initiator &&
		    (p1->state == PH1_I_MSG1 || p1->state == PH1_I_AGG1) &&
		    memcmp(p1->rcookie, zero, 8) == 0)
			return p1;
		/* a retransmitted msg1 for an exchange we already answered */
		if (!p1->initiator && memcmp(h->rcookie, zero, 8) == 0)
			return p1;
	}
	return NULL;
}

/* Responder negotiations that have not authenticated the peer yet. */
#define MAX_HALF_OPEN 256

static int half_open(const struct ike *ike)
{
	const struct ph1 *p1;
	int n = 0;

	for (p1 = ike->ph1s; p1; p1 = p1->next)
		n += !p1->initiator && p1->state != PH1_ESTABLISHED &&
		     p1->state != PH1_DEAD;
	return n;
}

static void drop(struct ike *ike, const struct sockaddr *remote,
		 const char *why)
{
	char a[INET6_ADDRSTRLEN];

	ike->stats.dropped++;
	log_warn("dropped packet from %s: %s",
		 addr_str(remote, a, sizeof(a)), why);
}

/*
 * An IKE fragment of a phase 1 message, for a negotiation whose remote
 * section has ike_frag on (or force). The whole message, once all its
 * fragments are in, goes through ike_input() as if it had come in one
 * datagram; a fragment inside is dropped.
 */
static void frag_input(struct ike *ike, struct ph1 *p1, const uint8_t *pkt,
		       size_t len, const struct isakmp_hdr *h,
		       const struct sockaddr *local,
		       const struct sockaddr *remote)
{
	const char *err;
	uint8_t *whole;
	size_t wl;
	int r;

	if (!p1 || !p1->rmconf || p1->rmconf->ike_frag == IKE_FRAG_OFF ||
	    p1->etype != h->etype ||
	    !addr_eq((struct sockaddr *)&p1->remote, remote)) {
		drop(ike, remote, "IKE fragment for no ISAKMP SA doing "
		     "ike_frag");
		return;
	}
	r = frag_add(&p1->frag_rx, pkt, len, &whole, &wl, &err);
	if (r < 0) {
		drop(ike, remote, err);
		return;
	}
	if (r == 0)
		return;
	plog(LLV_DEBUG, "IKE fragments put together: %zu bytes", wl);
	if (wl < ISAKMP_HDR_LEN || whole[16] == PL_FRAG ||
	    memcmp(whole, pkt, 16) || whole[18] != h->etype)
		drop(ike, remote, "IKE fragments do not make a message of "
		     "their ISAKMP SA");
	else
		ike_input(ike, whole, wl, local, remote);
	free(whole);
}

void ph1_follow_peer(struct ph1 *p1)
{
	const struct sockaddr *l = p1->ike->rx_local, *r = p1->ike->rx_remote;
	char a[INET6_ADDRSTRLEN];

	if (!l || !r || !p1->natt.ver ||
	    l->sa_family != p1->local.ss_family ||
	    r->sa_family != p1->remote.ss_family)
		return;
	if (addr_eq(l, (struct sockaddr *)&p1->local) &&
	    addr_eq(r, (struct sockaddr *)&p1->remote) &&
	    sa_port(l) == sa_port((struct sockaddr *)&p1->local) &&
	    sa_port(r) == sa_port((struct sockaddr *)&p1->remote))
		return;
	log_info("ISAKMP-SA with %s: the peer is now at port %u, we at %u",
		 addr_str(r, a, sizeof(a)), sa_port(r), sa_port(l));
	memcpy(&p1->local, l, sa_len(l));
	memcpy(&p1->remote, r, sa_len(r));
	if (sa_port(l) == p1->ike->conf->natt_port)
		p1->natt.floated = true;
}

static void input_one(struct ike *ike, const uint8_t *pkt, size_t len,
		      const struct sockaddr *local,
		      const struct sockaddr *remote);

void ike_input(struct ike *ike, const uint8_t *pkt, size_t len,
	       const struct sockaddr *local, const struct sockaddr *remote)
{
	const struct sockaddr *ol = ike->rx_local, *orr = ike->rx_remote;

	ike->rx_local = local;
	ike->rx_remote = remote;
	input_one(ike, pkt, len, local, remote);
	ike->rx_local = ol;
	ike->rx_remote = orr;
}

static void input_one(struct ike *ike, const uint8_t *pkt, size_t len,
		      const struct sockaddr *local,
		      const struct sockaddr *remote)
{
	static const uint8_t zero[8];
	char a[INET6_ADDRSTRLEN];
	struct isakmp_hdr h;
	const char *err;
	struct ph1 *p1;

	ike->stats.rx++;
	plog(LLV_DEBUG, "received %zu bytes from %s", len,
	     addr_str(remote, a, sizeof(a)));
	plog_hex(LLV_DEBUG3, "received packet", pkt, len);
	if (isakmp_parse_hdr(pkt, len, &h, &err)) {
		drop(ike, remote, err);
		return;
	}
	if (memcmp(h.icookie, zero, 8) == 0) {
		drop(ike, remote, "zero initiator cookie");
		return;
	}
	p1 = ph1_by_cookies(ike, &h, remote);
	switch (h.etype) {
	case ETYPE_IDENT:
	case ETYPE_AGGRESSIVE:
		if (h.msgid != 0) {
			drop(ike, remote, "phase 1 message with a message id");
			break;
		}
		if (h.np == PL_FRAG) {
			frag_input(ike, p1, pkt, len, &h, local, remote);
			break;
		}
		if (!p1 && memcmp(h.rcookie, zero, 8) == 0 &&
		    !(h.flags & ISAKMP_FLAG_E)) {
			if (half_open(ike) >= MAX_HALF_OPEN) {
				drop(ike, remote, "too many half-open ISAKMP "
				     "SAs");
				break;
			}
			p1 = ph1_new(ike, local, remote, false);
			if (!p1)
				break;
			memcpy(p1->icookie, h.icookie, 8);
			crypto_random(p1->rcookie, 8);
			p1->etype = h.etype;
		}
		if (!p1) {
			drop(ike, remote, "phase 1 message for an unknown "
			     "ISAKMP SA");
			break;
		}
		if (p1->etype != h.etype) {
			drop(ike, remote, "phase 1 message of another exchange "
			     "type than the ISAKMP SA's");
			break;
		}
		if (!addr_eq((struct sockaddr *)&p1->remote, remote)) {
			drop(ike, remote, "ISAKMP SA belongs to another peer");
			break;
		}
		ph1_input(p1, pkt, len, &h);
		break;
	case ETYPE_QUICK:
		if (!p1 || p1->state != PH1_ESTABLISHED) {
			drop(ike, remote, "Quick Mode without an established "
			     "ISAKMP SA");
			break;
		}
		if (!addr_eq((struct sockaddr *)&p1->remote, remote)) {
			drop(ike, remote, "ISAKMP SA belongs to another peer");
			break;
		}
		ph2_input(p1, pkt, len, &h);
		break;
	case ETYPE_INFO:
		if (p1 && !addr_eq((struct sockaddr *)&p1->remote, remote))
			p1 = NULL;
		info_input(ike, p1, pkt, len, &h, remote);
		break;
	default:
		drop(ike, remote, "unsupported exchange type");
		break;
	}
	ph2_free_all_dead(ike);
}

int ike_acquire(struct ike *ike, const struct acquire *acq)
{
	const struct sockaddr *local = (const struct sockaddr *)&acq->local;
	const struct sockaddr *remote = (const struct sockaddr *)&acq->remote;
	const struct remote_conf *rc;
	char a[INET6_ADDRSTRLEN];
	struct ph1 *p1;
	struct ph2 *p2;

	for (p2 = ike->ph2s; p2; p2 = p2->next)
		if (p2->initiator && p2->state != PH2_ESTABLISHED &&
		    p2->state != PH2_DEAD &&
		    p2->acq.policy_id == acq->policy_id && acq->policy_id) {
			log_debug("ignoring ACQUIRE: policy %u is already "
				  "being negotiated", acq->policy_id);
			return 0;
		}
	rc = conf_find_remote(ike->conf, remote);
	if (!rc) {
		log_err("no remote section for %s: not negotiating",
			addr_str(remote, a, sizeof(a)));
		return -1;
	}
	if (rc->passive) {
		log_info("remote %s is passive: not initiating",
			 addr_str(remote, a, sizeof(a)));
		return 0;
	}
	p2 = ph2_new(ike, NULL, true);
	if (!p2)
		return -1;
	p2->acq = *acq;
	p2->state = PH2_WAIT_PH1;
	p1 = ph1_find_established(ike, local, remote);
	if (p1) {
		p2->ph1 = p1;
		return ph2_initiate(p2);
	}
	for (p1 = ike->ph1s; p1; p1 = p1->next)
		if (p1->state != PH1_DEAD &&
		    addr_eq((struct sockaddr *)&p1->local, local) &&
		    addr_eq((struct sockaddr *)&p1->remote, remote)) {
			p2->ph1 = p1;
			return 0;
		}
	p1 = ph1_new(ike, local, remote, true);
	if (!p1) {
		p2->state = PH2_DEAD;
		return -1;
	}
	p2->ph1 = p1;
	if (ph1_initiate(p1)) {
		ph1_fail(p1, "could not start Main Mode");
		ph2_free_all_dead(ike);
		return -1;
	}
	return 0;
}

void ike_sa_expired(struct ike *ike, uint8_t satype, uint32_t spi,
		    const struct sockaddr *dst, bool hard)
{
	struct ph2 *p2;

	for (p2 = ike->ph2s; p2; p2 = p2->next) {
		bool in = p2->spi_in == spi &&
			  addr_eq((struct sockaddr *)&p2->acq.local, dst);
		bool out = p2->spi_out == spi &&
			   addr_eq((struct sockaddr *)&p2->acq.remote, dst);

		if (p2->state != PH2_ESTABLISHED || (!in && !out) ||
		    (p2->proto == PROTO_IPSEC_AH) != (satype == SADB_SATYPE_AH))
			continue;
		if (hard) {
			log_info("IPsec SA spi 0x%08x expired (hard)", spi);
			ph2_delete_sas(p2, in);
			p2->state = PH2_DEAD;
		} else if (!p2->rekeyed && p2->initiator) {
			struct acquire acq = p2->acq;

			log_info("IPsec SA spi 0x%08x soft-expired: rekeying",
				 spi);
			p2->rekeyed = true;
			acq.seq = 0;
			acq.policy_id = 0;
			ike_acquire(ike, &acq);
		} else if (!p2->initiator) {
			log_debug("IPsec SA spi 0x%08x soft-expired: the "
				  "initiator rekeys it", spi);
		}
		break;
	}
	ph2_free_all_dead(ike);
}

void ike_dump(struct ike *ike)
{
	static const char *const p1s[] = {
		"responding", "sent msg 1", "sent msg 3", "sent msg 5",
		"sent msg 2", "sent msg 4", "sent aggressive msg 1",
		"sent aggressive msg 2", "established", "dead",
	};
	static const char *const p2s[] = {
		"responding", "waiting for phase 1", "sent msg 1",
		"sent msg 2", "established", "dead",
	};
	char a[INET6_ADDRSTRLEN];
	time_t now = ike_now(ike);
	struct ph1 *p1;
	struct ph2 *p2;

	log_notify("state: %lu received, %lu sent, %lu dropped, %lu "
		   "retransmitted; phase 1: %lu up, %lu failed; phase 2: %lu "
		   "up, %lu failed", ike->stats.rx, ike->stats.tx,
		   ike->stats.dropped, ike->stats.retransmits,
		   ike->stats.ph1_established, ike->stats.ph1_failed,
		   ike->stats.ph2_established, ike->stats.ph2_failed);
	for (p1 = ike->ph1s; p1; p1 = p1->next) {
		char natt[96] = "";

		if (p1->natt.ver)
			snprintf(natt, sizeof(natt), ", NAT-T %s%s%s, ports "
				 "%u -> %u", natt_ver_name(p1->natt.ver),
				 p1->natt.me_behind ? ", we behind NAT" : "",
				 p1->natt.peer_behind ? ", peer behind NAT" :
				 "", sa_port((struct sockaddr *)&p1->local),
				 sa_port((struct sockaddr *)&p1->remote));
		log_notify("  ISAKMP-SA %s %s (%s), %ld s left%s",
			   p1->initiator ? "to" : "from",
			   addr_str((struct sockaddr *)&p1->remote, a,
				    sizeof(a)),
			   p1s[p1->state],
			   (long)((p1->state == PH1_ESTABLISHED ? p1->expires :
				   p1->deadline) - now), natt);
	}
	for (p2 = ike->ph2s; p2; p2 = p2->next)
		log_notify("  IPsec-SA %s %s (%s), spi in 0x%08x out 0x%08x%s",
			   p2->initiator ? "to" : "from",
			   addr_str((struct sockaddr *)&p2->acq.remote, a,
				    sizeof(a)),
			   p2s[p2->state], p2->spi_in, p2->spi_out,
			   p2->udp ? ", ESP in UDP" : "");
}
