// SPDX-License-Identifier: BSD-3-Clause
/*
 * Full Main Mode + Quick Mode between two in-process engines: both ends
 * must install matching inbound/outbound SAs, and failures must leave
 * nothing installed and say why in the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pfkeyv2.h>
#include <linux/ipsec.h>

#include "kselftest_harness.h"
#include "pair.h"
#include "../isakmp.h"

static const char psk_a[] = "# A's keys\n10.0.0.2 spamspamspam\n";
static const char psk_b[] = "10.0.0.1\tspamspamspam\n";

struct params {
	const char *p1enc, *p1hash, *group, *p2enc, *p2auth, *pfs;
	const char *check;
	const char *life1, *life2;
	const char *remote_extra;	/* more statements in remote { } */
};

static char *make_conf(const struct params *pp)
{
	char *s;

	if (asprintf(&s,
		     "path pre_shared_key \"/unused\";\n"
		     "timer { counter 3; interval 5 sec; phase1 30 sec; "
		     "phase2 30 sec; }\n"
		     "remote anonymous {\n"
		     "\texchange_mode main;\n"
		     "\tlifetime time %s;\n"
		     "\tproposal_check %s;\n"
		     "%s"
		     "\tproposal {\n"
		     "\t\tencryption_algorithm %s;\n"
		     "\t\thash_algorithm %s;\n"
		     "\t\tauthentication_method pre_shared_key;\n"
		     "\t\tdh_group %s;\n"
		     "\t}\n"
		     "}\n"
		     "sainfo anonymous {\n"
		     "%s%s%s"
		     "\tlifetime time %s;\n"
		     "\tencryption_algorithm %s;\n"
		     "\tauthentication_algorithm %s;\n"
		     "\tcompression_algorithm deflate;\n"
		     "}\n",
		     pp->life1 ? pp->life1 : "1 hour",
		     pp->check ? pp->check : "obey",
		     pp->remote_extra ? pp->remote_extra : "", pp->p1enc,
		     pp->p1hash,
		     pp->group, pp->pfs ? "\tpfs_group " : "",
		     pp->pfs ? pp->pfs : "", pp->pfs ? ";\n" : "",
		     pp->life2 ? pp->life2 : "30 min", pp->p2enc,
		     pp->p2auth) < 0)
		abort();
	return s;
}

static int setup(struct pair *p, const struct params *pa,
		 const struct params *pb, const char *pska, const char *pskb)
{
	char *ca = make_conf(pa), *cb = make_conf(pb);
	int r = pair_init(p, ca, pska, cb, pskb);

	free(ca);
	free(cb);
	return r;
}

/* Both directions installed on both sides, keys pairwise equal. */
static void check_matching(struct __test_metadata *_metadata, struct pair *p,
			   uint8_t ealg, size_t ekl, uint8_t aalg, size_t akl)
{
	const struct child_sa *a_in, *a_out, *b_in, *b_out;

	ASSERT_EQ(1, fake_count(&p->a, true));
	ASSERT_EQ(1, fake_count(&p->a, false));
	ASSERT_EQ(1, fake_count(&p->b, true));
	ASSERT_EQ(1, fake_count(&p->b, false));
	a_in = fake_find(&p->a, true, p->a.k.next_spi - 1);
	b_in = fake_find(&p->b, true, p->b.k.next_spi - 1);
	ASSERT_NE(NULL, a_in);
	ASSERT_NE(NULL, b_in);
	a_out = fake_find(&p->a, false, b_in->spi);
	b_out = fake_find(&p->b, false, a_in->spi);
	ASSERT_NE(NULL, a_out);
	ASSERT_NE(NULL, b_out);
	ASSERT_EQ(ealg, a_in->ealg);
	ASSERT_EQ(aalg, a_in->aalg);
	ASSERT_EQ(ekl, a_in->enckeylen);
	ASSERT_EQ(akl, a_in->authkeylen);
	ASSERT_EQ(ekl, b_out->enckeylen);
	ASSERT_EQ(0, memcmp(a_in->enckey, b_out->enckey, ekl));
	ASSERT_EQ(0, memcmp(a_in->authkey, b_out->authkey, akl));
	ASSERT_EQ(0, memcmp(a_out->enckey, b_in->enckey, ekl));
	ASSERT_EQ(0, memcmp(a_out->authkey, b_in->authkey, akl));
	/* the two directions must not share keys */
	ASSERT_NE(0, memcmp(a_in->authkey, a_out->authkey, akl));
	ASSERT_EQ(IPSEC_MODE_TRANSPORT, a_in->mode);
	/* addresses: inbound is peer -> us */
	ASSERT_EQ(0, memcmp(&((struct sockaddr_in *)&a_in->src)->sin_addr,
			    &p->b.addr.sin_addr, 4));
	ASSERT_EQ(0, memcmp(&((struct sockaddr_in *)&a_out->dst)->sin_addr,
			    &p->b.addr.sin_addr, 4));
}

TEST(main_quick_3des_sha1_modp1024)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 7));
	ASSERT_LT(5, pair_run(&p));
	check_matching(_metadata, &p, SADB_EALG_3DESCBC, 24,
		       SADB_AALG_SHA1HMAC, 20);
	/* GETSPI and the installed SAs carry the ACQUIRE's sequence */
	ASSERT_EQ(7, p.a.k.last_getspi_seq);
	ASSERT_EQ(7, p.a.k.sa[0].seq);
	ASSERT_EQ(1800, p.a.k.sa[0].life_sec);
	ASSERT_EQ(1, p.a.ike->stats.ph1_established);
	ASSERT_EQ(1, p.b.ike->stats.ph2_established);
	ASSERT_NE(NULL, strstr(pair_log(&p), "ISAKMP-SA established"));
	ASSERT_NE(NULL, strstr(pair_log(&p), "IPsec-SA established: "
					     "ESP/transport"));
	ike_dump(p.b.ike);
	ASSERT_NE(NULL, strstr(pair_log(&p), "IPsec-SA from 10.0.0.1 "
					     "(established), spi in 0x00002000 "
					     "out 0x00001000"));
	/* no key material below the highest debug level */
	ASSERT_EQ(NULL, strstr(pair_log(&p), "SKEYID"));
	pair_free(&p);
}

TEST(aes256_sha256_modp2048_pfs)
{
	struct params pp = { "aes 256", "sha256", "modp2048", "aes 256",
			     "hmac_sha256", "14" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	check_matching(_metadata, &p, SADB_X_EALG_AESCBC, 32,
		       SADB_X_AALG_SHA2_256HMAC, 32);
	pair_free(&p);
}

TEST(hmac_sha384_and_sha512)
{
	struct params p384 = { "aes 256", "sha256", "14", "aes 256",
			       "hmac_sha384", NULL };
	struct params p512 = { "aes 256", "sha256", "14", "aes 256",
			       "hmac_sha512", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &p384, &p384, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	check_matching(_metadata, &p, SADB_X_EALG_AESCBC, 32,
		       SADB_X_AALG_SHA2_384HMAC, 48);
	pair_free(&p);
	ASSERT_EQ(0, setup(&p, &p512, &p512, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_AH, 3));
	pair_run(&p);
	check_matching(_metadata, &p, SADB_EALG_NONE, 0,
		       SADB_X_AALG_SHA2_512HMAC, 64);
	pair_free(&p);
}

TEST(aes128_md5_modp1536_pfs5)
{
	struct params pp = { "aes", "md5", "5", "aes", "hmac_md5", "5" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	check_matching(_metadata, &p, SADB_X_EALG_AESCBC, 16,
		       SADB_AALG_MD5HMAC, 16);
	pair_free(&p);
}

TEST(ecp256_phase1_ecp384_pfs)
{
	struct params pp = { "aes 128", "sha256", "ecp256", "aes 128",
			     "hmac_sha1", "ecp384" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	check_matching(_metadata, &p, SADB_X_EALG_AESCBC, 16,
		       SADB_AALG_SHA1HMAC, 20);
	ASSERT_EQ(19, p.a.ike->ph1s->group);
	pair_free(&p);
}

TEST(ah_sha1)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_AH, 3));
	pair_run(&p);
	check_matching(_metadata, &p, SADB_EALG_NONE, 0, SADB_AALG_SHA1HMAC,
		       20);
	ASSERT_EQ(SADB_SATYPE_AH, p.b.k.sa[0].satype);
	pair_free(&p);
}

TEST(responder_picks_from_several_offers)
{
	/* A offers aes-256/sha256 first then 3des/sha1; B only has 3des */
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	char *ca, *cb = make_conf(&pb);
	struct pair p;

	ca = strdup("remote anonymous { proposal { encryption_algorithm aes "
		    "256; hash_algorithm sha256; authentication_method "
		    "pre_shared_key; dh_group 14; }\n proposal { "
		    "encryption_algorithm 3des; hash_algorithm sha1; "
		    "authentication_method pre_shared_key; dh_group 2; } }\n"
		    "sainfo anonymous { encryption_algorithm aes 256, 3des; "
		    "authentication_algorithm hmac_sha256, hmac_sha1; }\n");
	ASSERT_EQ(0, pair_init(&p, ca, psk_a, cb, psk_b));
	free(ca);
	free(cb);
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	check_matching(_metadata, &p, SADB_EALG_3DESCBC, 24,
		       SADB_AALG_SHA1HMAC, 20);
	pair_free(&p);
}

TEST(wrong_psk_fails_cleanly)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, "10.0.0.1 eggs\n"));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(0, p.a.k.nsa);
	ASSERT_EQ(0, p.b.k.nsa);
	ASSERT_EQ(0, p.b.ike->stats.ph1_established);
	ASSERT_EQ(1, p.b.ike->stats.ph1_failed);
	ASSERT_EQ(1, p.a.ike->stats.ph1_failed);
	ASSERT_NE(NULL, strstr(pair_log(&p), "wrong pre-shared key?"));
	pair_free(&p);
}

/* verify_identifier: B accepts A's address ID only if it is listed. */
TEST(verify_identifier_main_mode)
{
	struct params pa = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct params ok = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     .remote_extra = "\tverify_identifier on;\n"
			     "\tpeers_identifier fqdn \"x.example\";\n"
			     "\tpeers_identifier address 10.0.0.1;\n" };
	struct params bad = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			      .remote_extra = "\tverify_identifier on;\n"
			      "\tpeers_identifier address 10.0.0.9;\n" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &ok, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	check_matching(_metadata, &p, SADB_EALG_3DESCBC, 24,
		       SADB_AALG_SHA1HMAC, 20);
	pair_free(&p);

	ASSERT_EQ(0, setup(&p, &pa, &bad, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(0, p.a.k.nsa + p.b.k.nsa);
	ASSERT_EQ(0, p.b.ike->stats.ph1_established);
	ASSERT_NE(NULL, strstr(pair_log(&p), "phase 1 with 10.0.0.1 failed: "
			       "the peer's ID (address 10.0.0.1) is not its "
			       "peers_identifier (verify_identifier on)"));
	pair_free(&p);
}

/* The same in Aggressive Mode, checked by the initiator this time. */
TEST(verify_identifier_aggressive_initiator)
{
	struct params pa = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     .remote_extra = "\texchange_mode aggressive;\n"
			     "\tverify_identifier on;\n"
			     "\tpeers_identifier user_fqdn \"b@example\";\n" };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     .remote_extra = "\texchange_mode aggressive;\n"
			     "\tmy_identifier user_fqdn \"c@example\";\n" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(0, p.a.k.nsa + p.b.k.nsa);
	ASSERT_EQ(0, p.a.ike->stats.ph1_established);
	ASSERT_NE(NULL, strstr(pair_log(&p), "phase 1 with 10.0.0.2 failed: "
			       "the peer's ID (user_fqdn \"c@example\") is "
			       "not its peers_identifier"));
	pair_free(&p);
}

/* Aggressive Mode: A offers it first, B accepts both modes. */
TEST(aggressive_mode_psk_with_pfs)
{
	struct params pa = { "aes 256", "sha256", "14", "aes", "hmac_sha1", "2",
			     .remote_extra = "\texchange_mode aggressive;\n" };
	struct params pb = { "aes 256", "sha256", "14", "aes", "hmac_sha1", "2",
			     .remote_extra = "\texchange_mode main, aggressive;\n" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	check_matching(_metadata, &p, SADB_X_EALG_AESCBC, 16,
		       SADB_AALG_SHA1HMAC, 20);
	ASSERT_EQ(ETYPE_AGGRESSIVE, p.a.ike->ph1s->etype);
	ASSERT_EQ(PH1_ESTABLISHED, p.b.ike->ph1s->state);
	ASSERT_NE(NULL, strstr(pair_log(&p), "responding to Aggressive Mode "
					     "from 10.0.0.1"));
	/* INITIAL-CONTACT rode in message 3 */
	ASSERT_NE(NULL, strstr(pair_log(&p), "INITIAL-CONTACT from 10.0.0.1"));
	pair_free(&p);
}

TEST(aggressive_mode_lost_message_3)
{
	struct params pa = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     .remote_extra = "\texchange_mode aggressive;\n" };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     .remote_extra = "\texchange_mode aggressive;\n" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	p.a.drop_next = 1;	/* message 3 */
	pair_run(&p);
	ASSERT_EQ(PH1_R_AGG2, p.b.ike->ph1s->state);
	fake_now += 5;
	ike_tick(p.b.ike);	/* message 2 again: A re-sends message 3 */
	pair_run(&p);
	ASSERT_EQ(PH1_ESTABLISHED, p.b.ike->ph1s->state);
	fake_now += 5;
	ike_tick(p.a.ike);	/* Quick Mode's first message again */
	pair_run(&p);
	check_matching(_metadata, &p, SADB_EALG_3DESCBC, 24,
		       SADB_AALG_SHA1HMAC, 20);
	pair_free(&p);
}

TEST(aggressive_mode_wrong_psk)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     .remote_extra = "\texchange_mode aggressive;\n" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, "10.0.0.1 eggs\n"));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(0, p.a.k.nsa + p.b.k.nsa);
	ASSERT_EQ(1, p.a.ike->stats.ph1_failed);
	ASSERT_EQ(0, p.a.ike->stats.ph1_established);
	ASSERT_EQ(0, p.b.ike->stats.ph1_established);
	ASSERT_NE(NULL, strstr(pair_log(&p), "phase 1 with 10.0.0.2 failed: "
					     "authentication failed"));
	pair_free(&p);
}

TEST(aggressive_mode_refused_by_main_only_peer)
{
	struct params pa = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     .remote_extra = "\texchange_mode aggressive;\n" };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(0, p.a.k.nsa + p.b.k.nsa);
	ASSERT_EQ(1, p.b.ike->stats.ph1_failed);
	ASSERT_EQ(1, p.a.ike->stats.ph1_failed);
	ASSERT_NE(NULL, strstr(pair_log(&p), "exchange_mode does not allow"));
	pair_free(&p);
}

TEST(mismatched_phase1_proposal)
{
	struct params pa = { "aes", "sha1", "14", "3des", "hmac_sha1", NULL };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(0, p.a.k.nsa + p.b.k.nsa);
	/* the responder names what the initiator wanted */
	ASSERT_NE(NULL, strstr(pair_log(&p), "phase 1 with 10.0.0.1: no "
			       "acceptable proposal (no proposal chosen; the "
			       "peer's first: aes 128, sha1, pre_shared_key, "
			       "dh_group 14)")) TH_LOG("%s", pair_log(&p));
	ASSERT_NE(NULL, strstr(pair_log(&p), "the peer sent "
					     "NO-PROPOSAL-CHOSEN"));
	pair_free(&p);
}

TEST(mismatched_phase2_proposal)
{
	struct params pa = { "3des", "sha1", "2", "aes", "hmac_sha1", NULL };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(1, p.a.ike->stats.ph1_established);
	ASSERT_EQ(0, p.a.k.nsa + p.b.k.nsa);
	ASSERT_EQ(1, p.a.ike->stats.ph2_failed);
	ASSERT_EQ(1, p.a.k.acquire_failed);	/* larval SA released */
	ASSERT_NE(NULL, strstr(pair_log(&p), "NO-PROPOSAL-CHOSEN"));
	pair_free(&p);
}

TEST(pfs_required_by_responder_strict)
{
	struct params pa = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     "strict" };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", "2",
			     "strict" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(0, p.a.k.nsa + p.b.k.nsa);
	pair_free(&p);
}

TEST(lifetime_strict_rejects_longer)
{
	struct params pa = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     "strict", "1 hour", "2 hour" };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     "strict", "1 hour", "1 hour" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(1, p.b.ike->stats.ph1_established);
	ASSERT_EQ(0, p.a.k.nsa + p.b.k.nsa);
	pair_free(&p);
}

TEST(lifetime_strict_accepts_shorter)
{
	struct params pa = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     "strict", "1 hour", "10 min" };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     "strict", "1 hour", "1 hour" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.b.k.nsa);
	ASSERT_EQ(600, p.b.k.sa[0].life_sec);
	ASSERT_EQ(600, p.a.k.sa[0].life_sec);
	pair_free(&p);
}

TEST(lifetime_claim_sends_responder_lifetime)
{
	struct params pa = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     "obey", "1 hour", "2 hour" };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     "claim", "1 hour", "20 min" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.a.k.nsa);
	ASSERT_EQ(2, p.b.k.nsa);
	ASSERT_EQ(1200, p.b.k.sa[0].life_sec);
	ASSERT_EQ(1200, p.a.k.sa[0].life_sec);
	ASSERT_NE(NULL, strstr(pair_log(&p), "responder lifetime 1200 s"));
	pair_free(&p);
}

TEST(lifetime_obey_takes_initiators)
{
	struct params pa = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     "obey", "1 hour", "2 hour" };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     "obey", "1 hour", "20 min" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.b.k.nsa);
	ASSERT_EQ(7200, p.b.k.sa[0].life_sec);
	pair_free(&p);
}

TEST(lifetime_exact)
{
	struct params pa = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     "exact", "1 hour", "10 min" };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     "exact", "1 hour", "20 min" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(0, p.b.k.nsa);
	pair_free(&p);
}

TEST(garbage_is_dropped_and_service_continues)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	static const uint8_t junk[] = "GET / HTTP/1.0\r\n\r\n and more junk..";
	uint8_t hdr[40] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	ike_input(p.b.ike, junk, sizeof(junk), (struct sockaddr *)&p.b.addr,
		  (struct sockaddr *)&p.a.addr);
	/* valid header, Main Mode, SA payload whose length overruns */
	hdr[17] = 0x10;
	hdr[18] = 2;
	hdr[16] = 1;
	hdr[27] = sizeof(hdr);
	hdr[28 + 3] = 200;
	ike_input(p.b.ike, hdr, sizeof(hdr), (struct sockaddr *)&p.b.addr,
		  (struct sockaddr *)&p.a.addr);
	ASSERT_EQ(2, p.b.ike->stats.dropped + p.b.ike->stats.ph1_failed);
	ASSERT_NE(NULL, strstr(pair_log(&p), "dropped packet from 10.0.0.1: "
					     "not ISAKMP"));
	ASSERT_NE(NULL, strstr(pair_log(&p), "payload length out of bounds"));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	check_matching(_metadata, &p, SADB_EALG_3DESCBC, 24,
		       SADB_AALG_SHA1HMAC, 20);
	pair_free(&p);
}

TEST(retransmitted_msg1_is_answered_from_state)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	p.b.drop_next = 1;	/* msg 2 is lost */
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	fake_now += 5;
	ike_tick(p.a.ike);	/* msg 1 again: B answers from its state */
	pair_run(&p);
	ASSERT_EQ(1, p.a.ike->stats.retransmits);
	for (struct ph1 *x = p.b.ike->ph1s; x; x = x->next)
		ASSERT_EQ(NULL, x->next);	/* no second responder SA */
	ASSERT_EQ(1, p.b.ike->stats.ph1_established);
	pair_free(&p);
}

TEST(retransmission_recovers_lost_packets)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	p.a.drop_next = 1;	/* msg 1 is lost */
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	ASSERT_EQ(0, pair_run(&p));
	fake_now += 5;
	ike_tick(p.a.ike);
	p.b.drop_next = 1;	/* msg 4 is lost */
	pair_run(&p);
	fake_now += 5;
	ike_tick(p.a.ike);	/* resends msg 3; B answers the duplicate */
	pair_run(&p);
	check_matching(_metadata, &p, SADB_EALG_3DESCBC, 24,
		       SADB_AALG_SHA1HMAC, 20);
	ASSERT_EQ(2, p.a.ike->stats.retransmits);
	pair_free(&p);
}

TEST(silent_peer_times_out)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	p.a.drop_next = 100;
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	for (int i = 0; i < 10; i++) {
		fake_now += 5;
		ike_tick(p.a.ike);
	}
	ASSERT_EQ(1, p.a.ike->stats.ph1_failed);
	ASSERT_EQ(1, p.a.ike->stats.ph2_failed);
	ASSERT_EQ(3, p.a.ike->stats.retransmits);
	ASSERT_NE(NULL, strstr(pair_log(&p), "phase 1 with 10.0.0.2 failed: "
					     "the peer did not answer"));
	pair_free(&p);
}

/* Phase 1 is up, then the peer goes quiet in Quick Mode. */
TEST(silent_peer_in_quick_mode_leaves_nothing)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.a.k.nsa);
	p.a.drop_next = 100;
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 7));
	ASSERT_EQ(2, p.a.k.getspi_calls);
	for (int i = 0; i < 10; i++) {
		fake_now += 5;
		ike_tick(p.a.ike);
	}
	ASSERT_EQ(0, p.a.ike->stats.ph1_failed);
	ASSERT_EQ(1, p.a.ike->stats.ph2_failed);
	ASSERT_EQ(3, p.a.ike->stats.retransmits);
	ASSERT_EQ(2, p.a.k.nsa);		/* nothing new installed */
	ASSERT_EQ(1, p.a.k.acquire_failed);
	/* the larval SA from the second GETSPI is deleted */
	ASSERT_EQ(1, p.a.k.del_calls);
	ASSERT_EQ(p.a.k.next_spi - 1, p.a.k.last_del_spi);
	ASSERT_NE(NULL, strstr(pair_log(&p), "phase 2 with 10.0.0.2 failed: "
					     "the peer did not answer"));
	pair_free(&p);
}

TEST(peer_delete_removes_sas)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.b.k.nsa);
	/* A's inbound SA hard-expires: A deletes both and tells B */
	ike_sa_expired(p.a.ike, SADB_SATYPE_ESP, 0x1000,
		       (struct sockaddr *)&p.a.addr, true);
	pair_run(&p);
	ASSERT_EQ(2, p.a.k.ndel);
	ASSERT_EQ(2, p.b.k.ndel);
	ASSERT_EQ(0, fake_count(&p.b, true) + fake_count(&p.b, false));
	ASSERT_NE(NULL, strstr(pair_log(&p), "deleted IPsec-SA spi "
					     "0x00001000"));
	pair_free(&p);
}

TEST(second_acquire_reuses_isakmp_sa)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", "2" };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	/* soft expiry of the outbound SA: A rekeys over the same phase 1 */
	ike_sa_expired(p.a.ike, SADB_SATYPE_ESP, 0x2000,
		       (struct sockaddr *)&p.b.addr, false);
	pair_run(&p);
	ASSERT_EQ(1, p.a.ike->stats.ph1_established);
	ASSERT_EQ(2, p.a.ike->stats.ph2_established);
	ASSERT_EQ(4, p.a.k.nsa);
	ASSERT_EQ(4, p.b.k.nsa);
	ASSERT_NE(NULL, fake_find(&p.b, false, 0x1001));
	pair_free(&p);
}

TEST(initial_contact_clears_old_sas)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.b.k.nsa);
	/* A "reboots": a fresh engine that knows nothing of its old SAs */
	ASSERT_EQ(0, side_restart(&p.a));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 2));
	pair_run(&p);
	ASSERT_EQ(2, p.b.k.ndel);
	ASSERT_EQ(4, p.b.k.nsa);
	ASSERT_EQ(1, fake_count(&p.b, true));
	ASSERT_EQ(1, fake_count(&p.b, false));
	ASSERT_NE(NULL, strstr(pair_log(&p), "INITIAL-CONTACT from 10.0.0.1: "
					     "removed 2 older SAs"));
	pair_free(&p);
}

TEST(reqids_come_from_each_policy)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct acquire acq;
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	p.a.k.reqid_in = 6;	/* A's inbound "unique" policy */
	p.b.k.reqid_in = 8;
	p.b.k.reqid_out = 7;
	memset(&acq, 0, sizeof(acq));
	memcpy(&acq.local, &p.a.addr, sizeof(p.a.addr));
	memcpy(&acq.remote, &p.b.addr, sizeof(p.b.addr));
	memcpy(&acq.src.addr, &p.a.addr, sizeof(p.a.addr));
	memcpy(&acq.dst.addr, &p.b.addr, sizeof(p.b.addr));
	acq.src.prefix = acq.dst.prefix = 32;
	acq.src.proto = acq.dst.proto = 255;
	acq.satype = SADB_SATYPE_ESP;
	acq.mode = IPSEC_MODE_TRANSPORT;
	acq.reqid = 5;		/* from the outbound policy in the ACQUIRE */
	acq.seq = 1;
	ASSERT_EQ(0, ike_acquire(p.a.ike, &acq));
	pair_run(&p);
	ASSERT_EQ(2, p.a.k.nsa);
	ASSERT_EQ(6, fake_find(&p.a, true, 0x1000)->reqid);
	ASSERT_EQ(5, fake_find(&p.a, false, 0x2000)->reqid);
	ASSERT_EQ(8, fake_find(&p.b, true, 0x2000)->reqid);
	ASSERT_EQ(7, fake_find(&p.b, false, 0x1000)->reqid);
	pair_free(&p);
}

TEST(simultaneous_initiation)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	/* both kernels ACQUIRE before either hears from the other */
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	ASSERT_EQ(0, pair_acquire(&p, &p.b, &p.a, SADB_SATYPE_ESP, 2));
	pair_run(&p);
	ASSERT_EQ(2, p.a.ike->stats.ph1_established);
	ASSERT_EQ(2, p.a.ike->stats.ph2_established);
	ASSERT_EQ(2, p.b.ike->stats.ph2_established);
	ASSERT_EQ(0, p.a.k.ndel + p.b.k.ndel);
	ASSERT_EQ(2, fake_count(&p.a, true));
	ASSERT_EQ(2, fake_count(&p.b, false));
	pair_free(&p);
}

TEST(dpd_query_is_answered)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	uint8_t spi[16], seq[4] = { 0, 0, 0, 42 };
	struct ph1 *p1;
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	p1 = p.a.ike->ph1s;
	ASSERT_EQ(PH1_ESTABLISHED, p1->state);
	memcpy(spi, p1->icookie, 8);
	memcpy(spi + 8, p1->rcookie, 8);
	info_send_notify(p1, PROTO_ISAKMP, spi, 16, N_R_U_THERE, seq, 4);
	pair_run(&p);
	ASSERT_NE(NULL, strstr(pair_log(&p), "sending R-U-THERE-ACK to "
					     "10.0.0.1"));
	ASSERT_NE(NULL, strstr(pair_log(&p), "R-U-THERE-ACK from 10.0.0.2"));
	pair_free(&p);
}

TEST(dead_peer_detection)
{
	/* A probes every 10 s, 2 s per retry, 3 failures = dead */
	struct params pa = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL,
			     NULL, NULL, NULL,
			     "\tdpd_delay 10;\n\tdpd_retry 2;\n"
			     "\tdpd_maxfail 3;\n" };
	struct params pb = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;

	ASSERT_EQ(0, setup(&p, &pa, &pb, psk_a, psk_b));
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(2, p.a.k.nsa);
	ASSERT_TRUE(p.a.ike->ph1s->peer_dpd);	/* B sent the vendor ID */
	/* a live peer answers */
	fake_now += 10;
	ike_tick(p.a.ike);
	pair_run(&p);
	ASSERT_FALSE(p.a.ike->ph1s->dpd_waiting);
	ASSERT_NE(NULL, strstr(pair_log(&p), "R-U-THERE-ACK from 10.0.0.2"));
	/* then B goes silent */
	p.b.drop_next = 1000;
	for (int i = 0; i < 8; i++) {
		fake_now += 2;
		ike_tick(p.a.ike);
		pair_run(&p);
	}
	ASSERT_NE(NULL, strstr(pair_log(&p), "peer 10.0.0.2 is dead: 3 "
					     "R-U-THERE queries unanswered"));
	ASSERT_EQ(2, p.a.k.ndel);
	ASSERT_EQ(NULL, p.a.ike->ph1s);
	pair_free(&p);
}

TEST(half_open_limit)
{
	struct params pp = { "3des", "sha1", "2", "3des", "hmac_sha1", NULL };
	struct pair p;
	int before;

	ASSERT_EQ(0, setup(&p, &pp, &pp, psk_a, psk_b));
	/* 300 initiators that never continue past message 1 */
	for (int i = 0; i < 300; i++) {
		ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP,
					  1000 + i));
		/* forget A's side so the next ACQUIRE starts a new one */
		for (struct ph1 *x = p.a.ike->ph1s; x; x = x->next)
			x->state = PH1_DEAD;
		ph2_free_all_dead(p.a.ike);
		pair_run(&p);
	}
	ASSERT_EQ(44, p.b.ike->stats.dropped);
	/* once they time out, B serves again */
	fake_now += 3600;
	ike_tick(p.b.ike);
	before = p.b.ike->stats.ph1_established;
	ASSERT_EQ(0, pair_acquire(&p, &p.a, &p.b, SADB_SATYPE_ESP, 1));
	pair_run(&p);
	ASSERT_EQ(before + 1, p.b.ike->stats.ph1_established);
	pair_free(&p);
}

TEST_HARNESS_MAIN
