/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * setkey's translators between its scripts and Linux XFRM's tools:
 * -X xfrm (ip xfrm commands), -X swanctl (swanctl.conf) and --from-xfrm
 * (ip xfrm state/policy output back to a setkey script).
 */
#ifndef SETKEY_TRANSLATE_H
#define SETKEY_TRANSLATE_H

#include <stdio.h>
#include "model.h"

/* cmds: the whole script, parsed; end: the state it leaves. */
int sk_xfrm_print(FILE *out, const char *file, const struct sk_cmd *cmds,
		  size_t n, const struct sk_model *end);
int sk_swanctl_print(FILE *out, const char *file, const struct sk_cmd *cmds,
		     size_t n, const struct sk_model *end);
/* Reads "ip xfrm state" and/or "ip xfrm policy" output; 0 ok, else 1
 * after "stdin:line: ..." on err. */
int sk_from_xfrm(FILE *in, FILE *out, FILE *err);

#endif
