// SPDX-License-Identifier: GPL-2.0
/*
 * TCP echo peer with per-socket policies, for the namespace tests.
 *
 *   sockpolicy_peer server ADDR PORT [-p POLICY]...   echo one connection
 *   sockpolicy_peer client ADDR PORT [-p POLICY]... [-n BYTES]
 *
 * POLICY is an ipsec_set_policy(3) string ("out bypass", "in ipsec
 * esp/transport//require", ...) set on the socket before bind/connect (the
 * server's accepted socket inherits it). The client sends BYTES (default
 * 65536) and checks the echo. Exit: 0 ok, 2 connect() refused with EPERM
 * (a discard policy), 3 timeout, 1 anything else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sockpolicy_util.h"

/* Poll timeout; SOCKPOLICY_TIMEOUT_MS overrides (expected failures). */
static int timeout_ms = 8000;

static int parse_addr(const char *s, int port, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	struct sockaddr_in *a4 = (void *)ss;
	struct sockaddr_in6 *a6 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		*len = sizeof(*a4);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, s, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		*len = sizeof(*a6);
		return AF_INET6;
	}
	return -1;
}

static int wait_fd(int fd, short ev)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int n = poll(&p, 1, timeout_ms);

	return n == 1 ? 0 : -1;
}

static int io_all(int fd, char *buf, size_t len, bool wr)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n;

		if (wait_fd(fd, wr ? POLLOUT : POLLIN))
			return 3;
		n = wr ? write(fd, buf + done, len - done) :
			 read(fd, buf + done, len - done);
		if (n <= 0)
			return 1;
		done += n;
	}
	return 0;
}

static int server(int fd)
{
	char buf[16384];
	int c;
	ssize_t n;

	if (listen(fd, 1) || wait_fd(fd, POLLIN))
		return 3;
	c = accept(fd, NULL, NULL);
	if (c < 0)
		return 1;
	for (;;) {
		if (wait_fd(c, POLLIN))
			return 3;
		n = read(c, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0 || io_all(c, buf, n, true))
			return 1;
	}
	close(c);
	return 0;
}

static int client(int fd, const struct sockaddr_storage *ss, socklen_t len,
		  size_t bytes)
{
	char *out = malloc(bytes), *in = malloc(bytes);
	size_t i;
	int err = 0;
	socklen_t elen = sizeof(err);

	if (!out || !in)
		return 1;
	for (i = 0; i < bytes; i++)
		out[i] = (char)(i * 7 + 1);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (connect(fd, (const struct sockaddr *)ss, len) && errno != EINPROGRESS)
		err = errno;
	else if (wait_fd(fd, POLLOUT))
		return 3;
	else
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	if (err) {
		fprintf(stderr, "connect: %s\n", strerror(err));
		return err == EPERM ? 2 : 1;
	}
	/* Write and read interleaved, so that the echo never blocks us. */
	for (i = 0; i < bytes; i += 4096) {
		size_t n = bytes - i < 4096 ? bytes - i : 4096;
		int r = io_all(fd, out + i, n, true);

		if (!r)
			r = io_all(fd, in + i, n, false);
		if (r) {
			fprintf(stderr, "transfer failed at %zu: %s\n", i,
				r == 3 ? "timeout" : strerror(errno));
			return r;
		}
	}
	if (memcmp(in, out, bytes)) {
		fprintf(stderr, "echo differs\n");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	size_t bytes = 65536;
	int fd, fam, opt, one = 1;
	bool srv;

	if (getenv("SOCKPOLICY_TIMEOUT_MS"))
		timeout_ms = atoi(getenv("SOCKPOLICY_TIMEOUT_MS"));
	if (argc < 4)
		goto usage;
	srv = !strcmp(argv[1], "server");
	fam = parse_addr(argv[2], atoi(argv[3]), &ss, &len);
	if (fam < 0 || (!srv && strcmp(argv[1], "client")))
		goto usage;
	fd = socket(fam, SOCK_STREAM, 0);
	if (fd < 0)
		return 1;
	optind = 4;
	while ((opt = getopt(argc, argv, "p:n:")) != -1) {
		int err;

		switch (opt) {
		case 'p':
			err = sp_set(fd, fam, optarg);
			if (err) {
				fprintf(stderr, "policy \"%s\": %s\n", optarg,
					strerror(err));
				return 1;
			}
			break;
		case 'n':
			bytes = strtoul(optarg, NULL, 0);
			break;
		default:
			goto usage;
		}
	}
	if (!srv)
		return client(fd, &ss, len, bytes);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len)) {
		perror("bind");
		return 1;
	}
	return server(fd);
usage:
	fprintf(stderr, "usage: %s server|client ADDR PORT [-p POLICY]... [-n BYTES]\n",
		argv[0]);
	return 1;
}
