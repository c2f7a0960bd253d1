// SPDX-License-Identifier: GPL-2.0
/*
 * Per-socket policy storm (storms.sh, storm 3): COUNT UDP sockets (IPv4 and
 * IPv6) opened, given an inbound and an outbound policy with
 * IP_IPSEC_POLICY / IPV6_IPSEC_POLICY, used for one datagram to a receiver
 * on the loopback and closed, by PROCS processes at once, each holding up
 * to WINDOW sockets open. Run in a netns of its own with lo up and the ESP
 * SAs 127.0.0.1 -> 127.0.0.1 and ::1 -> ::1 in the SAD (storms.sh).
 *
 * Outbound policies: bypass (sent clear), "ipsec esp/transport//require"
 * (sent as ESP: the engine's out_success counts each, and in_success again
 * as the loopback brings it back) and discard (sendto fails with EPERM).
 * Inbound: bypass or esp/transport//require (only compiled: the senders
 * receive nothing). Afterwards /proc/net/kame_sockpolicy shows every
 * policy compiled freed and none live.
 *
 * Usage: storm_sockpol COUNT PROCS SEED. Prints "# ..." notes and one
 * "CHECK 0|1 description" line per assertion.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "sockpolicy_util.h"
#include "storm_util.h"

#define MAX_PROCS	64
#define WINDOW		32

enum { OUT_BYPASS, OUT_ESP, OUT_DISCARD, OUT_MAX };

static const char *const out_pol[OUT_MAX] = {
	"out bypass", "out ipsec esp/transport//require", "out discard",
};
static const char *const in_pol[] = {
	"in bypass", "in ipsec esp/transport//require",
};

struct worker {
	/* [family v6][policy]: sends that worked, and failed with EPERM */
	unsigned long sent[2][OUT_MAX], eperm[2][OUT_MAX];
	unsigned long opened, setfail, othererr;
};

static struct worker *workers;
static struct sockaddr_in6 rx6;
static struct sockaddr_in rx4;

/* The engine's @key in /proc/net/kame_ipsec[6]stat. */
static long stat_of(int v6, const char *key)
{
	char k[64];
	long v, ret = -1;
	FILE *f = fopen(v6 ? "/proc/net/kame_ipsec6stat" :
			"/proc/net/kame_ipsecstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld%*[^\n]", k, &v) == 2)
		if (!strcmp(k, key))
			ret = v;
	fclose(f);
	return ret;
}

static void work(struct worker *w, unsigned long n)
{
	int fds[WINDOW], fam[WINDOW], nopen = 0, i;
	unsigned long done = 0;

	while (done < n) {
		for (nopen = 0; nopen < WINDOW && done < n; nopen++, done++) {
			int v6 = storm_rnd() & 1, op = storm_rnd() % OUT_MAX;
			int f = v6 ? AF_INET6 : AF_INET;
			int fd = socket(f, SOCK_DGRAM, 0);
			ssize_t r;

			fds[nopen] = fd;
			fam[nopen] = v6;
			if (fd < 0) {
				w->othererr++;
				continue;
			}
			w->opened++;
			if (sp_set(fd, f, out_pol[op]) ||
			    sp_set(fd, f, in_pol[storm_rnd() % 2])) {
				w->setfail++;
				continue;
			}
			r = v6 ? sendto(fd, "k", 1, 0, (struct sockaddr *)&rx6,
					sizeof(rx6)) :
				 sendto(fd, "k", 1, 0, (struct sockaddr *)&rx4,
					sizeof(rx4));
			if (r == 1)
				w->sent[v6][op]++;
			else if (errno == EPERM)
				w->eperm[v6][op]++;
			else
				w->othererr++;
		}
		/* Close in an order of their own: not all at the window's end. */
		for (i = 0; i < nopen; i++) {
			int j = storm_rnd() % nopen, t = fds[i];

			fds[i] = fds[j];
			fds[j] = t;
			t = fam[i];
			fam[i] = fam[j];
			fam[j] = t;
		}
		for (i = 0; i < nopen; i++)
			if (fds[i] >= 0)
				close(fds[i]);
	}
}

int main(int argc, char **argv)
{
	unsigned long count, per, tot_sent[2][OUT_MAX] = { { 0 } };
	unsigned long tot_eperm[2][OUT_MAX] = { { 0 } };
	unsigned long opened = 0, setfail = 0, othererr = 0;
	long out0[2], in0[2], dout[2], din[2], live;
	struct sp_stat st0, st1;
	int procs, i, v6, op, rx[2];
	pid_t pid[MAX_PROCS];
	double t0, secs;
	socklen_t sl;
	char buf[16];

	if (argc != 4) {
		fprintf(stderr, "usage: %s COUNT PROCS SEED\n", argv[0]);
		return 2;
	}
	count = strtoul(argv[1], NULL, 0);
	procs = atoi(argv[2]);
	if (procs < 1 || procs > MAX_PROCS)
		return 2;
	if (sp_stat_read(&st0)) {
		fprintf(stderr, "no /proc/net/kame_sockpolicy\n");
		return 1;
	}
	workers = mmap(NULL, sizeof(*workers) * procs, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (workers == MAP_FAILED)
		return 1;
	memset(workers, 0, sizeof(*workers) * procs);

	/* The receivers: one UDP socket per family on the loopback. */
	rx4.sin_family = AF_INET;
	rx4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rx6.sin6_family = AF_INET6;
	rx6.sin6_addr = in6addr_loopback;
	rx[0] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	rx[1] = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	sl = sizeof(rx4);
	if (rx[0] < 0 || rx[1] < 0 ||
	    bind(rx[0], (struct sockaddr *)&rx4, sizeof(rx4)) ||
	    getsockname(rx[0], (struct sockaddr *)&rx4, &sl))
		return 1;
	sl = sizeof(rx6);
	if (bind(rx[1], (struct sockaddr *)&rx6, sizeof(rx6)) ||
	    getsockname(rx[1], (struct sockaddr *)&rx6, &sl))
		return 1;

	for (v6 = 0; v6 < 2; v6++) {
		out0[v6] = stat_of(v6, "out_success");
		in0[v6] = stat_of(v6, "in_success");
	}
	printf("# sockpolicy storm: %lu sockets, %d processes, window %d, seed %s\n",
	       count, procs, WINDOW, argv[3]);
	printf("# before: live %ld compiled %ld freed %ld\n", st0.live,
	       st0.compiled, st0.freed);

	fflush(stdout);	/* not once more in every child */
	t0 = storm_now();
	per = count / procs;
	for (i = 0; i < procs; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			return 1;
		if (!pid[i]) {
			storm_rng = (strtoull(argv[3], NULL, 0) + i * 0x9e3779b97f4a7c15ULL) | 1;
			work(&workers[i], per + (i < (int)(count % procs)));
			exit(0);
		}
	}
	for (i = 0; i < procs; i++) {
		int status;

		if (waitpid(pid[i], &status, 0) != pid[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			othererr++;
	}
	secs = storm_now() - t0;
	for (i = 0; i < procs; i++) {
		opened += workers[i].opened;
		setfail += workers[i].setfail;
		othererr += workers[i].othererr;
		for (v6 = 0; v6 < 2; v6++)
			for (op = 0; op < OUT_MAX; op++) {
				tot_sent[v6][op] += workers[i].sent[v6][op];
				tot_eperm[v6][op] += workers[i].eperm[v6][op];
			}
	}
	while (recv(rx[0], buf, sizeof(buf), 0) > 0 ||
	       recv(rx[1], buf, sizeof(buf), 0) > 0)
		;
	printf("# %lu sockets in %.1f s (%.0f/s): %lu failed setsockopt, %lu other errors\n",
	       opened, secs, opened / (secs > 0 ? secs : 1), setfail, othererr);
	for (v6 = 0; v6 < 2; v6++)
		printf("# IPv%d sent: bypass %lu esp %lu; discard: %lu EPERM, %lu sent\n",
		       v6 ? 6 : 4, tot_sent[v6][OUT_BYPASS], tot_sent[v6][OUT_ESP],
		       tot_eperm[v6][OUT_DISCARD], tot_sent[v6][OUT_DISCARD]);

	storm_check(opened == count && !setfail && !othererr,
	      "sockpolicy storm: %lu sockets opened, each given two policies and used",
	      count);
	storm_check(tot_eperm[0][OUT_BYPASS] + tot_eperm[1][OUT_BYPASS] +
	      tot_eperm[0][OUT_ESP] + tot_eperm[1][OUT_ESP] +
	      tot_sent[0][OUT_DISCARD] + tot_sent[1][OUT_DISCARD] == 0,
	      "sockpolicy storm: bypass and esp sockets sent, discard ones got EPERM");
	for (v6 = 0; v6 < 2; v6++) {
		dout[v6] = stat_of(v6, "out_success") - out0[v6];
		din[v6] = stat_of(v6, "in_success") - in0[v6];
		printf("# IPv%d: out_success +%ld in_success +%ld\n",
		       v6 ? 6 : 4, dout[v6], din[v6]);
	}
	storm_check(dout[0] == (long)tot_sent[0][OUT_ESP] &&
	      dout[1] == (long)tot_sent[1][OUT_ESP] &&
	      din[0] == dout[0] && din[1] == dout[1],
	      "sockpolicy storm: every esp send went out and came back as ESP (out_success, in_success)");
	close(rx[0]);
	close(rx[1]);

	/* The sweep frees a policy 1 to 3 s after its socket closes. */
	t0 = storm_now();
	live = sp_wait_live(st0.live, 30);
	sp_stat_read(&st1);
	printf("# after %.1f s: live %ld compiled +%ld freed +%ld rejected +%ld\n",
	       storm_now() - t0, st1.live, st1.compiled - st0.compiled,
	       st1.freed - st0.freed, st1.rejected - st0.rejected);
	storm_check(live == st0.live && st1.compiled - st0.compiled == 2 * (long)count &&
	      st1.freed - st0.freed == st1.compiled - st0.compiled,
	      "sockpolicy storm: all %lu policies compiled, all freed, none live",
	      2 * count);
	return storm_failures ? 1 : 0;
}
