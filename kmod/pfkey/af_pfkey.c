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

#include "netns.h"
#include "af_pfkey.h"

struct pfkey_sock {
	struct sock sk;		/* must be first */
	struct hlist_node node;	/* in kame_net.sockets */
};

static struct proto kame_pfkey_proto = {
	.name = "KAME_PFKEY",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct pfkey_sock),
};

static int pfkey_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct kame_net *kn;

	if (!sk)
		return 0;
	kn = kame_net(sock_net(sk));

	mutex_lock(&kn->sockets_lock);
	hlist_del_init_rcu(&((struct pfkey_sock *)sk)->node);
	atomic_dec(&kn->nsockets);
	mutex_unlock(&kn->sockets_lock);

	sock_orphan(sk);
	sock->sk = NULL;
	skb_queue_purge(&sk->sk_receive_queue);
	sock_put(sk);
	return 0;
}

/* Reply to the sender with the 16-byte base header and sadb_msg_errno set. */
static int pfkey_reply_errno(struct sock *sk, const struct sadb_msg *req,
			     int err)
{
	struct sadb_msg *hdr;
	struct sk_buff *skb;

	skb = alloc_skb(sizeof(*hdr), GFP_KERNEL);
	if (!skb)
		return -ENOBUFS;
	hdr = skb_put_zero(skb, sizeof(*hdr));
	*hdr = *req;
	hdr->sadb_msg_errno = (u8)-err;
	hdr->sadb_msg_len = sizeof(*hdr) / 8;
	skb_set_owner_r(skb, sk);
	skb_queue_tail(&sk->sk_receive_queue, skb);
	sk->sk_data_ready(sk);
	return 0;
}

static int pfkey_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct sock *sk = sock->sk;
	struct sadb_msg hdr;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (len < sizeof(hdr))
		return -EINVAL;
	if (memcpy_from_msg(&hdr, msg, sizeof(hdr)))
		return -EFAULT;
	if (hdr.sadb_msg_version != PF_KEY_V2 ||
	    hdr.sadb_msg_len * 8 != len)
		return -EINVAL;

	/* No message handlers yet: every request is refused by reply. */
	pfkey_reply_errno(sk, &hdr, -EOPNOTSUPP);
	return len;
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
	struct kame_net *kn = kame_net(net);
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

	pk = (struct pfkey_sock *)sk;
	mutex_lock(&kn->sockets_lock);
	hlist_add_head_rcu(&pk->node, &kn->sockets);
	atomic_inc(&kn->nsockets);
	mutex_unlock(&kn->sockets_lock);
	return 0;
}

static const struct net_proto_family pfkey_family = {
	.family = PF_KEY,
	.create = pfkey_create,
	.owner = THIS_MODULE,
};

int kame_pfkey_init(void)
{
	int err;

	err = proto_register(&kame_pfkey_proto, 0);
	if (err)
		return err;
	err = sock_register(&pfkey_family);
	if (err) {
		if (err == -EEXIST)
			pr_err("PF_KEY is already served by another module (af_key?): unload it first\n");
		proto_unregister(&kame_pfkey_proto);
		return err;
	}
	return 0;
}

void kame_pfkey_exit(void)
{
	sock_unregister(PF_KEY);
	proto_unregister(&kame_pfkey_proto);
}
