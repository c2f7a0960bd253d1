/* SPDX-License-Identifier: GPL-2.0 */
/* What the rest of the module calls in the PF_KEY layer. */
#ifndef KAME_AF_PFKEY_H
#define KAME_AF_PFKEY_H

#include <linux/types.h>
#include <linux/xfrm.h>

struct kame_net;
struct kame_sa;
struct kame_policy;
struct kame_sp_req;

int kame_pfkey_init(void);
void kame_pfkey_exit(void);
int kame_pfkey_net_init(struct kame_net *kn);
void kame_pfkey_net_exit(struct kame_net *kn);

/* SADB_EXPIRE (soft or hard) for @sa to registered sockets. Process context. */
void kame_pfkey_sa_expire(struct kame_sa *sa, bool hard);
/* SADB_X_SPDEXPIRE for @pol (already out of the SPD) to registered sockets. */
void kame_pfkey_sp_expire(struct kame_net *kn, struct kame_policy *pol);

/*
 * SADB_ACQUIRE to registered sockets: no SA for request @r of policy @pol
 * (may be NULL) from @src to @dst. KAME's suppression applies (one message
 * per blockacq_count + 1 requests of a flow, for blockacq_lifetime s).
 * Returns the acquire sequence number GETSPI will carry, or 0 when this
 * request was suppressed. Any context.
 */
u32 kame_pfkey_acquire(struct kame_net *kn, const struct kame_policy *pol,
		       const struct kame_sp_req *r, u16 family,
		       const xfrm_address_t *src, const xfrm_address_t *dst);
/* The key daemon gave up on acquire @seq: forget its suppression block. */
void kame_pfkey_acquire_reset(struct kame_net *kn, u32 seq);
void kame_pfkey_acquire_net_exit(struct kame_net *kn);

/*
 * SADB_X_NAT_T_NEW_MAPPING to registered sockets: an authenticated packet
 * of NAT-T SA @sa came from @addr, UDP port @port (network order) instead
 * of the SA's source and natt_sport. Linux af_key's layout: SA (SPI),
 * ADDRESS_SRC + NAT_T_SPORT the SA's (old), ADDRESS_DST + NAT_T_DPORT the
 * new ones. Any context; the caller rate-limits.
 */
void kame_pfkey_new_mapping(struct kame_sa *sa, const xfrm_address_t *addr,
			    __be16 port);

#endif
