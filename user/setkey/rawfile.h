/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SETKEY_RAWFILE_H
#define SETKEY_RAWFILE_H

#include <stdio.h>
#include "../libipsec/libipsec.h"

/* 0 if every message printed; -1 with errno (open) or a message. */
int sk_print_rawfile(const char *path, FILE *out, int verbose, int withports,
		     int show_dead);

#endif
