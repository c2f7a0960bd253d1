// SPDX-License-Identifier: GPL-2.0
/*
 * A raw generator of malformed ESP/AH/IPComp packets (storms.sh, storm 2):
 * Ethernet frames written to an AF_PACKET socket on one end of a veth pair,
 * so the receiving namespace sees them as if they came off the wire. Every
 * IP header (v4 or v6, no options or extension headers) is sound, so IP
 * hands each packet to LOCAL_IN; what follows is hostile: packets for the
 * receiver's real SAs built correctly (so ICV checks, replay, padding and
 * decompression run, and some succeed) and then often mutated, unknown
 * SPIs, truncated headers, bad lengths, garbage, and UDP-encapsulated ESP
 * on port 4500.
 *
 * The receiver's SAs, from 10.77.0.1 / fd77::1 to 10.77.0.2 / fd77::2
 * (storms.sh adds them with setkey), transport mode, replay window 32:
 *   ESP 0x1001  null encryption, hmac-sha256 (96-bit ICV: net.key.sha256_icv96=1) key AUTH_KEY
 *   ESP 0x1002  rijndael-cbc key ENC_KEY, no authentication
 *   AH  0x2001  hmac-sha256 (96-bit ICV: net.key.sha256_icv96=1) key AUTH_KEY
 *   IPComp 0x3001 deflate
 *
 * Usage: storm_pkt IFNAME DST-MAC COUNT SEED. Prints "sent4 N sent6 N
 * udp N failed N": ESP/AH/IPComp packets sent per family (what the
 * receiver's counters must add up to), UDP ones, and sends that failed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <linux/if_packet.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "storm_util.h"

#define ICV_LEN		12
#define MAX_PKT		1400
#define BATCH		32

static const uint8_t auth_key[32] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
	0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};
static const uint8_t enc_key[16] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
	0xcc, 0xdd, 0xee, 0xff,
};

static void rnd_fill(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = storm_rnd();
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += p[n - 1] << 8;
	return sum;
}

struct pkt {
	uint8_t buf[14 + 40 + MAX_PKT + 64];
	bool v6;
	size_t hlen;		/* IP header */
	size_t len;		/* IP header and payload */
	uint8_t *ip;
	uint32_t id;		/* IPv4 id or IPv6 flow label, set once */
};

/* The sequence numbers this process sends under one SA, some replayed. */
static uint32_t seq_base, seq_next[4];

static uint32_t next_seq(int sa)
{
	if (storm_rnd() % 20 == 0)	/* an old one: a replay or too old */
		return seq_base + storm_rnd() % (seq_next[sa] + 1);
	return seq_base + ++seq_next[sa];
}

/* The clear payload after an ESP/AH/IPComp header: @nh and its bytes. */
static size_t inner(uint8_t *p, size_t room, uint8_t *nh, bool compressible)
{
	size_t n = 8 + storm_rnd() % (compressible ? 600 : 120);

	if (n > room)
		n = room;
	switch (storm_rnd() % 8) {
	case 0:
		*nh = IPPROTO_NONE;	/* a dummy packet */
		break;
	case 1:
		*nh = (uint8_t[]){ IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP,
				   IPPROTO_IPIP, IPPROTO_IPV6 }[storm_rnd() % 5];
		break;
	case 2:
		*nh = storm_rnd();
		break;
	default:		/* UDP to the discard port, no checksum (v4) */
		*nh = IPPROTO_UDP;
		break;
	}
	if (compressible) {
		size_t i;

		for (i = 0; i < n; i++)
			p[i] = "storm "[i % 6];
	} else {
		rnd_fill(p, n);
	}
	if (*nh == IPPROTO_UDP) {
		struct udphdr *u = (struct udphdr *)p;

		u->source = htons(40000 + storm_rnd() % 1000);
		u->dest = htons(9);
		u->len = htons(n);
		u->check = 0;
	}
	return n;
}

static void hmac96(const uint8_t *d, size_t n, uint8_t *icv)
{
	uint8_t md[32];
	unsigned int mdlen = sizeof(md);

	HMAC(EVP_sha256(), auth_key, sizeof(auth_key), d, n, md, &mdlen);
	memcpy(icv, md, ICV_LEN);
}

/* ESP 0x1001: null encryption, hmac-sha256. */
static size_t esp_null(struct pkt *k, uint8_t *e)
{
	size_t n, pad, i;
	uint8_t nh;

	put32(e, 0x1001);
	put32(e + 4, next_seq(0));
	n = inner(e + 8, 600, &nh, false);
	pad = (4 - (n + 2) % 4) % 4 + 4 * (storm_rnd() % 3);
	for (i = 0; i < pad; i++)
		e[8 + n + i] = i + 1;
	e[8 + n + pad] = pad;
	e[8 + n + pad + 1] = nh;
	n = 8 + n + pad + 2;
	hmac96(e, n, e + n);
	return n + ICV_LEN;
}

/* ESP 0x1002: rijndael-cbc, no authentication. */
static size_t esp_cbc(struct pkt *k, uint8_t *e)
{
	uint8_t clear[MAX_PKT];
	size_t n, pad, i;
	EVP_CIPHER_CTX *c;
	int out;
	uint8_t nh;

	put32(e, 0x1002);
	put32(e + 4, next_seq(1));
	rnd_fill(e + 8, 16);	/* IV */
	n = inner(clear, 600, &nh, false);
	pad = (16 - (n + 2) % 16) % 16;
	for (i = 0; i < pad; i++)
		clear[n + i] = i + 1;
	clear[n + pad] = pad;
	clear[n + pad + 1] = nh;
	n += pad + 2;
	c = EVP_CIPHER_CTX_new();
	if (!c || !EVP_EncryptInit_ex(c, EVP_aes_128_cbc(), NULL, enc_key,
				      e + 8) ||
	    !EVP_CIPHER_CTX_set_padding(c, 0) ||
	    !EVP_EncryptUpdate(c, e + 24, &out, clear, n)) {
		fprintf(stderr, "storm_pkt: EVP failed\n");
		exit(1);
	}
	EVP_CIPHER_CTX_free(c);
	return 24 + n;
}

/* AH 0x2001, hmac-sha256: the ICV over the header with mutable fields 0. */
static size_t ah(struct pkt *k, uint8_t *a)
{
	uint8_t tmp[40 + MAX_PKT];
	size_t n;
	uint8_t nh;

	n = inner(a + 24, 600, &nh, false);
	a[0] = nh;
	a[1] = (24 / 4) - 2;
	a[2] = a[3] = 0;
	put32(a + 4, 0x2001);
	put32(a + 8, next_seq(2));
	memset(a + 12, 0, ICV_LEN);
	n += 24;
	/* Lengths are final here: the caller builds the IP header the same. */
	memcpy(tmp, k->ip, k->hlen);
	if (k->v6) {
		struct ip6_hdr *h = (struct ip6_hdr *)tmp;

		h->ip6_flow = htonl(6 << 28);
		h->ip6_plen = htons(n);
		h->ip6_hlim = 0;
	} else {
		struct iphdr *h = (struct iphdr *)tmp;

		h->tos = 0;
		h->frag_off = 0;
		h->ttl = 0;
		h->check = 0;
		h->tot_len = htons(k->hlen + n);
	}
	memcpy(tmp + k->hlen, a, n);
	hmac96(tmp, k->hlen + n, a + 12);
	return n;
}

/* IPComp 0x3001: raw deflate of a compressible payload. */
static size_t ipcomp(struct pkt *k, uint8_t *c)
{
	uint8_t clear[MAX_PKT];
	z_stream z = { 0 };
	size_t n;
	uint8_t nh;

	n = inner(clear, 1000, &nh, true);
	c[0] = nh;
	c[1] = 0;
	c[2] = 0x30;
	c[3] = 0x01;
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		fprintf(stderr, "storm_pkt: deflateInit2 failed\n");
		exit(1);
	}
	z.next_in = clear;
	z.avail_in = n;
	z.next_out = c + 4;
	z.avail_out = MAX_PKT - 4;
	deflate(&z, Z_FINISH);
	n = 4 + (MAX_PKT - 4 - z.avail_out);
	deflateEnd(&z);
	return n;
}

/* 1 to 3 mutations of the @n bytes after the IP header: the new length. */
static size_t mutate(uint8_t *p, size_t n, uint8_t proto)
{
	int i, times = 1 + storm_rnd() % 3;

	for (i = 0; i < times; i++) {
		switch (storm_rnd() % 7) {
		case 0:
		case 1:		/* flip a bit */
			if (n)
				p[storm_rnd() % n] ^= 1 << (storm_rnd() % 8);
			break;
		case 2:		/* truncate */
			n = n ? storm_rnd() % n : 0;
			break;
		case 3:		/* grow */
			if (n + 64 <= MAX_PKT) {
				size_t add = 1 + storm_rnd() % 64;

				rnd_fill(p + n, add);
				n += add;
			}
			break;
		case 4:		/* an extreme byte: lengths, pad, next header */
			if (n)
				p[n - 1 - storm_rnd() % (n < 32 ? n : 32)] =
					(uint8_t[]){ 0, 1, 0x7f, 0xff }[storm_rnd() % 4];
			break;
		case 5:		/* the AH length field */
			if (proto == IPPROTO_AH && n > 1)
				p[1] = storm_rnd();
			break;
		case 6:		/* sequence number 0 */
			if (proto != IPPROTO_COMP && n >= 8 + (proto == IPPROTO_AH) * 4)
				memset(p + 4 + (proto == IPPROTO_AH) * 4, 0, 4);
			break;
		}
	}
	return n;
}

static const uint8_t src4[4] = { 10, 77, 0, 1 }, dst4[4] = { 10, 77, 0, 2 };
static struct in6_addr src6, dst6;

static void ip_header(struct pkt *k, uint8_t proto, size_t plen)
{
	if (k->v6) {
		struct ip6_hdr *h = (struct ip6_hdr *)k->ip;

		h->ip6_flow = htonl(6 << 28 | (k->id & 0xfffff));
		h->ip6_plen = htons(plen);
		h->ip6_nxt = proto;
		h->ip6_hlim = 64;
		h->ip6_src = src6;
		h->ip6_dst = dst6;
	} else {
		struct iphdr *h = (struct iphdr *)k->ip;

		memset(h, 0, sizeof(*h));
		h->version = 4;
		h->ihl = 5;
		h->tot_len = htons(20 + plen);
		h->id = k->id;
		h->frag_off = htons(IP_DF);
		h->ttl = 64;
		h->protocol = proto;
		memcpy(&h->saddr, src4, 4);
		memcpy(&h->daddr, dst4, 4);
		h->check = htons(csum_fold(csum_add(0, k->ip, 20)));
	}
	k->len = k->hlen + plen;
}

/* UDP on port 4500: ESP-in-UDP, keepalives, non-ESP markers, garbage. */
static size_t udp_encap(struct pkt *k, uint8_t *u)
{
	size_t n = storm_rnd() % 200;
	uint32_t sum;

	rnd_fill(u + 8, n);
	switch (storm_rnd() % 4) {
	case 0:
		n = 1;
		u[8] = 0xff;		/* NAT-keepalive */
		break;
	case 1:
		if (n >= 8)
			memset(u + 8, 0, 4);	/* non-ESP marker: IKE */
		break;
	case 2:
		if (n >= 8)
			put32(u + 8, 0x1001 + storm_rnd() % 2);	/* a real SPI */
		break;
	}
	n += 8;
	((struct udphdr *)u)->source = htons(4500);
	((struct udphdr *)u)->dest = htons(4500);
	((struct udphdr *)u)->len = htons(n);
	((struct udphdr *)u)->check = 0;
	ip_header(k, IPPROTO_UDP, n);
	/* The pseudo-header checksum: IPv6 refuses UDP without one. */
	sum = csum_add(0, k->ip + (k->v6 ? 8 : 12), k->v6 ? 32 : 8);
	sum += IPPROTO_UDP + n;
	sum = csum_add(sum, u, n);
	((struct udphdr *)u)->check = htons(csum_fold(sum) ?: 0xffff);
	return n;
}

/* One packet into @k: 1 if ESP/AH/IPComp, 0 if UDP. */
static int build(struct pkt *k)
{
	uint8_t *p;
	uint8_t proto;
	size_t n;
	int kind = storm_rnd() % 100;

	k->v6 = storm_rnd() & 1;
	k->id = storm_rnd();
	k->hlen = k->v6 ? 40 : 20;
	k->ip = k->buf + 14;
	p = k->ip + k->hlen;
	if (kind >= 95) {
		udp_encap(k, p);
		return 0;
	}
	proto = (uint8_t[]){ IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP }[storm_rnd() % 3];
	if (kind < 25) {
		proto = IPPROTO_ESP;
		n = esp_null(k, p);
	} else if (kind < 40) {
		proto = IPPROTO_ESP;
		n = esp_cbc(k, p);
	} else if (kind < 60) {
		proto = IPPROTO_AH;
		ip_header(k, proto, 24);	/* ah() patches the length */
		n = ah(k, p);
	} else if (kind < 75) {
		proto = IPPROTO_COMP;
		n = ipcomp(k, p);
	} else if (kind < 85) {		/* an unknown SPI or CPI */
		n = 8 + storm_rnd() % 200;
		rnd_fill(p, n);
		if (proto == IPPROTO_COMP)
			p[2] = 0x40 | (p[2] & 0x0f);
	} else if (kind < 90) {		/* a truncated header */
		n = storm_rnd() % (proto == IPPROTO_AH ? 24 : 8);
		rnd_fill(p, n);
	} else {			/* garbage */
		n = storm_rnd() % 300;
		rnd_fill(p, n);
	}
	if (kind < 75 && storm_rnd() % 2)
		n = mutate(p, n, proto);
	ip_header(k, proto, n);
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long count, i, sent[2] = { 0, 0 }, udp = 0, failed = 0;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	uint8_t dmac[6], smac[6];
	static struct pkt pk[BATCH];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	int isipsec[BATCH];
	struct ifreq ifr = { 0 };
	int fd;

	if (argc != 5 || sscanf(argv[2], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
				&dmac[0], &dmac[1], &dmac[2], &dmac[3],
				&dmac[4], &dmac[5]) != 6) {
		fprintf(stderr, "usage: %s IFNAME DST-MAC COUNT SEED\n", argv[0]);
		return 2;
	}
	count = strtoul(argv[3], NULL, 0);
	storm_rng = strtoull(argv[4], NULL, 0) | 1;
	seq_base = (storm_rng >> 8) & 0x7fff0000;
	inet_pton(AF_INET6, "fd77::1", &src6);
	inet_pton(AF_INET6, "fd77::2", &dst6);

	fd = socket(AF_PACKET, SOCK_RAW, 0);	/* protocol 0: send only */
	if (fd < 0) {
		perror("socket(AF_PACKET)");
		return 1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		perror("SIOCGIFHWADDR");
		return 1;
	}
	memcpy(smac, ifr.ifr_hwaddr.sa_data, 6);
	sll.sll_ifindex = if_nametoindex(argv[1]);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dmac, 6);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("bind");
		return 1;
	}

	for (i = 0; i < count;) {
		unsigned int b, nb = count - i < BATCH ? count - i : BATCH;
		int r;

		memset(mm, 0, sizeof(mm));
		for (b = 0; b < nb; b++) {
			struct pkt *k = &pk[b];

			isipsec[b] = build(k);
			memcpy(k->buf, dmac, 6);
			memcpy(k->buf + 6, smac, 6);
			k->buf[12] = k->v6 ? 0x86 : 0x08;
			k->buf[13] = k->v6 ? 0xdd : 0x00;
			iov[b].iov_base = k->buf;
			iov[b].iov_len = 14 + k->len;
			mm[b].msg_hdr.msg_iov = &iov[b];
			mm[b].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(fd, mm, nb, 0);
		if (r < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("sendmmsg");
				return 1;
			}
			r = 0;
		}
		for (b = 0; b < (unsigned int)r; b++) {
			if (isipsec[b])
				sent[pk[b].v6]++;
			else
				udp++;
		}
		/* A frame refused is counted and not resent (a new one is). */
		failed += nb - r;
		i += nb;
	}
	printf("sent4 %lu sent6 %lu udp %lu failed %lu\n", sent[0], sent[1],
	       udp, failed);
	return 0;
}
