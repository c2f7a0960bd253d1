// SPDX-License-Identifier: GPL-2.0
/*
 * What PF_KEY sockets and dumps leave behind, read from /proc/net/kame_pfkey:
 *  - sockets closed while broadcasts run leave no message queued anywhere
 *    ("queued" back to 0 with "sockets"), however the close and the
 *    broadcast interleave;
 *  - the counters of a netns are its own: a second netns shows 0 sockets,
 *    dumps and queued messages while the first has them;
 *  - a dump nobody reads does not keep deleted SAs (and their keys) alive:
 *    the SA objects are freed while the dump socket stays open, and the dump
 *    then ends cleanly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pfkey_util.h"

/* @name in @file (a /proc/net/kame_pfkey), or -1 if absent. */
static long stat_in(const char *file, const char *name)
{
	char line[128], key[64];
	long v, found = -1;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", key, &v) == 2 && !strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

static long stat_of(const char *name)
{
	return stat_in("/proc/net/kame_pfkey", name);
}

/* Module-wide object counts are shown in the initial netns only. */
static long objects(const char *name)
{
	return stat_in("/proc/1/net/kame_pfkey", name);
}

/* Wait up to 5 s (grace periods, RCU callbacks) for @get(@name) <= @want. */
static long settle(long (*get)(const char *), const char *name, long want)
{
	long v = -1;
	int i;

	for (i = 0; i < 50; i++) {
		v = get(name);
		if (v >= 0 && v <= want)
			break;
		usleep(100000);
	}
	return v;
}

FIXTURE(rel) {
	int unused;
};
FIXTURE_SETUP(rel) {}
FIXTURE_TEARDOWN(rel) {}

static void set_promisc(int fd)
{
	struct pk_msg m;

	pk_init(&m, SADB_X_PROMISC, 1, 0);
	pk_finish(&m);
	pk_send(fd, &m);
}

/*
 * A broadcast as heavy as a message may be: X_PROMISC with a payload goes
 * to every socket, and every promiscuous socket gets a wrapped copy too.
 * The payload looks like an ADD with keys.
 */
static void broadcaster(int secs)
{
	static struct pk_msg add, m;
	struct sadb_msg *h;
	time_t end = time(NULL) + secs;
	int fd = pk_open();

	if (fd < 0)
		_exit(1);
	pk_build_add(&add, SADB_ADD, 1, 0x7000, "10.14.0.1", "10.14.0.2");
	pk_key(&add, SADB_EXT_KEY_ENCRYPT, 8 * 1024, 0x5a);	/* heavy */
	pk_finish(&add);
	pk_init(&m, SADB_X_PROMISC, 0, 2);
	h = (struct sadb_msg *)m.buf;
	memcpy(m.buf + sizeof(*h), add.buf, add.len);
	m.len = sizeof(*h) + add.len;
	h->sadb_msg_len = m.len / 8;
	while (time(NULL) < end) {
		int i;

		for (i = 0; i < 64; i++)
			if (write(fd, m.buf, m.len) < 0 && errno != ENOBUFS)
				_exit(2);
		pk_drain(fd);
	}
	close(fd);
	_exit(0);
}

/* Open @n promiscuous sockets, close them, again and again for @secs s. */
static void churner(int secs, int n)
{
	time_t end = time(NULL) + secs;
	int fds[64], i;

	while (time(NULL) < end) {
		for (i = 0; i < n; i++) {
			fds[i] = pk_open();
			if (fds[i] < 0)
				_exit(1);
			set_promisc(fds[i]);
		}
		for (i = 0; i < n; i++)
			close(fds[i]);
	}
	_exit(0);
}

TEST_F_TIMEOUT(rel, close_during_broadcasts_leaves_nothing_queued, 90)
{
	pid_t kids[3];
	int i, status;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, stat_of("sockets"));
	kids[0] = fork();
	if (!kids[0])
		broadcaster(15);
	for (i = 1; i < 3; i++) {
		kids[i] = fork();
		if (!kids[i])
			churner(15, 32);
	}
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("child %d: status 0x%x", i, status);
	}
	/* Sockets are freed after a grace period, their queues with them. */
	EXPECT_EQ(0, settle(stat_of, "sockets", 0));
	EXPECT_EQ(0, settle(stat_of, "queued", 0));
}

/* Signalled through @ready once netns A has a socket, queued messages and a dump. */
static void netns_a(int ready, int done)
{
	static struct pk_msg m;
	static struct pk_reply r;
	int fd, dumper, rcvbuf = 4096, i;
	char c = 1, src[32];

	if (unshare(CLONE_NEWNET))
		_exit(1);
	fd = pk_open();
	dumper = pk_open();
	if (fd < 0 || dumper < 0)
		_exit(2);
	for (i = 0; i < 50; i++) {
		snprintf(src, sizeof(src), "10.15.0.%d", i + 1);
		pk_build_add(&m, SADB_ADD, 1, 0x7100 + i, src, "10.15.1.1");
		if (pk_call(fd, &m, &r))
			_exit(3);
	}
	setsockopt(dumper, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	pk_init(&m, SADB_DUMP, 0, 2);
	pk_finish(&m);
	if (pk_send(dumper, &m) < 0)
		_exit(4);
	if (write(ready, &c, 1) != 1 || read(done, &c, 1) != 1)
		_exit(5);
	_exit(0);
}

TEST_F_TIMEOUT(rel, counters_are_per_netns, 60)
{
	int ready[2], done[2], status;
	char c = 0;
	pid_t a;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	a = fork();
	ASSERT_LE(0, a);
	if (!a)
		netns_a(ready[1], done[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	/* This process in a second netns: none of A's sockets, dumps or messages. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	EXPECT_EQ(0, stat_of("sockets"));
	EXPECT_EQ(0, stat_of("sad"));
	EXPECT_EQ(0, stat_of("dumps"));
	EXPECT_EQ(0, stat_of("queued"));
	/* Module-wide numbers are for the initial netns only. */
	EXPECT_EQ(-1, stat_of("sa_objects"));
	EXPECT_EQ(-1, stat_of("policy_objects"));
	ASSERT_EQ(1, write(done[1], &c, 1));
	ASSERT_EQ(a, waitpid(a, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("netns A: status 0x%x", status);
}

#define NPIN	100

TEST_F_TIMEOUT(rel, unread_dump_does_not_pin_deleted_sas, 90)
{
	static struct pk_msg m;
	static struct pk_reply r;
	int fd = pk_open(), dumper, rcvbuf = 4096, i, got = 0;
	long base;
	char src[32];

	ASSERT_LE(0, fd);
	pk_init(&m, SADB_FLUSH, 0, 1);
	ASSERT_EQ(0, pk_call(fd, &m, &r));
	base = settle(objects, "sa_objects", 0);
	ASSERT_LE(0, base);
	for (i = 0; i < NPIN; i++) {
		snprintf(src, sizeof(src), "10.16.0.%d", i + 1);
		pk_build_add(&m, SADB_ADD, 2, 0x7200 + i, src, "10.16.1.1");
		ASSERT_EQ(0, pk_call(fd, &m, &r));
	}
	EXPECT_LE(base + NPIN, objects("sa_objects"));
	/* A dump that fills a small buffer and is never read... */
	dumper = pk_open();
	ASSERT_LE(0, dumper);
	ASSERT_EQ(0, setsockopt(dumper, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				sizeof(rcvbuf)));
	pk_init(&m, SADB_DUMP, 0, 3);
	ASSERT_LT(0, pk_send(dumper, &m));
	usleep(100000);
	EXPECT_EQ(1, stat_of("dumps"));
	/* ...does not keep the SAs once they are flushed. */
	pk_init(&m, SADB_FLUSH, 0, 4);
	ASSERT_EQ(0, pk_call(fd, &m, &r));
	EXPECT_EQ(0, stat_of("sad"));
	EXPECT_EQ(base, settle(objects, "sa_objects", base));
	EXPECT_EQ(1, stat_of("dumps"));
	/* The dump ends: what was already sent, then seq 0 or an error. */
	while (pk_recv_type(dumper, &r, SADB_DUMP, 2000) > 0) {
		got++;
		if (r.hdr->sadb_msg_errno) {
			EXPECT_EQ(ENOENT, r.hdr->sadb_msg_errno);
			break;
		}
		if (!r.hdr->sadb_msg_seq)
			break;
	}
	TH_LOG("%d dump messages after the flush", got);
	EXPECT_LT(0, got);
	EXPECT_GT(NPIN, got);
	EXPECT_EQ(0, settle(stat_of, "dumps", 0));
	close(dumper);
	close(fd);
}

TEST_HARNESS_MAIN
