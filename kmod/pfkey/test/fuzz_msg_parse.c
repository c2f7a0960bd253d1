// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kame_msg_parse() and userland's kame_msg_parse_out()
 * in both modes: any bytes in, and on success every promise of a parsed
 * message is checked (kt_check_parsed), including a walk of every helper
 * over the validated buffer; kame_msg_index() (pfkey_align) must only not
 * fault.
 */
#include <stdio.h>
#include <stdlib.h>

#include "msgbuild.h"

int LLVMFuzzerTestOneInput(const __u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const __u8 *data, size_t size)
{
	struct kame_msg m;
	const char *broken;
	int mode;
	__u8 *copy;

	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (kame_msg_parse(copy, size, &m) == 0) {
		broken = kt_check_parsed(copy, size, &m);
		if (broken) {
			fprintf(stderr, "invariant broken: %s\n", broken);
			abort();
		}
	}
	for (mode = KAME_OUT_ANY; mode <= KAME_OUT_STRICT; mode++) {
		if (kame_msg_parse_out(copy, size, &m, mode, NULL))
			continue;
		broken = kt_check_parsed(copy, size, &m);
		if (broken) {
			fprintf(stderr, "invariant broken (out, mode %d): %s\n",
				mode, broken);
			abort();
		}
	}
	kame_msg_index(copy, size, &m);
	free(copy);
	return 0;
}
