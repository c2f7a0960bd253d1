/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_FAULT_H
#define KAME_ENGINE_FAULT_H

#include <linux/compiler.h>
#include <linux/types.h>

/*
 * Fault injection for the drop reasons no packet or socket can reach: a
 * crypto API error other than a bad ICV, and headers the local stack
 * hands over that the output path cannot use. A test writes N to
 * /sys/kernel/debug/kameipsec/fail_<point> (root only) and the next N
 * packets passing that point fail there, dropped and counted as any
 * other. Unarmed, a packet pays one read of a read-mostly flag.
 */
enum kame_fault {
	KAME_FAULT_IN_CRYPTO,		/* ESP/AH input: in_crypto */
	KAME_FAULT_OUT_CRYPTO,		/* ESP/AH output: out_crypto */
	KAME_FAULT_OUT_MALFORMED,	/* where the SA goes in: out_malformed */
	KAME_FAULT_MAX
};

extern bool kame_fault_armed;
bool __kame_fault(enum kame_fault f);

static inline bool kame_fault(enum kame_fault f)
{
	return unlikely(READ_ONCE(kame_fault_armed)) && __kame_fault(f);
}

void kame_fault_init(void);
void kame_fault_exit(void);

#endif
