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

TEST_HARNESS_MAIN
