/* SPDX-License-Identifier: GPL-2.0 */
/* What the rest of the module calls in the PF_KEY layer. */
#ifndef KAME_AF_PFKEY_H
#define KAME_AF_PFKEY_H

struct kame_net;
struct kame_sa;
struct kame_policy;

int kame_pfkey_init(void);
void kame_pfkey_exit(void);

/* SADB_EXPIRE (soft or hard) for @sa to registered sockets. Process context. */
void kame_pfkey_sa_expire(struct kame_sa *sa, bool hard);
/* SADB_X_SPDEXPIRE for @pol (already out of the SPD) to registered sockets. */
void kame_pfkey_sp_expire(struct kame_net *kn, struct kame_policy *pol);

#endif
