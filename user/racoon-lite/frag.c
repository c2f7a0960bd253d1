// SPDX-License-Identifier: BSD-3-Clause
/* IKE fragmentation (racoon's scheme). See frag.h. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "frag.h"
#include "isakmp.h"

const uint8_t frag_vid[20] = {
	0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85,
	0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3,
	0xc0, 0x00, 0x00, 0x00,
};

bool frag_vid_match(const uint8_t *body, size_t len)
{
	/* 16 bytes alone, or with the 4 capability bytes */
	return (len == 16 || len == 20) && !memcmp(body, frag_vid, 16);
}

/* The fragment payload header: np, reserved, length, id, number, flags. */
#define FRAG_HDR	8
#define FRAG_LAST	1

int frag_split(const uint8_t *pkt, size_t len,
	       void (*emit)(void *arg, const uint8_t *f, size_t flen),
	       void *arg)
{
	size_t max = FRAG_MAXLEN - ISAKMP_HDR_LEN - FRAG_HDR, off = 0;
	uint8_t f[FRAG_MAXLEN];
	int n = 0;

	while (off < len) {
		size_t take = len - off < max ? len - off : max;
		size_t flen = ISAKMP_HDR_LEN + FRAG_HDR + take;

		n++;
		/* the message's header: cookies, version, etype, flags, id */
		memcpy(f, pkt, ISAKMP_HDR_LEN);
		f[16] = PL_FRAG;
		put32(f + 24, (uint32_t)flen);
		f[28] = 0;			/* no next payload */
		f[29] = 0;
		f[30] = (uint8_t)((FRAG_HDR + take) >> 8);
		f[31] = (uint8_t)(FRAG_HDR + take);
		f[32] = 0;			/* fragment id 1, as racoon */
		f[33] = 1;
		f[34] = (uint8_t)n;
		f[35] = off + take == len ? FRAG_LAST : 0;
		memcpy(f + ISAKMP_HDR_LEN + FRAG_HDR, pkt + off, take);
		emit(arg, f, flen);
		off += take;
	}
	return n;
}

void frag_clear(struct frag_rx *r)
{
	for (int i = 0; i <= FRAG_MAX; i++)
		free(r->part[i]);
	memset(r, 0, sizeof(*r));
}

int frag_add(struct frag_rx *r, const uint8_t *pkt, size_t len,
	     uint8_t **out, size_t *outlen, const char **err)
{
	const uint8_t *p = pkt + ISAKMP_HDR_LEN;
	size_t plen, dlen, have;
	uint16_t id;
	int num;

	if (len < ISAKMP_HDR_LEN + FRAG_HDR + 1) {
		*err = "IKE fragment too short";
		goto bad;
	}
	plen = ((size_t)p[2] << 8) | p[3];
	if (plen < FRAG_HDR + 1 || ISAKMP_HDR_LEN + plen != len || p[0]) {
		*err = "IKE fragment payload length wrong";
		goto bad;
	}
	id = (uint16_t)((p[4] << 8) | p[5]);
	num = p[6];
	dlen = plen - FRAG_HDR;
	if (num < 1 || num > FRAG_MAX) {
		*err = "IKE fragment number out of range";
		goto bad;
	}
	/* a new message: what was there is dropped */
	if (id != r->id && r->total)
		frag_clear(r);
	r->id = id;
	if (r->part[num])
		return 0;		/* a duplicate: the first one stays */
	if (r->total + dlen > FRAG_MAX_TOTAL) {
		*err = "IKE fragments longer than 64 KiB";
		goto bad;
	}
	if (p[7] & FRAG_LAST) {
		if (r->last && r->last != num) {
			*err = "two last IKE fragments";
			goto bad;
		}
		r->last = num;
	}
	r->part[num] = memdup(p + FRAG_HDR, dlen);
	if (!r->part[num]) {
		*err = "out of memory";
		goto bad;
	}
	r->plen[num] = dlen;
	r->total += dlen;
	if (!r->last)
		return 0;
	for (int i = 1; i <= r->last; i++)
		if (!r->part[i])
			return 0;
	for (int i = r->last + 1; i <= FRAG_MAX; i++)
		if (r->part[i]) {
			*err = "IKE fragment after the last one";
			goto bad;
		}
	*out = malloc(r->total);
	if (!*out) {
		*err = "out of memory";
		goto bad;
	}
	have = 0;
	for (int i = 1; i <= r->last; i++) {
		memcpy(*out + have, r->part[i], r->plen[i]);
		have += r->plen[i];
	}
	*outlen = have;
	frag_clear(r);
	return 1;
bad:
	frag_clear(r);
	return -1;
}
