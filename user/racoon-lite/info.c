// SPDX-License-Identifier: BSD-3-Clause
/*
 * Informational exchanges (RFC 2409 5.7): HDR*, HASH(1), N/D with
 * HASH(1) = prf(SKEYID_a, M-ID | N/D). Before phase 1 has keys, only
 * plain notifications exist; they are logged but trusted for nothing
 * except ending a negotiation that the peer refuses.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "build.h"
#include "ike.h"
#include "isakmp.h"
#include "log.h"

static const char *who(const struct sockaddr *sa)
{
	static char a[INET6_ADDRSTRLEN];

	return addr_str(sa, a, sizeof(a));
}

static bool has_keys(const struct ph1 *p1)
{
	return p1 && p1->keys.hlen &&
	       (p1->state == PH1_ESTABLISHED || p1->state == PH1_I_MSG5 ||
		p1->state == PH1_R_MSG4 || p1->state == PH1_R_AGG2);
}

void info_send_plain_notify(struct ike *ike, const struct sockaddr *local,
			    const struct sockaddr *remote,
			    const uint8_t icookie[8], const uint8_t rcookie[8],
			    uint16_t type)
{
	uint8_t spi[16], *pkt;
	struct msgb m;
	size_t len;

	memcpy(spi, icookie, 8);
	memcpy(spi + 8, rcookie, 8);
	msgb_init(&m, icookie, rcookie, ETYPE_INFO, 0, 0);
	msgb_notify(&m, PROTO_ISAKMP, spi, 16, type, NULL, 0);
	if (!msgb_finish(&m)) {
		buf_free(&m.b);
		return;
	}
	pkt = buf_steal(&m.b, &len);
	log_info("sending %s to %s", isakmp_notify_name(type), who(remote));
	ike_send_packet(ike, local, remote, pkt, len, NULL);
}

/* Sends HDR*, HASH(1), <one payload built by the caller into body>. */
static void send_protected(struct ph1 *p1, uint8_t type, const struct buf *pl)
{
	uint8_t mid[4], h[MAX_HASH_LEN], iv[MAX_BLOCK_LEN], *pkt;
	size_t hs, hb, hl = p1->keys.hlen, len;
	uint32_t msgid;
	struct chunk c[2];
	struct msgb m;

	if (!has_keys(p1) || pl->oom)
		return;
	do
		crypto_random(&msgid, sizeof(msgid));
	while (!msgid);
	msgb_init(&m, p1->icookie, p1->rcookie, ETYPE_INFO, 0, msgid);
	hs = msgb_begin(&m, PL_HASH);
	buf_put(&m.b, NULL, hl);
	msgb_end(&m, hs);
	hb = hs + ISAKMP_GEN_LEN;
	msgb_add(&m, type, pl->p, pl->len);
	if (!msgb_finish(&m))
		goto fail;
	put32(mid, msgid);
	c[0] = (struct chunk){ mid, 4 };
	c[1] = (struct chunk){ m.b.p + hb + hl, m.b.len - hb - hl };
	if (crypto_prf(p1->hash, p1->keys.skeyid_a, hl, c, 2, h))
		goto fail;
	memcpy(m.b.p + hb, h, hl);
	if (crypto_p2_iv(p1->hash, p1->enc, p1->iv, msgid, iv) ||
	    !ike_encrypt(p1, &m.b, iv))
		goto fail;
	pkt = buf_steal(&m.b, &len);
	ike_send_packet(p1->ike, (struct sockaddr *)&p1->local,
			(struct sockaddr *)&p1->remote, pkt, len, NULL);
	return;
fail:
	buf_free(&m.b);
}

void info_send_notify(struct ph1 *p1, uint8_t proto, const uint8_t *spi,
		      uint8_t spisize, uint16_t type, const void *data,
		      size_t datalen)
{
	struct buf b;

	buf_init(&b);
	buf_u32(&b, DOI_IPSEC);
	buf_u8(&b, proto);
	buf_u8(&b, spisize);
	buf_u16(&b, type);
	buf_put(&b, spi, spisize);
	if (datalen)
		buf_put(&b, data, datalen);
	log_info("sending %s to %s", isakmp_notify_name(type),
		 who((struct sockaddr *)&p1->remote));
	send_protected(p1, PL_N, &b);
	buf_free(&b);
}

void info_send_delete(struct ph1 *p1, uint8_t proto, uint8_t spisize,
		      const uint8_t *spis, uint16_t nspi)
{
	struct buf b;

	buf_init(&b);
	buf_u32(&b, DOI_IPSEC);
	buf_u8(&b, proto);
	buf_u8(&b, spisize);
	buf_u16(&b, nspi);
	buf_put(&b, spis, (size_t)spisize * nspi);
	log_info("sending DELETE (protocol %u, %u SPIs) to %s", proto, nspi,
		 who((struct sockaddr *)&p1->remote));
	send_protected(p1, PL_D, &b);
	buf_free(&b);
}

void info_send_dpd(struct ph1 *p1)
{
	uint8_t spi[16], seq[4];

	if (!p1->dpd_seq)
		crypto_random(&p1->dpd_seq, sizeof(p1->dpd_seq));
	p1->dpd_seq = (p1->dpd_seq + 1) & 0x7fffffff;
	memcpy(spi, p1->icookie, 8);
	memcpy(spi + 8, p1->rcookie, 8);
	put32(seq, p1->dpd_seq);
	info_send_notify(p1, PROTO_ISAKMP, spi, 16, N_R_U_THERE, seq, 4);
}

static bool same_id(const struct ph1 *a, const struct ph1 *b)
{
	return a && b && a->peer_id && b->peer_id &&
	       a->peer_idlen == b->peer_idlen &&
	       !memcmp(a->peer_id, b->peer_id, a->peer_idlen);
}

/*
 * Forgets the older SAs with this peer. A peer behind a NAT shares its
 * address with every host behind that NAT, so there (RFC 3947 6) only
 * the SAs of ISAKMP SAs that authenticated the same ID are older ones.
 */
void info_initial_contact(struct ph1 *p1)
{
	struct ike *ike = p1->ike;
	bool by_id = p1->natt.peer_behind && p1->peer_id;
	struct ph1 *o;
	struct ph2 *p2;
	int n = 0;

	/* IPsec SAs first: ph1_delete() unlinks them from their ph1 */
	for (p2 = ike->ph2s; p2; p2 = p2->next)
		if (p2->ph1 != p1 && p2->state == PH2_ESTABLISHED &&
		    addr_eq((struct sockaddr *)&p2->acq.remote,
			    (struct sockaddr *)&p1->remote) &&
		    (!by_id || same_id(p2->ph1, p1))) {
			ph2_delete_sas(p2, false);
			p2->state = PH2_DEAD;
			n++;
		}
	/* negotiations in progress are not "old": leave them alone */
	for (o = ike->ph1s; o; o = o->next)
		if (o != p1 && o->state == PH1_ESTABLISHED &&
		    addr_eq((struct sockaddr *)&o->remote,
			    (struct sockaddr *)&p1->remote) &&
		    (!by_id || same_id(o, p1))) {
			ph1_delete(o);
			n++;
		}
	log_notify("INITIAL-CONTACT from %s%s: removed %d older SAs",
		   who((struct sockaddr *)&p1->remote),
		   by_id ? " (behind NAT: those of its ID)" : "", n);
}

static void handle_notify(struct ph1 *p1, const struct payload *p)
{
	const struct sockaddr *remote = (struct sockaddr *)&p1->remote;
	struct notify n;
	struct ph2 *p2;

	notify_decode(p, &n);
	switch (n.type) {
	case N_INITIAL_CONTACT:
		info_initial_contact(p1);
		return;
	case N_R_U_THERE:
		log_debug("R-U-THERE from %s", who(remote));
		info_send_notify(p1, n.proto, n.spi, n.spisize,
				 N_R_U_THERE_ACK, n.data, n.datalen);
		return;
	case N_R_U_THERE_ACK:
		log_debug("R-U-THERE-ACK from %s", who(remote));
		if (n.datalen == 4 && get32(n.data) == p1->dpd_seq &&
		    p1->dpd_waiting) {
			p1->dpd_waiting = false;
			p1->dpd_fails = 0;
			p1->dpd_next = ike_now(p1->ike) +
				       p1->rmconf->dpd_delay;
		}
		return;
	}
	log_notify("notification %s (%u) from %s",
		   isakmp_notify_name(n.type), n.type, who(remote));
	if (n.type > N_ERROR_MAX)
		return;
	/* An error: the peer refused something we are negotiating. */
	for (p2 = p1->ike->ph2s; p2; p2 = p2->next)
		if (p2->ph1 == p1 && p2->initiator &&
		    (p2->state == PH2_I_MSG1))
			ph2_fail(p2, isakmp_notify_name(n.type));
}

static void handle_delete(struct ph1 *p1, const struct payload *p)
{
	const struct sockaddr *remote = (struct sockaddr *)&p1->remote;
	struct delete_pl d;
	struct ph2 *p2;
	struct ph1 *o;

	delete_decode(p, &d);
	for (unsigned int i = 0; i < d.nspi; i++) {
		const uint8_t *spi = d.spis + (size_t)i * d.spisize;

		if (d.proto == PROTO_ISAKMP && d.spisize == 16) {
			for (o = p1->ike->ph1s; o; o = o->next)
				if (o->state != PH1_DEAD &&
				    !memcmp(o->icookie, spi, 8) &&
				    !memcmp(o->rcookie, spi + 8, 8) &&
				    addr_eq((struct sockaddr *)&o->remote,
					    remote)) {
					log_notify("peer %s deleted an "
						   "ISAKMP-SA", who(remote));
					ph1_delete(o);
				}
		} else if ((d.proto == PROTO_IPSEC_ESP ||
			    d.proto == PROTO_IPSEC_AH) && d.spisize == 4) {
			uint32_t v = get32(spi);

			for (p2 = p1->ike->ph2s; p2; p2 = p2->next)
				if (p2->state == PH2_ESTABLISHED &&
				    p2->proto == d.proto && p2->spi_out == v &&
				    addr_eq((struct sockaddr *)&p2->acq.remote,
					    remote)) {
					log_notify("peer %s deleted IPsec-SA "
						   "spi 0x%08x", who(remote),
						   v);
					ph2_delete_sas(p2, false);
					p2->state = PH2_DEAD;
				}
		} else {
			log_warn("ignoring DELETE with protocol %u and SPI "
				 "size %u from %s", d.proto, d.spisize,
				 who(remote));
			return;
		}
	}
}

static void input_plain(struct ike *ike, struct ph1 *p1, const uint8_t *pkt,
			size_t len, const struct isakmp_hdr *h,
			const struct sockaddr *remote)
{
	struct payload_list pl;
	const struct payload *p;
	const char *err;
	struct notify n;

	if (payload_walk(pkt + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN, h->np,
			 &pl, &err)) {
		ike->stats.dropped++;
		log_warn("dropped informational from %s: %s", who(remote), err);
		return;
	}
	for (int i = 0; (p = payload_find(&pl, PL_N, i)); i++) {
		notify_decode(p, &n);
		log_notify("unauthenticated notification %s (%u) from %s",
			   isakmp_notify_name(n.type), n.type, who(remote));
		if (p1 && p1->state != PH1_ESTABLISHED &&
		    n.type <= N_ERROR_MAX) {
			char why[96];

			snprintf(why, sizeof(why), "the peer sent %s%s",
				 isakmp_notify_name(n.type),
				 n.type == N_INVALID_HASH_INFORMATION ||
				 n.type == N_AUTHENTICATION_FAILED ||
				 n.type == N_PAYLOAD_MALFORMED ?
					 " (wrong pre-shared key?)" : "");
			ph1_fail(p1, why);
		}
	}
	if (payload_find(&pl, PL_D, 0))
		log_warn("ignoring unauthenticated DELETE from %s",
			 who(remote));
}

void info_input(struct ike *ike, struct ph1 *p1, const uint8_t *pkt,
		size_t len, const struct isakmp_hdr *h,
		const struct sockaddr *remote)
{
	uint8_t iv[MAX_BLOCK_LEN], mid[4], want[MAX_HASH_LEN], *plain;
	const struct payload *hp, *last, *p;
	struct payload_list pl;
	struct chunk c[2];
	const char *err;

	if (!(h->flags & ISAKMP_FLAG_E)) {
		input_plain(ike, p1, pkt, len, h, remote);
		return;
	}
	if (!has_keys(p1)) {
		ike->stats.dropped++;
		log_warn("dropped encrypted informational from %s: no "
			 "matching ISAKMP SA", who(remote));
		return;
	}
	if (crypto_p2_iv(p1->hash, p1->enc, p1->iv, h->msgid, iv))
		return;
	plain = ike_decrypt(p1, pkt, len, iv);
	if (!plain || payload_walk(plain, len - ISAKMP_HDR_LEN, h->np, &pl,
				   &err) || pl.n < 2) {
		ike->stats.dropped++;
		log_warn("dropped informational from %s: malformed",
			 who(remote));
		free(plain);
		return;
	}
	hp = &pl.pl[0];
	last = &pl.pl[pl.n - 1];
	put32(mid, h->msgid);
	c[0] = (struct chunk){ mid, 4 };
	c[1] = (struct chunk){ hp->raw + hp->rawlen,
			       (size_t)(last->raw + last->rawlen -
					(hp->raw + hp->rawlen)) };
	if (hp->type != PL_HASH || hp->len != p1->keys.hlen ||
	    crypto_prf(p1->hash, p1->keys.skeyid_a, p1->keys.hlen, c, 2,
		       want) ||
	    CRYPTO_memcmp(want, hp->body, p1->keys.hlen)) {
		ike->stats.dropped++;
		log_warn("dropped informational from %s: HASH mismatch",
			 who(remote));
		free(plain);
		return;
	}
	ph1_follow_peer(p1);
	for (int i = 1; i < pl.n; i++) {
		p = &pl.pl[i];
		if (p->type == PL_N)
			handle_notify(p1, p);
		else if (p->type == PL_D)
			handle_delete(p1, p);
	}
	free(plain);
}
