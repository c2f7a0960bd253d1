/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKEv1 engine: phase-1 (ISAKMP SA) and phase-2 (IPsec SA) handles,
 * packet input, and the two hooks to the outside world: a send function
 * for UDP and a kernel_ops table for PF_KEY. Neither hook is called with
 * anything but finished work, so tests can replace both.
 */
#ifndef RACOON_LITE_IKE_H
#define RACOON_LITE_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "payload.h"
#include "frag.h"
#include "psk.h"

struct dh;

/* One IPsec SA as the kernel needs it (SADB_UPDATE / SADB_ADD). */
struct child_sa {
	uint8_t satype;		/* SADB_SATYPE_ESP or _AH */
	uint8_t mode;		/* IPSEC_MODE_TRANSPORT or _TUNNEL */
	uint32_t reqid;
	uint32_t seq;		/* the ACQUIRE / GETSPI sequence */
	struct sockaddr_storage src, dst;
	uint32_t spi;		/* host order */
	uint8_t ealg, aalg;	/* SADB_*ALG_* */
	size_t enckeylen, authkeylen;
	uint8_t enckey[MAX_KEY_LEN];
	uint8_t authkey[MAX_AUTHKEY_LEN];
	uint32_t life_sec;	/* hard; the kernel side sets soft = 80 % */
	uint64_t life_bytes;
	/* NAT traversal (RFC 3948): type 0 = plain ESP */
	uint8_t natt_type;	/* NATT_TYPE_ESPINUDP */
	uint16_t natt_sport, natt_dport;	/* host order */
	struct sockaddr_storage natt_oa;	/* family 0: none */
};

/* A traffic selector: address/prefix, port, upper-layer protocol. */
struct selector {
	struct sockaddr_storage addr;	/* port inside */
	uint8_t prefix;
	uint8_t proto;			/* 0 or 255: any */
};

struct kernel_ops {
	/* Reserve an inbound SPI: SA from peer (src) to us (dst). */
	int (*getspi)(void *kctx, const struct sockaddr *src,
		      const struct sockaddr *dst, uint8_t satype,
		      uint8_t mode, uint32_t reqid, uint32_t seq,
		      uint32_t *spi);
	/* inbound: fill the larval SA (UPDATE); outbound: ADD. */
	int (*install)(void *kctx, const struct child_sa *sa, bool inbound);
	int (*del)(void *kctx, uint8_t satype, const struct sockaddr *src,
		   const struct sockaddr *dst, uint32_t spi);
	/* Optional: a negotiation for ACQUIRE seq failed (larval SA). */
	void (*acquire_failed)(void *kctx, uint8_t satype, uint32_t seq);
	/*
	 * Optional: the reqid SAs for the policy (dir IPSEC_DIR_*, selectors
	 * src -> dst) must carry: its "unique" reqid, or 0. -1: no policy.
	 */
	int (*policy_reqid)(void *kctx, uint8_t satype,
			    const struct selector *src,
			    const struct selector *dst, uint8_t dir,
			    uint32_t *reqid);
};

/* What the kernel asked for (SADB_ACQUIRE + the policy it names). */
struct acquire {
	struct sockaddr_storage local, remote;	/* SA endpoints */
	struct selector src, dst;		/* the outbound policy */
	uint8_t satype;
	uint8_t mode;
	uint32_t reqid;
	uint32_t seq;
	uint32_t policy_id;
};

struct xmit {
	uint8_t *pkt;
	size_t len;
	time_t next;
	int left;		/* retransmissions still allowed */
	bool frag;		/* may go out as IKE fragments (frag.c) */
};

enum ph1_state {
	PH1_NEW,				/* responder, before msg 1 */
	PH1_I_MSG1, PH1_I_MSG3, PH1_I_MSG5,	/* initiator: sent msg N */
	PH1_R_MSG2, PH1_R_MSG4,			/* responder: sent msg N */
	PH1_I_AGG1, PH1_R_AGG2,			/* Aggressive Mode */
	PH1_ESTABLISHED,
	PH1_DEAD,
};

struct ph1 {
	struct ph1 *next;
	struct ike *ike;
	const struct remote_conf *rmconf;
	struct sockaddr_storage local, remote;
	uint8_t icookie[8], rcookie[8];
	bool initiator;
	uint8_t etype;		/* ETYPE_IDENT or ETYPE_AGGRESSIVE */
	enum ph1_state state;
	/* Aggressive Mode: ID bodies kept for HASH_I */
	uint8_t *my_id, *peer_id;
	size_t my_idlen, peer_idlen;
	/* the negotiated transform */
	int enc, hash, group;
	int auth;		/* OAKLEY_AUTH_* */
	unsigned int keybits;
	uint32_t lifetime;
	uint8_t *sai_b;		/* the initiator's SA payload body */
	size_t sai_len;
	struct dh *dh;
	uint8_t *gxi, *gxr;
	size_t glen;
	uint8_t ni[256], nr[256];
	size_t nilen, nrlen;
	uint8_t *psk;
	size_t psklen;
	struct p1_keys keys;
	uint8_t iv[MAX_BLOCK_LEN];
	struct xmit tx;
	uint8_t last_rx[MAX_HASH_LEN];	/* SHA-1 of the last packet */
	time_t deadline;		/* negotiation must finish by then */
	time_t expires;			/* lifetime end once established */
	bool got_initial_contact;
	bool peer_frag;			/* the peer announced IKE fragmentation */
	struct frag_rx frag_rx;		/* its fragments being put together */
	/* RFC 3706 dead peer detection */
	bool peer_dpd;			/* the peer sent the DPD vendor ID */
	bool dpd_waiting;		/* an R-U-THERE is unanswered */
	uint32_t dpd_seq;
	int dpd_fails;
	time_t dpd_next;
	/* RFC 3947 NAT traversal */
	struct {
		uint8_t ver;		/* enum natt_ver agreed; 0: none */
		uint8_t peer_ver;	/* the best the peer announced */
		bool detected;		/* NAT-D payloads were checked */
		bool me_behind;		/* a NAT in front of us (or force) */
		bool peer_behind;	/* a NAT in front of the peer */
		bool floated;		/* IKE moved to the NAT-T port */
		time_t keepalive_next;
	} natt;
};

/* NAT-T agreed and a NAT found (or forced): IPsec goes in UDP. */
static inline bool ph1_natt_encap(const struct ph1 *p1)
{
	return p1->natt.ver && (p1->natt.me_behind || p1->natt.peer_behind);
}

enum ph2_state {
	PH2_NEW,		/* responder, before HASH(1) */
	PH2_WAIT_PH1,
	PH2_I_MSG1,		/* initiator sent HASH(1) */
	PH2_R_MSG2,		/* responder sent HASH(2) */
	PH2_ESTABLISHED,
	PH2_DEAD,
};

struct ph2 {
	struct ph2 *next;
	struct ike *ike;
	struct ph1 *ph1;
	const struct sainfo_conf *sainfo;
	bool initiator;
	enum ph2_state state;
	uint32_t msgid;
	struct acquire acq;	/* endpoints, selectors, mode, reqid, seq */
	bool send_ids;
	/* the negotiated transform */
	uint8_t proto;		/* PROTO_IPSEC_ESP / _AH */
	int trans_id, auth, mode, group;
	unsigned int keybits;
	uint32_t life_sec, life_kb;
	uint32_t spi_in, spi_out;	/* host order */
	uint32_t reqid_in;	/* inbound policy's; acq.reqid is outbound's */
	struct dh *dh;
	uint8_t *gxy;
	size_t glen;
	uint8_t ni[256], nr[256];
	size_t nilen, nrlen;
	uint8_t iv[MAX_BLOCK_LEN];
	struct xmit tx;
	uint8_t last_rx[MAX_HASH_LEN];
	time_t deadline;
	time_t expires;
	bool rekeyed;
	/* NAT traversal: UDP-encapsulated mode agreed */
	bool udp;
	struct sockaddr_storage peer_oa;	/* the peer's NAT-OA; 0: none */
	/* the installed SAs, kept to follow NAT mapping changes */
	struct child_sa sa_in, sa_out;
};

typedef int (*ike_send_fn)(void *arg, const struct sockaddr *local,
			   const struct sockaddr *remote, const uint8_t *buf,
			   size_t len);

struct ike_stats {
	unsigned long rx, tx, dropped, ph1_established, ph2_established,
		ph1_failed, ph2_failed, retransmits;
};

struct ike {
	struct config *conf;
	const struct psk_table *psk;
	const struct kernel_ops *kops;
	void *kctx;
	ike_send_fn send;
	void *send_arg;
	time_t (*clock)(void);	/* NULL: time() */
	struct ph1 *ph1s;
	struct ph2 *ph2s;
	struct ike_stats stats;
	/* the datagram ike_input is handling: where it came from and to */
	const struct sockaddr *rx_local, *rx_remote;
};

/* --- engine API (ike.c) --------------------------------------------------- */
struct ike *ike_new(struct config *conf, const struct psk_table *psk,
		    const struct kernel_ops *kops, void *kctx,
		    ike_send_fn send, void *send_arg);
void ike_free(struct ike *ike);
/* A datagram received on the IKE socket. */
void ike_input(struct ike *ike, const uint8_t *pkt, size_t len,
	       const struct sockaddr *local, const struct sockaddr *remote);
/* The kernel wants an SA: negotiate it (initiator). */
int ike_acquire(struct ike *ike, const struct acquire *acq);
/* The kernel reports an SA expiry or deletion. */
void ike_sa_expired(struct ike *ike, uint8_t satype, uint32_t spi,
		    const struct sockaddr *dst, bool hard);
/*
 * SADB_X_NAT_T_NEW_MAPPING: ESP of our inbound SA spi came from @now
 * instead of @was (addresses with ports): the SAs and IKE follow.
 */
void ike_new_mapping(struct ike *ike, uint8_t satype, uint32_t spi,
		     const struct sockaddr *was, const struct sockaddr *now);
/* Logs the handle tables and counters (SIGUSR1). */
void ike_dump(struct ike *ike);
/* Retransmissions, timeouts and lifetimes (timer.c). */
void ike_tick(struct ike *ike);
/* Seconds until ike_tick has work, at most max. */
int ike_next_timeout(struct ike *ike, int max);

/* --- internal, shared by the exchange files --------------------------------- */
time_t ike_now(const struct ike *ike);
const char *addr_str(const struct sockaddr *sa, char *buf, size_t len);
bool addr_eq(const struct sockaddr *a, const struct sockaddr *b);
size_t sa_len(const struct sockaddr *sa);

struct ph1 *ph1_new(struct ike *ike, const struct sockaddr *local,
		    const struct sockaddr *remote, bool initiator);
void ph1_fail(struct ph1 *p1, const char *why);
void ph1_delete(struct ph1 *p1);
struct ph1 *ph1_find_established(struct ike *ike, const struct sockaddr *local,
				 const struct sockaddr *remote);
struct ph2 *ph2_new(struct ike *ike, struct ph1 *p1, bool initiator);
void ph2_fail(struct ph2 *p2, const char *why);
void ph2_free_all_dead(struct ike *ike);

/* Send a finished message, and keep it for retransmission if tx != NULL. */
void ike_send_packet(struct ike *ike, const struct sockaddr *local,
		     const struct sockaddr *remote, uint8_t *pkt, size_t len,
		     struct xmit *tx);
/* Pads, encrypts with the phase-1 key and iv (updated), fixes the length. */
bool ike_encrypt(struct ph1 *p1, struct buf *b, uint8_t *iv);
/* One datagram, or its IKE fragments when @frag and it is long. */
void ike_send_out(struct ike *ike, const struct sockaddr *local,
		  const struct sockaddr *remote, const uint8_t *pkt,
		  size_t len, bool frag);
/* Decrypts the body of pkt into a new buffer; iv is updated. */
uint8_t *ike_decrypt(struct ph1 *p1, const uint8_t *pkt, size_t len,
		     uint8_t *iv);
/* Is this datagram the same as the last one? Remembers it if not. */
bool ike_is_retransmit(uint8_t last[MAX_HASH_LEN], const uint8_t *pkt,
		       size_t len);
/* Has the PSK for this peer: loaded into p1, or logged why not. */
bool ike_load_psk(struct ph1 *p1);

/*
 * After a packet of p1's exchanges was authenticated: with NAT-T, the
 * peer may have moved (floated to 4500, or a NAT mapping changed); p1
 * follows the datagram's addresses and ports (ike->rx_*).
 */
void ph1_follow_peer(struct ph1 *p1);

/* phase1.c */
int ph1_initiate(struct ph1 *p1);
void ph1_input(struct ph1 *p1, const uint8_t *pkt, size_t len,
	       const struct isakmp_hdr *h);
/* Phase 1 is up: start the Quick Modes waiting for it. */
void ph1_established(struct ph1 *p1);
/* phase2.c */
int ph2_initiate(struct ph2 *p2);
void ph2_input(struct ph1 *p1, const uint8_t *pkt, size_t len,
	       const struct isakmp_hdr *h);
void ph2_delete_sas(struct ph2 *p2, bool tell_peer);
/* info.c */
/* Sends R-U-THERE with the next sequence number. */
void info_send_dpd(struct ph1 *p1);
/* p1: the ISAKMP SA the cookies name, or NULL. */
void info_input(struct ike *ike, struct ph1 *p1, const uint8_t *pkt,
		size_t len, const struct isakmp_hdr *h,
		const struct sockaddr *remote);
void info_send_notify(struct ph1 *p1, uint8_t proto, const uint8_t *spi,
		      uint8_t spisize, uint16_t type, const void *data,
		      size_t datalen);
/* The peer said INITIAL-CONTACT: forget every older SA with it. */
void info_initial_contact(struct ph1 *p1);
void info_send_delete(struct ph1 *p1, uint8_t proto, uint8_t spisize,
		      const uint8_t *spis, uint16_t nspi);
/* An unencrypted notification (before phase 1 has keys). */
void info_send_plain_notify(struct ike *ike, const struct sockaddr *local,
			    const struct sockaddr *remote,
			    const uint8_t icookie[8], const uint8_t rcookie[8],
			    uint16_t type);

#endif
