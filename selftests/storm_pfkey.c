// SPDX-License-Identifier: GPL-2.0
/*
 * PF_KEY storm (storms.sh, storm 1): COUNT mutated PF_KEY messages
 * (pfkey_mutate.h) written by PROCS processes at once, spread over NETNS
 * network namespaces of their own (processes i and i + NETNS share one, so
 * two writers race on the same SAD and SPD), with a dump or a flush every
 * 256 messages. Then, in every namespace, a flush must leave its SAD and
 * SPD empty and /proc/net/kame_pfkey must show no socket, dump or queued
 * message left; and once the namespaces are gone the module-wide SA and
 * policy object counts (/proc/1/net/kame_pfkey) are back to what they were.
 * A process that writes nothing for 60 s is hung; a write over 15 s is
 * slow (a crypto module load under TCG takes seconds, never that long);
 * both times KAME_SLOW (storm_slow(): on the debug kernel the first
 * REGISTER's algorithm probing took 17 s).
 *
 * Usage: storm_pfkey COUNT PROCS NETNS SEED (run from selftests/). Prints
 * "# ..." notes and one "CHECK 0|1 description" line per assertion.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "pfkey_util.h"
#include "pfkey_mutate.h"
#include "storm_util.h"

#define MAX_PROCS	64
#define MAX_NETNS	16
#define STALL_S		60
#define SLOW_S		15.0

struct worker {
	volatile unsigned long written, accepted, refused, slow;
	volatile int done;
};

static struct worker *workers;

static long here(const char *key)
{
	return pk_proc_value("/proc/self/net/kame_pfkey", key);
}

static long global(const char *key)
{
	return pk_proc_value("/proc/1/net/kame_pfkey", key);
}

static void work(int id, unsigned long n, int nsfd, uint64_t seed)
{
	struct worker *w = &workers[id];
	uint8_t m[PKM_MAX_MSG] __attribute__((aligned(8)));
	int fd, promisc = -1;
	unsigned long i;

	if (setns(nsfd, CLONE_NEWNET))
		exit(1);
	pkm_rng = seed | 1;
	fd = pk_open();
	if (fd < 0)
		exit(1);
	if (id % 2 == 0) {	/* a promiscuous listener sees every broadcast */
		struct pk_msg p;

		promisc = pk_open();
		pk_init(&p, SADB_X_PROMISC, 0, 0);
		((struct sadb_msg *)p.buf)->sadb_msg_satype = 1;
		pk_finish(&p);
		pk_send(promisc, &p);
	}
	for (i = 0; i < n; i++) {
		size_t len = pkm_next(m);
		double t0 = storm_now();

		if (write(fd, m, len) >= 0)
			w->accepted++;
		else
			w->refused++;
		if (storm_now() - t0 > SLOW_S * storm_slow()) {
			fprintf(stderr, "# slow write: %.2f s, type %u satype %u\n",
				storm_now() - t0, m[1], m[3]);
			w->slow++;
		}
		w->written++;
		pk_drain(fd);
		if (promisc >= 0)
			pk_drain(promisc);
		if (i % 256 != 255)
			continue;
		pkm_dump_or_flush(fd);
		pk_drain(fd);
	}
	w->done = 1;
	exit(0);
}

int main(int argc, char **argv)
{
	unsigned long count, per, written = 0, accepted = 0, refused = 0;
	unsigned long slow = 0, last[MAX_PROCS] = { 0 };
	int procs, nns, nsfd[MAX_NETNS], orig, i, k, alive, hung = 0;
	pid_t pid[MAX_PROCS];
	double t0, secs, stall[MAX_PROCS];
	long sa0, pol0, bad;
	uint64_t seed;

	if (argc != 5) {
		fprintf(stderr, "usage: %s COUNT PROCS NETNS SEED\n", argv[0]);
		return 2;
	}
	count = strtoul(argv[1], NULL, 0);
	procs = atoi(argv[2]);
	nns = atoi(argv[3]);
	seed = strtoull(argv[4], NULL, 0);
	if (procs < 1 || procs > MAX_PROCS || nns < 1 || nns > MAX_NETNS ||
	    nns > procs)
		return 2;
	if (pkm_load_corpus(PKM_CORPUS_DIR) <= 0) {
		fprintf(stderr, "no corpus in %s\n", PKM_CORPUS_DIR);
		return 1;
	}
	workers = mmap(NULL, sizeof(*workers) * procs, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	orig = open("/proc/self/ns/net", O_RDONLY);
	if (workers == MAP_FAILED || orig < 0)
		return 1;
	sa0 = global("sa_objects");
	pol0 = global("policy_objects");
	printf("# pfkey storm: %lu messages, %d processes, %d netns, seed %llu\n",
	       count, procs, nns, (unsigned long long)seed);
	printf("# before: sa_objects %ld policy_objects %ld\n", sa0, pol0);

	for (k = 0; k < nns; k++) {
		int fd;

		if (unshare(CLONE_NEWNET))
			return 1;
		nsfd[k] = open("/proc/self/ns/net", O_RDONLY);
		/* Warm up what loads crypto modules, as pfkey_fuzz does. */
		fd = pk_open();
		if (nsfd[k] < 0 || fd < 0)
			return 1;
		pk_simple(fd, SADB_REGISTER, SADB_SATYPE_ESP);
		pk_simple(fd, SADB_REGISTER, SADB_SATYPE_AH);
		pk_simple(fd, SADB_REGISTER, SADB_X_SATYPE_IPCOMP);
		for (i = 0; i < pkm_nseeds; i++)
			if (write(fd, pkm_seeds[i].buf, pkm_seeds[i].len) < 0)
				continue;
		close(fd);
		if (setns(orig, CLONE_NEWNET))
			return 1;
	}

	fflush(stdout);	/* not once more in every child */
	t0 = storm_now();
	per = count / procs;
	for (i = 0; i < procs; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			return 1;
		if (!pid[i])
			work(i, per + (i < (int)(count % procs)), nsfd[i % nns],
			     seed + i * 0x9e3779b97f4a7c15ULL);
		stall[i] = t0;
	}
	/* Wait, watching each writer's progress. */
	do {
		int status;

		usleep(500000);
		alive = 0;
		for (i = 0; i < procs; i++) {
			if (!pid[i])
				continue;
			if (waitpid(pid[i], &status, WNOHANG) == pid[i]) {
				if (!WIFEXITED(status) || WEXITSTATUS(status))
					hung++;	/* died: counted with the hung */
				pid[i] = 0;
				continue;
			}
			alive++;
			if (workers[i].written != last[i]) {
				last[i] = workers[i].written;
				stall[i] = storm_now();
			} else if (storm_now() - stall[i] > STALL_S * storm_slow()) {
				fprintf(stderr, "# writer %d stalled at %lu\n",
					i, last[i]);
				kill(pid[i], SIGKILL);
				waitpid(pid[i], NULL, 0);
				pid[i] = 0;
				hung++;
			}
		}
	} while (alive);
	secs = storm_now() - t0;
	for (i = 0; i < procs; i++) {
		written += workers[i].written;
		accepted += workers[i].accepted;
		refused += workers[i].refused;
		slow += workers[i].slow;
	}
	printf("# %lu messages in %.1f s (%.0f/s): %lu accepted, %lu refused with an errno\n",
	       written, secs, written / (secs > 0 ? secs : 1), accepted, refused);
	storm_check(!hung && written == count,
	      "pfkey storm: every writer finished its messages (%d hung or died)",
	      hung);
	storm_check(!slow, "pfkey storm: no write took over %.0f s (%lu did)",
		    SLOW_S * storm_slow(), slow);
	storm_check(accepted && refused,
	      "pfkey storm: some messages accepted, some refused with an errno");

	/* Each namespace: a flush empties it; nothing else is left. */
	bad = 0;
	for (k = 0; k < nns; k++) {
		int fd;

		if (setns(nsfd[k], CLONE_NEWNET))
			return 1;
		fd = pk_open();
		pk_simple(fd, SADB_FLUSH, SADB_SATYPE_UNSPEC);
		pk_simple(fd, SADB_X_SPDFLUSH, SADB_SATYPE_UNSPEC);
		close(fd);
		for (i = 0; i < 100; i++) {	/* sockets go after a grace period */
			if (!here("sockets") && !here("dumps") && !here("queued"))
				break;
			usleep(100000);
		}
		printf("# netns %d: sockets %ld sad %ld spd %ld dumps %ld queued %ld\n",
		       k, here("sockets"), here("sad"), here("spd"),
		       here("dumps"), here("queued"));
		bad += here("sockets") || here("sad") || here("spd") ||
		       here("dumps") || here("queued");
	}
	storm_check(!bad, "pfkey storm: after a flush no netns has an SA, policy, socket, dump or queued message (%ld do)",
	      bad);
	if (setns(orig, CLONE_NEWNET))
		return 1;
	for (k = 0; k < nns; k++)
		close(nsfd[k]);
	/* The namespaces go in cleanup_net's work, then a grace period. */
	for (i = 0; i < 600; i++) {
		if (global("sa_objects") <= sa0 && global("policy_objects") <= pol0)
			break;
		usleep(100000);
	}
	printf("# after the netns are gone: sa_objects %ld policy_objects %ld (%.1f s)\n",
	       global("sa_objects"), global("policy_objects"), i / 10.0);
	storm_check(global("sa_objects") <= sa0 && global("policy_objects") <= pol0,
	      "pfkey storm: every SA and policy object freed once the netns are gone");
	return storm_failures ? 1 : 0;
}
