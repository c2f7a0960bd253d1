/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kameipsec's generic netlink family "kameipsec": KAME's ipsecstat
 * counters, per-SA and per-policy counters, and a live stream of dropped
 * packets, each with its reason. User space: ipsecstat(8).
 *
 * Everything is per network namespace: a request answers about the netns
 * of the socket that sent it, and the "drops" group only carries drops of
 * the socket's netns.
 *
 * Commands (requests carry at most the attributes listed; the kernel
 * validates strictly: any other attribute, or a header with reserved
 * fields set, is refused with EINVAL and an extended ACK message):
 *
 * KAME_CMD_GET_STATS (do; anyone)
 *	request: KAME_A_FAMILY (u8, AF_INET or AF_INET6; default AF_INET)
 *	reply:   KAME_A_FAMILY, then one KAME_A_COUNTER nest per counter, in
 *		 the order of /proc/net/kame_ipsec{,6}stat:
 *		   KAME_A_KIND (KAME_KIND_*), KAME_A_NAME (the name /proc
 *		   uses: "in_success", "ipcomp_input", "in_esp_icv"...),
 *		   KAME_A_VALUE (u64); histograms add KAME_A_ALG_NAME (the
 *		   algorithm); drop reasons add KAME_A_REASON and, for
 *		   CAP_NET_ADMIN callers only, the last such drop's
 *		   KAME_A_SPI, KAME_A_POLICY_ID and KAME_A_AGE_MS.
 *		 Histogram slots and drop reasons are listed only when non-zero;
 *		 the KAME counters always. KAME_A_SUPPRESSED: drop events the
 *		 rate limit has not sent since the netns was created;
 *		 KAME_A_UNHEARD: drop events built and sent that no socket of
 *		 this netns received (a watcher that left the group open but
 *		 stopped listening); 0 while nobody watches, since then no
 *		 event is built at all.
 *
 * KAME_CMD_RESET_STATS (do; CAP_NET_ADMIN in the netns's user namespace)
 *	request: KAME_A_FAMILY (optional: without it both families)
 *	Zeroes the counters (netstat -z).
 *
 * KAME_CMD_GET_SA (dump; CAP_NET_ADMIN)
 *	request: KAME_A_FAMILY (optional filter)
 *	one message per SA: KAME_A_FAMILY, KAME_A_SRC, KAME_A_DST,
 *	KAME_A_SA_PROTO, KAME_A_SPI, KAME_A_MODE, KAME_A_REQID, KAME_A_STATE,
 *	KAME_A_AUTH_ALG, KAME_A_ENC_ALG, KAME_A_BYTES, KAME_A_PACKETS,
 *	KAME_A_REPLAY_FAIL, KAME_A_ICV_FAIL, KAME_A_ADD_TIME, KAME_A_USE_TIME
 *	(first use, 0 = never), KAME_A_LAST_USE.
 *
 * KAME_CMD_GET_POLICY (dump; CAP_NET_ADMIN)
 *	request: KAME_A_FAMILY (optional filter)
 *	one message per policy: KAME_A_POLICY_ID, KAME_A_DIR, KAME_A_FAMILY,
 *	KAME_A_SRC, KAME_A_DST, KAME_A_SPREFIX, KAME_A_DPREFIX, KAME_A_PROTO,
 *	KAME_A_SPORT, KAME_A_DPORT, KAME_A_POLICY_TYPE, KAME_A_HITS,
 *	KAME_A_LAST_USE, and one KAME_A_REQ nest per request (KAME_A_SA_PROTO,
 *	KAME_A_MODE, KAME_A_LEVEL, KAME_A_REQID and, when the request names
 *	tunnel endpoints, KAME_A_TUN_SRC and KAME_A_TUN_DST: setkey's
 *	"esp/tunnel/TUN_SRC-TUN_DST/require"; the two are of one family,
 *	which may differ from the selector's).
 *
 * KAME_CMD_WATCH (do; CAP_NET_ADMIN)
 *	no attributes. Registers the sending socket as a watcher of this
 *	netns's drops until it is closed: drop events are built only in a
 *	netns that has a watcher (generic netlink only says whether any
 *	netns has a group member). At most KAME_WATCHERS_MAX sockets per
 *	netns (ENOSPC); a second WATCH from the same socket is a no-op.
 *
 * KAME_CMD_DROP (multicast, group KAME_MCGRP_DROPS; joining it needs
 * CAP_NET_ADMIN in the netns's user namespace; a socket receives events
 * once it has joined the group and sent KAME_CMD_WATCH)
 *	one message per dropped packet, at most KAME_DROP_EVENTS_PER_SEC a
 *	second per netns (burst the same); KAME_A_SUPPRESSED counts the drops
 *	the limit did not report since the previous message. Attributes:
 *	KAME_A_DIR, KAME_A_REASON, KAME_A_NAME (reason name as in /proc),
 *	KAME_A_FAMILY; if the packet's IP header was readable: KAME_A_SRC,
 *	KAME_A_DST, KAME_A_PROTO and, for TCP, UDP and SCTP, KAME_A_SPORT and
 *	KAME_A_DPORT; KAME_A_SPI and KAME_A_SA_PROTO when an SA or SPI is
 *	concerned, with the SA's KAME_A_AUTH_ALG, KAME_A_ENC_ALG and
 *	KAME_A_MODE when known; KAME_A_POLICY_ID when a policy decided,
 *	with (for a policy of the SPD still there) its KAME_A_POLICY_TYPE and
 *	one KAME_A_REQ nest per request, as in KAME_CMD_GET_POLICY;
 *	KAME_A_IFINDEX and KAME_A_IFNAME when a device is known.
 *
 * Numbers: SPIs, ports and ids are in host order; addresses are 4 or 16
 * bytes in network order; times are seconds (wall clock) and ages in ms.
 * Algorithm ids are SADB ids (linux/pfkeyv2.h); SA state is SADB_SASTATE_*,
 * mode IPSEC_MODE_*, level IPSEC_LEVEL_*, policy type IPSEC_POLICY_* and
 * direction IPSEC_DIR_* (linux/ipsec.h).
 */
#ifndef _UAPI_LINUX_KAME_IPSECSTAT_H
#define _UAPI_LINUX_KAME_IPSECSTAT_H

#define KAME_GENL_NAME		"kameipsec"
#define KAME_GENL_VERSION	1
#define KAME_MCGRP_DROPS	"drops"

/* Default rate of KAME_CMD_DROP messages per netns. */
#define KAME_DROP_EVENTS_PER_SEC	100
/* KAME_CMD_WATCH sockets per netns. */
#define KAME_WATCHERS_MAX		16

enum kame_genl_cmd {
	KAME_CMD_UNSPEC,
	KAME_CMD_GET_STATS,
	KAME_CMD_RESET_STATS,
	KAME_CMD_GET_SA,
	KAME_CMD_GET_POLICY,
	KAME_CMD_DROP,
	KAME_CMD_WATCH,
	__KAME_CMD_MAX
};
#define KAME_CMD_MAX (__KAME_CMD_MAX - 1)

enum kame_genl_attr {
	KAME_A_UNSPEC,
	KAME_A_PAD,		/* alignment of 64-bit values */
	KAME_A_FAMILY,		/* u8: AF_INET, AF_INET6 */
	KAME_A_COUNTER,		/* nest, see KAME_CMD_GET_STATS */
	KAME_A_KIND,		/* u8: KAME_KIND_* */
	KAME_A_NAME,		/* string */
	KAME_A_VALUE,		/* u64 */
	KAME_A_ALG_NAME,	/* string */
	KAME_A_REASON,		/* u32: the kernel's drop reason number */
	KAME_A_SPI,		/* u32 */
	KAME_A_POLICY_ID,	/* u32 */
	KAME_A_AGE_MS,		/* u32 */
	KAME_A_SUPPRESSED,	/* u64 */
	KAME_A_DIR,		/* u8: IPSEC_DIR_INBOUND, _OUTBOUND, _FWD */
	KAME_A_SRC,		/* binary, 4 or 16 bytes */
	KAME_A_DST,		/* binary, 4 or 16 bytes */
	KAME_A_PROTO,		/* u8: upper-layer protocol */
	KAME_A_SPORT,		/* u16 */
	KAME_A_DPORT,		/* u16 */
	KAME_A_SA_PROTO,	/* u8: IPPROTO_ESP, _AH, _COMP */
	KAME_A_AUTH_ALG,	/* u8: SADB_AALG_* */
	KAME_A_ENC_ALG,		/* u8: SADB_EALG_* (SADB_X_CALG_* for IPComp) */
	KAME_A_MODE,		/* u8: IPSEC_MODE_* */
	KAME_A_IFINDEX,		/* u32 */
	KAME_A_IFNAME,		/* string */
	KAME_A_REQID,		/* u32 */
	KAME_A_STATE,		/* u8: SADB_SASTATE_* */
	KAME_A_BYTES,		/* u64 */
	KAME_A_PACKETS,		/* u64 */
	KAME_A_REPLAY_FAIL,	/* u64: packets dropped by the replay window */
	KAME_A_ICV_FAIL,	/* u64: packets whose ICV did not verify */
	KAME_A_ADD_TIME,	/* u64: seconds since the epoch */
	KAME_A_USE_TIME,	/* u64: first use, seconds since the epoch */
	KAME_A_LAST_USE,	/* u64: seconds since the last use (or -1) */
	KAME_A_SPREFIX,		/* u8 */
	KAME_A_DPREFIX,		/* u8 */
	KAME_A_POLICY_TYPE,	/* u8: IPSEC_POLICY_* */
	KAME_A_HITS,		/* u64: packets the policy matched */
	KAME_A_REQ,		/* nest: one request of a policy */
	KAME_A_LEVEL,		/* u8: IPSEC_LEVEL_* */
	KAME_A_TUN_SRC,		/* binary, 4 or 16 bytes: tunnel entry */
	KAME_A_TUN_DST,		/* binary, 4 or 16 bytes: tunnel exit */
	KAME_A_UNHEARD,		/* u64: drop events no listener received */
	__KAME_A_MAX
};
#define KAME_A_MAX (__KAME_A_MAX - 1)

/* KAME_A_KIND: which table of /proc/net/kame_ipsecstat a counter is in. */
enum kame_counter_kind {
	KAME_KIND_STAT = 1,	/* KAME's struct ipsecstat */
	KAME_KIND_COMP,		/* IPComp counters */
	KAME_KIND_HIST,		/* histograms (KAME_A_ALG_NAME says which) */
	KAME_KIND_DROP,		/* named drop reasons */
	KAME_KIND_NATT,		/* NAT traversal counters (natt_...) */
};

#endif /* _UAPI_LINUX_KAME_IPSECSTAT_H */
