// SPDX-License-Identifier: BSD-3-Clause
#include <string.h>

#include "build.h"
#include "isakmp.h"

void msgb_init(struct msgb *m, const uint8_t icookie[8],
	       const uint8_t rcookie[8], uint8_t etype, uint8_t flags,
	       uint32_t msgid)
{
	uint8_t *h;

	buf_init(&m->b);
	h = buf_put(&m->b, NULL, ISAKMP_HDR_LEN);
	m->np_off = 16;
	if (!h)
		return;
	memcpy(h, icookie, 8);
	memcpy(h + 8, rcookie, 8);
	h[17] = ISAKMP_VERSION;
	h[18] = etype;
	h[19] = flags;
	put32(h + 20, msgid);
}

size_t msgb_begin(struct msgb *m, uint8_t type)
{
	size_t start = m->b.len;

	if (!buf_put(&m->b, NULL, ISAKMP_GEN_LEN))
		return start;
	m->b.p[m->np_off] = type;
	m->np_off = start;
	return start;
}

void msgb_end(struct msgb *m, size_t start)
{
	if (m->b.oom)
		return;
	put16(m->b.p + start + 2, (uint16_t)(m->b.len - start));
}

void msgb_add(struct msgb *m, uint8_t type, const void *body, size_t len)
{
	size_t s = msgb_begin(m, type);

	buf_put(&m->b, body, len);
	msgb_end(m, s);
}

bool msgb_finish(struct msgb *m)
{
	if (m->b.oom || m->b.len > ISAKMP_MAX_PACKET)
		return false;
	put32(m->b.p + 24, (uint32_t)m->b.len);
	return true;
}

void msgb_notify(struct msgb *m, uint8_t proto, const uint8_t *spi,
		 uint8_t spisize, uint16_t type, const void *data,
		 size_t datalen)
{
	size_t s = msgb_begin(m, PL_N);

	buf_u32(&m->b, DOI_IPSEC);
	buf_u8(&m->b, proto);
	buf_u8(&m->b, spisize);
	buf_u16(&m->b, type);
	buf_put(&m->b, spi, spisize);
	if (datalen)
		buf_put(&m->b, data, datalen);
	msgb_end(m, s);
}

void msgb_delete(struct msgb *m, uint8_t proto, uint8_t spisize,
		 const uint8_t *spis, uint16_t nspi)
{
	size_t s = msgb_begin(m, PL_D);

	buf_u32(&m->b, DOI_IPSEC);
	buf_u8(&m->b, proto);
	buf_u8(&m->b, spisize);
	buf_u16(&m->b, nspi);
	buf_put(&m->b, spis, (size_t)spisize * nspi);
	msgb_end(m, s);
}

size_t sub_begin(struct buf *b, uint8_t np)
{
	size_t start = b->len;
	uint8_t *h = buf_put(b, NULL, ISAKMP_GEN_LEN);

	if (h)
		h[0] = np;
	return start;
}

void sub_end(struct buf *b, size_t start)
{
	if (!b->oom)
		put16(b->p + start + 2, (uint16_t)(b->len - start));
}

void attr_basic(struct buf *b, uint16_t type, uint16_t val)
{
	buf_u16(b, 0x8000 | type);
	buf_u16(b, val);
}

void attr_var32(struct buf *b, uint16_t type, uint32_t val)
{
	buf_u16(b, type & 0x7fff);
	buf_u16(b, 4);
	buf_u32(b, val);
}

void attr_life(struct buf *b, uint16_t type, uint32_t val)
{
	if (val <= 0xffff)
		attr_basic(b, type, (uint16_t)val);
	else
		attr_var32(b, type, val);
}
