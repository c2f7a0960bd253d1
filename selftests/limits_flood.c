// SPDX-License-Identifier: GPL-2.0
/*
 * What an unprivileged user can make kameipsec hold (limits_memcg.sh): in
 * the current netns, create up to COUNT objects of one kind until the
 * kernel refuses one, and print one line
 *
 *	mode=M ok=N errno=E mem_before=B mem_after=A
 *
 * errno is the first refusal's errno (sadb_msg_errno, or setsockopt()'s),
 * 0 if all COUNT were made; mem_* are the cgroup's memory.current (with
 * -m DIR, the cgroup's directory), else 0. Modes:
 *	add	  ESP SAs (3DES/SHA1 keys) with two identities of --ident bytes
 *	getspi	  larval SAs (SADB_GETSPI)
 *	spdadd	  outbound SPD entries, one source address each
 *	sockpol	  per-socket discard policies, one UDP socket each (kept open)
 *	flushrace COUNT larval SAs, then SADB_FLUSH while a second process
 *		  keeps writing GETSPIs: prints flush_ms, how many of those
 *		  completed while the FLUSH ran and the longest wait for one
 *		  (max_gap_ms: most of flush_ms if FLUSH holds the SAD's lock
 *		  across the whole SAD)
 * -r MB keeps MB of touched memory while flooding and gives it back before
 * reading memory.current and printing, so that the process is not
 * OOM-killed at its cgroup's limit. -h: then wait to be killed.
 */
#define _GNU_SOURCE	/* sched_setaffinity */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include "pfkey_util.h"

#define BIG	65536

static const char *memcg;

static int memfd = -1;

/* memory.current without allocating: at the cgroup's limit a page fault could kill us. */
static long mem_current(void)
{
	char buf[32];
	ssize_t n;

	if (memfd < 0)
		return 0;
	n = pread(memfd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Send @len bytes of @buf, then its reply's errno (-1: none came). */
static int call_raw(int fd, const void *buf, size_t len)
{
	const struct sadb_msg *h = buf;
	static struct pk_reply r;

	if (write(fd, buf, len) < 0)
		return errno;
	while (pk_recv(fd, &r, 5000) >= (ssize_t)sizeof(struct sadb_msg)) {
		if (r.hdr->sadb_msg_type == h->sadb_msg_type &&
		    r.hdr->sadb_msg_seq == h->sadb_msg_seq &&
		    r.hdr->sadb_msg_pid == h->sadb_msg_pid)
			return r.hdr->sadb_msg_errno;
	}
	return -1;
}

/* An ADD with two identities of @ident bytes each. */
static int add_one(int fd, unsigned int i, size_t ident)
{
	static uint8_t buf[BIG] __attribute__((aligned(8)));
	static struct pk_msg m;
	size_t len, t, elen = (sizeof(struct sadb_ident) + ident + 7) & ~7UL;

	pk_build_add(&m, SADB_ADD, i + 1, htonl(0x1000 + i), "10.0.0.1",
		     "10.0.0.2");
	len = pk_finish(&m);
	memcpy(buf, m.buf, len);
	for (t = SADB_EXT_IDENTITY_SRC; ident && t <= SADB_EXT_IDENTITY_DST; t++) {
		struct sadb_ident *id = (void *)(buf + len);

		if (len + elen > sizeof(buf))
			return EMSGSIZE;
		memset(id, 0, elen);
		id->sadb_ident_len = elen / 8;
		id->sadb_ident_exttype = t;
		id->sadb_ident_type = SADB_IDENTTYPE_FQDN;
		memset(id + 1, 'a', ident - 1);	/* NUL-terminated */
		len += elen;
	}
	((struct sadb_msg *)buf)->sadb_msg_len = len / 8;
	return call_raw(fd, buf, len);
}

static int getspi_one(int fd, unsigned int i)
{
	static struct pk_msg m;

	pk_init(&m, SADB_GETSPI, SADB_SATYPE_ESP, i + 1);
	pk_addr(&m, SADB_EXT_ADDRESS_SRC, "10.0.0.1", 0, 32, IPSEC_ULPROTO_ANY);
	pk_addr(&m, SADB_EXT_ADDRESS_DST, "10.0.0.2", 0, 32, IPSEC_ULPROTO_ANY);
	return call_raw(fd, m.buf, pk_finish(&m));
}

static int spdadd_one(int fd, unsigned int i)
{
	static struct pk_msg m;
	char src[32];

	snprintf(src, sizeof(src), "10.%u.%u.%u", 1 + (i >> 16) % 200,
		 (i >> 8) & 255, i & 255);
	pk_build_spd(&m, SADB_X_SPDADD, i + 1, IPSEC_DIR_OUTBOUND, src, 32,
		     "10.250.0.1", 32, IPSEC_POLICY_NONE);
	return call_raw(fd, m.buf, pk_finish(&m));
}

static int sockpol_one(void)
{
	struct sadb_x_policy p = {
		.sadb_x_policy_len = sizeof(p) / 8,
		.sadb_x_policy_exttype = SADB_X_EXT_POLICY,
		.sadb_x_policy_type = IPSEC_POLICY_DISCARD,
		.sadb_x_policy_dir = IPSEC_DIR_OUTBOUND,
	};
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		return errno;
	if (setsockopt(s, IPPROTO_IP, IP_IPSEC_POLICY, &p, sizeof(p)) < 0) {
		int err = errno;

		close(s);
		return err;
	}
	return 0;	/* the socket stays open: it carries the policy */
}

static int flush(int fd)
{
	static struct pk_msg m;

	pk_init(&m, SADB_FLUSH, SADB_SATYPE_UNSPEC, 0x7fffffff);
	return call_raw(fd, m.buf, pk_finish(&m));
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		return -1;
	}
	return 0;
}

/* What the second writer of flushrace records (shared memory). */
struct race {
	volatile int stop;
	volatile int n;
	volatile int err;
	double done[1 << 16];	/* completion times, ms */
};

static int flushrace(int fd, unsigned int count)
{
	struct race *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double t0, t1, last, gap = 0;
	unsigned int i;
	int during = 0, k, err;
	pid_t pid;

	if (r == MAP_FAILED)
		return 1;
	for (i = 0; i < count; i++) {
		err = getspi_one(fd, i);
		if (err) {
			printf("mode=flushrace setup_ok=%u errno=%d\n", i, err);
			return 1;
		}
	}
	/*
	 * One CPU each, so that only the SAD's lock (not the scheduler) can
	 * make the second writer wait while the FLUSH runs.
	 */
	if (pin(0))
		return 1;
	pid = fork();
	if (pid == 0) {
		int fd2 = pk_open();

		if (pin(1))
			_exit(1);

		for (i = 0; !r->stop && r->n < (int)(sizeof(r->done) / sizeof(r->done[0])); i++) {
			r->err = getspi_one(fd2, count + i);
			if (r->err)
				break;
			r->done[r->n] = now_ms();
			r->n++;
		}
		_exit(0);
	}
	while (r->n < 20)	/* the second writer is running */
		usleep(1000);
	t0 = last = now_ms();
	err = flush(fd);
	t1 = now_ms();
	r->stop = 1;
	waitpid(pid, NULL, 0);
	/* The longest the second writer waited while the FLUSH ran. */
	for (k = 0; k < r->n; k++) {
		if (r->done[k] <= t0 || r->done[k] >= t1)
			continue;
		during++;
		if (r->done[k] - last > gap)
			gap = r->done[k] - last;
		last = r->done[k];
	}
	if (t1 - last > gap)
		gap = t1 - last;
	printf("mode=flushrace ok=%u errno=%d flush_ms=%.0f during=%d max_gap_ms=%.0f\n",
	       count, err, t1 - t0, during, gap);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int i, count;
	size_t ident = 0, reserve = 0;
	const char *mode;
	long before, after;
	bool hold = false;
	void *res = NULL;
	int fd, err = 0, c;

	while ((c = getopt(argc, argv, "i:m:r:h")) != -1) {
		switch (c) {
		case 'i': ident = strtoul(optarg, NULL, 0); break;
		case 'm': memcg = optarg; break;
		case 'r': reserve = strtoul(optarg, NULL, 0) << 20; break;
		case 'h': hold = true; break;
		default: goto usage;
		}
	}
	if (argc - optind != 2)
		goto usage;
	mode = argv[optind];
	count = strtoul(argv[optind + 1], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (!strcmp(mode, "sockpol")) {
		struct rlimit rl;

		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	fd = pk_open();
	if (fd < 0) {
		perror("socket(PF_KEY)");
		return 1;
	}
	if (!strcmp(mode, "flushrace"))
		return flushrace(fd, count);
	if (memcg) {
		char path[512];

		snprintf(path, sizeof(path), "%s/memory.current", memcg);
		memfd = open(path, O_RDONLY);
		if (memfd < 0) {
			perror(path);
			return 1;
		}
	}
	before = mem_current();
	if (reserve) {
		res = mmap(NULL, reserve, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (res == MAP_FAILED)
			return 1;
		memset(res, 1, reserve);
	}
	for (i = 0; i < count && !err; i++) {
		if (!strcmp(mode, "add"))
			err = add_one(fd, i, ident);
		else if (!strcmp(mode, "getspi"))
			err = getspi_one(fd, i);
		else if (!strcmp(mode, "spdadd"))
			err = spdadd_one(fd, i);
		else if (!strcmp(mode, "sockpol"))
			err = sockpol_one();
		else
			goto usage;
		if (!err)
			continue;
		i--;
	}
	/*
	 * Give the reserve back first: at the limit, reading memory.current
	 * or a munmap() that splits a VMA allocates, charged, and the OOM
	 * killer would pick us. MADV_DONTNEED frees the pages in place.
	 */
	if (res)
		madvise(res, reserve, MADV_DONTNEED);
	after = mem_current();
	printf("mode=%s ok=%u errno=%d mem_before=%ld mem_after=%ld\n", mode, i,
	       err, before, after);
	if (hold)
		pause();
	return 0;
usage:
	fprintf(stderr, "usage: %s [-i identbytes] [-m memcgdir] [-r reserveMB] [-h] add|getspi|spdadd|sockpol|flushrace COUNT\n",
		argv[0]);
	return 2;
}
