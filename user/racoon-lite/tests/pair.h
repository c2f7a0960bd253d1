/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Two racoon-lite engines in one process, A (10.0.0.1) and B (10.0.0.2),
 * talking over an AF_UNIX datagram socketpair, with a fake clock and a
 * PF_KEY test double that records what would be installed.
 */
#ifndef RACOON_LITE_TEST_PAIR_H
#define RACOON_LITE_TEST_PAIR_H

#include <netinet/in.h>
#include <stdio.h>

#include "../ike.h"

#define FAKE_MAX_SAS 16

struct fake_kernel {
	uint32_t next_spi;
	int getspi_calls;
	uint32_t last_getspi_seq;
	struct child_sa sa[FAKE_MAX_SAS];
	bool inbound[FAKE_MAX_SAS];
	bool deleted[FAKE_MAX_SAS];
	int nsa;
	int ndel;
	uint32_t last_del_spi;	/* any SA, larval ones too */
	int del_calls;
	int acquire_failed;
	uint32_t reqid_in, reqid_out;	/* policy_reqid answers; 0: none */
	bool fail_install;
};

struct side {
	struct ike *ike;
	struct config *conf;
	struct psk_table *psk;
	struct fake_kernel k;
	int fd;				/* our end of the socketpair */
	struct sockaddr_in addr;
	int drop_next;			/* lose this many outgoing packets */
	size_t mtu;			/* lose longer ones (0: no limit) */
	int too_big;			/* how many were */
	int sent;
	/* what the wire carried last from this side (host order ports) */
	uint16_t last_sport, last_dport;
	int keepalives_rx;		/* RFC 3948 0xFF bytes received */
};

/*
 * A NAT in front of A (nat_a): B sees A's packets come from nat_addr with
 * the port + nat_shift, and must answer there; changing nat_shift is a
 * new mapping.
 */
struct pair {
	struct side a, b;
	bool nat_a;
	struct in_addr nat_addr;	/* 10.0.0.99 */
	/* B behind a port-forwarding NAT: A reaches it at 10.0.0.98, same ports */
	bool nat_b;
	struct in_addr nat_b_addr;
	uint16_t nat_shift;		/* 10000 */
	/* if set, sees (and may change) every datagram before delivery */
	void (*mangle)(struct pair *p, struct side *from, uint8_t *pkt,
		       size_t len);
	char logbuf[1 << 16];
	FILE *log;
};

extern const struct kernel_ops fake_kernel_ops;
extern time_t fake_now;

/* conf texts are racoon.conf; psk texts are psk.txt contents. */
int pair_init(struct pair *p, const char *conf_a, const char *psk_a,
	      const char *conf_b, const char *psk_b);
void pair_free(struct pair *p);
/* Delivers packets until both sockets are quiet; returns how many. */
int pair_run(struct pair *p);
/* A asks for an SA to B, as an ACQUIRE for a host-to-host policy would. */
int pair_acquire(struct pair *p, struct side *from, struct side *to,
		 uint8_t satype, uint32_t seq);
/* The SA installed on side s with the given direction and SPI, or NULL. */
const struct child_sa *fake_find(const struct side *s, bool inbound,
				 uint32_t spi);
int fake_count(const struct side *s, bool inbound);
/* A fresh engine for s, as after a restart. */
int side_restart(struct side *s);
/* Log text so far. */
const char *pair_log(struct pair *p);
/* Writes text into a new 0600 file; returns its malloc'ed path. */
char *write_temp(const char *text, int mode);

#endif
