// SPDX-License-Identifier: BSD-3-Clause
/*
 * Time-driven work: retransmissions (timer counter/interval), negotiation
 * deadlines (timer phase1/phase2) and ISAKMP-SA lifetimes. IPsec SA
 * lifetimes are the kernel's job; it reports them with SADB_EXPIRE.
 */
#include <netinet/in.h>
#include <string.h>

#include "ike.h"
#include "isakmp.h"
#include "log.h"
#include "natt.h"

static const char *who(const struct sockaddr_storage *ss)
{
	static char a[INET6_ADDRSTRLEN];

	return addr_str((const struct sockaddr *)ss, a, sizeof(a));
}

/* 1: retransmitted or nothing due, 0: out of retries. */
static int retransmit(struct ike *ike, struct xmit *tx,
		      const struct sockaddr_storage *local,
		      const struct sockaddr_storage *remote, time_t now)
{
	if (!tx->pkt || tx->next > now)
		return 1;
	if (tx->left <= 0)
		return 0;
	tx->left--;
	tx->next = now + ike->conf->timer.interval;
	ike->stats.retransmits++;
	log_info("retransmitting to %s (%d left)", who(remote), tx->left);
	ike_send_out(ike, (const struct sockaddr *)local,
		     (const struct sockaddr *)remote, tx->pkt, tx->len,
		     tx->frag);
	return 1;
}

/* The peer answered none of our R-U-THEREs: it is gone, and so are its SAs. */
static void peer_dead(struct ph1 *p1)
{
	struct ph2 *p2;

	log_err("peer %s is dead: %d R-U-THERE queries unanswered; "
		"deleting its SAs", who(&p1->remote), p1->dpd_fails);
	/*
	 * Behind a NAT the address is shared with other hosts: only the
	 * SAs this ISAKMP SA negotiated are the dead peer's.
	 */
	for (p2 = p1->ike->ph2s; p2; p2 = p2->next)
		if (p2->state == PH2_ESTABLISHED &&
		    addr_eq((struct sockaddr *)&p2->acq.remote,
			    (struct sockaddr *)&p1->remote) &&
		    (!p1->natt.peer_behind || p2->ph1 == p1)) {
			ph2_delete_sas(p2, false);
			p2->state = PH2_DEAD;
		}
	ph1_delete(p1);
}

/* RFC 3706 as initiator of queries: every dpd_delay, retried. */
static void dpd(struct ph1 *p1, time_t now)
{
	const struct remote_conf *r = p1->rmconf;

	if (!r || !r->dpd_delay || !p1->peer_dpd || now < p1->dpd_next)
		return;
	if (p1->dpd_waiting && ++p1->dpd_fails >= r->dpd_maxfail) {
		peer_dead(p1);
		return;
	}
	p1->dpd_waiting = true;
	p1->dpd_next = now + r->dpd_retry;
	info_send_dpd(p1);
}

/*
 * RFC 3948 keepalives: one 0xFF byte to the peer's NAT-T port every
 * natt_keepalive seconds, from a side behind a NAT, so that the NAT
 * keeps the mapping of an idle SA.
 */
static void keepalive(struct ph1 *p1, time_t now)
{
	static const uint8_t ka = NATT_KEEPALIVE_BYTE;
	int every = p1->ike->conf->timer.natt_keepalive;

	if (!every || !p1->natt.floated || !p1->natt.me_behind)
		return;
	if (now < p1->natt.keepalive_next)
		return;
	p1->natt.keepalive_next = now + every;
	plog(LLV_DEBUG, "NAT-T keepalive to %s", who(&p1->remote));
	p1->ike->send(p1->ike->send_arg, (struct sockaddr *)&p1->local,
		      (struct sockaddr *)&p1->remote, &ka, 1);
}

void ike_tick(struct ike *ike)
{
	time_t now = ike_now(ike);
	struct ph1 *p1;
	struct ph2 *p2;

	for (p1 = ike->ph1s; p1; p1 = p1->next) {
		if (p1->state == PH1_DEAD)
			continue;
		if (p1->state == PH1_ESTABLISHED) {
			dpd(p1, now);
			if (p1->state == PH1_DEAD)
				continue;
			keepalive(p1, now);
			if (now >= p1->expires) {
				uint8_t spi[16];

				log_notify("ISAKMP-SA with %s expired",
					   who(&p1->remote));
				memcpy(spi, p1->icookie, 8);
				memcpy(spi + 8, p1->rcookie, 8);
				info_send_delete(p1, PROTO_ISAKMP, 16, spi, 1);
				ph1_delete(p1);
			}
			continue;
		}
		if (now >= p1->deadline)
			ph1_fail(p1, "timed out: the peer did not answer "
				 "in time");
		else if (!retransmit(ike, &p1->tx, &p1->local, &p1->remote,
				     now))
			ph1_fail(p1, "the peer did not answer our "
				 "retransmissions");
	}
	for (p2 = ike->ph2s; p2; p2 = p2->next) {
		switch (p2->state) {
		case PH2_WAIT_PH1:
			if (!p2->ph1)
				ph2_fail(p2, "its phase 1 went away");
			break;
		case PH2_NEW:
		case PH2_I_MSG1:
		case PH2_R_MSG2:
			if (!p2->ph1)
				ph2_fail(p2, "its phase 1 went away");
			else if (now >= p2->deadline)
				ph2_fail(p2, "timed out: the peer did not "
					 "answer in time");
			else if (!retransmit(ike, &p2->tx, &p2->ph1->local,
					     &p2->ph1->remote, now))
				ph2_fail(p2, "the peer did not answer our "
					 "retransmissions");
			break;
		case PH2_ESTABLISHED:
			/* the kernel expires the SAs; forget them later */
			if (now >= p2->expires + 60)
				p2->state = PH2_DEAD;
			break;
		case PH2_DEAD:
			break;
		}
	}
	ph2_free_all_dead(ike);
}

static void consider(time_t t, time_t now, time_t *best)
{
	if (t && t - now < *best)
		*best = t > now ? t - now : 0;
}

int ike_next_timeout(struct ike *ike, int max)
{
	time_t now = ike_now(ike), best = max;
	struct ph1 *p1;
	struct ph2 *p2;

	for (p1 = ike->ph1s; p1; p1 = p1->next) {
		if (p1->state == PH1_ESTABLISHED) {
			consider(p1->expires, now, &best);
			if (p1->rmconf && p1->rmconf->dpd_delay && p1->peer_dpd)
				consider(p1->dpd_next, now, &best);
			if (p1->natt.floated && p1->natt.me_behind &&
			    ike->conf->timer.natt_keepalive)
				consider(p1->natt.keepalive_next, now, &best);
		} else if (p1->state != PH1_DEAD) {
			consider(p1->deadline, now, &best);
			if (p1->tx.pkt)
				consider(p1->tx.next, now, &best);
		}
	}
	for (p2 = ike->ph2s; p2; p2 = p2->next) {
		if (p2->state == PH2_ESTABLISHED || p2->state == PH2_DEAD)
			continue;
		consider(p2->deadline, now, &best);
		if (p2->tx.pkt)
			consider(p2->tx.next, now, &best);
	}
	return (int)best;
}
