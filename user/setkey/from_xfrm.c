// SPDX-License-Identifier: BSD-3-Clause
/* setkey --from-xfrm: not written yet. */
#include "translate.h"

int sk_from_xfrm(FILE *in, FILE *out, FILE *err)
{
	fprintf(err, "setkey: --from-xfrm is not implemented yet\n");
	return 1;
}
