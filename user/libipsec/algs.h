/* SPDX-License-Identifier: BSD-3-Clause */
/* Algorithm names <-> SADB ids <-> key sizes (setkey -E/-A/-C). */
#ifndef KAMEIPSEC_ALGS_H
#define KAMEIPSEC_ALGS_H

#include <stdint.h>

enum kame_alg_kind {
	KAME_ALG_ENC = 'E',
	KAME_ALG_AUTH = 'A',
	KAME_ALG_COMP = 'C',
};

struct kame_alg {
	const char *name;
	char kind;		/* enum kame_alg_kind */
	uint8_t id;		/* SADB algorithm number */
	uint16_t minbits;
	uint16_t maxbits;
	uint8_t nokey;		/* takes no key (null) */
	uint8_t alias;		/* not the name dumps print */
	uint32_t saflags;	/* KAME flags implied by legacy names */
	const char *note;	/* one line for setkey -h / docs */
};

const struct kame_alg *kame_alg_by_name(char kind, const char *name);
const struct kame_alg *kame_alg_by_id(char kind, unsigned int id);
/* Name for dumps: the canonical name, or NULL when unknown. */
const char *kame_alg_name(char kind, unsigned int id);
/* Whole table, terminated by a NULL name. */
extern const struct kame_alg kame_algs[];

#endif
