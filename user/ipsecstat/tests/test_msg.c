// SPDX-License-Identifier: BSD-3-Clause
/*
 * ipsecstat's parser of kameipsec's netlink messages and its printers:
 * messages built here as the kernel builds them are read back and printed
 * (exact text); broken ones are refused; a mutation smoke throws damaged
 * copies at every parser under ASan; every drop reason the kernel names
 * (kmod/engine/stats.c) has a sentence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/ipsec.h>
#include <linux/pfkeyv2.h>
#include <linux/kame_ipsecstat.h>

#include "../msg.h"
#include "../text.h"
#include "kselftest_harness.h"

/* ---- a message builder, the kernel's way (nla_put, nla_nest_*) ---- */

struct mb {
	uint8_t buf[16384];
	size_t len;
	size_t nest[4];
	int depth;
};

static void mb_start(struct mb *m, uint8_t cmd)
{
	struct nlmsghdr nh = { 0 };
	struct genlmsghdr gh = { .cmd = cmd, .version = KAME_GENL_VERSION };

	memset(m, 0, sizeof(*m));
	memcpy(m->buf, &nh, sizeof(nh));
	memcpy(m->buf + NLMSG_HDRLEN, &gh, sizeof(gh));
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static void mb_put(struct mb *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	memcpy(m->buf + m->len, &a, sizeof(a));
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

#define PUT(m, type, v) do { __typeof__(v) _v = (v); mb_put(m, type, &_v, sizeof(_v)); } while (0)

static void mb_str(struct mb *m, uint16_t type, const char *s)
{
	mb_put(m, type, s, strlen(s) + 1);
}

static void mb_addr(struct mb *m, uint16_t type, const char *s)
{
	uint8_t b[16];

	if (strchr(s, ':')) {
		inet_pton(AF_INET6, s, b);
		mb_put(m, type, b, 16);
	} else {
		inet_pton(AF_INET, s, b);
		mb_put(m, type, b, 4);
	}
}

static void mb_nest(struct mb *m, uint16_t type)
{
	m->nest[m->depth++] = m->len;
	mb_put(m, type | NLA_F_NESTED, NULL, 0);
}

static void mb_end(struct mb *m)
{
	size_t at = m->nest[--m->depth];
	uint16_t len = m->len - at;

	memcpy(m->buf + at, &len, 2);
}

static size_t mb_finish(struct mb *m)
{
	uint32_t len = m->len;

	memcpy(m->buf, &len, 4);
	return m->len;
}

static void counter(struct mb *m, uint8_t kind, const char *name, uint64_t v)
{
	mb_nest(m, KAME_A_COUNTER);
	PUT(m, KAME_A_KIND, kind);
	mb_str(m, KAME_A_NAME, name);
	PUT(m, KAME_A_VALUE, v);
	mb_end(m);
}

static const char *const kame_names[] = {
	"in_success", "in_polvio", "in_nosa", "in_inval", "in_nomem",
	"in_badspi", "in_ahreplay", "in_espreplay", "in_ahauthsucc",
	"in_ahauthfail", "in_espauthsucc", "in_espauthfail", "out_success",
	"out_polvio", "out_nosa", "out_inval", "out_nomem", "out_noroute",
};

/* A GET_STATS reply: in_success 7, in_espauthfail 1, one ESP input slot,
 * one drop reason with its last SPI. */
static size_t stats_msg(struct mb *m)
{
	unsigned int i;

	mb_start(m, KAME_CMD_GET_STATS);
	PUT(m, KAME_A_FAMILY, (uint8_t)AF_INET);
	PUT(m, KAME_A_SUPPRESSED, (uint64_t)3);
	PUT(m, KAME_A_UNHEARD, (uint64_t)2);
	for (i = 0; i < 18; i++)
		counter(m, KAME_KIND_STAT, kame_names[i],
			!strcmp(kame_names[i], "in_success") ? 7 :
			!strcmp(kame_names[i], "in_espauthfail") ? 1 : 0);
	counter(m, KAME_KIND_COMP, "ipcomp_input", 0);
	mb_nest(m, KAME_A_COUNTER);
	PUT(m, KAME_A_KIND, (uint8_t)KAME_KIND_HIST);
	mb_str(m, KAME_A_NAME, "in_esphist");
	PUT(m, KAME_A_VALUE, (uint64_t)8);
	mb_str(m, KAME_A_ALG_NAME, "rijndael-cbc");
	mb_end(m);
	mb_nest(m, KAME_A_COUNTER);
	PUT(m, KAME_A_KIND, (uint8_t)KAME_KIND_DROP);
	mb_str(m, KAME_A_NAME, "in_esp_icv");
	PUT(m, KAME_A_VALUE, (uint64_t)1);
	PUT(m, KAME_A_REASON, (uint32_t)8);
	PUT(m, KAME_A_SPI, (uint32_t)0x2710);
	PUT(m, KAME_A_POLICY_ID, (uint32_t)9);
	PUT(m, KAME_A_AGE_MS, (uint32_t)1500);
	mb_end(m);
	return mb_finish(m);
}

/* The drop of the example: ESP 20.1.1.1 -> 10.1.1.1, bad ICV. */
static size_t drop_msg(struct mb *m)
{
	mb_start(m, KAME_CMD_DROP);
	PUT(m, KAME_A_DIR, (uint8_t)IPSEC_DIR_INBOUND);
	PUT(m, KAME_A_REASON, (uint32_t)8);
	mb_str(m, KAME_A_NAME, "in_esp_icv");
	PUT(m, KAME_A_SUPPRESSED, (uint64_t)0);
	PUT(m, KAME_A_FAMILY, (uint8_t)AF_INET);
	mb_addr(m, KAME_A_SRC, "20.1.1.1");
	mb_addr(m, KAME_A_DST, "10.1.1.1");
	PUT(m, KAME_A_PROTO, (uint8_t)IPPROTO_ESP);
	PUT(m, KAME_A_AUTH_ALG, (uint8_t)SADB_X_AALG_SHA2_256HMAC);
	PUT(m, KAME_A_ENC_ALG, (uint8_t)SADB_EALG_NULL);
	PUT(m, KAME_A_MODE, (uint8_t)IPSEC_MODE_TRANSPORT);
	PUT(m, KAME_A_SPI, (uint32_t)0x2710);
	PUT(m, KAME_A_SA_PROTO, (uint8_t)IPPROTO_ESP);
	PUT(m, KAME_A_POLICY_ID, (uint32_t)9);
	PUT(m, KAME_A_IFINDEX, (uint32_t)2);
	mb_str(m, KAME_A_IFNAME, "eth0");
	return mb_finish(m);
}

static size_t sa_msg(struct mb *m)
{
	mb_start(m, KAME_CMD_GET_SA);
	PUT(m, KAME_A_FAMILY, (uint8_t)AF_INET6);
	mb_addr(m, KAME_A_SRC, "fd00::1");
	mb_addr(m, KAME_A_DST, "fd00::2");
	PUT(m, KAME_A_SA_PROTO, (uint8_t)IPPROTO_ESP);
	PUT(m, KAME_A_SPI, (uint32_t)0x1000);
	PUT(m, KAME_A_MODE, (uint8_t)IPSEC_MODE_TUNNEL);
	PUT(m, KAME_A_STATE, (uint8_t)SADB_SASTATE_MATURE);
	PUT(m, KAME_A_BYTES, (uint64_t)123456);
	PUT(m, KAME_A_PACKETS, (uint64_t)100);
	PUT(m, KAME_A_REPLAY_FAIL, (uint64_t)2);
	PUT(m, KAME_A_ICV_FAIL, (uint64_t)1);
	PUT(m, KAME_A_LAST_USE, (uint64_t)5);
	return mb_finish(m);
}

static size_t policy_msg(struct mb *m)
{
	mb_start(m, KAME_CMD_GET_POLICY);
	PUT(m, KAME_A_POLICY_ID, (uint32_t)18);
	PUT(m, KAME_A_DIR, (uint8_t)IPSEC_DIR_OUTBOUND);
	PUT(m, KAME_A_FAMILY, (uint8_t)AF_INET);
	mb_addr(m, KAME_A_SRC, "10.0.0.0");
	mb_addr(m, KAME_A_DST, "10.1.0.0");
	PUT(m, KAME_A_SPREFIX, (uint8_t)24);
	PUT(m, KAME_A_DPREFIX, (uint8_t)16);
	PUT(m, KAME_A_POLICY_TYPE, (uint8_t)IPSEC_POLICY_IPSEC);
	PUT(m, KAME_A_HITS, (uint64_t)42);
	PUT(m, KAME_A_LAST_USE, (uint64_t)UINT64_MAX);
	mb_nest(m, KAME_A_REQ);
	PUT(m, KAME_A_SA_PROTO, (uint8_t)IPPROTO_ESP);
	PUT(m, KAME_A_MODE, (uint8_t)IPSEC_MODE_TUNNEL);
	PUT(m, KAME_A_LEVEL, (uint8_t)IPSEC_LEVEL_REQUIRE);
	PUT(m, KAME_A_REQID, (uint32_t)0);
	mb_addr(m, KAME_A_TUN_SRC, "fd77::1");
	mb_addr(m, KAME_A_TUN_DST, "fd77::2");
	mb_end(m);
	return mb_finish(m);
}

/* Text a printer writes. */
#define CAPTURE(buf, call) do {						\
	size_t _n; FILE *_f = open_memstream(&(buf), &_n);		\
	FILE *out_ = _f; (void)out_; call; fclose(_f);			\
} while (0)

static int split(const struct mb *m, size_t len, uint8_t *cmd,
		 const void **a, size_t *al)
{
	return ist_msg_split(m->buf, len, cmd, a, al);
}

TEST(stats_kame_output)
{
	static struct ist_stats st;
	struct mb m;
	size_t len = stats_msg(&m), al;
	const void *a;
	uint8_t cmd;
	char *text = NULL;

	ASSERT_EQ(0, split(&m, len, &cmd, &a, &al));
	ASSERT_EQ(KAME_CMD_GET_STATS, cmd);
	ASSERT_EQ(0, ist_parse_stats(a, al, &st));
	EXPECT_EQ(21, st.n);
	EXPECT_EQ(3, st.suppressed);
	EXPECT_EQ(2, st.unheard);
	EXPECT_EQ(1, st.c[20].has_last);
	EXPECT_EQ(0x2710, st.c[20].spi);
	CAPTURE(text, ist_print_kame(out_, &st));
	EXPECT_STREQ(
"ipsec:\n"
"\t7 inbound packets processed successfully\n"
"\t0 inbound packets violated process security policy\n"
"\t0 inbound packets with no SA available\n"
"\t0 invalid inbound packets\n"
"\t0 inbound packets failed due to insufficient memory\n"
"\t0 inbound packets failed getting SPI\n"
"\t0 inbound packets failed on AH replay check\n"
"\t0 inbound packets failed on ESP replay check\n"
"\t0 inbound packets considered authentic\n"
"\t0 inbound packets failed on authentication\n"
"\t0 inbound ESP packets considered authentic\n"
"\t1 inbound ESP packet failed on authentication\n"
"\tESP input histogram:\n"
"\t\trijndael-cbc: 8\n"
"\t0 outbound packets processed successfully\n"
"\t0 outbound packets violated process security policy\n"
"\t0 outbound packets with no SA available\n"
"\t0 invalid outbound packets\n"
"\t0 outbound packets failed due to insufficient memory\n"
"\t0 outbound packets with no route\n"
"\tIPComp:\n"
"\t\tipcomp_input: 0\n"
"\tdropped packets by reason:\n"
"\t\tin_esp_icv: 1 (ICV mismatch), last spi 0x2710 policy 9, 1500 ms ago\n"
"\t3 drop events not reported (rate limit)\n"
"\t2 drop events sent to a watcher that was not listening\n", text);
	free(text);
}

TEST(stats_delta)
{
	static struct ist_stats a, b, d;
	struct mb m;
	size_t len = stats_msg(&m), al;
	const void *at;
	uint8_t cmd;

	ASSERT_EQ(0, split(&m, len, &cmd, &at, &al));
	ASSERT_EQ(0, ist_parse_stats(at, al, &a));
	b = a;
	b.c[0].value += 5;	/* in_success 7 -> 12 */
	b.suppressed += 1;
	ASSERT_EQ(0, ist_stats_delta(&b, &a, &d));
	EXPECT_EQ(5, d.c[0].value);
	EXPECT_EQ(0, d.c[1].value);
	EXPECT_EQ(1, d.suppressed);
	/* a counter that went down: reset, the caller starts over */
	EXPECT_EQ(-1, ist_stats_delta(&a, &b, &d));
}

TEST(drop_sentence_and_json)
{
	struct ist_drop d;
	struct mb m;
	size_t len = drop_msg(&m), al;
	const void *a;
	uint8_t cmd;
	char *text = NULL;

	ASSERT_EQ(0, split(&m, len, &cmd, &a, &al));
	ASSERT_EQ(KAME_CMD_DROP, cmd);
	ASSERT_EQ(0, ist_parse_drop(a, al, &d));
	CAPTURE(text, ist_print_drop(out_, &d));
	EXPECT_STREQ("in  esp 20.1.1.1 → 10.1.1.1 spi 0x2710 on eth0: ICV mismatch"
		     " — the peer's authentication key differs from ours (compare the"
		     " SA's keys on both sides), or the packet was altered on the way"
		     " (SA 0x2710, null/hmac-sha256, transport) [policy 9] {in_esp_icv}\n",
		     text);
	free(text);
	CAPTURE(text, ist_print_drop_json(out_, &d));
	EXPECT_STREQ("{\"dir\":\"in\",\"reason\":\"in_esp_icv\",\"reason_id\":8,"
		     "\"family\":\"inet\",\"src\":\"20.1.1.1\",\"dst\":\"10.1.1.1\","
		     "\"proto\":50,\"spi\":10000,\"sa_proto\":50,"
		     "\"algs\":\"null/hmac-sha256\",\"mode\":\"transport\","
		     "\"policy_id\":9,\"ifindex\":2,\"ifname\":\"eth0\","
		     "\"suppressed\":0}\n", text);
	free(text);
}

TEST(drop_suppressed_and_ports)
{
	struct ist_drop d;
	struct mb m;
	size_t al;
	const void *a;
	uint8_t cmd;
	char *text = NULL;

	mb_start(&m, KAME_CMD_DROP);
	PUT(&m, KAME_A_DIR, (uint8_t)IPSEC_DIR_OUTBOUND);
	PUT(&m, KAME_A_REASON, (uint32_t)21);
	mb_str(&m, KAME_A_NAME, "out_nosa");
	PUT(&m, KAME_A_SUPPRESSED, (uint64_t)12);
	PUT(&m, KAME_A_FAMILY, (uint8_t)AF_INET6);
	mb_addr(&m, KAME_A_SRC, "fd01::1");
	mb_addr(&m, KAME_A_DST, "fd02::1");
	PUT(&m, KAME_A_PROTO, (uint8_t)IPPROTO_UDP);
	PUT(&m, KAME_A_SPORT, (uint16_t)4000);
	PUT(&m, KAME_A_DPORT, (uint16_t)53);
	PUT(&m, KAME_A_POLICY_ID, (uint32_t)26);
	PUT(&m, KAME_A_POLICY_TYPE, (uint8_t)IPSEC_POLICY_IPSEC);
	mb_nest(&m, KAME_A_REQ);
	PUT(&m, KAME_A_SA_PROTO, (uint8_t)IPPROTO_AH);
	PUT(&m, KAME_A_MODE, (uint8_t)IPSEC_MODE_TRANSPORT);
	PUT(&m, KAME_A_LEVEL, (uint8_t)IPSEC_LEVEL_USE);
	PUT(&m, KAME_A_REQID, (uint32_t)0);
	mb_end(&m);
	mb_nest(&m, KAME_A_REQ);
	PUT(&m, KAME_A_SA_PROTO, (uint8_t)IPPROTO_ESP);
	PUT(&m, KAME_A_MODE, (uint8_t)IPSEC_MODE_TUNNEL);
	PUT(&m, KAME_A_LEVEL, (uint8_t)IPSEC_LEVEL_REQUIRE);
	PUT(&m, KAME_A_REQID, (uint32_t)0);
	mb_addr(&m, KAME_A_TUN_SRC, "10.77.0.1");
	mb_addr(&m, KAME_A_TUN_DST, "10.77.0.2");
	mb_end(&m);
	ASSERT_EQ(0, split(&m, mb_finish(&m), &cmd, &a, &al));
	ASSERT_EQ(0, ist_parse_drop(a, al, &d));
	CAPTURE(text, ist_print_drop(out_, &d));
	EXPECT_STREQ("... 12 more drops not shown (rate limit)\n"
		     "out udp [fd01::1]:4000 → [fd02::1]:53: no SA to protect it with"
		     " — the policy requires IPsec and no SA exists yet: the key"
		     " exchange has not finished or failed; check the IKE daemon's"
		     " log and setkey -D [policy 26: ipsec ah/transport//use"
		     " esp/tunnel/10.77.0.1-10.77.0.2/require] {out_nosa}\n", text);
	free(text);
	CAPTURE(text, ist_print_drop_json(out_, &d));
	EXPECT_NE(NULL, strstr(text, ",\"policy_id\":26,\"policy\":\"ipsec ah/transport//use esp/tunnel/10.77.0.1-10.77.0.2/require\","));
	free(text);

	/* requests without the policy id they belong to: refused */
	mb_start(&m, KAME_CMD_DROP);
	PUT(&m, KAME_A_DIR, (uint8_t)IPSEC_DIR_OUTBOUND);
	PUT(&m, KAME_A_REASON, (uint32_t)21);
	mb_str(&m, KAME_A_NAME, "out_nosa");
	PUT(&m, KAME_A_FAMILY, (uint8_t)AF_INET6);
	PUT(&m, KAME_A_POLICY_TYPE, (uint8_t)IPSEC_POLICY_IPSEC);
	ASSERT_EQ(0, split(&m, mb_finish(&m), &cmd, &a, &al));
	EXPECT_EQ(-1, ist_parse_drop(a, al, &d));

	/*
	 * a tunnel entry without its exit, or endpoints of two families:
	 * refused; the same message with a proper pair (i == 2) is read
	 */
	for (int i = 0; i < 3; i++) {
		mb_start(&m, KAME_CMD_DROP);
		PUT(&m, KAME_A_DIR, (uint8_t)IPSEC_DIR_OUTBOUND);
		PUT(&m, KAME_A_REASON, (uint32_t)21);
		mb_str(&m, KAME_A_NAME, "out_nosa");
		PUT(&m, KAME_A_FAMILY, (uint8_t)AF_INET);
		PUT(&m, KAME_A_SUPPRESSED, (uint64_t)0);
		PUT(&m, KAME_A_POLICY_ID, (uint32_t)26);
		mb_nest(&m, KAME_A_REQ);
		PUT(&m, KAME_A_SA_PROTO, (uint8_t)IPPROTO_ESP);
		mb_addr(&m, KAME_A_TUN_SRC, "10.77.0.1");
		if (i)
			mb_addr(&m, KAME_A_TUN_DST, i == 1 ? "fd77::2" : "10.77.0.2");
		mb_end(&m);
		ASSERT_EQ(0, split(&m, mb_finish(&m), &cmd, &a, &al));
		EXPECT_EQ(i == 2 ? 0 : -1, ist_parse_drop(a, al, &d));
	}
}

TEST(sa_and_policy)
{
	struct ist_sa s;
	struct ist_policy p;
	struct mb m;
	size_t al;
	const void *a;
	uint8_t cmd;
	char *text = NULL;

	ASSERT_EQ(0, split(&m, sa_msg(&m), &cmd, &a, &al));
	ASSERT_EQ(0, ist_parse_sa(a, al, &s));
	EXPECT_EQ(0x1000, s.spi);
	EXPECT_EQ(123456, s.bytes);
	CAPTURE(text, ist_print_sa(out_, &s));
	EXPECT_STREQ("esp    0x1000     fd00::1         fd00::2         tunnel    mature       123456        100        2        1       5s\n",
		     text);
	free(text);
	ASSERT_EQ(0, split(&m, policy_msg(&m), &cmd, &a, &al));
	ASSERT_EQ(0, ist_parse_policy(a, al, &p));
	EXPECT_EQ(1, p.nreq);
	CAPTURE(text, ist_print_policy_json(out_, &p));
	EXPECT_STREQ("{\"id\":18,\"dir\":\"out\",\"src\":\"10.0.0.0/24\",\"dst\":\"10.1.0.0/16\","
		     "\"proto\":0,\"sport\":0,\"dport\":0,\"action\":\"ipsec\",\"hits\":42,"
		     "\"policy\":\"ipsec esp/tunnel/fd77::1-fd77::2/require\","
		     "\"requests\":[{\"sa_proto\":\"esp\",\"mode\":\"tunnel\",\"level\":2,\"reqid\":0,"
		     "\"tun_src\":\"fd77::1\",\"tun_dst\":\"fd77::2\"}]}\n",
		     text);
	free(text);
}

TEST(sa_sort)
{
	struct ist_sa v[3] = { { .spi = 2, .bytes = 5 }, { .spi = 1, .bytes = 9 },
			       { .spi = 3, .bytes = 1 } };

	ASSERT_NE(NULL, ist_sa_sort_key("bytes"));
	EXPECT_EQ(NULL, ist_sa_sort_key("nope"));
	qsort(v, 3, sizeof(v[0]), ist_sa_sort_key("bytes"));
	EXPECT_EQ(1, v[0].spi);
	EXPECT_EQ(3, v[2].spi);
	qsort(v, 3, sizeof(v[0]), ist_sa_sort_key("spi"));
	EXPECT_EQ(1, v[0].spi);
}

TEST(sa_filter)
{
	struct ist_sa a = { .family = AF_INET, .sa_proto = IPPROTO_ESP,
			    .spi = 0x1001,
			    .src = { 4, { 10, 0, 0, 1 } },
			    .dst = { 4, { 10, 0, 0, 2 } } };
	struct ist_sa_filter f = { 0 };

	EXPECT_EQ(1, ist_sa_match(&f, &a));		/* empty: all */
	ASSERT_EQ(0, ist_sa_filter_addr(&f, "10.0.0.2"));
	EXPECT_EQ(1, ist_sa_match(&f, &a));		/* either end */
	ASSERT_EQ(0, ist_sa_filter_addr(&f, "10.0.0.1"));
	EXPECT_EQ(0, ist_sa_match(&f, &a));		/* src, then dst */
	EXPECT_EQ(-1, ist_sa_filter_addr(&f, "10.0.0.3"));	/* a third */
	memset(&f, 0, sizeof(f));
	ASSERT_EQ(0, ist_sa_filter_addr(&f, "10.0.0.1"));
	ASSERT_EQ(0, ist_sa_filter_addr(&f, "10.0.0.2"));
	EXPECT_EQ(1, ist_sa_match(&f, &a));
	ASSERT_EQ(0, ist_sa_filter_spi(&f, "0x1001"));
	EXPECT_EQ(1, ist_sa_match(&f, &a));
	ASSERT_EQ(0, ist_sa_filter_spi(&f, "4098"));
	EXPECT_EQ(0, ist_sa_match(&f, &a));
	ASSERT_EQ(0, ist_sa_filter_spi(&f, "4097"));
	ASSERT_EQ(0, ist_sa_filter_proto(&f, "ah"));
	EXPECT_EQ(0, ist_sa_match(&f, &a));
	ASSERT_EQ(0, ist_sa_filter_proto(&f, "esp"));
	EXPECT_EQ(1, ist_sa_match(&f, &a));
	memset(&f, 0, sizeof(f));
	ASSERT_EQ(0, ist_sa_filter_addr(&f, "::ffff:10.0.0.1"));
	EXPECT_EQ(0, ist_sa_match(&f, &a));	/* not the IPv4 address */
	EXPECT_EQ(-1, ist_sa_filter_addr(&f, "10.0.0"));
	EXPECT_EQ(-1, ist_sa_filter_spi(&f, "0x100000000"));
	EXPECT_EQ(-1, ist_sa_filter_spi(&f, "-1"));
	EXPECT_EQ(-1, ist_sa_filter_spi(&f, "12z"));
	EXPECT_EQ(-1, ist_sa_filter_proto(&f, "esp-udp"));
}

/* Re-encode an attribute of @m in place (type found at its first use). */
static uint8_t *find_attr(struct mb *m, uint16_t type)
{
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;

	while (off + NLA_HDRLEN <= m->len) {
		struct nlattr h;

		memcpy(&h, m->buf + off, sizeof(h));
		if ((h.nla_type & NLA_TYPE_MASK) == type)
			return m->buf + off;
		off += NLA_ALIGN(h.nla_len);
	}
	return NULL;
}

TEST(malformed_refused)
{
	static struct ist_stats st;
	struct ist_drop d;
	struct mb m;
	size_t len, al;
	const void *a;
	uint8_t cmd, *p;
	uint16_t v;

	/* a u32 attribute three bytes long */
	len = drop_msg(&m);
	p = find_attr(&m, KAME_A_REASON);
	v = NLA_HDRLEN + 3;
	memcpy(p, &v, 2);
	ASSERT_EQ(0, split(&m, len, &cmd, &a, &al));
	EXPECT_EQ(-1, ist_parse_drop(a, al, &d));

	/* a string without its NUL */
	len = drop_msg(&m);
	p = find_attr(&m, KAME_A_IFNAME);
	p[NLA_HDRLEN + 4] = 'x';
	ASSERT_EQ(0, split(&m, len, &cmd, &a, &al));
	EXPECT_EQ(-1, ist_parse_drop(a, al, &d));

	/* an IPv4 event with an IPv6 address */
	mb_start(&m, KAME_CMD_DROP);
	PUT(&m, KAME_A_DIR, (uint8_t)1);
	PUT(&m, KAME_A_REASON, (uint32_t)4);
	mb_str(&m, KAME_A_NAME, "in_nosa");
	PUT(&m, KAME_A_FAMILY, (uint8_t)AF_INET);
	mb_addr(&m, KAME_A_SRC, "fd00::1");
	mb_addr(&m, KAME_A_DST, "fd00::2");
	ASSERT_EQ(0, split(&m, mb_finish(&m), &cmd, &a, &al));
	EXPECT_EQ(-1, ist_parse_drop(a, al, &d));

	/* an attribute longer than the message */
	len = drop_msg(&m);
	p = find_attr(&m, KAME_A_IFNAME);
	v = 200;
	memcpy(p, &v, 2);
	ASSERT_EQ(0, split(&m, len, &cmd, &a, &al));
	EXPECT_EQ(-1, ist_parse_drop(a, al, &d));

	/* nlmsg_len beyond what was received, or below the headers */
	len = drop_msg(&m);
	EXPECT_EQ(-1, split(&m, len - 4, &cmd, &a, &al));
	EXPECT_EQ(-1, split(&m, NLMSG_HDRLEN, &cmd, &a, &al));

	/* a drop without its reason */
	mb_start(&m, KAME_CMD_DROP);
	PUT(&m, KAME_A_DIR, (uint8_t)1);
	PUT(&m, KAME_A_FAMILY, (uint8_t)AF_INET);
	ASSERT_EQ(0, split(&m, mb_finish(&m), &cmd, &a, &al));
	EXPECT_EQ(-1, ist_parse_drop(a, al, &d));

	/* one port without the other */
	len = drop_msg(&m);
	m.len = len;
	PUT(&m, KAME_A_SPORT, (uint16_t)1);
	ASSERT_EQ(0, split(&m, mb_finish(&m), &cmd, &a, &al));
	EXPECT_EQ(-1, ist_parse_drop(a, al, &d));

	/* more counters than any kernel sends */
	mb_start(&m, KAME_CMD_GET_STATS);
	PUT(&m, KAME_A_FAMILY, (uint8_t)AF_INET);
	for (v = 0; v < IST_MAX_COUNTERS + 1; v++) {
		counter(&m, KAME_KIND_STAT, "x", 1);
		if (m.len > sizeof(m.buf) - 64)
			break;
	}
	ASSERT_EQ(0, split(&m, mb_finish(&m), &cmd, &a, &al));
	/* the buffer fills first: what fits parses, nothing overflows */
	EXPECT_EQ(0, ist_parse_stats(a, al, &st));
	EXPECT_LE(st.n, IST_MAX_COUNTERS);

	/* an unknown attribute is skipped (a newer kernel) */
	len = drop_msg(&m);
	m.len = len;
	PUT(&m, 999, (uint32_t)7);
	ASSERT_EQ(0, split(&m, mb_finish(&m), &cmd, &a, &al));
	EXPECT_EQ(0, ist_parse_drop(a, al, &d));
}

/* xorshift: the same damage on every run */
static uint32_t rnd_state = 2463534242u;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/*
 * Fuzz smoke: 200,000 damaged copies of the four messages (bytes flipped
 * or set to edge values, lengths cut) through every parser, and whatever
 * parses through the printers. ASan/UBSan end the run on any fault.
 */
TEST(mutation_smoke)
{
	static struct ist_stats st;
	static struct mb base[4], m;
	size_t lens[4];
	struct ist_drop d;
	struct ist_sa s;
	struct ist_policy p;
	FILE *null = fopen("/dev/null", "w");
	unsigned long i, parsed = 0;

	ASSERT_NE(NULL, null);
	lens[0] = stats_msg(&base[0]);
	lens[1] = drop_msg(&base[1]);
	lens[2] = sa_msg(&base[2]);
	lens[3] = policy_msg(&base[3]);
	for (i = 0; i < 200000; i++) {
		unsigned int k = rnd() % 4, n = 1 + rnd() % 4, j;
		size_t len = lens[k], al;
		const void *a;
		uint8_t cmd;
		static const uint8_t edge[] = { 0, 1, 3, 4, 0x7f, 0x80, 0xff };

		memcpy(m.buf, base[k].buf, len);
		for (j = 0; j < n; j++) {
			size_t at = rnd() % len;

			m.buf[at] = rnd() & 1 ? (uint8_t)rnd() : edge[rnd() % sizeof(edge)];
		}
		if (rnd() % 8 == 0)
			len = NLMSG_HDRLEN + GENL_HDRLEN + rnd() % (len - NLMSG_HDRLEN - GENL_HDRLEN);
		/* the parser is handed only what was "received" */
		if (ist_msg_split(m.buf, len, &cmd, &a, &al))
			continue;
		if (!ist_parse_stats(a, al, &st)) {
			ist_print_kame(null, &st);
			ist_print_stats_json(null, &st);
			parsed++;
		}
		if (!ist_parse_drop(a, al, &d)) {
			ist_print_drop(null, &d);
			ist_print_drop_json(null, &d);
			parsed++;
		}
		if (!ist_parse_sa(a, al, &s)) {
			ist_print_sa(null, &s);
			ist_print_sa_json(null, &s);
			parsed++;
		}
		if (!ist_parse_policy(a, al, &p)) {
			ist_print_policy(null, &p);
			ist_print_policy_json(null, &p);
			parsed++;
		}
	}
	fclose(null);
	TH_LOG("%lu of 200000 damaged messages still parsed", parsed);
	EXPECT_GT(parsed, 1000);
}

/* IST_CORPUS=DIR: write the four messages as the fuzzer's seeds. */
TEST(seed_corpus)
{
	static struct mb m;
	const char *dir = getenv("IST_CORPUS");
	size_t (*build[])(struct mb *) = { stats_msg, drop_msg, sa_msg,
					   policy_msg };
	unsigned int i;

	if (!dir)
		SKIP(return, "IST_CORPUS not set");
	for (i = 0; i < 4; i++) {
		char path[512];
		size_t len = build[i](&m);
		FILE *f;

		snprintf(path, sizeof(path), "%s/seed-%u.bin", dir, i);
		f = fopen(path, "wb");
		ASSERT_NE(NULL, f);
		ASSERT_EQ(len, fwrite(m.buf, 1, len, f));
		fclose(f);
	}
}

/* Every reason kmod/engine/stats.c names has a sentence here. */
TEST(every_kernel_reason_explained)
{
	FILE *f = fopen("../../../kmod/engine/stats.c", "r");
	char line[256], name[64];
	int n = 0, missing = 0;

	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " [KAME_DROP_%*[A-Z0-9_]] = { \"%63[a-z0-9_]\"", name) != 1)
			continue;
		n++;
		if (!ist_reason_text(name)) {
			TH_LOG("no sentence for drop reason %s (text.c)", name);
			missing++;
		}
	}
	fclose(f);
	EXPECT_GE(n, 30);
	EXPECT_EQ(0, missing);
}

TEST_HARNESS_MAIN
