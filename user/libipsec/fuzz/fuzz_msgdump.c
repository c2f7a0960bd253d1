// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer: the printers (setkey -D, -DP, -x) and pfkey_align on arbitrary
 * bytes presented as a kernel message, as "setkey file" reads them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../libipsec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfkey_dump_opts o = { NULL, 0, 0, 1 };
	struct sadb_msg *m;

	if (size < sizeof(*m) || size > 65536)
		return 0;
	m = malloc(size);
	memcpy(m, data, size);
	/* the header length must not claim more than we have */
	if ((size_t)m->sadb_msg_len * 8 > size)
		m->sadb_msg_len = size / 8;
	o.out = fopen("/dev/null", "w");
	o.withports = size & 1;
	pfkey_sadump_opts(m, &o);
	pfkey_spdump_opts(m, &o);
	kdebug_sadb_fp(o.out, m);
	fclose(o.out);
	free(m);
	return 0;
}
