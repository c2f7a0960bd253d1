// SPDX-License-Identifier: BSD-3-Clause
/*
 * NAT traversal negotiation (RFC 3947): see natt.h. Every length of what
 * a peer sent is checked here before it is read.
 */
#include <netinet/in.h>
#include <string.h>
#include <openssl/crypto.h>

#include "build.h"
#include "isakmp.h"
#include "natt.h"

/* MD5 of "RFC 3947" and of the draft names (the trailing newline of
 * one draft-02 variant is how early implementations spelt it). */
static const struct {
	uint8_t id[16];
	enum natt_ver ver;
} vids[] = {
	{ { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
	    0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f }, NATT_RFC },
	{ { 0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f,
	    0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52, 0x9d, 0x56 }, NATT_DRAFT },
	{ { 0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8,
	    0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6, 0xa4, 0x48 }, NATT_DRAFT },
	{ { 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e,
	    0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f }, NATT_DRAFT },
};

void natt_add_vids(struct msgb *m, enum natt_ver only)
{
	for (size_t i = 0; i < sizeof(vids) / sizeof(vids[0]); i++) {
		if (only != NATT_NONE && vids[i].ver != only)
			continue;
		msgb_add(m, PL_VID, vids[i].id, sizeof(vids[i].id));
		if (only != NATT_NONE)
			return;	/* one answer: the first of its dialect */
	}
}

enum natt_ver natt_vid(const uint8_t *body, size_t len)
{
	if (len != 16)
		return NATT_NONE;
	for (size_t i = 0; i < sizeof(vids) / sizeof(vids[0]); i++)
		if (!memcmp(body, vids[i].id, 16))
			return vids[i].ver;
	return NATT_NONE;
}

const char *natt_ver_name(enum natt_ver v)
{
	return v == NATT_RFC ? "RFC 3947" : v == NATT_DRAFT ?
		"draft-ietf-ipsec-nat-t-ike" : "none";
}

uint8_t natt_pl_nat_d(enum natt_ver v)
{
	return v == NATT_DRAFT ? PL_NAT_D_DRAFT : PL_NAT_D;
}

uint8_t natt_pl_nat_oa(enum natt_ver v)
{
	return v == NATT_DRAFT ? PL_NAT_OA_DRAFT : PL_NAT_OA;
}

uint16_t sa_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

void sa_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

size_t natt_hash(int hash, const uint8_t icookie[8], const uint8_t rcookie[8],
		 const struct sockaddr *sa, uint8_t out[MAX_HASH_LEN])
{
	struct chunk c[4];
	uint16_t port;

	if (!crypto_hash_ok(hash))
		return 0;
	c[0] = (struct chunk){ icookie, 8 };
	c[1] = (struct chunk){ rcookie, 8 };
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)sa;

		c[2] = (struct chunk){ &s->sin_addr, 4 };
		port = s->sin_port;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)sa;

		c[2] = (struct chunk){ &s->sin6_addr, 16 };
		port = s->sin6_port;
	} else {
		return 0;
	}
	c[3] = (struct chunk){ &port, 2 };	/* network order already */
	if (crypto_hash(hash, c, 4, out))
		return 0;
	return crypto_hash_len(hash);
}

bool natt_add_nat_d(struct msgb *m, enum natt_ver v, int hash,
		    const uint8_t icookie[8], const uint8_t rcookie[8],
		    const struct sockaddr *local,
		    const struct sockaddr *remote, bool fake)
{
	uint8_t h[MAX_HASH_LEN];
	size_t hl;

	hl = natt_hash(hash, icookie, rcookie, remote, h);
	if (!hl)
		return false;
	msgb_add(m, natt_pl_nat_d(v), h, hl);
	if (fake)
		crypto_random(h, hl);
	else if (natt_hash(hash, icookie, rcookie, local, h) != hl)
		return false;
	msgb_add(m, natt_pl_nat_d(v), h, hl);
	return true;
}

int natt_check_nat_d(const struct payload_list *pl, enum natt_ver v, int hash,
		     const uint8_t icookie[8], const uint8_t rcookie[8],
		     const struct sockaddr *local,
		     const struct sockaddr *remote, bool *me_behind,
		     bool *peer_behind, const char **why)
{
	uint8_t mine[MAX_HASH_LEN], theirs[MAX_HASH_LEN];
	uint8_t type = natt_pl_nat_d(v);
	const struct payload *p;
	size_t hl;
	int n = payload_count(pl, type);

	if (n < 2) {
		*why = "fewer than two NAT-D payloads";
		return -1;
	}
	hl = natt_hash(hash, icookie, rcookie, local, mine);
	if (!hl || natt_hash(hash, icookie, rcookie, remote, theirs) != hl) {
		*why = "cannot compute the NAT-D hash";
		return -1;
	}
	for (int i = 0; i < n; i++) {
		p = payload_find(pl, type, i);
		if (p->len != hl) {
			*why = "NAT-D payload of the wrong length";
			return -1;
		}
	}
	p = payload_find(pl, type, 0);
	*me_behind = CRYPTO_memcmp(p->body, mine, hl) != 0;
	*peer_behind = true;
	for (int i = 1; i < n; i++) {
		p = payload_find(pl, type, i);
		if (!CRYPTO_memcmp(p->body, theirs, hl))
			*peer_behind = false;
	}
	return 0;
}

int natt_udp_mode(int mode, enum natt_ver v)
{
	if (v == NATT_DRAFT)
		return mode == ENCAP_TUNNEL ? ENCAP_UDP_TUNNEL_DRAFT :
					      ENCAP_UDP_TRANSPORT_DRAFT;
	return mode == ENCAP_TUNNEL ? ENCAP_UDP_TUNNEL : ENCAP_UDP_TRANSPORT;
}

bool natt_decode_mode(uint32_t val, int *mode, bool *udp)
{
	switch (val) {
	case ENCAP_TUNNEL:
	case ENCAP_TRANSPORT:
		*mode = (int)val;
		*udp = false;
		return true;
	case ENCAP_UDP_TUNNEL:
	case ENCAP_UDP_TUNNEL_DRAFT:
		*mode = ENCAP_TUNNEL;
		*udp = true;
		return true;
	case ENCAP_UDP_TRANSPORT:
	case ENCAP_UDP_TRANSPORT_DRAFT:
		*mode = ENCAP_TRANSPORT;
		*udp = true;
		return true;
	}
	return false;
}

void natt_oa_body(struct buf *b, const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6) {
		buf_u8(b, ID_IPV6_ADDR);
		buf_put(b, NULL, 3);
		buf_put(b, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	} else {
		buf_u8(b, ID_IPV4_ADDR);
		buf_put(b, NULL, 3);
		buf_put(b, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	}
}

int natt_oa_parse(const uint8_t *body, size_t len, struct sockaddr_storage *ss,
		  const char **why)
{
	memset(ss, 0, sizeof(*ss));
	if (len < 4) {
		*why = "NAT-OA payload too short";
		return -1;
	}
	if (body[1] || body[2] || body[3]) {
		*why = "NAT-OA reserved bytes not zero";
		return -1;
	}
	if (body[0] == ID_IPV4_ADDR && len == 8) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;

		s->sin_family = AF_INET;
		memcpy(&s->sin_addr, body + 4, 4);
		return 0;
	}
	if (body[0] == ID_IPV6_ADDR && len == 20) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;

		s->sin6_family = AF_INET6;
		memcpy(&s->sin6_addr, body + 4, 16);
		return 0;
	}
	*why = body[0] == ID_IPV4_ADDR || body[0] == ID_IPV6_ADDR ?
		"NAT-OA payload of the wrong length for its address" :
		"NAT-OA ID type is not an IPv4 or IPv6 address";
	return -1;
}
