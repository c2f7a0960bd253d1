// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer: ipsec_set_policy on arbitrary text. Whatever parses must dump (with ports),
 * and the dump must parse back to the same bytes (the canonical form is a
 * fixed point).
 */
#include <stdlib.h>
#include <string.h>
#include "../libipsec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	caddr_t p, q;
	char *text;

	if (size > 4096)
		return 0;
	p = ipsec_set_policy((const char *)data, size);
	if (!p)
		return 0;
	text = ipsec_dump_policy_withports(p, NULL);
	if (!text)
		abort();
	q = ipsec_set_policy(text, strlen(text));
	if (!q || ipsec_get_policylen(p) != ipsec_get_policylen(q) ||
	    memcmp(p, q, ipsec_get_policylen(p)))
		abort();
	free(q);
	free(text);
	free(p);
	return 0;
}
