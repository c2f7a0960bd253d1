// SPDX-License-Identifier: BSD-3-Clause
/*
 * Two engines over real loopback UDP sockets opened by net.c (IPv4 on
 * 127.0.0.1/127.0.0.2, IPv6 on ::1 with two ports), PF_KEY replaced by
 * the test double: the same end state as over the socketpair.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/ipsec.h>
#include <linux/pfkeyv2.h>

#include "kselftest_harness.h"
#include "../log.h"
#include "../net.h"
#include "pair.h"

struct node {
	struct config *conf;
	struct psk_table *psk;
	struct fake_kernel k;
	struct net net;
	struct ike *ike;
	struct sockaddr_storage addr;
};

static int node_init(struct node *n, const char *ip, int port,
		     const char *peer_ip, uint32_t spi_base)
{
	char conf[1024], psk[128], err[512], *path;
	int family = strchr(ip, ':') ? AF_INET6 : AF_INET;

	snprintf(conf, sizeof(conf),
		 "path pre_shared_key \"x\";\n"
		 "listen { isakmp %s [%d]; }\n"
		 "remote anonymous { proposal { encryption_algorithm aes; "
		 "hash_algorithm sha1; authentication_method pre_shared_key; "
		 "dh_group 14; } }\n"
		 "sainfo anonymous { pfs_group 14; encryption_algorithm aes; "
		 "authentication_algorithm hmac_sha1; }\n", ip, port);
	snprintf(psk, sizeof(psk), "%s loopback-key\n", peer_ip);
	memset(n, 0, sizeof(*n));
	n->conf = conf_parse_string("net.conf", conf, err, sizeof(err));
	if (!n->conf)
		return -1;
	path = write_temp(psk, 0600);
	n->psk = psk_load(path, getuid(), err, sizeof(err));
	unlink(path);
	free(path);
	if (!n->psk)
		return -1;
	n->addr = n->conf->listen[0];
	n->k.next_spi = spi_base;
	if (net_open(&n->net, n->conf, family, 0, err, sizeof(err))) {
		fprintf(stderr, "# net_open: %s\n", err);
		return -1;
	}
	n->ike = ike_new(n->conf, n->psk, &fake_kernel_ops, &n->k, net_send,
			 &n->net);
	return n->ike ? 0 : -1;
}

static void node_free(struct node *n)
{
	ike_free(n->ike);
	net_close(&n->net);
	psk_free(n->psk);
	conf_free(n->conf);
}

/* Delivers datagrams until both sides installed two SAs or 5 s passed. */
static void run(struct node *a, struct node *b)
{
	struct node *nodes[2] = { a, b };
	uint8_t buf[65536];

	for (int round = 0; round < 500; round++) {
		struct pollfd pfd[2] = {
			{ .fd = a->net.fd[0], .events = POLLIN },
			{ .fd = b->net.fd[0], .events = POLLIN },
		};

		if (a->k.nsa == 2 && b->k.nsa == 2)
			return;
		if (poll(pfd, 2, 10) <= 0)
			continue;
		for (int i = 0; i < 2; i++) {
			struct sockaddr_storage local, remote;
			ssize_t len;

			while ((len = net_recv(&nodes[i]->net, 0, buf,
					       sizeof(buf), &local,
					       &remote)) >= 0)
				ike_input(nodes[i]->ike, buf, (size_t)len,
					  (struct sockaddr *)&local,
					  (struct sockaddr *)&remote);
		}
	}
}

static void exchange(struct __test_metadata *_metadata, const char *ipa,
		     const char *ipb, int pa, int pb)
{
	struct node a, b;
	struct acquire acq;

	log_set_level(LLV_NOTIFY);
	ASSERT_EQ(0, node_init(&a, ipa, pa, ipb, 0x100));
	ASSERT_EQ(0, node_init(&b, ipb, pb, ipa, 0x200));
	memset(&acq, 0, sizeof(acq));
	acq.local = a.addr;
	acq.remote = b.addr;
	acq.src.addr = a.addr;
	acq.dst.addr = b.addr;
	acq.src.prefix = acq.dst.prefix = strchr(ipa, ':') ? 128 : 32;
	acq.src.proto = acq.dst.proto = 255;
	acq.satype = SADB_SATYPE_ESP;
	acq.mode = IPSEC_MODE_TRANSPORT;
	acq.seq = 1;
	ASSERT_EQ(0, ike_acquire(a.ike, &acq));
	run(&a, &b);
	ASSERT_EQ(2, a.k.nsa);
	ASSERT_EQ(2, b.k.nsa);
	/* A's outbound SA is B's inbound one, keys and all */
	ASSERT_EQ(a.k.sa[1].spi, b.k.sa[0].spi);
	ASSERT_EQ(16, a.k.sa[1].enckeylen);
	ASSERT_EQ(0, memcmp(a.k.sa[1].enckey, b.k.sa[0].enckey, 16));
	ASSERT_EQ(0, memcmp(a.k.sa[1].authkey, b.k.sa[0].authkey, 20));
	ASSERT_EQ(0, memcmp(a.k.sa[0].authkey, b.k.sa[1].authkey, 20));
	ASSERT_EQ(a.addr.ss_family, a.k.sa[0].src.ss_family);
	node_free(&a);
	node_free(&b);
}

TEST(ipv4_loopback)
{
	exchange(_metadata, "127.0.0.1", "127.0.0.2", 35001, 35002);
}

TEST(ipv6_loopback)
{
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);

	if (fd < 0)
		SKIP(return, "no IPv6");
	close(fd);
	exchange(_metadata, "::1", "::1", 35003, 35004);
}

/*
 * The NAT-T socket (isakmp_natt, UDP_ENCAP_ESPINUDP): IKE arrives with
 * the 4-byte non-ESP marker, which net_recv() strips; a keepalive and
 * anything without the marker never reach the engine; what we send gets
 * the marker, a keepalive does not.
 */
TEST(natt_socket_marker)
{
	static const char conf[] =
		"listen { isakmp 127.0.0.1 [35011]; "
		"isakmp_natt 127.0.0.1 [35012]; }\n"
		"remote anonymous { nat_traversal on; proposal { "
		"encryption_algorithm aes; hash_algorithm sha1; "
		"authentication_method pre_shared_key; dh_group 14; } }\n";
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(35012) };
	struct sockaddr_in me = { .sin_family = AF_INET };
	struct sockaddr_storage local, remote;
	uint8_t ike[40], buf[256], got[256];
	struct config *c;
	struct net n;
	char err[512];
	socklen_t sl = sizeof(me);
	ssize_t r;
	int fd;

	log_set_level(LLV_NOTIFY);
	c = conf_parse_string("natt.conf", conf, err, sizeof(err));
	ASSERT_NE(NULL, c) TH_LOG("%s", err);
	ASSERT_EQ(0, net_open(&n, c, AF_INET, 500, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(2, n.n);
	ASSERT_FALSE(n.natt[0]);
	ASSERT_TRUE(n.natt[1]);
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	me.sin_addr = to.sin_addr;
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&me, sizeof(me)));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&me, &sl));
	/* a keepalive, then bytes without the marker, then IKE */
	buf[0] = 0xff;
	sendto(fd, buf, 1, 0, (struct sockaddr *)&to, sizeof(to));
	memset(buf, 0x11, 12);
	sendto(fd, buf, 12, 0, (struct sockaddr *)&to, sizeof(to));
	for (size_t i = 0; i < sizeof(ike); i++)
		ike[i] = (uint8_t)(i + 1);
	memset(buf, 0, 4);
	memcpy(buf + 4, ike, sizeof(ike));
	sendto(fd, buf, 4 + sizeof(ike), 0, (struct sockaddr *)&to,
	       sizeof(to));
	usleep(100000);
	r = net_recv(&n, 1, got, sizeof(got), &local, &remote);
	ASSERT_EQ((ssize_t)sizeof(ike), r);
	ASSERT_EQ(0, memcmp(got, ike, sizeof(ike)));
	ASSERT_EQ(me.sin_port, ((struct sockaddr_in *)&remote)->sin_port);
	ASSERT_EQ(htons(35012), ((struct sockaddr_in *)&local)->sin_port);
	ASSERT_EQ(-1, net_recv(&n, 1, got, sizeof(got), &local, &remote));
	/* the host's XFRM may have taken the first two; if not, we did */
	TH_LOG("skipped: %lu keepalives, %lu without the marker",
	       n.keepalives_in, n.non_ike_in);
	/* sending from the NAT-T port: marker first; keepalives bare */
	ASSERT_EQ((int)sizeof(ike), net_send(&n, (struct sockaddr *)&local,
					     (struct sockaddr *)&remote, ike,
					     sizeof(ike)));
	r = recv(fd, got, sizeof(got), 0);
	ASSERT_EQ((ssize_t)(4 + sizeof(ike)), r);
	ASSERT_EQ(0, memcmp(got, buf, 4 + sizeof(ike)));
	buf[0] = 0xff;
	ASSERT_EQ(1, net_send(&n, (struct sockaddr *)&local,
			      (struct sockaddr *)&remote, buf, 1));
	ASSERT_EQ(1, recv(fd, got, sizeof(got), 0));
	ASSERT_EQ(0xff, got[0]);
	/* from port 35011 (the IKE socket): no marker */
	((struct sockaddr_in *)&local)->sin_port = htons(35011);
	ASSERT_EQ((int)sizeof(ike), net_send(&n, (struct sockaddr *)&local,
					     (struct sockaddr *)&remote, ike,
					     sizeof(ike)));
	ASSERT_EQ((ssize_t)sizeof(ike), recv(fd, got, sizeof(got), 0));
	/* a local port no socket has (ACQUIREs carry -p's 500): the IKE
	 * socket of the address, never the NAT-T one */
	((struct sockaddr_in *)&local)->sin_port = htons(500);
	ASSERT_EQ((int)sizeof(ike), net_send(&n, (struct sockaddr *)&local,
					     (struct sockaddr *)&remote, ike,
					     sizeof(ike)));
	ASSERT_EQ((ssize_t)sizeof(ike), recv(fd, got, sizeof(got), 0));
	ASSERT_EQ(0, memcmp(got, ike, sizeof(ike)));
	close(fd);
	net_close(&n);
	conf_free(c);
}

TEST_HARNESS_MAIN
