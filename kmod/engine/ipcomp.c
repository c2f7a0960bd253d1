// SPDX-License-Identifier: GPL-2.0
/*
 * IPComp (RFC 3173) with the crypto API's compressors ("deflate" is RFC
 * 2394's raw deflate, the one Linux XFRM uses). Every SA of one algorithm
 * shares one set of per-CPU transforms; one per-CPU scratch buffer serves
 * all of them. Both are used with bottom halves off, so nothing else on
 * this CPU touches them meanwhile.
 *
 *   | IP header | IPComp: next header, flags, CPI | compressed payload |
 *
 * The CPI is the low 16 bits of the SA's SPI (as Linux and NetBSD's
 * netipsec send it). The algorithm's name and threshold come from the
 * kernel's xfrm_algo table, so we compress exactly when XFRM would.
 */

#include <linux/module.h>
#include <linux/crypto.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/vmalloc.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/xfrm.h>
#include <linux/ipsec.h>

#include "netns.h"
#include "ipcomp.h"
#include "xform.h"

/*
 * Largest decompressed payload: what follows the IPComp header must fit,
 * with the headers in front of it, in one IP datagram (65,535 bytes).
 * Anything that inflates further is a drop (in_comp_too_big), never a
 * bigger allocation.
 */
#define SCRATCH_SIZE	65536
#define IP_MAXPACKET	65535

/* One algorithm's transforms, shared by its SAs. */
struct kame_comp_alg {
	struct list_head list;
	u8 id;				/* SADB_X_CALG_* */
	unsigned int threshold;		/* compress payloads from this size */
	unsigned int users;		/* SAs bound to it */
	struct crypto_comp * __percpu *tfms;
};

/*
 * comp_mutex: comp_algs, each algorithm's users, scratch and scratch_users.
 * Process context only (SA transform init and destroy); the packet path
 * reads an SA's algorithm and the scratch buffers without it, as they live
 * as long as the SA that uses them.
 */
static DEFINE_MUTEX(comp_mutex);
static LIST_HEAD(comp_algs);
static u8 * __percpu *scratch;
static unsigned int scratch_users;
/* IPComp SAs in every netns: gates the IP-in-IP lookup on input. */
static atomic_t comp_sas = ATOMIC_INIT(0);

/* Drop a user of the per-CPU scratch buffers; comp_mutex held. */
static void scratch_put(void)
{
	int cpu;

	lockdep_assert_held(&comp_mutex);
	if (--scratch_users)
		return;
	for_each_possible_cpu(cpu)
		vfree(*per_cpu_ptr(scratch, cpu));
	free_percpu(scratch);
	scratch = NULL;
}

/* A user of the per-CPU scratch buffers, allocated for the first; comp_mutex held. */
static int scratch_get(void)
{
	int cpu;

	lockdep_assert_held(&comp_mutex);
	if (scratch_users++)
		return 0;
	scratch = alloc_percpu(u8 *);
	if (!scratch)
		goto err;
	for_each_possible_cpu(cpu) {
		u8 *buf = vmalloc_node(SCRATCH_SIZE, cpu_to_node(cpu));

		if (!buf)
			goto err;
		*per_cpu_ptr(scratch, cpu) = buf;
	}
	return 0;
err:
	if (scratch)
		scratch_put();
	else
		scratch_users = 0;
	return -ENOMEM;
}

static void alg_free(struct kame_comp_alg *alg)
{
	int cpu;

	if (alg->tfms) {
		for_each_possible_cpu(cpu) {
			struct crypto_comp *tfm = *per_cpu_ptr(alg->tfms, cpu);

			if (!IS_ERR_OR_NULL(tfm))
				crypto_free_comp(tfm);
		}
		free_percpu(alg->tfms);
	}
	kfree(alg);
}

/* The algorithm's crypto API name and threshold, from xfrm_algo. */
static int alg_lookup(u8 id, char *name, size_t size, unsigned int *threshold)
{
	typeof(&xfrm_calg_get_byid) byid = symbol_request(xfrm_calg_get_byid);
	struct xfrm_algo_desc *d;
	int err = -ENOSYS;

	if (!byid)
		return -ENOSYS;
	d = byid(id);
	if (d && d->pfkey_supported) {
		strscpy(name, d->name, size);
		*threshold = d->uinfo.comp.threshold;
		err = 0;
	}
	symbol_put(xfrm_calg_get_byid);
	return err;
}

static struct kame_comp_alg *alg_get(u8 id)
{
	char name[CRYPTO_MAX_ALG_NAME];
	struct kame_comp_alg *alg;
	unsigned int threshold;
	int cpu, err;

	lockdep_assert_held(&comp_mutex);
	list_for_each_entry(alg, &comp_algs, list) {
		if (alg->id == id) {
			alg->users++;
			return alg;
		}
	}
	err = alg_lookup(id, name, sizeof(name), &threshold);
	if (err)
		return ERR_PTR(err);
	alg = kzalloc(sizeof(*alg), GFP_KERNEL);
	if (!alg)
		return ERR_PTR(-ENOMEM);
	alg->id = id;
	alg->threshold = threshold;
	alg->users = 1;
	alg->tfms = alloc_percpu(struct crypto_comp *);
	if (!alg->tfms) {
		alg_free(alg);
		return ERR_PTR(-ENOMEM);
	}
	for_each_possible_cpu(cpu) {
		struct crypto_comp *tfm = crypto_alloc_comp(name, 0, 0);

		*per_cpu_ptr(alg->tfms, cpu) = tfm;
		if (IS_ERR(tfm)) {
			err = PTR_ERR(tfm);
			alg_free(alg);
			return ERR_PTR(err == -ENOENT ? -ENOSYS : err);
		}
	}
	list_add(&alg->list, &comp_algs);
	return alg;
}

int kame_ipcomp_init(struct kame_sa *sa, struct kame_xform *xf)
{
	struct kame_comp_alg *alg;
	int err;

	mutex_lock(&comp_mutex);
	err = scratch_get();
	if (err)
		goto out;
	alg = alg_get(sa->enc_alg);
	if (IS_ERR(alg)) {
		err = PTR_ERR(alg);
		scratch_put();
		goto out;
	}
	xf->comp = alg;
	atomic_inc(&comp_sas);
out:
	mutex_unlock(&comp_mutex);
	return err;
}

void kame_ipcomp_free(struct kame_xform *xf)
{
	struct kame_comp_alg *alg = xf->comp;

	if (!alg)
		return;
	mutex_lock(&comp_mutex);
	atomic_dec(&comp_sas);
	if (!--alg->users) {
		list_del(&alg->list);
		alg_free(alg);
	}
	scratch_put();
	mutex_unlock(&comp_mutex);
	xf->comp = NULL;
}

static void count(struct kame_pkt *p, enum kame_comp_stat s, u64 n)
{
	kame_comp_stat_add(p->net, p->orig_family, s, n);
}

/*
 * The byte naming the header at @hoff: the IPv4 protocol field, or the
 * IPv6 next-header field before it (the walk stops at IPComp, which is not
 * an extension header it knows, so it finds the byte the caller set).
 */
static u8 *naming_byte(struct sk_buff *skb, unsigned short family,
		       unsigned int hoff)
{
	u8 *prev;

	if (family == AF_INET)
		return &ip_hdr(skb)->protocol;
	if (ip6_find_1stfragopt(skb, &prev) != hoff)
		return NULL;
	return prev;
}

/* Compress in place; false if not worth it (the skb is then unchanged). */
static bool compress(struct sk_buff *skb, struct kame_comp_alg *alg,
		     unsigned int hoff, unsigned int *dlen)
{
	unsigned int plen = skb->len - hoff;
	struct ip_comp_hdr *ch;
	bool ok = false;
	u8 *buf;

	/* Must save more than the header it adds (RFC 3173 2.2). */
	*dlen = min_t(unsigned int, plen - sizeof(*ch) - 1, SCRATCH_SIZE);
	local_bh_disable();
	buf = *this_cpu_ptr(scratch);
	if (!crypto_comp_compress(*this_cpu_ptr(alg->tfms), skb->data + hoff,
				  plen, buf, dlen) &&
	    *dlen + sizeof(*ch) < plen) {
		memcpy(skb->data + hoff + sizeof(*ch), buf, *dlen);
		ok = true;
	}
	local_bh_enable();
	return ok;
}

int kame_ipcomp_output(struct sk_buff *skb, struct kame_pkt *p,
		       struct kame_sa *sa, unsigned int hoff, u8 nexthdr)
{
	struct kame_comp_alg *alg = kame_xf(sa)->comp;
	unsigned int plen = skb->len - hoff, dlen;
	struct ip_comp_hdr *ch;
	u8 *name;

	if (plen < alg->threshold || plen <= sizeof(*ch) + 1) {
		count(p, KAME_COMP_THRESHOLD, 1);
		goto plain;
	}
	if (skb_linearize_cow(skb))
		return -ENOMEM;
	if (!compress(skb, alg, hoff, &dlen)) {
		count(p, KAME_COMP_UNCOMPR, 1);
		goto plain;
	}
	ch = (struct ip_comp_hdr *)(skb->data + hoff);
	ch->nexthdr = nexthdr;
	ch->flags = 0;
	ch->cpi = htons(ntohl(sa->spi) & 0xffff);
	if (pskb_trim(skb, hoff + sizeof(*ch) + dlen))
		return -ENOMEM;
	count(p, KAME_COMP_OUTPUT, 1);
	count(p, KAME_COMP_OBYTES_RAW, plen);
	count(p, KAME_COMP_OBYTES, sizeof(*ch) + dlen);
	kame_hist_inc(p->net, p->orig_family, KAME_HIST_OUT_COMP, sa->enc_alg);
	return 0;
plain:
	/* RFC 3173 2.2: send it uncompressed, without an IPComp header. */
	name = naming_byte(skb, p->family, hoff);
	if (!name)
		return -EINVAL;
	*name = nexthdr;
	return 0;
}

bool kame_ipcomp_read_cpi(struct sk_buff *skb, unsigned int hoff, __be32 *spi)
{
	struct ip_comp_hdr _ch, *ch;

	ch = skb_header_pointer(skb, hoff, sizeof(_ch), &_ch);
	if (!ch)
		return false;
	*spi = htonl(ntohs(ch->cpi));
	return true;
}

/*
 * Inflate @slen bytes at @src into this CPU's scratch, at most @limit
 * bytes. The compressor reports a full output buffer and bad data alike
 * (-EINVAL); a guard byte at the limit tells them apart.
 */
static int decompress(struct kame_comp_alg *alg, const u8 *src,
		      unsigned int slen, u8 *buf, unsigned int limit,
		      unsigned int *dlen)
{
	const u8 guard = 0xa5;
	int err;

	buf[limit - 1] = guard;
	*dlen = limit;
	err = crypto_comp_decompress(*this_cpu_ptr(alg->tfms), src, slen,
				     buf, dlen);
	if (err == -EINVAL && buf[limit - 1] != guard)
		return -E2BIG;
	return err ? -EINVAL : 0;
}

int kame_ipcomp_input(struct sk_buff *skb, struct kame_pkt *p,
		      struct kame_sa *sa, unsigned int hoff)
{
	struct kame_comp_alg *alg = kame_xf(sa)->comp;
	unsigned int hlen = sizeof(struct ip_comp_hdr);
	unsigned int clen, dlen, limit;
	int nexthdr, err;
	u8 *buf;

	if (skb->len < hoff + hlen + 1 || hoff + hlen >= IP_MAXPACKET)
		return -EMSGSIZE;
	if (skb_linearize_cow(skb))
		return -ENOMEM;
	clen = skb->len - hoff - hlen;
	limit = min_t(unsigned int, SCRATCH_SIZE, IP_MAXPACKET - hoff);
	nexthdr = ((struct ip_comp_hdr *)(skb->data + hoff))->nexthdr;

	local_bh_disable();
	buf = *this_cpu_ptr(scratch);
	err = decompress(alg, skb->data + hoff + hlen, clen, buf, limit, &dlen);
	if (!err && dlen > clen + hlen &&
	    pskb_expand_head(skb, 0, max_t(int, 0, dlen - clen - hlen -
					  skb_tailroom(skb)), GFP_ATOMIC))
		err = -ENOMEM;
	if (!err) {
		/* The payload replaces header and compressed data. */
		if (dlen > clen + hlen)
			__skb_put(skb, dlen - clen - hlen);
		else
			__skb_trim(skb, hoff + dlen);
		memcpy(skb->data + hoff, buf, dlen);
	}
	local_bh_enable();
	if (err)
		return err;

	skb_reset_network_header(skb);
	skb_set_transport_header(skb, hoff);
	count(p, KAME_COMP_INPUT, 1);
	count(p, KAME_COMP_IBYTES, clen + hlen);
	count(p, KAME_COMP_IBYTES_RAW, dlen);
	kame_hist_inc(p->net, p->orig_family, KAME_HIST_IN_COMP, sa->enc_alg);
	return nexthdr;
}

enum kame_drop kame_ipcomp_drop_reason(int err)
{
	switch (err) {
	case -EMSGSIZE:
		return KAME_DROP_IN_TRUNCATED;
	case -E2BIG:
		return KAME_DROP_IN_COMP_TOO_BIG;
	case -ENOMEM:
		return KAME_DROP_IN_NOMEM;
	default:
		return KAME_DROP_IN_COMP_BAD;
	}
}

struct kame_sa *kame_ipcomp_ipip_sa(struct kame_net *kn, struct sk_buff *skb,
				    unsigned short family)
{
	xfrm_address_t src = {}, dst = {};
	struct kame_sa *sa;

	if (!atomic_read(&comp_sas))
		return NULL;
	if (family == AF_INET) {
		src.a4 = ip_hdr(skb)->saddr;
		dst.a4 = ip_hdr(skb)->daddr;
	} else {
		src.in6 = ipv6_hdr(skb)->saddr;
		dst.in6 = ipv6_hdr(skb)->daddr;
	}
	rcu_read_lock();
	sa = kame_sa_lookup_out(kn, family, &src, &dst, IPPROTO_COMP,
				IPSEC_MODE_TUNNEL, 0);
	rcu_read_unlock();
	return sa;
}

void kame_ipcomp_ipip_accepted(struct kame_pkt *p)
{
	count(p, KAME_COMP_IN_UNCOMPR, 1);
}
