// SPDX-License-Identifier: GPL-2.0
/*
 * AH (RFC 4302) through the crypto API's asynchronous hash interface.
 * Mutable IP header fields (RFC 4302 3.3.3.1: IPv4 TOS, flags and
 * fragment offset, TTL, checksum; IPv6 traffic class, flow label, hop
 * limit) are zeroed while the ICV is computed, then restored; the original
 * header is kept in the request's scratch space meanwhile.
 */

#include <linux/skbuff.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <crypto/hash.h>
#include <crypto/algapi.h>
#include <net/ah.h>

#include "ah.h"
#include "xform.h"
#include "engine.h"
#include "netns.h"

#define AH_HDR_LEN	12	/* nexthdr, len, reserved, SPI, seq */

struct ah_tmp {
	struct sk_buff *skb;
	kame_resume_t resume;
	unsigned short family;
	unsigned int hoff, icvlen;
	bool input;
	u8 hdr[AH_MAX_NET_HDR];	/* the headers in front of AH as they were */
	u8 icv_rx[64];		/* input: the ICV received */
	/* then: digest output, request, scatterlist */
};

/*
 * The whole header is a multiple of 4 (IPv4) or 8 (IPv6) bytes, with no more
 * padding than that (RFC 4302 2.6). Linux's ah4 pads IPv4 to 8 bytes too and
 * accepts nothing else: net.inet.ipsec.ah_pad8 = 1 sends what it expects (it
 * only matters for ICVs of 16, 24 or 32 bytes). Input takes either.
 */
static unsigned int ah_len(unsigned int icvlen, unsigned short family,
			   bool pad8)
{
	return ALIGN(AH_HDR_LEN + icvlen, family == AF_INET && !pad8 ? 4 : 8);
}

unsigned int kame_ah_overhead(struct kame_sa *sa, unsigned short family)
{
	bool pad8 = family == AF_INET && READ_ONCE(sa->kn->ipsec4.ah_pad8);

	return ah_len(kame_xf(sa)->icvlen, family, pad8);
}

static struct ah_tmp *tmp_alloc(struct crypto_ahash *ahash, int nfrags,
				u8 **digest, struct ahash_request **req,
				struct scatterlist **sg)
{
	unsigned int len = sizeof(struct ah_tmp);
	struct ah_tmp *tmp;

	len += crypto_ahash_digestsize(ahash) + crypto_ahash_alignmask(ahash);
	len = ALIGN(len, crypto_tfm_ctx_alignment());
	len += sizeof(struct ahash_request) + crypto_ahash_reqsize(ahash);
	len = ALIGN(len, __alignof__(struct scatterlist));
	len += sizeof(struct scatterlist) * nfrags;
	tmp = kmalloc(len, GFP_ATOMIC);
	if (!tmp)
		return NULL;
	*digest = PTR_ALIGN((u8 *)(tmp + 1), crypto_ahash_alignmask(ahash) + 1);
	*req = (void *)PTR_ALIGN(*digest + crypto_ahash_digestsize(ahash),
				 crypto_tfm_ctx_alignment());
	*sg = (void *)PTR_ALIGN((u8 *)(*req + 1) + crypto_ahash_reqsize(ahash),
				__alignof__(struct scatterlist));
	return tmp;
}

/* Finish: restore the header; output stores the ICV, input compares. */
static int ah_finish(struct ah_tmp *tmp, u8 *digest)
{
	struct sk_buff *skb = tmp->skb;
	u8 *icv = skb->data + tmp->hoff + AH_HDR_LEN;
	int err = 0;

	memcpy(skb->data, tmp->hdr, tmp->hoff);
	if (tmp->input) {
		if (crypto_memneq(digest, tmp->icv_rx, tmp->icvlen))
			err = -EBADMSG;
		memcpy(icv, tmp->icv_rx, tmp->icvlen);
	} else {
		memcpy(icv, digest, tmp->icvlen);
	}
	return err;
}

static void ah_done(struct crypto_async_request *base, int err)
{
	struct ahash_request *req = container_of(base, struct ahash_request,
						 base);
	struct ah_tmp *tmp = base->data;
	struct sk_buff *skb = tmp->skb;
	kame_resume_t resume = tmp->resume;
	struct net *net;

	if (err == -EINPROGRESS)
		return;
	net = kame_pkt(skb)->net;	/* counted by kame_engine_hold() */
	if (!err)
		err = ah_finish(tmp, req->result);
	kfree(tmp);
	local_bh_disable();
	resume(skb, err);
	local_bh_enable();
	kame_engine_release(net);
}

/* @ahlen: the AH header's length, ICV field and padding included. */
static int ah_run(struct sk_buff *skb, struct kame_sa *sa,
		  unsigned short family, unsigned int hoff, unsigned int ahlen,
		  bool input, kame_resume_t resume)
{
	struct kame_xform *xf = kame_xf(sa);
	struct crypto_ahash *ahash = xf->ahash;
	unsigned int field = ahlen - AH_HDR_LEN;
	struct ahash_request *req;
	struct scatterlist *sg;
	struct sk_buff *trailer;
	struct ah_tmp *tmp;
	int nfrags, err;
	u8 *digest, *icv;
	struct net *net;

	if (hoff > AH_MAX_NET_HDR)
		return -EPROTONOSUPPORT;
	nfrags = skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0)
		return -ENOMEM;
	tmp = tmp_alloc(ahash, nfrags, &digest, &req, &sg);
	if (!tmp)
		return -ENOMEM;
	tmp->skb = skb;
	tmp->resume = resume;
	tmp->family = family;
	tmp->hoff = hoff;
	tmp->icvlen = xf->icvlen;
	tmp->input = input;
	memcpy(tmp->hdr, skb->data, hoff);
	err = kame_ah_clear_mutable(skb->data, hoff, family);
	if (err) {
		memcpy(skb->data, tmp->hdr, hoff);
		kfree(tmp);
		return err;
	}
	icv = skb->data + hoff + AH_HDR_LEN;
	/*
	 * The ICV is hashed as zeros; padding after it is hashed as sent
	 * (we send zeros; Linux leaves what was there).
	 */
	if (input)
		memcpy(tmp->icv_rx, icv, xf->icvlen);
	memset(icv, 0, input ? xf->icvlen : field);

	sg_init_table(sg, nfrags);
	err = skb_to_sgvec(skb, sg, 0, skb->len);
	if (unlikely(err < 0)) {
		memcpy(skb->data, tmp->hdr, hoff);
		kfree(tmp);
		return -ENOMEM;
	}
	ahash_request_set_tfm(req, ahash);
	ahash_request_set_crypt(req, sg, digest, skb->len);
	ahash_request_set_callback(req, 0, ah_done, tmp);
	net = kame_engine_hold(skb);
	err = crypto_ahash_digest(req);
	if (err == -EINPROGRESS)
		return err;
	kame_engine_release(net);
	if (!err)
		err = ah_finish(tmp, digest);
	else
		memcpy(skb->data, tmp->hdr, hoff);
	kfree(tmp);
	if (err == -EBUSY || err == -ENOSPC)
		err = -ENOMEM;
	return err;
}

int kame_ah_output(struct sk_buff *skb, struct kame_sa *sa,
		   unsigned short family, unsigned int hoff, u8 nexthdr,
		   kame_resume_t resume)
{
	unsigned int ahlen = kame_ah_overhead(sa, family);
	struct ip_auth_hdr *ah;
	u32 seq;

	if (hoff > AH_MAX_NET_HDR)
		return -EPROTONOSUPPORT;
	seq = kame_xform_next_seq(sa);
	if (!seq)
		return -EOVERFLOW;
	if (skb_cow_head(skb, ahlen + 32))
		return -ENOMEM;
	__skb_push(skb, ahlen);
	memmove(skb->data, skb->data + ahlen, hoff);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, hoff);
	ah = (struct ip_auth_hdr *)(skb->data + hoff);
	ah->nexthdr = nexthdr;
	ah->hdrlen = ahlen / 4 - 2;
	ah->reserved = 0;
	ah->spi = sa->spi;
	ah->seq_no = htonl(seq);
	/* The lengths are immutable: set them before the ICV. */
	if (family == AF_INET)
		ip_hdr(skb)->tot_len = htons(skb->len);
	else
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	return ah_run(skb, sa, family, hoff, ahlen, false, resume);
}

int kame_ah_input(struct sk_buff *skb, struct kame_sa *sa,
		  unsigned short family, unsigned int hoff,
		  kame_resume_t resume)
{
	struct ip_auth_hdr *ah;
	unsigned int ahlen;

	if (hoff > AH_MAX_NET_HDR)
		return -EPROTONOSUPPORT;
	if (!pskb_may_pull(skb, hoff + AH_HDR_LEN))
		return -EMSGSIZE;
	ah = (struct ip_auth_hdr *)(skb->data + hoff);
	ahlen = (ah->hdrlen + 2) * 4;
	if ((ahlen != ah_len(kame_xf(sa)->icvlen, family, false) &&
	     ahlen != ah_len(kame_xf(sa)->icvlen, family, true)) ||
	    !pskb_may_pull(skb, hoff + ahlen))
		return -EMSGSIZE;
	return ah_run(skb, sa, family, hoff, ahlen, true, resume);
}

int kame_ah_input_done(struct sk_buff *skb, unsigned int hoff)
{
	struct ip_auth_hdr *ah = (struct ip_auth_hdr *)(skb->data + hoff);
	unsigned int ahlen = (ah->hdrlen + 2) * 4;
	u8 nh = ah->nexthdr;

	memmove(skb->data + ahlen, skb->data, hoff);
	__skb_pull(skb, ahlen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, hoff);
	return nh;
}
