/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SA payloads: building our offers, parsing a peer's (proposals,
 * transforms, attributes, all bounds-checked) and choosing a transform
 * under racoon's proposal_check rules.
 */
#ifndef RACOON_LITE_PROPOSAL_H
#define RACOON_LITE_PROPOSAL_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "conf.h"

struct p1_choice {
	int enc, hash, auth, group;
	unsigned int keybits;
	uint32_t life_sec;		/* what we apply locally */
	const uint8_t *raw_t;		/* the chosen transform, as sent */
	size_t raw_tlen;
};

struct p2_choice {
	uint8_t proto;			/* PROTO_IPSEC_ESP / _AH */
	int trans_id, auth, mode, group;	/* mode: ENCAP_TUNNEL/_TRANSPORT */
	bool udp;			/* UDP-encapsulated (NAT-T) mode */
	unsigned int keybits;
	uint32_t life_sec, life_kb;	/* what we apply locally */
	uint32_t peer_life_sec;		/* what the peer proposed */
	bool responder_lifetime;	/* claim: tell the peer ours */
	uint32_t spi;			/* the peer's SPI, host order */
	const uint8_t *raw_t;
	size_t raw_tlen;
};

/* Result of lifetime/PFS checks: 0 accept, -1 reject. */
int lifetime_check(enum prop_check pc, uint32_t peer, uint32_t mine,
		   uint32_t *use, bool *claim);
int pfs_check(enum prop_check pc, int peer_group, int my_group);

void p1_sa_build(struct buf *b, const struct remote_conf *r);
/* Responder: choose one of the initiator's transforms. */
int p1_sa_choose(const uint8_t *body, size_t len, const struct remote_conf *r,
		 struct p1_choice *c, const char **why);
/* Initiator: the responder's answer must be one transform we offered. */
int p1_sa_accept(const uint8_t *body, size_t len, const struct remote_conf *r,
		 struct p1_choice *c, const char **why);
void p1_sa_reply(struct buf *b, const struct p1_choice *c);

/* mode: the attribute's wire value (natt_udp_mode() for NAT-T). */
void p2_sa_build(struct buf *b, const struct sainfo_conf *si, uint8_t proto,
		 int mode, uint32_t spi);
int p2_sa_choose(const uint8_t *body, size_t len, const struct sainfo_conf *si,
		 enum prop_check pc, struct p2_choice *c, const char **why);
int p2_sa_accept(const uint8_t *body, size_t len, const struct sainfo_conf *si,
		 uint8_t proto, struct p2_choice *c, const char **why);
void p2_sa_reply(struct buf *b, const struct p2_choice *c, uint32_t myspi);

/* ESP/AH algorithm facts for key material and PF_KEY. */
size_t p2_enc_keylen(int trans_id, unsigned int keybits);
size_t p2_auth_keylen(int auth);
int p2_sadb_ealg(int trans_id);
int p2_sadb_aalg(int auth);

#endif
