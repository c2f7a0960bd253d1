// SPDX-License-Identifier: BSD-3-Clause
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "buf.h"

void buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void buf_free(struct buf *b)
{
	if (b->p)
		OPENSSL_cleanse(b->p, b->cap);
	free(b->p);
	buf_init(b);
}

uint8_t *buf_put(struct buf *b, const void *data, size_t len)
{
	uint8_t *dst;

	if (b->oom)
		return NULL;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *np;

		while (cap < b->len + len)
			cap *= 2;
		np = calloc(1, cap);
		if (!np) {
			b->oom = true;
			return NULL;
		}
		if (b->p) {
			memcpy(np, b->p, b->len);
			OPENSSL_cleanse(b->p, b->cap);
			free(b->p);
		}
		b->p = np;
		b->cap = cap;
	}
	dst = b->p + b->len;
	if (data)
		memcpy(dst, data, len);
	else
		memset(dst, 0, len);
	b->len += len;
	return dst;
}

void buf_u8(struct buf *b, uint8_t v)
{
	buf_put(b, &v, 1);
}

void buf_u16(struct buf *b, uint16_t v)
{
	uint8_t x[2];

	put16(x, v);
	buf_put(b, x, 2);
}

void buf_u32(struct buf *b, uint32_t v)
{
	uint8_t x[4];

	put32(x, v);
	buf_put(b, x, 4);
}

uint8_t *buf_steal(struct buf *b, size_t *len)
{
	uint8_t *p = b->oom ? NULL : b->p;

	*len = b->oom ? 0 : b->len;
	if (b->oom)
		free(b->p);
	buf_init(b);
	return p;
}

uint8_t *memdup(const void *p, size_t len)
{
	uint8_t *d;

	if (!len)
		return NULL;
	d = malloc(len);
	if (d)
		memcpy(d, p, len);
	return d;
}

void free_secret(void *p, size_t len)
{
	if (p)
		OPENSSL_cleanse(p, len);
	free(p);
}
