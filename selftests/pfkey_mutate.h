/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PF_KEY message mutator shared by pfkey_fuzz and storm_pfkey: seeds
 * from the host validator's fuzz corpus (kmod/pfkey/test/fuzz/corpus, one
 * valid message of every type), mutated by bit flips, extreme bytes,
 * truncation, growth and extensions spliced from another seed.
 */
#ifndef PFKEY_MUTATE_H
#define PFKEY_MUTATE_H

#include <stddef.h>
#include <stdint.h>

#define PKM_CORPUS_DIR	"../kmod/pfkey/test/fuzz/corpus"
#define PKM_MAX_SEEDS	128
#define PKM_MAX_MSG	4096

struct pkm_seed {
	uint8_t buf[PKM_MAX_MSG] __attribute__((aligned(8)));
	size_t len;
};

extern struct pkm_seed pkm_seeds[PKM_MAX_SEEDS];
extern int pkm_nseeds;
/* xorshift64 state: seed it (odd) before the first pkm_rnd(). */
extern uint64_t pkm_rng;

uint32_t pkm_rnd(void);
/* Seeds read from @dir: their number, or -1 if @dir can't be opened. */
int pkm_load_corpus(const char *dir);
/* A random seed mutated into @m (PKM_MAX_MSG bytes): its new length. */
size_t pkm_next(uint8_t *m);
/* Now and then (3 times in 8) a dump of the SAD or SPD, or a flush of both. */
void pkm_dump_or_flush(int fd);

#endif
