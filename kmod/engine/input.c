// SPDX-License-Identifier: GPL-2.0
#include <linux/netfilter.h>
#include "input.h"

unsigned int kame_input_hook(struct net *net, struct sk_buff *skb,
			     unsigned short family)
{
	return NF_ACCEPT;
}

unsigned int kame_forward_hook(struct net *net, struct sk_buff *skb,
			       unsigned short family)
{
	return NF_ACCEPT;
}
