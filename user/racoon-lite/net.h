/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE UDP sockets: one per "listen isakmp" address, or wildcard
 * sockets per family; with NAT traversal also the NAT-T ones (isakmp_natt,
 * else port 4500), UDP_ENCAP_ESPINUDP sockets where IKE goes with a
 * 4-byte zero marker (RFC 3948 2.2) that net.c strips and prepends. Each
 * gets a per-socket bypass policy so that IKE itself is never caught by
 * an IPsec policy.
 */
#ifndef RACOON_LITE_NET_H
#define RACOON_LITE_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>

#include "conf.h"

#define NET_MAX_SOCKS (2 * (MAX_LISTEN + 2))

struct net {
	int fd[NET_MAX_SOCKS];
	struct sockaddr_storage bound[NET_MAX_SOCKS];
	bool natt[NET_MAX_SOCKS];	/* a NAT-T (port 4500) socket */
	int n;
	unsigned long keepalives_in, non_ike_in;	/* dropped, counted */
};

/* family: AF_UNSPEC (both), AF_INET (-4) or AF_INET6 (-6). */
int net_open(struct net *n, const struct config *c, int family,
	     uint16_t port, char *err, size_t errlen);
void net_close(struct net *n);
/* Matches ike_send_fn; arg is the struct net. */
int net_send(void *arg, const struct sockaddr *local,
	     const struct sockaddr *remote, const uint8_t *buf, size_t len);
/*
 * Receives the next IKE message from socket i (NAT-T sockets: marker
 * stripped, keepalives and anything without the marker skipped); fills
 * local and remote. -1 (errno EAGAIN) when there is nothing more.
 */
ssize_t net_recv(struct net *n, int i, uint8_t *buf, size_t len,
		 struct sockaddr_storage *local,
		 struct sockaddr_storage *remote);

#endif
