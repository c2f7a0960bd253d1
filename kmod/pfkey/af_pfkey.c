// SPDX-License-Identifier: GPL-2.0
/*
 * The PF_KEY v2 socket family: socket creation, release, and the datagram
 * plumbing between user writes and kernel replies.
 */

#include <linux/module.h>
#include <linux/net.h>
#include <linux/pfkeyv2.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <net/netns/generic.h>

#include "netns.h"
#include "km.h"
#include "af_pfkey.h"
#include "pfkey_internal.h"

static struct proto kame_pfkey_proto = {
	.name = "KAME_PFKEY",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct pfkey_sock),
};

/*
 * The socket's last moment, after the grace period that follows its release
 * (SOCK_RCU_FREE): no broadcast can reach it any more, so what one queued
 * after the release's purge goes now (wiped, pfkey/out.c).
 */
static void pfkey_sock_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
	WARN_ON_ONCE(atomic_read(&sk->sk_rmem_alloc));
}

static int pfkey_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct pfkey_net *pn;

	if (!sk)
		return 0;
	pn = pfkey_net(sock_net(sk));

	mutex_lock(&pn->sockets_lock);
	hlist_del_init_rcu(&pfkey_sk(sk)->node);
	atomic_dec(&pn->nsockets);
	mutex_unlock(&pn->sockets_lock);

	pfkey_dump_free(pfkey_sk(sk));
	sock_orphan(sk);
	sock->sk = NULL;
	/* Frees memory now; a broadcast already past the list may still queue. */
	skb_queue_purge(&sk->sk_receive_queue);
	sock_put(sk);
	return 0;
}

typedef int (*pfkey_handler)(struct pfkey_req *r);

/* Message types userland may send; NULL: EOPNOTSUPP (none left, by design). */
static const pfkey_handler handlers[SADB_MAX + 1] = {
	[SADB_GETSPI] = pfkey_getspi,
	[SADB_UPDATE] = pfkey_update,
	[SADB_ADD] = pfkey_add,
	[SADB_DELETE] = pfkey_delete,
	[SADB_GET] = pfkey_get,
	[SADB_ACQUIRE] = pfkey_acquire,
	[SADB_REGISTER] = pfkey_register,
	[SADB_FLUSH] = pfkey_flush,
	[SADB_DUMP] = pfkey_dump,
	[SADB_X_PROMISC] = pfkey_promisc,
	[SADB_X_SPDUPDATE] = pfkey_spdadd,
	[SADB_X_SPDADD] = pfkey_spdadd,
	[SADB_X_SPDDELETE] = pfkey_spddelete,
	[SADB_X_SPDGET] = pfkey_spdget,
	[SADB_X_SPDDUMP] = pfkey_spddump,
	[SADB_X_SPDFLUSH] = pfkey_spdflush,
	[SADB_X_SPDSETIDX] = pfkey_spdadd,
	[SADB_X_SPDDELETE2] = pfkey_spddelete2,
};

/*
 * Run one validated message. Returns the write()'s result: the length, or
 * -ENOBUFS when a reply owed to the writer did not fit its receive buffer
 * (KAME; the operation itself was done).
 */
static int dispatch(struct sock *sk, const void *buf, size_t len)
{
	struct kame_net *kn = kame_net(sock_net(sk));
	struct pfkey_req r = { .sk = sk, .kn = kn };
	struct kame_msg m;
	pfkey_handler h;
	int err;

	err = kame_msg_parse(buf, len, &m);
	if (err && !m.hdr)
		return err;	/* not even a framed message: write() fails */
	r.m = &m;
	r.hdr = m.hdr;
	/* Base header errors fail the write() as in Linux (no reply). */
	if (m.hdr->sadb_msg_version != PF_KEY_V2 ||
	    m.hdr->sadb_msg_type == SADB_RESERVED ||
	    m.hdr->sadb_msg_type > SADB_MAX)
		return -EINVAL;
	if (!err) {
		h = handlers[m.hdr->sadb_msg_type];
		err = h ? h(&r) : -EOPNOTSUPP;
	}
	if (err)
		return pfkey_error_reply(sk, buf, len, err) ?: (int)len;
	return r.send_err ?: (int)len;
}

static int pfkey_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct sock *sk = sock->sk;
	void *buf;
	int err;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (len < sizeof(struct sadb_msg))
		return -EINVAL;
	if (len > PFKEY_MSG_MAX)
		return -EMSGSIZE;
	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOBUFS;
	if (memcpy_from_msg(buf, msg, len))
		err = -EFAULT;
	else
		err = dispatch(sk, buf, len);
	kfree_sensitive(buf);	/* may hold keys */
	return err;
}

static int pfkey_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
			 int flags)
{
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	size_t copied;
	int err;

	if (flags & ~(MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC))
		return -EOPNOTSUPP;
	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;
	copied = min_t(size_t, skb->len, len);
	if (copied < skb->len)
		msg->msg_flags |= MSG_TRUNC;
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (!err)
		err = (flags & MSG_TRUNC) ? skb->len : copied;
	skb_free_datagram(sk, skb);
	/* Room again: a pending dump goes on. */
	pfkey_dump_continue(pfkey_sk(sk));
	return err;
}

static const struct proto_ops pfkey_ops = {
	.family = PF_KEY,
	.owner = THIS_MODULE,
	.release = pfkey_release,
	.bind = sock_no_bind,
	.connect = sock_no_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = sock_no_getname,
	.poll = datagram_poll,
	.ioctl = sock_no_ioctl,
	.listen = sock_no_listen,
	.shutdown = sock_no_shutdown,
	.mmap = sock_no_mmap,
	.sendmsg = pfkey_sendmsg,
	.recvmsg = pfkey_recvmsg,
};

static int pfkey_create(struct net *net, struct socket *sock, int protocol,
			int kern)
{
	struct pfkey_net *pn = pfkey_net(net);
	struct pfkey_sock *pk;
	struct sock *sk;

	if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (sock->type != SOCK_RAW)
		return -ESOCKTNOSUPPORT;
	if (protocol != PF_KEY_V2)
		return -EPROTONOSUPPORT;

	sk = sk_alloc(net, PF_KEY, GFP_KERNEL, &kame_pfkey_proto, kern);
	if (!sk)
		return -ENOMEM;
	sock->ops = &pfkey_ops;
	sock_init_data(sock, sk);
	sk->sk_family = PF_KEY;
	/* Broadcasts walk the socket list under RCU: free after a grace period. */
	sock_set_flag(sk, SOCK_RCU_FREE);
	sk->sk_destruct = pfkey_sock_destruct;

	pk = pfkey_sk(sk);
	pk->registered = 0;
	pk->promisc = false;
	pk->dump = NULL;
	mutex_init(&pk->dump_lock);
	mutex_lock(&pn->sockets_lock);
	hlist_add_head_rcu(&pk->node, &pn->sockets);
	atomic_inc(&pn->nsockets);
	mutex_unlock(&pn->sockets_lock);
	return 0;
}

static const struct net_proto_family pfkey_family = {
	.family = PF_KEY,
	.create = pfkey_create,
	.owner = THIS_MODULE,
};

static unsigned int pfkey_net_id __read_mostly;

struct pfkey_net *pfkey_net(const struct net *net)
{
	return net_generic(net, pfkey_net_id);
}

static int __net_init pfkey_net_init(struct net *net)
{
	struct pfkey_net *pn = pfkey_net(net);

	INIT_HLIST_HEAD(&pn->sockets);
	mutex_init(&pn->sockets_lock);
	atomic_set(&pn->nsockets, 0);
	atomic_set(&pn->dumps, 0);
	atomic_set(&pn->queued, 0);
	return pfkey_proc_net_init(net);
}

static void __net_exit pfkey_net_exit(struct net *net)
{
	/* Sockets hold a reference on their netns: none can be left. */
	WARN_ON(!hlist_empty(&pfkey_net(net)->sockets));
	pfkey_proc_net_exit(net);
}

static struct pernet_operations pfkey_net_ops = {
	.init = pfkey_net_init,
	.exit = pfkey_net_exit,
	.id = &pfkey_net_id,
	.size = sizeof(struct pfkey_net),
};

/* The core's events, as PF_KEY messages to registered sockets. */
static struct kame_km pfkey_km = {
	.name = "pfkey",
	.sa_expired = kame_pfkey_sa_expire,
	.sp_expired = kame_pfkey_sp_expire,
	.acquire = pfkey_km_acquire,
	.new_mapping = pfkey_km_new_mapping,
};

/*
 * Per-netns state first, then the key manager (events of the core reach
 * sockets as soon as there are any), the socket family last (no user
 * before all is ready); kame_pfkey_exit() is the mirror order.
 */
int kame_pfkey_init(void)
{
	int err;

	err = register_pernet_subsys(&pfkey_net_ops);
	if (err)
		return err;
	kame_km_register(&pfkey_km);
	err = proto_register(&kame_pfkey_proto, 0);
	if (err)
		goto err_proto;
	err = sock_register(&pfkey_family);
	if (err) {
		if (err == -EEXIST)
			pr_err("PF_KEY is already served by another module (af_key?): unload it first\n");
		goto err_sock;
	}
	return 0;

err_sock:
	proto_unregister(&kame_pfkey_proto);
err_proto:
	kame_km_unregister(&pfkey_km);
	unregister_pernet_subsys(&pfkey_net_ops);
	return err;
}

void kame_pfkey_exit(void)
{
	sock_unregister(PF_KEY);
	proto_unregister(&kame_pfkey_proto);
	kame_km_unregister(&pfkey_km);	/* no event reaches us after this */
	unregister_pernet_subsys(&pfkey_net_ops);
}
