// SPDX-License-Identifier: GPL-2.0
/* Per-socket state set by messages: SADB_REGISTER and SADB_X_PROMISC. */
#include "netns.h"
#include "pfkey_internal.h"

/*
 * REGISTER: the socket wants ACQUIRE/EXPIRE for satype (UNSPEC: no
 * registration, just the list); the supported algorithms go to every
 * registered socket, the writer included (KAME KEY_SENDUP_REGISTERED).
 */
int pfkey_register(struct pfkey_req *r)
{
	struct pfkey_sock *pk = pfkey_sk(r->sk);
	u8 satype = r->hdr->sadb_msg_satype;
	struct sk_buff *skb;

	if (satype != SADB_SATYPE_UNSPEC &&
	    test_and_set_bit(satype, &pk->registered))
		return -EEXIST;
	skb = pfkey_supported_msg(r->hdr, GFP_KERNEL);
	if (!skb) {
		if (satype != SADB_SATYPE_UNSPEC)
			clear_bit(satype, &pk->registered);
		return -ENOBUFS;
	}
	if (pfkey_send(r->kn, pfkey_msg_done(skb), PFKEY_REGISTERED, r->sk))
		r->send_err = -ENOBUFS;
	return 0;
}

/*
 * X_PROMISC: 16 bytes sets (satype 1) or clears (0) promiscuous mode and is
 * echoed to all sockets with errno cleared; longer, the message after the
 * header is sent to all sockets as it is (KAME key_api_promisc).
 */
int pfkey_promisc(struct pfkey_req *r)
{
	const struct kame_msg *m = r->m;
	struct sk_buff *skb;

	if (!m->payload_len) {
		struct sadb_msg *hdr;

		WRITE_ONCE(pfkey_sk(r->sk)->promisc, r->hdr->sadb_msg_satype == 1);
		skb = alloc_skb(sizeof(*hdr), GFP_KERNEL);
		if (!skb)
			return -ENOBUFS;
		hdr = skb_put_data(skb, r->hdr, sizeof(*hdr));
		hdr->sadb_msg_errno = 0;
	} else {
		skb = alloc_skb(m->payload_len, GFP_KERNEL);
		if (!skb)
			return -ENOBUFS;
		skb_put_data(skb, m->payload, m->payload_len);
	}
	if (pfkey_send(r->kn, skb, PFKEY_ALL, r->sk))
		r->send_err = -ENOBUFS;
	return 0;
}
