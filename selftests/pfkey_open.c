// SPDX-License-Identifier: GPL-2.0
/*
 * Open a PF_KEY v2 socket; with --hold N keep it open N seconds (used to pin
 * the module). Exit status 0 on success, 1 with a message otherwise.
 */
#include <errno.h>
#include <linux/pfkeyv2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd = socket(PF_KEY, SOCK_RAW, PF_KEY_V2);

	if (fd < 0) {
		fprintf(stderr, "socket(PF_KEY): %s\n", strerror(errno));
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "--hold"))
		sleep(atoi(argv[2]));
	close(fd);
	return 0;
}
