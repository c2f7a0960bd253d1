/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-netns knobs: KAME's net.key.* (PF_KEY and SAD) and the
 * net.inet.ipsec.* / net.inet6.ipsec6.* defaults (see
 * Documentation/pfkey-conformance.md). Values are plain ints read with
 * READ_ONCE(); a write takes effect on the next message or packet.
 */
#ifndef KAME_SYSCTL_H
#define KAME_SYSCTL_H

struct kame_net;
struct ctl_table_header;

/* net.key.* (FreeBSD/KAME names; defaults from KAME). */
struct kame_key_knobs {
	int debug;		/* 0 */
	int spi_trycnt;		/* 1000 */
	int spi_minval;		/* 0x100 */
	int spi_maxval;		/* 0x0fffffff */
	int int_random;		/* 60, historical */
	int larval_lifetime;	/* 30 s */
	int blockacq_count;	/* 10 */
	int blockacq_lifetime;	/* 20 s */
	int esp_keymin;		/* 256 */
	int esp_auth;		/* 0 */
	int ah_keymin;		/* 128 */
	int preferred_oldsa;	/* 0 (NetBSD); also named prefered_oldsa */
	int sha256_icv96;	/* 0: SADB_X_AALG_SHA2_256HMAC SAs get RFC 4868's
				 * 128-bit ICV; 1: Linux af_key's 96 bits. Read
				 * when an SA is added (kameipsec's own) */
	/*
	 * kameipsec's caps (Documentation/pfkey-conformance.md): a netns
	 * inherits the initial netns's values, and a writer without
	 * CAP_NET_ADMIN in the initial user namespace cannot raise them
	 * above those.
	 */
	int max_sas;		/* 1000000, larval included */
	int max_policies;	/* 1000000 SPD entries */
	int max_sockpolicies;	/* 100000 per-socket policies */
};

/* net.inet.ipsec.* (IPv4) and net.inet6.ipsec6.* (IPv6). */
struct kame_ipsec_knobs {
	int def_policy;		/* 1 = none (pass), 0 = discard */
	int esp_trans_deflev;	/* 1 = use, 2 = require */
	int esp_net_deflev;
	int ah_trans_deflev;
	int ah_net_deflev;
	int ah_cleartos;	/* 1 (IPv4 only) */
	int ah_offsetmask;	/* 0 (IPv4 only) */
	int dfbit;		/* 2 = copy inner DF (IPv4 only) */
	int ah_pad8;		/* 0: AH padded to 4 bytes (RFC 4302); 1: to 8,
				 * as Linux XFRM does (IPv4 only) */
	int ecn;		/* 0 */
	int debug;		/* 0 */
};

void kame_sysctl_defaults(struct kame_net *kn);
int kame_sysctl_net_init(struct kame_net *kn);
void kame_sysctl_net_exit(struct kame_net *kn);

#endif /* KAME_SYSCTL_H */
