/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The defensive side of ISAKMP: header and payload-chain parsing. Every
 * length a peer sends is checked against the bytes actually received
 * before anything reads behind it; callers get views into the packet.
 */
#ifndef RACOON_LITE_PAYLOAD_H
#define RACOON_LITE_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct isakmp_hdr {
	uint8_t icookie[8];
	uint8_t rcookie[8];
	uint8_t np;
	uint8_t version;
	uint8_t etype;
	uint8_t flags;
	uint32_t msgid;		/* host order */
	uint32_t len;
};

struct payload {
	uint8_t type;
	const uint8_t *raw;	/* the generic header */
	size_t rawlen;		/* including the generic header */
	const uint8_t *body;
	size_t len;
};

#define MAX_PAYLOADS 24

struct payload_list {
	struct payload pl[MAX_PAYLOADS];
	int n;
	size_t trailing;	/* bytes after the last payload (padding) */
};

/* Returns 0, or -1 with *err set to a static reason. */
int isakmp_parse_hdr(const uint8_t *buf, size_t len, struct isakmp_hdr *h,
		     const char **err);
/*
 * Walks the chain starting with payload type first over buf[0..len).
 * Checks every generic length and the fixed part of each known payload
 * type (see payload_body_ok); unknown types below 128 are an error.
 */
int payload_walk(const uint8_t *buf, size_t len, uint8_t first,
		 struct payload_list *pl, const char **err);
/* Fixed-part checks for one payload body; used by payload_walk. */
bool payload_body_ok(uint8_t type, const uint8_t *body, size_t len,
		     const char **err);
const struct payload *payload_find(const struct payload_list *pl,
				   uint8_t type, int nth);
int payload_count(const struct payload_list *pl, uint8_t type);

/* A decoded notification or delete payload. */
struct notify {
	uint32_t doi;
	uint8_t proto;
	uint8_t spisize;
	uint16_t type;
	const uint8_t *spi;
	const uint8_t *data;
	size_t datalen;
};

struct delete_pl {
	uint32_t doi;
	uint8_t proto;
	uint8_t spisize;
	uint16_t nspi;
	const uint8_t *spis;
};

void notify_decode(const struct payload *p, struct notify *n);
void delete_decode(const struct payload *p, struct delete_pl *d);

#endif
