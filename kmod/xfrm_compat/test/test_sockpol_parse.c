// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of kame_sockpol_parse(): per-socket policy buffers (as
 * ipsec_set_policy(3) makes them) accepted with the right fields, and each
 * malformed shape refused with its errno.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "sockpol_parse.h"

struct buf {
	union {
		uint64_t align;
		unsigned char b[512];
	};
	size_t len;
};

static void b_policy(struct buf *b, int type, int dir)
{
	struct sadb_x_policy *x = (void *)b->b;

	memset(b, 0, sizeof(*b));
	x->sadb_x_policy_exttype = SADB_X_EXT_POLICY;
	x->sadb_x_policy_type = type;
	x->sadb_x_policy_dir = dir;
	x->sadb_x_policy_priority = 0x80000000;
	b->len = sizeof(*x);
}

static struct sadb_x_ipsecrequest *b_req(struct buf *b, int proto, int mode,
					 int level, uint32_t reqid)
{
	struct sadb_x_ipsecrequest *r = (void *)(b->b + b->len);

	r->sadb_x_ipsecrequest_len = sizeof(*r);
	r->sadb_x_ipsecrequest_proto = proto;
	r->sadb_x_ipsecrequest_mode = mode;
	r->sadb_x_ipsecrequest_level = level;
	r->sadb_x_ipsecrequest_reqid = reqid;
	b->len += sizeof(*r);
	return r;
}

/* A tunnel request with endpoints @src-@dst (both IPv4 or both IPv6). */
static void b_tunnel(struct buf *b, int proto, const char *src, const char *dst)
{
	struct sadb_x_ipsecrequest *r = b_req(b, proto, IPSEC_MODE_TUNNEL,
					       IPSEC_LEVEL_REQUIRE, 0);
	unsigned char *p = (unsigned char *)(r + 1);

	if (strchr(src, ':')) {
		struct sockaddr_in6 a = { .sin6_family = AF_INET6 };

		inet_pton(AF_INET6, src, &a.sin6_addr);
		memcpy(p, &a, sizeof(a));
		inet_pton(AF_INET6, dst, &a.sin6_addr);
		memcpy(p + sizeof(a), &a, sizeof(a));
		r->sadb_x_ipsecrequest_len += 2 * sizeof(a);	/* 56, aligned */
	} else {
		struct sockaddr_in a = { .sin_family = AF_INET };

		inet_pton(AF_INET, src, &a.sin_addr);
		memcpy(p, &a, sizeof(a));
		inet_pton(AF_INET, dst, &a.sin_addr);
		memcpy(p + sizeof(a), &a, sizeof(a));
		r->sadb_x_ipsecrequest_len += 2 * sizeof(a);
	}
	b->len += r->sadb_x_ipsecrequest_len - sizeof(*r);
}

static int b_parse(struct buf *b, struct kame_sockpol *sp)
{
	struct sadb_x_policy *x = (void *)b->b;
	uint64_t *scratch;
	int err;

	x->sadb_x_policy_len = b->len / 8;
	scratch = malloc(KAME_SOCKPOL_SCRATCH(b->len));
	err = kame_sockpol_parse(b->b, b->len, scratch, sp);
	free(scratch);
	return err;
}

/* Parse @len bytes exactly as given (sadb_x_policy_len untouched). */
static int raw_parse(const void *p, size_t len, struct kame_sockpol *sp)
{
	uint64_t *scratch = malloc(KAME_SOCKPOL_SCRATCH(len));
	void *copy = malloc(len ? len : 1);
	int err;

	memcpy(copy, p, len);
	err = kame_sockpol_parse(copy, len, scratch, sp);
	free(scratch);
	free(copy);
	return err;
}

TEST(every_type_both_directions)
{
	static const int types[] = {
		IPSEC_POLICY_DISCARD, IPSEC_POLICY_NONE, IPSEC_POLICY_ENTRUST,
		IPSEC_POLICY_BYPASS,
	};
	struct kame_sockpol sp;
	struct buf b;
	unsigned int i;
	int dir;

	for (dir = IPSEC_DIR_INBOUND; dir <= IPSEC_DIR_OUTBOUND; dir++) {
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			b_policy(&b, types[i], dir);
			ASSERT_EQ(0, b_parse(&b, &sp));
			EXPECT_EQ(types[i], sp.type);
			EXPECT_EQ(dir, sp.dir);
			EXPECT_EQ(0, sp.nreq);
			EXPECT_EQ(0x80000000u, sp.priority);
		}
	}
}

TEST(ipsec_chain_in_order)
{
	struct kame_sockpol sp;
	struct buf b;

	b_policy(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	b_req(&b, IPPROTO_COMP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_USE, 0);
	b_req(&b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0);
	b_req(&b, IPPROTO_AH, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_UNIQUE, 7);
	ASSERT_EQ(0, b_parse(&b, &sp));
	EXPECT_EQ(IPSEC_POLICY_IPSEC, sp.type);
	ASSERT_EQ(3, sp.nreq);
	EXPECT_EQ(IPPROTO_COMP, sp.req[0].proto);
	EXPECT_EQ(IPSEC_LEVEL_USE, sp.req[0].level);
	EXPECT_EQ(IPPROTO_ESP, sp.req[1].proto);
	EXPECT_EQ(IPPROTO_AH, sp.req[2].proto);
	EXPECT_EQ(IPSEC_LEVEL_UNIQUE, sp.req[2].level);
	EXPECT_EQ(7, sp.req[2].reqid);
	EXPECT_EQ(0, sp.req[2].family);
}

TEST(tunnel_endpoints_v4_v6)
{
	static const unsigned char v4s[4] = { 10, 1, 0, 1 }, v4d[4] = { 10, 1, 0, 2 };
	struct kame_sockpol sp;
	struct in6_addr a6;
	struct buf b;

	b_policy(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND);
	b_tunnel(&b, IPPROTO_ESP, "10.1.0.1", "10.1.0.2");
	b_tunnel(&b, IPPROTO_AH, "fd00::1", "fd00::2");
	ASSERT_EQ(0, b_parse(&b, &sp));
	ASSERT_EQ(2, sp.nreq);
	EXPECT_EQ(AF_INET, sp.req[0].family);
	EXPECT_EQ(0, memcmp(sp.req[0].src, v4s, 4));
	EXPECT_EQ(0, memcmp(sp.req[0].dst, v4d, 4));
	EXPECT_EQ(AF_INET6, sp.req[1].family);
	inet_pton(AF_INET6, "fd00::2", &a6);
	EXPECT_EQ(0, memcmp(sp.req[1].dst, &a6, 16));
	EXPECT_EQ(IPSEC_MODE_TUNNEL, sp.req[1].mode);
}

/* Requests of a non-ipsec policy are ignored, as in an SPD entry. */
TEST(requests_of_bypass_ignored)
{
	struct kame_sockpol sp;
	struct buf b;

	b_policy(&b, IPSEC_POLICY_BYPASS, IPSEC_DIR_OUTBOUND);
	b_req(&b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0);
	ASSERT_EQ(0, b_parse(&b, &sp));
	EXPECT_EQ(0, sp.nreq);
}

TEST(exttype_not_checked)
{
	struct sadb_x_policy *x;
	struct kame_sockpol sp;
	struct buf b;

	b_policy(&b, IPSEC_POLICY_BYPASS, IPSEC_DIR_OUTBOUND);
	x = (void *)b.b;
	x->sadb_x_policy_exttype = 0;
	EXPECT_EQ(0, b_parse(&b, &sp));
	x->sadb_x_policy_exttype = 77;
	EXPECT_EQ(0, b_parse(&b, &sp));
}

TEST(six_requests_ok_seven_eloop)
{
	struct kame_sockpol sp;
	struct buf b;
	int i;

	b_policy(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	for (i = 0; i < 6; i++)
		b_req(&b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0);
	ASSERT_EQ(0, b_parse(&b, &sp));
	EXPECT_EQ(6, sp.nreq);
	b_req(&b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0);
	EXPECT_EQ(-ELOOP, b_parse(&b, &sp));
}

TEST(framing)
{
	struct sadb_x_policy *x;
	struct kame_sockpol sp;
	struct buf b;

	b_policy(&b, IPSEC_POLICY_BYPASS, IPSEC_DIR_OUTBOUND);
	x = (void *)b.b;
	x->sadb_x_policy_len = 2;
	EXPECT_EQ(0, raw_parse(b.b, 16, &sp));
	EXPECT_EQ(-EINVAL, raw_parse(b.b, 0, &sp));
	EXPECT_EQ(-EINVAL, raw_parse(b.b, 8, &sp));
	EXPECT_EQ(-EINVAL, raw_parse(b.b, 20, &sp));	/* not a multiple of 8 */
	EXPECT_EQ(-EINVAL, raw_parse(b.b, 24, &sp));	/* trailing bytes */
	x->sadb_x_policy_len = 3;
	EXPECT_EQ(-EINVAL, raw_parse(b.b, 16, &sp));	/* len says more */
	x->sadb_x_policy_len = 0;
	EXPECT_EQ(-EINVAL, raw_parse(b.b, 16, &sp));
	EXPECT_EQ(-EINVAL, kame_sockpol_parse(NULL, 16, b.b, &sp));
}

TEST(too_long)
{
	struct kame_sockpol sp;
	unsigned char *p = calloc(1, 4104);
	struct sadb_x_policy *x = (void *)p;

	x->sadb_x_policy_type = IPSEC_POLICY_BYPASS;
	x->sadb_x_policy_dir = IPSEC_DIR_OUTBOUND;
	x->sadb_x_policy_len = 4104 / 8;
	EXPECT_EQ(-EINVAL, raw_parse(p, 4104, &sp));
	free(p);
}

struct bad {
	const char *what;
	int type, dir;
	int proto, mode, level;	/* proto 0: no request */
	int want;
};

static const struct bad bads[] = {
	{ "dir any", IPSEC_POLICY_BYPASS, IPSEC_DIR_ANY, 0, 0, 0, -EINVAL },
	{ "dir fwd", IPSEC_POLICY_BYPASS, IPSEC_DIR_FWD, 0, 0, 0, -EINVAL },
	{ "dir 200", IPSEC_POLICY_BYPASS, 200, 0, 0, 0, -EINVAL },
	{ "type 5", 5, IPSEC_DIR_OUTBOUND, 0, 0, 0, -EINVAL },
	{ "type 65535", 65535, IPSEC_DIR_OUTBOUND, 0, 0, 0, -EINVAL },
	{ "ipsec, no request", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0, 0, 0, -EINVAL },
	{ "proto udp", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, IPPROTO_UDP,
	  IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, -EPROTONOSUPPORT },
	{ "mode any", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, IPPROTO_ESP,
	  IPSEC_MODE_ANY, IPSEC_LEVEL_REQUIRE, -EINVAL },
	{ "mode 3", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, IPPROTO_ESP, 3,
	  IPSEC_LEVEL_REQUIRE, -EINVAL },
	{ "level 4", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, IPPROTO_ESP,
	  IPSEC_MODE_TRANSPORT, 4, -EINVAL },
	{ "tunnel without endpoints", IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND,
	  IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE, -EINVAL },
};

TEST(bad_fields)
{
	struct kame_sockpol sp;
	unsigned int i;
	struct buf b;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *c = &bads[i];

		b_policy(&b, c->type, c->dir);
		if (c->proto)
			b_req(&b, c->proto, c->mode, c->level, 0);
		EXPECT_EQ(c->want, b_parse(&b, &sp)) TH_LOG("%s", c->what);
	}
}

TEST(bad_request_shapes)
{
	struct sadb_x_ipsecrequest *r;
	struct kame_sockpol sp;
	struct sockaddr_in6 *a;
	struct buf b;

	/* Request length below its header. */
	b_policy(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	r = b_req(&b, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0);
	r->sadb_x_ipsecrequest_len = 8;
	EXPECT_EQ(-EINVAL, b_parse(&b, &sp));
	/* Request length past the policy. */
	r->sadb_x_ipsecrequest_len = 24;
	EXPECT_EQ(-EINVAL, b_parse(&b, &sp));
	/* Endpoints of an unknown family. */
	b_policy(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	b_tunnel(&b, IPPROTO_ESP, "fd00::1", "fd00::2");
	a = (void *)(b.b + sizeof(struct sadb_x_policy) +
		     sizeof(struct sadb_x_ipsecrequest));
	a[0].sin6_family = AF_UNIX;
	a[1].sin6_family = AF_UNIX;
	EXPECT_EQ(-EAFNOSUPPORT, b_parse(&b, &sp));
	/* Endpoints of two families. */
	b_policy(&b, IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND);
	b_tunnel(&b, IPPROTO_ESP, "fd00::1", "fd00::2");
	a[1].sin6_family = AF_INET;
	EXPECT_EQ(-EINVAL, b_parse(&b, &sp));
}

/* The buffer is not modified (the validator works on the scratch copy). */
TEST(input_untouched)
{
	struct kame_sockpol sp;
	struct sadb_x_policy *x;
	struct buf b, copy;

	b_policy(&b, IPSEC_POLICY_ENTRUST, IPSEC_DIR_INBOUND);
	x = (void *)b.b;
	x->sadb_x_policy_exttype = 0;
	x->sadb_x_policy_len = 2;
	copy = b;
	ASSERT_EQ(0, kame_sockpol_parse(b.b, 16, copy.b + 256, &sp));
	EXPECT_EQ(0, memcmp(b.b, copy.b, 16));
}

TEST_HARNESS_MAIN
