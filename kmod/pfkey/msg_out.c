// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Checking what the kernel sends, for userland (libipsec, racoon-lite, the
 * selftests, the host tests); not built into the module. The idea is
 * OpenBSD's allowed/required-out tables: for each message type the kernel
 * sends, the extensions it may carry and those it must. The tables say
 * what kmod/pfkey builds today (sa_msg.c, sp_msg.c, acquire.c, alg.c, the
 * handlers); a reply outside them is a kameipsec bug. Those tables are the
 * KAME_OUT_STRICT mode, which the selftests read every reply with. The tools
 * (libipsec's pfkey_recv(), so setkey; racoon-lite) must work with any
 * PF_KEY v2 kernel, whose shapes differ within RFC 2367 (Linux af_key
 * broadcasts an ADD with its keys and current lifetime): KAME_OUT_ANY
 * checks what a reader relies on for any kernel (framing, the extension
 * walk with each extension's bounds and content, the addresses) and leaves
 * which extensions a type carries to the reader. Either way a message that
 * fails is refused with an error naming the message and the extension
 * instead of read past what it holds.
 *
 * Order of the checks (kame_msg_parse_out(); KAME_OUT_ANY has the frame,
 * header, errno, X_PROMISC, ext (every type allowed) and cross rows):
 * frame    | shorter than 16 or sadb_msg_len * 8 != length     | EINVAL | why "framing"
 * header   | sadb_msg_version != PF_KEY_V2, type 0 or > MAX    | EINVAL | "header"
 * errno    | sadb_msg_errno != 0: the request echoed as written | 0      | body is m->payload
 * type     | X_PROMISC: a message wrapped as it was            | 0      | body is m->payload
 * type     | a type the kernel never sends (X_PCHANGE, ...)    | EINVAL | "not a type the kernel sends"
 * ext      | the walk and content checks of kame_msg_parse()   | as in  | "extension not allowed", "malformed extension"
 * satype   | the out table's rule (SPD: UNSPEC; SA: AH/ESP/IPCOMP) | EINVAL | "satype"
 * cross    | ADDRESS_SRC/_DST of one family and protocol        | EINVAL | "address families or protocols differ"
 * required | an extension the type always carries is missing    | EINVAL | "required extension missing"
 * EXPIRE   | neither LIFETIME_HARD nor _SOFT (RFC 2367 2.3.3)   | EINVAL | "required extension missing"
 * SA msgs  | NAT_T_TYPE, _SPORT, _DPORT not all or none         | EINVAL | "NAT-T extensions incomplete"
 */
#include "msg_parse.h"

#define B(t)	KAME_EXT_BIT(t)

#define ADDR_SD		(B(SADB_EXT_ADDRESS_SRC) | B(SADB_EXT_ADDRESS_DST))
#define LT_HS		(B(SADB_EXT_LIFETIME_HARD) | B(SADB_EXT_LIFETIME_SOFT))
#define IDENTS		(B(SADB_EXT_IDENTITY_SRC) | B(SADB_EXT_IDENTITY_DST))
#define NATT_PORTS	(B(SADB_X_EXT_NAT_T_TYPE) | B(SADB_X_EXT_NAT_T_SPORT) | \
			 B(SADB_X_EXT_NAT_T_DPORT))
#define NATT		(NATT_PORTS | B(SADB_X_EXT_NAT_T_OA))

/* An SA as pfkey_sa_msg() writes it for a broadcast: never keys. */
#define SA_NOTIFY	(B(SADB_EXT_SA) | B(SADB_X_EXT_SA2) | LT_HS | ADDR_SD | \
			 IDENTS | NATT)
/* The whole SA (GET, DUMP: to the requester only): with keys. */
#define SA_FULL		(SA_NOTIFY | B(SADB_EXT_LIFETIME_CURRENT) | \
			 B(SADB_EXT_KEY_AUTH) | B(SADB_EXT_KEY_ENCRYPT))
/* A policy as sp_msg() writes it. */
#define SP_FULL		(ADDR_SD | B(SADB_EXT_LIFETIME_CURRENT) | LT_HS | \
			 B(SADB_X_EXT_POLICY))

#define NOKERNEL	{ .flags = KAME_MT_NOKERNEL }

const struct kame_msg_spec kame_msg_specs_out[SADB_MAX + 1] = {
	[SADB_RESERVED] = NOKERNEL,
	/* The new larval SA: its SPI and addresses (PFKEY_SA_SPI_ONLY). */
	[SADB_GETSPI] = {
		.allowed = B(SADB_EXT_SA) | ADDR_SD,
		.required = B(SADB_EXT_SA) | ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	[SADB_UPDATE] = {
		.allowed = SA_NOTIFY,
		.required = B(SADB_EXT_SA) | ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	[SADB_ADD] = {
		.allowed = SA_NOTIFY,
		.required = B(SADB_EXT_SA) | ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	/* One SA (SA + addresses) or KAME's delete-all (addresses only). */
	[SADB_DELETE] = {
		.allowed = SA_NOTIFY,
		.required = ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	[SADB_GET] = {
		.allowed = SA_FULL,
		.required = B(SADB_EXT_SA) | B(SADB_EXT_LIFETIME_CURRENT) | ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	/*
	 * The kernel's own (addresses, policy, proposal when an algorithm is
	 * there), or a key manager's ACQUIRE passed on to the registered
	 * sockets as it was written (and checked on its way in).
	 */
	[SADB_ACQUIRE] = {
		.allowed = ADDR_SD | B(SADB_EXT_ADDRESS_PROXY) | B(SADB_EXT_PROPOSAL) |
			   B(SADB_X_EXT_POLICY) | IDENTS | B(SADB_EXT_SENSITIVITY) |
			   B(SADB_X_EXT_SEC_CTX),
		.required = ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	[SADB_REGISTER] = {
		.allowed = B(SADB_EXT_SUPPORTED_AUTH) | B(SADB_EXT_SUPPORTED_ENCRYPT),
		.required = B(SADB_EXT_SUPPORTED_AUTH) | B(SADB_EXT_SUPPORTED_ENCRYPT),
		.satype = KAME_SAT_ANY,
	},
	/* Hard or soft lifetime: checked below. */
	[SADB_EXPIRE] = {
		.allowed = B(SADB_EXT_SA) | B(SADB_X_EXT_SA2) |
			   B(SADB_EXT_LIFETIME_CURRENT) | LT_HS | ADDR_SD,
		.required = B(SADB_EXT_SA) | B(SADB_EXT_LIFETIME_CURRENT) | ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	[SADB_FLUSH] = { .satype = KAME_SAT_ANY },
	[SADB_DUMP] = {
		.allowed = SA_FULL,
		.required = B(SADB_EXT_SA) | B(SADB_EXT_LIFETIME_CURRENT) | ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	[SADB_X_PROMISC] = { .satype = KAME_SAT_ANY, .flags = KAME_MT_OPAQUE },
	[SADB_X_PCHANGE] = NOKERNEL,
	[SADB_X_SPDUPDATE] = {
		.allowed = ADDR_SD | LT_HS | B(SADB_X_EXT_POLICY),
		.required = ADDR_SD | B(SADB_X_EXT_POLICY),
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_SPDADD] = {
		.allowed = ADDR_SD | LT_HS | B(SADB_X_EXT_POLICY),
		.required = ADDR_SD | B(SADB_X_EXT_POLICY),
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_SPDDELETE] = {
		.allowed = ADDR_SD | B(SADB_X_EXT_POLICY),
		.required = ADDR_SD | B(SADB_X_EXT_POLICY),
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_SPDGET] = {
		.allowed = SP_FULL,
		.required = SP_FULL & ~LT_HS,
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_SPDACQUIRE] = NOKERNEL,
	[SADB_X_SPDDUMP] = {
		.allowed = SP_FULL,
		.required = SP_FULL & ~LT_HS,
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_SPDFLUSH] = { .satype = KAME_SAT_SPD },
	[SADB_X_SPDSETIDX] = {
		.allowed = ADDR_SD | LT_HS | B(SADB_X_EXT_POLICY),
		.required = ADDR_SD | B(SADB_X_EXT_POLICY),
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_SPDEXPIRE] = {
		.allowed = SP_FULL,
		.required = SP_FULL & ~LT_HS,
		.satype = KAME_SAT_SPD,
	},
	/* The policy alone (sp_msg() without SP_ADDRS). */
	[SADB_X_SPDDELETE2] = {
		.allowed = B(SADB_X_EXT_POLICY),
		.required = B(SADB_X_EXT_POLICY),
		.satype = KAME_SAT_SPD,
	},
	/* Linux af_key's layout: the SA, its peer as it was and as it is now. */
	[SADB_X_NAT_T_NEW_MAPPING] = {
		.allowed = B(SADB_EXT_SA) | ADDR_SD | B(SADB_X_EXT_NAT_T_SPORT) |
			   B(SADB_X_EXT_NAT_T_DPORT),
		.required = B(SADB_EXT_SA) | ADDR_SD | B(SADB_X_EXT_NAT_T_SPORT) |
			    B(SADB_X_EXT_NAT_T_DPORT),
		.satype = KAME_SAT_SA,
	},
	[SADB_X_MIGRATE] = NOKERNEL,
};

static const char *const msg_names[SADB_MAX + 1] = {
	[SADB_RESERVED] = "RESERVED", [SADB_GETSPI] = "GETSPI",
	[SADB_UPDATE] = "UPDATE", [SADB_ADD] = "ADD", [SADB_DELETE] = "DELETE",
	[SADB_GET] = "GET", [SADB_ACQUIRE] = "ACQUIRE",
	[SADB_REGISTER] = "REGISTER", [SADB_EXPIRE] = "EXPIRE",
	[SADB_FLUSH] = "FLUSH", [SADB_DUMP] = "DUMP",
	[SADB_X_PROMISC] = "X_PROMISC", [SADB_X_PCHANGE] = "X_PCHANGE",
	[SADB_X_SPDUPDATE] = "X_SPDUPDATE", [SADB_X_SPDADD] = "X_SPDADD",
	[SADB_X_SPDDELETE] = "X_SPDDELETE", [SADB_X_SPDGET] = "X_SPDGET",
	[SADB_X_SPDACQUIRE] = "X_SPDACQUIRE", [SADB_X_SPDDUMP] = "X_SPDDUMP",
	[SADB_X_SPDFLUSH] = "X_SPDFLUSH", [SADB_X_SPDSETIDX] = "X_SPDSETIDX",
	[SADB_X_SPDEXPIRE] = "X_SPDEXPIRE", [SADB_X_SPDDELETE2] = "X_SPDDELETE2",
	[SADB_X_NAT_T_NEW_MAPPING] = "X_NAT_T_NEW_MAPPING",
	[SADB_X_MIGRATE] = "X_MIGRATE",
};

static const char *const ext_names[SADB_EXT_MAX + 1] = {
	[SADB_EXT_RESERVED] = "RESERVED", [SADB_EXT_SA] = "SA",
	[SADB_EXT_LIFETIME_CURRENT] = "LIFETIME_CURRENT",
	[SADB_EXT_LIFETIME_HARD] = "LIFETIME_HARD",
	[SADB_EXT_LIFETIME_SOFT] = "LIFETIME_SOFT",
	[SADB_EXT_ADDRESS_SRC] = "ADDRESS_SRC",
	[SADB_EXT_ADDRESS_DST] = "ADDRESS_DST",
	[SADB_EXT_ADDRESS_PROXY] = "ADDRESS_PROXY",
	[SADB_EXT_KEY_AUTH] = "KEY_AUTH", [SADB_EXT_KEY_ENCRYPT] = "KEY_ENCRYPT",
	[SADB_EXT_IDENTITY_SRC] = "IDENTITY_SRC",
	[SADB_EXT_IDENTITY_DST] = "IDENTITY_DST",
	[SADB_EXT_SENSITIVITY] = "SENSITIVITY", [SADB_EXT_PROPOSAL] = "PROPOSAL",
	[SADB_EXT_SUPPORTED_AUTH] = "SUPPORTED_AUTH",
	[SADB_EXT_SUPPORTED_ENCRYPT] = "SUPPORTED_ENCRYPT",
	[SADB_EXT_SPIRANGE] = "SPIRANGE", [SADB_X_EXT_KMPRIVATE] = "X_KMPRIVATE",
	[SADB_X_EXT_POLICY] = "X_POLICY", [SADB_X_EXT_SA2] = "X_SA2",
	[SADB_X_EXT_NAT_T_TYPE] = "X_NAT_T_TYPE",
	[SADB_X_EXT_NAT_T_SPORT] = "X_NAT_T_SPORT",
	[SADB_X_EXT_NAT_T_DPORT] = "X_NAT_T_DPORT",
	[SADB_X_EXT_NAT_T_OA] = "X_NAT_T_OA", [SADB_X_EXT_SEC_CTX] = "X_SEC_CTX",
	[SADB_X_EXT_KMADDRESS] = "X_KMADDRESS", [SADB_X_EXT_FILTER] = "X_FILTER",
};

const char *kame_msg_type_name(unsigned int type)
{
	return type <= SADB_MAX && msg_names[type] ? msg_names[type] : "?";
}

const char *kame_ext_type_name(unsigned int type)
{
	return type <= SADB_EXT_MAX && ext_names[type] ? ext_names[type] : "?";
}

/* Framing, the one check every mode shares; m->hdr set once it holds. */
static int frame(const void *buf, size_t len, struct kame_msg *m)
{
	const struct sadb_msg *hdr = buf;

	memset(m, 0, sizeof(*m));
	if (!buf || len < sizeof(*hdr) || (size_t)hdr->sadb_msg_len * 8 != len)
		return -EINVAL;
	m->hdr = hdr;
	return 0;
}

static void set_payload(const void *buf, size_t len, struct kame_msg *m)
{
	if (len > sizeof(struct sadb_msg)) {
		m->payload = (const struct sadb_msg *)buf + 1;
		m->payload_len = len - sizeof(struct sadb_msg);
	}
}

/* What the walk stopped at: not allowed here, or malformed/duplicate. */
static const char *walk_why(const struct kame_msg *m, __u32 allowed)
{
	unsigned int t = m->err_ext;

	if (t == SADB_EXT_RESERVED || t > SADB_EXT_MAX)
		return "unknown extension type";
	if (!(allowed & KAME_EXT_BIT(t)))
		return "extension not allowed in this message";
	if (m->ext[t])
		return "extension twice";
	return "malformed extension";
}

static int fail(const char **why, const char *what, int err)
{
	if (why)
		*why = what;
	return err;
}

int kame_msg_parse_out(const void *buf, size_t len, struct kame_msg *m,
		       enum kame_out_mode mode, const char **why)
{
	const struct kame_msg_spec *spec;
	const struct sadb_msg *hdr;
	__u32 natt, missing;
	int err;

	if (why)
		*why = NULL;
	if (frame(buf, len, m))
		return fail(why, "framing", -EINVAL);
	hdr = m->hdr;
	if (hdr->sadb_msg_version != PF_KEY_V2 ||
	    hdr->sadb_msg_type == SADB_RESERVED || hdr->sadb_msg_type > SADB_MAX)
		return fail(why, "header", -EINVAL);
	spec = &kame_msg_specs_out[hdr->sadb_msg_type];
	/* An error reply echoes the request as it was written, valid or not. */
	if (hdr->sadb_msg_errno || (spec->flags & KAME_MT_OPAQUE)) {
		set_payload(buf, len, m);
		return 0;
	}
	if (mode != KAME_OUT_STRICT) {
		err = kame_msg_walk(buf, len, ~(__u32)0, 0, m);
		if (err)
			return fail(why, walk_why(m, ~(__u32)0), err);
		err = kame_msg_check_addrs(m);
		if (err)
			return fail(why, "address families or protocols differ", err);
		return 0;
	}
	if (spec->flags & KAME_MT_NOKERNEL)
		return fail(why, "not a type the kernel sends", -EINVAL);

	err = kame_msg_walk(buf, len, spec->allowed, 0, m);
	if (err)
		return fail(why, walk_why(m, spec->allowed), err);
	err = kame_msg_check_satype(hdr->sadb_msg_type, hdr->sadb_msg_satype,
				    spec->satype);
	if (err)
		return fail(why, "satype", err);
	err = kame_msg_check_addrs(m);
	if (err)
		return fail(why, "address families or protocols differ", err);

	missing = spec->required & ~m->present;
	if (hdr->sadb_msg_type == SADB_EXPIRE && !(m->present & LT_HS))
		missing |= B(SADB_EXT_LIFETIME_HARD);
	if (missing) {
		m->err_ext = __builtin_ctz(missing);
		return fail(why, "required extension missing", -EINVAL);
	}
	/* NEW_MAPPING carries the two ports without a type (Linux). */
	natt = m->present & NATT_PORTS;
	if (hdr->sadb_msg_type != SADB_X_NAT_T_NEW_MAPPING && natt &&
	    natt != NATT_PORTS) {
		m->err_ext = __builtin_ctz(NATT_PORTS & ~natt);
		return fail(why, "NAT-T extensions incomplete", -EINVAL);
	}
	return 0;
}

int kame_msg_index(const void *buf, size_t len, struct kame_msg *m)
{
	if (frame(buf, len, m))
		return -EINVAL;
	return kame_msg_walk(buf, len, ~(__u32)0, KAME_WALK_BOUNDS, m);
}
