/* SPDX-License-Identifier: BSD-3-Clause */
/* ipsecstat's netlink side (libnl-3 + libnl-genl-3). */
#ifndef IPSECSTAT_NL_H
#define IPSECSTAT_NL_H

#include <stddef.h>
#include <stdint.h>

struct ist_nl;

/* Why a call failed, as the user is told (ist_nl_strerror). */
enum ist_err {
	IST_OK = 0,
	IST_ERR = -1,		/* anything else: message in ist_nl_errmsg */
	IST_NOT_LOADED = -2,	/* no "kameipsec" family in this netns */
	IST_NO_PERM = -3,	/* needs CAP_NET_ADMIN */
};

/* Connect and resolve the family; NULL with *@err set. */
struct ist_nl *ist_nl_open(enum ist_err *err);
void ist_nl_close(struct ist_nl *nl);
/* The last failure in words. */
const char *ist_nl_errmsg(const struct ist_nl *nl);

/*
 * Send @cmd (KAME_CMD_*; a dump if @dump) with KAME_A_FAMILY = @family
 * unless 0, and hand every reply's raw bytes to @cb (nonzero stops).
 */
typedef int (*ist_msg_cb)(const void *msg, size_t len, void *arg);
enum ist_err ist_nl_request(struct ist_nl *nl, uint8_t cmd, int dump,
			    uint8_t family, ist_msg_cb cb, void *arg);

/*
 * Join the "drops" group and hand each message to @cb until it returns
 * nonzero. *@lost counts messages the socket buffer overflowed on.
 */
enum ist_err ist_nl_listen(struct ist_nl *nl, ist_msg_cb cb, void *arg,
			   uint64_t *lost);

#endif
