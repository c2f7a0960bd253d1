// SPDX-License-Identifier: BSD-3-Clause
/*
 * The kameipsec generic netlink family through libnl: resolve it, send a
 * request or join the "drops" group, and hand the raw replies to the
 * parser (msg.c), which trusts nothing in them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <linux/kame_ipsecstat.h>

#include "nl.h"

struct ist_nl {
	struct nl_sock *sk;
	int family_id;
	int last_errno;		/* of the kernel's last error reply, or 0 */
	char errmsg[160];
};

struct handler_arg {
	ist_msg_cb cb;
	void *arg;
	int stop;		/* the callback asked to stop */
	int done;		/* the ACK (do) or NLMSG_DONE (dump) arrived */
	int err;		/* the kernel's error reply (a negative errno) */
};

static enum ist_err fail(struct ist_nl *nl, int nlerr, const char *what)
{
	int e = nlerr < 0 ? -nlerr : nlerr;

	if (e == NLE_PERM || e == NLE_NOACCESS) {
		snprintf(nl->errmsg, sizeof(nl->errmsg),
			 "%s: permission denied (needs CAP_NET_ADMIN in this "
			 "network namespace; try as root)", what);
		return IST_NO_PERM;
	}
	snprintf(nl->errmsg, sizeof(nl->errmsg), "%s: %s", what,
		 nl_geterror(nlerr));
	return IST_ERR;
}

struct ist_nl *ist_nl_open(enum ist_err *err)
{
	struct ist_nl *nl = calloc(1, sizeof(*nl));
	int r;

	*err = IST_ERR;
	if (!nl)
		return NULL;
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		goto out;
	r = genl_connect(nl->sk);
	if (r < 0)
		goto out;
	nl->family_id = genl_ctrl_resolve(nl->sk, KAME_GENL_NAME);
	if (nl->family_id < 0) {
		*err = IST_NOT_LOADED;
		goto out;
	}
	*err = IST_OK;
	return nl;
out:
	ist_nl_close(nl);
	return NULL;
}

void ist_nl_close(struct ist_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl);
}

const char *ist_nl_errmsg(const struct ist_nl *nl)
{
	return nl->errmsg;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct handler_arg *h = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (h->stop || !h->cb)
		return NL_SKIP;
	if (h->cb(nlh, nlh->nlmsg_len, h->arg)) {
		h->stop = 1;
		return NL_STOP;
	}
	return NL_OK;
}

/* The kernel refused the request: keep its errno (libnl's codes lose it). */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct handler_arg *h = arg;

	h->err = e->error;
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct handler_arg *h = arg;

	h->done = 1;
	return NL_STOP;
}

enum ist_err ist_nl_request(struct ist_nl *nl, uint8_t cmd, int dump,
			    uint8_t family, ist_msg_cb cb, void *arg)
{
	struct handler_arg h = { cb, arg, 0, 0, 0 };
	struct nl_msg *msg = nlmsg_alloc();
	struct nl_cb *c;
	int r;

	if (!msg)
		return fail(nl, -NLE_NOMEM, "request");
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family_id, 0,
			 dump ? NLM_F_DUMP : 0, cmd, KAME_GENL_VERSION) ||
	    (family && nla_put_u8(msg, KAME_A_FAMILY, family) < 0)) {
		nlmsg_free(msg);
		return fail(nl, -NLE_NOMEM, "request");
	}
	/*
	 * Our own callbacks for this request, ended by its ACK (a do; libnl
	 * asks for one) or its NLMSG_DONE (a dump); a kernel error comes back
	 * from nl_recvmsgs as a negative libnl error. (libnl's own
	 * nl_wait_for_ack() lost every other reply on a reused socket here.)
	 */
	c = nl_socket_get_cb(nl->sk);	/* a reference */
	if (c) {
		struct nl_cb *own = nl_cb_clone(c);

		nl_cb_put(c);
		c = own;
	}
	if (!c) {
		nlmsg_free(msg);
		return fail(nl, -NLE_NOMEM, "request");
	}
	nl_cb_set(c, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &h);
	nl_cb_set(c, NL_CB_ACK, NL_CB_CUSTOM, on_done, &h);
	nl_cb_set(c, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &h);
	nl_cb_err(c, NL_CB_CUSTOM, on_error, &h);
	r = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	while (r >= 0 && !h.done)
		r = nl_recvmsgs(nl->sk, c);
	nl_cb_put(c);
	nl->last_errno = h.err < 0 ? -h.err : 0;
	if (r < 0)
		return fail(nl, r, "kameipsec");
	return IST_OK;
}

enum ist_err ist_nl_listen(struct ist_nl *nl, ist_msg_cb cb, void *arg,
			   uint64_t *lost)
{
	struct handler_arg h = { cb, arg, 0, 0, 0 };
	int grp, r;

	grp = genl_ctrl_resolve_grp(nl->sk, KAME_GENL_NAME, KAME_MCGRP_DROPS);
	if (grp < 0)
		return fail(nl, grp, "drops group");
	/*
	 * Register as this netns's watcher first (the kernel builds drop
	 * events only for a netns with one), then join the group.
	 */
	r = ist_nl_request(nl, KAME_CMD_WATCH, 0, 0, NULL, NULL);
	if (r != IST_OK && nl->last_errno == ENOSPC)
		snprintf(nl->errmsg, sizeof(nl->errmsg),
			 "too many drop watchers in this network namespace "
			 "(at most %d)", KAME_WATCHERS_MAX);
	if (r != IST_OK)
		return r;
	nl_socket_disable_seq_check(nl->sk);
	r = nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, on_valid,
				&h);
	if (r < 0)
		return fail(nl, r, "listen");
	/* A large buffer: events come in bursts of up to the rate limit. */
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 0);
	r = nl_socket_add_membership(nl->sk, grp);
	if (r < 0)
		return fail(nl, r, "joining the drops group");
	while (!h.stop) {
		r = nl_recvmsgs_default(nl->sk);
		if (r == -NLE_NOMEM) {	/* ENOBUFS: we fell behind */
			(*lost)++;
			continue;
		}
		if (r < 0 && r != -NLE_AGAIN && r != -NLE_INTR)
			return fail(nl, r, "receive");
	}
	return IST_OK;
}
