// SPDX-License-Identifier: GPL-2.0
/*
 * SPD messages: X_SPDADD, X_SPDUPDATE, X_SPDSETIDX, X_SPDDELETE,
 * X_SPDDELETE2, X_SPDGET, X_SPDDUMP, X_SPDFLUSH, and X_SPDEXPIRE from the
 * kernel. The message has passed kame_msg_parse(); converting it to and
 * from struct kame_policy is sp_msg.c's.
 */
#include <linux/slab.h>
#include <linux/mm.h>

#include "netns.h"
#include "spd.h"
#include "pfkey_internal.h"

/* Level unique without a manual reqid (1..0x3fff) gets an automatic one. */
static void assign_reqids(struct kame_net *kn, struct kame_policy *pol)
{
	unsigned int i;

	for (i = 0; i < pol->nreq; i++) {
		struct kame_sp_req *r = &pol->req[i];

		if (r->level == IPSEC_LEVEL_UNIQUE &&
		    (!r->reqid || r->reqid > IPSEC_MANUAL_REQID_MAX))
			r->reqid = kame_spd_new_reqid(kn);
		else if (r->level != IPSEC_LEVEL_UNIQUE)
			r->reqid = 0;
	}
}

/* X_SPDADD (EEXIST on a duplicate), X_SPDUPDATE (replaces), X_SPDSETIDX. */
int pfkey_spdadd(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;
	struct kame_policy *pol, *old = NULL;
	int err;

	pol = kame_policy_alloc(KAME_GFP_USER);
	if (!pol)
		return -ENOMEM;
	pfkey_sp_from_msg(r->m, pol);
	mutex_lock(&spd->lock);
	assign_reqids(r->kn, pol);
	err = kame_spd_insert(r->kn, pol,
			      r->hdr->sadb_msg_type == SADB_X_SPDUPDATE, &old);
	if (!err)
		kame_policy_hold(pol);
	mutex_unlock(&spd->lock);
	if (err) {
		kame_policy_free_unpublished(pol);
		return err;
	}
	/* KAME: <base, X_POLICY (id filled in), [LIFETIME_HARD], ADDRESS_SRC/DST>. */
	pfkey_notify(r, pfkey_sp_msg(pol, r->hdr->sadb_msg_type, r->hdr->sadb_msg_seq,
			       r->hdr->sadb_msg_pid, PFKEY_SP_ADDRS | PFKEY_SP_LIFETIMES,
			       GFP_KERNEL),
		     PFKEY_ALL);
	kame_policy_put(pol);
	kame_policy_put(old);
	return 0;
}

/* X_SPDDELETE: by direction and selector; KAME: not found is EINVAL. */
int pfkey_spddelete(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;
	struct kame_selector sel;
	struct kame_policy *pol;

	pfkey_sel_from_msg(r->m, &sel);
	mutex_lock(&spd->lock);
	pol = kame_spd_find_sel(r->kn, kame_msg_policy(r->m)->sadb_x_policy_dir,
				&sel);
	if (pol) {
		kame_policy_hold(pol);
		kame_spd_unlink(r->kn, pol);
	}
	mutex_unlock(&spd->lock);
	if (!pol)
		return -EINVAL;
	pfkey_notify(r, pfkey_sp_msg(pol, SADB_X_SPDDELETE, r->hdr->sadb_msg_seq,
			       r->hdr->sadb_msg_pid, PFKEY_SP_ADDRS, GFP_KERNEL),
		     PFKEY_ALL);
	kame_policy_put(pol);
	return 0;
}

/* The policy an X_SPDGET/X_SPDDELETE2 id names, referenced; lock held. */
static struct kame_policy *find_id(struct pfkey_req *r, int *err)
{
	u32 id = kame_msg_policy(r->m)->sadb_x_policy_id;
	struct kame_policy *pol;

	lockdep_assert_held(&r->kn->spd.lock);
	/* Linux ids carry the direction in the low 3 bits: in, out, fwd. */
	if ((id & 7) > 2) {
		*err = -EINVAL;
		return NULL;
	}
	pol = kame_spd_find_id(r->kn, id);
	if (pol)
		kame_policy_hold(pol);
	return pol;
}

int pfkey_spddelete2(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;
	struct kame_policy *pol;
	int err = -EINVAL;	/* KAME: unknown id is EINVAL */

	mutex_lock(&spd->lock);
	pol = find_id(r, &err);
	if (pol)
		kame_spd_unlink(r->kn, pol);
	mutex_unlock(&spd->lock);
	if (!pol)
		return err;
	pfkey_notify(r, pfkey_sp_msg(pol, SADB_X_SPDDELETE2, r->hdr->sadb_msg_seq,
			       r->hdr->sadb_msg_pid, 0, GFP_KERNEL),
		     PFKEY_ALL);
	kame_policy_put(pol);
	return 0;
}

int pfkey_spdget(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;
	struct kame_policy *pol;
	struct sk_buff *skb;
	int err = -ENOENT;

	mutex_lock(&spd->lock);
	pol = find_id(r, &err);
	mutex_unlock(&spd->lock);
	if (!pol)
		return err;
	skb = pfkey_sp_msg(pol, SADB_X_SPDGET, r->hdr->sadb_msg_seq,
		     r->hdr->sadb_msg_pid, PFKEY_SP_FULL, GFP_KERNEL);
	if (skb)
		pfkey_msg_set_refcnt(skb, refcount_read(&pol->refcnt));
	pfkey_reply(r, skb);
	kame_policy_put(pol);
	return 0;
}

/* A dump names each policy by its id: no reference held. */
static struct sk_buff *dump_sp_build(struct pfkey_dump *d, const void *h,
				     u32 seq)
{
	struct kame_spd *spd = &d->kn->spd;
	struct kame_policy *pol;
	struct sk_buff *skb;

	mutex_lock(&spd->lock);
	pol = kame_spd_find_id(d->kn, *(const u32 *)h);
	if (pol)
		kame_policy_hold(pol);
	mutex_unlock(&spd->lock);
	if (!pol)
		return NULL;
	skb = pfkey_sp_msg(pol, SADB_X_SPDDUMP, seq, d->pid, PFKEY_SP_FULL, GFP_KERNEL);
	if (skb)
		pfkey_msg_set_refcnt(skb, refcount_read(&pol->refcnt));
	kame_policy_put(pol);
	return skb ?: ERR_PTR(-ENOBUFS);
}

/* X_SPDDUMP: direction by direction (in, out, fwd), lookup order within. */
int pfkey_spddump(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;
	struct kame_policy *pol;
	struct pfkey_dump *d;
	unsigned int n = 0, dir;
	u32 *ids;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	mutex_lock(&spd->lock);
	if (!spd->count) {
		mutex_unlock(&spd->lock);
		kfree(d);
		return -ENOENT;
	}
	ids = kvmalloc_array(spd->count, sizeof(*ids), GFP_KERNEL_ACCOUNT);
	if (!ids) {
		mutex_unlock(&spd->lock);
		kfree(d);
		return -ENOMEM;
	}
	for (dir = IPSEC_DIR_INBOUND; dir <= IPSEC_DIR_FWD; dir++) {
		list_for_each_entry(pol, &spd->dir[dir], list) {
			ids[n++] = pol->id;
			cond_resched();	/* mutex: writers wait, readers do not */
		}
	}
	mutex_unlock(&spd->lock);
	d->handles = ids;
	d->hsize = sizeof(*ids);
	d->n = n;
	d->type = SADB_X_SPDDUMP;
	d->pid = r->hdr->sadb_msg_pid;
	d->build = dump_sp_build;
	return pfkey_dump_start(r, d);
}

int pfkey_spdflush(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;

	mutex_lock(&spd->lock);
	kame_spd_flush(r->kn);
	mutex_unlock(&spd->lock);
	pfkey_notify(r, pfkey_msg_new(sizeof(struct sadb_msg), SADB_X_SPDFLUSH,
				      SADB_SATYPE_UNSPEC, r->hdr->sadb_msg_seq,
				      r->hdr->sadb_msg_pid, GFP_KERNEL),
		     PFKEY_ALL);
	return 0;
}

void kame_pfkey_sp_expire(struct kame_net *kn, struct kame_policy *pol)
{
	struct sk_buff *skb = pfkey_sp_msg(pol, SADB_X_SPDEXPIRE, 0, 0, PFKEY_SP_FULL,
				     GFP_KERNEL);

	if (skb)
		pfkey_send(kn, pfkey_msg_done(skb), PFKEY_REGISTERED, NULL);
}
