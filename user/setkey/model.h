/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a setkey script leaves in the kernel, decoded from the PF_KEY
 * messages the parser builds: the SAs and the policies, each with the line
 * that made it. The linter and the translators (-X, --from-xfrm) read it;
 * working on the messages rather than the text means they see exactly
 * what the kernel would.
 */
#ifndef SETKEY_MODEL_H
#define SETKEY_MODEL_H

#include <stdint.h>
#include <sys/socket.h>
#include "parse.h"
#include "../libipsec/pfkey_msg.h"

#define SK_MREQ_MAX 8

struct sk_msa {
	int line;
	unsigned int satype;	/* SADB_SATYPE_ESP/AH, SADB_X_SATYPE_IPCOMP */
	uint32_t spi;		/* host order */
	struct sockaddr_storage src, dst;
	unsigned int mode;	/* IPSEC_MODE_ANY when no -m */
	uint32_t reqid;
	unsigned int replay;
	uint32_t flags;		/* KAME SA flags */
	unsigned int ealg, aalg;	/* ealg is the calg for IPComp */
	uint8_t *ekey, *akey;
	size_t ekeylen, akeylen;
	int natt;
	unsigned int natt_sport, natt_dport;
	uint64_t lh, ls, bh, bs;	/* -lh -ls -bh -bs */
};

struct sk_mreq {
	unsigned int proto;	/* IPPROTO_ESP/AH/COMP */
	unsigned int mode, level;
	uint32_t reqid;
	int tunnel;		/* endpoints given */
	struct sockaddr_storage tsrc, tdst;
};

struct sk_mpol {
	int line;
	unsigned int dir;	/* IPSEC_DIR_INBOUND/OUTBOUND/FWD */
	unsigned int type;	/* IPSEC_POLICY_* */
	uint32_t priority;
	struct sockaddr_storage src, dst;	/* ports in the sockaddrs */
	unsigned int sprefix, dprefix;
	unsigned int proto;	/* IPSEC_ULPROTO_ANY or a protocol */
	struct sk_mreq req[SK_MREQ_MAX];
	size_t nreq;
};

struct sk_model {
	struct sk_msa *sa;
	size_t nsa;
	struct sk_mpol *pol;
	size_t npol;
	int sa_adds;		/* add/update statements seen, flushed or not */
};

/* What applying one message did (for the linter). */
enum sk_mresult {
	SK_M_OTHER,	/* nothing the model tracks */
	SK_M_SA,	/* SA added or updated */
	SK_M_POL,	/* policy added or updated */
	SK_M_SA_DUP,	/* add of an SA that exists: the kernel says EEXIST */
	SK_M_POL_DUP,	/* spdadd of a selector that exists: EEXIST */
	SK_M_BAD,	/* a message the model cannot read */
};

void sk_model_init(struct sk_model *m);
void sk_model_free(struct sk_model *m);
/* *old: the existing entry for the _DUP results. */
enum sk_mresult sk_model_apply(struct sk_model *m, const struct sadb_msg *msg,
			       int line, const void **old);
/* Every message of a parsed statement; returns 0 or -1 on SK_M_BAD. */
int sk_model_apply_cmd(struct sk_model *m, const struct sk_cmd *c);

/* One message: an add/update into an SA (free with sk_msa_free) ... */
int sk_msa_decode(const struct sadb_msg *msg, int line, struct sk_msa *s);
void sk_msa_free(struct sk_msa *s);
/* ... an spd* message into a policy ... */
int sk_mpol_decode(const struct sadb_msg *msg, int line, struct sk_mpol *p);
/* ... or just the addresses and SPI (get, delete): 1 with an SPI, 0
 * without, -1 unreadable. */
int sk_msg_ids(const struct sadb_msg *msg, struct sockaddr_storage *src,
	       struct sockaddr_storage *dst, uint32_t *spi);

/* The SA type a request asks for. */
unsigned int sk_req_satype(const struct sk_mreq *r);
/* Request r of policy p would use SA s (type, reqid, addresses). */
int sk_req_uses_sa(const struct sk_mpol *p, const struct sk_mreq *r,
		   const struct sk_msa *s);

/* Address helpers shared by the readers of the model. */
int sk_addr_eq(const struct sockaddr_storage *a, const struct sockaddr_storage *b);
/* a/ap contains b/bp (same family, ap <= bp, same first ap bits). */
int sk_prefix_covers(const struct sockaddr_storage *a, unsigned int ap,
		     const struct sockaddr_storage *b, unsigned int bp);
unsigned int sk_addr_port(const struct sockaddr_storage *a);
unsigned int sk_addr_maxprefix(const struct sockaddr_storage *a);
/* "10.0.0.1", "10.0.1.0/24", "10.0.0.1[110]", "fec0::1" into buf. */
const char *sk_addr_str(const struct sockaddr_storage *a, unsigned int prefix,
			int withport, char *buf, size_t len);
const char *sk_ipproto_name(unsigned int proto);

#endif
