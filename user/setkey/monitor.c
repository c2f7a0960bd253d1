// SPDX-License-Identifier: BSD-3-Clause
/* setkey -x: print every PF_KEY message the kernel sends anyone. */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include "monitor.h"

static void hexdump_lines(FILE *out, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			fprintf(out, "%s%08zx: ", i ? "\n" : "", i);
		fprintf(out, "%02x ", p[i]);
	}
	fputc('\n', out);
}

void sk_monitor_print(FILE *out, const struct sadb_msg *m, int rawtime,
		      int hexdump)
{
	struct timeval tv;
	struct tm tm;
	size_t len = (size_t)m->sadb_msg_len * 8;

	gettimeofday(&tv, NULL);
	if (rawtime) {
		fprintf(out, "%lu.%06lu\n", (unsigned long)tv.tv_sec,
			(unsigned long)tv.tv_usec);
	} else {
		localtime_r(&tv.tv_sec, &tm);
		fprintf(out, "%02d:%02d:%02d.%06lu\n", tm.tm_hour, tm.tm_min,
			tm.tm_sec, (unsigned long)tv.tv_usec);
	}
	if (hexdump)
		hexdump_lines(out, m, len);
	/* KAME wraps copies for promiscuous sockets in an X_PROMISC header */
	if (m->sadb_msg_type == SADB_X_PROMISC && len > sizeof(*m) &&
	    len - sizeof(*m) >= sizeof(*m)) {
		const struct sadb_msg *in = m + 1;

		if ((size_t)in->sadb_msg_len * 8 <= len - sizeof(*m))
			m = in;
	}
	kdebug_sadb_fp(out, m);
	fflush(out);
}

int sk_monitor(int so, FILE *out, int rawtime, int hexdump)
{
	struct sadb_msg *m;

	if (pfkey_send_promisc_toggle(so, 1) < 0) {
		fprintf(stderr, "setkey: X_PROMISC: %s\n", ipsec_strerror());
		return -1;
	}
	for (;;) {
		m = pfkey_recv(so);
		/*
		 * A message read and refused (malformed: pfkey_recv() says
		 * why) is one bad message, not the end of the monitor: say so
		 * and read the next. A socket error ends it.
		 */
		if (!m && __ipsec_errcode == EIPSEC_INVAL_SADBMSG) {
			fprintf(stderr, "setkey: recv: %s\n", ipsec_strerror());
			continue;
		}
		if (!m) {
			fprintf(stderr, "setkey: recv: %s\n", ipsec_strerror());
			return -1;
		}
		sk_monitor_print(out, m, rawtime, hexdump);
		free(m);
	}
}
