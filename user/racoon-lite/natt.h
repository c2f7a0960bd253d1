/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT traversal in IKEv1 (RFC 3947, and the draft-ietf-ipsec-nat-t-ike
 * 02/03 dialect older peers speak): vendor IDs, NAT-D hashes and what they
 * say, the UDP-encapsulated modes of Quick Mode, NAT-OA bodies. Pure
 * functions over bytes and addresses: phase1.c/phase2.c use them, the
 * host tests and the fuzzer call them directly.
 */
#ifndef RACOON_LITE_NATT_H
#define RACOON_LITE_NATT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "crypto.h"
#include "payload.h"

/* The dialect a phase 1 speaks: none, the drafts, or RFC 3947. */
enum natt_ver { NATT_NONE, NATT_DRAFT, NATT_RFC };

/* The drafts' private payload numbers (RFC 3947 has 20 and 21). */
#define PL_NAT_D_DRAFT		130
#define PL_NAT_OA_DRAFT		131

/* Encapsulation modes (RFC 3947 5.1; the drafts' private values) */
#define ENCAP_UDP_TUNNEL		3
#define ENCAP_UDP_TRANSPORT		4
#define ENCAP_UDP_TUNNEL_DRAFT		61443
#define ENCAP_UDP_TRANSPORT_DRAFT	61444

/* PF_KEY SADB_X_EXT_NAT_T_TYPE value: ESP in UDP (Linux UDP_ENCAP_ESPINUDP) */
#define NATT_TYPE_ESPINUDP	2

/* An RFC 3948 NAT keepalive: one byte 0xFF. */
#define NATT_KEEPALIVE_BYTE	0xff

struct msgb;

/*
 * Our NAT-T vendor IDs: every dialect we speak (@only NATT_NONE, the
 * initiator's offer), or the one chosen (the responder's answer).
 */
void natt_add_vids(struct msgb *m, enum natt_ver only);
/* The dialect a vendor ID names, NATT_NONE if it is no NAT-T one. */
enum natt_ver natt_vid(const uint8_t *body, size_t len);
const char *natt_ver_name(enum natt_ver v);

uint8_t natt_pl_nat_d(enum natt_ver v);
uint8_t natt_pl_nat_oa(enum natt_ver v);

/*
 * NAT-D hash: HASH(CKY-I | CKY-R | IP | port) with the phase-1 hash.
 * Returns its length, 0 if the address family or hash is unknown.
 */
size_t natt_hash(int hash, const uint8_t icookie[8], const uint8_t rcookie[8],
		 const struct sockaddr *sa, uint8_t out[MAX_HASH_LEN]);

/*
 * Adds our NAT-D payloads to a message going from @local to @remote: the
 * peer's address first, then ours. @fake: ours is made not to match (what
 * "nat_traversal force" does, as RFC 3947 3.2 allows), so the peer sees a
 * NAT in front of us. False if a hash could not be made.
 */
bool natt_add_nat_d(struct msgb *m, enum natt_ver v, int hash,
		    const uint8_t icookie[8], const uint8_t rcookie[8],
		    const struct sockaddr *local,
		    const struct sockaddr *remote, bool fake);

/*
 * What the NAT-D payloads of a message received on @local from @remote
 * say: 0 with *me_behind (the first hash is not of our address as we
 * received it) and *peer_behind (no other hash is of the sender's address
 * as we see it); -1 with *why if they are missing or malformed.
 */
int natt_check_nat_d(const struct payload_list *pl, enum natt_ver v, int hash,
		     const uint8_t icookie[8], const uint8_t rcookie[8],
		     const struct sockaddr *local,
		     const struct sockaddr *remote, bool *me_behind,
		     bool *peer_behind, const char **why);

/* Quick Mode: the wire value of a mode (ENCAP_TUNNEL/_TRANSPORT) in UDP. */
int natt_udp_mode(int mode, enum natt_ver v);
/*
 * Decodes an encapsulation mode attribute: *mode = ENCAP_TUNNEL or
 * ENCAP_TRANSPORT, *udp whether it is UDP-encapsulated. False: unknown.
 */
bool natt_decode_mode(uint32_t val, int *mode, bool *udp);

/* NAT-OA body: ID type (IPv4 or IPv6 address), 3 reserved, the address. */
void natt_oa_body(struct buf *b, const struct sockaddr *sa);
/* 0, or -1 with *why: wrong length, ID type or non-zero reserved bytes. */
int natt_oa_parse(const uint8_t *body, size_t len, struct sockaddr_storage *ss,
		  const char **why);

uint16_t sa_port(const struct sockaddr *sa);
void sa_set_port(struct sockaddr_storage *ss, uint16_t port);

#endif
