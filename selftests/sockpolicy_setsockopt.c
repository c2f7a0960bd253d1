// SPDX-License-Identifier: GPL-2.0
/*
 * Per-socket policies through setsockopt(IP_IPSEC_POLICY / IPV6_IPSEC_POLICY):
 * every policy type is accepted, malformed buffers are refused with the
 * KAME errno, unprivileged callers are refused, and a policy goes away with
 * its socket (and its accept()ed children), counted in
 * /proc/net/kame_sockpolicy. Run as root with kameipsec loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/pfkeyv2.h>
#include <linux/ipsec.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "sockpolicy_util.h"

#define MAX_DRAIN_S	8	/* a policy is freed 1-3 s after its socket */

static const char *const good_policies[] = {
	"in bypass", "out bypass", "in entrust", "out entrust",
	"in none", "out none", "in discard", "out discard",
	"out ipsec esp/transport//require",
	"in ipsec esp/transport//use ah/transport//require",
	"out ipsec ipcomp/transport//use esp/transport//require",
	"out ipsec esp/transport//unique:7",
	"out ipsec esp/transport//unique",
	"out ipsec esp/tunnel/10.1.0.1-10.1.0.2/require",
	"out ipsec esp/tunnel/fd00::1-fd00::2/require",
	"out ipsec esp/transport//default",
};

static bool need_module(struct __test_metadata *_metadata)
{
	struct sp_stat st;

	if (geteuid())
		SKIP(return false, "needs root");
	if (sp_stat_read(&st))
		SKIP(return false, "kameipsec not loaded (/proc/net/kame_sockpolicy)");
	return true;
}

static void each_type(struct __test_metadata *_metadata, int family, int type)
{
	struct sp_stat before, after;
	unsigned int i, n = sizeof(good_policies) / sizeof(good_policies[0]);
	int fd = socket(family, type, 0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sp_stat_read(&before));
	for (i = 0; i < n; i++) {
		int err = sp_set(fd, family, good_policies[i]);

		EXPECT_EQ(0, err) TH_LOG("\"%s\": %s", good_policies[i],
					 strerror(err));
	}
	ASSERT_EQ(0, sp_stat_read(&after));
	EXPECT_EQ(n, after.compiled - before.compiled);
	EXPECT_EQ(0, after.rejected - before.rejected);
	close(fd);
}

TEST(each_type_udp4)
{
	if (!need_module(_metadata))
		return;
	each_type(_metadata, AF_INET, SOCK_DGRAM);
}

TEST(each_type_tcp6)
{
	if (!need_module(_metadata))
		return;
	each_type(_metadata, AF_INET6, SOCK_STREAM);
}

/* ---- malformed buffers ---- */

struct rawpol {
	struct sadb_x_policy x;
	struct sadb_x_ipsecrequest rq[8];
	unsigned char tail[64];
};

static int rawpol_init(struct rawpol *p, int type, int dir, int nreq)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->x.sadb_x_policy_exttype = SADB_X_EXT_POLICY;
	p->x.sadb_x_policy_type = type;
	p->x.sadb_x_policy_dir = dir;
	for (i = 0; i < nreq; i++) {
		p->rq[i].sadb_x_ipsecrequest_len = sizeof(p->rq[i]);
		p->rq[i].sadb_x_ipsecrequest_proto = IPPROTO_ESP;
		p->rq[i].sadb_x_ipsecrequest_mode = IPSEC_MODE_TRANSPORT;
		p->rq[i].sadb_x_ipsecrequest_level = IPSEC_LEVEL_REQUIRE;
	}
	i = sizeof(p->x) + nreq * sizeof(p->rq[0]);
	p->x.sadb_x_policy_len = i / 8;
	return i;
}

struct bad_case {
	const char *what;
	int type, dir, nreq;
	void (*mangle)(struct rawpol *p, int *len);
	int want;
};

static void m_short(struct rawpol *p, int *len) { *len = 8; }
static void m_len_units(struct rawpol *p, int *len) { p->x.sadb_x_policy_len++; }
static void m_trailing(struct rawpol *p, int *len) { *len += 8; }
static void m_odd(struct rawpol *p, int *len) { *len += 4; }
static void m_mode(struct rawpol *p, int *len) { p->rq[0].sadb_x_ipsecrequest_mode = 0; }
static void m_level(struct rawpol *p, int *len) { p->rq[0].sadb_x_ipsecrequest_level = 4; }
static void m_proto(struct rawpol *p, int *len) { p->rq[0].sadb_x_ipsecrequest_proto = IPPROTO_UDP; }
static void m_tunnel(struct rawpol *p, int *len) { p->rq[0].sadb_x_ipsecrequest_mode = IPSEC_MODE_TUNNEL; }
static void m_rqlen(struct rawpol *p, int *len) { p->rq[0].sadb_x_ipsecrequest_len = 8; }
static void m_rqover(struct rawpol *p, int *len) { p->rq[0].sadb_x_ipsecrequest_len = 24; }

/* Tunnel request with an AF_UNIX endpoint pair. */
static void m_tunfamily(struct rawpol *p, int *len)
{
	struct sockaddr_in6 *a = (void *)(p->rq + 1);

	p->rq[0].sadb_x_ipsecrequest_mode = IPSEC_MODE_TUNNEL;
	p->rq[0].sadb_x_ipsecrequest_len = sizeof(p->rq[0]) + 2 * sizeof(*a) + 8;
	a[0].sin6_family = AF_UNIX;
	a[1].sin6_family = AF_UNIX;
	*len = sizeof(p->x) + p->rq[0].sadb_x_ipsecrequest_len;
	p->x.sadb_x_policy_len = *len / 8;
}

static const struct bad_case bad_cases[] = {
	{ "8 bytes", IPSEC_POLICY_BYPASS, IPSEC_DIR_OUTBOUND, 0, m_short, EINVAL },
	{ "sadb_x_policy_len too big", IPSEC_POLICY_BYPASS, IPSEC_DIR_OUTBOUND, 0,
	  m_len_units, EINVAL },
	{ "bytes after the policy", IPSEC_POLICY_BYPASS, IPSEC_DIR_OUTBOUND, 0,
	  m_trailing, EINVAL },
	{ "length not a multiple of 8", IPSEC_POLICY_BYPASS, IPSEC_DIR_OUTBOUND, 0,
	  m_odd, EINVAL },
	{ "direction any", IPSEC_POLICY_BYPASS, IPSEC_DIR_ANY, 0, NULL, EINVAL },
	{ "direction fwd", IPSEC_POLICY_BYPASS, IPSEC_DIR_FWD, 0, NULL, EINVAL },
	{ "direction 9", IPSEC_POLICY_BYPASS, 9, 0, NULL, EINVAL },
	{ "type 5", 5, IPSEC_DIR_OUTBOUND, 0, NULL, EINVAL },
	{ "ipsec without a request", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0,
	  NULL, EINVAL },
	{ "request mode 0", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 1, m_mode, EINVAL },
	{ "request level 4", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 1, m_level, EINVAL },
	{ "request protocol udp", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 1, m_proto,
	  EPROTONOSUPPORT },
	{ "tunnel request without endpoints", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND,
	  1, m_tunnel, EINVAL },
	{ "tunnel endpoints AF_UNIX", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 1,
	  m_tunfamily, EAFNOSUPPORT },
	{ "request length 8", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 1, m_rqlen, EINVAL },
	{ "request past the end", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 1, m_rqover,
	  EINVAL },
	{ "seven requests", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 7, NULL, ELOOP },
};

TEST(bad_buffers)
{
	struct sp_stat before, after;
	unsigned int i, n = sizeof(bad_cases) / sizeof(bad_cases[0]);
	/* xfrm_user registered after us answers EOPNOTSUPP last. */
	bool xu = sp_xfrm_user_loaded();
	int fd;

	if (!need_module(_metadata))
		return;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	if (xu)
		TH_LOG("xfrm_user is loaded: EOPNOTSUPP accepted for EINVAL etc.");
	ASSERT_EQ(0, sp_stat_read(&before));
	for (i = 0; i < n; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct rawpol p;
		int len = rawpol_init(&p, c->type, c->dir, c->nreq);
		int err;

		if (c->mangle)
			c->mangle(&p, &len);
		err = sp_set_raw(fd, AF_INET, &p, len);
		if (xu && err == EOPNOTSUPP)
			continue;
		EXPECT_EQ(c->want, err) TH_LOG("%s: got %s, want %s", c->what,
					       strerror(err), strerror(c->want));
	}
	ASSERT_EQ(0, sp_stat_read(&after));
	EXPECT_EQ(0, after.compiled - before.compiled);
	EXPECT_EQ(n, after.rejected - before.rejected);
	close(fd);
}

/* XFRM itself refuses buffers over a page, before any key manager. */
TEST(oversize)
{
	static struct rawpol big[80];
	int fd;

	if (!need_module(_metadata))
		return;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	rawpol_init(big, IPSEC_POLICY_BYPASS, IPSEC_DIR_OUTBOUND, 0);
	EXPECT_EQ(EMSGSIZE, sp_set_raw(fd, AF_INET, big, 4104));
	close(fd);
}

/* IP_XFRM_POLICY belongs to xfrm_user: kameipsec does not compile it. */
TEST(xfrm_optname_not_ours)
{
	struct sp_stat before, after;
	struct rawpol p;
	int fd, len;

	if (!need_module(_metadata))
		return;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	len = rawpol_init(&p, IPSEC_POLICY_BYPASS, IPSEC_DIR_OUTBOUND, 0);
	ASSERT_EQ(0, sp_stat_read(&before));
	EXPECT_NE(0, setsockopt(fd, IPPROTO_IP, IP_XFRM_POLICY, &p, len));
	ASSERT_EQ(0, sp_stat_read(&after));
	EXPECT_EQ(0, after.compiled - before.compiled);
	EXPECT_EQ(0, after.rejected - before.rejected);
	close(fd);
}

/*
 * KAME refuses bypass to unprivileged sockets; Linux's IP layer refuses
 * every per-socket policy without CAP_NET_ADMIN, before kameipsec sees it.
 */
TEST(unprivileged)
{
	struct sp_stat before, after;
	int status;
	pid_t pid;

	if (!need_module(_metadata))
		return;
	ASSERT_EQ(0, sp_stat_read(&before));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		int bad = 0;

		if (fd < 0 || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(10);
		if (sp_set(fd, AF_INET, "out bypass") != EPERM)
			bad |= 1;
		if (sp_set(fd, AF_INET, "in bypass") != EPERM)
			bad |= 2;
		if (sp_set(fd, AF_INET, "out ipsec esp/transport//require") != EPERM)
			bad |= 4;
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("case mask %d not EPERM",
						 WEXITSTATUS(status));
	ASSERT_EQ(0, sp_stat_read(&after));
	EXPECT_EQ(0, after.compiled - before.compiled);
}

/* setsockopt(NULL, 0) drops both directions' policies while the socket lives. */
TEST(clear_policy)
{
	struct sp_stat before, after;
	int fd;

	if (!need_module(_metadata))
		return;
	ASSERT_EQ(0, sp_wait_live(0, MAX_DRAIN_S));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sp_stat_read(&before));
	ASSERT_EQ(0, sp_set(fd, AF_INET, "out ipsec esp/transport//require"));
	ASSERT_EQ(0, sp_set(fd, AF_INET, "in bypass"));
	ASSERT_EQ(0, sp_stat_read(&after));
	EXPECT_EQ(2, after.live);
	ASSERT_EQ(0, setsockopt(fd, IPPROTO_IP, IP_IPSEC_POLICY, NULL, 0));
	EXPECT_EQ(0, sp_wait_live(0, MAX_DRAIN_S));
	ASSERT_EQ(0, sp_stat_read(&after));
	EXPECT_EQ(2, after.freed - before.freed);
	close(fd);
}

/*
 * accept() copies the listener's policies (XFRM clones them): the KAME
 * policy must outlive the listener while a child carries it, and go with
 * the last child.
 */
TEST(accept_inherits)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int lfd, cfd, afd;

	if (!need_module(_metadata))
		return;
	ASSERT_EQ(0, sp_wait_live(0, MAX_DRAIN_S));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, sp_set(lfd, AF_INET, "in bypass"));
	ASSERT_EQ(0, sp_set(lfd, AF_INET, "out bypass"));
	ASSERT_EQ(0, bind(lfd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, listen(lfd, 4));
	ASSERT_EQ(0, getsockname(lfd, (struct sockaddr *)&a, &alen));
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, connect(cfd, (struct sockaddr *)&a, sizeof(a)));
	afd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, afd);
	close(lfd);
	sleep(4);	/* more than two sweeps */
	EXPECT_EQ(2, sp_wait_live(0, 0)) TH_LOG("child's copies lost their policy");
	ASSERT_EQ(4, write(afd, "kame", 4));
	close(afd);
	close(cfd);
	EXPECT_EQ(0, sp_wait_live(0, MAX_DRAIN_S));
}

/*
 * 10,000 sockets with two policies each, opened and closed: nothing stays.
 * A few seconds on the stock kernel; the harness's 30 s per test was too
 * short on the debug kernel (KASAN, kmemleak), so 600 s (a fixture only
 * for TEST_F_TIMEOUT).
 */
FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

TEST_F_TIMEOUT(slow, no_leak_10000, 600)
{
	struct sp_stat before, after;
	int i, fails = 0;

	if (!need_module(_metadata))
		return;
	ASSERT_EQ(0, sp_wait_live(0, MAX_DRAIN_S));
	ASSERT_EQ(0, sp_stat_read(&before));
	for (i = 0; i < 10000; i++) {
		int fam = i & 1 ? AF_INET6 : AF_INET;
		int fd = socket(fam, i & 2 ? SOCK_STREAM : SOCK_DGRAM, 0);

		ASSERT_LE(0, fd);
		fails += !!sp_set(fd, fam, "out ipsec esp/transport//require");
		fails += !!sp_set(fd, fam, "in entrust");
		close(fd);
	}
	EXPECT_EQ(0, fails);
	EXPECT_EQ(0, sp_wait_live(0, 3 * MAX_DRAIN_S));
	ASSERT_EQ(0, sp_stat_read(&after));
	EXPECT_EQ(20000, after.compiled - before.compiled);
	EXPECT_EQ(20000, after.freed - before.freed);
}

/*
 * The carrier XFRM keeps on a socket names its KAME policy by two lifetime
 * fields (Documentation/xfrm-compat.md) that anyone with CAP_NET_ADMIN in
 * a netns can read (XFRM's policy dump) and write (IP_XFRM_POLICY). A
 * carrier copied from netns A into a socket of netns B must not give B's
 * socket A's policy: carrier identities and cookies are per netns.
 */
static int carrier_of_out_policy(__u64 *magic, __u64 *cookie)
{
	struct {
		struct nlmsghdr n;
		struct xfrm_userpolicy_id id;
	} req = {
		.n.nlmsg_len = sizeof(req),
		.n.nlmsg_type = XFRM_MSG_GETPOLICY,
		.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
	};
	static char buf[65536];
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_XFRM), found = -1;
	ssize_t len;

	if (fd < 0)
		return -1;
	if (send(fd, &req, sizeof(req), 0) != sizeof(req))
		goto out;
	while ((len = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *n = (void *)buf;

		for (; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
			struct xfrm_userpolicy_info *p = NLMSG_DATA(n);

			if (n->nlmsg_type == NLMSG_DONE || n->nlmsg_type == NLMSG_ERROR)
				goto out;
			if (n->nlmsg_type != XFRM_MSG_NEWPOLICY ||
			    p->dir != XFRM_POLICY_MAX + XFRM_POLICY_OUT)
				continue;
			*magic = p->lft.soft_packet_limit;
			*cookie = p->lft.hard_packet_limit;
			found = 0;
		}
	}
out:
	close(fd);
	return found;
}

TEST(carrier_from_other_netns_ignored)
{
	struct xfrm_userpolicy_info xp;
	__u64 magic = 0, cookie = 0;
	int a, b, ctl;

	if (!need_module(_metadata))
		return;
	/* Netns A: a socket with "out discard"; its carrier as XFRM shows it. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	a = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, sp_set(a, AF_INET, "out discard"));
	if (carrier_of_out_policy(&magic, &cookie))
		SKIP(return, "no XFRM policy dump (xfrm_user) listing socket policies");
	TH_LOG("netns A's carrier: %#llx / %llu", (unsigned long long)magic,
	       (unsigned long long)cookie);

	/* Netns B: the engine applies B's own socket policies... */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, sp_lo_up());
	ctl = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, sp_send_lo(ctl));
	ASSERT_EQ(0, sp_set(ctl, AF_INET, "out discard"));
	if (sp_send_lo(ctl) != EPERM)
		SKIP(return, "engine does not apply outbound socket policies");

	/* ...but not A's, through a copy of A's carrier. */
	b = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, b);
	memset(&xp, 0, sizeof(xp));
	xp.sel.family = AF_INET;
	xp.lft.soft_byte_limit = XFRM_INF;
	xp.lft.hard_byte_limit = XFRM_INF;
	xp.lft.soft_packet_limit = magic;
	xp.lft.hard_packet_limit = cookie;
	xp.dir = XFRM_POLICY_OUT;
	xp.action = XFRM_POLICY_ALLOW;
	ASSERT_EQ(0, setsockopt(b, IPPROTO_IP, IP_XFRM_POLICY, &xp, sizeof(xp)))
		TH_LOG("IP_XFRM_POLICY: %s", strerror(errno));
	EXPECT_EQ(0, sp_send_lo(b)) TH_LOG("netns A's discard policy applied in B");
	close(b);
	close(ctl);
	close(a);
}

TEST_HARNESS_MAIN
