// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer: the setkey statement parser on arbitrary text. Every message
 * it produces must be a well-formed PF_KEY message (pfkey_align/check).
 */
#include <stdio.h>
#include <stdlib.h>
#include "../parse.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_parser p;
	struct sk_cmd c;
	caddr_t mhp[SADB_EXT_MAX + 1];
	size_t i;
	int r, n = 0;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	sk_parser_init(&p, "fuzz");
	p.no_dns = 1;
	p.rfc_mode = size & 1;
	sk_lex_init_mem(&p.lx, (const char *)data, size);
	while ((r = sk_parse_next(&p, &c)) != 0 && n++ < 1000) {
		if (r < 0) {
			if (!p.err[0])
				abort();	/* every error says what is wrong */
			continue;
		}
		for (i = 0; i < c.nmsgs; i++) {
			if (pfkey_align(c.msgs[i].m, mhp) || pfkey_check(mhp) ||
			    (size_t)c.msgs[i].m->sadb_msg_len * 8 != c.msgs[i].len)
				abort();
			kdebug_sadb_fp(devnull, c.msgs[i].m);
		}
		sk_cmd_free(&c);
	}
	sk_parser_free(&p);
	return 0;
}
