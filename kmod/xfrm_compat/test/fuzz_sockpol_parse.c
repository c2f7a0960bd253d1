// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any bytes as a setsockopt(IP_IPSEC_POLICY) buffer. On
 * success the result must be within the documented bounds.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sockpol_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exact-size copy so that ASan sees any read past the buffer. */
	uint8_t *buf = malloc(size ? size : 1);
	uint64_t *scratch = malloc(KAME_SOCKPOL_SCRATCH(size) + 8);
	struct kame_sockpol sp;
	unsigned int i;

	if (!buf || !scratch)
		abort();
	memcpy(buf, data, size);
	if (!kame_sockpol_parse(buf, size, scratch, &sp)) {
		if (sp.dir != IPSEC_DIR_INBOUND && sp.dir != IPSEC_DIR_OUTBOUND)
			abort();
		if (sp.type > IPSEC_POLICY_BYPASS || sp.nreq > KAME_SP_MAXREQ)
			abort();
		if (sp.type == IPSEC_POLICY_IPSEC && !sp.nreq)
			abort();
		for (i = 0; i < sp.nreq; i++) {
			const struct kame_sockpol_req *r = &sp.req[i];

			if (r->mode != IPSEC_MODE_TRANSPORT && r->mode != IPSEC_MODE_TUNNEL)
				abort();
			if (r->level > IPSEC_LEVEL_UNIQUE)
				abort();
			if (r->mode == IPSEC_MODE_TUNNEL && !r->family)
				abort();
		}
	}
	free(buf);
	free(scratch);
	return 0;
}
