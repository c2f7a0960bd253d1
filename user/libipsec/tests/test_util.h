/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers for libipsec's host tests. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline struct sockaddr_storage test_addr(const char *s, unsigned int port)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(s, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, s, &s6->sin6_addr);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, s, &s4->sin_addr);
	}
	return ss;
}

/* Whole file as a NUL-terminated string, or NULL. */
static inline char *test_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/*
 * Compares text with a golden file byte for byte; on mismatch writes the
 * actual text next to it (.out) so a diff shows what changed.
 */
static inline int test_golden(const char *path, const char *text)
{
	char *want = test_slurp(path);
	char out[512];
	FILE *f;
	int same = want && !strcmp(want, text);

	if (!same) {
		snprintf(out, sizeof(out), "%s.out", path);
		f = fopen(out, "w");
		if (f) {
			fputs(text, f);
			fclose(f);
		}
		fprintf(stderr, "# golden mismatch: diff %s %s\n", path, out);
	}
	free(want);
	return same;
}

#endif
