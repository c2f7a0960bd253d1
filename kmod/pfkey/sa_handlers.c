// SPDX-License-Identifier: GPL-2.0
/*
 * SAD messages: GETSPI, UPDATE, ADD, DELETE, GET, ACQUIRE (from user),
 * FLUSH, DUMP, and the kernel's SADB_EXPIRE. Replies and errnos follow
 * KAME (see Documentation/pfkey-conformance.md); the message has passed
 * kame_msg_parse(), so required extensions are present and well formed.
 */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/mm.h>

#include "netns.h"
#include "sad.h"
#include "pfkey_internal.h"

/* Extensions of ADD/UPDATE broadcasts: everything but keys (KAME). */
#define NOTIFY_PARTS	(PFKEY_SA_SA2 | PFKEY_SA_HARD | PFKEY_SA_SOFT | \
			 PFKEY_SA_IDENT | PFKEY_SA_NATT)

static void msg_addrs(const struct kame_msg *m, u16 *family,
		      xfrm_address_t *saddr, xfrm_address_t *daddr)
{
	const struct sockaddr *sa;

	sa = kame_msg_addr(m, SADB_EXT_ADDRESS_SRC, family);
	pfkey_sockaddr_get(sa, *family, saddr, NULL);
	sa = kame_msg_addr(m, SADB_EXT_ADDRESS_DST, family);
	pfkey_sockaddr_get(sa, *family, daddr, NULL);
}

/* Try SPIs in [min, max] until one is free; KAME: exhaustion is EINVAL. */
static int insert_new_spi(struct kame_net *kn, struct kame_sa *sa, u32 min,
			  u32 max)
{
	u32 tries = max_t(int, READ_ONCE(kn->key.spi_trycnt), 1);
	u64 count = (u64)max - min + 1;
	u64 i, start;
	int err;

	if (count <= tries) {
		/* Small range: every value once, from a random start. */
		start = get_random_u32() % count;
		for (i = 0; i < count; i++) {
			u32 spi = min + (u32)((start + i) % count);

			if (!spi)
				continue;
			sa->spi = htonl(spi);
			err = kame_sad_insert(kn, sa);
			if (err != -EEXIST)
				return err;
		}
		return -EINVAL;
	}
	while (tries--) {
		u32 spi = min + (u32)(get_random_u64() % count);

		if (!spi)
			continue;
		sa->spi = htonl(spi);
		err = kame_sad_insert(kn, sa);
		if (err != -EEXIST)
			return err;
	}
	return -EINVAL;
}

int pfkey_getspi(struct pfkey_req *r)
{
	const struct sadb_spirange *range = kame_msg_spirange(r->m);
	struct kame_net *kn = r->kn;
	struct kame_sa *sa;
	u32 min, max;
	int err;

	if (range) {
		min = range->sadb_spirange_min;
		max = range->sadb_spirange_max;
	} else {
		min = READ_ONCE(kn->key.spi_minval);
		max = READ_ONCE(kn->key.spi_maxval);
	}
	if (r->hdr->sadb_msg_satype == SADB_X_SATYPE_IPCOMP) {
		/* 16-bit CPIs. */
		min = min_t(u32, min, 0xffff);
		max = min_t(u32, max, 0xffff);
	}
	if (min > max)
		return -EINVAL;

	sa = kame_sa_alloc(kn, KAME_GFP_USER);
	if (!sa)
		return -ENOMEM;
	err = pfkey_sa_from_msg(r, sa, false);
	if (err)
		goto err_free;
	sa->state = SADB_SASTATE_LARVAL;
	kame_sa_hold(sa);	/* ours, for the reply; the first is the SAD's */
	err = insert_new_spi(kn, sa, min, max);
	if (err) {
		refcount_dec(&sa->refcnt);
		goto err_free;
	}
	pfkey_reply(r, pfkey_sa_msg(sa, SADB_GETSPI, r->hdr->sadb_msg_seq,
				    r->hdr->sadb_msg_pid, PFKEY_SA_SPI_ONLY,
				    GFP_KERNEL));
	kame_sa_put(sa);
	return 0;

err_free:
	kame_sa_free_unpublished(sa);
	return err;
}

/* The SA named by SA + ADDRESS_SRC/DST (any state), referenced. */
static struct kame_sa *find_named(struct pfkey_req *r)
{
	const struct sadb_sa *e = kame_msg_sa(r->m);
	xfrm_address_t saddr, daddr;
	struct kame_sa *sa;
	u16 family;

	msg_addrs(r->m, &family, &saddr, &daddr);
	sa = kame_sad_find_spi(r->kn, family, &daddr, e->sadb_sa_spi,
			       kame_satype_to_proto(r->hdr->sadb_msg_satype));
	if (sa && (memcmp(&sa->saddr, &saddr, sizeof(saddr)) ||
		   READ_ONCE(sa->state) == SADB_SASTATE_DEAD)) {
		kame_sa_put(sa);
		sa = NULL;
	}
	return sa;
}

int pfkey_update(struct pfkey_req *r)
{
	struct kame_sa *old, *new;
	u64 last;
	int err;

	old = find_named(r);
	if (!old)
		return -ENOENT;
	/* KAME: only the process that did GETSPI may UPDATE the SA. */
	if (old->pid != r->hdr->sadb_msg_pid) {
		err = -EINVAL;
		goto out_old;
	}
	new = kame_sa_alloc(r->kn, KAME_GFP_USER);
	if (!new) {
		err = -ENOMEM;
		goto out_old;
	}
	err = pfkey_sa_from_msg(r, new, true);
	if (err)
		goto err_new;
	new->state = SADB_SASTATE_MATURE;
	if (!new->seq)
		new->seq = old->seq;
	/*
	 * A mature SA being updated (same SPI, maybe the same key) hands its
	 * sequence counter over: a restart at 1 would send numbers (IVs, for
	 * seqiv ciphers) it already sent.
	 */
	last = kame_sa_seq_retire(old);
	new->seq_out_start = max_t(u64, new->seq_out_start,
				   min_t(u64, last, U32_MAX));
	kame_sa_hold(new);
	err = kame_sad_replace(r->kn, old, new);
	if (err) {
		kame_sa_seq_restore(old, last);
		refcount_dec(&new->refcnt);
		goto err_new;
	}
	pfkey_notify(r, pfkey_sa_msg(new, SADB_UPDATE, r->hdr->sadb_msg_seq,
				     r->hdr->sadb_msg_pid, NOTIFY_PARTS, GFP_KERNEL),
		     PFKEY_ALL);
	kame_sa_put(new);
	kame_sa_put(old);
	return 0;

err_new:
	kame_sa_free_unpublished(new);
out_old:
	kame_sa_put(old);
	return err;
}

int pfkey_add(struct pfkey_req *r)
{
	struct kame_sa *sa;
	int err;

	sa = kame_sa_alloc(r->kn, KAME_GFP_USER);
	if (!sa)
		return -ENOMEM;
	err = pfkey_sa_from_msg(r, sa, true);
	if (err)
		goto err_free;
	sa->state = SADB_SASTATE_MATURE;
	kame_sa_hold(sa);
	err = kame_sad_insert(r->kn, sa);
	if (err) {
		refcount_dec(&sa->refcnt);
		goto err_free;
	}
	pfkey_notify(r, pfkey_sa_msg(sa, SADB_ADD, r->hdr->sadb_msg_seq,
				     r->hdr->sadb_msg_pid, NOTIFY_PARTS, GFP_KERNEL),
		     PFKEY_ALL);
	kame_sa_put(sa);
	return 0;

err_free:
	kame_sa_free_unpublished(sa);
	return err;
}

/* <base, ADDRESS_SRC, ADDRESS_DST> of the request (delete-all reply). */
static struct sk_buff *addr_only_msg(struct pfkey_req *r)
{
	const struct sadb_ext *src = r->m->ext[SADB_EXT_ADDRESS_SRC];
	const struct sadb_ext *dst = r->m->ext[SADB_EXT_ADDRESS_DST];
	size_t ls = src->sadb_ext_len * 8, ld = dst->sadb_ext_len * 8;
	struct sk_buff *skb;

	skb = pfkey_msg_new(sizeof(struct sadb_msg) + ls + ld, r->hdr->sadb_msg_type,
			    r->hdr->sadb_msg_satype, r->hdr->sadb_msg_seq,
			    r->hdr->sadb_msg_pid, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_put_data(skb, src, ls);
	skb_put_data(skb, dst, ld);
	return skb;
}

/* KAME: DELETE without an SA extension deletes every non-larval SA. */
static int delete_all(struct pfkey_req *r)
{
	xfrm_address_t saddr, daddr;
	struct kame_sa **v;
	u16 family;
	int i, n;

	msg_addrs(r->m, &family, &saddr, &daddr);
	n = kame_sad_collect_pair(r->kn, family, &saddr, &daddr,
				  kame_satype_to_proto(r->hdr->sadb_msg_satype),
				  &v);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (READ_ONCE(v[i]->state) != SADB_SASTATE_LARVAL)
			kame_sad_unlink(r->kn, v[i]);
		kame_sa_put(v[i]);
	}
	kvfree(v);
	pfkey_notify(r, addr_only_msg(r), PFKEY_ALL);
	return 0;
}

int pfkey_delete(struct pfkey_req *r)
{
	struct kame_sa *sa;

	if (!kame_msg_sa(r->m))
		return delete_all(r);
	sa = find_named(r);
	if (!sa)
		return -ENOENT;
	kame_sad_unlink(r->kn, sa);
	pfkey_notify(r, pfkey_sa_msg(sa, SADB_DELETE, r->hdr->sadb_msg_seq,
				     r->hdr->sadb_msg_pid, 0, GFP_KERNEL),
		     PFKEY_ALL);
	kame_sa_put(sa);
	return 0;
}

int pfkey_get(struct pfkey_req *r)
{
	struct kame_sa *sa = find_named(r);
	struct sk_buff *skb;

	if (!sa)
		return -ENOENT;
	skb = pfkey_sa_msg(sa, SADB_GET, r->hdr->sadb_msg_seq,
			   r->hdr->sadb_msg_pid, PFKEY_SA_FULL, GFP_KERNEL);
	if (skb)
		pfkey_msg_set_refcnt(skb, refcount_read(&sa->refcnt));
	pfkey_reply(r, skb);
	kame_sa_put(sa);
	return 0;
}

/*
 * From user, two forms. Base header only with sadb_msg_errno set: the key
 * daemon failed to negotiate for acquire seq; the larval SA that held the
 * request goes, so the next packet asks again. With ADDRESS_SRC/DST and
 * PROPOSAL: KAME passes the request on to the registered sockets (EEXIST
 * if SAs between the addresses exist).
 */
int pfkey_acquire(struct pfkey_req *r)
{
	xfrm_address_t saddr, daddr;
	struct kame_sa *sa, **v;
	struct sk_buff *skb;
	u16 family;
	int i, n;

	if (!r->m->present) {
		if (!r->hdr->sadb_msg_errno)
			return -EINVAL;
		kame_acquire_reset(r->kn, r->hdr->sadb_msg_seq);
		sa = kame_sad_find_larval_seq(r->kn, r->hdr->sadb_msg_seq);
		if (sa) {
			kame_sad_unlink(r->kn, sa);
			kame_sa_put(sa);
		}
		return 0;
	}
	msg_addrs(r->m, &family, &saddr, &daddr);
	n = kame_sad_collect_pair(r->kn, family, &saddr, &daddr,
				  kame_satype_to_proto(r->hdr->sadb_msg_satype),
				  &v);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		kame_sa_put(v[i]);
	kvfree(v);
	if (n)
		return -EEXIST;
	skb = alloc_skb(r->hdr->sadb_msg_len * 8, GFP_KERNEL);
	if (!skb)
		return -ENOBUFS;
	skb_put_data(skb, r->hdr, r->hdr->sadb_msg_len * 8);
	if (pfkey_send(r->kn, skb, PFKEY_REGISTERED, r->sk))
		r->send_err = -ENOBUFS;
	return 0;
}

int pfkey_flush(struct pfkey_req *r)
{
	kame_sad_flush(r->kn, kame_satype_to_proto(r->hdr->sadb_msg_satype));
	pfkey_notify(r, pfkey_msg_new(sizeof(struct sadb_msg), SADB_FLUSH,
				      r->hdr->sadb_msg_satype, r->hdr->sadb_msg_seq,
				      r->hdr->sadb_msg_pid, GFP_KERNEL),
		     PFKEY_ALL);
	return 0;
}

/* A dump names each SA by its (daddr, spi, proto): no reference held. */
static struct sk_buff *dump_sa_build(struct pfkey_dump *d, const void *h,
				     u32 seq)
{
	const struct kame_sa_spikey *k = h;
	struct kame_sa *sa;
	struct sk_buff *skb;

	sa = kame_sad_find_spi(d->kn, k->family, &k->daddr, k->spi, k->proto);
	if (!sa)
		return NULL;
	if (READ_ONCE(sa->state) == SADB_SASTATE_DEAD) {
		kame_sa_put(sa);
		return NULL;
	}
	skb = pfkey_sa_msg(sa, SADB_DUMP, seq, d->pid, PFKEY_SA_FULL,
			   GFP_KERNEL);
	if (skb)
		pfkey_msg_set_refcnt(skb, refcount_read(&sa->refcnt));
	kame_sa_put(sa);
	return skb ?: ERR_PTR(-ENOBUFS);
}

/* Linux's SADB_X_EXT_FILTER: only SAs within the given prefixes. */
static bool filtered_out(const struct sadb_x_filter *f, const struct kame_sa *sa)
{
	xfrm_address_t fs, fd;

	if (!f)
		return false;
	/* The filter's addresses are __u32[4] in network order. */
	memcpy(&fs, f->sadb_x_filter_saddr, sizeof(fs));
	memcpy(&fd, f->sadb_x_filter_daddr, sizeof(fd));
	return sa->family != f->sadb_x_filter_family ||
	       !kame_addr_prefix_eq(&sa->saddr, &fs, sa->family,
				    f->sadb_x_filter_splen) ||
	       !kame_addr_prefix_eq(&sa->daddr, &fd, sa->family,
				    f->sadb_x_filter_dplen);
}

int pfkey_dump(struct pfkey_req *r)
{
	const struct sadb_x_filter *f =
		(const void *)r->m->ext[SADB_X_EXT_FILTER];
	struct kame_sa_spikey *keys = NULL;
	struct pfkey_dump *d;
	struct kame_sa **v;
	int i, j, n;

	n = kame_sad_snapshot(r->kn,
			      kame_satype_to_proto(r->hdr->sadb_msg_satype), &v);
	if (n <= 0)
		return n ?: -ENOENT;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (d)
		keys = kvmalloc_array(n, sizeof(*keys), GFP_KERNEL_ACCOUNT);
	/* Keep the names only: the references go now. */
	for (i = j = 0; i < n; i++) {
		if (keys && !filtered_out(f, v[i]))
			keys[j++] = v[i]->spikey;
		kame_sa_put(v[i]);
	}
	kvfree(v);
	if (!keys) {
		kfree(d);
		return -ENOMEM;
	}
	if (!j) {
		kvfree(keys);
		kfree(d);
		return -ENOENT;
	}
	d->handles = keys;
	d->hsize = sizeof(*keys);
	d->n = j;
	d->type = SADB_DUMP;
	d->satype = r->hdr->sadb_msg_satype;
	d->pid = r->hdr->sadb_msg_pid;
	d->build = dump_sa_build;
	return pfkey_dump_start(r, d);
}

void kame_pfkey_sa_expire(struct kame_sa *sa, bool hard)
{
	struct sk_buff *skb;

	skb = pfkey_sa_msg(sa, SADB_EXPIRE, sa->seq, 0,
			   PFKEY_SA_SA2 | PFKEY_SA_CUR |
			   (hard ? PFKEY_SA_HARD : PFKEY_SA_SOFT), GFP_KERNEL);
	if (skb)
		pfkey_send(sa->kn, pfkey_msg_done(skb), PFKEY_REGISTERED, NULL);
}
