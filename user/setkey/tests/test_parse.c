// SPDX-License-Identifier: BSD-3-Clause
/*
 * setkey parser round trips: statement text -> PF_KEY messages -> every
 * field checked. No kernel involved.
 */
#include <netinet/in.h>
#include <arpa/inet.h>
#include "../parse.h"
#include "../../libipsec/pfkey_msg.h"
#include "kselftest_harness.h"

#define MAXCMD 16

struct parsed {
	struct sk_parser p;
	struct sk_cmd cmd[MAXCMD];
	int n;
	int errors;
	int errline;
	char err[512];
};

/* Parses all of text; remembers the first error. */
static void parse_text(struct parsed *r, const char *text, int rfc)
{
	struct sk_cmd c;
	int k;

	memset(r, 0, sizeof(*r));
	sk_parser_init(&r->p, "test.conf");
	r->p.pid = 4242;
	r->p.rfc_mode = rfc;
	sk_lex_init_mem(&r->p.lx, text, strlen(text));
	while ((k = sk_parse_next(&r->p, &c)) != 0) {
		if (k < 0) {
			if (!r->errors++) {
				r->errline = r->p.errline;
				snprintf(r->err, sizeof(r->err), "%s", r->p.err);
			}
			continue;
		}
		if (r->n < MAXCMD)
			r->cmd[r->n++] = c;
		else
			sk_cmd_free(&c);
	}
}

static void parsed_free(struct parsed *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		sk_cmd_free(&r->cmd[i]);
	sk_parser_free(&r->p);
}

/* Extension table of message i of command c. */
static struct sadb_msg *msg(struct parsed *r, int c, int i, caddr_t *mhp)
{
	struct sadb_msg *m;

	if (c >= r->n || (size_t)i >= r->cmd[c].nmsgs)
		return NULL;
	m = r->cmd[c].msgs[i].m;
	if (pfkey_align(m, mhp) || pfkey_check(mhp))
		return NULL;
	if ((size_t)m->sadb_msg_len * 8 != r->cmd[c].msgs[i].len)
		return NULL;
	return m;
}

#define EXT(t) ((void *)mhp[t])

static uint32_t addr4(const struct sadb_address *a)
{
	return ntohl(((const struct sockaddr_in *)(a + 1))->sin_addr.s_addr);
}

static unsigned int port_of(const struct sadb_address *a)
{
	return pfkey_sockaddr_port((const struct sockaddr *)(a + 1));
}

TEST(add_esp_every_option)
{
	struct parsed r;
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct sadb_msg *m;
	struct sadb_sa *sa;
	struct sadb_x_sa2 *sa2;
	struct sadb_key *ke, *ka;
	struct sadb_lifetime *h, *s;

	parse_text(&r, "add 10.1.1.1 20.1.1.1 esp 0x10001 -m tunnel -u 5 -r 32 "
		   "-lh 3600 -ls 2880 -bh 100000 -bs 80000 "
		   "-E aes-cbc 0x00112233445566778899aabbccddeeff "
		   "-A hmac-sha1 \"12345678901234567890\";", 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%d: %s", r.errline, r.err);
	ASSERT_EQ(1, r.n);
	EXPECT_EQ(SK_SEND, r.cmd[0].kind);
	EXPECT_STREQ("add", r.cmd[0].name);
	EXPECT_EQ(1, r.cmd[0].line);
	m = msg(&r, 0, 0, mhp);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(SADB_ADD, m->sadb_msg_type);
	EXPECT_EQ(SADB_SATYPE_ESP, m->sadb_msg_satype);
	EXPECT_EQ(4242, m->sadb_msg_pid);
	EXPECT_EQ(1, m->sadb_msg_seq);
	sa = EXT(SADB_EXT_SA);
	ASSERT_NE(NULL, sa);
	EXPECT_EQ(htonl(0x10001), sa->sadb_sa_spi);
	EXPECT_EQ(32, sa->sadb_sa_replay);
	EXPECT_EQ(SADB_SASTATE_LARVAL, sa->sadb_sa_state);
	EXPECT_EQ(SADB_X_EALG_AESCBC, sa->sadb_sa_encrypt);
	EXPECT_EQ(SADB_AALG_SHA1HMAC, sa->sadb_sa_auth);
	EXPECT_EQ(SADB_X_EXT_CYCSEQ, sa->sadb_sa_flags);
	sa2 = EXT(SADB_X_EXT_SA2);
	ASSERT_NE(NULL, sa2);
	EXPECT_EQ(IPSEC_MODE_TUNNEL, sa2->sadb_x_sa2_mode);
	EXPECT_EQ(5, sa2->sadb_x_sa2_reqid);
	EXPECT_EQ(0x0a010101, addr4(EXT(SADB_EXT_ADDRESS_SRC)));
	EXPECT_EQ(0x14010101, addr4(EXT(SADB_EXT_ADDRESS_DST)));
	EXPECT_EQ(255, ((struct sadb_address *)EXT(SADB_EXT_ADDRESS_SRC))->sadb_address_proto);
	EXPECT_EQ(32, ((struct sadb_address *)EXT(SADB_EXT_ADDRESS_DST))->sadb_address_prefixlen);
	ke = EXT(SADB_EXT_KEY_ENCRYPT);
	ka = EXT(SADB_EXT_KEY_AUTH);
	ASSERT_NE(NULL, ke);
	ASSERT_NE(NULL, ka);
	EXPECT_EQ(128, ke->sadb_key_bits);
	EXPECT_EQ(0xff, ((uint8_t *)(ke + 1))[15]);
	EXPECT_EQ(160, ka->sadb_key_bits);
	EXPECT_EQ(0, memcmp(ka + 1, "12345678901234567890", 20));
	h = EXT(SADB_EXT_LIFETIME_HARD);
	s = EXT(SADB_EXT_LIFETIME_SOFT);
	ASSERT_NE(NULL, h);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(3600, h->sadb_lifetime_addtime);
	EXPECT_EQ(2880, s->sadb_lifetime_addtime);
	EXPECT_EQ(100000, h->sadb_lifetime_bytes);
	EXPECT_EQ(80000, s->sadb_lifetime_bytes);
	EXPECT_EQ(NULL, EXT(SADB_EXT_SPIRANGE));
	parsed_free(&r);
}

TEST(lifetime_partner_and_no_lifetime)
{
	struct parsed r;
	caddr_t mhp[SADB_EXT_MAX + 1];

	parse_text(&r, "add 1.1.1.1 2.2.2.2 ah 300 -lh 60 -A hmac-md5 0x00112233445566778899aabbccddeeff;"
		   "add 1.1.1.1 2.2.2.2 ah 301 -A hmac-md5 0x00112233445566778899aabbccddeeff;", 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%s", r.err);
	ASSERT_NE(NULL, msg(&r, 0, 0, mhp));
	ASSERT_NE(NULL, EXT(SADB_EXT_LIFETIME_SOFT));
	EXPECT_EQ(60, ((struct sadb_lifetime *)EXT(SADB_EXT_LIFETIME_HARD))->sadb_lifetime_addtime);
	EXPECT_EQ(0, ((struct sadb_lifetime *)EXT(SADB_EXT_LIFETIME_SOFT))->sadb_lifetime_addtime);
	EXPECT_EQ(NULL, EXT(SADB_EXT_KEY_ENCRYPT));
	ASSERT_NE(NULL, msg(&r, 1, 0, mhp));
	EXPECT_EQ(NULL, EXT(SADB_EXT_LIFETIME_HARD));
	EXPECT_EQ(NULL, EXT(SADB_EXT_LIFETIME_SOFT));
	parsed_free(&r);
}

struct alg_case {
	const char *stmt;
	unsigned int satype, encrypt, auth, flags, ebits, abits;
};

static const struct alg_case alg_cases[] = {
	{ "add ::1 ::2 esp 1000 -E des-cbc 0x0011223344556677;", 3, 2, 0, 0x40, 64, 0 },
	{ "add ::1 ::2 esp 1000 -E 3des-cbc \"123456789012345678901234\";", 3, 3, 0, 0x40, 192, 0 },
	{ "add ::1 ::2 esp 1000 -E null;", 3, 11, 0, 0x40, 0, 0 },
	{ "add ::1 ::2 esp 1000 -E null \"\" -A hmac-sha512 0x" "00112233445566778899aabbccddeeff" "00112233445566778899aabbccddeeff" "00112233445566778899aabbccddeeff" "00112233445566778899aabbccddeeff;", 3, 11, 7, 0x40, 0, 512 },
	{ "add ::1 ::2 esp 1000 -E blowfish-cbc \"12345\";", 3, 7, 0, 0x40, 40, 0 },
	{ "add ::1 ::2 esp 1000 -E cast128-cbc \"1234567890123456\";", 3, 6, 0, 0x40, 128, 0 },
	{ "add ::1 ::2 esp 1000 -E rijndael-cbc \"123456789012345678901234\";", 3, 12, 0, 0x40, 192, 0 },
	{ "add ::1 ::2 esp 1000 -E twofish-cbc \"12345678901234567890123456789012\";", 3, 253, 0, 0x40, 256, 0 },
	{ "add ::1 ::2 esp 1000 -E aes-ctr \"12345678901234567890\";", 3, 13, 0, 0, 160, 0 },
	{ "add ::1 ::2 esp 1000 -E camellia-cbc \"1234567890123456\";", 3, 22, 0, 0x40, 128, 0 },
	{ "add ::1 ::2 esp 1000 -E aes-gcm-16 \"12345678901234567890\";", 3, 20, 0, 0, 160, 0 },
	{ "add ::1 ::2 esp 1000 -E aes-gcm-12 \"123456789012345678901234567890123456\";", 3, 19, 0, 0, 288, 0 },
	{ "add ::1 ::2 esp 1000 -E aes-ccm-8 \"1234567890123456789\";", 3, 14, 0, 0, 152, 0 },
	{ "add ::1 ::2 esp 1000 -E aes-gmac \"12345678901234567890\";", 3, 23, 0, 0, 160, 0 },
	{ "add ::1 ::2 esp 1000 -E chacha20-poly1305 \"123456789012345678901234567890123456\";", 3, 28, 0, 0, 288, 0 },
	{ "add ::1 ::2 esp 1000 -E aes-cbc \"1234567890123456\" -A hmac-sha256 \"12345678901234567890123456789012\";", 3, 12, 5, 0x40, 128, 256 },
	{ "add ::1 ::2 esp 1000 -E aes-cbc \"1234567890123456\" -A hmac-sha256-128 \"12345678901234567890123456789012\";", 3, 12, 12, 0x40, 128, 256 },
	{ "add ::1 ::2 ah 1000 -A hmac-sha2-256-128 \"12345678901234567890123456789012\";", 2, 0, 12, 0x40, 0, 256 },
	{ "add ::1 ::2 ah 1000 -A hmac-sha384 \"123456789012345678901234567890123456789012345678\";", 2, 0, 6, 0x40, 0, 384 },
	{ "add ::1 ::2 ah 1000 -A hmac-ripemd160 \"12345678901234567890\";", 2, 0, 8, 0x40, 0, 160 },
	{ "add ::1 ::2 ah 1000 -A aes-xcbc-mac \"1234567890123456\";", 2, 0, 9, 0x40, 0, 128 },
	{ "add ::1 ::2 ah 1000 -A keyed-md5 \"1234567890123456\";", 2, 0, 249, 0x40, 0, 128 },
	{ "add ::1 ::2 ah 1000 -A keyed-sha1 \"12345678901234567890\";", 2, 0, 250, 0x40, 0, 160 },
	{ "add ::1 ::2 ah 1000 -A null;", 2, 0, 251, 0x40, 0, 0 },
	{ "add ::1 ::2 ah-old 1000 -A hmac-md5 \"1234567890123456\";", 2, 0, 2, 0x41, 0, 128 },
	{ "add ::1 ::2 esp-old 1000 -E des-deriv 0x0011223344556677;", 3, 2, 0, 0x61, 64, 0 },
	{ "add ::1 ::2 esp-old 1000 -E des-32iv 0x0011223344556677;", 3, 2, 0, 0x51, 64, 0 },
	{ "add ::1 ::2 esp-old 1000 -E simple \"abc\";", 3, 11, 0, 0x41, 24, 0 },
	{ "add ::1 ::2 ipcomp 1000 -C deflate;", 9, 2, 0, 0x40, 0, 0 },
	{ "add ::1 ::2 ipcomp 1000 -C lzs -R;", 9, 3, 0, 0xc0, 0, 0 },
	{ "add ::1 ::2 esp 1000 -f zero-pad -E null;", 3, 11, 0, 0x240, 0, 0 },
	{ "add ::1 ::2 esp 1000 -f random-pad -f nocyclic-seq -E null;", 3, 11, 0, 0x100, 0, 0 },
	{ "add ::1 ::2 esp 1000 -E aes-cbc 0x1234567890123456789012345678901;", 3, 12, 0, 0x40, 128, 0 },
};

TEST(every_algorithm)
{
	size_t i;

	for (i = 0; i < sizeof(alg_cases) / sizeof(alg_cases[0]); i++) {
		const struct alg_case *c = &alg_cases[i];
		caddr_t mhp[SADB_EXT_MAX + 1];
		struct parsed r;
		struct sadb_sa *sa;
		struct sadb_key *k;

		parse_text(&r, c->stmt, 0);
		ASSERT_EQ(0, r.errors) TH_LOG("%s: %s", c->stmt, r.err);
		ASSERT_NE(NULL, msg(&r, 0, 0, mhp));
		sa = EXT(SADB_EXT_SA);
		EXPECT_EQ(c->satype, r.cmd[0].msgs[0].m->sadb_msg_satype) TH_LOG("%s", c->stmt);
		EXPECT_EQ(c->encrypt, sa->sadb_sa_encrypt) TH_LOG("%s", c->stmt);
		EXPECT_EQ(c->auth, sa->sadb_sa_auth) TH_LOG("%s", c->stmt);
		EXPECT_EQ(c->flags, sa->sadb_sa_flags) TH_LOG("%s", c->stmt);
		k = EXT(SADB_EXT_KEY_ENCRYPT);
		if (c->satype == SADB_SATYPE_ESP) {
			ASSERT_NE(NULL, k) TH_LOG("%s", c->stmt);
			EXPECT_EQ(c->ebits, k->sadb_key_bits) TH_LOG("%s", c->stmt);
		} else {
			EXPECT_EQ(NULL, k) TH_LOG("%s", c->stmt);
		}
		k = EXT(SADB_EXT_KEY_AUTH);
		if (c->auth) {
			ASSERT_NE(NULL, k) TH_LOG("%s", c->stmt);
			EXPECT_EQ(c->abits, k->sadb_key_bits) TH_LOG("%s", c->stmt);
		} else {
			EXPECT_EQ(NULL, k) TH_LOG("%s", c->stmt);
		}
		parsed_free(&r);
	}
}

TEST(odd_hex_key_gets_leading_zero)
{
	struct parsed r;
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct sadb_key *k;

	parse_text(&r, "add ::1 ::2 esp 1000 -E des-cbc 0x11223344556677;", 0);
	ASSERT_EQ(1, r.errors);	/* 56 bits: too short for DES */
	EXPECT_STREQ("des-cbc needs a 64-bit key, got 56 bits; give 8 bytes (0x and 16 hex digits)", r.err);
	parsed_free(&r);
	parse_text(&r, "add ::1 ::2 esp 1000 -E des-cbc 0x123456789abcdef;", 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%s", r.err);
	ASSERT_NE(NULL, msg(&r, 0, 0, mhp));
	k = EXT(SADB_EXT_KEY_ENCRYPT);
	EXPECT_EQ(0x01, ((uint8_t *)(k + 1))[0]);
	EXPECT_EQ(0xef, ((uint8_t *)(k + 1))[7]);
	parsed_free(&r);
}

TEST(sa_commands)
{
	struct parsed r;
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct sadb_msg *m;
	struct sadb_spirange *sr;

	parse_text(&r,
		   "update 10.0.0.1 10.0.0.2 esp 0x1000 -E null;\n"
		   "getspi 10.0.0.1 10.0.0.2 esp 0x2000 -m transport -u 9;\n"
		   "getspi 10.0.0.1 10.0.0.2 ah 0;\n"
		   "get 10.0.0.1 10.0.0.2 ah 0x3000;\n"
		   "delete 10.0.0.1 10.0.0.2 ipcomp 0x4000;\n"
		   "deleteall 10.0.0.1 10.0.0.2 esp;\n"
		   "flush; flush esp; dump; dump ah;\n", 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%d: %s", r.errline, r.err);
	ASSERT_EQ(10, r.n);
	m = msg(&r, 0, 0, mhp);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(SADB_UPDATE, m->sadb_msg_type);

	m = msg(&r, 1, 0, mhp);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(SADB_GETSPI, m->sadb_msg_type);
	EXPECT_EQ(NULL, EXT(SADB_EXT_SA));
	sr = EXT(SADB_EXT_SPIRANGE);
	ASSERT_NE(NULL, sr);
	EXPECT_EQ(0x2000, sr->sadb_spirange_min);
	EXPECT_EQ(0x2000, sr->sadb_spirange_max);
	EXPECT_EQ(9, ((struct sadb_x_sa2 *)EXT(SADB_X_EXT_SA2))->sadb_x_sa2_reqid);
	EXPECT_EQ(IPSEC_MODE_TRANSPORT, ((struct sadb_x_sa2 *)EXT(SADB_X_EXT_SA2))->sadb_x_sa2_mode);
	m = msg(&r, 2, 0, mhp);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(NULL, EXT(SADB_EXT_SPIRANGE));

	m = msg(&r, 3, 0, mhp);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(SK_GET, r.cmd[3].kind);
	EXPECT_EQ(SADB_GET, m->sadb_msg_type);
	EXPECT_EQ(htonl(0x3000), ((struct sadb_sa *)EXT(SADB_EXT_SA))->sadb_sa_spi);
	EXPECT_EQ(NULL, EXT(SADB_X_EXT_SA2));
	EXPECT_EQ(NULL, EXT(SADB_EXT_KEY_AUTH));

	m = msg(&r, 4, 0, mhp);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(SADB_DELETE, m->sadb_msg_type);
	EXPECT_EQ(SADB_X_SATYPE_IPCOMP, m->sadb_msg_satype);
	EXPECT_NE(NULL, EXT(SADB_EXT_SA));

	m = msg(&r, 5, 0, mhp);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(SK_DELETEALL, r.cmd[5].kind);
	EXPECT_EQ(SADB_DELETE, m->sadb_msg_type);
	EXPECT_EQ(NULL, EXT(SADB_EXT_SA));
	EXPECT_EQ(SADB_SATYPE_ESP, r.cmd[5].satype);

	m = msg(&r, 6, 0, mhp);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(SADB_FLUSH, m->sadb_msg_type);
	EXPECT_EQ(0, m->sadb_msg_satype);
	EXPECT_EQ(2, m->sadb_msg_len);
	EXPECT_EQ(7, r.cmd[6].line);
	m = msg(&r, 7, 0, mhp);
	EXPECT_EQ(SADB_SATYPE_ESP, m->sadb_msg_satype);
	EXPECT_EQ(SK_DUMP, r.cmd[8].kind);
	EXPECT_EQ(0, r.cmd[8].satype);
	EXPECT_EQ(SK_DUMP, r.cmd[9].kind);
	EXPECT_EQ(SADB_SATYPE_AH, r.cmd[9].satype);
	parsed_free(&r);
}

TEST(esp_udp_nat_t)
{
	struct parsed r;
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct sadb_x_nat_t_type *t;
	struct sadb_x_nat_t_port *sp, *dp;
	struct sadb_address *oa;

	parse_text(&r, "add 192.0.2.1[4500] 198.51.100.2[4501] esp-udp 10.0.0.9 0x100 "
		   "-m transport -E aes-cbc \"1234567890123456\" -A hmac-sha1 \"12345678901234567890\";", 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%s", r.err);
	ASSERT_NE(NULL, msg(&r, 0, 0, mhp));
	t = EXT(SADB_X_EXT_NAT_T_TYPE);
	sp = EXT(SADB_X_EXT_NAT_T_SPORT);
	dp = EXT(SADB_X_EXT_NAT_T_DPORT);
	oa = EXT(SADB_X_EXT_NAT_T_OA);
	ASSERT_NE(NULL, t);
	ASSERT_NE(NULL, sp);
	ASSERT_NE(NULL, dp);
	ASSERT_NE(NULL, oa);
	EXPECT_EQ(2, t->sadb_x_nat_t_type_type);
	EXPECT_EQ(htons(4500), sp->sadb_x_nat_t_port_port);
	EXPECT_EQ(htons(4501), dp->sadb_x_nat_t_port_port);
	EXPECT_EQ(0x0a000009, addr4(oa));
	EXPECT_EQ(4500, port_of(EXT(SADB_EXT_ADDRESS_SRC)));
	parsed_free(&r);
}

/* The KAME/ipsec-tools grammar as a NAT-T howto writes it; no OA. */
TEST(esp_udp_ports_default_and_no_oa)
{
	struct parsed r;
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct sadb_x_nat_t_port *sp, *dp;
	struct sadb_msg *m;

	parse_text(&r, "add 10.0.0.1[4500] 10.0.0.2[4500] esp-udp 0x1000 -m transport "
		   "-E rijndael-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha1 "
		   "0x000102030405060708090a0b0c0d0e0f10111213;\n"
		   "add 10.0.0.2 10.0.0.1 esp-udp 0x1001 -m tunnel "
		   "-E rijndael-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha1 "
		   "0x000102030405060708090a0b0c0d0e0f10111213;", 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%s", r.err);
	m = msg(&r, 0, 0, mhp);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(SADB_SATYPE_ESP, m->sadb_msg_satype);
	ASSERT_NE(NULL, EXT(SADB_X_EXT_NAT_T_TYPE));
	EXPECT_EQ(2, ((struct sadb_x_nat_t_type *)EXT(SADB_X_EXT_NAT_T_TYPE))->sadb_x_nat_t_type_type);
	sp = EXT(SADB_X_EXT_NAT_T_SPORT);
	dp = EXT(SADB_X_EXT_NAT_T_DPORT);
	ASSERT_NE(NULL, sp);
	ASSERT_NE(NULL, dp);
	EXPECT_EQ(htons(4500), sp->sadb_x_nat_t_port_port);
	EXPECT_EQ(htons(4500), dp->sadb_x_nat_t_port_port);
	EXPECT_EQ(NULL, EXT(SADB_X_EXT_NAT_T_OA));
	/* No [port]: RFC 3948's 4500 both ways. */
	ASSERT_NE(NULL, msg(&r, 1, 0, mhp));
	sp = EXT(SADB_X_EXT_NAT_T_SPORT);
	dp = EXT(SADB_X_EXT_NAT_T_DPORT);
	ASSERT_NE(NULL, sp);
	ASSERT_NE(NULL, dp);
	EXPECT_EQ(htons(4500), sp->sadb_x_nat_t_port_port);
	EXPECT_EQ(htons(4500), dp->sadb_x_nat_t_port_port);
	parsed_free(&r);
}

TEST(host_names_and_families)
{
	struct parsed r;
	caddr_t mhp[SADB_EXT_MAX + 1];

	parse_text(&r, "delete -4 localhost 127.0.0.2 esp 300;", 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%s", r.err);
	ASSERT_EQ(1, r.cmd[0].nmsgs);
	ASSERT_NE(NULL, msg(&r, 0, 0, mhp));
	EXPECT_EQ(0x7f000001, addr4(EXT(SADB_EXT_ADDRESS_SRC)));
	parsed_free(&r);
	parse_text(&r, "delete -n localhost 127.0.0.2 esp 300;", 0);
	EXPECT_EQ(1, r.errors);
	EXPECT_STREQ("cannot resolve 'localhost': not a numeric address (-n)", r.err);
	parsed_free(&r);
	parse_text(&r, "delete -6 fe80::1%1 fe80::2 esp 300;", 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%s", r.err);
	ASSERT_NE(NULL, msg(&r, 0, 0, mhp));
	EXPECT_EQ(5, ((struct sadb_address *)EXT(SADB_EXT_ADDRESS_SRC))->sadb_address_len);
	EXPECT_EQ(1, ((struct sockaddr_in6 *)((struct sadb_address *)EXT(SADB_EXT_ADDRESS_SRC) + 1))->sin6_scope_id);
	parsed_free(&r);
}

TEST(spdadd_selectors_and_policy)
{
	struct parsed r;
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct sadb_msg *m;
	struct sadb_address *s, *d;
	struct sadb_x_policy *xp;
	const char *pol = "out prio def + 2 ipsec esp/tunnel/192.0.2.1-192.0.2.2/require ah/transport//unique:3";
	caddr_t want = ipsec_set_policy(pol, strlen(pol));
	char text[512];

	ASSERT_NE(NULL, want);
	snprintf(text, sizeof(text), "spdadd 10.0.0.0/24[any] 10.0.1.0/24[80] tcp -P %s;", pol);
	parse_text(&r, text, 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%s", r.err);
	m = msg(&r, 0, 0, mhp);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(SADB_X_SPDADD, m->sadb_msg_type);
	EXPECT_EQ(0, m->sadb_msg_satype);
	s = EXT(SADB_EXT_ADDRESS_SRC);
	d = EXT(SADB_EXT_ADDRESS_DST);
	EXPECT_EQ(24, s->sadb_address_prefixlen);
	EXPECT_EQ(IPPROTO_TCP, s->sadb_address_proto);
	EXPECT_EQ(IPPROTO_TCP, d->sadb_address_proto);
	EXPECT_EQ(0, port_of(s));
	EXPECT_EQ(80, port_of(d));
	EXPECT_EQ(0x0a000100, addr4(d));
	xp = EXT(SADB_X_EXT_POLICY);
	ASSERT_NE(NULL, xp);
	ASSERT_EQ(ipsec_get_policylen(want), (int)PFKEY_EXTLEN(xp));
	EXPECT_EQ(0, memcmp(want, xp, ipsec_get_policylen(want)));
	free(want);
	parsed_free(&r);
}

TEST(spd_upper_specs)
{
	struct parsed r;
	caddr_t mhp[SADB_EXT_MAX + 1];

	parse_text(&r,
		   "spdadd ::/0 ::/0 icmp6 135,0 -P out none;\n"
		   "spdadd 0.0.0.0/0 0.0.0.0/0 gre 0x10002 -P out none;\n"
		   "spdadd 10.0.0.1 10.0.0.2 any -P in discard;\n"
		   "spdadd 10.0.0.1 10.0.0.2 47 -P in discard;\n"
		   "spdadd 10.0.0.1 10.0.0.2 udp -P in discard;\n"
		   "spdadd 10.0.0.1[domain] 10.0.0.2 ip4 -P in discard;\n", 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%d: %s", r.errline, r.err);
	ASSERT_NE(NULL, msg(&r, 0, 0, mhp));
	EXPECT_EQ(IPPROTO_ICMPV6, ((struct sadb_address *)EXT(SADB_EXT_ADDRESS_SRC))->sadb_address_proto);
	EXPECT_EQ(0, ((struct sadb_address *)EXT(SADB_EXT_ADDRESS_SRC))->sadb_address_prefixlen);
	EXPECT_EQ(135, port_of(EXT(SADB_EXT_ADDRESS_SRC)));
	EXPECT_EQ(0, port_of(EXT(SADB_EXT_ADDRESS_DST)));
	ASSERT_NE(NULL, msg(&r, 1, 0, mhp));
	EXPECT_EQ(1, port_of(EXT(SADB_EXT_ADDRESS_SRC)));
	EXPECT_EQ(2, port_of(EXT(SADB_EXT_ADDRESS_DST)));
	ASSERT_NE(NULL, msg(&r, 2, 0, mhp));
	EXPECT_EQ(255, ((struct sadb_address *)EXT(SADB_EXT_ADDRESS_SRC))->sadb_address_proto);
	EXPECT_EQ(32, ((struct sadb_address *)EXT(SADB_EXT_ADDRESS_SRC))->sadb_address_prefixlen);
	ASSERT_NE(NULL, msg(&r, 3, 0, mhp));
	EXPECT_EQ(47, ((struct sadb_address *)EXT(SADB_EXT_ADDRESS_DST))->sadb_address_proto);
	ASSERT_NE(NULL, msg(&r, 4, 0, mhp));
	EXPECT_EQ(17, ((struct sadb_address *)EXT(SADB_EXT_ADDRESS_DST))->sadb_address_proto);
	ASSERT_NE(NULL, msg(&r, 5, 0, mhp));
	EXPECT_EQ(4, ((struct sadb_address *)EXT(SADB_EXT_ADDRESS_DST))->sadb_address_proto);
	EXPECT_EQ(53, port_of(EXT(SADB_EXT_ADDRESS_SRC)));
	parsed_free(&r);
}

TEST(spd_commands_and_rfc_mode)
{
	struct parsed r;
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct sadb_x_policy *xp;
	struct sadb_x_ipsecrequest *rq;

	parse_text(&r,
		   "spdupdate 10.0.0.1 10.0.0.2 any -P in ipsec esp/transport//unique:7;\n"
		   "spddelete 10.0.0.1 10.0.0.2 any -P in;\n"
		   "spddelete 10.0.0.1 10.0.0.2 any -P out;\n"
		   "spdflush; spddump;\n", 1);
	ASSERT_EQ(0, r.errors) TH_LOG("%d: %s", r.errline, r.err);
	ASSERT_EQ(5, r.n);
	ASSERT_EQ(2, r.cmd[0].nmsgs);
	ASSERT_NE(NULL, msg(&r, 0, 0, mhp));
	EXPECT_EQ(SADB_X_SPDUPDATE, r.cmd[0].msgs[0].m->sadb_msg_type);
	xp = EXT(SADB_X_EXT_POLICY);
	rq = (void *)(xp + 1);
	EXPECT_EQ(IPSEC_DIR_INBOUND, xp->sadb_x_policy_dir);
	EXPECT_EQ(IPSEC_LEVEL_UNIQUE, rq->sadb_x_ipsecrequest_level);
	EXPECT_EQ(7, rq->sadb_x_ipsecrequest_reqid);
	ASSERT_NE(NULL, msg(&r, 0, 1, mhp));
	xp = EXT(SADB_X_EXT_POLICY);
	rq = (void *)(xp + 1);
	EXPECT_EQ(IPSEC_DIR_FWD, xp->sadb_x_policy_dir);
	EXPECT_EQ(IPSEC_LEVEL_REQUIRE, rq->sadb_x_ipsecrequest_level);
	EXPECT_EQ(0, rq->sadb_x_ipsecrequest_reqid);
	EXPECT_EQ(2, r.cmd[1].nmsgs);
	EXPECT_EQ(SADB_X_SPDDELETE, r.cmd[1].msgs[1].m->sadb_msg_type);
	EXPECT_EQ(1, r.cmd[2].nmsgs);
	ASSERT_NE(NULL, msg(&r, 3, 0, mhp));
	EXPECT_EQ(SADB_X_SPDFLUSH, r.cmd[3].msgs[0].m->sadb_msg_type);
	EXPECT_EQ(SK_SPDDUMP, r.cmd[4].kind);
	parsed_free(&r);

	/* kernel mode (the default): exactly what is written */
	parse_text(&r, "spdadd 10.0.0.1 10.0.0.2 any -P in ipsec esp/transport//require;", 0);
	ASSERT_EQ(0, r.errors);
	EXPECT_EQ(1, r.cmd[0].nmsgs);
	parsed_free(&r);
}

TEST(security_context)
{
	struct parsed r;
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct sadb_x_sec_ctx *c;

	parse_text(&r, "spdadd 10.0.0.1 10.0.0.2 any -ctx 1 1 \"system_u:object_r:ipsec_spd_t:s0\" -P out none;"
		   "add 10.0.0.1 10.0.0.2 esp 300 -ctx 1 1 \"ctx\" -E null;", 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%s", r.err);
	ASSERT_NE(NULL, msg(&r, 0, 0, mhp));
	c = EXT(SADB_X_EXT_SEC_CTX);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(1, c->sadb_x_ctx_doi);
	EXPECT_EQ(1, c->sadb_x_ctx_alg);
	EXPECT_EQ(strlen("system_u:object_r:ipsec_spd_t:s0") + 1, c->sadb_x_ctx_len);
	ASSERT_NE(NULL, msg(&r, 1, 0, mhp));
	c = EXT(SADB_X_EXT_SEC_CTX);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(0, memcmp(c + 1, "ctx", 4));
	parsed_free(&r);
}

TEST(lexical_layout)
{
	struct parsed r;

	parse_text(&r,
		   "# comment line\n"
		   "flush;  spdflush ; # two on a line\n"
		   "\n"
		   "add 10.0.0.1 10.0.0.2 esp 300 \\\n"
		   "    -E null ;;\n"
		   "spdadd 10.0.0.1 10.0.0.2 any\n"
		   "   -P out ipsec\n"
		   "   esp/transport//require   # comment inside\n"
		   "   ah/transport//require;\n"
		   "exit\n"
		   "flush;\n", 0);
	ASSERT_EQ(0, r.errors) TH_LOG("%d: %s", r.errline, r.err);
	ASSERT_EQ(6, r.n);
	EXPECT_EQ(2, r.cmd[0].line);
	EXPECT_EQ(2, r.cmd[1].line);
	EXPECT_EQ(4, r.cmd[2].line);
	EXPECT_EQ(6, r.cmd[3].line);
	EXPECT_EQ(SK_EXIT, r.cmd[4].kind);
	EXPECT_EQ(10, r.cmd[4].line);
	{
		caddr_t mhp[SADB_EXT_MAX + 1];
		struct sadb_x_policy *xp;

		ASSERT_NE(NULL, msg(&r, 3, 0, mhp));
		xp = EXT(SADB_X_EXT_POLICY);
		EXPECT_EQ(48 / 8, xp->sadb_x_policy_len);
	}
	parsed_free(&r);
}

struct err_case {
	const char *text;
	int line;
	const char *msg;
};

static const struct err_case err_cases[] = {
	{ "frobnicate;", 1, "unknown command 'frobnicate'" },
	{ "flush\n", 1, "missing ';' at end of input" },
	{ "\n\nadd 1.1.1.1 2.2.2.2 esp 300 -E aes-cbc 0x1234;", 3, "aes-cbc takes a 128..256-bit key, got 16 bits; give 16..32 bytes (0x and 32..64 hex digits)" },
	{ "add 1.1.1.1 2.2.2.2 esp 300 -E aes-cbc 0x12zz;", 1, "aes-cbc: 'z' is not a hex digit in the key" },
	{ "add 1.1.1.1 2.2.2.2 esp 300 -E aes-xts \"x\";", 1, "unknown encryption algorithm 'aes-xts' (setkey -h lists them)" },
	{ "add 1.1.1.1 2.2.2.2 esp 300 -A hmac-sha1 \"12345678901234567890\";", 1, "esp needs -E (use -E null for authentication only)" },
	{ "add 1.1.1.1 2.2.2.2 ah 300 -E null -A null;", 1, "ah takes only -A" },
	{ "add 1.1.1.1 2.2.2.2 ipcomp 300 -E null;", 1, "ipcomp needs -C" },
	{ "add 1.1.1.1 2.2.2.2 esp 300 -r 300 -E null;", 1, "-r needs a number up to 255, got '300'" },
	{ "add 1.1.1.1 2.2.2.2 esp-old 300 -r 4 -E des-cbc 0x0011223344556677;", 1, "-r does not apply to esp-old" },
	{ "add 1.1.1.1 2.2.2.2 esp 300 -E des-deriv 0x0011223344556677;", 1, "des-deriv exists only for esp-old" },
	{ "add 1.1.1.1 2.2.2.2 esp 0x1ffffffff -E null;", 1, "add: expected the SPI (a number up to 0xffffffff), got '0x1ffffffff'" },
	{ "add 1.1.1.1 2.2.2.2 esp 300 -E null \"k\";", 1, "null takes no key" },
	{ "add 1.1.1.1 2.2.2.2 esp 300 -m sideways -E null;", 1, "-m: 'sideways' is not transport, tunnel or any" },
	{ "add 1.1.1.1 2.2.2.2 esp 300 -q -E null;", 1, "unknown option '-q'" },
	{ "add 1.1.1.1 2.2.2.2 esp 300 -E aes-cbc \"1234567890123456;\n", 1, "unterminated string" },
	{ "add 1.1.1.1 2.2.2.2 tcp 0x1000 -A tcp-md5 \"k\";", 1, "tcp: TCP-MD5 SAs (BSD satype 11) do not exist in the Linux PF_KEY ABI" },
	{ "add 1.1.1.0/24 2.2.2.2 esp 300 -E null;", 1, "'1.1.1.0/24': an SA address takes no /prefix" },
	{ "add 1.1.1.1 ::2 esp 300 -E null;", 1, "add: source and destination have no address family in common" },
	{ "add 1.1.1.1[99999] 2.2.2.2 esp 300 -E null;", 1, "bad port '99999'" },
	{ "get 1.1.1.1 2.2.2.2 esp 300 -E null;", 1, "-E: algorithms belong to add and update only" },
	{ "deleteall 1.1.1.1 2.2.2.2 esp 300;", 1, "unexpected '300'" },
	{ "spdadd 10.0.0.0/33 10.0.0.2 any -P out none;", 1, "prefix length /33 is longer than 32 in '10.0.0.0/33'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require/x;", 1, "bad policy \"out ipsec esp/transport//require/x\": Invalid ipsec requests: too many '/' in 'esp/transport//require/x'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P sideways none;", 1, "bad policy \"sideways none\": Invalid direction: 'sideways' is not in, out or fwd" },
	{ "spdadd 10.0.0.1 10.0.0.2 any out none;", 1, "spdadd: expected -P policy, got 'out'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P;", 1, "-P needs a policy (in|out|fwd ...)" },
	{ "spdadd 10.0.0.1 10.0.0.2 frob -P out none;", 1, "unknown upper-layer protocol 'frob'" },
	{ "spdadd ::1[80] ::2 icmp6 -P out none;", 1, "ports do not apply to this protocol; give type,code (or a GRE key) after it" },
	{ "spdadd ::1 ::2 icmp6 135 -P out none;", 1, "'135': expected type,code" },
	{ "spdadd tagged \"x\" -P out none;", 1, "spdadd tagged: PF tags are a BSD feature, not available here" },
	{ "\"string\";", 1, "expected a command, got \"string\"" },
};

TEST(errors_with_line_numbers)
{
	size_t i;

	for (i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		struct parsed r;

		parse_text(&r, err_cases[i].text, 0);
		EXPECT_EQ(1, r.errors) TH_LOG("'%s'", err_cases[i].text);
		EXPECT_EQ(err_cases[i].line, r.errline) TH_LOG("'%s'", err_cases[i].text);
		EXPECT_STREQ(err_cases[i].msg, r.err);
		parsed_free(&r);
	}
}

TEST(recovers_after_an_error)
{
	struct parsed r;

	/* the parser resyncs at ';' (used by interactive -c) */
	parse_text(&r, "add 1.1.1.1 2.2.2.2 esp 300 -E bogus 0x00;\nflush;\n", 0);
	EXPECT_EQ(1, r.errors);
	ASSERT_EQ(1, r.n);
	EXPECT_EQ(2, r.cmd[0].line);
	EXPECT_STREQ("flush", r.cmd[0].name);
	parsed_free(&r);
}

static int refuse_chacha(void *ctx, const struct kame_alg *a, size_t keybytes,
			 char *why, size_t len)
{
	if (a->id != KAME_EALG_CHACHA20_POLY1305)
		return 0;
	snprintf(why, len, "%s is not supported by this kernel", a->name);
	return -1;
}

TEST(kernel_algorithm_check_hook)
{
	struct parsed r;
	struct sk_cmd c;

	memset(&r, 0, sizeof(r));
	sk_parser_init(&r.p, "x");
	r.p.alg_check = refuse_chacha;
	sk_lex_init_mem(&r.p.lx, "add ::1 ::2 esp 1000 -E chacha20-poly1305 \"123456789012345678901234567890123456\";",
			strlen("add ::1 ::2 esp 1000 -E chacha20-poly1305 \"123456789012345678901234567890123456\";"));
	EXPECT_EQ(-1, sk_parse_next(&r.p, &c));
	EXPECT_STREQ("chacha20-poly1305 is not supported by this kernel", r.p.err);
	sk_parser_free(&r.p);
}

TEST_HARNESS_MAIN
