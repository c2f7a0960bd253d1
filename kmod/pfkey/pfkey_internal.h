/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the files of the PF_KEY layer only. */
#ifndef KAME_PFKEY_INTERNAL_H
#define KAME_PFKEY_INTERNAL_H

#include <linux/mutex.h>
#include <linux/skbuff.h>
#include <linux/pfkeyv2.h>
#include <net/sock.h>

#include "msg_parse.h"

struct kame_net;
struct kame_sa;
struct kame_policy;
struct kame_sp_req;
struct kame_lifetime;

/*
 * Largest message accepted from a writer: 64 KiB (write() fails EMSGSIZE
 * above). The largest legitimate request, an SPDADD with six IPv6 tunnel
 * requests, is under 1 KiB; KAME's limit was 2048 bytes (MCLBYTES).
 */
#define PFKEY_MSG_MAX	65536

/*
 * A dump in progress on one socket: what to look up (no references: see
 * out.c) and how far it got.
 */
struct pfkey_dump {
	struct kame_net *kn;
	void *handles;		/* n handles of hsize bytes, kvmalloc'd */
	size_t hsize;
	unsigned int n, next, sent;
	u8 type, satype;
	u32 pid;
	struct sk_buff *held;	/* built, sent when the next one is */
	/*
	 * Message for handle @h with sadb_msg_seq @seq; NULL if the entry is
	 * gone, ERR_PTR(-ENOBUFS) if no memory.
	 */
	struct sk_buff *(*build)(struct pfkey_dump *d, const void *h, u32 seq);
};

/*
 * PF_KEY's own state of one netns (net_generic, af_pfkey.c), beside the
 * core's struct kame_net. Its pernet exit runs before the core's: an event
 * the core raises after it (the netns is going, no socket is left) finds
 * an empty list; the memory stays until every pernet exit has run.
 */
struct pfkey_net {
	/*
	 * Sockets open in this netns. sockets_lock (mutex, process context:
	 * socket create and release) serialises the writers of the list;
	 * broadcasts walk it under rcu_read_lock().
	 */
	struct hlist_head sockets;
	struct mutex sockets_lock;
	atomic_t nsockets;
	atomic_t dumps;		/* dumps in progress (out.c) */
	atomic_t queued;	/* messages queued, not yet freed (out.c) */
};

struct pfkey_net *pfkey_net(const struct net *net);

/* proc.c: /proc/net/kame_pfkey, created and removed with pfkey_net. */
int pfkey_proc_net_init(struct net *net);
void pfkey_proc_net_exit(struct net *net);

struct pfkey_sock {
	struct sock sk;		/* must be first */
	struct hlist_node node;	/* in pfkey_net.sockets */
	unsigned long registered;	/* bit satype: REGISTERed for it */
	bool promisc;
	/*
	 * dump, and building its messages: taken by the handler that starts
	 * a dump, by recvmsg() that continues it and by release(); process
	 * context.
	 */
	struct mutex dump_lock;
	struct pfkey_dump *dump;
};

static inline struct pfkey_sock *pfkey_sk(struct sock *sk)
{
	return (struct pfkey_sock *)sk;
}

enum pfkey_target {
	PFKEY_ONE,		/* the @one socket only */
	PFKEY_ALL,		/* every socket of the netns */
	PFKEY_REGISTERED,	/* sockets registered for any satype (+ @one) */
};

/* One message being handled. */
struct pfkey_req {
	struct sock *sk;
	struct kame_net *kn;
	const struct kame_msg *m;
	const struct sadb_msg *hdr;
	int send_err;		/* the reply to the writer could not be queued */
};

/* ---- out.c: delivery ---- */

/* Free a message that may hold keys: its data is zeroed first. */
void pfkey_skb_free(struct sk_buff *skb);

/*
 * Queue @skb (a complete message, consumed) on the target sockets of @kn;
 * every promiscuous socket also gets a copy wrapped in an SADB_X_PROMISC
 * header (KAME). Returns -ENOBUFS if @one should have got it but its
 * receive buffer was full, else 0. Any context.
 */
int pfkey_send(struct kame_net *kn, struct sk_buff *skb,
	       enum pfkey_target target, struct sock *one);
/*
 * The outcome of request @r (@skb, consumed; NULL if it could not be built)
 * to @target: PFKEY_ONE for the sender only, PFKEY_ALL for a change every
 * socket hears of. A message that could not be built or queued for the
 * sender is recorded in r->send_err.
 */
void pfkey_notify(struct pfkey_req *r, struct sk_buff *skb,
		  enum pfkey_target target);
/* The request's sender only. */
static inline void pfkey_reply(struct pfkey_req *r, struct sk_buff *skb)
{
	pfkey_notify(r, skb, PFKEY_ONE);
}
/* KAME error reply: the whole request with sadb_msg_errno set. */
int pfkey_error_reply(struct sock *sk, const void *msg, size_t len, int err);

/*
 * Start a dump (takes over d, even on error; d zeroed but for handles, n,
 * hsize, type, satype, pid and build); sends what fits now.
 */
int pfkey_dump_start(struct pfkey_req *r, struct pfkey_dump *d);
/* Continue the socket's dump as far as the receive buffer allows. */
void pfkey_dump_continue(struct pfkey_sock *pk);
void pfkey_dump_free(struct pfkey_sock *pk);

/* ---- wire.c: building messages (zero-filled skbs) ---- */

struct sk_buff *pfkey_msg_new(size_t max, u8 type, u8 satype, u32 seq,
			      u32 pid, gfp_t gfp);
struct sadb_msg *pfkey_msg_hdr(struct sk_buff *skb);
/* A zeroed extension of @len bytes (rounded up to 8), header filled in. */
void *pfkey_put_ext(struct sk_buff *skb, u16 type, size_t len);
void pfkey_put_address(struct sk_buff *skb, u16 type, u16 family,
		       const xfrm_address_t *addr, __be16 port, u8 prefixlen,
		       u8 proto);
size_t pfkey_sockaddr_put(void *to, u16 family, const xfrm_address_t *addr,
			  __be16 port);
size_t pfkey_address_size(u16 family);
/* A LIFETIME_CURRENT/HARD/SOFT extension (@type) carrying @l. */
void pfkey_put_lifetime(struct sk_buff *skb, u16 type,
			const struct kame_lifetime *l);
/* *@l from the request's lifetime extension @type; untouched if absent. */
void pfkey_get_lifetime(const struct kame_msg *m, u16 type,
			struct kame_lifetime *l);
/*
 * KAME's sadb_msg_reserved in GET and DUMP replies: the entry's reference
 * count (setkey prints it as refcnt=), less the one the reply's builder
 * holds, so an idle SA or policy shows 1 (its database's), saturated to
 * 16 bits.
 */
static inline void pfkey_msg_set_refcnt(struct sk_buff *skb, unsigned int refs)
{
	pfkey_msg_hdr(skb)->sadb_msg_reserved =
		min_t(unsigned int, refs ? refs - 1 : 0, U16_MAX);
}
/* Sets sadb_msg_len; returns the skb. */
struct sk_buff *pfkey_msg_done(struct sk_buff *skb);
/* xfrm_address_t and port of a validated sockaddr. */
void pfkey_sockaddr_get(const struct sockaddr *sa, u16 family,
			xfrm_address_t *addr, __be16 *port);

/* ---- handlers ---- */

int pfkey_getspi(struct pfkey_req *r);
int pfkey_update(struct pfkey_req *r);
int pfkey_add(struct pfkey_req *r);
int pfkey_delete(struct pfkey_req *r);
int pfkey_get(struct pfkey_req *r);
int pfkey_acquire(struct pfkey_req *r);
int pfkey_flush(struct pfkey_req *r);
int pfkey_dump(struct pfkey_req *r);
int pfkey_register(struct pfkey_req *r);
int pfkey_promisc(struct pfkey_req *r);
int pfkey_spdadd(struct pfkey_req *r);
int pfkey_spddelete(struct pfkey_req *r);
int pfkey_spddelete2(struct pfkey_req *r);
int pfkey_spdget(struct pfkey_req *r);
int pfkey_spddump(struct pfkey_req *r);
int pfkey_spdflush(struct pfkey_req *r);

/*
 * ---- key-manager events (kmod/km.h), registered by af_pfkey.c ----
 * Process context, kame_km_mutex held:
 */
/* SADB_EXPIRE (soft or hard) for @sa to registered sockets (sa_handlers.c). */
void kame_pfkey_sa_expire(struct kame_sa *sa, bool hard);
/* SADB_X_SPDEXPIRE for @pol (already out of the SPD) to registered sockets. */
void kame_pfkey_sp_expire(struct kame_net *kn, struct kame_policy *pol);
/*
 * Under rcu_read_lock(), any context (acquire.c). SADB_ACQUIRE with
 * sequence number @seq (suppression is the core's) for request @r of @pol
 * (may be NULL) from @src to @dst, with a proposal of KAME's combinations.
 */
void pfkey_km_acquire(struct kame_net *kn, u32 seq,
		      const struct kame_policy *pol, const struct kame_sp_req *r,
		      u16 family, const xfrm_address_t *src,
		      const xfrm_address_t *dst);
/*
 * SADB_X_NAT_T_NEW_MAPPING, Linux af_key's layout: SA (SPI), ADDRESS_SRC +
 * NAT_T_SPORT the SA's (old), ADDRESS_DST + NAT_T_DPORT the new ones.
 */
void pfkey_km_new_mapping(struct kame_sa *sa, u32 seq,
			  const xfrm_address_t *addr, __be16 port);

/* ---- sa_msg.c: SA <-> messages ---- */

#define PFKEY_SA_SPI_ONLY	0x01	/* SA ext with the SPI only (GETSPI) */
#define PFKEY_SA_SA2		0x02
#define PFKEY_SA_CUR		0x04
#define PFKEY_SA_HARD		0x08	/* if set on the SA */
#define PFKEY_SA_SOFT		0x10	/* if set on the SA */
#define PFKEY_SA_KEYS		0x20	/* only to a GET/DUMP requester */
#define PFKEY_SA_IDENT		0x40
#define PFKEY_SA_NATT		0x80
#define PFKEY_SA_FULL		(PFKEY_SA_SA2 | PFKEY_SA_CUR | PFKEY_SA_HARD | \
				 PFKEY_SA_SOFT | PFKEY_SA_KEYS | PFKEY_SA_IDENT | \
				 PFKEY_SA_NATT)

struct sk_buff *pfkey_sa_msg(const struct kame_sa *sa, u8 type, u32 seq,
			     u32 pid, unsigned int parts, gfp_t gfp);
int pfkey_sa_from_msg(struct pfkey_req *r, struct kame_sa *sa, bool check_algs);

/* ---- sp_msg.c: policy <-> messages ---- */

struct kame_selector;

#define PFKEY_SP_ADDRS		0x1	/* ADDRESS_SRC/DST */
#define PFKEY_SP_CUR		0x2	/* LIFETIME_CURRENT */
#define PFKEY_SP_LIFETIMES	0x4	/* LIFETIME_HARD/SOFT when set */
#define PFKEY_SP_FULL		(PFKEY_SP_ADDRS | PFKEY_SP_CUR | \
				 PFKEY_SP_LIFETIMES)

/* Policy @pol as a message of @type with the extensions @parts asks for. */
struct sk_buff *pfkey_sp_msg(const struct kame_policy *pol, u8 type, u32 seq,
			     u32 pid, unsigned int parts, gfp_t gfp);
/* Selector of an SPD message (ADDRESS_SRC/DST). */
void pfkey_sel_from_msg(const struct kame_msg *m, struct kame_selector *sel);
/* Selector, direction, type, priority, lifetimes and requests of @m. */
void pfkey_sp_from_msg(const struct kame_msg *m, struct kame_policy *pol);

/* ---- alg.c: algorithms the crypto API can instantiate ---- */

int pfkey_alg_check(u8 satype, u8 auth, u8 enc, unsigned int auth_bits,
		    unsigned int enc_bits, bool has_auth_key, bool has_enc_key);
struct sk_buff *pfkey_supported_msg(const struct sadb_msg *req, gfp_t gfp);
bool pfkey_alg_ready(void);

#endif
