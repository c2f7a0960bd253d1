/* SPDX-License-Identifier: BSD-3-Clause */
/* A growable byte buffer; allocation failure is sticky and checked once. */
#ifndef RACOON_LITE_BUF_H
#define RACOON_LITE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *p;
	size_t len;
	size_t cap;
	bool oom;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
/* Appends len bytes (zeroes if data is NULL); returns where they went. */
uint8_t *buf_put(struct buf *b, const void *data, size_t len);
void buf_u8(struct buf *b, uint8_t v);
void buf_u16(struct buf *b, uint16_t v);
void buf_u32(struct buf *b, uint32_t v);
/* Moves the contents out: the caller frees *out. */
uint8_t *buf_steal(struct buf *b, size_t *len);

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Duplicate len bytes; NULL on failure or when len is 0. */
uint8_t *memdup(const void *p, size_t len);
/* Overwrite then free, for secrets. */
void free_secret(void *p, size_t len);

#endif
