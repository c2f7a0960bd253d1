/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the storm programs (storms.sh): results, time, randomness. */
#ifndef STORM_UTIL_H
#define STORM_UTIL_H

#include <stdint.h>

/* "CHECK 0|1 text" on stdout: storms.sh turns it into a ktap result. */
void storm_check(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* How many storm_check()s failed. */
extern int storm_failures;

/* CLOCK_MONOTONIC in seconds. */
double storm_now(void);

/*
 * How many times slower than the stock kernel this one runs: KAME_SLOW
 * from the environment (selftests/lib.sh; make check-debug sets 8), 1 if
 * unset or not a positive number. Time limits are multiplied by it.
 */
double storm_slow(void);

/* xorshift64: seed storm_rng (odd) first. */
extern uint64_t storm_rng;
uint32_t storm_rnd(void);

#endif
