/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_INPUT_H
#define KAME_ENGINE_INPUT_H

struct net;
struct sk_buff;

/* LOCAL_IN: ESP/AH processing and the inbound policy check. */
unsigned int kame_input_hook(struct net *net, struct sk_buff *skb,
			     unsigned short family);
/* FORWARD: the inbound policy check of forwarded packets. */
unsigned int kame_forward_hook(struct net *net, struct sk_buff *skb,
			       unsigned short family);

#endif
