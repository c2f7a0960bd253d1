// SPDX-License-Identifier: GPL-2.0
/*
 * Mutated PF_KEY messages against the live module: nothing written to a
 * PF_KEY socket may crash, leak or wedge the kernel. The seed messages are
 * the host validator's fuzz corpus (kmod/pfkey/test/fuzz/corpus: one valid
 * message of every type); each round takes one, mutates it (bit flips,
 * random bytes, truncation, growth, an extension spliced from another seed,
 * usually with the header length fixed up so it gets past the framing
 * check) and writes it; replies are drained. A dump and a flush now and then.
 * It all happens in a network namespace of its own. Afterwards the SAD and
 * SPD are flushed and /proc/net/kame_pfkey must show every SA, policy,
 * socket and dump object gone (the object counts are global: back to at
 * most what they were before).
 *
 * PFKEY_FUZZ_SECS (default 20) and PFKEY_FUZZ_SEED (default: time) set the
 * run; the seed is printed so a failure can be replayed. A write that takes
 * over 15 s fails the test (under TCG a crypto module load, which an ADD
 * of an SA with an algorithm the kernel lacks may cause, takes seconds).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sched.h>
#include <unistd.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "pfkey_util.h"
#include "pfkey_mutate.h"

#define MAX_MSG		PKM_MAX_MSG

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void log_msg(const uint8_t *m, size_t len, double took)
{
	char hex[3 * 96 + 1] = "";
	size_t i;

	for (i = 0; i < len && i < 96; i++)
		sprintf(hex + 3 * i, "%02x ", m[i]);
	fprintf(stderr, "# slow write: %.2f s, type %u satype %u, %zu bytes: %s\n",
		took, m[1], m[3], len, hex);
}

/*
 * The value of @key in /proc/net/kame_pfkey, or -1. The module-wide object
 * counts are shown in the initial netns only (pid 1's).
 */
static long proc_value(const char *key)
{
	return pk_proc_value(strstr(key, "_objects") ? "/proc/1/net/kame_pfkey" :
			     "/proc/net/kame_pfkey", key);
}

FIXTURE(fz) {};
FIXTURE_SETUP(fz) {}
FIXTURE_TEARDOWN(fz) {}

/* The harness kills a test after this: a wedged write shows as a timeout. */
TEST_F_TIMEOUT(fz, mutated_messages, 180)
{
	const char *env = getenv("PFKEY_FUZZ_SECS");
	int secs = env ? atoi(env) : 20;
	unsigned long rounds = 0, accepted = 0, refused = 0, slow = 0;
	long sa0, pol0, dumps0;
	uint8_t m[MAX_MSG] __attribute__((aligned(8)));
	int fd, promisc, i;
	time_t end;
	long left;

	env = getenv("PFKEY_FUZZ_SEED");
	pkm_rng = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
	pkm_rng |= 1;
	TH_LOG("seed %llu (PFKEY_FUZZ_SEED=%llu replays), %d s",
	       (unsigned long long)pkm_rng, (unsigned long long)pkm_rng, secs);
	ASSERT_LT(0, pkm_load_corpus(PKM_CORPUS_DIR))
		TH_LOG("no corpus in %s", PKM_CORPUS_DIR);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	sa0 = proc_value("sa_objects");
	pol0 = proc_value("policy_objects");
	dumps0 = proc_value("dumps");
	ASSERT_LE(0, sa0);

	fd = pk_open();
	promisc = pk_open();
	ASSERT_LE(0, fd);
	ASSERT_LE(0, promisc);
	{	/* a promiscuous listener sees every broadcast too */
		struct pk_msg p;

		pk_init(&p, SADB_X_PROMISC, 0, 0);
		((struct sadb_msg *)p.buf)->sadb_msg_satype = 1;
		pk_finish(&p);
		pk_send(promisc, &p);
	}
	/*
	 * Warm up what loads crypto modules (seconds under TCG, and REGISTER
	 * probes at most once a minute): the loop below then times only the
	 * message handling itself.
	 */
	pk_simple(fd, SADB_REGISTER, SADB_SATYPE_ESP);
	pk_simple(fd, SADB_REGISTER, SADB_SATYPE_AH);
	pk_simple(fd, SADB_REGISTER, SADB_X_SATYPE_IPCOMP);
	for (i = 0; i < pkm_nseeds; i++)
		if (write(fd, pkm_seeds[i].buf, pkm_seeds[i].len) < 0)
			continue;
	pk_simple(fd, SADB_FLUSH, SADB_SATYPE_UNSPEC);
	pk_simple(fd, SADB_X_SPDFLUSH, SADB_SATYPE_UNSPEC);
	pk_drain(fd);
	pk_drain(promisc);

	end = time(NULL) + secs;
	while (time(NULL) < end) {
		if (rounds % (256 * 64) == 0)
			TH_LOG("%lu messages so far", rounds);
		for (i = 0; i < 256; i++) {
			size_t len = pkm_next(m);
			double t0, took;

			t0 = now_s();
			if (write(fd, m, len) >= 0)
				accepted++;
			else
				refused++;
			took = now_s() - t0;
			if (took > 15.0) {	/* a message must not hold the kernel */
				log_msg(m, len, took);
				slow++;
			}
			rounds++;
			pk_drain(fd);
			pk_drain(promisc);
		}
		pkm_dump_or_flush(fd);
		pk_drain(fd);
		pk_drain(promisc);
	}
	TH_LOG("%lu messages written: %lu accepted, %lu refused with an errno",
	       rounds, accepted, refused);
	EXPECT_LT(0UL, refused);
	EXPECT_EQ(0UL, slow);

	/* Whatever the messages made, a flush and closing the sockets free it. */
	pk_simple(fd, SADB_FLUSH, SADB_SATYPE_UNSPEC);
	pk_simple(fd, SADB_X_SPDFLUSH, SADB_SATYPE_UNSPEC);
	close(fd);
	close(promisc);
	for (i = 0; i < 100; i++) {	/* objects go after an RCU grace period */
		if (proc_value("sa_objects") <= sa0 &&
		    proc_value("policy_objects") <= pol0 &&
		    !proc_value("sockets") && proc_value("dumps") <= dumps0)
			break;
		usleep(100000);
	}
	left = proc_value("sad") + proc_value("spd");
	EXPECT_EQ(0, left);
	EXPECT_GE(sa0, proc_value("sa_objects"));
	EXPECT_GE(pol0, proc_value("policy_objects"));
	EXPECT_EQ(0, proc_value("sockets"));
	EXPECT_GE(dumps0, proc_value("dumps"));
}

TEST_HARNESS_MAIN
