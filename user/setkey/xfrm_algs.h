/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * KAME algorithm ids <-> Linux crypto names as iproute2's ip xfrm writes
 * them, for setkey -X xfrm and --from-xfrm. Key sizes stay in the
 * libipsec table (algs.c); this one only knows names and ICV lengths.
 */
#ifndef SETKEY_XFRM_ALGS_H
#define SETKEY_XFRM_ALGS_H

enum sk_xhow { SK_X_ENC, SK_X_AUTH, SK_X_AEAD, SK_X_COMP };

struct sk_xalg {
	char kind;		/* KAME_ALG_ENC/AUTH/COMP */
	unsigned int id;	/* SADB id */
	const char *xname;	/* "cbc(aes)" */
	enum sk_xhow how;	/* enc, auth-trunc, aead, comp */
	unsigned int bits;	/* truncation (auth-trunc) or ICV (aead) */
};

const struct sk_xalg *sk_xalg_by_id(char kind, unsigned int id);
/* bits: the auth-trunc or aead length read back (0: any). */
const struct sk_xalg *sk_xalg_by_name(enum sk_xhow how, const char *xname,
				      unsigned int bits);

#endif
