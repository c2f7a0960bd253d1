/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SETKEY_MONITOR_H
#define SETKEY_MONITOR_H

#include <stdio.h>
#include "../libipsec/libipsec.h"

/* Loops forever printing messages; returns -1 on error. */
int sk_monitor(int so, FILE *out, int rawtime, int hexdump);
void sk_monitor_print(FILE *out, const struct sadb_msg *m, int rawtime,
		      int hexdump);

#endif
