/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_AH_H
#define KAME_ENGINE_AH_H

#include "pkt.h"

/*
 * AH (RFC 4302) on one skb whose network header is at skb->data, in
 * family @family (of that header). The ICV covers the IP header, its
 * options or the IPv6 extension headers in front of AH (mutable fields
 * zeroed, predictable ones as at the destination), the AH header and the
 * payload. More than AH_MAX_NET_HDR bytes in front of AH, or a routing
 * header AH cannot predict, is refused (-EPROTONOSUPPORT).
 *
 * Output: insert AH at @hoff with @nexthdr; the IP header's protocol /
 * next header field must already name AH. Returns 0, -EINPROGRESS (then
 * @resume is called), or an error.
 */
int kame_ah_output(struct sk_buff *skb, struct kame_sa *sa,
		   unsigned short family, unsigned int hoff, u8 nexthdr,
		   kame_resume_t resume);

/* Input: verify the AH at @hoff; -EBADMSG for an ICV failure. */
int kame_ah_input(struct sk_buff *skb, struct kame_sa *sa,
		  unsigned short family, unsigned int hoff,
		  kame_resume_t resume);

/* After a successful verify: remove AH; returns its next header. */
int kame_ah_input_done(struct sk_buff *skb, unsigned int hoff);

#define AH_MAX_NET_HDR	256

/*
 * Prepare @hdr (the @hoff bytes in front of AH) for the ICV (ah_mutable.c):
 * 0, -EMSGSIZE when malformed (counted as truncated), -EPROTONOSUPPORT
 * when unpredictable.
 */
int kame_ah_clear_mutable(u8 *hdr, unsigned int hoff, unsigned short family);

/* Bytes AH adds (for MTU decisions). */
unsigned int kame_ah_overhead(struct kame_sa *sa, unsigned short family);

#endif
