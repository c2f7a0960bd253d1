/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_ESP_H
#define KAME_ENGINE_ESP_H

#include "pkt.h"

/*
 * ESP (RFC 4303) on one skb whose network header is at skb->data.
 *
 * Output: everything from @hoff to the end becomes the encrypted payload,
 * with @nexthdr in the trailer; the ESP header and IV are inserted at
 * @hoff (the bytes before it move down). Returns 0 when done, -EINPROGRESS
 * when @resume will be called, or an error (-EOVERFLOW: sequence number
 * exhausted; -ENOMEM; other: crypto failure).
 */
int kame_esp_output(struct sk_buff *skb, struct kame_sa *sa,
		    unsigned int hoff, u8 nexthdr, kame_resume_t resume);

/*
 * Input: verify and decrypt the ESP packet whose header is at @hoff.
 * Same return convention; -EBADMSG is an ICV failure, -EMSGSIZE a packet
 * too short or misaligned for the algorithm.
 */
int kame_esp_input(struct sk_buff *skb, struct kame_sa *sa,
		   unsigned int hoff, kame_resume_t resume);

/*
 * After a successful decrypt: check the padding, strip trailer and ICV,
 * then remove the ESP header and IV. Returns the next header or -EBADMSG
 * (bad padding) / -EMSGSIZE.
 */
int kame_esp_input_done(struct sk_buff *skb, struct kame_sa *sa,
			unsigned int hoff);

#endif
