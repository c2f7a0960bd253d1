/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE UDP sockets: one per "listen isakmp" address, or wildcard
 * sockets per family. Each gets a per-socket bypass policy so that IKE
 * itself is never caught by an IPsec policy.
 */
#ifndef RACOON_LITE_NET_H
#define RACOON_LITE_NET_H

#include <stdint.h>
#include <sys/socket.h>

#include "conf.h"

#define NET_MAX_SOCKS (MAX_LISTEN + 2)

struct net {
	int fd[NET_MAX_SOCKS];
	struct sockaddr_storage bound[NET_MAX_SOCKS];
	int n;
};

/* family: AF_UNSPEC (both), AF_INET (-4) or AF_INET6 (-6). */
int net_open(struct net *n, const struct config *c, int family,
	     uint16_t port, char *err, size_t errlen);
void net_close(struct net *n);
/* Matches ike_send_fn; arg is the struct net. */
int net_send(void *arg, const struct sockaddr *local,
	     const struct sockaddr *remote, const uint8_t *buf, size_t len);
/* Receives one datagram from socket i; fills local and remote. */
ssize_t net_recv(struct net *n, int i, uint8_t *buf, size_t len,
		 struct sockaddr_storage *local,
		 struct sockaddr_storage *remote);

#endif
