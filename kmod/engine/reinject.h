/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_REINJECT_H
#define KAME_ENGINE_REINJECT_H

#include "pkt.h"

/*
 * Re-injection (reinject.c). The end of a decapsulated packet: the inbound
 * policy check with the SAs of @p, then received again on its device as
 * checked; @p is freed, a refused or too deeply nested packet dropped and
 * counted.
 */
void kame_in_reinject(struct sk_buff *skb, struct kame_pkt *p);

/*
 * Receive @skb again on its device now (see reinject.c); @checked: it
 * passed the policy check (counted in_success). False past the nesting
 * limit: the caller drops it.
 */
bool kame_receive_again(struct sk_buff *skb, bool checked, struct net *net,
			unsigned short family);

/* Is @skb, at our LOCAL_IN/FORWARD hook, the checked packet being received? */
bool kame_checked_by_us(const struct sk_buff *skb, unsigned short family);

#endif
