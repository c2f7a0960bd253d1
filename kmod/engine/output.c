// SPDX-License-Identifier: GPL-2.0
#include <linux/netfilter.h>
#include "output.h"

unsigned int kame_output_hook(struct net *net, struct sk_buff *skb,
			      unsigned short family)
{
	return NF_ACCEPT;
}
