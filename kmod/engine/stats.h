/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_STATS_H
#define KAME_ENGINE_STATS_H

#include <linux/types.h>
#include <linux/percpu.h>
#include <linux/socket.h>

struct net;

/* KAME's struct ipsecstat counters, in KAME's order. */
enum kame_stat {
	KAME_STAT_IN_SUCCESS,
	KAME_STAT_IN_POLVIO,
	KAME_STAT_IN_NOSA,
	KAME_STAT_IN_INVAL,
	KAME_STAT_IN_NOMEM,
	KAME_STAT_IN_BADSPI,
	KAME_STAT_IN_AHREPLAY,
	KAME_STAT_IN_ESPREPLAY,
	KAME_STAT_IN_AHAUTHSUCC,
	KAME_STAT_IN_AHAUTHFAIL,
	KAME_STAT_IN_ESPAUTHSUCC,
	KAME_STAT_IN_ESPAUTHFAIL,
	KAME_STAT_OUT_SUCCESS,
	KAME_STAT_OUT_POLVIO,
	KAME_STAT_OUT_NOSA,
	KAME_STAT_OUT_INVAL,
	KAME_STAT_OUT_NOMEM,
	KAME_STAT_OUT_NOROUTE,
	KAME_STAT_MAX
};

/*
 * Why a packet was dropped. Every drop in the engine names one of these;
 * each reason also counts in exactly one KAME ipsecstat counter (see
 * kame_drop_stat in stats.c), so netstat-style totals stay KAME's while
 * the reason says what really happened.
 */
enum kame_drop {
	KAME_DROP_IN_TRUNCATED,		/* shorter than its headers say */
	KAME_DROP_IN_BAD_PADDING,	/* ESP padding not 1, 2, 3, ... */
	KAME_DROP_IN_BAD_NEXTHDR,	/* next header absurd for the mode */
	KAME_DROP_IN_BAD_INNER,		/* tunnel: inner packet malformed */
	KAME_DROP_IN_NOSA,		/* no SA for (dst, SPI, proto) */
	KAME_DROP_IN_SA_STATE,		/* SA larval, dead or expired */
	KAME_DROP_IN_ESP_REPLAY,
	KAME_DROP_IN_AH_REPLAY,
	KAME_DROP_IN_ESP_ICV,		/* ESP ICV did not verify */
	KAME_DROP_IN_AH_ICV,		/* AH ICV did not verify */
	KAME_DROP_IN_CRYPTO,		/* crypto API error other than ICV */
	KAME_DROP_IN_NOMEM,
	KAME_DROP_IN_POLICY_DISCARD,	/* inbound policy says discard */
	KAME_DROP_IN_POLICY_CLEAR,	/* needed IPsec, arrived clear */
	KAME_DROP_IN_POLICY_MISMATCH,	/* IPsec used does not match policy */
	KAME_DROP_IN_TOO_DEEP,		/* too many nested SAs or re-injections */
	KAME_DROP_IN_FRAG,		/* decapsulated fragment not reassembled */
	KAME_DROP_IN_POLICY_NOREQ,	/* "ipsec" policy with no request */
	KAME_DROP_IN_COMP_BAD,		/* IPComp data does not decompress */
	KAME_DROP_IN_COMP_TOO_BIG,	/* IPComp inflates past an IP datagram */
	KAME_DROP_IN_NATT_MISMATCH,	/* ESP in UDP for an SA without NAT-T or
					 * on another port, or plain ESP for a
					 * NAT-T SA (RFC 3948) */
	KAME_DROP_OUT_POLICY_DISCARD,	/* outbound policy says discard */
	KAME_DROP_OUT_NOSA,		/* level require/unique, no SA */
	KAME_DROP_OUT_POLICY_NOREQ,	/* "ipsec" policy with no request */
	KAME_DROP_OUT_SA_STATE,		/* SA dying past its hard limit */
	KAME_DROP_OUT_SEQ_OVERFLOW,	/* sequence number would cycle */
	KAME_DROP_OUT_TOO_BIG,		/* over path MTU with DF: sender told */
	KAME_DROP_OUT_MALFORMED,	/* headers unparsable or GSO failure */
	KAME_DROP_OUT_CRYPTO,		/* crypto API error */
	KAME_DROP_OUT_NOMEM,
	KAME_DROP_OUT_NOROUTE,		/* no route for the tunnel's outer dst */
	KAME_DROP_MAX
};

/* Histograms, indexed by SADB algorithm id (as KAME's in_esphist[] ...). */
enum kame_hist {
	KAME_HIST_IN_ESP,
	KAME_HIST_IN_AH,
	KAME_HIST_IN_COMP,
	KAME_HIST_OUT_ESP,
	KAME_HIST_OUT_AH,
	KAME_HIST_OUT_COMP,
	KAME_HIST_MAX
};

/*
 * Algorithm ids in use are below 32 or from 224 up (KAME's private ids):
 * keep 64 slots per histogram instead of 256.
 */
#define KAME_HIST_SLOTS 64

/*
 * IPComp counters, after FreeBSD's struct ipcompstat (KAME's ipsecstat
 * only has the histograms); listed as "ipcomp_<name> N".
 */
enum kame_comp_stat {
	KAME_COMP_INPUT,	/* packets decompressed */
	KAME_COMP_IBYTES,	/* their bytes as received (IPComp header too) */
	KAME_COMP_IBYTES_RAW,	/* the same packets' bytes after decompression */
	KAME_COMP_IN_UNCOMPR,	/* tunnel mode: IP-in-IP the peer left plain */
	KAME_COMP_OUTPUT,	/* packets compressed */
	KAME_COMP_OBYTES_RAW,	/* their payload bytes before compression */
	KAME_COMP_OBYTES,	/* the same after compression (header too) */
	KAME_COMP_THRESHOLD,	/* sent uncompressed: under the threshold */
	KAME_COMP_UNCOMPR,	/* sent uncompressed: did not shrink */
	KAME_COMP_MAX
};

/*
 * NAT traversal (RFC 3948) counters, listed as "natt_<name> N". Not
 * drops: keepalives are what they are meant to be, IKE goes to its socket.
 */
enum kame_natt_stat {
	KAME_NATT_IN_ESP,	/* ESP taken out of UDP for an SA of ours */
	KAME_NATT_IN_KEEPALIVE,	/* 1-byte 0xFF NAT-keepalives, consumed */
	KAME_NATT_IN_IKE,	/* zero non-ESP marker: left to the IKE socket */
	KAME_NATT_OUT_ESP,	/* ESP sent in UDP */
	KAME_NATT_NEW_MAPPING,	/* SADB_X_NAT_T_NEW_MAPPING sent */
	KAME_NATT_MAPPING_LIMITED, /* new mapping seen, message rate-limited */
	KAME_NATT_MAX
};

struct kame_stats {
	u64 stat[KAME_STAT_MAX];
	u64 comp[KAME_COMP_MAX];
	u64 natt[KAME_NATT_MAX];
	u64 drop[KAME_DROP_MAX];
	u64 hist[KAME_HIST_MAX][KAME_HIST_SLOTS];
};

/* Which ipsecstat instance: KAME keeps one for IPv4, one for IPv6. */
enum kame_af_idx {
	KAME_AF_INET,
	KAME_AF_INET6,
	KAME_AF_MAX
};

static inline enum kame_af_idx kame_af_idx(unsigned short family)
{
	return family == AF_INET6 ? KAME_AF_INET6 : KAME_AF_INET;
}

const char *kame_drop_name(enum kame_drop reason);

/* True for the reasons counted on the way out (the out_* ones). */
static inline bool kame_drop_is_out(enum kame_drop reason)
{
	return reason >= KAME_DROP_OUT_POLICY_DISCARD;
}

void kame_stat_inc(struct net *net, unsigned short family, enum kame_stat s);
void kame_hist_inc(struct net *net, unsigned short family, enum kame_hist h,
		   unsigned int alg);
void kame_comp_stat_add(struct net *net, unsigned short family,
			enum kame_comp_stat s, u64 n);
void kame_natt_stat_inc(struct net *net, unsigned short family,
			enum kame_natt_stat s);
struct sk_buff;
struct kame_sa;

/*
 * Count a drop: the reason, its ipsecstat counter, and remember the SPI
 * (network order, 0 if none) and policy id (0 if none) as the last drop
 * for that reason. @skb (or NULL) is the packet as dropped, network header
 * set; @sa (or NULL) the SA concerned: its replay/ICV failure counters
 * count the drop, and both describe the drop to the drop listener, if any
 * (below). Any context.
 */
void kame_drop(struct net *net, unsigned short family, enum kame_drop reason,
	       __be32 spi, u32 policy_id, const struct sk_buff *skb,
	       struct kame_sa *sa);

/* A drop, as kame_drop() tells its listener. */
struct kame_drop_info {
	enum kame_drop reason;
	unsigned short family;
	__be32 spi;
	u32 policy_id;
	const struct sk_buff *skb;
	const struct kame_sa *sa;
};

/*
 * Who hears of each drop besides the counters: one listener, the generic
 * netlink "drops" stream (kmod/genl/drops.c), set at its init; the engine
 * does not call up into genl. ->drop runs from kame_drop(), in any context
 * and under rcu_read_lock(): it must not sleep. kame_drop_listen(NULL)
 * returns once no ->drop call is running (the listener's exit).
 */
struct kame_drop_listener {
	void (*drop)(struct net *net, const struct kame_drop_info *d);
};
void kame_drop_listen(const struct kame_drop_listener *l);

/* One counter as kame_stats_walk() shows it. */
struct kame_counter_view {
	u8 kind;		/* KAME_KIND_* (uapi kame_ipsecstat.h) */
	const char *name;	/* as in /proc/net/kame_ipsecstat */
	const char *alg;	/* KAME_KIND_HIST: the algorithm */
	u64 value;
	enum kame_drop reason;	/* KAME_KIND_DROP: */
	__be32 spi;		/* the last such drop's SPI, */
	u32 policy_id;		/* policy */
	unsigned int age_ms;	/* and age */
};

/*
 * Call @visit for each counter of @family's ipsecstat in /proc's order:
 * every KAME and IPComp counter, non-zero histogram slots, drop reasons
 * that counted. Stops at (and returns) @visit's first non-zero return.
 */
int kame_stats_walk(struct net *net, unsigned short family,
		    int (*visit)(const struct kame_counter_view *c, void *arg),
		    void *arg);

/* Zero @family's counters and last drops (netstat -z). Racy by design. */
void kame_stats_reset(struct net *net, unsigned short family);

int kame_stats_net_init(struct net *net);
void kame_stats_net_exit(struct net *net);

#endif
