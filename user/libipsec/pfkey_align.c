// SPDX-License-Identifier: BSD-3-Clause
/*
 * pfkey_align(): index a message's extensions; pfkey_check(): sanity.
 * The walk is the PF_KEY parser's own (kmod/pfkey/msg_out.c,
 * kame_msg_index(): structure only, as KAME's pfkey_align), with its table
 * of extension sizes; pfkey_recv() checks what the kernel sends in full.
 */
#include <string.h>
#include "ipsec_internal.h"
#include "msg_parse.h"

size_t kame_ext_minlen(unsigned int type)
{
	return type <= SADB_EXT_MAX ? kame_ext_specs[type].min : 8;
}

int pfkey_align(struct sadb_msg *msg, caddr_t *mhp)
{
	struct kame_msg m;
	size_t total;
	unsigned int t;

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
	if (kame_msg_index(msg, total, &m)) {
		t = m.err_ext;
		if (t == SADB_EXT_RESERVED || t > SADB_EXT_MAX)
			ipsec_set_error(EIPSEC_INVAL_EXTTYPE, "type %u", t);
		else if (m.ext[t])
			ipsec_set_error(EIPSEC_INVAL_EXTTYPE,
					"duplicate extension %u", t);
		else
			ipsec_set_error(EIPSEC_INVAL_SADBMSG,
					"extension %u truncated or too short", t);
		return -1;
	}
	mhp[0] = (caddr_t)msg;
	for (t = 1; t <= SADB_EXT_MAX; t++)
		mhp[t] = (caddr_t)m.ext[t];
	return 0;
}

/* A message from the kernel that is not what it sends: -1, error set. */
int kame_check_from_kernel(const struct sadb_msg *msg, size_t len)
{
	struct kame_msg m;
	const char *why;
	int err;

	err = kame_msg_parse_out(msg, len, &m, KAME_OUT_ANY, &why);
	if (!err)
		return 0;
	if (!m.hdr)
		ipsec_set_error(EIPSEC_INVAL_SADBMSG,
				"malformed message from the kernel (%s)", why);
	else
		ipsec_set_error(EIPSEC_INVAL_SADBMSG,
				"malformed SADB_%s from the kernel: %s%s%s (%s)",
				kame_msg_type_name(msg->sadb_msg_type), why,
				m.err_ext ? " " : "",
				m.err_ext ? kame_ext_type_name(m.err_ext) : "",
				strerror(-err));
	return -1;
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
