/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_NATT_H
#define KAME_ENGINE_NATT_H

#include <linux/udp.h>

#include "pkt.h"

/*
 * NAT traversal: ESP in UDP (RFC 3948) for SAs with sa->natt_type set.
 * See Documentation/engine.md "NAT traversal".
 */

/* Bytes UDP encapsulation adds to every ESP packet of @sa. */
static inline unsigned int kame_natt_overhead(const struct kame_sa *sa)
{
	return sa->natt_type ? sizeof(struct udphdr) : 0;
}

/*
 * Output: the ESP header of @sa is at @hoff of the packet at skb->data, the
 * byte naming it at @nhoff. Insert the UDP header with the SA's ports in
 * front of it (checksum 0 over IPv4, computed over IPv6) and make that
 * byte name UDP. The caller fixes the IP lengths. 0 or -ENOMEM/-EMSGSIZE.
 */
int kame_natt_encap(struct sk_buff *skb, const struct kame_sa *sa,
		    unsigned short family, unsigned int hoff,
		    unsigned int nhoff);

/* What kame_natt_input() did with a UDP packet. */
enum kame_natt_verdict {
	KAME_NATT_PASS,		/* not ours: the UDP socket's (or XFRM's) */
	KAME_NATT_TAKEN,	/* consumed (keepalive) or dropped and counted */
	KAME_NATT_ESP,		/* now plain ESP at @hoff: process it */
};

/*
 * Input at LOCAL_IN, before UDP delivery: the UDP header of the packet at
 * skb->data is at @hoff, the byte naming it at @nhoff. Recognises ESP in
 * UDP for one of our NAT-T SAs (then strips the UDP header, so the packet
 * is plain ESP at @hoff, and fills @rx), keepalives and the zero non-ESP
 * marker of IKE. Any context.
 */
enum kame_natt_verdict kame_natt_input(struct net *net, struct sk_buff *skb,
				       unsigned short family,
				       unsigned int hoff, unsigned int nhoff,
				       struct kame_natt_rx *rx);

/*
 * The first SA of @p authenticated a packet that came in UDP: if it came
 * from another address or port than the SA says, tell the key daemons
 * (SADB_X_NAT_T_NEW_MAPPING, at most once a second per SA).
 */
void kame_natt_check_mapping(struct kame_pkt *p, struct kame_sa *sa);

#endif
