// SPDX-License-Identifier: BSD-3-Clause
/* pfkey_align(): index a message's extensions; pfkey_check(): sanity. */
#include <string.h>
#include "ipsec_internal.h"

/* Smallest valid size of each extension (the fixed part of its struct). */
static const uint8_t ext_minlen[SADB_EXT_MAX + 1] = {
	[SADB_EXT_SA] = 16, [SADB_EXT_LIFETIME_CURRENT] = 32,
	[SADB_EXT_LIFETIME_HARD] = 32, [SADB_EXT_LIFETIME_SOFT] = 32,
	[SADB_EXT_ADDRESS_SRC] = 8, [SADB_EXT_ADDRESS_DST] = 8,
	[SADB_EXT_ADDRESS_PROXY] = 8, [SADB_EXT_KEY_AUTH] = 8,
	[SADB_EXT_KEY_ENCRYPT] = 8, [SADB_EXT_IDENTITY_SRC] = 16,
	[SADB_EXT_IDENTITY_DST] = 16, [SADB_EXT_SENSITIVITY] = 16,
	[SADB_EXT_PROPOSAL] = 8, [SADB_EXT_SUPPORTED_AUTH] = 8,
	[SADB_EXT_SUPPORTED_ENCRYPT] = 8, [SADB_EXT_SPIRANGE] = 16,
	[SADB_X_EXT_KMPRIVATE] = 8, [SADB_X_EXT_POLICY] = 16,
	[SADB_X_EXT_SA2] = 16, [SADB_X_EXT_NAT_T_TYPE] = 8,
	[SADB_X_EXT_NAT_T_SPORT] = 8, [SADB_X_EXT_NAT_T_DPORT] = 8,
	[SADB_X_EXT_NAT_T_OA] = 8, [SADB_X_EXT_SEC_CTX] = 8,
	[SADB_X_EXT_KMADDRESS] = 8, [SADB_X_EXT_FILTER] = 40,
};

size_t kame_ext_minlen(unsigned int type)
{
	return type <= SADB_EXT_MAX ? ext_minlen[type] : 8;
}

int pfkey_align(struct sadb_msg *msg, caddr_t *mhp)
{
	uint8_t *p, *end;
	size_t total;

	if (!msg || !mhp) {
		ipsec_set_error(EIPSEC_INVAL_ARGUMENT, NULL);
		return -1;
	}
	memset(mhp, 0, sizeof(caddr_t) * (SADB_EXT_MAX + 1));
	total = PFKEY_UNUNIT64((size_t)msg->sadb_msg_len);
	if (total < sizeof(*msg)) {
		ipsec_set_error(EIPSEC_INVAL_SADBMSG, "message length %zu", total);
		return -1;
	}
	mhp[0] = (caddr_t)msg;
	p = (uint8_t *)(msg + 1);
	end = (uint8_t *)msg + total;
	while (p < end) {
		struct sadb_ext *e = (struct sadb_ext *)p;
		size_t elen;

		if ((size_t)(end - p) < sizeof(*e)) {
			ipsec_set_error(EIPSEC_INVAL_SADBMSG, "truncated extension");
			return -1;
		}
		elen = PFKEY_EXTLEN(e);
		if (elen == 0 || elen > (size_t)(end - p)) {
			ipsec_set_error(EIPSEC_INVAL_SADBMSG,
					"extension %u length %zu",
					e->sadb_ext_type, elen);
			return -1;
		}
		if (e->sadb_ext_type == 0 || e->sadb_ext_type > SADB_EXT_MAX) {
			ipsec_set_error(EIPSEC_INVAL_EXTTYPE, "type %u",
					e->sadb_ext_type);
			return -1;
		}
		if (elen < ext_minlen[e->sadb_ext_type]) {
			ipsec_set_error(EIPSEC_INVAL_SADBMSG,
					"extension %u too short (%zu)",
					e->sadb_ext_type, elen);
			return -1;
		}
		if (mhp[e->sadb_ext_type]) {
			ipsec_set_error(EIPSEC_INVAL_EXTTYPE,
					"duplicate extension %u",
					e->sadb_ext_type);
			return -1;
		}
		mhp[e->sadb_ext_type] = (caddr_t)e;
		p += elen;
	}
	return 0;
}

static int is_spd_msg(unsigned int type)
{
	switch (type) {
	case SADB_X_SPDUPDATE: case SADB_X_SPDADD: case SADB_X_SPDDELETE:
	case SADB_X_SPDGET: case SADB_X_SPDACQUIRE: case SADB_X_SPDDUMP:
	case SADB_X_SPDFLUSH: case SADB_X_SPDSETIDX: case SADB_X_SPDEXPIRE:
	case SADB_X_SPDDELETE2:
		return 1;
	}
	return 0;
}

int pfkey_check(caddr_t *mhp)
{
	struct sadb_msg *msg;
	struct sadb_address *s, *d;

	if (!mhp || !mhp[0]) {
		ipsec_set_error(EIPSEC_INVAL_ARGUMENT, NULL);
		return -1;
	}
	msg = (struct sadb_msg *)mhp[0];
	if (msg->sadb_msg_version != PF_KEY_V2) {
		ipsec_set_error(EIPSEC_INVAL_VERSION, NULL);
		return -1;
	}
	if (msg->sadb_msg_type == 0 || msg->sadb_msg_type > SADB_MAX) {
		ipsec_set_error(EIPSEC_INVAL_MSGTYPE, NULL);
		return -1;
	}
	if (is_spd_msg(msg->sadb_msg_type)) {
		if (msg->sadb_msg_satype != SADB_SATYPE_UNSPEC) {
			ipsec_set_error(EIPSEC_INVAL_SATYPE, NULL);
			return -1;
		}
	} else if (msg->sadb_msg_satype > SADB_SATYPE_MAX &&
		   msg->sadb_msg_type != SADB_X_PROMISC) {
		ipsec_set_error(EIPSEC_INVAL_SATYPE, NULL);
		return -1;
	}
	s = (struct sadb_address *)mhp[SADB_EXT_ADDRESS_SRC];
	d = (struct sadb_address *)mhp[SADB_EXT_ADDRESS_DST];
	if (s && d) {
		const struct sockaddr *ss = (const void *)(s + 1);
		const struct sockaddr *ds = (const void *)(d + 1);

		if (PFKEY_EXTLEN(s) < sizeof(*s) + 2 ||
		    PFKEY_EXTLEN(d) < sizeof(*d) + 2) {
			ipsec_set_error(EIPSEC_INVAL_ADDRESS, NULL);
			return -1;
		}
		if (s->sadb_address_proto != d->sadb_address_proto) {
			ipsec_set_error(EIPSEC_INVAL_PROTO, "src/dst mismatch");
			return -1;
		}
		if (ss->sa_family != ds->sa_family) {
			ipsec_set_error(EIPSEC_FAMILY_MISMATCH, NULL);
			return -1;
		}
	}
	return 0;
}
