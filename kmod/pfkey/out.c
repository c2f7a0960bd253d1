// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery of kernel messages to PF_KEY sockets: to the writer, to every
 * socket, or to registered sockets, with KAME's promiscuous copies (each
 * wrapped in an SADB_X_PROMISC header), and dumps.
 *
 * Dumps: the handler takes a snapshot of what to look up (SPIs, policy
 * ids: no references, so a dump nobody reads keeps no deleted SA, key or
 * policy alive) so the number of messages is known and sadb_msg_seq can
 * count down to 0 as in KAME. Messages are queued while the dumper's
 * receive buffer has room and the rest follows from recvmsg() as the reader
 * drains, so the kernel never blocks. An entry deleted meanwhile is left
 * out; one message is held back so that the last one sent carries seq 0
 * whatever was left out after it. If a message cannot be allocated the
 * dump ends with an ENOBUFS error reply.
 *
 * Messages may hold keys (GET and DUMP replies, their promiscuous copies,
 * error replies echoing an ADD): every skb this layer frees, or that a
 * socket frees after queueing, is wiped first by whoever drops the last
 * reference to its data.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sched.h>

#include "netns.h"
#include "pfkey_internal.h"

/* Zero the data of @skb unless a clone still shares it. */
static void skb_wipe(struct sk_buff *skb)
{
	if (!skb_cloned(skb))
		memzero_explicit(skb->head, skb_end_offset(skb));
}

void pfkey_skb_free(struct sk_buff *skb)
{
	if (!skb)
		return;
	skb_wipe(skb);
	kfree_skb(skb);
}

/* A queued message is freed (read, purged): wiped, no longer counted. */
static void pfkey_skb_destructor(struct sk_buff *skb)
{
	atomic_dec(&pfkey_net(sock_net(skb->sk))->queued);
	skb_wipe(skb);
	sock_rfree(skb);
}

/*
 * Queue on @sk; @skb consumed. A socket being released may still be found
 * by a broadcast that started before it left the list: what is queued then
 * goes with the socket's final purge (pfkey_sock_destruct(), after the
 * grace period that follows its release); SOCK_DEAD just saves the work.
 */
static int deliver(struct sock *sk, struct sk_buff *skb, bool force)
{
	if (sock_flag(sk, SOCK_DEAD) ||
	    (!force && atomic_read(&sk->sk_rmem_alloc) > sk->sk_rcvbuf)) {
		pfkey_skb_free(skb);
		return -ENOBUFS;
	}
	skb_set_owner_r(skb, sk);
	atomic_inc(&pfkey_net(sock_net(sk))->queued);
	skb->destructor = pfkey_skb_destructor;
	skb_queue_tail(&sk->sk_receive_queue, skb);
	sk->sk_data_ready(sk);
	return 0;
}

static void deliver_promisc(struct sock *sk, const struct sk_buff *skb)
{
	struct sk_buff *w = alloc_skb(sizeof(struct sadb_msg) + skb->len,
				      GFP_ATOMIC);
	struct sadb_msg *hdr;

	if (!w)
		return;
	hdr = skb_put_zero(w, sizeof(*hdr));
	hdr->sadb_msg_version = PF_KEY_V2;
	hdr->sadb_msg_type = SADB_X_PROMISC;
	hdr->sadb_msg_len = (sizeof(*hdr) + skb->len) / 8;
	skb_put_data(w, skb->data, skb->len);
	deliver(sk, w, false);
}

static bool wants(struct pfkey_sock *pk, enum pfkey_target target)
{
	switch (target) {
	case PFKEY_ALL:
		return true;
	case PFKEY_REGISTERED:
		return READ_ONCE(pk->registered) != 0;
	default:
		return false;
	}
}

static int send(struct kame_net *kn, struct sk_buff *skb,
		enum pfkey_target target, struct sock *one, bool force_one)
{
	struct pfkey_net *pn = pfkey_net(kn->net);
	struct pfkey_sock *pk;
	int err = 0;

	rcu_read_lock();
	hlist_for_each_entry_rcu(pk, &pn->sockets, node) {
		struct sk_buff *c;

		if (READ_ONCE(pk->promisc))
			deliver_promisc(&pk->sk, skb);
		if (&pk->sk == one || !wants(pk, target))
			continue;
		c = skb_clone(skb, GFP_ATOMIC);
		if (c)
			deliver(&pk->sk, c, false);
	}
	rcu_read_unlock();
	if (one)
		err = deliver(one, skb, force_one);
	else
		pfkey_skb_free(skb);
	return err;
}

int pfkey_send(struct kame_net *kn, struct sk_buff *skb,
	       enum pfkey_target target, struct sock *one)
{
	return send(kn, skb, target, one, false);
}

void pfkey_notify(struct pfkey_req *r, struct sk_buff *skb,
		  enum pfkey_target target)
{
	if (!skb) {
		r->send_err = -ENOBUFS;
		return;
	}
	if (pfkey_send(r->kn, pfkey_msg_done(skb), target, r->sk))
		r->send_err = -ENOBUFS;
}

int pfkey_error_reply(struct sock *sk, const void *msg, size_t len, int err)
{
	struct kame_net *kn = kame_net(sock_net(sk));
	struct sadb_msg *hdr;
	struct sk_buff *skb;

	/* ERESTART* and kernel-internal codes do not fit in a u8 for users. */
	if (err <= -512 || err >= 0)
		err = -EINVAL;
	skb = alloc_skb(ALIGN(len, 8), GFP_KERNEL);
	if (!skb)
		return -ENOBUFS;
	hdr = skb_put_zero(skb, ALIGN(len, 8));
	memcpy(hdr, msg, len);
	hdr->sadb_msg_errno = -err;
	hdr->sadb_msg_len = skb->len / 8;
	return pfkey_send(kn, skb, PFKEY_ONE, sk);
}

static void dump_destroy(struct pfkey_dump *d)
{
	pfkey_skb_free(d->held);
	kvfree(d->handles);
	atomic_dec(&pfkey_net(d->kn->net)->dumps);
	kfree(d);
}

/* The dump's error reply (ENOBUFS, or ENOENT: every entry went meanwhile). */
static void dump_error(struct sock *sk, const struct pfkey_dump *d, int err)
{
	struct sadb_msg hdr = {
		.sadb_msg_version = PF_KEY_V2,
		.sadb_msg_type = d->type,
		.sadb_msg_satype = d->satype,
		.sadb_msg_len = sizeof(hdr) / 8,
		.sadb_msg_pid = d->pid,
	};

	pfkey_error_reply(sk, &hdr, sizeof(hdr), err);
}

/* Room was checked before building: a dump message is never dropped. */
static void dump_send(struct pfkey_dump *d, struct sock *sk,
		      struct sk_buff *skb)
{
	send(d->kn, skb, PFKEY_ONE, sk, true);
}

/* Caller holds pk->dump_lock. */
static void dump_run(struct pfkey_sock *pk)
{
	struct pfkey_dump *d = pk->dump;
	struct sock *sk = &pk->sk;

	lockdep_assert_held(&pk->dump_lock);
	if (!d)
		return;
	while (d->next < d->n) {
		const void *h = d->handles + (size_t)d->next * d->hsize;
		struct sk_buff *skb;

		if (atomic_read(&sk->sk_rmem_alloc) >= sk->sk_rcvbuf / 2)
			return;		/* resumed by recvmsg() */
		skb = d->build(d, h, d->n - 1 - d->next);
		if (IS_ERR(skb)) {
			if (d->held)
				dump_send(d, sk, d->held);
			d->held = NULL;
			dump_error(sk, d, -ENOBUFS);
			goto done;
		}
		d->next++;
		if (!skb) {		/* deleted since the snapshot */
			cond_resched();
			continue;
		}
		if (d->held)
			dump_send(d, sk, d->held);
		d->held = pfkey_msg_done(skb);
		d->sent++;
	}
	if (d->held) {
		pfkey_msg_hdr(d->held)->sadb_msg_seq = 0;
		dump_send(d, sk, d->held);
		d->held = NULL;
	} else if (!d->sent) {
		dump_error(sk, d, -ENOENT);
	}
done:
	pk->dump = NULL;
	dump_destroy(d);
}

int pfkey_dump_start(struct pfkey_req *r, struct pfkey_dump *d)
{
	struct pfkey_sock *pk = pfkey_sk(r->sk);

	d->kn = r->kn;
	atomic_inc(&pfkey_net(d->kn->net)->dumps);
	mutex_lock(&pk->dump_lock);
	if (pk->dump) {
		mutex_unlock(&pk->dump_lock);
		dump_destroy(d);
		return -EBUSY;
	}
	pk->dump = d;
	dump_run(pk);
	mutex_unlock(&pk->dump_lock);
	return 0;
}

void pfkey_dump_continue(struct pfkey_sock *pk)
{
	if (!READ_ONCE(pk->dump))
		return;
	mutex_lock(&pk->dump_lock);
	dump_run(pk);
	mutex_unlock(&pk->dump_lock);
}

void pfkey_dump_free(struct pfkey_sock *pk)
{
	mutex_lock(&pk->dump_lock);
	if (pk->dump) {
		dump_destroy(pk->dump);
		pk->dump = NULL;
	}
	mutex_unlock(&pk->dump_lock);
}
