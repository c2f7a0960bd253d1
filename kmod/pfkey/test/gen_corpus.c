// SPDX-License-Identifier: GPL-2.0
/*
 * Writes every message of the valid-message catalogue to DIR/NAME.bin: the
 * fuzz seed corpus (committed in fuzz/corpus/).
 */
#include <stdio.h>
#include <stdlib.h>

#include "msgbuild.h"

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (i = 0; i < kt_nvalid; i++) {
		char path[4096];
		struct kame_msg m;
		struct mb b;
		FILE *f;

		kt_valid_msgs[i].build(&b);
		mb_done(&b);
		if (kame_msg_parse(b.buf, b.len, &m)) {
			fprintf(stderr, "%s: catalogue message %s does not parse\n",
				argv[0], kt_valid_msgs[i].name);
			return 1;
		}
		snprintf(path, sizeof(path), "%s/%s.bin", argv[1], kt_valid_msgs[i].name);
		f = fopen(path, "wb");
		if (!f || fwrite(b.buf, 1, b.len, f) != b.len || fclose(f)) {
			perror(path);
			return 1;
		}
	}
	printf("%u seed messages written to %s\n", kt_nvalid, argv[1]);
	return 0;
}
