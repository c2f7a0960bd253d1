// SPDX-License-Identifier: BSD-3-Clause
/*
 * Quick Mode (RFC 2409 5.5), both roles, with optional PFS and IDs:
 *   I->R  HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]
 *   R->I  HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, N(RESP-LIFETIME)]
 *   I->R  HDR*, HASH(3)
 * then both install the inbound and the outbound SA.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ipsec.h>
#include <linux/pfkeyv2.h>
#include <openssl/crypto.h>

#include "build.h"
#include "dh.h"
#include "ike.h"
#include "isakmp.h"
#include "log.h"
#include "natt.h"
#include "proposal.h"

#define NONCE_LEN 32

static const char *peer(const struct ph2 *p2)
{
	static char a[INET6_ADDRSTRLEN];

	return addr_str((const struct sockaddr *)&p2->acq.remote, a,
			sizeof(a));
}

static uint8_t proto_of_satype(uint8_t satype)
{
	return satype == SADB_SATYPE_AH ? PROTO_IPSEC_AH : PROTO_IPSEC_ESP;
}

static uint8_t satype_of_proto(uint8_t proto)
{
	return proto == PROTO_IPSEC_AH ? SADB_SATYPE_AH : SADB_SATYPE_ESP;
}

static void sel_to_id(const struct selector *s, struct sa_id *id)
{
	memset(id, 0, sizeof(*id));
	id->addr = s->addr;
	id->prefix = s->prefix;
	id->port = ntohs(s->addr.ss_family == AF_INET6 ?
				 ((const struct sockaddr_in6 *)&s->addr)->sin6_port :
				 ((const struct sockaddr_in *)&s->addr)->sin_port);
	id->proto = s->proto == 0 ? 255 : s->proto;
	if (s->addr.ss_family == AF_INET)
		((struct sockaddr_in *)&id->addr)->sin_port = 0;
	else
		((struct sockaddr_in6 *)&id->addr)->sin6_port = 0;
}

/* ID payload body for a selector. */
static void id_body(struct buf *b, const struct selector *s)
{
	bool v6 = s->addr.ss_family == AF_INET6;
	unsigned int max = v6 ? 128 : 32;
	const uint8_t *a;
	uint16_t port;
	uint8_t mask[16] = { 0 };

	if (v6) {
		a = (const uint8_t *)&((const struct sockaddr_in6 *)&s->addr)->sin6_addr;
		port = ntohs(((const struct sockaddr_in6 *)&s->addr)->sin6_port);
	} else {
		a = (const uint8_t *)&((const struct sockaddr_in *)&s->addr)->sin_addr;
		port = ntohs(((const struct sockaddr_in *)&s->addr)->sin_port);
	}
	if (s->prefix >= max)
		buf_u8(b, v6 ? ID_IPV6_ADDR : ID_IPV4_ADDR);
	else
		buf_u8(b, v6 ? ID_IPV6_ADDR_SUBNET : ID_IPV4_ADDR_SUBNET);
	buf_u8(b, s->proto == 255 ? 0 : s->proto);
	buf_u16(b, port);
	buf_put(b, a, max / 8);
	if (s->prefix < max) {
		for (unsigned int i = 0; i < s->prefix; i++)
			mask[i / 8] |= 0x80 >> (i % 8);
		buf_put(b, mask, max / 8);
	}
}

/* Parses an ID payload body into a selector; false if unsupported. */
static bool id_parse(const uint8_t *body, size_t len, struct selector *s)
{
	const uint8_t *d = body + 4;
	size_t dl = len - 4, al;
	bool v6;

	memset(s, 0, sizeof(*s));
	switch (body[0]) {
	case ID_IPV4_ADDR:
	case ID_IPV4_ADDR_SUBNET:
		v6 = false;
		break;
	case ID_IPV6_ADDR:
	case ID_IPV6_ADDR_SUBNET:
		v6 = true;
		break;
	default:
		return false;
	}
	al = v6 ? 16 : 4;
	if (body[0] == ID_IPV4_ADDR || body[0] == ID_IPV6_ADDR) {
		if (dl != al)
			return false;
		s->prefix = (uint8_t)(al * 8);
	} else {
		bool ended = false;

		if (dl != 2 * al)
			return false;
		for (size_t i = 0; i < al * 8; i++) {
			bool bit = d[al + i / 8] & (0x80 >> (i % 8));

			if (bit && ended)
				return false;	/* non-contiguous mask */
			if (!bit)
				ended = true;
			else
				s->prefix++;
		}
	}
	if (v6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&s->addr;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, d, 16);
		sin6->sin6_port = htons(get16(body + 2));
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&s->addr;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, d, 4);
		sin->sin_port = htons(get16(body + 2));
	}
	s->proto = body[1] ? body[1] : 255;
	return true;
}

/* A host selector for an address (no IDs exchanged). */
static void host_sel(const struct sockaddr_storage *a, struct selector *s)
{
	memset(s, 0, sizeof(*s));
	s->addr = *a;
	if (a->ss_family == AF_INET) {
		((struct sockaddr_in *)&s->addr)->sin_port = 0;
		s->prefix = 32;
	} else {
		((struct sockaddr_in6 *)&s->addr)->sin6_port = 0;
		s->prefix = 128;
	}
	s->proto = 255;
}

static void send_msg(struct ph2 *p2, struct msgb *m, size_t hash_body,
		     const struct chunk *pre, int npre, bool retransmit)
{
	struct ph1 *p1 = p2->ph1;
	uint8_t mid[4], h[MAX_HASH_LEN];
	struct chunk c[5];
	uint8_t *pkt;
	size_t len, hl = p1->keys.hlen;
	int n = 0;

	if (!msgb_finish(m)) {
		buf_free(&m->b);
		ph2_fail(p2, "could not build a message");
		return;
	}
	/* HASH(n) = prf(SKEYID_a, [pre |] M-ID | payloads after HASH) */
	put32(mid, p2->msgid);
	if (npre && pre[0].len == 1) {
		c[n++] = pre[0];	/* HASH(3)'s leading 0 */
		pre++;
		npre--;
	}
	c[n++] = (struct chunk){ mid, 4 };
	for (int i = 0; i < npre; i++)
		c[n++] = pre[i];
	c[n++] = (struct chunk){ m->b.p + hash_body + hl,
				 m->b.len - hash_body - hl };
	if (crypto_prf(p1->hash, p1->keys.skeyid_a, hl, c, n, h)) {
		buf_free(&m->b);
		ph2_fail(p2, "hash computation failed");
		return;
	}
	memcpy(m->b.p + hash_body, h, hl);
	if (!ike_encrypt(p1, &m->b, p2->iv)) {
		buf_free(&m->b);
		ph2_fail(p2, "encryption failed");
		return;
	}
	pkt = buf_steal(&m->b, &len);
	ike_send_packet(p2->ike, (struct sockaddr *)&p1->local,
			(struct sockaddr *)&p1->remote, pkt, len, &p2->tx);
	if (!retransmit)
		p2->tx.left = 0;
}

/* Starts a message with a zeroed HASH; returns the hash body offset. */
static size_t begin_msg(struct ph2 *p2, struct msgb *m)
{
	struct ph1 *p1 = p2->ph1;
	size_t s;

	msgb_init(m, p1->icookie, p1->rcookie, ETYPE_QUICK, 0, p2->msgid);
	s = msgb_begin(m, PL_HASH);
	buf_put(&m->b, NULL, p1->keys.hlen);
	msgb_end(m, s);
	return s + ISAKMP_GEN_LEN;
}

static uint32_t new_msgid(struct ike *ike, struct ph1 *p1)
{
	uint32_t id;
	struct ph2 *p2;
	bool used;

	do {
		crypto_random(&id, sizeof(id));
		used = id == 0;
		for (p2 = ike->ph2s; p2 && !used; p2 = p2->next)
			used = p2->ph1 == p1 && p2->msgid == id;
	} while (used);
	return id;
}

/*
 * reqids of the two policies the SAs serve. The initiator knows the
 * outbound one from the ACQUIRE; the inbound one (and for the responder
 * both) come from the kernel's SPD, when it can tell.
 */
static void find_reqids(struct ph2 *p2)
{
	const struct kernel_ops *k = p2->ike->kops;
	uint32_t r;

	p2->reqid_in = p2->acq.reqid;
	if (!k->policy_reqid)
		return;
	if (!p2->initiator) {
		p2->acq.reqid = 0;
		if (!k->policy_reqid(p2->ike->kctx, p2->acq.satype,
				     &p2->acq.src, &p2->acq.dst,
				     IPSEC_DIR_OUTBOUND, &r))
			p2->acq.reqid = r;
		p2->reqid_in = 0;
	}
	if (!k->policy_reqid(p2->ike->kctx, p2->acq.satype, &p2->acq.dst,
			     &p2->acq.src, IPSEC_DIR_INBOUND, &r))
		p2->reqid_in = r;
}

static int getspi(struct ph2 *p2)
{
	struct ike *ike = p2->ike;

	find_reqids(p2);

	if (ike->kops->getspi(ike->kctx, (struct sockaddr *)&p2->acq.remote,
			      (struct sockaddr *)&p2->acq.local,
			      p2->acq.satype, p2->acq.mode, p2->reqid_in,
			      p2->acq.seq, &p2->spi_in)) {
		ph2_fail(p2, "the kernel gave no SPI (GETSPI failed)");
		return -1;
	}
	return 0;
}

static bool make_nonce_ke(struct ph2 *p2, uint8_t *nonce, size_t *nlen)
{
	crypto_random(nonce, NONCE_LEN);
	*nlen = NONCE_LEN;
	if (!p2->group)
		return true;
	p2->dh = dh_new(p2->group);
	return p2->dh != NULL;
}

/*
 * NAT-OA payloads (RFC 3947 5.2), transport mode in UDP only: the
 * initiator's and the responder's addresses as the sender knows them
 * (NAT-OAi, NAT-OAr); the drafts send one, the sender's own address.
 */
static void add_nat_oa(struct ph2 *p2, struct msgb *m)
{
	struct ph1 *p1 = p2->ph1;
	enum natt_ver v = (enum natt_ver)p1->natt.ver;
	const struct sockaddr *me = (struct sockaddr *)&p2->acq.local;
	const struct sockaddr *him = (struct sockaddr *)&p2->acq.remote;
	size_t s;

	if (!p2->udp || p2->mode != ENCAP_TRANSPORT)
		return;
	s = msgb_begin(m, natt_pl_nat_oa(v));
	natt_oa_body(&m->b, v == NATT_DRAFT || p2->initiator ? me : him);
	msgb_end(m, s);
	if (v == NATT_DRAFT)
		return;
	s = msgb_begin(m, natt_pl_nat_oa(v));
	natt_oa_body(&m->b, p2->initiator ? him : me);
	msgb_end(m, s);
}

/*
 * The peer's original address from its NAT-OA payloads (NAT-OAi from an
 * initiator, NAT-OAr from a responder; the drafts' only one). False, the
 * phase 2 failed, if one is malformed.
 */
static bool take_nat_oa(struct ph2 *p2, const struct payload_list *pl)
{
	enum natt_ver v = (enum natt_ver)p2->ph1->natt.ver;
	const struct payload *oa;
	struct sockaddr_storage ss;
	const char *why;
	int n;

	memset(&p2->peer_oa, 0, sizeof(p2->peer_oa));
	if (!v)
		return true;
	n = payload_count(pl, natt_pl_nat_oa(v));
	for (int i = 0; i < n; i++) {
		oa = payload_find(pl, natt_pl_nat_oa(v), i);
		if (natt_oa_parse(oa->body, oa->len, &ss, &why)) {
			ph2_fail(p2, why);
			return false;
		}
		if ((v == NATT_DRAFT || (i == 0) != p2->initiator) &&
		    ss.ss_family == p2->acq.remote.ss_family)
			p2->peer_oa = ss;
	}
	return true;
}

int ph2_initiate(struct ph2 *p2)
{
	struct ph1 *p1 = p2->ph1;
	struct sa_id src, dst;
	struct msgb m;
	size_t hb, s;

	sel_to_id(&p2->acq.src, &src);
	sel_to_id(&p2->acq.dst, &dst);
	p2->sainfo = conf_find_sainfo(p2->ike->conf, &src, &dst);
	if (!p2->sainfo) {
		ph2_fail(p2, "no sainfo section matches the policy");
		return -1;
	}
	p2->proto = proto_of_satype(p2->acq.satype);
	p2->mode = p2->acq.mode == IPSEC_MODE_TUNNEL ? ENCAP_TUNNEL :
						       ENCAP_TRANSPORT;
	p2->group = p2->sainfo->pfs_group;
	p2->msgid = new_msgid(p2->ike, p1);
	p2->send_ids = true;
	p2->deadline = ike_now(p2->ike) + p2->ike->conf->timer.phase2 +
		       p2->ike->conf->timer.counter *
			       p2->ike->conf->timer.interval;
	if (getspi(p2))
		return -1;
	if (!make_nonce_ke(p2, p2->ni, &p2->nilen) ||
	    crypto_p2_iv(p1->hash, p1->enc, p1->iv, p2->msgid, p2->iv)) {
		ph2_fail(p2, "could not set up Quick Mode");
		return -1;
	}
	/* a NAT on the way (or nat_traversal force): the UDP modes */
	p2->udp = ph1_natt_encap(p1);
	hb = begin_msg(p2, &m);
	s = msgb_begin(&m, PL_SA);
	p2_sa_build(&m.b, p2->sainfo, p2->proto, p2->udp ?
		    natt_udp_mode(p2->mode, (enum natt_ver)p1->natt.ver) :
		    p2->mode, p2->spi_in);
	msgb_end(&m, s);
	msgb_add(&m, PL_NONCE, p2->ni, p2->nilen);
	if (p2->dh)
		msgb_add(&m, PL_KE, dh_public(p2->dh), dh_len(p2->group));
	s = msgb_begin(&m, PL_ID);
	id_body(&m.b, &p2->acq.src);
	msgb_end(&m, s);
	s = msgb_begin(&m, PL_ID);
	id_body(&m.b, &p2->acq.dst);
	msgb_end(&m, s);
	add_nat_oa(p2, &m);
	p2->state = PH2_I_MSG1;
	log_info("initiating Quick Mode with %s (spi in 0x%08x%s)", peer(p2),
		 p2->spi_in, p2->group ? ", PFS" : "");
	send_msg(p2, &m, hb, NULL, 0, true);
	return p2->state == PH2_DEAD ? -1 : 0;
}

static void fill_sa(struct ph2 *p2, struct child_sa *sa, bool inbound,
		    const uint8_t *km)
{
	memset(sa, 0, sizeof(*sa));
	sa->satype = satype_of_proto(p2->proto);
	sa->mode = p2->mode == ENCAP_TUNNEL ? IPSEC_MODE_TUNNEL :
					      IPSEC_MODE_TRANSPORT;
	sa->reqid = inbound ? p2->reqid_in : p2->acq.reqid;
	sa->seq = p2->acq.seq;
	sa->src = inbound ? p2->acq.remote : p2->acq.local;
	sa->dst = inbound ? p2->acq.local : p2->acq.remote;
	sa->spi = inbound ? p2->spi_in : p2->spi_out;
	sa->aalg = (uint8_t)p2_sadb_aalg(p2->auth);
	sa->authkeylen = p2_auth_keylen(p2->auth);
	if (p2->proto == PROTO_IPSEC_ESP) {
		sa->ealg = (uint8_t)p2_sadb_ealg(p2->trans_id);
		sa->enckeylen = p2_enc_keylen(p2->trans_id, p2->keybits);
		memcpy(sa->enckey, km, sa->enckeylen);
	}
	memcpy(sa->authkey, km + sa->enckeylen, sa->authkeylen);
	sa->life_sec = p2->life_sec;
	sa->life_bytes = (uint64_t)p2->life_kb * 1024;
	if (p2->udp && p2->ph1) {
		/* ESP in UDP between the ports IKE uses now */
		uint16_t lp = sa_port((struct sockaddr *)&p2->ph1->local);
		uint16_t rp = sa_port((struct sockaddr *)&p2->ph1->remote);

		sa->natt_type = NATT_TYPE_ESPINUDP;
		sa->natt_sport = inbound ? rp : lp;
		sa->natt_dport = inbound ? lp : rp;
		sa->natt_oa = p2->peer_oa;
	}
}

/* After KEYMAT: PFS means the exponent and g^xy must not outlive it. */
static void forget_pfs(struct ph2 *p2)
{
	free_secret(p2->gxy, p2->glen);
	p2->gxy = NULL;
	p2->glen = 0;
	dh_free(p2->dh);
	p2->dh = NULL;
}

static const char *sa_name(const struct ph2 *p2)
{
	return p2->proto == PROTO_IPSEC_AH ? "AH" : "ESP";
}

/* Both directions' KEYMAT, then UPDATE (inbound) and ADD (outbound). */
static void install(struct ph2 *p2)
{
	struct ph1 *p1 = p2->ph1;
	struct ike *ike = p2->ike;
	uint8_t km[MAX_KEY_LEN + MAX_AUTHKEY_LEN], spi[4];
	struct child_sa in, out;
	size_t need = p2_auth_keylen(p2->auth);
	int r;

	if (p2->proto == PROTO_IPSEC_ESP)
		need += p2_enc_keylen(p2->trans_id, p2->keybits);
	put32(spi, p2->spi_in);
	r = crypto_keymat(p1->hash, p1->keys.skeyid_d, p2->gxy, p2->glen,
			  p2->proto, spi, p2->ni, p2->nilen, p2->nr,
			  p2->nrlen, km, need);
	fill_sa(p2, &in, true, km);
	put32(spi, p2->spi_out);
	r |= crypto_keymat(p1->hash, p1->keys.skeyid_d, p2->gxy, p2->glen,
			   p2->proto, spi, p2->ni, p2->nilen, p2->nr,
			   p2->nrlen, km, need);
	fill_sa(p2, &out, false, km);
	OPENSSL_cleanse(km, sizeof(km));
	forget_pfs(p2);
	if (r) {
		ph2_fail(p2, "KEYMAT derivation failed");
		goto out;
	}
	plog_hex(LLV_KEYS, "inbound encryption key", in.enckey, in.enckeylen);
	plog_hex(LLV_KEYS, "inbound authentication key", in.authkey,
		 in.authkeylen);
	plog_hex(LLV_KEYS, "outbound encryption key", out.enckey,
		 out.enckeylen);
	plog_hex(LLV_KEYS, "outbound authentication key", out.authkey,
		 out.authkeylen);
	if (ike->kops->install(ike->kctx, &in, true)) {
		ph2_fail(p2, "the kernel refused the inbound SA (UPDATE)");
		goto out;
	}
	if (ike->kops->install(ike->kctx, &out, false)) {
		ike->kops->del(ike->kctx, in.satype,
			       (struct sockaddr *)&in.src,
			       (struct sockaddr *)&in.dst, in.spi);
		ph2_fail(p2, "the kernel refused the outbound SA (ADD)");
		goto out;
	}
	p2->state = PH2_ESTABLISHED;
	p2->expires = ike_now(ike) + p2->life_sec;
	ike->stats.ph2_established++;
	if (p2->udp) {
		/* kept to follow NAT mapping changes (ike_new_mapping) */
		p2->sa_in = in;
		p2->sa_out = out;
	}
	{
		char l[INET6_ADDRSTRLEN];

		log_notify("IPsec-SA established: %s/%s%s %s<->%s spi in "
			   "0x%08x out 0x%08x, lifetime %u s", sa_name(p2),
			   p2->mode == ENCAP_TUNNEL ? "tunnel" : "transport",
			   p2->udp ? " in UDP" : "",
			   addr_str((struct sockaddr *)&p2->acq.local, l,
				    sizeof(l)),
			   peer(p2), p2->spi_in, p2->spi_out, p2->life_sec);
	}
out:
	OPENSSL_cleanse(&in, sizeof(in));
	OPENSSL_cleanse(&out, sizeof(out));
}

void ph2_delete_sas(struct ph2 *p2, bool tell_peer)
{
	struct ike *ike = p2->ike;
	uint8_t satype = satype_of_proto(p2->proto);
	uint8_t spi[4];

	ike->kops->del(ike->kctx, satype, (struct sockaddr *)&p2->acq.remote,
		       (struct sockaddr *)&p2->acq.local, p2->spi_in);
	ike->kops->del(ike->kctx, satype, (struct sockaddr *)&p2->acq.local,
		       (struct sockaddr *)&p2->acq.remote, p2->spi_out);
	if (tell_peer && p2->ph1 && p2->ph1->state == PH1_ESTABLISHED) {
		put32(spi, p2->spi_in);
		info_send_delete(p2->ph1, p2->proto, 4, spi, 1);
	}
}

static void use_choice(struct ph2 *p2, const struct p2_choice *c)
{
	p2->proto = c->proto;
	p2->trans_id = c->trans_id;
	p2->keybits = c->keybits;
	p2->auth = c->auth;
	p2->mode = c->mode;
	p2->udp = c->udp;
	p2->group = c->group;
	p2->life_sec = c->life_sec;
	p2->life_kb = c->life_kb;
	p2->spi_out = c->spi;
}

static bool peer_ke(struct ph2 *p2, const struct payload_list *pl)
{
	const struct payload *ke = payload_find(pl, PL_KE, 0);

	if (!p2->group) {
		if (ke) {
			ph2_fail(p2, "KE payload without a PFS group");
			return false;
		}
		return true;
	}
	if (!ke || ke->len != dh_len(p2->group)) {
		ph2_fail(p2, "PFS KE payload missing or of the wrong length");
		return false;
	}
	p2->glen = dh_secret_len(p2->group);
	p2->gxy = malloc(p2->glen);
	if (!p2->gxy || dh_compute(p2->dh, ke->body, ke->len, p2->gxy)) {
		ph2_fail(p2, "invalid PFS Diffie-Hellman value");
		return false;
	}
	return true;
}

static void respond(struct ph2 *p2, const struct payload_list *pl)
{
	const struct payload *sa = payload_find(pl, PL_SA, 0);
	const struct payload *n = payload_find(pl, PL_NONCE, 0);
	const struct payload *idci = payload_find(pl, PL_ID, 0);
	const struct payload *idcr = payload_find(pl, PL_ID, 1);
	struct ph1 *p1 = p2->ph1;
	struct sa_id src, dst;
	struct p2_choice c;
	const char *why;
	struct chunk pre;
	struct msgb m;
	size_t hb, s;

	if (!sa || !n || (idci && !idcr) || payload_find(pl, PL_ID, 2)) {
		ph2_fail(p2, "Quick Mode message 1 is missing SA/nonce or has "
			 "a bad number of IDs");
		return;
	}
	p2->acq.local = p1->local;
	p2->acq.remote = p1->remote;
	if (idci) {
		if (!id_parse(idci->body, idci->len, &p2->acq.dst) ||
		    !id_parse(idcr->body, idcr->len, &p2->acq.src)) {
			info_send_notify(p1, PROTO_ISAKMP, NULL, 0,
					 N_INVALID_ID_INFORMATION, NULL, 0);
			ph2_fail(p2, "unsupported phase-2 ID type");
			return;
		}
		p2->send_ids = true;
	} else {
		host_sel(&p1->remote, &p2->acq.dst);
		host_sel(&p1->local, &p2->acq.src);
	}
	sel_to_id(&p2->acq.src, &src);
	sel_to_id(&p2->acq.dst, &dst);
	p2->sainfo = conf_find_sainfo(p2->ike->conf, &src, &dst);
	if (!p2->sainfo) {
		info_send_notify(p1, PROTO_ISAKMP, NULL, 0,
				 N_INVALID_ID_INFORMATION, NULL, 0);
		ph2_fail(p2, "no sainfo section matches the peer's IDs");
		return;
	}
	if (p2_sa_choose(sa->body, sa->len, p2->sainfo, p1->rmconf->prop_check,
			 &c, &why)) {
		log_err("phase 2 with %s: no acceptable proposal (%s)",
			peer(p2), why);
		info_send_notify(p1, PROTO_ISAKMP, NULL, 0,
				 N_NO_PROPOSAL_CHOSEN, NULL, 0);
		ph2_fail(p2, "NO-PROPOSAL-CHOSEN");
		return;
	}
	if (c.udp && !p1->natt.ver) {
		info_send_notify(p1, PROTO_ISAKMP, NULL, 0,
				 N_NO_PROPOSAL_CHOSEN, NULL, 0);
		ph2_fail(p2, "UDP-encapsulated mode without NAT traversal "
			 "in phase 1");
		return;
	}
	use_choice(p2, &c);
	if (!take_nat_oa(p2, pl))
		return;
	p2->acq.satype = satype_of_proto(c.proto);
	p2->acq.mode = c.mode == ENCAP_TUNNEL ? IPSEC_MODE_TUNNEL :
						IPSEC_MODE_TRANSPORT;
	memcpy(p2->ni, n->body, n->len);
	p2->nilen = n->len;
	if (!make_nonce_ke(p2, p2->nr, &p2->nrlen)) {
		ph2_fail(p2, "Diffie-Hellman setup failed");
		return;
	}
	if (!peer_ke(p2, pl) || getspi(p2))
		return;
	hb = begin_msg(p2, &m);
	s = msgb_begin(&m, PL_SA);
	p2_sa_reply(&m.b, &c, p2->spi_in);
	msgb_end(&m, s);
	msgb_add(&m, PL_NONCE, p2->nr, p2->nrlen);
	if (p2->dh)
		msgb_add(&m, PL_KE, dh_public(p2->dh), dh_len(p2->group));
	if (idci) {
		msgb_add(&m, PL_ID, idci->body, idci->len);
		msgb_add(&m, PL_ID, idcr->body, idcr->len);
	}
	add_nat_oa(p2, &m);
	if (c.responder_lifetime) {
		struct buf a;
		uint8_t spi[4];

		buf_init(&a);
		attr_basic(&a, IPSEC_LIFE_TYPE, LIFE_TYPE_SECONDS);
		attr_life(&a, IPSEC_LIFE_DURATION, p2->life_sec);
		put32(spi, p2->spi_out);
		msgb_notify(&m, p2->proto, spi, 4, N_RESPONDER_LIFETIME,
			    a.p, a.len);
		buf_free(&a);
		log_info("phase 2 with %s: claiming our shorter lifetime %u s",
			 peer(p2), p2->life_sec);
	}
	pre = (struct chunk){ p2->ni, p2->nilen };
	p2->state = PH2_R_MSG2;
	send_msg(p2, &m, hb, &pre, 1, true);
}

/* RESPONDER-LIFETIME: the responder's shorter lifetime wins. */
static void responder_lifetime(struct ph2 *p2, const struct notify *n)
{
	const uint8_t *p = n->data, *end = n->data + n->datalen;
	uint16_t type = 0;

	while (end - p >= 4) {
		uint16_t t = get16(p) & 0x7fff;
		bool basic = get16(p) & 0x8000;
		uint32_t v = 0;
		size_t vl = basic ? 0 : get16(p + 2);

		if (basic) {
			v = get16(p + 2);
		} else {
			if (vl > (size_t)(end - p - 4) || vl > 4)
				return;
			for (size_t i = 0; i < vl; i++)
				v = v << 8 | p[4 + i];
		}
		p += 4 + vl;
		if (t == IPSEC_LIFE_TYPE)
			type = (uint16_t)v;
		else if (t == IPSEC_LIFE_DURATION && type == LIFE_TYPE_SECONDS &&
			 v && v < p2->life_sec)
			p2->life_sec = v;
		else if (t == IPSEC_LIFE_DURATION && type == LIFE_TYPE_KB &&
			 v && (!p2->life_kb || v < p2->life_kb))
			p2->life_kb = v;
	}
	log_info("phase 2 with %s: responder lifetime %u s", peer(p2),
		 p2->life_sec);
}

static void initiator_msg2(struct ph2 *p2, const struct payload_list *pl)
{
	const struct payload *sa = payload_find(pl, PL_SA, 0);
	const struct payload *n = payload_find(pl, PL_NONCE, 0);
	const struct payload *np;
	struct p2_choice c;
	struct chunk pre[3];
	const char *why;
	struct msgb m;
	struct notify nt;
	static const uint8_t zero;
	size_t hb;

	if (!sa || !n) {
		ph2_fail(p2, "Quick Mode message 2 is missing SA or nonce");
		return;
	}
	if (p2_sa_accept(sa->body, sa->len, p2->sainfo, p2->proto, &c, &why)) {
		ph2_fail(p2, why);
		return;
	}
	if (c.udp != p2->udp) {
		ph2_fail(p2, c.udp ? "the responder chose a UDP-encapsulated "
			 "mode we did not offer" : "the responder chose a "
			 "mode without the UDP encapsulation we offered");
		return;
	}
	{
		int group = p2->group;

		use_choice(p2, &c);
		p2->group = group;
	}
	if (!take_nat_oa(p2, pl))
		return;
	if (p2->sainfo->lifetime < p2->life_sec)
		p2->life_sec = p2->sainfo->lifetime;
	memcpy(p2->nr, n->body, n->len);
	p2->nrlen = n->len;
	if (!peer_ke(p2, pl))
		return;
	for (int i = 0; (np = payload_find(pl, PL_N, i)); i++) {
		notify_decode(np, &nt);
		if (nt.type == N_RESPONDER_LIFETIME)
			responder_lifetime(p2, &nt);
		else
			log_info("phase 2 notification %s from %s",
				 isakmp_notify_name(nt.type), peer(p2));
	}
	hb = begin_msg(p2, &m);
	pre[0] = (struct chunk){ &zero, 1 };
	pre[1] = (struct chunk){ p2->ni, p2->nilen };
	pre[2] = (struct chunk){ p2->nr, p2->nrlen };
	send_msg(p2, &m, hb, pre, 3, false);
	if (p2->state != PH2_DEAD)
		install(p2);
}

/* Verifies HASH(n) of a received message; pre as for send_msg. */
static bool check_hash(struct ph2 *p2, const struct payload_list *pl,
		       const struct chunk *pre, int npre)
{
	const struct payload *h = pl->n ? &pl->pl[0] : NULL;
	const struct payload *last = pl->n ? &pl->pl[pl->n - 1] : NULL;
	struct ph1 *p1 = p2->ph1;
	uint8_t mid[4], want[MAX_HASH_LEN];
	struct chunk c[5];
	int n = 0;

	if (!h || h->type != PL_HASH || h->len != p1->keys.hlen)
		return false;
	put32(mid, p2->msgid);
	if (npre && pre[0].len == 1) {
		c[n++] = pre[0];
		pre++;
		npre--;
	}
	c[n++] = (struct chunk){ mid, 4 };
	for (int i = 0; i < npre; i++)
		c[n++] = pre[i];
	c[n++] = (struct chunk){ h->raw + h->rawlen,
				 (size_t)(last->raw + last->rawlen -
					  (h->raw + h->rawlen)) };
	if (crypto_prf(p1->hash, p1->keys.skeyid_a, p1->keys.hlen, c, n, want))
		return false;
	return CRYPTO_memcmp(want, h->body, p1->keys.hlen) == 0;
}

void ph2_input(struct ph1 *p1, const uint8_t *pkt, size_t len,
	       const struct isakmp_hdr *h)
{
	struct ike *ike = p1->ike;
	struct payload_list pl;
	uint8_t *plain = NULL, iv[MAX_BLOCK_LEN];
	static const uint8_t zero;
	struct chunk pre[3];
	const char *err;
	struct ph2 *p2;

	for (p2 = ike->ph2s; p2; p2 = p2->next)
		if (p2->ph1 == p1 && p2->msgid == h->msgid &&
		    p2->state != PH2_DEAD)
			break;
	if (p2 && ike_is_retransmit(p2->last_rx, pkt, len)) {
		if (p2->tx.pkt)
			ike->send(ike->send_arg, (struct sockaddr *)&p1->local,
				  (struct sockaddr *)&p1->remote, p2->tx.pkt,
				  p2->tx.len);
		return;
	}
	if (h->msgid == 0 || !(h->flags & ISAKMP_FLAG_E)) {
		ike->stats.dropped++;
		log_warn("dropped Quick Mode message: zero message id or not "
			 "encrypted");
		return;
	}
	if (!p2) {
		p2 = ph2_new(ike, p1, false);
		if (!p2)
			return;
		p2->msgid = h->msgid;
		p2->acq.local = p1->local;
		p2->acq.remote = p1->remote;
		ike_is_retransmit(p2->last_rx, pkt, len);
		if (crypto_p2_iv(p1->hash, p1->enc, p1->iv, p2->msgid,
				 p2->iv)) {
			ph2_fail(p2, "IV computation failed");
			return;
		}
	}
	/* Decrypt with a copy of the IV: a forged packet must not move it. */
	memcpy(iv, p2->iv, sizeof(iv));
	plain = ike_decrypt(p1, pkt, len, iv);
	if (!plain || payload_walk(plain, len - ISAKMP_HDR_LEN, h->np, &pl,
				   &err)) {
		ike->stats.dropped++;
		log_warn("dropped Quick Mode message from %s: %s", peer(p2),
			 plain ? err : "cannot decrypt");
		if (p2->state == PH2_NEW)
			p2->state = PH2_DEAD;
		free(plain);
		return;
	}
	switch (p2->state) {
	case PH2_NEW:
		if (!check_hash(p2, &pl, NULL, 0))
			goto badhash;
		memcpy(p2->iv, iv, sizeof(iv));
		ph1_follow_peer(p1);
		respond(p2, &pl);
		break;
	case PH2_I_MSG1:
		pre[0] = (struct chunk){ p2->ni, p2->nilen };
		if (!check_hash(p2, &pl, pre, 1))
			goto badhash;
		memcpy(p2->iv, iv, sizeof(iv));
		ph1_follow_peer(p1);
		initiator_msg2(p2, &pl);
		break;
	case PH2_R_MSG2:
		pre[0] = (struct chunk){ &zero, 1 };
		pre[1] = (struct chunk){ p2->ni, p2->nilen };
		pre[2] = (struct chunk){ p2->nr, p2->nrlen };
		if (!check_hash(p2, &pl, pre, 3))
			goto badhash;
		memcpy(p2->iv, iv, sizeof(iv));
		ph1_follow_peer(p1);
		install(p2);
		break;
	default:
		ike->stats.dropped++;
		log_warn("dropped unexpected Quick Mode message from %s",
			 peer(p2));
	}
	free(plain);
	return;
badhash:
	ike->stats.dropped++;
	log_warn("dropped Quick Mode message from %s: HASH mismatch",
		 peer(p2));
	if (p2->state == PH2_NEW)
		p2->state = PH2_DEAD;
	free(plain);
}

/*
 * The kernel saw ESP of our inbound SA @spi from @now instead of @was:
 * the NAT in front of the peer gave it another port. Every SA with the
 * peer at the old port moves (SADB_UPDATE keeps SPI, keys and sequence
 * numbers), and so does IKE. A new address is not followed: the SAs'
 * addresses are the policies'; the peer renegotiates (DPD, rekeying).
 */
void ike_new_mapping(struct ike *ike, uint8_t satype, uint32_t spi,
		     const struct sockaddr *was, const struct sockaddr *now)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	uint16_t oldp = sa_port(was), newp = sa_port(now);
	struct ph2 *p2, *hit = NULL;
	struct ph1 *p1;
	int n = 0;

	for (p2 = ike->ph2s; p2 && !hit; p2 = p2->next)
		if (p2->state == PH2_ESTABLISHED && p2->udp &&
		    p2->spi_in == spi && satype_of_proto(p2->proto) == satype &&
		    addr_eq((struct sockaddr *)&p2->acq.remote, was))
			hit = p2;
	addr_str(was, a, sizeof(a));
	addr_str(now, b, sizeof(b));
	if (!hit) {
		log_debug("NEW_MAPPING for spi 0x%08x (%s[%u]): not an SA of "
			  "ours in UDP", spi, a, oldp);
		return;
	}
	if (!addr_eq(was, now)) {
		log_warn("NAT mapping of %s[%u] moved to another address, "
			 "%s[%u]: not followed", a, oldp, b, newp);
		return;
	}
	if (hit->sa_in.natt_sport == newp)
		return;		/* already followed; the kernel repeats */
	oldp = hit->sa_in.natt_sport;
	for (p2 = ike->ph2s; p2; p2 = p2->next) {
		if (p2->state != PH2_ESTABLISHED || !p2->udp ||
		    p2->sa_in.natt_sport != oldp ||
		    !addr_eq((struct sockaddr *)&p2->acq.remote, was))
			continue;
		p2->sa_in.natt_sport = newp;
		p2->sa_out.natt_dport = newp;
		p2->sa_in.seq = p2->sa_out.seq = 0;
		/* UPDATE both: they are ours and mature */
		if (ike->kops->install(ike->kctx, &p2->sa_in, true) ||
		    ike->kops->install(ike->kctx, &p2->sa_out, true))
			log_err("NAT mapping of %s: the kernel refused to "
				"update spi 0x%08x/0x%08x", a, p2->spi_in,
				p2->spi_out);
		n++;
	}
	for (p1 = ike->ph1s; p1; p1 = p1->next)
		if (p1->state != PH1_DEAD && p1->natt.ver &&
		    addr_eq((struct sockaddr *)&p1->remote, was) &&
		    sa_port((struct sockaddr *)&p1->remote) == oldp)
			sa_set_port(&p1->remote, newp);
	log_notify("NAT mapping of peer %s changed: port %u -> %u; %d IPsec "
		   "SA pair%s and IKE follow", a, oldp, newp, n,
		   n == 1 ? "" : "s");
}
