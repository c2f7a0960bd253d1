// SPDX-License-Identifier: GPL-2.0
/* Shared by the storm programs (storm_util.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "storm_util.h"

int storm_failures;
uint64_t storm_rng = 1;

void storm_check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("CHECK %d ", !!ok);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	storm_failures += !ok;
}

double storm_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

double storm_slow(void)
{
	const char *s = getenv("KAME_SLOW");
	double v = s ? atof(s) : 1;

	return v > 0 ? v : 1;
}

uint32_t storm_rnd(void)
{
	storm_rng ^= storm_rng << 13;
	storm_rng ^= storm_rng >> 7;
	storm_rng ^= storm_rng << 17;
	return (uint32_t)storm_rng;
}
