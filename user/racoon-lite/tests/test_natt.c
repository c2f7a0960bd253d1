// SPDX-License-Identifier: BSD-3-Clause
/*
 * NAT traversal (RFC 3947): the NAT-D hash and what NAT-D payloads say,
 * the NAT-OA and mode parsers, and whole exchanges between two engines
 * with a NAT in front of A (tests/pair.c: B sees A as 10.0.0.99 with the
 * port + 10000): floating to 4500, ESP-in-UDP SAs with the right ports
 * and NAT-OA, keepalives, a new NAT mapping, and the cases without NAT.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ipsec.h>
#include <linux/pfkeyv2.h>

#include "kselftest_harness.h"
#include "pair.h"
#include "../build.h"
#include "../isakmp.h"
#include "../kernel.h"
#include "../natt.h"

static const char psk_a[] = "10.0.0.2 spamspamspam\n";
/* B knows A by its NAT's address, and by its own for the no-NAT cases */
static const char psk_b[] = "10.0.0.99 spamspamspam\n10.0.0.1 spamspamspam\n";

static void hex(const char *s, uint8_t *out)
{
	for (size_t i = 0; s[2 * i]; i++)
		sscanf(s + 2 * i, "%2hhx", &out[i]);
}

static struct sockaddr_storage v4(const char *a, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s = (struct sockaddr_in *)&ss;

	s->sin_family = AF_INET;
	s->sin_port = htons(port);
	inet_pton(AF_INET, a, &s->sin_addr);
	return ss;
}

static const uint8_t ic[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t rc[8] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18 };

/* Known answers: SHA-1 and SHA-256 of CKY-I | CKY-R | IP | port. */
TEST(nat_d_hash_known_answers)
{
	struct sockaddr_storage a = v4("10.0.0.1", 500), b = { 0 };
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&b;
	uint8_t h[MAX_HASH_LEN], want[MAX_HASH_LEN];

	ASSERT_EQ(20, natt_hash(OAKLEY_HASH_SHA1, ic, rc,
				(struct sockaddr *)&a, h));
	hex("a44b6462d5a1361bfbe845cb7ec1e337d558f0da", want);
	ASSERT_EQ(0, memcmp(h, want, 20));
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(4500);
	inet_pton(AF_INET6, "2001:db8::1", &s6->sin6_addr);
	ASSERT_EQ(32, natt_hash(OAKLEY_HASH_SHA256, ic, rc,
				(struct sockaddr *)&b, h));
	hex("f26bded36c9c6218f5e43c19352fb1c2561482db7b298a81f617ff223923e39e",
	    want);
	ASSERT_EQ(0, memcmp(h, want, 32));
	b.ss_family = AF_UNIX;
	ASSERT_EQ(0, natt_hash(OAKLEY_HASH_SHA1, ic, rc,
			       (struct sockaddr *)&b, h));
}

/*
 * The sender at @from (as it knows itself) to @to; the receiver sees the
 * datagram arrive at @at from @seen. Returns natt_check_nat_d()'s answer.
 */
static int nat_d_round(struct sockaddr_storage from, struct sockaddr_storage to,
		       struct sockaddr_storage at, struct sockaddr_storage seen,
		       bool fake, bool *me, bool *peer, const char **why)
{
	struct payload_list pl;
	struct msgb m;
	int r;

	msgb_init(&m, ic, rc, ETYPE_IDENT, 0, 0);
	if (!natt_add_nat_d(&m, NATT_RFC, OAKLEY_HASH_SHA1, ic, rc,
			    (struct sockaddr *)&from, (struct sockaddr *)&to,
			    fake) || !msgb_finish(&m))
		return -2;
	if (payload_walk(m.b.p + ISAKMP_HDR_LEN, m.b.len - ISAKMP_HDR_LEN,
			 m.b.p[16], &pl, why))
		r = -3;
	else
		r = natt_check_nat_d(&pl, NATT_RFC, OAKLEY_HASH_SHA1, ic, rc,
				     (struct sockaddr *)&at,
				     (struct sockaddr *)&seen, me, peer, why);
	buf_free(&m.b);
	return r;
}

TEST(nat_d_says_who_is_behind_a_nat)
{
	struct sockaddr_storage a = v4("192.168.1.2", 500);
	struct sockaddr_storage b = v4("198.51.100.7", 500);
	struct sockaddr_storage nat = v4("203.0.113.1", 1024);
	const char *why = NULL;
	bool me, peer;

	/* no NAT */
	ASSERT_EQ(0, nat_d_round(a, b, b, a, false, &me, &peer, &why));
	ASSERT_FALSE(me);
	ASSERT_FALSE(peer);
	/* A behind a NAT: B sees the NAT's address, A's hash is of its own */
	ASSERT_EQ(0, nat_d_round(a, b, b, nat, false, &me, &peer, &why));
	ASSERT_FALSE(me);
	ASSERT_TRUE(peer);
	/* B's answer to the NAT's address: A receives it on its own */
	ASSERT_EQ(0, nat_d_round(b, nat, a, b, false, &me, &peer, &why));
	ASSERT_TRUE(me);
	ASSERT_FALSE(peer);
	/* only the port changed: a NAT too */
	nat = v4("192.168.1.2", 1024);
	ASSERT_EQ(0, nat_d_round(a, b, b, nat, false, &me, &peer, &why));
	ASSERT_TRUE(peer);
	/* force: the sender's own hash is made not to match */
	ASSERT_EQ(0, nat_d_round(a, b, b, a, true, &me, &peer, &why));
	ASSERT_FALSE(me);
	ASSERT_TRUE(peer);
}

TEST(nat_d_malformed_or_missing)
{
	struct payload_list pl = { 0 };
	uint8_t h[20] = { 0 }, hdr[4 + 20];
	struct sockaddr_storage a = v4("10.0.0.1", 500);
	const char *why = NULL;
	bool me, peer;

	/* none */
	ASSERT_EQ(-1, natt_check_nat_d(&pl, NATT_RFC, OAKLEY_HASH_SHA1, ic, rc,
				       (struct sockaddr *)&a,
				       (struct sockaddr *)&a, &me, &peer,
				       &why));
	ASSERT_STREQ("fewer than two NAT-D payloads", why);
	/* two, one of 19 bytes (a SHA-1 phase 1 has 20) */
	memcpy(hdr + 4, h, 20);
	pl.n = 2;
	for (int i = 0; i < 2; i++) {
		pl.pl[i].type = PL_NAT_D;
		pl.pl[i].raw = hdr;
		pl.pl[i].body = hdr + 4;
		pl.pl[i].len = i ? 19 : 20;
	}
	ASSERT_EQ(-1, natt_check_nat_d(&pl, NATT_RFC, OAKLEY_HASH_SHA1, ic, rc,
				       (struct sockaddr *)&a,
				       (struct sockaddr *)&a, &me, &peer,
				       &why));
	ASSERT_STREQ("NAT-D payload of the wrong length", why);
	/* the drafts' payload number is another type: not seen as RFC's */
	pl.pl[1].len = 20;
	ASSERT_EQ(-1, natt_check_nat_d(&pl, NATT_DRAFT, OAKLEY_HASH_SHA1, ic,
				       rc, (struct sockaddr *)&a,
				       (struct sockaddr *)&a, &me, &peer,
				       &why));
}

TEST(nat_oa_parser)
{
	struct sockaddr_storage ss, a = v4("192.168.1.2", 0);
	uint8_t v4ok[8] = { ID_IPV4_ADDR, 0, 0, 0, 192, 168, 1, 2 };
	uint8_t v6ok[20] = { ID_IPV6_ADDR, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8 };
	uint8_t bad[20];
	const char *why = NULL;
	struct buf b;

	ASSERT_EQ(0, natt_oa_parse(v4ok, 8, &ss, &why));
	ASSERT_EQ(AF_INET, ss.ss_family);
	ASSERT_EQ(0, memcmp(&((struct sockaddr_in *)&ss)->sin_addr,
			    v4ok + 4, 4));
	ASSERT_EQ(0, natt_oa_parse(v6ok, 20, &ss, &why));
	ASSERT_EQ(AF_INET6, ss.ss_family);
	/* lengths that do not fit the type, reserved bytes, other types */
	ASSERT_EQ(-1, natt_oa_parse(v4ok, 7, &ss, &why));
	ASSERT_EQ(-1, natt_oa_parse(v4ok, 3, &ss, &why));
	ASSERT_STREQ("NAT-OA payload too short", why);
	ASSERT_EQ(-1, natt_oa_parse(v6ok, 8, &ss, &why));
	memcpy(bad, v4ok, 8);
	bad[2] = 1;
	ASSERT_EQ(-1, natt_oa_parse(bad, 8, &ss, &why));
	ASSERT_STREQ("NAT-OA reserved bytes not zero", why);
	bad[2] = 0;
	bad[0] = ID_FQDN;
	ASSERT_EQ(-1, natt_oa_parse(bad, 8, &ss, &why));
	ASSERT_EQ(0, ss.ss_family);
	/* what we build parses back */
	buf_init(&b);
	natt_oa_body(&b, (struct sockaddr *)&a);
	ASSERT_EQ(8, b.len);
	ASSERT_EQ(0, memcmp(b.p, v4ok, 8));
	buf_free(&b);
}

TEST(modes_and_vendor_ids)
{
	static const uint32_t vals[] = { 1, 2, 3, 4, 61443, 61444, 0, 5,
					 61442, 61445 };
	static const int modes[] = { ENCAP_TUNNEL, ENCAP_TRANSPORT,
				     ENCAP_TUNNEL, ENCAP_TRANSPORT,
				     ENCAP_TUNNEL, ENCAP_TRANSPORT };
	uint8_t rfc[16], d02[16], d02n[16], d03[16], junk[16] = { 0 };
	int mode;
	bool udp;

	for (int i = 0; i < 10; i++) {
		ASSERT_EQ(i < 6, natt_decode_mode(vals[i], &mode, &udp));
		if (i < 6) {
			ASSERT_EQ(modes[i], mode);
			ASSERT_EQ(i >= 2, udp);
		}
	}
	ASSERT_EQ(ENCAP_UDP_TRANSPORT, natt_udp_mode(ENCAP_TRANSPORT, NATT_RFC));
	ASSERT_EQ(ENCAP_UDP_TUNNEL_DRAFT, natt_udp_mode(ENCAP_TUNNEL,
							NATT_DRAFT));
	/* MD5("RFC 3947"), MD5("draft-ietf-ipsec-nat-t-ike-02"[\n]), -03 */
	hex("4a131c81070358455c5728f20e95452f", rfc);
	hex("cd60464335df21f87cfdb2fc68b6a448", d02);
	hex("90cb80913ebb696e086381b5ec427b1f", d02n);
	hex("7d9419a65310ca6f2c179d9215529d56", d03);
	ASSERT_EQ(NATT_RFC, natt_vid(rfc, 16));
	ASSERT_EQ(NATT_DRAFT, natt_vid(d02, 16));
	ASSERT_EQ(NATT_DRAFT, natt_vid(d02n, 16));
	ASSERT_EQ(NATT_DRAFT, natt_vid(d03, 16));
	ASSERT_EQ(NATT_NONE, natt_vid(rfc, 15));
	ASSERT_EQ(NATT_NONE, natt_vid(junk, 16));
	ASSERT_EQ(PL_NAT_D_DRAFT, natt_pl_nat_d(NATT_DRAFT));
	ASSERT_EQ(PL_NAT_OA, natt_pl_nat_oa(NATT_RFC));
}

/* ---- exchanges -------------------------------------------------------------- */

static char *conf(const char *natt, bool aggressive, const char *mode)
{
	char *s;

	if (asprintf(&s,
		     "path pre_shared_key \"/unused\";\n"
		     "timer { natt_keepalive 20 sec; }\n"
		     "remote anonymous {\n"
		     "\texchange_mode %s;\n"
		     "\tnat_traversal %s;\n"
		     "\tproposal { encryption_algorithm aes; "
		     "hash_algorithm sha1; authentication_method "
		     "pre_shared_key; dh_group 2; }\n"
		     "}\n"
		     "sainfo anonymous { encryption_algorithm aes; "
		     "authentication_algorithm hmac_sha1; }\n",
		     aggressive ? "aggressive" : "main", natt) < 0)
		abort();
	(void)mode;
	return s;
}

static int setup(struct pair *p, const char *na, const char *nb, bool aggr,
		 bool nat)
{
	char *ca = conf(na, aggr, NULL), *cb = conf(nb, aggr, NULL);
	int r = pair_init(p, ca, psk_a, cb, psk_b);

	free(ca);
	free(cb);
	p->nat_a = nat;
	return r;
}

static const struct child_sa *only(struct __test_metadata *_metadata,
				   const struct side *s, bool inbound)
{
	for (int i = 0; i < s->k.nsa; i++)
		if (s->k.inbound[i] == inbound && !s->k.deleted[i])
			return &s->k.sa[i];
	return NULL;
}

static bool addr_is(const struct sockaddr_storage *ss, const char *a)
{
	struct sockaddr_storage w = v4(a, 0);

	return ss->ss_family == AF_INET &&
	       ((struct sockaddr_in *)ss)->sin_addr.s_addr ==
		       ((struct sockaddr_in *)&w)->sin_addr.s_addr;
}

/* A behind the NAT: both float to 4500, the SAs are ESP in UDP. */
static void behind_nat(struct __test_metadata *_metadata, bool aggressive)
{
	const struct child_sa *ai, *ao, *bi, *bo;
	struct pair p;

	ASSERT_EQ(0, setup(&p, "on", "on", aggressive, true));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.a.k.nsa) TH_LOG("%s", pair_log(&p));
	ASSERT_EQ(2, p.b.k.nsa);
	ASSERT_NE(NULL, strstr(pair_log(&p), "NAT detected: we are behind "
			       "NAT, peer 10.0.0.2, floating to 4500"));
	ASSERT_NE(NULL, strstr(pair_log(&p), "NAT detected: peer 10.0.0.99 "
			       "behind NAT, ESP in UDP"));
	ASSERT_NE(NULL, strstr(pair_log(&p), "ESP/transport in UDP"));
	/* the last IKE messages went 4500 -> 4500 (B: to the NAT's 14500) */
	ASSERT_EQ(4500, p.a.last_sport);
	ASSERT_EQ(4500, p.a.last_dport);
	ASSERT_EQ(4500, p.b.last_sport);
	ASSERT_EQ(14500, p.b.last_dport);
	ai = only(_metadata, &p.a, true);
	ao = only(_metadata, &p.a, false);
	bi = only(_metadata, &p.b, true);
	bo = only(_metadata, &p.b, false);
	ASSERT_TRUE(ai && ao && bi && bo);
	ASSERT_EQ(NATT_TYPE_ESPINUDP, ai->natt_type);
	ASSERT_EQ(NATT_TYPE_ESPINUDP, bo->natt_type);
	ASSERT_EQ(4500, ai->natt_sport);
	ASSERT_EQ(4500, ai->natt_dport);
	ASSERT_EQ(4500, ao->natt_sport);
	ASSERT_EQ(4500, ao->natt_dport);
	/* B: A is the NAT's address and mapped port */
	ASSERT_EQ(14500, bi->natt_sport);
	ASSERT_EQ(4500, bi->natt_dport);
	ASSERT_EQ(4500, bo->natt_sport);
	ASSERT_EQ(14500, bo->natt_dport);
	ASSERT_TRUE(addr_is(&bi->src, "10.0.0.99"));
	ASSERT_TRUE(addr_is(&bo->dst, "10.0.0.99"));
	/* NAT-OA: B learns A's original address, A B's */
	ASSERT_TRUE(addr_is(&bi->natt_oa, "10.0.0.1"));
	ASSERT_TRUE(addr_is(&bo->natt_oa, "10.0.0.1"));
	ASSERT_TRUE(addr_is(&ai->natt_oa, "10.0.0.2"));
	/* keys pairwise equal */
	ASSERT_EQ(0, memcmp(ai->enckey, bo->enckey, ai->enckeylen));
	ASSERT_EQ(0, memcmp(ao->authkey, bi->authkey, ao->authkeylen));
	ASSERT_EQ(0, p.b.ike->stats.dropped);
	ASSERT_EQ(0, p.a.ike->stats.dropped);
	/* SIGUSR1's dump says it too */
	ike_dump(p.b.ike);
	ASSERT_NE(NULL, strstr(pair_log(&p), "ISAKMP-SA from 10.0.0.99 "
			       "(established), 28800 s left, NAT-T RFC 3947, "
			       "peer behind NAT, ports 4500 -> 14500"));
	ASSERT_NE(NULL, strstr(pair_log(&p), "(established), spi in "));
	ASSERT_NE(NULL, strstr(pair_log(&p), ", ESP in UDP"));
	pair_free(&p);
}

TEST(main_mode_initiator_behind_nat)
{
	behind_nat(_metadata, false);
}

TEST(aggressive_mode_initiator_behind_nat)
{
	behind_nat(_metadata, true);
}

TEST(no_nat_no_encapsulation)
{
	struct pair p;

	ASSERT_EQ(0, setup(&p, "on", "on", false, false));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.a.k.nsa);
	ASSERT_EQ(2, p.b.k.nsa);
	ASSERT_NE(NULL, strstr(pair_log(&p), "no NAT between us and 10.0.0.2 "
			       "(NAT-D of RFC 3947)"));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, p.a.k.sa[i].natt_type);
		ASSERT_EQ(0, p.b.k.sa[i].natt_type);
	}
	ASSERT_EQ(500, p.a.last_sport);
	ASSERT_EQ(500, p.b.last_dport);
	pair_free(&p);
}

TEST(force_encapsulates_without_nat)
{
	struct pair p;

	ASSERT_EQ(0, setup(&p, "force", "on", false, false));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.a.k.nsa) TH_LOG("%s", pair_log(&p));
	ASSERT_NE(NULL, strstr(pair_log(&p), "no NAT between us and 10.0.0.2, "
			       "but nat_traversal force: floating to 4500"));
	ASSERT_EQ(NATT_TYPE_ESPINUDP, p.a.k.sa[0].natt_type);
	ASSERT_EQ(NATT_TYPE_ESPINUDP, p.b.k.sa[0].natt_type);
	ASSERT_EQ(4500, p.b.k.sa[0].natt_sport);
	ASSERT_EQ(4500, p.b.last_dport);
	pair_free(&p);
}

/* A peer without NAT-T: no vendor ID back, plain ESP (and no NAT-D). */
TEST(peer_without_nat_traversal)
{
	struct pair p;

	ASSERT_EQ(0, setup(&p, "on", "off", false, false));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.a.k.nsa);
	ASSERT_EQ(0, p.a.k.sa[0].natt_type);
	ASSERT_EQ(NATT_NONE, p.a.ike->ph1s->natt.ver);
	ASSERT_EQ(NULL, strstr(pair_log(&p), "NAT-D"));
	pair_free(&p);
}

TEST(keepalives_from_behind_the_nat)
{
	struct pair p;

	ASSERT_EQ(0, setup(&p, "on", "on", false, true));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.a.k.nsa);
	ASSERT_EQ(20, ike_next_timeout(p.a.ike, 60));
	fake_now += 19;
	ike_tick(p.a.ike);
	ike_tick(p.b.ike);
	pair_run(&p);
	ASSERT_EQ(0, p.b.keepalives_rx);
	fake_now += 1;
	ike_tick(p.a.ike);
	ike_tick(p.b.ike);
	pair_run(&p);
	/* A (behind the NAT) sent one, through it; B (not behind) none */
	ASSERT_EQ(1, p.b.keepalives_rx);
	ASSERT_EQ(0, p.a.keepalives_rx);
	ASSERT_EQ(4500, p.a.last_sport);
	fake_now += 20;
	ike_tick(p.a.ike);
	pair_run(&p);
	ASSERT_EQ(2, p.b.keepalives_rx);
	ASSERT_EQ(0, p.b.ike->stats.dropped);
	pair_free(&p);
}

/* The NAT gives A another port: NEW_MAPPING on B, the SAs and IKE follow. */
TEST(new_mapping_is_followed)
{
	struct sockaddr_storage was = v4("10.0.0.99", 14500);
	struct sockaddr_storage now = v4("10.0.0.99", 24500);
	struct sockaddr_storage far = v4("10.0.0.98", 24500);
	const struct child_sa *bi, *bo;
	uint8_t spi[16], seq[4] = { 0, 0, 0, 7 };
	struct pair p;
	uint32_t spi_in;
	int n;

	ASSERT_EQ(0, setup(&p, "on", "on", false, true));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.b.k.nsa);
	spi_in = only(_metadata, &p.b, true)->spi;
	/* not ours: ignored */
	ike_new_mapping(p.b.ike, SADB_SATYPE_ESP, spi_in + 1,
			(struct sockaddr *)&was, (struct sockaddr *)&now);
	ASSERT_EQ(2, p.b.k.nsa);
	/* another address: not followed, said so */
	ike_new_mapping(p.b.ike, SADB_SATYPE_ESP, spi_in,
			(struct sockaddr *)&was, (struct sockaddr *)&far);
	ASSERT_EQ(2, p.b.k.nsa);
	ASSERT_NE(NULL, strstr(pair_log(&p), "moved to another address, "
			       "10.0.0.98[24500]: not followed"));
	p.nat_shift = 20000;
	ike_new_mapping(p.b.ike, SADB_SATYPE_ESP, spi_in,
			(struct sockaddr *)&was, (struct sockaddr *)&now);
	ASSERT_NE(NULL, strstr(pair_log(&p), "NAT mapping of peer 10.0.0.99 "
			       "changed: port 14500 -> 24500; 1 IPsec SA pair "
			       "and IKE follow"));
	/* both SAs updated (UPDATE), same SPIs and keys, new port */
	n = p.b.k.nsa;
	ASSERT_EQ(4, n);
	bi = &p.b.k.sa[2];
	bo = &p.b.k.sa[3];
	ASSERT_EQ(p.b.k.sa[0].spi, bi->spi);
	ASSERT_EQ(24500, bi->natt_sport);
	ASSERT_EQ(4500, bi->natt_dport);
	ASSERT_EQ(p.b.k.sa[1].spi, bo->spi);
	ASSERT_EQ(24500, bo->natt_dport);
	ASSERT_EQ(0, memcmp(bo->enckey, p.b.k.sa[1].enckey, bo->enckeylen));
	ASSERT_TRUE(p.b.k.inbound[3]);	/* an UPDATE, not an ADD */
	/* the kernel repeats itself until then: nothing more happens */
	ike_new_mapping(p.b.ike, SADB_SATYPE_ESP, spi_in,
			(struct sockaddr *)&was, (struct sockaddr *)&now);
	ASSERT_EQ(n, p.b.k.nsa);
	/* IKE goes to the new port too: B's R-U-THERE reaches A */
	memcpy(spi, p.b.ike->ph1s->icookie, 8);
	memcpy(spi + 8, p.b.ike->ph1s->rcookie, 8);
	info_send_notify(p.b.ike->ph1s, PROTO_ISAKMP, spi, 16, N_R_U_THERE,
			 seq, 4);
	ASSERT_EQ(24500, p.b.last_dport);
	pair_run(&p);
	ASSERT_NE(NULL, strstr(pair_log(&p), "R-U-THERE-ACK from 10.0.0.99"));
	pair_free(&p);
}

/*
 * INITIAL-CONTACT through a NAT (RFC 3947 6): another host behind the
 * same NAT (another ID, another NAT port) leaves the first one's SAs
 * alone; the first host, restarted, removes its own.
 */
TEST(initial_contact_behind_nat_by_id)
{
	struct remote_conf *r;
	struct pair p;

	ASSERT_EQ(0, setup(&p, "on", "on", false, true));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.b.k.nsa);
	/* "C": a fresh engine with another ID behind the NAT */
	r = p.a.conf->remotes;
	r->myid_kind = MYID_FQDN;
	snprintf(r->myid, sizeof(r->myid), "c.example");
	p.nat_shift = 20000;
	ASSERT_EQ(0, side_restart(&p.a));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 2));
	pair_run(&p);
	ASSERT_EQ(4, p.b.k.nsa) TH_LOG("%s", pair_log(&p));
	ASSERT_NE(NULL, strstr(pair_log(&p), "INITIAL-CONTACT from 10.0.0.99 "
			       "(behind NAT: those of its ID): removed 0 older "
			       "SAs"));
	ASSERT_EQ(0, p.b.k.ndel);
	/* the first host again (its address as ID), after a restart */
	r->myid_kind = MYID_ADDRESS;
	r->myid[0] = 0;
	p.nat_shift = 30000;
	ASSERT_EQ(0, side_restart(&p.a));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 3));
	pair_run(&p);
	ASSERT_EQ(6, p.b.k.nsa);
	/* its ISAKMP SA and its two SAs; C's stay */
	ASSERT_NE(NULL, strstr(pair_log(&p), "(behind NAT: those of its ID): "
			       "removed 2 older SAs"));
	ASSERT_EQ(2, p.b.k.ndel);
	ASSERT_TRUE(p.b.k.deleted[0] && p.b.k.deleted[1]);
	ASSERT_FALSE(p.b.k.deleted[2] || p.b.k.deleted[3]);
	pair_free(&p);
}

/* DPD through a NAT: a dead host takes only its own SAs with it. */
TEST(dead_peer_behind_nat_takes_only_its_sas)
{
	struct remote_conf *r;
	struct pair p;

	ASSERT_EQ(0, setup(&p, "on", "on", false, true));
	p.b.conf->remotes->dpd_delay = 10;
	p.b.conf->remotes->dpd_retry = 2;
	p.b.conf->remotes->dpd_maxfail = 2;
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	/* the first host goes away; "C" behind the same NAT comes */
	r = p.a.conf->remotes;
	r->myid_kind = MYID_FQDN;
	snprintf(r->myid, sizeof(r->myid), "c.example");
	p.nat_shift = 20000;
	ASSERT_EQ(0, side_restart(&p.a));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 2));
	pair_run(&p);
	ASSERT_EQ(4, p.b.k.nsa);
	for (int i = 0; i < 12; i++) {
		fake_now += 2;
		ike_tick(p.b.ike);
		ike_tick(p.a.ike);
		pair_run(&p);
	}
	ASSERT_NE(NULL, strstr(pair_log(&p), "peer 10.0.0.99 is dead: 2 "
			       "R-U-THERE queries unanswered"));
	ASSERT_EQ(2, p.b.k.ndel);
	ASSERT_TRUE(p.b.k.deleted[0] && p.b.k.deleted[1]);
	ASSERT_FALSE(p.b.k.deleted[2] || p.b.k.deleted[3]);
	/* C answers: its ISAKMP SA lives on */
	ASSERT_NE(NULL, p.b.ike->ph1s);
	ASSERT_EQ(PH1_ESTABLISHED, p.b.ike->ph1s->state);
	ASSERT_EQ(NULL, p.b.ike->ph1s->next);
	pair_free(&p);
}

/*
 * Both behind NATs: A behind a masquerade, B behind a router that
 * forwards 500 and 4500 from its public 10.0.0.98. Each side finds both
 * NATs, both send keepalives.
 */
TEST(both_behind_nats)
{
	static const char psk_a2[] = "10.0.0.98 spamspamspam\n";
	char *ca = conf("on", false, NULL), *cb = conf("on", false, NULL);
	const struct child_sa *ai, *bi;
	struct acquire acq;
	struct pair p;

	ASSERT_EQ(0, pair_init(&p, ca, psk_a2, cb, psk_b));
	free(ca);
	free(cb);
	p.nat_a = p.nat_b = true;
	/* A's policy names B's public address */
	memset(&acq, 0, sizeof(acq));
	memcpy(&acq.local, &p.a.addr, sizeof(p.a.addr));
	acq.remote = v4("10.0.0.98", 500);
	acq.src.addr = v4("10.0.0.1", 0);
	acq.dst.addr = v4("10.0.0.98", 0);
	acq.src.prefix = acq.dst.prefix = 32;
	acq.src.proto = acq.dst.proto = 255;
	acq.satype = SADB_SATYPE_ESP;
	acq.mode = IPSEC_MODE_TRANSPORT;
	acq.seq = acq.policy_id = 1;
	ASSERT_EQ(0, ike_acquire(p.a.ike, &acq));
	pair_run(&p);
	ASSERT_EQ(2, p.a.k.nsa) TH_LOG("%s", pair_log(&p));
	ASSERT_EQ(2, p.b.k.nsa);
	ASSERT_NE(NULL, strstr(pair_log(&p), "NAT detected: peer 10.0.0.98 and "
			       "we are behind NAT, floating to 4500"));
	ASSERT_NE(NULL, strstr(pair_log(&p), "NAT detected: peer 10.0.0.99 and "
			       "we are behind NAT, ESP in UDP"));
	ai = only(_metadata, &p.a, true);
	bi = only(_metadata, &p.b, true);
	ASSERT_EQ(NATT_TYPE_ESPINUDP, ai->natt_type);
	ASSERT_EQ(4500, ai->natt_sport);
	ASSERT_EQ(14500, bi->natt_sport);
	ASSERT_TRUE(addr_is(&ai->src, "10.0.0.98"));
	ASSERT_TRUE(addr_is(&bi->src, "10.0.0.99"));
	/* both keep their NAT's mapping open */
	fake_now += 20;
	ike_tick(p.a.ike);
	ike_tick(p.b.ike);
	pair_run(&p);
	ASSERT_EQ(1, p.a.keepalives_rx);
	ASSERT_EQ(1, p.b.keepalives_rx);
	pair_free(&p);
}

/* Hides the RFC 3947 vendor ID of A's offers: B sees a draft-only peer. */
static void no_rfc_vid(struct pair *p, struct side *from, uint8_t *pkt,
		       size_t len)
{
	uint8_t rfc[16];

	hex("4a131c81070358455c5728f20e95452f", rfc);
	if (from != &p->a)
		return;
	for (size_t i = 0; i + 16 <= len; i++)
		if (!memcmp(pkt + i, rfc, 16))
			pkt[i] ^= 0xff;
}

/* A peer of the drafts: payloads 130/131, mode 61444, same result. */
TEST(draft_peer_behind_nat)
{
	const struct child_sa *bi;
	struct pair p;

	ASSERT_EQ(0, setup(&p, "on", "on", false, true));
	p.mangle = no_rfc_vid;
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.b.k.nsa) TH_LOG("%s", pair_log(&p));
	ASSERT_EQ(NATT_DRAFT, p.b.ike->ph1s->natt.ver);
	ASSERT_EQ(NATT_DRAFT, p.a.ike->ph1s->natt.ver);	/* B answered so */
	ASSERT_NE(NULL, strstr(pair_log(&p), "NAT detected: peer 10.0.0.99 "
			       "behind NAT, ESP in UDP"));
	bi = only(_metadata, &p.b, true);
	ASSERT_EQ(NATT_TYPE_ESPINUDP, bi->natt_type);
	ASSERT_EQ(14500, bi->natt_sport);
	/* the drafts' single NAT-OA: the sender's own address */
	ASSERT_TRUE(addr_is(&bi->natt_oa, "10.0.0.1"));
	ASSERT_TRUE(addr_is(&only(_metadata, &p.a, true)->natt_oa, "10.0.0.2"));
	pair_free(&p);
}

/* ESP-in-UDP of a peer that did not agree to NAT-T in phase 1. */
TEST(udp_mode_without_nat_t_is_refused)
{
	struct pair p;

	ASSERT_EQ(0, setup(&p, "on", "on", false, false));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.b.k.nsa);
	/* B forgets NAT-T; A now believes there is a NAT */
	p.b.ike->ph1s->natt.ver = NATT_NONE;
	p.a.ike->ph1s->natt.peer_behind = true;
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 2));
	pair_run(&p);
	ASSERT_NE(NULL, strstr(pair_log(&p), "UDP-encapsulated mode without "
			       "NAT traversal in phase 1"));
	ASSERT_EQ(2, p.b.k.nsa);
	pair_free(&p);
}

TEST(new_mapping_message_parsed)
{
	struct {
		struct sadb_msg m;
		struct sadb_sa sa;
		struct sadb_address s;
		struct sockaddr_in sin;
		struct sadb_x_nat_t_port sp;
		struct sadb_address d;
		struct sockaddr_in din;
		struct sadb_x_nat_t_port dp;
	} msg = {
		.m = { .sadb_msg_version = PF_KEY_V2,
		       .sadb_msg_type = SADB_X_NAT_T_NEW_MAPPING,
		       .sadb_msg_satype = SADB_SATYPE_ESP,
		       .sadb_msg_len = sizeof(msg) / 8 },
		.sa = { .sadb_sa_len = sizeof(struct sadb_sa) / 8,
			.sadb_sa_exttype = SADB_EXT_SA,
			.sadb_sa_spi = htonl(0x1234) },
		.s = { .sadb_address_len = (sizeof(struct sadb_address) +
					    sizeof(struct sockaddr_in)) / 8,
		       .sadb_address_exttype = SADB_EXT_ADDRESS_SRC },
		.sin = { .sin_family = AF_INET,
			 .sin_addr.s_addr = htonl(0x0a010001) },
		.sp = { .sadb_x_nat_t_port_len = 1,
			.sadb_x_nat_t_port_exttype = SADB_X_EXT_NAT_T_SPORT,
			.sadb_x_nat_t_port_port = htons(4500) },
		.d = { .sadb_address_len = (sizeof(struct sadb_address) +
					    sizeof(struct sockaddr_in)) / 8,
		       .sadb_address_exttype = SADB_EXT_ADDRESS_DST },
		.din = { .sin_family = AF_INET,
			 .sin_addr.s_addr = htonl(0x0a010001) },
		.dp = { .sadb_x_nat_t_port_len = 1,
			.sadb_x_nat_t_port_exttype = SADB_X_EXT_NAT_T_DPORT,
			.sadb_x_nat_t_port_port = htons(4600) },
	};
	struct sockaddr_storage was, now;
	uint32_t spi;

	ASSERT_EQ(0, sizeof(msg) % 8);
	ASSERT_EQ(0, kernel_parse_new_mapping(&msg.m, sizeof(msg), &spi,
					      &was, &now));
	ASSERT_EQ(0x1234, spi);
	ASSERT_EQ(4500, sa_port((struct sockaddr *)&was));
	ASSERT_EQ(4600, sa_port((struct sockaddr *)&now));
	ASSERT_TRUE(addr_is(&now, "10.1.0.1"));
	/* without the new port it is useless */
	msg.dp.sadb_x_nat_t_port_exttype = 30;
	ASSERT_EQ(-1, kernel_parse_new_mapping(&msg.m, sizeof(msg), &spi,
					       &was, &now));
}

TEST_HARNESS_MAIN
