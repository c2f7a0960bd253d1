// SPDX-License-Identifier: GPL-2.0
/*
 * Building PF_KEY messages into skbs. Every byte is written explicitly:
 * the buffer is zero-filled as it grows, so sockaddr padding (the 2026
 * af_key ACQUIRE leak) and reserved fields are always 0.
 */
#include <linux/in.h>
#include <linux/in6.h>

#include "sad.h"
#include "pfkey_internal.h"

#define ALIGN8(x)	ALIGN((x), 8)

struct sk_buff *pfkey_msg_new(size_t max, u8 type, u8 satype, u32 seq,
			      u32 pid, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(ALIGN8(max), gfp);
	struct sadb_msg *hdr;

	if (!skb)
		return NULL;
	hdr = skb_put_zero(skb, sizeof(*hdr));
	hdr->sadb_msg_version = PF_KEY_V2;
	hdr->sadb_msg_type = type;
	hdr->sadb_msg_satype = satype;
	hdr->sadb_msg_seq = seq;
	hdr->sadb_msg_pid = pid;
	return skb;
}

struct sadb_msg *pfkey_msg_hdr(struct sk_buff *skb)
{
	return (struct sadb_msg *)skb->data;
}

void *pfkey_put_ext(struct sk_buff *skb, u16 type, size_t len)
{
	struct sadb_ext *ext;

	len = ALIGN8(len);
	ext = skb_put_zero(skb, len);
	ext->sadb_ext_len = len / 8;
	ext->sadb_ext_type = type;
	return ext;
}

size_t pfkey_sockaddr_put(void *to, u16 family, const xfrm_address_t *addr,
			  __be16 port)
{
	if (family == AF_INET) {
		struct sockaddr_in *sin = to;

		sin->sin_family = AF_INET;
		sin->sin_port = port;
		sin->sin_addr.s_addr = addr->a4;
		return sizeof(*sin);
	}
	{
		struct sockaddr_in6 *sin6 = to;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = port;
		memcpy(&sin6->sin6_addr, addr->a6, sizeof(sin6->sin6_addr));
		return sizeof(*sin6);
	}
}

size_t pfkey_address_size(u16 family)
{
	return sizeof(struct sadb_address) +
	       ALIGN8(family == AF_INET ? sizeof(struct sockaddr_in) :
					  sizeof(struct sockaddr_in6));
}

void pfkey_put_address(struct sk_buff *skb, u16 type, u16 family,
		       const xfrm_address_t *addr, __be16 port, u8 prefixlen,
		       u8 proto)
{
	struct sadb_address *a = pfkey_put_ext(skb, type,
					       pfkey_address_size(family));

	a->sadb_address_proto = proto;
	a->sadb_address_prefixlen = prefixlen;
	pfkey_sockaddr_put(a + 1, family, addr, port);
}

void pfkey_put_lifetime(struct sk_buff *skb, u16 type,
			const struct kame_lifetime *l)
{
	struct sadb_lifetime *e = pfkey_put_ext(skb, type, sizeof(*e));

	e->sadb_lifetime_allocations = l->allocations;
	e->sadb_lifetime_bytes = l->bytes;
	e->sadb_lifetime_addtime = l->addtime;
	e->sadb_lifetime_usetime = l->usetime;
}

void pfkey_get_lifetime(const struct kame_msg *m, u16 type,
			struct kame_lifetime *l)
{
	const struct sadb_lifetime *e = kame_msg_lifetime(m, type);

	if (!e)
		return;
	l->allocations = e->sadb_lifetime_allocations;
	l->bytes = e->sadb_lifetime_bytes;
	l->addtime = e->sadb_lifetime_addtime;
	l->usetime = e->sadb_lifetime_usetime;
}

struct sk_buff *pfkey_msg_done(struct sk_buff *skb)
{
	pfkey_msg_hdr(skb)->sadb_msg_len = skb->len / 8;
	return skb;
}

void pfkey_sockaddr_get(const struct sockaddr *sa, u16 family,
			xfrm_address_t *addr, __be16 *port)
{
	memset(addr, 0, sizeof(*addr));
	if (family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;

		addr->a4 = sin->sin_addr.s_addr;
		if (port)
			*port = sin->sin_port;
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		memcpy(addr->a6, &sin6->sin6_addr, sizeof(addr->a6));
		if (port)
			*port = sin6->sin6_port;
	}
}
