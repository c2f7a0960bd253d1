// SPDX-License-Identifier: BSD-3-Clause
/*
 * Golden outputs of the setkey -D / -DP / -x printers for hand-built
 * kernel replies. The expected text lives in golden/NAME.txt (exact bytes,
 * tabs included); run with TZ=UTC (make check does).
 */
#include <unistd.h>
#include "../libipsec.h"
#include "../pfkey_msg.h"
#include "test_util.h"
#include "kselftest_harness.h"

#define T0 1795687200	/* Nov 26 10:00:00 2026 UTC */

static const uint8_t key_aes[16] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};
static const uint8_t key_sha1[20] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
};

typedef int (*printer)(const struct sadb_msg *, const struct pfkey_dump_opts *);

/* Prints m with "now" = T0 + 300 and compares with golden/<name>. */
static int check(struct pfkey_msgbuf *mb, printer p, int withports,
		 const char *name)
{
	struct pfkey_dump_opts o = { NULL, T0 + 300, withports, 0 };
	char *text = NULL, path[256];
	size_t len;
	struct sadb_msg *m = pfkey_mb_finish(mb, NULL);
	int ok;

	if (!m)
		return 0;
	o.out = open_memstream(&text, &len);
	if (!o.out)
		return 0;
	if (p)
		p(m, &o);
	else
		kdebug_sadb_fp(o.out, m);
	fclose(o.out);
	snprintf(path, sizeof(path), "golden/%s", name);
	ok = test_golden(path, text);
	free(text);
	pfkey_mb_free(mb);
	return ok;
}

static void sa_common(struct pfkey_msgbuf *mb, const char *src, const char *dst,
		      unsigned int sport, unsigned int dport)
{
	struct sockaddr_storage s = test_addr(src, sport), d = test_addr(dst, dport);

	pfkey_mb_address(mb, SADB_EXT_ADDRESS_SRC, (struct sockaddr *)&s,
			 strchr(src, ':') ? 128 : 32, 255);
	pfkey_mb_address(mb, SADB_EXT_ADDRESS_DST, (struct sockaddr *)&d,
			 strchr(dst, ':') ? 128 : 32, 255);
}

TEST(sa_esp_transport_reference_example)
{
	struct pfkey_msgbuf mb;

	pfkey_mb_init(&mb, SADB_DUMP, SADB_SATYPE_ESP, 0, 4242);
	pfkey_mb_sa(&mb, 0x1234, 0, SADB_SASTATE_MATURE, SADB_AALG_SHA1HMAC,
		    SADB_X_EALG_AESCBC, 0);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_CURRENT, 0, 0, T0, 0);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_HARD, 0, 0, 0, 0);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_SOFT, 0, 0, 0, 0);
	sa_common(&mb, "192.0.2.1", "192.0.2.2", 0, 0);
	pfkey_mb_key(&mb, SADB_EXT_KEY_AUTH, key_sha1, sizeof(key_sha1));
	pfkey_mb_key(&mb, SADB_EXT_KEY_ENCRYPT, key_aes, sizeof(key_aes));
	pfkey_mb_sa2(&mb, IPSEC_MODE_TRANSPORT, 0, 0);
	EXPECT_TRUE(check(&mb, pfkey_sadump_opts, 0, "sa_esp_transport.txt"));
}

TEST(sa_ah_v6_tunnel_long_key_lifetimes)
{
	struct pfkey_msgbuf mb;
	uint8_t key[64];
	int i;

	for (i = 0; i < 64; i++)
		key[i] = i;
	pfkey_mb_init(&mb, SADB_GET, SADB_SATYPE_AH, 7, 100);
	pfkey_mb_sa(&mb, 0xdeadbeef, 32, SADB_SASTATE_DYING,
		    SADB_X_AALG_SHA2_512HMAC, 0, SADB_X_EXT_CYCSEQ);
	pfkey_mb_sa2(&mb, IPSEC_MODE_TUNNEL, 16385, 77);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_CURRENT, 3, 123456, T0 - 100,
			  T0 - 10);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_HARD, 10, 1000000, 3600, 600);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_SOFT, 8, 800000, 2880, 480);
	sa_common(&mb, "2001:db8::1", "2001:db8::2", 0, 0);
	pfkey_mb_key(&mb, SADB_EXT_KEY_AUTH, key, sizeof(key));
	EXPECT_TRUE(check(&mb, pfkey_sadump_opts, 1, "sa_ah_v6_tunnel.txt"));
}

TEST(sa_ipcomp_and_esp_udp)
{
	struct pfkey_msgbuf mb;
	struct sockaddr_storage oa = test_addr("10.9.9.9", 0);

	pfkey_mb_init(&mb, SADB_DUMP, SADB_X_SATYPE_IPCOMP, 1, 1);
	pfkey_mb_sa(&mb, 0x4001, 0, SADB_SASTATE_MATURE, 0, SADB_X_CALG_DEFLATE,
		    SADB_X_EXT_RAWCPI);
	sa_common(&mb, "10.0.0.1", "10.0.0.2", 0, 0);
	pfkey_mb_sa2(&mb, IPSEC_MODE_ANY, 0, 0);
	EXPECT_TRUE(check(&mb, pfkey_sadump_opts, 0, "sa_ipcomp.txt"));

	pfkey_mb_init(&mb, SADB_DUMP, SADB_SATYPE_ESP, 0, 1);
	pfkey_mb_sa(&mb, 0x300, 64, SADB_SASTATE_LARVAL, SADB_X_AALG_SHA2_256HMAC,
		    SADB_X_EALG_AES_GCM_ICV16, 0);
	sa_common(&mb, "198.51.100.1", "203.0.113.9", 4500, 4500);
	pfkey_mb_nat_t(&mb, 2, 4500, 4501);
	pfkey_mb_address(&mb, SADB_X_EXT_NAT_T_OA, (struct sockaddr *)&oa, 32, 0);
	pfkey_mb_key(&mb, SADB_EXT_KEY_ENCRYPT, key_sha1, 20);
	EXPECT_TRUE(check(&mb, pfkey_sadump_opts, 0, "sa_esp_udp.txt"));
}

TEST(sa_unknown_algorithms_and_dead)
{
	struct pfkey_msgbuf mb;
	struct pfkey_dump_opts o = { NULL, T0, 0, 0 };
	char *text = NULL;
	size_t len;

	pfkey_mb_init(&mb, SADB_DUMP, SADB_SATYPE_ESP, 0, 1);
	pfkey_mb_sa(&mb, 0x500, 0, SADB_SASTATE_MATURE, 200, 201, 0);
	sa_common(&mb, "10.0.0.1", "10.0.0.2", 0, 0);
	pfkey_mb_key(&mb, SADB_EXT_KEY_ENCRYPT, key_aes, 8);
	pfkey_mb_key(&mb, SADB_EXT_KEY_AUTH, key_aes, 4);
	EXPECT_TRUE(check(&mb, pfkey_sadump_opts, 0, "sa_unknown_alg.txt"));

	/* dead SAs print only with -a */
	pfkey_mb_init(&mb, SADB_DUMP, SADB_SATYPE_AH, 0, 1);
	pfkey_mb_sa(&mb, 0x500, 0, SADB_SASTATE_DEAD, 2, 0, 0);
	sa_common(&mb, "10.0.0.1", "10.0.0.2", 0, 0);
	o.out = open_memstream(&text, &len);
	ASSERT_EQ(0, pfkey_sadump_opts(pfkey_mb_finish(&mb, NULL), &o));
	fclose(o.out);
	EXPECT_STREQ("", text);
	free(text);
	o.show_dead = 1;
	o.out = open_memstream(&text, &len);
	ASSERT_EQ(0, pfkey_sadump_opts(pfkey_mb_finish(&mb, NULL), &o));
	fclose(o.out);
	EXPECT_NE(NULL, strstr(text, "state=dead"));
	free(text);
	pfkey_mb_free(&mb);
}

static void sp_common(struct pfkey_msgbuf *mb, const char *src, unsigned int sp,
		      unsigned int splen, const char *dst, unsigned int dp,
		      unsigned int dplen, unsigned int proto)
{
	struct sockaddr_storage s = test_addr(src, sp), d = test_addr(dst, dp);

	pfkey_mb_address(mb, SADB_EXT_ADDRESS_SRC, (struct sockaddr *)&s, splen, proto);
	pfkey_mb_address(mb, SADB_EXT_ADDRESS_DST, (struct sockaddr *)&d, dplen, proto);
}

static void sp_policy(struct pfkey_msgbuf *mb, const char *text, uint32_t id,
		      uint32_t prio_or_keep)
{
	caddr_t p = ipsec_set_policy(text, strlen(text));
	struct sadb_x_policy *xp = (void *)p;

	xp->sadb_x_policy_id = id;
	if (prio_or_keep != 1)
		xp->sadb_x_policy_priority = prio_or_keep;
	pfkey_mb_policy(mb, p, ipsec_get_policylen(p));
	free(p);
}

TEST(sp_out_tcp_reference_example)
{
	struct pfkey_msgbuf mb;

	pfkey_mb_init(&mb, SADB_X_SPDDUMP, 0, 0, 4243);
	mb.buf[6] = 1;	/* sadb_msg_reserved: refcnt */
	sp_common(&mb, "192.0.2.1", 0, 32, "192.0.2.2", 0, 32, IPPROTO_TCP);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_CURRENT, 0, 0, T0, 0);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_HARD, 0, 0, 0, 0);
	sp_policy(&mb, "out ipsec esp/transport//require", 1, 1);
	EXPECT_TRUE(check(&mb, pfkey_spdump_opts, 0, "sp_out_tcp.txt"));
}

TEST(sp_variants)
{
	struct pfkey_msgbuf mb;

	/* v6 prefixes, any protocol, tunnel with kernel reqid, lifetimes */
	pfkey_mb_init(&mb, SADB_X_SPDDUMP, 0, 2, 1);
	sp_common(&mb, "2001:db8:1::", 0, 48, "2001:db8:2::", 443, 64, 255);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_CURRENT, 0, 0, T0, T0 + 60);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_HARD, 0, 0, 3600, 120);
	sp_policy(&mb, "fwd prio high + 3 ipsec esp/tunnel/2001:db8::1-2001:db8::2/unique:9 "
		  "ah/transport//use", 0x102, 1);
	EXPECT_TRUE(check(&mb, pfkey_spdump_opts, 0, "sp_fwd_v6.txt"));

	/* icmp6 type,code; NetBSD policy without priority */
	pfkey_mb_init(&mb, SADB_X_SPDDUMP, 0, 1, 1);
	sp_common(&mb, "::", 135, 0, "::", 0, 0, IPPROTO_ICMPV6);
	sp_policy(&mb, "in none", 17, 0);
	EXPECT_TRUE(check(&mb, pfkey_spdump_opts, 0, "sp_icmp6.txt"));

	/* Linux per-socket policy (id % 8 == 4), withports on a tunnel */
	pfkey_mb_init(&mb, SADB_X_SPDDUMP, 0, 0, 1);
	sp_policy(&mb, "out prio low - 7 ipsec esp/tunnel/10.0.0.1[4500]-10.0.0.2[4500]/require",
		  8 + 4, 1);
	EXPECT_TRUE(check(&mb, pfkey_spdump_opts, 1, "sp_per_socket.txt"));

	/* udp with ports and prefixes on IPv4 */
	pfkey_mb_init(&mb, SADB_X_SPDGET, 0, 5, 1);
	sp_common(&mb, "10.0.0.0", 53, 8, "172.16.0.1", 0, 32, IPPROTO_UDP);
	sp_policy(&mb, "out discard", 33, 1);
	EXPECT_TRUE(check(&mb, pfkey_spdump_opts, 0, "sp_udp_discard.txt"));
}

TEST(kdebug_format)
{
	struct pfkey_msgbuf mb;

	pfkey_mb_init(&mb, SADB_ADD, SADB_SATYPE_ESP, 3, 77);
	pfkey_mb_sa(&mb, 0x1234, 4, 0, SADB_AALG_SHA1HMAC, SADB_X_EALG_AESCBC,
		    SADB_X_EXT_CYCSEQ);
	pfkey_mb_sa2(&mb, IPSEC_MODE_TUNNEL, 5, 0);
	sa_common(&mb, "10.0.0.1", "10.0.0.2", 0, 0);
	pfkey_mb_key(&mb, SADB_EXT_KEY_ENCRYPT, key_aes, 16);
	pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_HARD, 0, 0, 60, 0);
	sp_policy(&mb, "out ipsec esp/tunnel/10.0.0.1-10.0.0.2/require", 0, 1);
	EXPECT_TRUE(check(&mb, NULL, 0, "kdebug_add.txt"));
}

TEST(dump_refuses_malformed)
{
	struct pfkey_msgbuf mb;
	struct pfkey_dump_opts o = { NULL, T0, 0, 0 };
	char *text = NULL;
	size_t len;
	struct sadb_msg *m;

	pfkey_mb_init(&mb, SADB_DUMP, SADB_SATYPE_ESP, 0, 1);
	pfkey_mb_sa(&mb, 1, 0, 1, 0, 0, 0);
	m = pfkey_mb_finish(&mb, NULL);
	o.out = open_memstream(&text, &len);
	EXPECT_EQ(-1, pfkey_sadump_opts(m, &o));
	fclose(o.out);
	EXPECT_STREQ("no ADDRESS_SRC extension.\n", text);
	free(text);
	/* claim a longer message than the extensions cover */
	m->sadb_msg_len = 2;
	((struct sadb_ext *)(m + 1))->sadb_ext_len = 0;
	m->sadb_msg_len = 4;
	o.out = open_memstream(&text, &len);
	EXPECT_EQ(-1, pfkey_spdump_opts(m, &o));
	fclose(o.out);
	EXPECT_NE(NULL, strstr(text, "Invalid sadb message"));
	free(text);
	pfkey_mb_free(&mb);
}

TEST_HARNESS_MAIN
