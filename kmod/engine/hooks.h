/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_HOOKS_H
#define KAME_ENGINE_HOOKS_H

struct net;
struct sk_buff;

int kame_hooks_net_init(struct net *net);
void kame_hooks_net_exit(struct net *net);

/*
 * Before the engine steals a packet at the last hook position, confirm its
 * conntrack entry the way the conntrack confirm hook (which would run after
 * us) would have; NF_ACCEPT or NF_DROP.
 */
unsigned int kame_ct_confirm(struct sk_buff *skb);

#endif
