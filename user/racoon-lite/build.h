/* SPDX-License-Identifier: BSD-3-Clause */
/* Builders for outgoing ISAKMP messages: header, chained payloads. */
#ifndef RACOON_LITE_BUILD_H
#define RACOON_LITE_BUILD_H

#include "buf.h"

struct msgb {
	struct buf b;
	size_t np_off;		/* next-payload byte to fill in next */
};

void msgb_init(struct msgb *m, const uint8_t icookie[8],
	       const uint8_t rcookie[8], uint8_t etype, uint8_t flags,
	       uint32_t msgid);
/* Opens a payload of the given type; returns its offset for msgb_end. */
size_t msgb_begin(struct msgb *m, uint8_t type);
void msgb_end(struct msgb *m, size_t start);
/* A whole payload with a flat body. */
void msgb_add(struct msgb *m, uint8_t type, const void *body, size_t len);
/* Writes the total length into the header; false if allocation failed. */
bool msgb_finish(struct msgb *m);

/* Payload bodies */
void msgb_notify(struct msgb *m, uint8_t proto, const uint8_t *spi,
		 uint8_t spisize, uint16_t type, const void *data,
		 size_t datalen);
void msgb_delete(struct msgb *m, uint8_t proto, uint8_t spisize,
		 const uint8_t *spis, uint16_t nspi);

/* Chained sub-payloads (proposals in an SA, transforms in a proposal). */
size_t sub_begin(struct buf *b, uint8_t np);
void sub_end(struct buf *b, size_t start);
/* SA attributes: basic (16-bit) or variable (32-bit value) encoding. */
void attr_basic(struct buf *b, uint16_t type, uint16_t val);
void attr_var32(struct buf *b, uint16_t type, uint32_t val);
/* Lifetime duration: basic when it fits in 16 bits, else variable. */
void attr_life(struct buf *b, uint16_t type, uint32_t val);

#endif
