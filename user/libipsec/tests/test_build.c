// SPDX-License-Identifier: BSD-3-Clause
/*
 * The pfkey_send_* family: each message is sent over a datagram socketpair
 * standing in for PF_KEY, read back, parsed as the module parses it and
 * checked field by field after pfkey_align.
 */
#include <sys/socket.h>
#include <unistd.h>
#include "../libipsec.h"
#include "../pfkey_msg.h"
#include "msg_parse.h"
#include "test_util.h"
#include "kselftest_harness.h"

FIXTURE(pair)
{
	int sv[2];
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct sadb_msg *m;
};

FIXTURE_SETUP(pair)
{
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, self->sv));
	self->m = NULL;
}

FIXTURE_TEARDOWN(pair)
{
	free(self->m);
	close(self->sv[0]);
	close(self->sv[1]);
}

/*
 * Receives what was sent as the kernel does: the parser the module runs
 * (kame_msg_parse) must accept it; then indexes it. (pfkey_recv() is for
 * what the kernel sends and checks that instead.)
 */
static struct sadb_msg *take(int so, caddr_t *mhp)
{
	struct sadb_msg *m = malloc(65536);
	struct kame_msg km;
	ssize_t n = m ? recv(so, m, 65536, 0) : -1;

	if (n < 0 || kame_msg_parse(m, n, &km) ||
	    pfkey_align(m, mhp) || pfkey_check(mhp)) {
		free(m);
		return NULL;
	}
	return m;
}

#define SA(ss) ((struct sockaddr *)&(ss))

TEST_F(pair, add_esp_with_keys_and_lifetimes)
{
	struct sockaddr_storage s = test_addr("10.1.1.1", 0), d = test_addr("20.1.1.1", 0);
	char keys[16 + 20];
	struct sadb_sa *sa;
	struct sadb_x_sa2 *sa2;
	struct sadb_key *ke, *ka;
	struct sadb_lifetime *h, *so;
	struct sadb_address *as;
	int n;

	memset(keys, 0xaa, 16);
	memset(keys + 16, 0xbb, 20);
	n = pfkey_send_add(self->sv[0], SADB_SATYPE_ESP, IPSEC_MODE_TUNNEL, SA(s), SA(d),
			   0x1234, 7, 32, keys, SADB_X_EALG_AESCBC, 16,
			   SADB_AALG_SHA1HMAC, 20, 0, 0, 1000, 3600, 0, 99);
	ASSERT_GT(n, 0);
	self->m = take(self->sv[1], self->mhp);
	ASSERT_NE(NULL, self->m);
	EXPECT_EQ(n, self->m->sadb_msg_len * 8);
	EXPECT_EQ(SADB_ADD, self->m->sadb_msg_type);
	EXPECT_EQ(SADB_SATYPE_ESP, self->m->sadb_msg_satype);
	EXPECT_EQ(99, self->m->sadb_msg_seq);
	EXPECT_EQ(getpid(), self->m->sadb_msg_pid);
	sa = (void *)self->mhp[SADB_EXT_SA];
	ASSERT_NE(NULL, sa);
	EXPECT_EQ(htonl(0x1234), sa->sadb_sa_spi);
	EXPECT_EQ(32, sa->sadb_sa_replay);
	EXPECT_EQ(SADB_X_EALG_AESCBC, sa->sadb_sa_encrypt);
	EXPECT_EQ(SADB_AALG_SHA1HMAC, sa->sadb_sa_auth);
	sa2 = (void *)self->mhp[SADB_X_EXT_SA2];
	ASSERT_NE(NULL, sa2);
	EXPECT_EQ(IPSEC_MODE_TUNNEL, sa2->sadb_x_sa2_mode);
	EXPECT_EQ(7, sa2->sadb_x_sa2_reqid);
	as = (void *)self->mhp[SADB_EXT_ADDRESS_SRC];
	ASSERT_NE(NULL, as);
	EXPECT_EQ(3, as->sadb_address_len);
	EXPECT_EQ(32, as->sadb_address_prefixlen);
	EXPECT_EQ(IPSEC_ULPROTO_ANY, as->sadb_address_proto);
	ke = (void *)self->mhp[SADB_EXT_KEY_ENCRYPT];
	ka = (void *)self->mhp[SADB_EXT_KEY_AUTH];
	ASSERT_NE(NULL, ke);
	ASSERT_NE(NULL, ka);
	EXPECT_EQ(128, ke->sadb_key_bits);
	EXPECT_EQ(3, ke->sadb_key_len);
	EXPECT_EQ(0xaa, ((uint8_t *)(ke + 1))[15]);
	EXPECT_EQ(160, ka->sadb_key_bits);
	EXPECT_EQ(4, ka->sadb_key_len);
	EXPECT_EQ(0xbb, ((uint8_t *)(ka + 1))[19]);
	EXPECT_EQ(0, ((uint8_t *)(ka + 1))[20]);
	h = (void *)self->mhp[SADB_EXT_LIFETIME_HARD];
	so = (void *)self->mhp[SADB_EXT_LIFETIME_SOFT];
	ASSERT_NE(NULL, h);
	ASSERT_NE(NULL, so);
	EXPECT_EQ(3600, h->sadb_lifetime_addtime);
	EXPECT_EQ(2880, so->sadb_lifetime_addtime);
	EXPECT_EQ(1000, h->sadb_lifetime_bytes);
	EXPECT_EQ(800, so->sadb_lifetime_bytes);
}

TEST_F(pair, add_nat_extensions)
{
	struct sockaddr_storage s = test_addr("192.0.2.1", 4500), d = test_addr("198.51.100.2", 4500);
	struct sockaddr_storage oa = test_addr("10.0.0.7", 0);
	char keys[16];
	struct sadb_x_nat_t_type *t;
	struct sadb_x_nat_t_port *sp, *dp;

	memset(keys, 1, sizeof(keys));
	ASSERT_GT(pfkey_send_add_nat(self->sv[0], SADB_SATYPE_ESP, IPSEC_MODE_TRANSPORT,
				     SA(s), SA(d), 0x777, 0, 0, keys, SADB_X_EALG_AESCBC, 16,
				     SADB_AALG_NONE, 0, 0, 0, 0, 0, 0, 3, 2, 4500, 4501,
				     SA(oa), 0), 0);
	self->m = take(self->sv[1], self->mhp);
	ASSERT_NE(NULL, self->m);
	t = (void *)self->mhp[SADB_X_EXT_NAT_T_TYPE];
	sp = (void *)self->mhp[SADB_X_EXT_NAT_T_SPORT];
	dp = (void *)self->mhp[SADB_X_EXT_NAT_T_DPORT];
	ASSERT_NE(NULL, t);
	ASSERT_NE(NULL, sp);
	ASSERT_NE(NULL, dp);
	EXPECT_EQ(2, t->sadb_x_nat_t_type_type);
	EXPECT_EQ(htons(4500), sp->sadb_x_nat_t_port_port);
	EXPECT_EQ(htons(4501), dp->sadb_x_nat_t_port_port);
	ASSERT_NE(NULL, self->mhp[SADB_X_EXT_NAT_T_OA]);
	free(self->m);
	/* natt_type 0: no NAT-T extensions */
	ASSERT_GT(pfkey_send_update_nat(self->sv[0], SADB_SATYPE_ESP, 0, SA(s), SA(d), 0x778,
					0, 0, keys, SADB_X_EALG_AESCBC, 16, 0, 0, 0, 0, 0, 0,
					0, 4, 0, 0, 0, NULL, 0), 0);
	self->m = take(self->sv[1], self->mhp);
	ASSERT_NE(NULL, self->m);
	EXPECT_EQ(SADB_UPDATE, self->m->sadb_msg_type);
	EXPECT_EQ(NULL, self->mhp[SADB_X_EXT_NAT_T_TYPE]);
}

TEST_F(pair, esp_null_sends_empty_key)
{
	struct sockaddr_storage s = test_addr("::1", 0), d = test_addr("::2", 0);
	struct sadb_key *ke;
	struct sadb_address *ad;

	ASSERT_GT(pfkey_send_update(self->sv[0], SADB_SATYPE_ESP, 0, SA(s), SA(d), 300, 0, 0,
				    NULL, SADB_EALG_NULL, 0, SADB_AALG_NONE, 0, 0, 0, 0,
				    0, 0, 5), 0);
	self->m = take(self->sv[1], self->mhp);
	ASSERT_NE(NULL, self->m);
	EXPECT_EQ(SADB_UPDATE, self->m->sadb_msg_type);
	ke = (void *)self->mhp[SADB_EXT_KEY_ENCRYPT];
	ASSERT_NE(NULL, ke);
	EXPECT_EQ(0, ke->sadb_key_bits);
	EXPECT_EQ(1, ke->sadb_key_len);
	EXPECT_EQ(NULL, self->mhp[SADB_EXT_KEY_AUTH]);
	ad = (void *)self->mhp[SADB_EXT_ADDRESS_DST];
	EXPECT_EQ(5, ad->sadb_address_len);
	EXPECT_EQ(128, ad->sadb_address_prefixlen);
}

TEST_F(pair, getspi_range_and_checks)
{
	struct sockaddr_storage s = test_addr("10.0.0.1", 0), d = test_addr("10.0.0.2", 0);
	struct sockaddr_storage d6 = test_addr("::2", 0);
	struct sadb_spirange *r;

	ASSERT_GT(pfkey_send_getspi(self->sv[0], SADB_SATYPE_AH, IPSEC_MODE_TRANSPORT,
				    SA(s), SA(d), 0x1000, 0x2000, 3, 42), 0);
	self->m = take(self->sv[1], self->mhp);
	ASSERT_NE(NULL, self->m);
	EXPECT_EQ(SADB_GETSPI, self->m->sadb_msg_type);
	EXPECT_EQ(42, self->m->sadb_msg_seq);
	r = (void *)self->mhp[SADB_EXT_SPIRANGE];
	ASSERT_NE(NULL, r);
	EXPECT_EQ(0x1000, r->sadb_spirange_min);
	EXPECT_EQ(0x2000, r->sadb_spirange_max);
	EXPECT_EQ(NULL, self->mhp[SADB_EXT_SA]);
	/* reserved SPIs, inverted range, family mismatch, bad satype */
	EXPECT_EQ(-1, pfkey_send_getspi(self->sv[0], SADB_SATYPE_AH, 0, SA(s), SA(d),
					 1, 255, 0, 0));
	EXPECT_EQ(EIPSEC_INVAL_SPI, __ipsec_errcode);
	EXPECT_EQ(-1, pfkey_send_getspi(self->sv[0], SADB_SATYPE_AH, 0, SA(s), SA(d),
					 0x2000, 0x1000, 0, 0));
	EXPECT_EQ(-1, pfkey_send_getspi(self->sv[0], SADB_SATYPE_AH, 0, SA(s), SA(d6),
					 0, 0, 0, 0));
	EXPECT_EQ(EIPSEC_FAMILY_MISMATCH, __ipsec_errcode);
	EXPECT_EQ(-1, pfkey_send_getspi(self->sv[0], 7, 0, SA(s), SA(d), 0, 0, 0, 0));
	EXPECT_EQ(EIPSEC_INVAL_SATYPE, __ipsec_errcode);
}

TEST_F(pair, delete_get_delete_all)
{
	struct sockaddr_storage s = test_addr("10.0.0.1", 0), d = test_addr("10.0.0.2", 0);
	struct sadb_sa *sa;

	ASSERT_GT(pfkey_send_delete(self->sv[0], SADB_SATYPE_ESP, 0, SA(s), SA(d), 0x10001), 0);
	self->m = take(self->sv[1], self->mhp);
	ASSERT_NE(NULL, self->m);
	EXPECT_EQ(SADB_DELETE, self->m->sadb_msg_type);
	sa = (void *)self->mhp[SADB_EXT_SA];
	ASSERT_NE(NULL, sa);
	EXPECT_EQ(htonl(0x10001), sa->sadb_sa_spi);
	free(self->m);

	ASSERT_GT(pfkey_send_delete_all(self->sv[0], SADB_SATYPE_ESP, 0, SA(s), SA(d)), 0);
	self->m = take(self->sv[1], self->mhp);
	ASSERT_NE(NULL, self->m);
	EXPECT_EQ(SADB_DELETE, self->m->sadb_msg_type);
	EXPECT_EQ(NULL, self->mhp[SADB_EXT_SA]);
	EXPECT_NE(NULL, self->mhp[SADB_EXT_ADDRESS_DST]);
	free(self->m);

	ASSERT_GT(pfkey_send_get(self->sv[0], SADB_SATYPE_AH, 0, SA(s), SA(d), 0x999), 0);
	self->m = take(self->sv[1], self->mhp);
	ASSERT_NE(NULL, self->m);
	EXPECT_EQ(SADB_GET, self->m->sadb_msg_type);
	EXPECT_EQ(SADB_SATYPE_AH, self->m->sadb_msg_satype);
}

TEST_F(pair, base_only_messages)
{
	static const struct { int type, satype; } want[] = {
		{ SADB_REGISTER, SADB_SATYPE_ESP }, { SADB_FLUSH, SADB_SATYPE_UNSPEC },
		{ SADB_DUMP, SADB_SATYPE_AH }, { SADB_X_PROMISC, 1 },
		{ SADB_X_SPDFLUSH, 0 }, { SADB_X_SPDDUMP, 0 },
	};
	size_t i;

	ASSERT_GT(pfkey_send_register(self->sv[0], SADB_SATYPE_ESP), 0);
	ASSERT_GT(pfkey_send_flush(self->sv[0], SADB_SATYPE_UNSPEC), 0);
	ASSERT_GT(pfkey_send_dump(self->sv[0], SADB_SATYPE_AH), 0);
	ASSERT_GT(pfkey_send_promisc_toggle(self->sv[0], 1), 0);
	ASSERT_GT(pfkey_send_spdflush(self->sv[0]), 0);
	ASSERT_GT(pfkey_send_spddump(self->sv[0]), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		self->m = take(self->sv[1], self->mhp);
		ASSERT_NE(NULL, self->m);
		EXPECT_EQ(2, self->m->sadb_msg_len);
		EXPECT_EQ(PF_KEY_V2, self->m->sadb_msg_version);
		EXPECT_EQ(want[i].type, self->m->sadb_msg_type);
		EXPECT_EQ(want[i].satype, self->m->sadb_msg_satype);
		free(self->m);
		self->m = NULL;
	}
}

TEST_F(pair, spdadd_and_friends)
{
	struct sockaddr_storage s = test_addr("10.0.0.0", 0), d = test_addr("10.0.1.0", 80);
	const char *pol = "out ipsec esp/tunnel/1.1.1.1-2.2.2.2/require";
	caddr_t p = ipsec_set_policy(pol, strlen(pol));
	struct sadb_address *as, *ad;
	struct sadb_x_policy *xp;
	struct sadb_lifetime *h;
	static const int types[] = { SADB_X_SPDADD, SADB_X_SPDUPDATE,
				     SADB_X_SPDDELETE, SADB_X_SPDSETIDX };
	size_t i;

	ASSERT_NE(NULL, p);
	ASSERT_GT(pfkey_send_spdadd(self->sv[0], SA(s), 24, SA(d), 24, IPPROTO_TCP, p,
				    ipsec_get_policylen(p), 11), 0);
	ASSERT_GT(pfkey_send_spdupdate(self->sv[0], SA(s), 24, SA(d), 24, IPPROTO_TCP, p,
				       ipsec_get_policylen(p), 12), 0);
	ASSERT_GT(pfkey_send_spddelete(self->sv[0], SA(s), 24, SA(d), 24, IPPROTO_TCP, p,
				       ipsec_get_policylen(p), 13), 0);
	ASSERT_GT(pfkey_send_spdsetidx(self->sv[0], SA(s), 24, SA(d), 24, IPPROTO_TCP, p,
				       ipsec_get_policylen(p), 14), 0);
	for (i = 0; i < 4; i++) {
		self->m = take(self->sv[1], self->mhp);
		ASSERT_NE(NULL, self->m);
		EXPECT_EQ(types[i], self->m->sadb_msg_type);
		EXPECT_EQ(11 + i, self->m->sadb_msg_seq);
		EXPECT_EQ(0, self->m->sadb_msg_satype);
		as = (void *)self->mhp[SADB_EXT_ADDRESS_SRC];
		ad = (void *)self->mhp[SADB_EXT_ADDRESS_DST];
		ASSERT_NE(NULL, as);
		ASSERT_NE(NULL, ad);
		EXPECT_EQ(24, as->sadb_address_prefixlen);
		EXPECT_EQ(IPPROTO_TCP, ad->sadb_address_proto);
		EXPECT_EQ(htons(80), ((struct sockaddr_in *)(ad + 1))->sin_port);
		xp = (void *)self->mhp[SADB_X_EXT_POLICY];
		ASSERT_NE(NULL, xp);
		EXPECT_EQ(0, memcmp(xp, p, ipsec_get_policylen(p)));
		EXPECT_EQ(NULL, self->mhp[SADB_EXT_LIFETIME_HARD]);
		free(self->m);
		self->m = NULL;
	}
	ASSERT_GT(pfkey_send_spdadd2(self->sv[0], SA(s), 24, SA(d), 24, 255, 100, 50, p,
				     ipsec_get_policylen(p), 1), 0);
	self->m = take(self->sv[1], self->mhp);
	ASSERT_NE(NULL, self->m);
	h = (void *)self->mhp[SADB_EXT_LIFETIME_HARD];
	ASSERT_NE(NULL, h);
	EXPECT_EQ(100, h->sadb_lifetime_addtime);
	EXPECT_EQ(50, h->sadb_lifetime_usetime);
	/* prefix too long, wrong policy length */
	EXPECT_EQ(-1, pfkey_send_spdadd(self->sv[0], SA(s), 33, SA(d), 24, 255, p,
					ipsec_get_policylen(p), 0));
	EXPECT_EQ(EIPSEC_INVAL_PREFIXLEN, __ipsec_errcode);
	EXPECT_EQ(-1, pfkey_send_spdadd(self->sv[0], SA(s), 24, SA(d), 24, 255, p, 8, 0));
	EXPECT_EQ(EIPSEC_INVAL_POLICY, __ipsec_errcode);
	free(p);
}

TEST_F(pair, spdget_spddelete2_by_id)
{
	struct sadb_x_policy *xp;

	ASSERT_GT(pfkey_send_spdget(self->sv[0], 0x121), 0);
	ASSERT_GT(pfkey_send_spddelete2(self->sv[0], 0x122), 0);
	self->m = take(self->sv[1], self->mhp);
	ASSERT_NE(NULL, self->m);
	EXPECT_EQ(SADB_X_SPDGET, self->m->sadb_msg_type);
	EXPECT_EQ(4, self->m->sadb_msg_len);
	xp = (void *)self->mhp[SADB_X_EXT_POLICY];
	ASSERT_NE(NULL, xp);
	EXPECT_EQ(0x121, xp->sadb_x_policy_id);
	free(self->m);
	self->m = take(self->sv[1], self->mhp);
	ASSERT_NE(NULL, self->m);
	EXPECT_EQ(SADB_X_SPDDELETE2, self->m->sadb_msg_type);
}

TEST(align_rejects_bad_messages)
{
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct {
		struct sadb_msg m;
		struct sadb_sa sa;
		struct sadb_sa sa2;
	} b;

	memset(&b, 0, sizeof(b));
	b.m.sadb_msg_version = 2;
	b.m.sadb_msg_type = SADB_GET;
	b.m.sadb_msg_len = 6;
	b.sa.sadb_sa_len = 2;
	b.sa.sadb_sa_exttype = SADB_EXT_SA;
	b.sa2.sadb_sa_len = 2;
	b.sa2.sadb_sa_exttype = SADB_EXT_SA;
	EXPECT_EQ(-1, pfkey_align(&b.m, mhp));	/* duplicate */
	EXPECT_EQ(EIPSEC_INVAL_EXTTYPE, __ipsec_errcode);
	b.sa2.sadb_sa_exttype = 40;
	EXPECT_EQ(-1, pfkey_align(&b.m, mhp));	/* unknown type */
	b.sa2.sadb_sa_exttype = SADB_X_EXT_SA2;
	b.sa2.sadb_sa_len = 9;
	EXPECT_EQ(-1, pfkey_align(&b.m, mhp));	/* overruns message */
	EXPECT_EQ(EIPSEC_INVAL_SADBMSG, __ipsec_errcode);
	b.sa2.sadb_sa_len = 2;
	b.sa.sadb_sa_len = 1;	/* shorter than struct sadb_sa */
	b.m.sadb_msg_len = 3;
	EXPECT_EQ(-1, pfkey_align(&b.m, mhp));
	b.sa.sadb_sa_len = 2;
	b.m.sadb_msg_len = 6;
	ASSERT_EQ(0, pfkey_align(&b.m, mhp));
	EXPECT_EQ((caddr_t)&b.sa, mhp[SADB_EXT_SA]);
	EXPECT_EQ((caddr_t)&b.sa2, mhp[SADB_X_EXT_SA2]);
	EXPECT_EQ(0, pfkey_check(mhp));
	b.m.sadb_msg_version = 1;
	EXPECT_EQ(-1, pfkey_check(mhp));
	EXPECT_EQ(EIPSEC_INVAL_VERSION, __ipsec_errcode);
}

/*
 * Sends what a kernel would: an ADD of an ESP SA, with the keys if @keys
 * (Linux af_key broadcasts them so), the source prefix length @plen.
 */
static void kernel_add(int so, int keys, unsigned int plen)
{
	struct sockaddr_storage s = test_addr("10.1.1.1", 0), d = test_addr("20.1.1.1", 0);
	struct pfkey_msgbuf mb;
	struct sadb_msg *m;
	size_t len;

	pfkey_mb_init(&mb, SADB_ADD, SADB_SATYPE_ESP, 5, 4242);
	pfkey_mb_sa(&mb, 0x1234, 32, SADB_SASTATE_MATURE, SADB_AALG_SHA1HMAC,
		    SADB_X_EALG_AESCBC, 0);
	pfkey_mb_address(&mb, SADB_EXT_ADDRESS_SRC, SA(s), plen, IPSEC_ULPROTO_ANY);
	pfkey_mb_address(&mb, SADB_EXT_ADDRESS_DST, SA(d), 32, IPSEC_ULPROTO_ANY);
	if (keys)
		pfkey_mb_key(&mb, SADB_EXT_KEY_ENCRYPT, "0123456789abcdef", 16);
	m = pfkey_mb_finish(&mb, &len);
	if (m)
		send(so, m, len, 0);
	pfkey_mb_free(&mb);
}

/*
 * What the kernel sends is checked (kame_msg_parse_out, KAME_OUT_ANY): a
 * message no PF_KEY v2 kernel sends is refused with a clear error; any
 * kernel's shapes pass (setkey works with Linux af_key too).
 */
TEST_F(pair, recv_refuses_malformed_kernel_messages)
{
	struct sadb_msg *m;

	kernel_add(self->sv[0], 0, 32);
	m = pfkey_recv(self->sv[1]);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(SADB_ADD, m->sadb_msg_type);
	free(m);

	/* af_key's ADD broadcast with the keys: not kameipsec's, a kernel's. */
	kernel_add(self->sv[0], 1, 32);
	m = pfkey_recv(self->sv[1]);
	ASSERT_NE(NULL, m);
	free(m);

	/* An IPv4 prefix of 33 bits. */
	kernel_add(self->sv[0], 0, 33);
	EXPECT_EQ(NULL, pfkey_recv(self->sv[1]));
	EXPECT_EQ(EIPSEC_INVAL_SADBMSG, __ipsec_errcode);
	EXPECT_STREQ("Invalid sadb message: malformed SADB_ADD from the kernel: "
		     "malformed extension ADDRESS_SRC (Invalid argument)",
		     ipsec_strerror());

	/* A GET whose extension runs past the message. */
	{
		struct {
			struct sadb_msg m;
			struct sadb_ext e;
			__u8 rest[4];		/* 8 bytes of the ext's 16 */
		} g = {
			.m = { .sadb_msg_version = PF_KEY_V2, .sadb_msg_type = SADB_GET,
			       .sadb_msg_satype = SADB_SATYPE_ESP, .sadb_msg_len = 3 },
			.e = { .sadb_ext_len = 2, .sadb_ext_type = SADB_EXT_SA },
		};

		send(self->sv[0], &g, sizeof(g), 0);
		EXPECT_EQ(NULL, pfkey_recv(self->sv[1]));
		EXPECT_NE(NULL, strstr(ipsec_strerror(), "malformed SADB_GET from "
				       "the kernel: malformed extension SA"));
		/* The same with an errno is an error reply: taken as it is. */
		g.m.sadb_msg_errno = ENOENT;
		send(self->sv[0], &g, sizeof(g), 0);
		m = pfkey_recv(self->sv[1]);
		ASSERT_NE(NULL, m);
		EXPECT_EQ(ENOENT, m->sadb_msg_errno);
		free(m);
	}
}

TEST(register_and_keylen)
{
	struct {
		struct sadb_msg m;
		struct sadb_supported sa;
		struct sadb_alg a[2];
		struct sadb_supported se;
		struct sadb_alg e[1];
	} r;
	struct sadb_alg alg;

	memset(&r, 0, sizeof(r));
	EXPECT_EQ(-1, ipsec_check_keylen(SADB_EXT_SUPPORTED_AUTH, 3, 20));
	EXPECT_EQ(EIPSEC_DO_GET_SUPP_LIST, __ipsec_errcode);
	r.m.sadb_msg_version = 2;
	r.m.sadb_msg_type = SADB_REGISTER;
	r.m.sadb_msg_len = sizeof(r) / 8;
	r.sa.sadb_supported_len = 3;
	r.sa.sadb_supported_exttype = SADB_EXT_SUPPORTED_AUTH;
	r.a[0] = (struct sadb_alg){ .sadb_alg_id = 3, .sadb_alg_minbits = 160,
				    .sadb_alg_maxbits = 160 };
	r.a[1] = (struct sadb_alg){ .sadb_alg_id = 5, .sadb_alg_minbits = 256,
				    .sadb_alg_maxbits = 256 };
	r.se.sadb_supported_len = 2;
	r.se.sadb_supported_exttype = SADB_EXT_SUPPORTED_ENCRYPT;
	r.e[0] = (struct sadb_alg){ .sadb_alg_id = 12, .sadb_alg_ivlen = 16,
				    .sadb_alg_minbits = 128, .sadb_alg_maxbits = 256 };
	ASSERT_EQ(0, pfkey_set_supported(&r.m, sizeof(r)));
	EXPECT_EQ(0, ipsec_check_keylen(SADB_EXT_SUPPORTED_AUTH, 3, 20));
	EXPECT_EQ(-1, ipsec_check_keylen(SADB_EXT_SUPPORTED_AUTH, 3, 16));
	EXPECT_EQ(EIPSEC_INVAL_KEYLEN, __ipsec_errcode);
	EXPECT_EQ(-1, ipsec_check_keylen(SADB_EXT_SUPPORTED_AUTH, 12, 32));
	EXPECT_EQ(EIPSEC_NOT_SUPPORTED, __ipsec_errcode);
	EXPECT_EQ(0, ipsec_check_keylen2(SADB_SATYPE_ESP, 12, 24));
	EXPECT_EQ(-1, ipsec_check_keylen2(SADB_SATYPE_ESP, 12, 40));
	ASSERT_EQ(0, ipsec_get_keylen(SADB_EXT_SUPPORTED_ENCRYPT, 12, &alg));
	EXPECT_EQ(16, alg.sadb_alg_ivlen);
}

TEST_HARNESS_MAIN
