// SPDX-License-Identifier: BSD-3-Clause
/*
 * Certificate authentication: the CERT/CERTREQ payload parsers, loading
 * (the world-readable key, the key that is not the certificate's), and
 * full phase 1 + Quick Mode exchanges between two engines with RSA and
 * ECDSA certificates, Main and Aggressive Mode, both roles; each refusal
 * (expired, revoked, unknown CA, key usage, ID not in the certificate,
 * pinned certificate) with its one log line and nothing installed.
 * The PKI is made by mkcerts.sh (openssl) into ../obj-san/certs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/pfkeyv2.h>
#include <openssl/pem.h>

#include "kselftest_harness.h"
#include "pair.h"
#include "../cert.h"
#include "../certpl.h"
#include "../frag.h"
#include "../isakmp.h"

#define DIR "../obj-san/certs"

static const char no_psk[] = "# certificates only\n";

struct cparams {
	const char *cert;	/* NAME: NAME.pem, NAME.key */
	const char *method;	/* rsasig, ecdsa_sha256 */
	const char *mode;	/* main, aggressive */
	const char *extra;	/* more remote statements */
	const char *hash;	/* hash_algorithm, sha256 if NULL */
	int group;		/* dh_group, 14 if 0 */
	const char *chain;	/* certificate file, NAME.pem if NULL */
};

static char *cert_conf(const struct cparams *c)
{
	char file[64];
	char *s;

	if (c->chain)
		snprintf(file, sizeof(file), "%s", c->chain);
	else
		snprintf(file, sizeof(file), "%s.pem", c->cert);
	if (asprintf(&s,
		     "path certificate \"" DIR "\";\n"
		     "timer { counter 3; interval 5 sec; phase1 30 sec; "
		     "phase2 30 sec; }\n"
		     "remote anonymous {\n"
		     "\texchange_mode %s;\n"
		     "\tmy_identifier asn1dn;\n"
		     "\tcertificate_type x509 \"%s\" \"%s.key\";\n"
		     "\tca_type x509 \"ca.pem\";\n"
		     "%s"
		     "\tproposal {\n"
		     "\t\tencryption_algorithm aes;\n"
		     "\t\thash_algorithm %s;\n"
		     "\t\tauthentication_method %s;\n"
		     "\t\tdh_group %d;\n"
		     "\t}\n"
		     "}\n"
		     "sainfo anonymous {\n"
		     "\tencryption_algorithm aes;\n"
		     "\tauthentication_algorithm hmac_sha256;\n"
		     "\tcompression_algorithm deflate;\n"
		     "}\n",
		     c->mode ? c->mode : "main", file, c->cert,
		     c->extra ? c->extra : "", c->hash ? c->hash : "sha256",
		     c->method ? c->method : "rsasig",
		     c->group ? c->group : 14) < 0)
		abort();
	return s;
}

static int cert_setup(struct pair *p, const struct cparams *a,
		      const struct cparams *b)
{
	char *ca = cert_conf(a), *cb = cert_conf(b);
	int r = pair_init(p, ca, no_psk, cb, no_psk);

	free(ca);
	free(cb);
	return r;
}

/* Negotiate A -> B; true if both installed their two SAs. */
static bool negotiated(struct pair *p)
{
	if (pair_acquire(p, &p->a, &p->b, SADB_SATYPE_ESP, 1))
		return false;
	pair_run(p);
	return p->a.k.nsa == 2 && p->b.k.nsa == 2 &&
	       p->a.k.sa[0].aalg == SADB_X_AALG_SHA2_256HMAC;
}

static X509 *load_pem(const char *name)
{
	char path[256];
	FILE *f;
	X509 *x;

	snprintf(path, sizeof(path), DIR "/%s.pem", name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	return x;
}

/* "4 || DER" of NAME.pem into a malloc'd CERT body. */
static uint8_t *cert_body(const char *name, size_t *len)
{
	X509 *x = load_pem(name);
	unsigned char *der = NULL;
	uint8_t *b;
	int n;

	if (!x)
		return NULL;
	n = i2d_X509(x, &der);
	X509_free(x);
	b = malloc((size_t)n + 1);
	b[0] = CERT_X509_SIG;
	memcpy(b + 1, der, (size_t)n);
	OPENSSL_free(der);
	*len = (size_t)n + 1;
	return b;
}

TEST(cert_payload_parser)
{
	size_t len;
	uint8_t *b = cert_body("a", &len);
	const char *err = NULL;
	X509 *x;

	ASSERT_NE(NULL, b) TH_LOG("run mkcerts.sh first");
	x = certpl_cert(b, len, &err);
	ASSERT_NE(NULL, x);
	X509_free(x);
	/* truncated by one byte */
	ASSERT_EQ(NULL, certpl_cert(b, len - 1, &err));
	ASSERT_STREQ("CERT payload holds no valid DER certificate", err);
	/* not X.509 signature (PKCS #7 is 1) */
	b[0] = 1;
	ASSERT_EQ(NULL, certpl_cert(b, len, &err));
	ASSERT_STREQ("CERT payload is not an X.509 signature certificate", err);
	b[0] = CERT_X509_SIG;
	/* garbage after the certificate */
	b = realloc(b, len + 3);
	memcpy(b + len, "xyz", 3);
	ASSERT_EQ(NULL, certpl_cert(b, len + 3, &err));
	ASSERT_STREQ("CERT payload has bytes after its certificate", err);
	/* only the encoding */
	ASSERT_EQ(NULL, certpl_cert(b, 1, &err));
	/* garbage */
	memset(b + 1, 0x30, len - 1);
	ASSERT_EQ(NULL, certpl_cert(b, len, &err));
	free(b);
}

TEST(certreq_payload_parser)
{
	static const uint8_t any[] = { CERT_X509_SIG };
	static const uint8_t bad[] = { CERT_X509_SIG, 0x30, 0x10, 0x31 };
	X509 *ca = load_pem("ca");
	unsigned char *dn = NULL;
	const uint8_t *got;
	uint8_t b[512], enc;
	const char *err;
	size_t gl;
	int n;

	ASSERT_NE(NULL, ca);
	ASSERT_EQ(0, certpl_certreq(any, 1, &enc, &got, &gl, &err));
	ASSERT_EQ(CERT_X509_SIG, enc);
	ASSERT_EQ(0, gl);
	n = i2d_X509_NAME(X509_get_subject_name(ca), &dn);
	b[0] = CERT_X509_SIG;
	memcpy(b + 1, dn, (size_t)n);
	ASSERT_EQ(0, certpl_certreq(b, (size_t)n + 1, &enc, &got, &gl, &err));
	ASSERT_EQ((size_t)n, gl);
	ASSERT_EQ(-1, certpl_certreq(bad, sizeof(bad), &enc, &got, &gl, &err));
	ASSERT_STREQ("CERTREQ payload names no valid DER DN", err);
	ASSERT_EQ(-1, certpl_certreq(b, 0, &enc, &got, &gl, &err));
	OPENSSL_free(dn);
	X509_free(ca);
}

static struct config *conf_with(const char *cert, const char *key)
{
	char text[1024], err[512];

	snprintf(text, sizeof(text),
		 "path certificate \"" DIR "\";\n"
		 "remote anonymous {\n\tcertificate_type x509 \"%s\" \"%s\";\n"
		 "\tca_type x509 \"ca.pem\";\n\tproposal {\n"
		 "\t\tencryption_algorithm aes;\n\t\thash_algorithm sha1;\n"
		 "\t\tauthentication_method rsasig;\n\t\tdh_group 2;\n\t}\n}\n",
		 cert, key);
	return conf_parse_string("t.conf", text, err, sizeof(err));
}

TEST(world_readable_key_refused)
{
	struct config *c = conf_with("a.pem", "/tmp/racoon-lite-test.key");
	char err[1024], cmd[256];

	ASSERT_NE(NULL, c);
	snprintf(cmd, sizeof(cmd), "cp " DIR "/a.key /tmp/racoon-lite-test.key"
		 " && chmod 644 /tmp/racoon-lite-test.key");
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(-1, certs_load_config(c, getuid(), err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "/tmp/racoon-lite-test.key: the private "
			       "key file has mode 0644 and is accessible by "
			       "group or others; run 'chmod 600 "
			       "/tmp/racoon-lite-test.key'")) TH_LOG("%s", err);
	chmod("/tmp/racoon-lite-test.key", 0600);
	ASSERT_EQ(0, certs_load_config(c, getuid(), err, sizeof(err)))
		TH_LOG("%s", err);
	unlink("/tmp/racoon-lite-test.key");
	certs_free_config(c);
	conf_free(c);
}

TEST(der_certificate_and_key)
{
	struct config *c = conf_with("a.der", "a.key.der");
	char err[1024];

	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, system("cd " DIR " && openssl x509 -in a.pem -outform DER "
			    "-out a.der && openssl pkey -in a.key -outform DER "
			    "-out a.key.der && chmod 600 a.key.der"));
	ASSERT_EQ(0, certs_load_config(c, getuid(), err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(OAKLEY_AUTH_RSA_SIG, certs_auth_method(c->remotes->certs));
	certs_free_config(c);
	conf_free(c);
}

TEST(key_not_the_certificates)
{
	struct config *c = conf_with("b.pem", "a.key");
	char err[1024];

	ASSERT_NE(NULL, c);
	ASSERT_EQ(-1, certs_load_config(c, getuid(), err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "a.key: the private key does not belong "
			       "to certificate b.pem")) TH_LOG("%s", err);
	conf_free(c);
}

TEST(key_cannot_make_the_proposals_signatures)
{
	char text[1024], err[1024];
	struct config *c;

	snprintf(text, sizeof(text),
		 "path certificate \"" DIR "\";\n"
		 "remote anonymous {\n\tcertificate_type x509 \"a.pem\" "
		 "\"a.key\";\n\tca_type x509 \"ca.pem\";\n\tproposal {\n"
		 "\t\tencryption_algorithm aes;\n\t\thash_algorithm sha256;\n"
		 "\t\tauthentication_method ecdsa_sha256;\n\t\tdh_group 2;"
		 "\n\t}\n}\n");
	c = conf_parse_string("t.conf", text, err, sizeof(err));
	ASSERT_NE(NULL, c) TH_LOG("%s", err);
	ASSERT_EQ(-1, certs_load_config(c, getuid(), err, sizeof(err)));
	ASSERT_STREQ("proposal at line 5: the key of a.pem cannot make this "
		     "ecdsa method's signatures", err);
	certs_free_config(c);
	conf_free(c);
}

TEST(rsasig_main_mode)
{
	struct cparams a = { "a" }, b = { "b" };
	struct pair p;

	ASSERT_EQ(0, cert_setup(&p, &a, &b));
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	ASSERT_NE(NULL, strstr(pair_log(&p), "phase 1 with 10.0.0.2: "
			       "certificate of O = kameipsec, CN = b.example "
			       "accepted")) TH_LOG("%s", pair_log(&p));
	ASSERT_NE(NULL, strstr(pair_log(&p), "phase 1 with 10.0.0.1: "
			       "certificate of O = kameipsec, CN = a.example "
			       "accepted"));
	pair_free(&p);
}

TEST(rsasig_main_mode_other_role)
{
	struct cparams a = { "b" }, b = { "a" };
	struct pair p;

	/* A (10.0.0.1) proves itself with b's certificate: its ID is
	 * b's DN, which is in the certificate; addresses do not matter */
	ASSERT_EQ(0, cert_setup(&p, &a, &b));
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	pair_free(&p);
}

TEST(rsasig_aggressive_mode)
{
	struct cparams a = { "a", .mode = "aggressive" };
	struct cparams b = { "b", .mode = "aggressive" };
	struct pair p;

	ASSERT_EQ(0, cert_setup(&p, &a, &b));
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	ASSERT_EQ(ETYPE_AGGRESSIVE, p.a.ike->ph1s->etype);
	pair_free(&p);
}

TEST(ecdsa_main_and_aggressive)
{
	struct cparams a = { "ea", "ecdsa_sha256" }, b = { "eb", "ecdsa_sha256" };
	struct cparams aa = { "ea", "ecdsa_sha256", "aggressive" };
	struct cparams ab = { "eb", "ecdsa_sha256", "aggressive" };
	struct pair p;

	ASSERT_EQ(0, cert_setup(&p, &a, &b));
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	pair_free(&p);
	ASSERT_EQ(0, cert_setup(&p, &aa, &ab));
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	pair_free(&p);
}

static void refused_by(struct __test_metadata *_metadata,
		       const struct cparams *b, const char *why);

/* RFC 4754 ECDSA-384/521: SHA-384/512 as the phase 1 hash, groups 20/21 */
static void ecdsa_both_modes(struct __test_metadata *_metadata,
			     const char *bits, const char *method,
			     const char *hash, int group, size_t hlen)
{
	char ca[16], cb[16];
	const char *modes[] = { "main", "aggressive" };
	struct pair p;

	snprintf(ca, sizeof(ca), "ea%s", bits);
	snprintf(cb, sizeof(cb), "eb%s", bits);
	for (int i = 0; i < 2; i++) {
		struct cparams a = { ca, method, modes[i], .hash = hash,
				     .group = group };
		struct cparams b = { cb, method, modes[i], .hash = hash,
				     .group = group };
		ASSERT_EQ(0, cert_setup(&p, &a, &b));
		ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
		ASSERT_EQ(i ? ETYPE_AGGRESSIVE : ETYPE_IDENT,
			  p.a.ike->ph1s->etype);
		ASSERT_EQ(hlen, p.a.ike->ph1s->keys.hlen);
		ASSERT_EQ(hlen, p.b.ike->ph1s->keys.hlen);
		ASSERT_EQ(group, p.b.ike->ph1s->group);
		ASSERT_NE(NULL, strstr(pair_log(&p), "certificate of O = "
				       "kameipsec, CN = a.example accepted"))
			TH_LOG("%s", pair_log(&p));
		pair_free(&p);
	}
}

TEST(ecdsa384_sha384_main_and_aggressive)
{
	ecdsa_both_modes(_metadata, "384", "ecdsa_sha384", "sha384", 20, 48);
}

TEST(ecdsa521_sha512_main_and_aggressive)
{
	ecdsa_both_modes(_metadata, "521", "ecdsa_sha512", "sha512", 21, 64);
}

/* The SIG body is r || s, each as long as the curve's order (RFC 4754). */
TEST(ecdsa_signature_lengths)
{
	static const struct {
		const char *cert, *method, *hash;
		size_t hlen, siglen;
	} t[] = {
		{ "ea", "ecdsa_sha256", "sha256", 32, 64 },
		{ "ea384", "ecdsa_sha384", "sha384", 48, 96 },
		{ "ea521", "ecdsa_sha512", "sha512", 64, 132 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cparams cp = { t[i].cert, t[i].method, .hash = t[i].hash };
		char *text = cert_conf(&cp), err[1024];
		struct config *c = conf_parse_string("t.conf", text, err,
						     sizeof(err));
		uint8_t h[64], *sig;
		size_t siglen = 0;
		X509 *x = load_pem(t[i].cert);

		ASSERT_NE(NULL, c) TH_LOG("%s", err);
		ASSERT_EQ(0, certs_load_config(c, getuid(), err, sizeof(err)))
			TH_LOG("%s", err);
		memset(h, 0x5a, sizeof(h));
		sig = certs_sign(c->remotes->certs, h, t[i].hlen, &siglen);
		ASSERT_NE(NULL, sig);
		ASSERT_EQ(t[i].siglen, siglen);
		ASSERT_TRUE(certs_check_sig(x, h, t[i].hlen, sig, siglen));
		h[0] ^= 1;
		ASSERT_FALSE(certs_check_sig(x, h, t[i].hlen, sig, siglen));
		ASSERT_FALSE(certs_check_sig(x, h, t[i].hlen, sig, siglen - 1));
		free(sig);
		X509_free(x);
		certs_free_config(c);
		conf_free(c);
		free(text);
	}
}

TEST(ecdsa_key_and_method_must_agree)
{
	/* a P-384 key cannot make ECDSA-521 signatures: refused at load */
	struct cparams a = { "ea384", "ecdsa_sha512", .hash = "sha512",
			     .group = 21 };
	char *text = cert_conf(&a), err[1024];
	struct config *c = conf_parse_string("t.conf", text, err, sizeof(err));

	ASSERT_NE(NULL, c) TH_LOG("%s", err);
	ASSERT_EQ(-1, certs_load_config(c, getuid(), err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "the key of ea384.pem cannot make this "
			       "ecdsa method's signatures")) TH_LOG("%s", err);
	certs_free_config(c);
	conf_free(c);
	free(text);
}

/* Both send leaf + intermediate from their certificate file. */
TEST(intermediate_ca_chain_both_ways)
{
	struct cparams a = { "ia", .chain = "ia-chain.pem" };
	struct cparams b = { "ib", .chain = "ib-chain.pem" };
	struct cparams aa = { "ia", .mode = "aggressive",
			      .chain = "ia-chain.pem" };
	struct cparams ab = { "ib", .mode = "aggressive",
			      .chain = "ib-chain.pem" };
	struct pair p;

	ASSERT_EQ(0, cert_setup(&p, &a, &b));
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	ASSERT_NE(NULL, strstr(pair_log(&p), "certificate of O = kameipsec, "
			       "CN = b.example accepted"));
	ASSERT_NE(NULL, strstr(pair_log(&p), "certificate of O = kameipsec, "
			       "CN = a.example accepted"));
	pair_free(&p);
	ASSERT_EQ(0, cert_setup(&p, &aa, &ab));
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	pair_free(&p);
}

/* Without the intermediate, the root alone cannot vouch for the leaf. */
TEST(leaf_without_its_intermediate_refused)
{
	refused_by(_metadata, &(struct cparams){ "ib" },
		   "phase 1 with 10.0.0.2 failed: certificate refused: unable "
		   "to get local issuer certificate (O = kameipsec, CN = "
		   "b.example)");
}

TEST(chain_file_with_garbage_refused)
{
	struct config *c = conf_with("bad-chain.pem", "ia.key");
	char err[1024];

	ASSERT_EQ(0, system("cd " DIR " && { cat ia.pem; printf -- '-----BEGIN "
			    "CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE"
			    "-----\\n'; } >bad-chain.pem"));
	ASSERT_NE(NULL, c);
	ASSERT_EQ(-1, certs_load_config(c, getuid(), err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "bad-chain.pem: certificate 2 is not PEM "
			       "X.509")) TH_LOG("%s", err);
	conf_free(c);
}

TEST(address_and_fqdn_ids_match_subjectaltname)
{
	struct cparams a = { "a", .extra = "\tmy_identifier address;\n" };
	struct cparams b = { "b", .extra = "\tmy_identifier fqdn \"b.example\";\n" };
	struct pair p;

	ASSERT_EQ(0, cert_setup(&p, &a, &b));
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	pair_free(&p);
}

/* B proves itself as @b says; A must refuse with @why. */
static void refused_by(struct __test_metadata *_metadata,
		       const struct cparams *b, const char *why)
{
	struct cparams a = { "a" };
	struct pair p;

	ASSERT_EQ(0, cert_setup(&p, &a, b));
	ASSERT_FALSE(negotiated(&p));
	EXPECT_EQ(0, p.a.k.nsa + p.b.k.nsa);
	EXPECT_EQ(0, p.a.ike->stats.ph1_established);
	EXPECT_NE(NULL, strstr(pair_log(&p), why)) TH_LOG("%s", pair_log(&p));
	pair_free(&p);
}

/* B proves itself with @cert (and @extra); A must refuse with @why. */
static void refused(struct __test_metadata *_metadata, const char *cert,
		    const char *extra, const char *why)
{
	struct cparams a = { "a" }, b = { cert, .extra = extra };
	struct pair p;

	ASSERT_EQ(0, cert_setup(&p, &a, &b));
	ASSERT_FALSE(negotiated(&p));
	EXPECT_EQ(0, p.a.k.nsa + p.b.k.nsa);
	EXPECT_EQ(0, p.a.ike->stats.ph1_established);
	EXPECT_NE(NULL, strstr(pair_log(&p), why)) TH_LOG("%s", pair_log(&p));
	pair_free(&p);
}

TEST(expired_certificate_refused)
{
	refused(_metadata, "expired", NULL, "phase 1 with 10.0.0.2 failed: "
		"certificate refused: certificate has expired (O = kameipsec, "
		"CN = b.example)");
}

TEST(revoked_certificate_refused)
{
	refused(_metadata, "revoked", NULL, "phase 1 with 10.0.0.2 failed: "
		"certificate refused: certificate revoked (O = kameipsec, "
		"CN = b.example)");
}

TEST(unknown_ca_refused)
{
	refused(_metadata, "rogue", NULL, "phase 1 with 10.0.0.2 failed: "
		"certificate refused: unable to get local issuer certificate "
		"(O = kameipsec, CN = b.example)");
}

TEST(key_usage_refused)
{
	refused(_metadata, "nosig", NULL, "phase 1 with 10.0.0.2 failed: "
		"certificate refused: its key usage does not allow signatures");
}

TEST(id_not_in_certificate_refused)
{
	refused(_metadata, "b", "\tmy_identifier fqdn \"c.example\";\n",
		"phase 1 with 10.0.0.2 failed: certificate refused: the peer's "
		"ID (fqdn \"c.example\") is not in its certificate (O = "
		"kameipsec, CN = b.example)");
}

TEST(pinned_peer_certificate)
{
	struct cparams a = { "a", .extra = "\tpeers_certfile x509 \"b.pem\";\n" };
	struct cparams b = { "b", .extra = "\tsend_cert off;\n" };
	struct cparams wrong = { "a", .extra = "\tpeers_certfile x509 \"ea.pem\";\n" };
	struct pair p;

	/* B sends no certificate: A uses the pinned one */
	ASSERT_EQ(0, cert_setup(&p, &a, &b));
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	pair_free(&p);
	ASSERT_EQ(0, cert_setup(&p, &wrong, &(struct cparams){ "b" }));
	ASSERT_FALSE(negotiated(&p));
	ASSERT_NE(NULL, strstr(pair_log(&p), "certificate refused: the peer's "
			       "(O = kameipsec, CN = b.example) is not the one "
			       "in peers_certfile")) TH_LOG("%s", pair_log(&p));
	pair_free(&p);
}

TEST(verify_identifier_asn1dn)
{
	struct cparams ok = { "a", .extra = "\tverify_identifier on;\n"
			      "\tpeers_identifier asn1dn \"O=kameipsec, "
			      "CN=b.example\";\n" };
	struct cparams bad = { "a", .extra = "\tverify_identifier on;\n"
			       "\tpeers_identifier asn1dn \"/O=kameipsec/"
			       "CN=c.example\";\n" };
	struct pair p;

	ASSERT_EQ(0, cert_setup(&p, &ok, &(struct cparams){ "b" }));
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	pair_free(&p);
	ASSERT_EQ(0, cert_setup(&p, &bad, &(struct cparams){ "b" }));
	ASSERT_FALSE(negotiated(&p));
	ASSERT_NE(NULL, strstr(pair_log(&p), "the peer's ID (asn1dn \"O = "
			       "kameipsec, CN = b.example\") is not its "
			       "peers_identifier")) TH_LOG("%s", pair_log(&p));
	pair_free(&p);
}

/* frag_split()'s fragments, collected. */
struct frags {
	uint8_t f[FRAG_MAX + 4][FRAG_MAXLEN];
	size_t len[FRAG_MAX + 4];
	int n;
};

static void collect(void *arg, const uint8_t *f, size_t flen)
{
	struct frags *c = arg;

	memcpy(c->f[c->n], f, flen);
	c->len[c->n++] = flen;
}

TEST(ike_fragments_split_and_join)
{
	static struct frags c;
	uint8_t msg[3000], *out = NULL;
	struct frag_rx r = { 0 };
	const char *err = NULL;
	size_t outlen;
	int n;

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7);
	msg[16] = PL_ID;	/* a header as phase 1 has it */
	n = frag_split(msg, sizeof(msg), collect, &c);
	ASSERT_EQ(6, n);	/* 516 bytes each */
	for (int i = 0; i < n; i++) {
		ASSERT_GE(FRAG_MAXLEN, c.len[i]);
		ASSERT_EQ(PL_FRAG, c.f[i][16]);
		ASSERT_EQ(0, memcmp(c.f[i], msg, 16));	/* the cookies */
	}
	/* out of order, with a duplicate: whole after the last one needed */
	ASSERT_EQ(0, frag_add(&r, c.f[5], c.len[5], &out, &outlen, &err));
	ASSERT_EQ(0, frag_add(&r, c.f[0], c.len[0], &out, &outlen, &err));
	ASSERT_EQ(0, frag_add(&r, c.f[0], c.len[0], &out, &outlen, &err));
	for (int i = 4; i >= 2; i--)
		ASSERT_EQ(0, frag_add(&r, c.f[i], c.len[i], &out, &outlen,
				      &err));
	ASSERT_EQ(1, frag_add(&r, c.f[1], c.len[1], &out, &outlen, &err));
	ASSERT_EQ(sizeof(msg), outlen);
	ASSERT_EQ(0, memcmp(msg, out, sizeof(msg)));
	free(out);
	/* a payload length that disagrees with the datagram */
	ASSERT_EQ(-1, frag_add(&r, c.f[0], c.len[0] - 1, &out, &outlen, &err));
	ASSERT_STREQ("IKE fragment payload length wrong", err);
	/* fragment number 0 */
	c.f[1][34] = 0;
	ASSERT_EQ(-1, frag_add(&r, c.f[1], c.len[1], &out, &outlen, &err));
	ASSERT_STREQ("IKE fragment number out of range", err);
	/* a fragment numbered after the last one */
	c.f[1][34] = 9;
	ASSERT_EQ(0, frag_add(&r, c.f[1], c.len[1], &out, &outlen, &err));
	c.f[1][34] = 2;
	for (int i = 0; i < n - 1; i++)
		ASSERT_EQ(0, frag_add(&r, c.f[i], c.len[i], &out, &outlen,
				      &err));
	ASSERT_EQ(-1, frag_add(&r, c.f[n - 1], c.len[n - 1], &out, &outlen,
			       &err));
	ASSERT_STREQ("IKE fragment after the last one", err);
	frag_clear(&r);
}

/* A 4096-bit certificate over a 1280-byte path that loses IP fragments. */
TEST(ike_frag_carries_a_big_certificate)
{
	struct cparams a = { "a4096" }, b = { "b" };
	struct cparams fa = { "a4096", .extra = "\tike_frag on;\n" };
	struct cparams fb = { "b", .extra = "\tike_frag on;\n" };
	struct pair p;

	/* without fragmentation, A's message 5 never arrives */
	ASSERT_EQ(0, cert_setup(&p, &a, &b));
	p.a.mtu = p.b.mtu = 1280;
	ASSERT_FALSE(negotiated(&p));
	ASSERT_LT(0, p.a.too_big);
	pair_free(&p);
	ASSERT_EQ(0, cert_setup(&p, &fa, &fb));
	p.a.mtu = p.b.mtu = 1280;
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	ASSERT_EQ(0, p.a.too_big + p.b.too_big);
	ASSERT_NE(NULL, strstr(pair_log(&p), "as 4 IKE fragments"))
		TH_LOG("%s", pair_log(&p));
	ASSERT_NE(NULL, strstr(pair_log(&p), "IKE fragments put together"));
	pair_free(&p);
}

/*
 * A 4096-bit RSA chain (leaf and intermediate, ~3 KB of CERT payloads)
 * over a 1280-byte path that loses IP fragments: IKE fragments carry it,
 * and the peer verifies the leaf through the intermediate to the root.
 */
TEST(ike_frag_carries_a_4096_bit_chain)
{
	struct cparams a = { "i4096", .chain = "i4096-chain.pem" };
	struct cparams b = { "ib", .chain = "ib-chain.pem" };
	struct cparams fa = { "i4096", .chain = "i4096-chain.pem",
			      .extra = "\tike_frag on;\n" };
	struct cparams fb = { "ib", .chain = "ib-chain.pem",
			      .extra = "\tike_frag on;\n" };
	struct pair p;

	ASSERT_EQ(0, cert_setup(&p, &a, &b));
	p.a.mtu = p.b.mtu = 1280;
	ASSERT_FALSE(negotiated(&p));
	ASSERT_LT(0, p.a.too_big);
	pair_free(&p);
	ASSERT_EQ(0, cert_setup(&p, &fa, &fb));
	p.a.mtu = p.b.mtu = 1280;
	ASSERT_TRUE(negotiated(&p)) TH_LOG("%s", pair_log(&p));
	ASSERT_EQ(0, p.a.too_big + p.b.too_big);
	ASSERT_NE(NULL, strstr(pair_log(&p), "IKE fragments put together"));
	ASSERT_NE(NULL, strstr(pair_log(&p), "certificate of O = kameipsec, "
			       "CN = a.example accepted"))
		TH_LOG("%s", pair_log(&p));
	pair_free(&p);
}

TEST_HARNESS_MAIN
