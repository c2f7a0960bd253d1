// SPDX-License-Identifier: BSD-3-Clause
/*
 * Main Mode with pre-shared keys (RFC 2409 5.4), both roles:
 *   1 I->R  HDR, SA            2 R->I  HDR, SA
 *   3 I->R  HDR, KE, Ni        4 R->I  HDR, KE, Nr
 *   5 I->R  HDR*, IDii, HASH_I [, N(INITIAL-CONTACT)]
 *   6 R->I  HDR*, IDir, HASH_R
 * and Aggressive Mode (RFC 2409 5.4), both roles:
 *   1 I->R  HDR, SA, KE, Ni, IDii
 *   2 R->I  HDR, SA, KE, Nr, IDir, HASH_R
 *   3 I->R  HDR*, HASH_I [, N(INITIAL-CONTACT)]
 * (message 3 is accepted in the clear too, as some peers send it).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "build.h"
#include "cert.h"
#include "certpl.h"
#include "dh.h"
#include "ident.h"
#include "ike.h"
#include "isakmp.h"
#include "log.h"
#include "natt.h"
#include "proposal.h"

/*
 * RFC 3706 vendor ID: we answer R-U-THERE. Peers only send DPD queries
 * to implementations that announced it.
 */
static const uint8_t dpd_vid[16] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
};

static const char *peer(struct ph1 *p1);

/*
 * Our vendor IDs: DPD always, IKE fragmentation with ike_frag, NAT-T with
 * nat_traversal (the initiator every dialect, the responder its choice).
 */
static void add_vids(struct ph1 *p1, struct msgb *m)
{
	msgb_add(m, PL_VID, dpd_vid, sizeof(dpd_vid));
	if (p1->rmconf && p1->rmconf->ike_frag != IKE_FRAG_OFF)
		msgb_add(m, PL_VID, frag_vid, sizeof(frag_vid));
	if (!p1->rmconf || p1->rmconf->nat_traversal == NATT_CONF_OFF)
		return;
	if (p1->initiator)
		natt_add_vids(m, NATT_NONE);
	else if (p1->natt.ver)
		natt_add_vids(m, (enum natt_ver)p1->natt.ver);
}

/* NAT-T is on when we want it and the peer announced a dialect. */
static void natt_agree(struct ph1 *p1)
{
	if (p1->rmconf && p1->rmconf->nat_traversal != NATT_CONF_OFF &&
	    p1->natt.peer_ver) {
		p1->natt.ver = p1->natt.peer_ver;
		log_debug("phase 1 with %s: NAT traversal (%s) agreed",
			  peer(p1), natt_ver_name((enum natt_ver)p1->natt.ver));
	}
}

/* Our NAT-D payloads, if NAT-T is agreed; false if they failed. */
static bool add_nat_d(struct ph1 *p1, struct msgb *m)
{
	if (!p1->natt.ver)
		return true;
	return natt_add_nat_d(m, (enum natt_ver)p1->natt.ver, p1->hash,
			      p1->icookie, p1->rcookie,
			      (struct sockaddr *)&p1->local,
			      (struct sockaddr *)&p1->remote,
			      p1->rmconf->nat_traversal == NATT_CONF_FORCE);
}

static const char *peer(struct ph1 *p1)
{
	static char a[INET6_ADDRSTRLEN];

	return addr_str((struct sockaddr *)&p1->remote, a, sizeof(a));
}

/*
 * The peer's NAT-D payloads in @pl (the datagram ike_input handles):
 * who is behind a NAT, in one log line. Without them NAT-T is off.
 */
static void natt_detect(struct ph1 *p1, const struct payload_list *pl)
{
	const struct sockaddr *l = p1->ike->rx_local, *r = p1->ike->rx_remote;
	bool me, them, force;
	const char *why;

	if (!p1->natt.ver || p1->natt.detected || !l || !r)
		return;
	if (natt_check_nat_d(pl, (enum natt_ver)p1->natt.ver, p1->hash,
			     p1->icookie, p1->rcookie, l, r, &me, &them,
			     &why)) {
		log_warn("phase 1 with %s: %s: no NAT traversal", peer(p1),
			 why);
		p1->natt.ver = NATT_NONE;
		return;
	}
	force = p1->rmconf->nat_traversal == NATT_CONF_FORCE;
	p1->natt.detected = true;
	p1->natt.me_behind = me || force;
	p1->natt.peer_behind = them;
	if (me || them)
		log_notify("NAT detected: %s %s%s, %s",
			   them ? "peer" : "we are behind NAT, peer", peer(p1),
			   !them ? "" : me ? " and we are behind NAT" :
			   " behind NAT", p1->initiator ? "floating to 4500" :
			   "ESP in UDP");
	else if (force)
		log_notify("no NAT between us and %s, but nat_traversal "
			   "force: %s", peer(p1), p1->initiator ?
			   "floating to 4500" : "ESP in UDP");
	else
		log_info("no NAT between us and %s (NAT-D of %s)", peer(p1),
			 natt_ver_name((enum natt_ver)p1->natt.ver));
}

/* The initiator moves IKE to the NAT-T ports once it knows of a NAT. */
static void natt_float(struct ph1 *p1)
{
	if (!ph1_natt_encap(p1) || p1->natt.floated)
		return;
	sa_set_port(&p1->local, p1->ike->conf->natt_port);
	sa_set_port(&p1->remote, NATT_DEFAULT_PORT);
	p1->natt.floated = true;
}

static void send_msg(struct ph1 *p1, struct msgb *m, bool encrypt)
{
	uint8_t *pkt;
	size_t len;

	if (!msgb_finish(m) || (encrypt && !ike_encrypt(p1, &m->b, p1->iv))) {
		buf_free(&m->b);
		ph1_fail(p1, "could not build a message");
		return;
	}
	pkt = buf_steal(&m->b, &len);
	/* ike_frag on: if the peer announced it too; force: always */
	p1->tx.frag = p1->rmconf &&
		      (p1->rmconf->ike_frag == IKE_FRAG_FORCE ||
		       (p1->rmconf->ike_frag == IKE_FRAG_ON && p1->peer_frag));
	ike_send_packet(p1->ike, (struct sockaddr *)&p1->local,
			(struct sockaddr *)&p1->remote, pkt, len, &p1->tx);
}

static int agg_initiate(struct ph1 *p1);

int ph1_initiate(struct ph1 *p1)
{
	struct msgb m;
	size_t s;

	p1->rmconf = conf_find_remote(p1->ike->conf,
				      (struct sockaddr *)&p1->remote);
	if (!p1->rmconf)
		return -1;
	crypto_random(p1->icookie, 8);
	memset(p1->rcookie, 0, 8);
	if (p1->rmconf->initiate_aggressive)
		return agg_initiate(p1);
	p1->etype = ETYPE_IDENT;
	msgb_init(&m, p1->icookie, p1->rcookie, ETYPE_IDENT, 0, 0);
	s = msgb_begin(&m, PL_SA);
	p1_sa_build(&m.b, p1->rmconf);
	msgb_end(&m, s);
	if (m.b.oom)
		goto oom;
	p1->sai_len = m.b.len - s - ISAKMP_GEN_LEN;
	p1->sai_b = memdup(m.b.p + s + ISAKMP_GEN_LEN, p1->sai_len);
	if (!p1->sai_b)
		goto oom;
	add_vids(p1, &m);
	p1->state = PH1_I_MSG1;
	log_info("initiating Main Mode with %s", peer(p1));
	send_msg(p1, &m, false);
	return 0;
oom:
	buf_free(&m.b);
	return -1;
}

static void use_choice(struct ph1 *p1, const struct p1_choice *c)
{
	p1->enc = c->enc;
	p1->keybits = c->keybits;
	p1->hash = c->hash;
	p1->group = c->group;
	p1->auth = c->auth;
	p1->lifetime = c->life_sec;
}

/* Signature authentication (rsasig, ECDSA) rather than a pre-shared key. */
static bool sig_auth(const struct ph1 *p1)
{
	return p1->auth != OAKLEY_AUTH_PSK;
}

/*
 * A CERTREQ naming our CA (send_cr), so the peer sends its certificate;
 * with no ca_type an empty one: any CA.
 */
static void add_certreq(struct ph1 *p1, struct msgb *m)
{
	const struct remote_conf *r = p1->rmconf;
	uint8_t *dn = NULL, *b;
	size_t dnlen = 0;

	if (!r->use_cert || !r->send_cr || !r->certs)
		return;
	dn = certs_ca_dn(r->certs, &dnlen);
	b = malloc(1 + dnlen);
	if (b) {
		b[0] = CERT_X509_SIG;
		if (dnlen)
			memcpy(b + 1, dn, dnlen);
		msgb_add(m, PL_CR, b, 1 + dnlen);
	}
	free(b);
	free(dn);
}

static bool add_ke_nonce(struct ph1 *p1, struct msgb *m, uint8_t *nonce,
			 size_t *noncelen)
{
	p1->dh = dh_new(p1->group);
	if (!p1->dh)
		return false;
	p1->glen = dh_len(p1->group);
	/* nonce_size: 8..256 (conf_parse), our ni/nr hold 256 */
	*noncelen = (size_t)p1->rmconf->nonce_size;
	crypto_random(nonce, *noncelen);
	msgb_add(m, PL_KE, dh_public(p1->dh), p1->glen);
	msgb_add(m, PL_NONCE, nonce, *noncelen);
	return true;
}

/* KE and nonce of the peer, with their lengths checked. */
static bool take_ke_nonce(struct ph1 *p1, const struct payload_list *pl,
			  uint8_t **g, uint8_t *nonce, size_t *noncelen)
{
	const struct payload *ke = payload_find(pl, PL_KE, 0);
	const struct payload *n = payload_find(pl, PL_NONCE, 0);

	if (!ke || !n) {
		ph1_fail(p1, "KE or nonce payload missing");
		return false;
	}
	if (ke->len != dh_len(p1->group)) {
		ph1_fail(p1, "KE payload has the wrong length for the group");
		return false;
	}
	*g = memdup(ke->body, ke->len);
	memcpy(nonce, n->body, n->len);
	*noncelen = n->len;
	return *g != NULL;
}

static bool derive(struct ph1 *p1)
{
	size_t slen = dh_secret_len(p1->group);
	uint8_t *gxy = malloc(slen);
	const uint8_t *peer_pub = p1->initiator ? p1->gxr : p1->gxi;
	int r;

	if (!gxy)
		return false;
	if (dh_compute(p1->dh, peer_pub, p1->glen, gxy)) {
		free(gxy);
		ph1_fail(p1, "invalid Diffie-Hellman public value");
		return false;
	}
	if (sig_auth(p1) && !p1->rmconf->certs) {
		free_secret(gxy, slen);
		ph1_fail(p1, "no certificate loaded for this remote");
		return false;
	}
	if (!sig_auth(p1) && !ike_load_psk(p1)) {
		free_secret(gxy, slen);
		ph1_fail(p1, "no pre-shared key");
		return false;
	}
	/* psk NULL: SKEYID for signatures */
	r = crypto_p1_keys(p1->hash, p1->enc, p1->keybits,
			   sig_auth(p1) ? NULL : p1->psk, p1->psklen, p1->ni,
			   p1->nilen, p1->nr, p1->nrlen, gxy, slen,
			   p1->icookie, p1->rcookie, &p1->keys);
	plog_hex(LLV_KEYS, "g^xy", gxy, slen);
	free_secret(gxy, slen);
	/* the private value is not needed any more: forget it now */
	dh_free(p1->dh);
	p1->dh = NULL;
	if (r || crypto_p1_iv(p1->hash, p1->enc, p1->gxi, p1->gxr, p1->glen,
			      p1->iv)) {
		ph1_fail(p1, "key derivation failed");
		return false;
	}
	plog_hex(LLV_KEYS, "SKEYID", p1->keys.skeyid, p1->keys.hlen);
	plog_hex(LLV_KEYS, "SKEYID_d", p1->keys.skeyid_d, p1->keys.hlen);
	plog_hex(LLV_KEYS, "SKEYID_a", p1->keys.skeyid_a, p1->keys.hlen);
	plog_hex(LLV_KEYS, "SKEYID_e", p1->keys.skeyid_e, p1->keys.hlen);
	plog_hex(LLV_KEYS, "phase-1 cipher key", p1->keys.key,
		 p1->keys.keylen);
	return true;
}

/* Our ID payload body: type, protocol 0, port 0, data. */
static void add_id(struct ph1 *p1, struct msgb *m, struct buf *idb)
{
	const struct remote_conf *r = p1->rmconf;
	struct sockaddr *la = (struct sockaddr *)&p1->local;

	buf_init(idb);
	if (r->myid_kind == MYID_ADDRESS) {
		bool v6 = la->sa_family == AF_INET6;
		uint8_t a[16];

		/* "my_identifier address ADDR": that address, else ours */
		if (r->myid[0] && inet_pton(AF_INET6, r->myid, a) == 1) {
			buf_u8(idb, ID_IPV6_ADDR);
			buf_u16(idb, 0);
			buf_u8(idb, 0);
			buf_put(idb, a, 16);
			goto done;
		}
		if (r->myid[0] && inet_pton(AF_INET, r->myid, a) == 1) {
			buf_u8(idb, ID_IPV4_ADDR);
			buf_u16(idb, 0);
			buf_u8(idb, 0);
			buf_put(idb, a, 4);
			goto done;
		}

		buf_u8(idb, v6 ? ID_IPV6_ADDR : ID_IPV4_ADDR);
		buf_u8(idb, 0);
		buf_u16(idb, 0);
		if (v6)
			buf_put(idb, &((struct sockaddr_in6 *)la)->sin6_addr,
				16);
		else
			buf_put(idb, &((struct sockaddr_in *)la)->sin_addr, 4);
	} else if (r->myid_kind == MYID_ASN1DN) {
		/* the subject of the certificate we prove ourselves with */
		size_t dl = 0;
		uint8_t *dn = r->certs ? certs_my_dn(r->certs, &dl) : NULL;

		buf_u8(idb, ID_DER_ASN1_DN);
		buf_u8(idb, 0);
		buf_u16(idb, 0);
		if (dn)
			buf_put(idb, dn, dl);
		else
			idb->oom = true;
		free(dn);
	} else {
		buf_u8(idb, r->myid_kind == MYID_FQDN ? ID_FQDN :
							ID_USER_FQDN);
		buf_u8(idb, 0);
		buf_u16(idb, 0);
		buf_put(idb, r->myid, strlen(r->myid));
	}
done:
	msgb_add(m, PL_ID, idb->p, idb->len);
}

/* HASH_I (initiator = true) or HASH_R over the given ID body. */
static int auth_hash(struct ph1 *p1, bool of_initiator, const uint8_t *id,
		     size_t idlen, uint8_t *out)
{
	struct chunk c[6];

	if (of_initiator) {
		c[0] = (struct chunk){ p1->gxi, p1->glen };
		c[1] = (struct chunk){ p1->gxr, p1->glen };
		c[2] = (struct chunk){ p1->icookie, 8 };
		c[3] = (struct chunk){ p1->rcookie, 8 };
	} else {
		c[0] = (struct chunk){ p1->gxr, p1->glen };
		c[1] = (struct chunk){ p1->gxi, p1->glen };
		c[2] = (struct chunk){ p1->rcookie, 8 };
		c[3] = (struct chunk){ p1->icookie, 8 };
	}
	c[4] = (struct chunk){ p1->sai_b, p1->sai_len };
	c[5] = (struct chunk){ id, idlen };
	return crypto_prf(p1->hash, p1->keys.skeyid, p1->keys.hlen, c, 6, out);
}

/*
 * Our proof over @h (HASH_I or HASH_R): a HASH payload, or with
 * signatures [CERT,] SIG. False (and the phase 1 failed) if we cannot sign.
 */
static bool add_proof(struct ph1 *p1, struct msgb *m, const uint8_t *h)
{
	const struct certs *c = p1->rmconf->certs;
	uint8_t *sig, *b;
	size_t siglen, len;
	const uint8_t *der;

	if (!sig_auth(p1)) {
		msgb_add(m, PL_HASH, h, p1->keys.hlen);
		return true;
	}
	/* ours first, then the chain of its file (the receiver's order) */
	for (int i = -1; p1->rmconf->send_cert; i++) {
		der = i < 0 ? certs_my_der(c, &len) :
			      certs_chain_der(c, i, &len);
		if (!der)
			break;
		b = malloc(1 + len);
		if (!b) {
			ph1_fail(p1, "out of memory");
			return false;
		}
		b[0] = CERT_X509_SIG;
		memcpy(b + 1, der, len);
		msgb_add(m, PL_CERT, b, 1 + len);
		free(b);
	}
	sig = certs_sign(c, h, p1->keys.hlen, &siglen);
	if (!sig) {
		ph1_fail(p1, "could not sign with our private key");
		return false;
	}
	msgb_add(m, PL_SIG, sig, siglen);
	free(sig);
	return true;
}

/*
 * The peer's proof in @pl for its ID body @id: HASH_I/R (@of_initiator),
 * or its certificate (CERT payloads or peers_certfile) accepted by
 * certs_peer() and its signature over the hash. False, with the one log
 * line of ph1_fail() naming the reason, if not.
 */
static bool check_proof(struct ph1 *p1, const struct payload_list *pl,
			const uint8_t *id, size_t idlen, bool of_initiator)
{
	uint8_t expect[MAX_HASH_LEN];
	const struct payload *hash, *sig;
	STACK_OF(X509) *chain;
	X509 *leaf, *pc;
	const char *err;
	char why[700], subj[256];
	bool ok;

	if (!sig_auth(p1)) {
		hash = payload_find(pl, PL_HASH, 0);
		if (!hash || hash->len != p1->keys.hlen ||
		    auth_hash(p1, of_initiator, id, idlen, expect) ||
		    CRYPTO_memcmp(expect, hash->body, p1->keys.hlen)) {
			ph1_fail(p1, "authentication failed: the peer's hash "
				 "does not match (wrong pre-shared key?)");
			return false;
		}
		return true;
	}
	sig = payload_find(pl, PL_SIG, 0);
	if (!sig) {
		ph1_fail(p1, "authentication failed: no SIG payload");
		return false;
	}
	if (certpl_collect(pl, &leaf, &chain, &err)) {
		snprintf(why, sizeof(why), "certificate refused: %s", err);
		ph1_fail(p1, why);
		return false;
	}
	pc = certs_peer(p1->rmconf->certs, leaf, chain, id, idlen, why,
			  sizeof(why));
	X509_free(leaf);
	sk_X509_pop_free(chain, X509_free);
	if (!pc) {
		ph1_fail(p1, why);
		return false;
	}
	certs_name(X509_get_subject_name(pc), subj, sizeof(subj));
	if (certs_peer_method(pc) != p1->auth) {
		X509_free(pc);
		snprintf(why, sizeof(why), "certificate refused: its key "
			 "cannot make the negotiated method's signatures (%s)",
			 subj);
		ph1_fail(p1, why);
		return false;
	}
	ok = !auth_hash(p1, of_initiator, id, idlen, expect) &&
	     certs_check_sig(pc, expect, p1->keys.hlen, sig->body, sig->len);
	X509_free(pc);
	if (!ok) {
		snprintf(why, sizeof(why), "authentication failed: the "
			 "signature does not verify with the certificate of "
			 "%s (wrong private key?)", subj);
		ph1_fail(p1, why);
		return false;
	}
	log_info("phase 1 with %s: certificate of %s accepted", peer(p1),
		 subj);
	return true;
}

static bool send_id_hash(struct ph1 *p1, bool initial_contact)
{
	uint8_t h[MAX_HASH_LEN];
	struct buf idb;
	struct msgb m;
	uint8_t spi[16];

	msgb_init(&m, p1->icookie, p1->rcookie, ETYPE_IDENT, 0, 0);
	add_id(p1, &m, &idb);
	if (idb.oom || auth_hash(p1, p1->initiator, idb.p, idb.len, h)) {
		buf_free(&idb);
		buf_free(&m.b);
		ph1_fail(p1, "could not compute the authentication hash");
		return false;
	}
	buf_free(&idb);
	if (!add_proof(p1, &m, h)) {
		buf_free(&m.b);
		return false;
	}
	if (initial_contact) {
		memcpy(spi, p1->icookie, 8);
		memcpy(spi + 8, p1->rcookie, 8);
		msgb_notify(&m, PROTO_ISAKMP, spi, 16, N_INITIAL_CONTACT,
			    NULL, 0);
	}
	send_msg(p1, &m, true);
	return p1->state != PH1_DEAD;
}

/*
 * After the peer proved its identity: verify_identifier. One log line
 * names the refusal; the peer hears INVALID-ID-INFORMATION.
 */
static bool peer_id_ok(struct ph1 *p1, const uint8_t *id, size_t len)
{
	char why[400];

	if (!ident_refusal(p1->rmconf, id, len, why, sizeof(why))) {
		/* kept: behind a NAT, the ID tells hosts apart (info.c) */
		if (!p1->peer_id) {
			p1->peer_id = memdup(id, len);
			p1->peer_idlen = p1->peer_id ? len : 0;
		}
		return true;
	}
	info_send_plain_notify(p1->ike, (struct sockaddr *)&p1->local,
			       (struct sockaddr *)&p1->remote, p1->icookie,
			       p1->rcookie, N_INVALID_ID_INFORMATION);
	ph1_fail(p1, why);
	return false;
}

/* Decrypts and walks message 5 or 6; verifies the peer's hash. */
static bool check_id_hash(struct ph1 *p1, const uint8_t *pkt, size_t len,
			  const struct isakmp_hdr *h, uint8_t **plain,
			  struct payload_list *pl)
{
	const struct payload *id, *hash;
		const char *err;

	if (!(h->flags & ISAKMP_FLAG_E)) {
		ph1_fail(p1, "message 5/6 is not encrypted");
		return false;
	}
	*plain = ike_decrypt(p1, pkt, len, p1->iv);
	if (!*plain) {
		ph1_fail(p1, "cannot decrypt (bad length)");
		return false;
	}
	if (payload_walk(*plain, len - ISAKMP_HDR_LEN, h->np, pl, &err)) {
		log_err("phase 1 with %s: decrypted message is malformed "
			"(%s); wrong pre-shared key?", peer(p1), err);
		ph1_fail(p1, "authentication failed (wrong pre-shared key?)");
		return false;
	}
	id = payload_find(pl, PL_ID, 0);
	hash = payload_find(pl, PL_HASH, 0);
	if (!sig_auth(p1) && (!id || !hash || hash->len != p1->keys.hlen)) {
		ph1_fail(p1, "ID or HASH payload missing; wrong pre-shared "
			 "key?");
		return false;
	}
	if (!id) {
		ph1_fail(p1, "authentication failed: no ID payload");
		return false;
	}
	if (!check_proof(p1, pl, id->body, id->len, !p1->initiator))
		return false;
	return peer_id_ok(p1, id->body, id->len);
}

static bool other_sas_with_peer(struct ph1 *p1)
{
	struct ph2 *p2;
	struct ph1 *o;

	/* any other exchange with the peer, even one in progress */
	for (o = p1->ike->ph1s; o; o = o->next)
		if (o != p1 && o->state != PH1_DEAD &&
		    addr_eq((struct sockaddr *)&o->remote,
			    (struct sockaddr *)&p1->remote))
			return true;
	for (p2 = p1->ike->ph2s; p2; p2 = p2->next)
		if (p2->state == PH2_ESTABLISHED &&
		    addr_eq((struct sockaddr *)&p2->acq.remote,
			    (struct sockaddr *)&p1->remote))
			return true;
	return false;
}

void ph1_established(struct ph1 *p1)
{
	struct ph2 *p2;
	char ck[40];

	p1->state = PH1_ESTABLISHED;
	p1->expires = ike_now(p1->ike) + p1->lifetime;
	p1->dpd_next = ike_now(p1->ike) + p1->rmconf->dpd_delay;
	p1->natt.keepalive_next = ike_now(p1->ike) +
				  p1->ike->conf->timer.natt_keepalive;
	p1->ike->stats.ph1_established++;
	for (int i = 0; i < 8; i++) {
		snprintf(ck + 2 * i, 3, "%02x", p1->icookie[i]);
		snprintf(ck + 17 + 2 * i, 3, "%02x", p1->rcookie[i]);
	}
	ck[16] = ':';
	log_notify("ISAKMP-SA established with %s (%s), lifetime %u s",
		   peer(p1), ck, p1->lifetime);
	for (p2 = p1->ike->ph2s; p2; p2 = p2->next)
		if (p2->ph1 == p1 && p2->state == PH2_WAIT_PH1)
			ph2_initiate(p2);
}

/* Notes whether the peer announced DPD (RFC 3706) in msg 1 or 2. */
static void note_vids(struct ph1 *p1, const struct payload_list *pl)
{
	const struct payload *v;

	for (int i = 0; (v = payload_find(pl, PL_VID, i)); i++) {
		if (v->len == sizeof(dpd_vid) &&
		    !memcmp(v->body, dpd_vid, sizeof(dpd_vid)))
			p1->peer_dpd = true;
		if (frag_vid_match(v->body, v->len))
			p1->peer_frag = true;
		if (natt_vid(v->body, v->len) > p1->natt.peer_ver)
			p1->natt.peer_ver = (uint8_t)natt_vid(v->body, v->len);
	}
}

static void input_plain(struct ph1 *p1, const uint8_t *pkt, size_t len,
			const struct isakmp_hdr *h)
{
	struct payload_list pl;
	const struct payload *sa;
	struct p1_choice c;
	struct msgb m;
	const char *err;
	size_t s;

	if (h->flags & ISAKMP_FLAG_E) {
		ph1_fail(p1, "unexpected encrypted message");
		return;
	}
	if (payload_walk(pkt + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN, h->np,
			 &pl, &err)) {
		ph1_fail(p1, err);
		return;
	}
	if (p1->state == PH1_NEW || p1->state == PH1_I_MSG1)
		note_vids(p1, &pl);
	switch (p1->state) {
	case PH1_NEW:
		sa = payload_find(&pl, PL_SA, 0);
		if (!sa) {
			ph1_fail(p1, "message 1 without an SA payload");
			return;
		}
		p1->rmconf = conf_find_remote(p1->ike->conf,
					      (struct sockaddr *)&p1->remote);
		if (!p1->rmconf) {
			ph1_fail(p1, "no remote section matches this peer");
			return;
		}
		log_info("responding to Main Mode from %s", peer(p1));
		natt_agree(p1);
		if (p1_sa_choose(sa->body, sa->len, p1->rmconf, &c, &err)) {
			log_err("phase 1 with %s: no acceptable proposal (%s)",
				peer(p1), err);
			info_send_plain_notify(p1->ike,
					       (struct sockaddr *)&p1->local,
					       (struct sockaddr *)&p1->remote,
					       p1->icookie, p1->rcookie,
					       N_NO_PROPOSAL_CHOSEN);
			ph1_fail(p1, "NO-PROPOSAL-CHOSEN");
			return;
		}
		use_choice(p1, &c);
		p1->sai_b = memdup(sa->body, sa->len);
		p1->sai_len = sa->len;
		msgb_init(&m, p1->icookie, p1->rcookie, ETYPE_IDENT, 0, 0);
		s = msgb_begin(&m, PL_SA);
		p1_sa_reply(&m.b, &c);
		msgb_end(&m, s);
		add_vids(p1, &m);
		p1->state = PH1_R_MSG2;
		send_msg(p1, &m, false);
		break;
	case PH1_I_MSG1:
		sa = payload_find(&pl, PL_SA, 0);
		if (!sa) {
			ph1_fail(p1, "message 2 without an SA payload");
			return;
		}
		if (p1_sa_accept(sa->body, sa->len, p1->rmconf, &c, &err)) {
			ph1_fail(p1, err);
			return;
		}
		memcpy(p1->rcookie, h->rcookie, 8);
		use_choice(p1, &c);
		natt_agree(p1);
		msgb_init(&m, p1->icookie, p1->rcookie, ETYPE_IDENT, 0, 0);
		if (!add_ke_nonce(p1, &m, p1->ni, &p1->nilen) ||
		    !add_nat_d(p1, &m)) {
			buf_free(&m.b);
			ph1_fail(p1, "Diffie-Hellman setup failed");
			return;
		}
		p1->gxi = memdup(dh_public(p1->dh), p1->glen);
		if (sig_auth(p1))
			add_certreq(p1, &m);
		p1->state = PH1_I_MSG3;
		send_msg(p1, &m, false);
		break;
	case PH1_R_MSG2:
		if (!take_ke_nonce(p1, &pl, &p1->gxi, p1->ni, &p1->nilen))
			return;
		natt_detect(p1, &pl);
		msgb_init(&m, p1->icookie, p1->rcookie, ETYPE_IDENT, 0, 0);
		if (!add_ke_nonce(p1, &m, p1->nr, &p1->nrlen) ||
		    !add_nat_d(p1, &m)) {
			buf_free(&m.b);
			ph1_fail(p1, "Diffie-Hellman setup failed");
			return;
		}
		p1->gxr = memdup(dh_public(p1->dh), p1->glen);
		if (!p1->gxr || !derive(p1)) {
			buf_free(&m.b);
			ph1_fail(p1, "key derivation failed");
			return;
		}
		if (sig_auth(p1))
			add_certreq(p1, &m);
		p1->state = PH1_R_MSG4;
		send_msg(p1, &m, false);
		break;
	case PH1_I_MSG3:
		if (!take_ke_nonce(p1, &pl, &p1->gxr, p1->nr, &p1->nrlen) ||
		    !derive(p1))
			return;
		p1->got_initial_contact = false;
		natt_detect(p1, &pl);
		natt_float(p1);
		p1->state = PH1_I_MSG5;
		send_id_hash(p1, p1->rmconf->initial_contact &&
				     !other_sas_with_peer(p1));
		break;
	default:
		ph1_fail(p1, "unexpected Main Mode message");
	}
}

/* ---- Aggressive Mode ------------------------------------------------------ */

static int agg_initiate(struct ph1 *p1)
{
	struct buf idb;
	struct msgb m;
	size_t s;

	p1->etype = ETYPE_AGGRESSIVE;
	/* every proposal has this group (conf_parse checks) */
	p1->group = p1->rmconf->props->group;
	msgb_init(&m, p1->icookie, p1->rcookie, ETYPE_AGGRESSIVE, 0, 0);
	s = msgb_begin(&m, PL_SA);
	p1_sa_build(&m.b, p1->rmconf);
	msgb_end(&m, s);
	if (m.b.oom)
		goto oom;
	p1->sai_len = m.b.len - s - ISAKMP_GEN_LEN;
	p1->sai_b = memdup(m.b.p + s + ISAKMP_GEN_LEN, p1->sai_len);
	if (!p1->sai_b || !add_ke_nonce(p1, &m, p1->ni, &p1->nilen))
		goto oom;
	p1->gxi = memdup(dh_public(p1->dh), p1->glen);
	add_id(p1, &m, &idb);
	p1->my_idlen = idb.len;
	p1->my_id = idb.oom ? NULL : memdup(idb.p, idb.len);
	buf_free(&idb);
	if (!p1->gxi || !p1->my_id)
		goto oom;
	add_certreq(p1, &m);
	add_vids(p1, &m);
	p1->state = PH1_I_AGG1;
	log_info("initiating Aggressive Mode with %s", peer(p1));
	send_msg(p1, &m, false);
	return 0;
oom:
	buf_free(&m.b);
	return -1;
}

/* Responder, message 1: choose, then SA, KE, Nr, IDir, HASH_R. */
static void agg_respond(struct ph1 *p1, const struct payload_list *pl)
{
	const struct payload *sa = payload_find(pl, PL_SA, 0);
	const struct payload *id = payload_find(pl, PL_ID, 0);
	uint8_t h[MAX_HASH_LEN];
	struct p1_choice c;
	const char *err;
	struct buf idb;
	struct msgb m;
	size_t s;

	if (!sa || !id) {
		ph1_fail(p1, "Aggressive Mode message 1 without SA or ID");
		return;
	}
	p1->rmconf = conf_find_remote(p1->ike->conf,
				      (struct sockaddr *)&p1->remote);
	if (!p1->rmconf) {
		ph1_fail(p1, "no remote section matches this peer");
		return;
	}
	if (!p1->rmconf->aggressive) {
		info_send_plain_notify(p1->ike, (struct sockaddr *)&p1->local,
				       (struct sockaddr *)&p1->remote,
				       p1->icookie, p1->rcookie,
				       N_NO_PROPOSAL_CHOSEN);
		ph1_fail(p1, "the peer wants Aggressive Mode, which "
			 "exchange_mode does not allow");
		return;
	}
	log_info("responding to Aggressive Mode from %s", peer(p1));
	natt_agree(p1);
	if (p1_sa_choose(sa->body, sa->len, p1->rmconf, &c, &err)) {
		log_err("phase 1 with %s: no acceptable proposal (%s)",
			peer(p1), err);
		info_send_plain_notify(p1->ike, (struct sockaddr *)&p1->local,
				       (struct sockaddr *)&p1->remote,
				       p1->icookie, p1->rcookie,
				       N_NO_PROPOSAL_CHOSEN);
		ph1_fail(p1, "NO-PROPOSAL-CHOSEN");
		return;
	}
	use_choice(p1, &c);
	p1->sai_b = memdup(sa->body, sa->len);
	p1->sai_len = sa->len;
	p1->peer_id = memdup(id->body, id->len);
	p1->peer_idlen = id->len;
	if (!p1->sai_b || !p1->peer_id ||
	    !take_ke_nonce(p1, pl, &p1->gxi, p1->ni, &p1->nilen))
		return;
	msgb_init(&m, p1->icookie, p1->rcookie, ETYPE_AGGRESSIVE, 0, 0);
	s = msgb_begin(&m, PL_SA);
	p1_sa_reply(&m.b, &c);
	msgb_end(&m, s);
	if (!add_ke_nonce(p1, &m, p1->nr, &p1->nrlen)) {
		buf_free(&m.b);
		ph1_fail(p1, "Diffie-Hellman setup failed");
		return;
	}
	p1->gxr = memdup(dh_public(p1->dh), p1->glen);
	if (!p1->gxr || !derive(p1)) {
		buf_free(&m.b);
		ph1_fail(p1, "key derivation failed");
		return;
	}
	add_id(p1, &m, &idb);
	if (idb.oom || auth_hash(p1, false, idb.p, idb.len, h)) {
		buf_free(&idb);
		buf_free(&m.b);
		ph1_fail(p1, "could not compute the authentication hash");
		return;
	}
	buf_free(&idb);
	if (!add_proof(p1, &m, h)) {
		buf_free(&m.b);
		return;
	}
	if (sig_auth(p1))
		add_certreq(p1, &m);
	add_vids(p1, &m);
	if (!add_nat_d(p1, &m)) {
		buf_free(&m.b);
		ph1_fail(p1, "could not compute the NAT-D hashes");
		return;
	}
	p1->state = PH1_R_AGG2;
	send_msg(p1, &m, false);
}

/* Initiator, message 2: check HASH_R, then HDR*, HASH_I. */
static void agg_initiator_msg2(struct ph1 *p1, const struct isakmp_hdr *hd,
			       const struct payload_list *pl)
{
	const struct payload *sa = payload_find(pl, PL_SA, 0);
	const struct payload *id = payload_find(pl, PL_ID, 0);
	uint8_t h[MAX_HASH_LEN], spi[16];
	struct p1_choice c;
	const char *err;
	struct msgb m;

	if (!sa || !id) {
		ph1_fail(p1, "Aggressive Mode message 2 without SA, ID or "
			 "HASH");
		return;
	}
	if (p1_sa_accept(sa->body, sa->len, p1->rmconf, &c, &err)) {
		ph1_fail(p1, err);
		return;
	}
	if (c.group != p1->group) {
		ph1_fail(p1, "the peer chose another DH group than our KE's");
		return;
	}
	memcpy(p1->rcookie, hd->rcookie, 8);
	use_choice(p1, &c);
	natt_agree(p1);
	if (!take_ke_nonce(p1, pl, &p1->gxr, p1->nr, &p1->nrlen) ||
	    !derive(p1))
		return;
	if (!check_proof(p1, pl, id->body, id->len, false) ||
	    !peer_id_ok(p1, id->body, id->len))
		return;
	if (auth_hash(p1, true, p1->my_id, p1->my_idlen, h)) {
		ph1_fail(p1, "could not compute the authentication hash");
		return;
	}
	msgb_init(&m, p1->icookie, p1->rcookie, ETYPE_AGGRESSIVE, 0, 0);
	if (!add_proof(p1, &m, h)) {
		buf_free(&m.b);
		return;
	}
	if (p1->rmconf->initial_contact && !other_sas_with_peer(p1)) {
		memcpy(spi, p1->icookie, 8);
		memcpy(spi + 8, p1->rcookie, 8);
		msgb_notify(&m, PROTO_ISAKMP, spi, 16, N_INITIAL_CONTACT,
			    NULL, 0);
	}
	/* to the NAT-T port if there is a NAT: message 3's NAT-D as sent */
	natt_detect(p1, pl);
	natt_float(p1);
	if (!add_nat_d(p1, &m)) {
		buf_free(&m.b);
		ph1_fail(p1, "could not compute the NAT-D hashes");
		return;
	}
	send_msg(p1, &m, true);
	if (p1->state != PH1_DEAD)
		ph1_established(p1);
}

/* Responder, message 3: HASH_I, encrypted or not. */
static void agg_responder_msg3(struct ph1 *p1, const uint8_t *pkt,
			       size_t len, const struct isakmp_hdr *h)
{
	const struct payload *np;
	uint8_t *plain = NULL;
	bool initial_contact = false;
	struct payload_list pl;
	const char *err;
	struct notify n;

	if (h->flags & ISAKMP_FLAG_E) {
		plain = ike_decrypt(p1, pkt, len, p1->iv);
		if (!plain) {
			ph1_fail(p1, "cannot decrypt (bad length)");
			return;
		}
	}
	if (payload_walk(plain ? plain : pkt + ISAKMP_HDR_LEN,
			 len - ISAKMP_HDR_LEN, h->np, &pl, &err)) {
		log_err("phase 1 with %s: message 3 is malformed (%s); wrong "
			"pre-shared key?", peer(p1), err);
		ph1_fail(p1, "authentication failed (wrong pre-shared key?)");
		goto out;
	}
	if (!check_proof(p1, &pl, p1->peer_id, p1->peer_idlen, true)) {
		info_send_plain_notify(p1->ike, (struct sockaddr *)&p1->local,
				       (struct sockaddr *)&p1->remote,
				       p1->icookie, p1->rcookie,
				       N_AUTHENTICATION_FAILED);
		goto out;
	}
	if (!peer_id_ok(p1, p1->peer_id, p1->peer_idlen))
		goto out;
	natt_detect(p1, &pl);
	ph1_follow_peer(p1);
	for (int i = 0; (np = payload_find(&pl, PL_N, i)); i++) {
		notify_decode(np, &n);
		if (n.type == N_INITIAL_CONTACT)
			initial_contact = true;
		else
			log_info("phase 1 notification %s from %s",
				 isakmp_notify_name(n.type), peer(p1));
	}
	ph1_established(p1);
	if (initial_contact)
		info_initial_contact(p1);
out:
	free(plain);
}

static void agg_input(struct ph1 *p1, const uint8_t *pkt, size_t len,
		      const struct isakmp_hdr *h)
{
	struct payload_list pl;
	const char *err;

	if (p1->state == PH1_R_AGG2) {
		agg_responder_msg3(p1, pkt, len, h);
		return;
	}
	if (p1->state != PH1_NEW && p1->state != PH1_I_AGG1) {
		p1->ike->stats.dropped++;
		log_warn("dropped Aggressive Mode message from %s: ISAKMP SA "
			 "already established", peer(p1));
		return;
	}
	if (h->flags & ISAKMP_FLAG_E) {
		ph1_fail(p1, "unexpected encrypted message");
		return;
	}
	if (payload_walk(pkt + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN, h->np,
			 &pl, &err)) {
		ph1_fail(p1, err);
		return;
	}
	note_vids(p1, &pl);
	if (p1->state == PH1_NEW)
		agg_respond(p1, &pl);
	else
		agg_initiator_msg2(p1, h, &pl);
}

void ph1_input(struct ph1 *p1, const uint8_t *pkt, size_t len,
	       const struct isakmp_hdr *h)
{
	struct payload_list pl;
	uint8_t *plain = NULL;
	struct notify n;
	const struct payload *np;

	if (ike_is_retransmit(p1->last_rx, pkt, len)) {
		/*
		 * A duplicate means our answer to it was lost: send it
		 * again. Only answers count: Main Mode's responder, and in
		 * Aggressive Mode the responder's message 2 and the
		 * initiator's message 3 (re-sent for a duplicate message 2).
		 */
		bool established = p1->state == PH1_ESTABLISHED;
		bool answer = p1->etype == ETYPE_AGGRESSIVE ?
				      p1->initiator == established :
				      !p1->initiator;

		if (p1->tx.pkt && answer) {
			log_debug("duplicate from %s: resending our reply",
				  peer(p1));
			ike_send_out(p1->ike, (struct sockaddr *)&p1->local,
				     (struct sockaddr *)&p1->remote,
				     p1->tx.pkt, p1->tx.len, p1->tx.frag);
		}
		return;
	}
	if (p1->etype == ETYPE_AGGRESSIVE) {
		agg_input(p1, pkt, len, h);
		return;
	}
	switch (p1->state) {
	case PH1_NEW:
	case PH1_I_MSG1:
	case PH1_R_MSG2:
	case PH1_I_MSG3:
		input_plain(p1, pkt, len, h);
		return;
	case PH1_R_MSG4:
		if (!check_id_hash(p1, pkt, len, h, &plain, &pl)) {
			/* tell the initiator, which cannot know otherwise */
			info_send_plain_notify(p1->ike,
					       (struct sockaddr *)&p1->local,
					       (struct sockaddr *)&p1->remote,
					       p1->icookie, p1->rcookie,
					       N_AUTHENTICATION_FAILED);
			break;
		}
		for (int i = 0; (np = payload_find(&pl, PL_N, i)); i++) {
			notify_decode(np, &n);
			if (n.type == N_INITIAL_CONTACT)
				p1->got_initial_contact = true;
			else
				log_info("phase 1 notification %s from %s",
					 isakmp_notify_name(n.type), peer(p1));
		}
		/* the initiator may have floated to the NAT-T port */
		ph1_follow_peer(p1);
		if (send_id_hash(p1, false)) {
			ph1_established(p1);
			if (p1->got_initial_contact)
				info_initial_contact(p1);
		}
		break;
	case PH1_I_MSG5:
		if (!check_id_hash(p1, pkt, len, h, &plain, &pl))
			break;
		ph1_follow_peer(p1);
		ph1_established(p1);
		break;
	default:
		p1->ike->stats.dropped++;
		log_warn("dropped Main Mode message from %s: ISAKMP SA "
			 "already established", peer(p1));
	}
	free(plain);
}
