// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Validation tables for PF_KEY messages written by userland: per message
 * type the extensions allowed and required, per extension type its size
 * bounds and content check. msg_parse.c walks a message against them.
 *
 * Errno of every check kame_msg_parse() makes, in the order it makes them
 * (stage | condition | errno | KAME / Linux af_key when they differ).
 * On an error after "frame", m->err_ext names the extension at fault (0:
 * the header) and m->hdr is set, so the caller sends an error reply.
 * SUPPORTED_* and KMADDRESS are allowed in no user message today; their
 * content checks are there for when one is.
 *
 * frame   | buffer shorter than struct sadb_msg (16)         | EINVAL | Linux EMSGSIZE; m->hdr NULL: write() fails
 * frame   | sadb_msg_len * 8 != buffer length                | EINVAL | KAME write() EINVAL; Linux EMSGSIZE; m->hdr NULL
 * header  | sadb_msg_version != PF_KEY_V2                    | EINVAL | both
 * header  | sadb_msg_type 0 or > SADB_MAX                    | EINVAL | both
 * header  | type only the kernel sends (EXPIRE, X_PCHANGE, X_SPDACQUIRE, X_SPDEXPIRE, X_NAT_T_NEW_MAPPING, X_MIGRATE) | EINVAL | KAME no handler; Linux EOPNOTSUPP (MIGRATE: ENOPROTOOPT or handled)
 * header  | sadb_msg_reserved, sadb_msg_errno                | not checked | KAME ignores reserved; Linux: reserved != 0 EINVAL
 * promisc | X_PROMISC longer than 16: body is opaque payload | -      | KAME key_api_promisc forwards it unparsed
 * ext     | fewer than 4 bytes left for an extension header  | EINVAL | both
 * ext     | sadb_ext_len == 0                                | EINVAL | both
 * ext     | extension runs past the end of the message       | EINVAL | both
 * ext     | sadb_ext_type 0 or > SADB_EXT_MAX                | EINVAL | KAME; Linux skips types > SADB_EXT_MAX
 * ext     | same type twice                                  | EINVAL | both
 * ext     | type not allowed in this message type            | EINVAL | KAME/Linux ignore it; strict like OpenBSD
 * ext     | length below min or above max of its type        | EINVAL | both (KAME exact-length table)
 * address | too short to hold the sockaddr family            | EINVAL | both
 * address | family neither AF_INET nor AF_INET6              | EAFNOSUPPORT | KAME; Linux EINVAL
 * address | length != 8 + ALIGN8(sizeof(sockaddr_in{,6}))    | EINVAL | both (exact 24 / 40 bytes)
 * address | prefixlen > 32 (AF_INET) / 128 (AF_INET6)        | EINVAL | both
 * key     | 8 + ceil(sadb_key_bits / 8) > extension length   | EINVAL | both
 * ident   | type not PREFIX, FQDN or USERFQDN                | EINVAL | KAME/Linux ignore
 * ident   | string present but without a NUL inside the ext  | EINVAL | RFC 2367 says C string; KAME/Linux ignore
 * sens    | length != 16 + 8 * (sens_len + integ_len)        | EINVAL | RFC 2367 layout
 * prop    | (length - 8) not a multiple of sizeof(sadb_comb) | EINVAL | RFC 2367 layout
 * supp    | (length - 8) not a multiple of sizeof(sadb_alg)  | EINVAL | RFC 2367 layout
 * spirange| sadb_spirange_min > sadb_spirange_max            | EINVAL | Linux verify_spi_info
 * policy  | sadb_x_policy_type > IPSEC_POLICY_BYPASS         | EINVAL | both
 * policy  | sadb_x_policy_dir > IPSEC_DIR_FWD                | EINVAL | both
 * ipsecreq| fewer than 16 bytes left for a request header    | EINVAL | both
 * ipsecreq| request len < 16 or past the end of the policy   | EINVAL | both
 * ipsecreq| more than KAME_SP_MAXREQ (6) requests         | ELOOP  | Linux; KAME has no limit
 * ipsecreq| proto not IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP  | EPROTONOSUPPORT | KAME; Linux EINVAL
 * ipsecreq| mode not TRANSPORT or TUNNEL (ANY, BEET, ...)    | EINVAL | KAME; Linux accepts BEET
 * ipsecreq| level > IPSEC_LEVEL_UNIQUE                       | EINVAL | KAME
 * ipsecreq| len not 16 nor 16 + ALIGN8(2 * sockaddr size)   | EINVAL | stricter than KAME and Linux (they take longer)
 * ipsecreq| endpoint family not AF_INET/AF_INET6            | EAFNOSUPPORT | as for address exts
 * ipsecreq| endpoints of different families                  | EINVAL | Linux
 * ipsecreq| tunnel mode without endpoints                    | EINVAL | Linux
 * sa2     | sadb_x_sa2_mode not ANY, TRANSPORT or TUNNEL     | EINVAL | KAME; Linux accepts BEET
 * natt    | sadb_x_nat_t_type_type not ESPINUDP{,_NON_IKE}   | EINVAL | KAME
 * sec_ctx | ctx_len > KAME_SEC_CTX_MAX or len != 8 + ALIGN8(ctx_len) | EINVAL | Linux verify_sec_ctx_len
 * kmaddr  | not two sockaddrs of one family, exact length    | EINVAL (EAFNOSUPPORT for family) | Linux
 * filter  | family not AF_INET/AF_INET6                      | EAFNOSUPPORT | Linux ignores
 * filter  | splen or dplen above the family's bits           | EINVAL | Linux: >= 128 EINVAL
 * satype  | RSVP, OSPFV2, RIPV2 or MIP                       | EOPNOTSUPP | KAME
 * satype  | 1 in anything but X_PROMISC, or 4 or above 9     | EINVAL | KAME
 * satype  | UNSPEC in GETSPI/UPDATE/ADD/DELETE/GET/ACQUIRE   | EINVAL | KAME
 * satype  | AH/ESP/IPCOMP in an SPD message                  | EINVAL | KAME
 * cross   | ADDRESS_SRC and _DST of different families       | EINVAL | KAME
 * cross   | ADDRESS_SRC and _DST with different upper proto  | EINVAL | KAME
 * cross   | ADDRESS_PROXY of another family than _SRC        | EINVAL | kameipsec
 * required| a required extension of the type is missing      | EINVAL | both
 * ADD/UPD | exactly one of LIFETIME_HARD / LIFETIME_SOFT     | EINVAL | both
 * SA msgs | NAT_T_TYPE, _SPORT, _DPORT not all or none (ADD, UPDATE, GETSPI) | EINVAL | KAME
 * SA msgs | NAT_T_OA without NAT_T_TYPE (err_ext NAT_T_OA)     | EINVAL | kameipsec; Linux ignores it
 * SA msgs | NAT-T with satype other than ESP                 | EINVAL | Linux (AH/IPComp refuse an encap)
 * ADD/UPD | NAT-T type ESPINUDP_NON_IKE (drafts' marker)     | EOPNOTSUPP | kameipsec: the engine has no non-IKE marker; GETSPI takes it
 * SA msgs | NAT_T_SPORT or _DPORT 0 (err_ext that port)      | EINVAL | kameipsec; Linux sends to port 0
 * SA msgs | NAT_T_OA of another family than ADDRESS_SRC      | EINVAL | kameipsec
 * GETSPI  | X_IPCOMP with sadb_spirange_max > 0xffff          | EINVAL | Linux (16-bit CPI)
 * ACQUIRE | extensions present but ADDRESS_SRC, _DST or PROPOSAL missing | EINVAL | KAME (16-byte error form needs none)
 * PROMISC | 16 bytes and satype not 0 or 1                   | EINVAL | both
 * SPD add | policy type not DISCARD, NONE, IPSEC            | EINVAL | KAME (no ENTRUST/BYPASS in the SPD)
 * SPD add | policy dir not IN, OUT, FWD (also SPDDELETE)   | EINVAL | KAME + Linux fwd
 * SPD add | IPSEC policy without requests (not X_SPDSETIDX)  | EINVAL | KAME
 */
#include "msg_parse.h"

#define B(t)	KAME_EXT_BIT(t)

_Static_assert(SADB_EXT_MAX < 32, "extension bitmaps are 32 bits");

#define ADDR_SD		(B(SADB_EXT_ADDRESS_SRC) | B(SADB_EXT_ADDRESS_DST))
#define LIFETIMES	(B(SADB_EXT_LIFETIME_CURRENT) | B(SADB_EXT_LIFETIME_HARD) | \
			 B(SADB_EXT_LIFETIME_SOFT))
#define NATT_PORTS	(B(SADB_X_EXT_NAT_T_TYPE) | B(SADB_X_EXT_NAT_T_SPORT) | \
			 B(SADB_X_EXT_NAT_T_DPORT))
#define NATT		(NATT_PORTS | B(SADB_X_EXT_NAT_T_OA))

/* What ADD and UPDATE may carry: a whole SA. */
#define SA_BODY		(B(SADB_EXT_SA) | B(SADB_X_EXT_SA2) | LIFETIMES | ADDR_SD | \
			 B(SADB_EXT_ADDRESS_PROXY) | B(SADB_EXT_KEY_AUTH) | \
			 B(SADB_EXT_KEY_ENCRYPT) | B(SADB_EXT_IDENTITY_SRC) | \
			 B(SADB_EXT_IDENTITY_DST) | B(SADB_EXT_SENSITIVITY) | NATT | \
			 B(SADB_X_EXT_SEC_CTX))

/* What names an SA for GET and DELETE (NAT-T ports as FreeBSD uses them). */
#define SA_ID		(B(SADB_EXT_SA) | B(SADB_X_EXT_SA2) | ADDR_SD | \
			 B(SADB_EXT_ADDRESS_PROXY) | NATT_PORTS)

/* SPDADD, SPDUPDATE, SPDSETIDX, SPDDELETE: selector plus policy. */
#define SPD_BODY	(ADDR_SD | B(SADB_X_EXT_POLICY) | LIFETIMES | B(SADB_X_EXT_SEC_CTX))

#define NOUSER		{ .flags = KAME_MT_NOUSER }

const struct kame_msg_spec kame_msg_specs[SADB_MAX + 1] = {
	[SADB_RESERVED] = NOUSER,
	[SADB_GETSPI] = {
		.allowed = B(SADB_X_EXT_SA2) | ADDR_SD | B(SADB_EXT_ADDRESS_PROXY) |
			   B(SADB_EXT_SPIRANGE) | NATT,
		.required = ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	[SADB_UPDATE] = {
		.allowed = SA_BODY,
		.required = B(SADB_EXT_SA) | ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	[SADB_ADD] = {
		.allowed = SA_BODY,
		.required = B(SADB_EXT_SA) | ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	[SADB_DELETE] = {
		/* No SA extension: KAME deletes every SA between the addresses. */
		.allowed = SA_ID,
		.required = ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	[SADB_GET] = {
		.allowed = SA_ID,
		.required = B(SADB_EXT_SA) | ADDR_SD,
		.satype = KAME_SAT_SA,
	},
	[SADB_ACQUIRE] = {
		/* Required set checked in msg_parse.c: the 16-byte form has none. */
		.allowed = ADDR_SD | B(SADB_EXT_ADDRESS_PROXY) | B(SADB_EXT_PROPOSAL) |
			   B(SADB_X_EXT_POLICY) | B(SADB_EXT_IDENTITY_SRC) |
			   B(SADB_EXT_IDENTITY_DST) | B(SADB_EXT_SENSITIVITY) |
			   B(SADB_X_EXT_SEC_CTX),
		.satype = KAME_SAT_SA,
	},
	[SADB_REGISTER] = { .satype = KAME_SAT_ANY },
	[SADB_EXPIRE] = NOUSER,
	[SADB_FLUSH] = { .satype = KAME_SAT_ANY },
	[SADB_DUMP] = {
		.allowed = B(SADB_X_EXT_FILTER),
		.satype = KAME_SAT_ANY,
	},
	[SADB_X_PROMISC] = { .satype = KAME_SAT_ANY, .flags = KAME_MT_OPAQUE },
	[SADB_X_PCHANGE] = NOUSER,
	[SADB_X_SPDUPDATE] = {
		.allowed = SPD_BODY,
		.required = ADDR_SD | B(SADB_X_EXT_POLICY),
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_SPDADD] = {
		.allowed = SPD_BODY,
		.required = ADDR_SD | B(SADB_X_EXT_POLICY),
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_SPDDELETE] = {
		.allowed = SPD_BODY,
		.required = ADDR_SD | B(SADB_X_EXT_POLICY),
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_SPDGET] = {
		.allowed = B(SADB_X_EXT_POLICY),
		.required = B(SADB_X_EXT_POLICY),
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_SPDACQUIRE] = NOUSER,
	[SADB_X_SPDDUMP] = { .satype = KAME_SAT_SPD },
	[SADB_X_SPDFLUSH] = { .satype = KAME_SAT_SPD },
	[SADB_X_SPDSETIDX] = {
		.allowed = SPD_BODY,
		.required = ADDR_SD | B(SADB_X_EXT_POLICY),
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_SPDEXPIRE] = NOUSER,
	[SADB_X_SPDDELETE2] = {
		.allowed = B(SADB_X_EXT_POLICY),
		.required = B(SADB_X_EXT_POLICY),
		.satype = KAME_SAT_SPD,
	},
	[SADB_X_NAT_T_NEW_MAPPING] = NOUSER,
	[SADB_X_MIGRATE] = NOUSER,
};

#define EXACT(n, c)	{ .min = (n), .max = (n), .check = (c) }
#define ATLEAST(n, c)	{ .min = (n), .max = 0, .check = (c) }

const struct kame_ext_spec kame_ext_specs[SADB_EXT_MAX + 1] = {
	[SADB_EXT_RESERVED]		= { 0 },
	[SADB_EXT_SA]			= EXACT(sizeof(struct sadb_sa), KAME_XC_NONE),
	[SADB_EXT_LIFETIME_CURRENT]	= EXACT(sizeof(struct sadb_lifetime), KAME_XC_NONE),
	[SADB_EXT_LIFETIME_HARD]	= EXACT(sizeof(struct sadb_lifetime), KAME_XC_NONE),
	[SADB_EXT_LIFETIME_SOFT]	= EXACT(sizeof(struct sadb_lifetime), KAME_XC_NONE),
	[SADB_EXT_ADDRESS_SRC]		= ATLEAST(sizeof(struct sadb_address), KAME_XC_ADDRESS),
	[SADB_EXT_ADDRESS_DST]		= ATLEAST(sizeof(struct sadb_address), KAME_XC_ADDRESS),
	[SADB_EXT_ADDRESS_PROXY]	= ATLEAST(sizeof(struct sadb_address), KAME_XC_ADDRESS),
	[SADB_EXT_KEY_AUTH]		= ATLEAST(sizeof(struct sadb_key), KAME_XC_KEY),
	[SADB_EXT_KEY_ENCRYPT]		= ATLEAST(sizeof(struct sadb_key), KAME_XC_KEY),
	[SADB_EXT_IDENTITY_SRC]		= ATLEAST(sizeof(struct sadb_ident), KAME_XC_IDENT),
	[SADB_EXT_IDENTITY_DST]		= ATLEAST(sizeof(struct sadb_ident), KAME_XC_IDENT),
	[SADB_EXT_SENSITIVITY]		= ATLEAST(sizeof(struct sadb_sens), KAME_XC_SENS),
	[SADB_EXT_PROPOSAL]		= ATLEAST(sizeof(struct sadb_prop), KAME_XC_PROPOSAL),
	[SADB_EXT_SUPPORTED_AUTH]	= ATLEAST(sizeof(struct sadb_supported), KAME_XC_SUPPORTED),
	[SADB_EXT_SUPPORTED_ENCRYPT]	= ATLEAST(sizeof(struct sadb_supported), KAME_XC_SUPPORTED),
	[SADB_EXT_SPIRANGE]		= EXACT(sizeof(struct sadb_spirange), KAME_XC_SPIRANGE),
	[SADB_X_EXT_KMPRIVATE]		= ATLEAST(sizeof(struct sadb_x_kmprivate), KAME_XC_NONE),
	[SADB_X_EXT_POLICY]		= ATLEAST(sizeof(struct sadb_x_policy), KAME_XC_POLICY),
	[SADB_X_EXT_SA2]		= EXACT(sizeof(struct sadb_x_sa2), KAME_XC_SA2),
	[SADB_X_EXT_NAT_T_TYPE]		= EXACT(sizeof(struct sadb_x_nat_t_type), KAME_XC_NATT_TYPE),
	[SADB_X_EXT_NAT_T_SPORT]	= EXACT(sizeof(struct sadb_x_nat_t_port), KAME_XC_NONE),
	[SADB_X_EXT_NAT_T_DPORT]	= EXACT(sizeof(struct sadb_x_nat_t_port), KAME_XC_NONE),
	[SADB_X_EXT_NAT_T_OA]		= ATLEAST(sizeof(struct sadb_address), KAME_XC_ADDRESS),
	[SADB_X_EXT_SEC_CTX]		= ATLEAST(sizeof(struct sadb_x_sec_ctx), KAME_XC_SEC_CTX),
	[SADB_X_EXT_KMADDRESS]		= ATLEAST(sizeof(struct sadb_x_kmaddress), KAME_XC_KMADDRESS),
	[SADB_X_EXT_FILTER]		= EXACT(sizeof(struct sadb_x_filter), KAME_XC_FILTER),
};

bool kame_msg_type_from_user(unsigned int type)
{
	return type <= SADB_MAX && !(kame_msg_specs[type].flags & KAME_MT_NOUSER);
}
