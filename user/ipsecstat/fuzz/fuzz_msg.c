// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer: arbitrary bytes as a message received on ipsecstat's
 * generic netlink socket, through every parser and, when one accepts
 * them, its printers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../msg.h"
#include "../text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ist_stats st;
	struct ist_drop d;
	struct ist_sa s;
	struct ist_policy p;
	const void *a;
	size_t al;
	uint8_t cmd;
	FILE *null;
	void *copy;

	if (size > 65536)
		return 0;
	copy = malloc(size ? size : 1);	/* exact size: ASan sees overreads */
	memcpy(copy, data, size);
	if (ist_msg_split(copy, size, &cmd, &a, &al)) {
		free(copy);
		return 0;
	}
	null = fopen("/dev/null", "w");
	if (!ist_parse_stats(a, al, &st)) {
		ist_print_kame(null, &st);
		ist_print_stats_json(null, &st);
	}
	if (!ist_parse_drop(a, al, &d)) {
		ist_print_drop(null, &d);
		ist_print_drop_json(null, &d);
	}
	if (!ist_parse_sa(a, al, &s)) {
		ist_print_sa(null, &s);
		ist_print_sa_json(null, &s);
	}
	if (!ist_parse_policy(a, al, &p)) {
		ist_print_policy(null, &p);
		ist_print_policy_json(null, &p);
	}
	fclose(null);
	free(copy);
	return 0;
}
