/* SPDX-License-Identifier: BSD-3-Clause */
/* What ipsecstat prints: pure functions of parsed messages (see msg.h). */
#ifndef IPSECSTAT_TEXT_H
#define IPSECSTAT_TEXT_H

#include <stdio.h>
#include <time.h>

#include "msg.h"

/* KAME's "netstat -s -p ipsec" (or ipsec6), then kameipsec's extras. */
void ist_print_kame(FILE *f, const struct ist_stats *st);
/* The same counters as one JSON object on one line. */
void ist_print_stats_json(FILE *f, const struct ist_stats *st);
/*
 * *@out = @now - @prev, counter by counter (matched by kind, name and
 * algorithm; one missing in @prev counts from 0). Returns -1 if @now has
 * a counter that went down (a reset): the caller starts over.
 */
int ist_stats_delta(const struct ist_stats *now, const struct ist_stats *prev,
		    struct ist_stats *out);

/* The explanation of a drop reason (by /proc name) and what to check. */
struct ist_reason_text {
	const char *name;	/* "in_esp_icv" */
	const char *what;	/* "ICV mismatch" */
	const char *why;	/* likely cause and what to check */
};
const struct ist_reason_text *ist_reason_text(const char *name);
/* The table, terminated by a NULL name. */
extern const struct ist_reason_text ist_reasons[];

/* One drop event as a sentence, or as a JSON line. */
void ist_print_drop(FILE *f, const struct ist_drop *d);
void ist_print_drop_json(FILE *f, const struct ist_drop *d);

/* The per-SA table (-s): header, one line an SA; JSON lines. */
void ist_print_sa_header(FILE *f);
void ist_print_sa(FILE *f, const struct ist_sa *s);
void ist_print_sa_json(FILE *f, const struct ist_sa *s);
/* Sort keys for -s -o KEY; NULL if @key is unknown. */
typedef int (*ist_sa_cmp)(const void *a, const void *b);
ist_sa_cmp ist_sa_sort_key(const char *key);

/*
 * Which SAs -s lists: -a ADDR (once: either end is ADDR; twice: the source
 * is the first, the destination the second), -S SPI, -P esp|ah|ipcomp.
 * Each ist_sa_filter_* returns 0, or -1 for a value it cannot read (or a
 * third address); an empty filter matches every SA.
 */
struct ist_sa_filter {
	unsigned int naddr;
	struct ist_addr addr[2];
	int has_spi;
	uint32_t spi;
	uint8_t sa_proto;	/* 0: any */
};
int ist_sa_filter_addr(struct ist_sa_filter *f, const char *s);
int ist_sa_filter_spi(struct ist_sa_filter *f, const char *s);
int ist_sa_filter_proto(struct ist_sa_filter *f, const char *s);
int ist_sa_match(const struct ist_sa_filter *f, const struct ist_sa *s);

/* Per-policy hits (-p): header, one line a policy; JSON lines. */
void ist_print_policy_header(FILE *f);
void ist_print_policy(FILE *f, const struct ist_policy *p);
void ist_print_policy_json(FILE *f, const struct ist_policy *p);

#endif
