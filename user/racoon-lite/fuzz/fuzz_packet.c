// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer target for everything a peer's packet reaches. The first
 * input byte picks the entry point:
 *   0  a raw datagram to a fresh responder (header, Main Mode msg 1,
 *      informational, SA parsing)
 *   1  the payload walker, both SA parsers and the NAT-T parsers (NAT-D
 *      check over the walked payloads, NAT-OA) on the bytes directly
 *   2  a payload chain sent as Quick Mode message 1 over an established
 *      ISAKMP SA (NAT-T agreed): the harness adds a valid HASH(1) and
 *      encrypts, so the Quick Mode responder, ID, SA, UDP-encapsulated
 *      mode and NAT-OA parsing all see fuzzed input
 *   3  the same as an authenticated informational (notify, delete)
 */
#include <stdlib.h>
#include <string.h>

#include "../build.h"
#include "../isakmp.h"
#include "../log.h"
#include "../natt.h"
#include "../payload.h"
#include "../proposal.h"
#include "../tests/pair.h"

static const char conf[] =
	"path pre_shared_key \"/unused\";\n"
	"remote anonymous { exchange_mode main; proposal_check obey;\n"
	" ike_frag on; nat_traversal on;\n"
	" proposal { encryption_algorithm 3des; hash_algorithm sha1;\n"
	"  authentication_method pre_shared_key; dh_group 2; }\n"
	" proposal { encryption_algorithm aes 256; hash_algorithm sha256;\n"
	"  authentication_method pre_shared_key; dh_group 14; } }\n"
	"sainfo anonymous { encryption_algorithm 3des, aes;\n"
	" authentication_algorithm hmac_sha1, hmac_md5; }\n";

static struct pair p;
static struct ph1 *b_p1;
static uint32_t next_msgid = 1;

static bool setup_done;

static void setup(void)
{
	if (setup_done)
		return;
	setup_done = true;
	if (pair_init(&p, conf, "10.0.0.2 k\n", conf, "10.0.0.1 k\n"))
		abort();
	log_set_level(getenv("FUZZ_LOG") ? LLV_DEBUG : -1);
	if (getenv("FUZZ_LOG"))
		log_set_stream(stderr);
	pair_acquire(&p, &p.a, &p.b, 3 /* ESP */, 1);
	pair_run(&p);
	for (struct ph1 *x = p.b.ike->ph1s; x; x = x->next)
		if (x->state == PH1_ESTABLISHED)
			b_p1 = x;
	if (!b_p1)
		abort();
	p.b.drop_next = 1 << 30;	/* B's answers go nowhere */
}

/* Drops what the responder created, so runs do not accumulate. */
static void reset(void)
{
	for (struct ph2 *x = p.b.ike->ph2s; x; x = x->next)
		if (x->ph1 == b_p1 && x->initiator == false &&
		    x->state != PH2_ESTABLISHED)
			x->state = PH2_DEAD;
	ph2_free_all_dead(p.b.ike);
	for (struct ph1 *x = p.b.ike->ph1s; x; x = x->next)
		if (x != b_p1)
			x->state = PH1_DEAD;
	ph2_free_all_dead(p.b.ike);
}

static void protected(uint8_t etype, const uint8_t *data, size_t len)
{
	struct ph1 *k = b_p1;
	uint8_t mid[4], h[MAX_HASH_LEN], iv[MAX_BLOCK_LEN];
	struct chunk c[2];
	struct msgb m;
	size_t hs;
	uint32_t msgid = next_msgid++;

	if (len < 1)
		return;
	msgb_init(&m, k->icookie, k->rcookie, etype, 0, msgid);
	hs = msgb_begin(&m, PL_HASH);
	buf_put(&m.b, NULL, k->keys.hlen);
	msgb_end(&m, hs);
	/* data[0] is the next-payload type of the HASH payload */
	m.b.p[hs] = data[0];
	buf_put(&m.b, data + 1, len - 1);
	if (!msgb_finish(&m))
		goto out;
	put32(mid, msgid);
	c[0] = (struct chunk){ mid, 4 };
	c[1] = (struct chunk){ m.b.p + hs + 4 + k->keys.hlen,
			       m.b.len - hs - 4 - k->keys.hlen };
	crypto_prf(k->hash, k->keys.skeyid_a, k->keys.hlen, c, 2, h);
	memcpy(m.b.p + hs + 4, h, k->keys.hlen);
	crypto_p2_iv(k->hash, k->enc, k->iv, msgid, iv);
	if (!ike_encrypt(k, &m.b, iv))
		goto out;
	ike_input(p.b.ike, m.b.p, m.b.len, (struct sockaddr *)&p.b.addr,
		  (struct sockaddr *)&p.a.addr);
out:
	buf_free(&m.b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct payload_list l;
	const char *err;
	uint8_t *copy;

	setup();
	if (size < 1)
		return 0;
	copy = malloc(size - 1 ? size - 1 : 1);	/* exact-size for ASan */
	memcpy(copy, data + 1, size - 1);
	switch (data[0] & 3) {
	case 0:
		ike_input(p.b.ike, copy, size - 1,
			  (struct sockaddr *)&p.b.addr,
			  (struct sockaddr *)&p.a.addr);
		break;
	case 1: {
		struct p1_choice c1;
		struct p2_choice c2;
		struct sainfo_conf *si = p.b.conf->sainfos;
		struct sockaddr_storage oa0;

		if (size > 2 &&
		    !payload_walk(copy + 1, size - 2, copy[0], &l, &err)) {
			struct sockaddr_storage oa;
			const struct payload *x;
			bool me, them;

			natt_check_nat_d(&l, NATT_RFC, OAKLEY_HASH_SHA1,
					 b_p1->icookie, b_p1->rcookie,
					 (struct sockaddr *)&p.b.addr,
					 (struct sockaddr *)&p.a.addr, &me,
					 &them, &err);
			for (int i = 0; (x = payload_find(&l, PL_NAT_OA, i));
			     i++)
				natt_oa_parse(x->body, x->len, &oa, &err);
		}
		natt_oa_parse(copy, size - 1, &oa0, &err);
		p1_sa_choose(copy, size - 1, p.b.conf->remotes, &c1, &err);
		p2_sa_choose(copy, size - 1, si, PROP_STRICT, &c2, &err);
		break;
	}
	case 2:
		protected(ETYPE_QUICK, copy, size - 1);
		break;
	case 3:
		protected(ETYPE_INFO, copy, size - 1);
		break;
	}
	free(copy);
	for (struct ph1 *x = p.b.ike->ph1s; x; x = x->next)
		if (x == b_p1 && x->state == PH1_ESTABLISHED) {
			reset();
			return 0;
		}
	/* the input deleted our ISAKMP SA: start over */
	pair_free(&p);
	b_p1 = NULL;
	setup_done = false;
	setup();
	return 0;
}
