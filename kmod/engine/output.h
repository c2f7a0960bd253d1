/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_OUTPUT_H
#define KAME_ENGINE_OUTPUT_H

struct net;
struct sk_buff;

/* POST_ROUTING: SPD lookup and transforms; a netfilter verdict. */
unsigned int kame_output_hook(struct net *net, struct sk_buff *skb,
			      unsigned short family);

#endif
