// SPDX-License-Identifier: BSD-3-Clause
/* setkey -X swanctl: not written yet. */
#include "translate.h"

int sk_swanctl_print(FILE *out, const char *file, const struct sk_cmd *cmds,
		     size_t n, const struct sk_model *end)
{
	fprintf(stderr, "setkey: -X swanctl is not implemented yet\n");
	return 1;
}
