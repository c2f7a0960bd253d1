// SPDX-License-Identifier: BSD-3-Clause
/* racoon.conf subset: good files parse to the right values, bad ones
 * fail with the exact file:line message. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../conf.h"
#include "../isakmp.h"

TEST(seed_example)
{
	char err[512] = "";
	struct config *c = conf_load("conf/seed.conf", err, sizeof(err));
	struct remote_conf *r;
	struct sainfo_conf *s;

	ASSERT_NE(NULL, c) TH_LOG("%s", err);
	ASSERT_STREQ("/etc/racoon/psk.txt", c->psk_path);
	r = c->remotes;
	ASSERT_NE(NULL, r);
	ASSERT_TRUE(r->anonymous);
	ASSERT_EQ(3600, r->lifetime);
	ASSERT_EQ(PROP_STRICT, r->prop_check);	/* racoon's default */
	ASSERT_TRUE(r->initial_contact);
	ASSERT_EQ(OAKLEY_ENC_3DES, r->props->enc);
	ASSERT_EQ(OAKLEY_HASH_SHA1, r->props->hash);
	ASSERT_EQ(OAKLEY_AUTH_PSK, r->props->auth);
	ASSERT_EQ(2, r->props->group);
	ASSERT_EQ(NULL, r->props->next);
	s = c->sainfos;
	ASSERT_TRUE(s->src.any && s->dst.any);
	ASSERT_EQ(2, s->pfs_group);
	ASSERT_EQ(3600, s->lifetime);
	ASSERT_EQ(3, s->nenc);
	ASSERT_EQ(ESP_3DES, s->enc[0].id);
	ASSERT_EQ(ESP_AES, s->enc[1].id);
	ASSERT_EQ(ESP_AES, s->enc[2].id);
	ASSERT_EQ(2, s->nauth);
	ASSERT_EQ(AUTH_HMAC_SHA1, s->auth[0].id);
	ASSERT_EQ(AUTH_HMAC_MD5, s->auth[1].id);
	ASSERT_EQ(1, s->ncomp);
	/* racoon's timer defaults */
	ASSERT_EQ(5, c->timer.counter);
	/* NAT traversal: racoon's defaults */
	ASSERT_EQ(20, c->timer.natt_keepalive);
	ASSERT_EQ(4500, c->natt_port);
	ASSERT_EQ(10, c->timer.interval);
	ASSERT_EQ(-1, c->log_level);
	conf_free(c);
}

TEST(every_statement)
{
	char err[512] = "";
	struct config *c = conf_load("conf/full.conf", err, sizeof(err));
	struct sockaddr_in *sin;
	struct remote_conf *r;
	struct sainfo_conf *s;

	ASSERT_NE(NULL, c) TH_LOG("%s", err);
	ASSERT_EQ(4, c->log_level);
	ASSERT_EQ(2, c->nlisten);
	sin = (struct sockaddr_in *)&c->listen[0];
	ASSERT_EQ(AF_INET, sin->sin_family);
	ASSERT_EQ(500, ntohs(sin->sin_port));
	ASSERT_EQ(AF_INET6, c->listen[1].ss_family);
	ASSERT_EQ(7, c->timer.counter);
	ASSERT_EQ(3, c->timer.interval);
	ASSERT_EQ(2, c->timer.persend);
	ASSERT_EQ(60, c->timer.phase1);
	ASSERT_EQ(20, c->timer.phase2);
	ASSERT_TRUE(c->padding.exclusive_tail);
	r = c->remotes;
	ASSERT_FALSE(r->anonymous);
	ASSERT_EQ(7200, r->lifetime);
	ASSERT_EQ(PROP_CLAIM, r->prop_check);
	ASSERT_FALSE(r->initial_contact);
	ASSERT_TRUE(r->passive);
	ASSERT_EQ(30, r->dpd_delay);
	ASSERT_EQ(3, r->dpd_retry);
	ASSERT_EQ(4, r->dpd_maxfail);
	ASSERT_EQ(5, r->next->dpd_maxfail);	/* default */
	ASSERT_EQ(MYID_FQDN, r->myid_kind);
	ASSERT_STREQ("a.example.org", r->myid);
	ASSERT_EQ(OAKLEY_ENC_AES, r->props->enc);
	ASSERT_EQ(256, r->props->keybits);
	ASSERT_EQ(OAKLEY_HASH_SHA256, r->props->hash);
	ASSERT_EQ(14, r->props->group);
	ASSERT_EQ(5, r->props->next->group);
	ASSERT_EQ(0, r->props->next->keybits);
	ASSERT_TRUE(r->next->anonymous);
	s = c->sainfos;
	ASSERT_FALSE(s->src.any);
	ASSERT_EQ(16, s->src.prefix);
	ASSERT_EQ(255, s->src.proto);
	ASSERT_EQ(80, s->dst.port);
	ASSERT_EQ(IPPROTO_TCP, s->dst.proto);
	ASSERT_EQ(14, s->pfs_group);
	ASSERT_EQ(1800, s->lifetime);
	ASSERT_EQ(100 * 1024, s->lifetime_kb);
	ASSERT_EQ(3, s->nenc);
	ASSERT_EQ(256, s->enc[0].keybits);
	ASSERT_EQ(128, s->enc[1].keybits);
	ASSERT_EQ(ESP_3DES, s->enc[2].id);
	ASSERT_EQ(AUTH_HMAC_SHA256, s->auth[0].id);
	ASSERT_TRUE(s->next->src.any);
	conf_free(c);
}

TEST(remote_and_sainfo_lookup)
{
	char err[512] = "";
	struct config *c = conf_load("conf/full.conf", err, sizeof(err));
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sa_id src = { 0 }, dst = { 0 };

	ASSERT_NE(NULL, c);
	inet_pton(AF_INET, "10.0.0.2", &a.sin_addr);
	ASSERT_EQ(c->remotes, conf_find_remote(c, (struct sockaddr *)&a));
	inet_pton(AF_INET, "10.9.9.9", &a.sin_addr);
	ASSERT_EQ(c->remotes->next,
		  conf_find_remote(c, (struct sockaddr *)&a));
	src.addr.ss_family = AF_INET;
	inet_pton(AF_INET, "10.1.0.0",
		  &((struct sockaddr_in *)&src.addr)->sin_addr);
	src.prefix = 16;
	src.proto = 255;
	dst = src;
	inet_pton(AF_INET, "10.2.0.0",
		  &((struct sockaddr_in *)&dst.addr)->sin_addr);
	dst.port = 80;
	dst.proto = IPPROTO_TCP;
	ASSERT_EQ(c->sainfos, conf_find_sainfo(c, &src, &dst));
	dst.port = 81;
	ASSERT_EQ(c->sainfos->next, conf_find_sainfo(c, &src, &dst));
	conf_free(c);
}

/* Every warning, in order, equal to @want (NULL-terminated). */
static int warnings_are(struct __test_metadata *_metadata,
			const struct config *c, const char *const *want)
{
	int i;

	for (i = 0; want[i]; i++) {
		EXPECT_LT(i, c->nwarnings) TH_LOG("missing: %s", want[i]);
		if (i >= c->nwarnings)
			return -1;
		EXPECT_STREQ(want[i], c->warnings[i]);
	}
	for (int j = i; j < c->nwarnings; j++)
		TH_LOG("unexpected: %s", c->warnings[j]);
	EXPECT_EQ(i, c->nwarnings);
	return 0;
}

TEST(man_page_example_loads)
{
	static const char *const want[] = {
		"conf/man-include/remote.conf:9: 'script' ignored (no phase 1 "
		"scripts)",
		"conf/man-include/remote.conf:18: proposal left out of the "
		"offer (encryption_algorithm blowfish is not supported by "
		"racoon-lite)",
		"conf/man-example.conf:10: 'path backupsa' ignored (racoon-lite "
		"has no SA backup file)",
		"conf/man-example.conf:25: 'adminsock' ignored (racoon-lite has "
		"no admin socket (racoonctl); see SIGUSR1 in racoon-lite(8))",
		"conf/man-example.conf:39: 'privsep' ignored (racoon-lite runs "
		"as one process; its systemd unit sandboxes it)",
		"conf/man-example.conf:57: 'support_proxy' ignored (racoon-lite "
		"takes the peer's IDs as they come)",
		"conf/man-example.conf:72: encryption_algorithm des left out of "
		"the offer (not supported by racoon-lite)",
		"conf/man-example.conf:72: encryption_algorithm cast128 left out "
		"of the offer (not supported by racoon-lite)",
		"conf/man-example.conf:72: encryption_algorithm blowfish left "
		"out of the offer (not supported by racoon-lite)",
		NULL
	};
	char err[512] = "";
	struct config *c = conf_load("conf/man-example.conf", err, sizeof(err));
	struct remote_conf *r;
	struct sainfo_conf *s;

	ASSERT_NE(NULL, c) TH_LOG("%s", err);
	warnings_are(_metadata, c, want);
	ASSERT_STREQ("/usr/local/v6/etc/psk.txt", c->psk_path);
	ASSERT_STREQ("/usr/local/v6/etc/cert", c->cert_path);
	ASSERT_STREQ("/var/run/racoon.pid", c->pidfile);
	ASSERT_EQ(2, c->nlisten);
	ASSERT_EQ(20, c->timer.interval);
	ASSERT_EQ(15, c->timer.natt_keepalive);
	/* the included remote first, as written */
	r = c->remotes;
	ASSERT_EQ(NATT_CONF_ON, r->nat_traversal);
	ASSERT_TRUE(c->natt_any);
	ASSERT_FALSE(r->anonymous);
	ASSERT_TRUE(r->verify_identifier);
	ASSERT_EQ(2, r->npeers_id);
	ASSERT_EQ(MYID_FQDN, r->peers_id[1].kind);
	ASSERT_STREQ("gw.example.net", r->peers_id[1].value);
	ASSERT_EQ(14, r->props->group);
	ASSERT_EQ(NULL, r->props->next);	/* blowfish's left out */
	ASSERT_EQ(1, r->props_left_out);
	ASSERT_EQ(DEFAULT_NONCE_SIZE, r->nonce_size);
	r = r->next;
	ASSERT_TRUE(r->anonymous);
	ASSERT_EQ(16, r->nonce_size);
	ASSERT_FALSE(r->verify_identifier);	/* racoon's default */
	ASSERT_EQ(MYID_USER_FQDN, r->peers_id[0].kind);
	ASSERT_TRUE(r->aggressive && r->initiate_aggressive);
	s = c->sainfos;
	ASSERT_EQ(1, s->nenc);
	ASSERT_EQ(ESP_3DES, s->enc[0].id);
	conf_free(c);
}

TEST(gateway_example_loads)
{
	static const char *const want[] = {
		"conf/gateway.conf:6: 'path script' ignored (racoon-lite has "
		"no scripts)",
		"conf/gateway.conf:12: 'adminsock' ignored (racoon-lite has no "
		"admin socket (racoonctl); see SIGUSR1 in racoon-lite(8))",
		"conf/gateway.conf:22: 'esp_frag' ignored (ESP in UDP is "
		"fragmented by the kernel as any IP packet)",
		"conf/gateway.conf:27: 'rekey' ignored (phase 1 is renegotiated "
		"on demand)",
		"conf/gateway.conf:28: 'weak_phase1_check' ignored (racoon-lite "
		"keeps the strict checks)",
		"conf/gateway.conf:29: 'mode_cfg' ignored (no mode config)",
		"conf/gateway.conf:30: 'ph1id' ignored (sainfo remoteid is not "
		"supported)",
		"conf/gateway.conf:42: authentication_algorithm non_auth left "
		"out of the offer (not supported by racoon-lite)",
		"conf/gateway.conf:46: 'mode_cfg' ignored (racoon-lite has no "
		"XAUTH or mode config server)",
		NULL
	};
	char err[512] = "";
	struct config *c = conf_load("conf/gateway.conf", err, sizeof(err));

	ASSERT_NE(NULL, c) TH_LOG("%s", err);
	warnings_are(_metadata, c, want);
	ASSERT_EQ(1, c->nlisten);
	/* isakmp_natt 192.168.0.1 [4500]; natt_keepalive 10 sec */
	ASSERT_EQ(1, c->nlisten_natt);
	ASSERT_EQ(4500, c->natt_port);
	ASSERT_EQ(10, c->timer.natt_keepalive);
	ASSERT_EQ(NATT_CONF_FORCE, c->remotes->nat_traversal);
	ASSERT_EQ(2, c->log_level);
	ASSERT_EQ(30, c->remotes->dpd_delay);
	ASSERT_EQ(8 * 3600, c->remotes->lifetime);
	ASSERT_EQ(1, c->sainfos->nauth);
	ASSERT_EQ(NULL, c->remotes->next);	/* mode_cfg { } skipped whole */
	conf_free(c);
}

TEST(include_glob_and_nesting)
{
	char err[512] = "";
	struct config *c;

	/* a pattern matching nothing is no error; a missing file is */
	c = conf_parse_string("t.conf", "include \"conf/none-*.conf\";\n",
			      err, sizeof(err));
	ASSERT_NE(NULL, c) TH_LOG("%s", err);
	conf_free(c);
	c = conf_parse_string("t.conf", "path include \"conf/man-include\";\n"
			      "include \"*.conf\";\n", err, sizeof(err));
	EXPECT_EQ(NULL, c);	/* loop.conf includes itself */
	EXPECT_STREQ("conf/man-include/loop.conf:1: includes nested more "
		     "than 8 deep", err);
	conf_free(c);
}

struct bad {
	const char *text;
	const char *error;
};

static const struct bad bad_configs[] = {
	{ "foo bar;\n", "t.conf:1: unknown or unsupported statement 'foo'" },
	{ "path keys \"/etc/cert\";\n",
	  "t.conf:1: unknown path type 'keys' (pre_shared_key, certificate, "
	  "include, pidfile, backupsa, script)" },
	{ "path pre_shared_key /etc/psk;\n",
	  "t.conf:1: path pre_shared_key needs a quoted file name" },
	{ "log debug\nremote anonymous {}\n",
	  "t.conf:2: expected ';' after log, got 'remote'" },
	{ "log chatty;\n",
	  "t.conf:1: unknown log level 'chatty' (error, warning, notify, "
	  "info, debug, debug2)" },
	{ "remote anonymous {\n\texchange_mode main, base;\n}\n",
	  "t.conf:2: exchange_mode 'base' is not supported (only main and aggressive)" },
	{ "remote anonymous {\n\texchange_mode aggressive;\n"
	  "\tproposal {\n\t\tencryption_algorithm aes;\n\t\thash_algorithm sha1;\n"
	  "\t\tauthentication_method pre_shared_key;\n\t\tdh_group 14;\n\t}\n"
	  "\tproposal {\n\t\tencryption_algorithm 3des;\n\t\thash_algorithm sha1;\n"
	  "\t\tauthentication_method pre_shared_key;\n\t\tdh_group 2;\n\t}\n}\n",
	  "t.conf:9: with exchange_mode aggressive, every proposal must use "
	  "the same dh_group" },
	{ "remote anonymous {\n\tproposal {\n\t\tdh_group 1;\n\t}\n}\n",
	  "t.conf:1: no proposal of this remote is left that racoon-lite "
	  "supports (see the warnings)" },
	{ "remote anonymous {\n\tproposal {\n\t\tdh_group 99;\n\t}\n}\n",
	  "t.conf:3: unsupported DH group '99' (supported: 2, 5, 14, 19, 20, 21 "
	  "/ modp1024, modp1536, modp2048, ecp256, ecp384, ecp521)" },
	{ "sainfo anonymous {\n\tpfs_group modp768;\n}\n",
	  "t.conf:2: pfs_group modp768 is not supported (2, 5, 14, 19, 20, 21)" },
	{ "remote anonymous {\n\tverify_identifier on;\n\tproposal {\n"
	  "\t\tencryption_algorithm 3des;\n\t\thash_algorithm sha1;\n"
	  "\t\tauthentication_method pre_shared_key;\n\t\tdh_group 2;\n"
	  "\t}\n}\n",
	  "t.conf:1: verify_identifier on needs a peers_identifier" },
	{ "remote anonymous {\n\tnonce_size 4;\n}\n",
	  "t.conf:2: nonce_size must be 8 to 256 (RFC 2409)" },
	{ "remote anonymous {\n\tpeers_identifier keyid \"x\";\n}\n",
	  "t.conf:2: peers_identifier 'keyid' is not supported (address, "
	  "fqdn, user_fqdn, asn1dn)" },
	{ "privsep {\n\tuser \"racoon\";\n",
	  "t.conf:3: unexpected end of file in 'privsep'" },
	{ "remote anonymous {\n\tproposal {\n\t\tencryption_algorithm 3des;\n"
	  "\t}\n}\n",
	  "t.conf:2: proposal needs encryption_algorithm, hash_algorithm, "
	  "authentication_method and dh_group" },
	{ "remote anonymous {\n\tproposal {\n\t\tauthentication_method "
	  "xauth_rsa_server;\n\t}\n}\n",
	  "t.conf:1: no proposal of this remote is left that racoon-lite "
	  "supports (see the warnings)" },
	{ "remote anonymous {\n\tproposal {\n\t\tencryption_algorithm aes;"
	  "\n\t\thash_algorithm sha1;\n\t\tauthentication_method rsasig;\n"
	  "\t\tdh_group 2;\n\t}\n}\n",
	  "t.conf:2: authentication_method rsasig needs certificate_type x509 "
	  "\"cert\" \"key\" in its remote" },
	{ "remote anonymous {\n\tcertificate_type plain_rsa \"a\";\n}\n",
	  "t.conf:2: certificate_type plain_rsa is not supported (x509)" },
	{ "remote anonymous {\n\tcertificate_type x509 \"a.pem\";\n}\n",
	  "t.conf:2: certificate_type x509 needs \"cert\" \"key\"" },
	{ "remote anonymous {\n\tpeers_identifier asn1dn \"CN\";\n}\n",
	  "t.conf:2: peers_identifier asn1dn: 'CN' is not a distinguished name" },
	{ "remote anonymous {\n\tproposal {\n\t\tauthentication_method "
	  "kerberos;\n\t}\n}\n",
	  "t.conf:3: authentication_method 'kerberos' is not supported "
	  "(pre_shared_key, rsasig, ecdsa_sha256, ecdsa_sha384, ecdsa_sha512)" },
	{ "remote anonymous {\n\tcertificate_type x509 \"a\" \"b\";\n"
	  "\tproposal {\n\t\tencryption_algorithm aes;\n"
	  "\t\thash_algorithm sha256;\n\t\tauthentication_method ecdsa_sha384;"
	  "\n\t\tdh_group 20;\n\t}\n}\n",
	  "t.conf:3: authentication_method ecdsa_sha384 needs hash_algorithm "
	  "sha384 (RFC 4754)" },
	{ "remote anonymous {\n\tcertificate_type x509 \"a\" \"b\";\n"
	  "\tproposal {\n\t\tencryption_algorithm aes;\n"
	  "\t\thash_algorithm sha384;\n\t\tauthentication_method ecdsa_sha512;"
	  "\n\t\tdh_group 21;\n\t}\n}\n",
	  "t.conf:3: authentication_method ecdsa_sha512 needs hash_algorithm "
	  "sha512 (RFC 4754)" },
	{ "remote anonymous {\n\tproposal {\n\t\thash_algorithm sha3;\n"
	  "\t}\n}\n",
	  "t.conf:3: unsupported hash algorithm 'sha3' (supported: md5, sha1, "
	  "sha256, sha384, sha512)" },
	{ "remote anonymous {\n\tcertificate_type x509 \"a\" \"b\";\n"
	  "\tproposal {\n\t\tencryption_algorithm aes;\n"
	  "\t\thash_algorithm sha1;\n\t\tauthentication_method ecdsa_sha256;"
	  "\n\t\tdh_group 19;\n\t}\n}\n",
	  "t.conf:3: authentication_method ecdsa_sha256 needs hash_algorithm "
	  "sha256 (RFC 4754)" },
	{ "remote anonymous {\n\tlifetime time 1 fortnight;\n}\n",
	  "t.conf:2: unknown time unit 'fortnight' (use sec, min or hour)" },
	{ "remote anonymous {\n\tnat_traversal sometimes;\n}\n",
	  "t.conf:2: nat_traversal takes on, off or force, not 'sometimes'" },
	{ "remote anonymous {\n\tgenerate_policy on;\n}\n",
	  "t.conf:2: generate_policy on is not supported; add the policies "
	  "with setkey" },
	{ "remote anonymous {\n\tike_fragments on;\n}\n",
	  "t.conf:2: unknown or unsupported statement 'ike_fragments' in remote" },
	{ "remote anonymous {\n\tdpd_maxfail 0;\n}\n",
	  "t.conf:2: dpd_maxfail must be at least 1" },
	{ "remote anonymous {\n\texchange_mode main;\n}\n",
	  "t.conf:1: remote needs at least one proposal block" },
	{ "remote 10.0.0.300 {\n}\n",
	  "t.conf:1: '10.0.0.300' is not a numeric IPv4 or IPv6 address (host "
	  "names are not supported)" },
	{ "remote anonymous {\n\tproposal_check loose;\n}\n",
	  "t.conf:2: proposal_check takes obey, strict, claim or exact, not "
	  "'loose'" },
	{ "sainfo anonymous {\n\tencryption_algorithm 3des, serpent;\n}\n",
	  "t.conf:2: unsupported encryption algorithm 'serpent' (supported: "
	  "3des, aes [128|192|256])" },
	{ "sainfo anonymous {\n\tencryption_algorithm des, blowfish;\n"
	  "\tauthentication_algorithm hmac_sha1;\n}\n",
	  "t.conf:1: no encryption_algorithm of this sainfo is left that "
	  "racoon-lite supports (see the warnings)" },
	{ "sainfo anonymous {\n\tencryption_algorithm aes 100;\n}\n",
	  "t.conf:2: aes key length must be 128, 192 or 256" },
	{ "sainfo anonymous {\n\tauthentication_algorithm hmac_sha224;\n}\n",
	  "t.conf:2: unsupported authentication algorithm 'hmac_sha224' "
	  "(supported: hmac_md5, hmac_sha1, hmac_sha256, hmac_sha384, hmac_sha512)" },
	{ "sainfo anonymous {\n\tcompression_algorithm zstd;\n}\n",
	  "t.conf:2: unsupported compression algorithm 'zstd' (only deflate)" },
	{ "sainfo anonymous {\n\tencryption_algorithm 3des;\n}\n",
	  "t.conf:1: sainfo needs encryption_algorithm and "
	  "authentication_algorithm" },
	{ "sainfo address 10.0.0.1/33 any anonymous {\n}\n",
	  "t.conf:1: invalid prefix length '33'" },
	{ "sainfo id_type \"x\" {\n}\n",
	  "t.conf:1: sainfo identifier 'id_type' is not supported (anonymous, "
	  "address, subnet)" },
	{ "listen {\n\tadmin [7002];\n}\n",
	  "t.conf:2: unknown or unsupported statement 'admin' in listen" },
	{ "timer {\n\tnatt_keepalive_x 20 sec;\n}\n",
	  "t.conf:2: unknown or unsupported statement 'natt_keepalive_x' in "
	  "timer" },
	{ "padding {\n\trandomize maybe;\n}\n",
	  "t.conf:2: randomize takes on or off, not 'maybe'" },
	{ "path pre_shared_key \"/etc/psk\n",
	  "t.conf:1: unterminated string" },
	{ "log debug; $\n", "t.conf:1: unexpected character '$'" },
	{ "remote anonymous {\n\tproposal {\n",
	  "t.conf:3: expected a proposal statement, got 'end of file'" },
	{ "include \"/etc/racoon/other.conf\";\n",
	  "t.conf:1: include /etc/racoon/other.conf: no such file" },
	{ "include \"conf/man-include/remote.conf\";\nfoo;\n",
	  "t.conf:2: unknown or unsupported statement 'foo'" },
};

TEST(bad_configs_give_file_line_errors)
{
	for (size_t i = 0; i < sizeof(bad_configs) / sizeof(bad_configs[0]);
	     i++) {
		char err[512] = "";
		struct config *c = conf_parse_string("t.conf",
						     bad_configs[i].text, err,
						     sizeof(err));

		EXPECT_EQ(NULL, c) TH_LOG("case %zu parsed", i);
		EXPECT_STREQ(bad_configs[i].error, err);
		conf_free(c);
	}
}

TEST(word_at_end_of_text)
{
	char err[512] = "";
	/* exact-size copy: ASan catches a read past the terminator */
	char *text = strdup("log debug; foo");

	ASSERT_EQ(NULL, conf_parse_string("t.conf", text, err, sizeof(err)));
	ASSERT_STREQ("t.conf:1: unknown or unsupported statement 'foo'", err);
	free(text);
}

TEST(missing_file)
{
	char err[512] = "";

	ASSERT_EQ(NULL, conf_load("conf/nonexistent.conf", err, sizeof(err)));
	ASSERT_STREQ("conf/nonexistent.conf: cannot open: No such file or "
		     "directory", err);
}

TEST_HARNESS_MAIN
