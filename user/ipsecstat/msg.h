/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kameipsec generic netlink messages (linux/kame_ipsecstat.h), parsed
 * from raw bytes into plain structures. No socket and no libnl here: the
 * parser is the part that reads what the kernel (or anyone able to send
 * to our socket) wrote, so it is unit-tested and fuzzed on its own.
 *
 * Every attribute we know must have its exact size (strings: NUL
 * terminated within their attribute; addresses: 4 or 16 bytes); a message
 * that breaks this is refused whole (-1). Attributes we do not know are
 * skipped (a newer kernel may add some).
 */
#ifndef IPSECSTAT_MSG_H
#define IPSECSTAT_MSG_H

#include <stddef.h>
#include <stdint.h>

/* More counters than this in one reply is a malformed reply. */
#define IST_MAX_COUNTERS	512
#define IST_MAX_REQ		8
#define IST_NAME_LEN		48

struct ist_addr {
	uint8_t len;		/* 0 (absent), 4 or 16 */
	uint8_t b[16];
};

struct ist_counter {
	uint8_t kind;		/* KAME_KIND_* */
	char name[IST_NAME_LEN];
	char alg[IST_NAME_LEN];	/* KAME_KIND_HIST */
	uint64_t value;
	uint32_t reason;	/* KAME_KIND_DROP */
	int has_last;		/* spi/policy_id/age_ms present */
	uint32_t spi, policy_id, age_ms;
};

struct ist_stats {
	uint8_t family;
	uint64_t suppressed;
	uint64_t unheard;	/* drop events sent that nobody here received */
	size_t n;
	struct ist_counter c[IST_MAX_COUNTERS];
};

struct ist_req {
	uint8_t sa_proto, mode, level;
	uint32_t reqid;
	struct ist_addr tun_src, tun_dst;	/* both or neither */
};

/* Which optional fields of a drop event were present. */
enum {
	IST_HAS_SRC = 1 << 0,
	IST_HAS_PROTO = 1 << 1,
	IST_HAS_PORTS = 1 << 2,
	IST_HAS_SPI = 1 << 3,
	IST_HAS_SA_PROTO = 1 << 4,
	IST_HAS_ALGS = 1 << 5,
	IST_HAS_MODE = 1 << 6,
	IST_HAS_POLICY = 1 << 7,
	IST_HAS_IF = 1 << 8,
	IST_HAS_POLICY_TYPE = 1 << 9,
};

struct ist_drop {
	unsigned int has;	/* IST_HAS_* */
	uint8_t dir;		/* IPSEC_DIR_* */
	uint32_t reason;
	char name[IST_NAME_LEN];
	uint8_t family;
	struct ist_addr src, dst;
	uint8_t proto;
	uint16_t sport, dport;
	uint32_t spi;
	uint8_t sa_proto, auth_alg, enc_alg, mode;
	uint32_t policy_id;
	uint8_t policy_type;	/* IST_HAS_POLICY_TYPE: the policy's action */
	unsigned int nreq;	/* and its requests */
	struct ist_req req[IST_MAX_REQ];
	uint32_t ifindex;
	char ifname[16];
	uint64_t suppressed;
};

struct ist_sa {
	uint8_t family;
	struct ist_addr src, dst;
	uint8_t sa_proto;
	uint32_t spi;
	uint8_t mode, state, auth_alg, enc_alg;
	uint32_t reqid;
	uint64_t bytes, packets, replay_fail, icv_fail;
	uint64_t add_time, use_time, last_use;
};

struct ist_policy {
	uint32_t id;
	uint8_t dir, family;
	struct ist_addr src, dst;
	uint8_t sprefix, dprefix, proto, type;
	uint16_t sport, dport;
	uint64_t hits, last_use;
	unsigned int nreq;
	struct ist_req req[IST_MAX_REQ];
};

/*
 * The generic netlink message starting at @buf (one nlmsghdr, @len bytes
 * available): its command in *@cmd, its attributes in *@attrs (*@alen bytes).
 * -1 if the header or its length is wrong.
 */
int ist_msg_split(const void *buf, size_t len, uint8_t *cmd,
		  const void **attrs, size_t *alen);

/* Parse the attributes of one message; 0 or -1 (malformed). */
int ist_parse_stats(const void *attrs, size_t len, struct ist_stats *out);
int ist_parse_drop(const void *attrs, size_t len, struct ist_drop *out);
int ist_parse_sa(const void *attrs, size_t len, struct ist_sa *out);
int ist_parse_policy(const void *attrs, size_t len, struct ist_policy *out);

#endif
