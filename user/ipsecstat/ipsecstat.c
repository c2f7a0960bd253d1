// SPDX-License-Identifier: BSD-3-Clause
/*
 * ipsecstat(8): KAME's IPsec statistics, per-SA and per-policy counters,
 * and every dropped packet explained as it happens, from kameipsec's
 * generic netlink family.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/kame_ipsecstat.h>

#include "msg.h"
#include "nl.h"
#include "text.h"

/* Exit codes (ipsecstat.8). */
enum {
	EX_OKAY = 0,
	EX_FAIL = 1,
	EX_USAGE_ = 2,
	EX_NOTLOADED = 3,
	EX_NOPERM = 4,
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: ipsecstat [-6] [-j | -r] [-i SECS [-c COUNT]]   KAME's IPsec counters\n"
"       ipsecstat -z [-6]                              reset them (both families\n"
"                                                      without -6)\n"
"       ipsecstat -s [-6] [-o bytes|packets|replay|icv|spi|idle] [-j]\n"
"                    [-a ADDR [-a ADDR]] [-S SPI] [-P esp|ah|ipcomp]\n"
"                                                      one line per SA (those\n"
"                                                      with that address: either\n"
"                                                      end, or source then\n"
"                                                      destination; SPI; protocol)\n"
"       ipsecstat -p [-6] [-j]                         hits per policy\n"
"       ipsecstat -w [-j] [-c COUNT]                   dropped packets, live\n"
"  -6  IPv6 (ipsec6stat)    -j  JSON lines    -r  /proc/net/kame_ipsecstat lines\n"
"  -i  print the changes every SECS seconds   -c  stop after COUNT reports\n");
}

static int exit_for(enum ist_err e)
{
	switch (e) {
	case IST_OK: return EX_OKAY;
	case IST_NOT_LOADED: return EX_NOTLOADED;
	case IST_NO_PERM: return EX_NOPERM;
	default: return EX_FAIL;
	}
}

static int report(struct ist_nl *nl, enum ist_err e)
{
	if (e == IST_OK)
		return EX_OKAY;
	fprintf(stderr, "ipsecstat: %s\n", ist_nl_errmsg(nl));
	return exit_for(e);
}

/* ---- counters ---- */

struct stats_arg {
	struct ist_stats *st;
	int got, bad;
};

static int on_stats(const void *msg, size_t len, void *arg)
{
	struct stats_arg *a = arg;
	const void *attrs;
	size_t alen;
	uint8_t cmd;

	if (ist_msg_split(msg, len, &cmd, &attrs, &alen) ||
	    cmd != KAME_CMD_GET_STATS ||
	    ist_parse_stats(attrs, alen, a->st)) {
		a->bad = 1;
		return 1;
	}
	a->got = 1;
	return 0;
}

static enum ist_err get_stats(struct ist_nl *nl, uint8_t family,
			      struct ist_stats *st)
{
	struct stats_arg a = { st, 0, 0 };
	enum ist_err e = ist_nl_request(nl, KAME_CMD_GET_STATS, 0, family,
					on_stats, &a);

	if (e == IST_OK && (a.bad || !a.got)) {
		fprintf(stderr, "ipsecstat: malformed reply from the kernel\n");
		return IST_ERR;
	}
	return e;
}

/* The counters as /proc/net/kame_ipsecstat lists them (ages left out). */
static void print_raw(FILE *f, const struct ist_stats *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		const struct ist_counter *c = &st->c[i];

		switch (c->kind) {
		case KAME_KIND_HIST:
			fprintf(f, "%s %s %" PRIu64 "\n", c->name, c->alg,
				c->value);
			break;
		case KAME_KIND_DROP:
			if (c->has_last)
				fprintf(f, "drop %s %" PRIu64 " spi 0x%08x policy %u\n",
					c->name, c->value, c->spi, c->policy_id);
			else
				fprintf(f, "drop %s %" PRIu64 " spi - policy -\n",
					c->name, c->value);
			break;
		default:
			fprintf(f, "%s %" PRIu64 "\n", c->name, c->value);
		}
	}
}

enum fmt { FMT_KAME, FMT_JSON, FMT_RAW };

static void print_stats(const struct ist_stats *st, enum fmt fmt)
{
	if (fmt == FMT_JSON)
		ist_print_stats_json(stdout, st);
	else if (fmt == FMT_RAW)
		print_raw(stdout, st);
	else
		ist_print_kame(stdout, st);
	fflush(stdout);
}

static int do_counters(struct ist_nl *nl, uint8_t family, enum fmt fmt,
		       unsigned int interval, long count)
{
	struct ist_stats *st = malloc(sizeof(*st));
	struct ist_stats *prev = malloc(sizeof(*prev));
	struct ist_stats *delta = malloc(sizeof(*delta));
	enum ist_err e;
	int rc = EX_FAIL;
	long n;

	if (!st || !prev || !delta) {
		fprintf(stderr, "ipsecstat: out of memory\n");
		goto out;
	}
	e = get_stats(nl, family, st);
	if (e != IST_OK) {
		rc = report(nl, e);
		goto out;
	}
	print_stats(st, fmt);
	for (n = 1; interval && (count < 0 || n < count); n++) {
		struct ist_stats *t;

		sleep(interval);
		t = prev, prev = st, st = t;
		e = get_stats(nl, family, st);
		if (e != IST_OK) {
			rc = report(nl, e);
			goto out;
		}
		if (fmt != FMT_JSON)
			printf("\n--- %u s later ---\n", interval);
		if (ist_stats_delta(st, prev, delta)) {
			if (fmt != FMT_JSON)
				printf("(counters were reset)\n");
			print_stats(st, fmt);
		} else {
			print_stats(delta, fmt);
		}
	}
	rc = EX_OKAY;
out:
	free(st);
	free(prev);
	free(delta);
	return rc;
}

/* ---- SAs and policies ---- */

struct list_arg {
	int policies;
	void *v;
	size_t n, cap, size;
	int bad;
};

static int on_entry(const void *msg, size_t len, void *arg)
{
	struct list_arg *a = arg;
	const void *attrs;
	size_t alen;
	uint8_t cmd;
	int r;

	if (ist_msg_split(msg, len, &cmd, &attrs, &alen)) {
		a->bad = 1;
		return 1;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		void *v = realloc(a->v, cap * a->size);

		if (!v) {
			a->bad = 1;
			return 1;
		}
		a->v = v;
		a->cap = cap;
	}
	if (a->policies)
		r = cmd != KAME_CMD_GET_POLICY ||
		    ist_parse_policy(attrs, alen,
				     (struct ist_policy *)a->v + a->n);
	else
		r = cmd != KAME_CMD_GET_SA ||
		    ist_parse_sa(attrs, alen, (struct ist_sa *)a->v + a->n);
	if (r) {
		a->bad = 1;
		return 1;
	}
	a->n++;
	return 0;
}

static int do_list(struct ist_nl *nl, int policies, uint8_t family,
		   enum fmt fmt, ist_sa_cmp sort,
		   const struct ist_sa_filter *filter)
{
	struct list_arg a = { .policies = policies,
			      .size = policies ? sizeof(struct ist_policy) :
						 sizeof(struct ist_sa) };
	enum ist_err e;
	size_t i;

	e = ist_nl_request(nl, policies ? KAME_CMD_GET_POLICY : KAME_CMD_GET_SA,
			   1, family, on_entry, &a);
	if (e != IST_OK) {
		free(a.v);
		return report(nl, e);
	}
	if (a.bad) {
		free(a.v);
		fprintf(stderr, "ipsecstat: malformed reply from the kernel\n");
		return EX_FAIL;
	}
	if (sort && a.n)
		qsort(a.v, a.n, a.size, sort);
	if (fmt != FMT_JSON)
		(policies ? ist_print_policy_header : ist_print_sa_header)(stdout);
	for (i = 0; i < a.n; i++) {
		if (policies) {
			const struct ist_policy *p = (struct ist_policy *)a.v + i;

			(fmt == FMT_JSON ? ist_print_policy_json :
					   ist_print_policy)(stdout, p);
		} else {
			const struct ist_sa *s = (struct ist_sa *)a.v + i;

			if (!ist_sa_match(filter, s))
				continue;
			(fmt == FMT_JSON ? ist_print_sa_json : ist_print_sa)(stdout, s);
		}
	}
	free(a.v);
	return EX_OKAY;
}

/* ---- the drop stream ---- */

struct watch_arg {
	enum fmt fmt;
	long left;		/* reports before we stop, <0 = forever */
	uint64_t *lost;
	uint64_t lost_told;
};

static int on_drop(const void *msg, size_t len, void *arg)
{
	struct watch_arg *a = arg;
	struct ist_drop d;
	const void *attrs;
	size_t alen;
	uint8_t cmd;

	if (*a->lost != a->lost_told) {
		fprintf(stderr, "ipsecstat: fell behind: %" PRIu64
			" burst(s) of events lost\n", *a->lost - a->lost_told);
		a->lost_told = *a->lost;
	}
	if (ist_msg_split(msg, len, &cmd, &attrs, &alen) ||
	    cmd != KAME_CMD_DROP || ist_parse_drop(attrs, alen, &d)) {
		fprintf(stderr, "ipsecstat: malformed drop event ignored\n");
		return 0;
	}
	if (a->fmt == FMT_JSON)
		ist_print_drop_json(stdout, &d);
	else
		ist_print_drop(stdout, &d);
	fflush(stdout);
	return a->left > 0 && --a->left == 0;
}

static int do_watch(struct ist_nl *nl, enum fmt fmt, long count)
{
	uint64_t lost = 0;
	struct watch_arg a = { fmt, count, &lost, 0 };

	return report(nl, ist_nl_listen(nl, on_drop, &a, &lost));
}

static int do_reset(struct ist_nl *nl, uint8_t family)
{
	return report(nl, ist_nl_request(nl, KAME_CMD_RESET_STATS, 0, family,
					 NULL, NULL));
}

int main(int argc, char **argv)
{
	enum { COUNTERS, RESET, SAS, POLICIES, WATCH } mode = COUNTERS;
	enum fmt fmt = FMT_KAME;
	unsigned int interval = 0;
	uint8_t family = 0;
	ist_sa_cmp sort = NULL;
	struct ist_sa_filter filter = { 0 };
	int filtered = 0;
	long count = -1;
	struct ist_nl *nl;
	enum ist_err err;
	char *end;
	int c, rc;

	while ((c = getopt(argc, argv, "6zspwjri:c:o:a:S:P:h")) != -1) {
		switch (c) {
		case '6': family = AF_INET6; break;
		case 'z': mode = RESET; break;
		case 's': mode = SAS; break;
		case 'p': mode = POLICIES; break;
		case 'w': mode = WATCH; break;
		case 'j': fmt = FMT_JSON; break;
		case 'r': fmt = FMT_RAW; break;
		case 'i':
			interval = strtoul(optarg, &end, 10);
			if (*end || !interval || interval > 86400) {
				fprintf(stderr, "ipsecstat: -i wants seconds (1..86400)\n");
				return EX_USAGE_;
			}
			break;
		case 'c':
			count = strtol(optarg, &end, 10);
			if (*end || count < 1) {
				fprintf(stderr, "ipsecstat: -c wants a count >= 1\n");
				return EX_USAGE_;
			}
			break;
		case 'o':
			sort = ist_sa_sort_key(optarg);
			if (!sort) {
				fprintf(stderr, "ipsecstat: -o: no key '%s' (bytes, packets, replay, icv, spi, idle)\n",
					optarg);
				return EX_USAGE_;
			}
			break;
		case 'a':
			if (ist_sa_filter_addr(&filter, optarg)) {
				fprintf(stderr, "ipsecstat: -a wants an IPv4 or IPv6 address, at most twice\n");
				return EX_USAGE_;
			}
			filtered = 1;
			break;
		case 'S':
			if (ist_sa_filter_spi(&filter, optarg)) {
				fprintf(stderr, "ipsecstat: -S wants an SPI (0x1001 or 4097)\n");
				return EX_USAGE_;
			}
			filtered = 1;
			break;
		case 'P':
			if (ist_sa_filter_proto(&filter, optarg)) {
				fprintf(stderr, "ipsecstat: -P wants esp, ah or ipcomp\n");
				return EX_USAGE_;
			}
			filtered = 1;
			break;
		case 'h':
			usage(stdout);
			return EX_OKAY;
		default:
			usage(stderr);
			return EX_USAGE_;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EX_USAGE_;
	}
	if (((sort || filtered) && mode != SAS) || (interval && mode != COUNTERS) ||
	    (fmt == FMT_RAW && mode != COUNTERS) ||
	    (count > 0 && !interval && mode != WATCH)) {
		fprintf(stderr, "ipsecstat: these options do not go together (see -h)\n");
		return EX_USAGE_;
	}
	nl = ist_nl_open(&err);
	if (!nl) {
		if (err == IST_NOT_LOADED)
			fprintf(stderr, "ipsecstat: kameipsec is not loaded in this "
				"network namespace (modprobe kameipsec)\n");
		else
			fprintf(stderr, "ipsecstat: cannot open a generic netlink socket: %s\n",
				strerror(errno));
		return exit_for(err);
	}
	switch (mode) {
	case RESET:
		rc = do_reset(nl, family);
		break;
	case SAS:
		rc = do_list(nl, 0, family, fmt, sort, &filter);
		break;
	case POLICIES:
		rc = do_list(nl, 1, family, fmt, NULL, &filter);
		break;
	case WATCH:
		setvbuf(stdout, NULL, _IOLBF, 0);
		rc = do_watch(nl, fmt, count);
		break;
	default:
		rc = do_counters(nl, family ? family : AF_INET, fmt, interval,
				 count);
	}
	ist_nl_close(nl);
	return rc;
}
