// SPDX-License-Identifier: GPL-2.0
/*
 * ESP (RFC 4303) through the crypto API's AEAD interface. The wire layout
 * is the one Linux XFRM feeds its AEADs, so the same templates work:
 *
 *   | ESP header (SPI, seq) | IV | payload | pad | padlen | nh | ICV |
 *     associated data (8)    '---- cryptlen (IV .. nh) ----'
 *
 * The IV generator template (echainiv, seqiv) writes the IV from the
 * sequence number we pass as req->iv. Requests may complete
 * asynchronously: the callback resumes the packet where it stopped.
 */

#include <linux/skbuff.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <crypto/aead.h>
#include <linux/ip.h>
#include <net/esp.h>

#include "esp.h"
#include "xform.h"
#include "engine.h"

/* Scratch for one request: header, IV, the request, scatterlist. */
struct esp_tmp {
	struct sk_buff *skb;
	kame_resume_t resume;
};

static void *tmp_alloc(struct crypto_aead *aead, int nfrags, u8 **iv,
		       struct aead_request **req, struct scatterlist **sg)
{
	unsigned int len = sizeof(struct esp_tmp);
	u8 *p;

	len += crypto_aead_ivsize(aead) + crypto_aead_alignmask(aead);
	len = ALIGN(len, crypto_tfm_ctx_alignment());
	len += sizeof(struct aead_request) + crypto_aead_reqsize(aead);
	len = ALIGN(len, __alignof__(struct scatterlist));
	len += sizeof(struct scatterlist) * nfrags;

	p = kmalloc(len, GFP_ATOMIC);
	if (!p)
		return NULL;
	*iv = PTR_ALIGN(p + sizeof(struct esp_tmp),
			crypto_aead_alignmask(aead) + 1);
	*req = (void *)PTR_ALIGN(*iv + crypto_aead_ivsize(aead),
				 crypto_tfm_ctx_alignment());
	*sg = (void *)PTR_ALIGN((u8 *)(*req + 1) + crypto_aead_reqsize(aead),
				__alignof__(struct scatterlist));
	return p;
}

static void esp_done(struct crypto_async_request *base, int err)
{
	struct esp_tmp *tmp = base->data;
	struct sk_buff *skb = tmp->skb;
	kame_resume_t resume = tmp->resume;
	struct net *net;

	if (err == -EINPROGRESS)
		return;		/* left the backlog; the real completion follows */
	net = kame_pkt(skb)->net;	/* counted by kame_engine_hold() */
	kfree(tmp);
	local_bh_disable();
	resume(skb, err);
	local_bh_enable();
	kame_engine_release(net);
}

/* Start the request; the same return convention as the callers'. */
static int esp_submit(struct aead_request *req, struct esp_tmp *tmp,
		      bool encrypt)
{
	struct net *net = kame_engine_hold(tmp->skb);
	int err;

	err = encrypt ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	if (err == -EINPROGRESS)
		return err;
	kame_engine_release(net);
	kfree(tmp);
	if (err == -EBUSY || err == -ENOSPC)
		err = -ENOMEM;	/* the driver's queue is full */
	return err;
}

int kame_esp_output(struct sk_buff *skb, struct kame_sa *sa,
		    unsigned int hoff, u8 nexthdr, kame_resume_t resume)
{
	struct kame_xform *xf = kame_xf(sa);
	struct crypto_aead *aead = xf->aead;
	unsigned int hlen = sizeof(struct ip_esp_hdr) + xf->ivlen;
	unsigned int plen = skb->len - hoff;
	unsigned int clen = ALIGN(plen + 2, xf->padalign);
	unsigned int padlen = clen - plen - 2;
	unsigned int tailen = padlen + 2 + xf->icvlen;
	struct ip_esp_hdr *esph;
	struct aead_request *req;
	struct scatterlist *sg;
	struct sk_buff *trailer;
	struct esp_tmp *tmp;
	__be64 seqno;
	u8 *tail, *iv;
	int nfrags, err;
	unsigned int i;
	u32 seq;

	seq = kame_xform_next_seq(sa);
	if (!seq)
		return -EOVERFLOW;
	if (skb_cow_head(skb, hlen + 32))
		return -ENOMEM;
	nfrags = skb_cow_data(skb, tailen, &trailer);
	if (nfrags < 0)
		return -ENOMEM;

	tail = skb_tail_pointer(trailer);
	for (i = 0; i < padlen; i++)
		tail[i] = i + 1;	/* RFC 4303 default padding */
	tail[padlen] = padlen;
	tail[padlen + 1] = nexthdr;
	pskb_put(skb, trailer, tailen);

	__skb_push(skb, hlen);
	memmove(skb->data, skb->data + hlen, hoff);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, hoff);
	esph = (struct ip_esp_hdr *)(skb->data + hoff);
	esph->spi = sa->spi;
	esph->seq_no = htonl(seq);

	tmp = tmp_alloc(aead, nfrags, &iv, &req, &sg);
	if (!tmp)
		return -ENOMEM;
	tmp->skb = skb;
	tmp->resume = resume;
	sg_init_table(sg, nfrags);
	err = skb_to_sgvec(skb, sg, hoff, hlen + clen + xf->icvlen);
	if (unlikely(err < 0)) {
		kfree(tmp);
		return -ENOMEM;
	}
	/* The IV generator derives the IV from the (64-bit) sequence number. */
	seqno = cpu_to_be64(seq);
	memset(iv, 0, xf->ivlen);
	memcpy(iv + xf->ivlen - min_t(unsigned int, xf->ivlen, 8),
	       (u8 *)&seqno + 8 - min_t(unsigned int, xf->ivlen, 8),
	       min_t(unsigned int, xf->ivlen, 8));

	aead_request_set_tfm(req, aead);
	aead_request_set_callback(req, 0, esp_done, tmp);
	aead_request_set_crypt(req, sg, sg, xf->ivlen + clen, iv);
	aead_request_set_ad(req, sizeof(*esph));
	return esp_submit(req, tmp, true);
}

int kame_esp_input(struct sk_buff *skb, struct kame_sa *sa,
		   unsigned int hoff, kame_resume_t resume)
{
	struct kame_xform *xf = kame_xf(sa);
	struct crypto_aead *aead = xf->aead;
	unsigned int hlen = sizeof(struct ip_esp_hdr) + xf->ivlen;
	unsigned int bsize = crypto_aead_blocksize(aead);
	struct aead_request *req;
	struct scatterlist *sg;
	struct sk_buff *trailer;
	struct esp_tmp *tmp;
	int elen, nfrags, err;
	u8 *iv;

	if (!pskb_may_pull(skb, hoff + hlen))
		return -EMSGSIZE;
	elen = skb->len - hoff - hlen;
	if (elen < (int)xf->icvlen + 2 ||
	    (bsize > 1 && (elen - xf->icvlen) % bsize))
		return -EMSGSIZE;
	nfrags = skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0)
		return -ENOMEM;
	tmp = tmp_alloc(aead, nfrags, &iv, &req, &sg);
	if (!tmp)
		return -ENOMEM;
	tmp->skb = skb;
	tmp->resume = resume;
	sg_init_table(sg, nfrags);
	err = skb_to_sgvec(skb, sg, hoff, skb->len - hoff);
	if (unlikely(err < 0)) {
		kfree(tmp);
		return -ENOMEM;
	}
	aead_request_set_tfm(req, aead);
	aead_request_set_callback(req, 0, esp_done, tmp);
	aead_request_set_crypt(req, sg, sg, xf->ivlen + elen, iv);
	aead_request_set_ad(req, sizeof(struct ip_esp_hdr));
	return esp_submit(req, tmp, false);
}

int kame_esp_input_done(struct sk_buff *skb, struct kame_sa *sa,
			unsigned int hoff)
{
	struct kame_xform *xf = kame_xf(sa);
	unsigned int hlen = sizeof(struct ip_esp_hdr) + xf->ivlen;
	unsigned int elen = skb->len - hoff - hlen - xf->icvlen;
	u8 trail[2], pad[255];
	unsigned int padlen, i;

	if (skb_copy_bits(skb, skb->len - xf->icvlen - 2, trail, 2))
		return -EMSGSIZE;
	padlen = trail[0];
	if (padlen + 2 > elen)
		return -EBADMSG;
	if (skb_copy_bits(skb, skb->len - xf->icvlen - 2 - padlen, pad, padlen))
		return -EMSGSIZE;
	for (i = 0; i < padlen; i++)
		if (pad[i] != i + 1)
			return -EBADMSG;
	if (pskb_trim(skb, skb->len - xf->icvlen - 2 - padlen))
		return -ENOMEM;
	/* Drop the ESP header and IV: the bytes before it move up. */
	memmove(skb->data + hlen, skb->data, hoff);
	__skb_pull(skb, hlen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, hoff);
	return trail[1];
}
