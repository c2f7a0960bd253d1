// SPDX-License-Identifier: BSD-3-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ike.h"
#include "kernel.h"
#include "log.h"
#include "natt.h"
#include "net.h"

#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif
#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

static void bypass_or_hint(int fd, int family, unsigned int port)
{
	if (!kernel_socket_bypass(fd, family))
		return;
	log_warn("cannot put a bypass policy on the IKE socket (%s); if an "
		 "IPsec policy covers IKE traffic, exempt it with setkey, ahead "
		 "of the ipsec policies: "
		 "'spdadd %s[%u] %s udp -P out none;' and "
		 "'spdadd %s %s[%u] udp -P in none;'", strerror(errno),
		 family == AF_INET6 ? "::/0" : "0.0.0.0/0", port,
		 family == AF_INET6 ? "::/0" : "0.0.0.0/0",
		 family == AF_INET6 ? "::/0" : "0.0.0.0/0",
		 family == AF_INET6 ? "::/0" : "0.0.0.0/0", port);
}

static int open_one(struct net *n, const struct sockaddr_storage *ss,
		    bool natt, char *err, size_t errlen)
{
	int family = ss->ss_family, on = 1, encap = UDP_ENCAP_ESPINUDP;
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	char a[INET6_ADDRSTRLEN];

	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	}
	bypass_or_hint(fd, family, sa_port((const struct sockaddr *)ss));
	/* ESP in UDP is the kernel's: only IKE reaches this socket */
	if (natt && setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &encap,
			       sizeof(encap)) < 0) {
		snprintf(err, errlen, "UDP_ENCAP on the NAT-T socket: %s",
			 strerror(errno));
		close(fd);
		return -1;
	}
	if (bind(fd, (const struct sockaddr *)ss,
		 sa_len((const struct sockaddr *)ss)) < 0) {
		snprintf(err, errlen, "cannot bind %s port %u: %s",
			 addr_str((const struct sockaddr *)ss, a, sizeof(a)),
			 ntohs(family == AF_INET6 ?
				       ((const struct sockaddr_in6 *)ss)->sin6_port :
				       ((const struct sockaddr_in *)ss)->sin_port),
			 strerror(errno));
		close(fd);
		return -1;
	}
	n->fd[n->n] = fd;
	n->bound[n->n] = *ss;
	n->natt[n->n] = natt;
	n->n++;
	log_info("listening on %s port %u%s",
		 addr_str((const struct sockaddr *)ss, a, sizeof(a)),
		 sa_port((const struct sockaddr *)ss), natt ? " (NAT-T)" : "");
	return 0;
}

/* The wildcard sockets of @port for the families asked for. */
static int open_wildcards(struct net *n, int family, uint16_t port, bool natt,
			  char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	int before = n->n;

	if (family != AF_INET6) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		memset(&ss, 0, sizeof(ss));
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		if (open_one(n, &ss, natt, err, errlen))
			return -1;
	}
	if (family != AF_INET) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		memset(&ss, 0, sizeof(ss));
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		if (open_one(n, &ss, natt, err, errlen)) {
			/* a host without IPv6 still serves IPv4 */
			if (family == AF_UNSPEC && n->n > before) {
				log_warn("no IPv6 socket: %s", err);
				return 0;
			}
			return -1;
		}
	}
	return 0;
}

int net_open(struct net *n, const struct config *c, int family,
	     uint16_t port, char *err, size_t errlen)
{
	struct sockaddr_storage ss;

	memset(n, 0, sizeof(*n));
	for (int i = 0; i < c->nlisten; i++) {
		ss = c->listen[i];
		if (family != AF_UNSPEC && ss.ss_family != family)
			continue;
		if (open_one(n, &ss, false, err, errlen))
			goto fail;
	}
	if (c->nlisten == 0 &&
	    open_wildcards(n, family, port, false, err, errlen))
		goto fail;
	if (n->n == 0) {
		snprintf(err, errlen, "no listen address of the chosen "
			 "address family");
		return -1;
	}
	/* NAT traversal: the 4500 sockets, if a remote may use them */
	if (!c->natt_any)
		return 0;
	for (int i = 0; i < c->nlisten_natt; i++) {
		ss = c->listen_natt[i];
		if (family != AF_UNSPEC && ss.ss_family != family)
			continue;
		if (open_one(n, &ss, true, err, errlen))
			goto fail;
	}
	if (c->nlisten_natt == 0 &&
	    open_wildcards(n, family, c->natt_port, true, err, errlen))
		goto fail;
	return 0;
fail:
	net_close(n);
	return -1;
}

void net_close(struct net *n)
{
	for (int i = 0; i < n->n; i++)
		close(n->fd[i]);
	n->n = 0;
}

static bool is_wildcard(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
		       htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

int net_send(void *arg, const struct sockaddr *local,
	     const struct sockaddr *remote, const uint8_t *buf, size_t len)
{
	struct net *n = arg;
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl;
	static const uint8_t marker[4];
	struct iovec iov[2] = { { (void *)marker, 4 }, { (void *)buf, len } };
	struct msghdr mh = {
		.msg_name = (void *)remote,
		.msg_namelen = (socklen_t)sa_len(remote),
		.msg_iov = iov + 1,
		.msg_iovlen = 1,
	};
	struct cmsghdr *cm;
	int i, pick = -1;
	ssize_t r;

	/*
	 * The socket of the exchange's local port (500 or 4500); failing
	 * that, as before NAT-T, any IKE socket of the address (a listen
	 * port other than -p's: ACQUIREs carry -p's).
	 */
	for (int any_port = 0; any_port < 2 && pick < 0; any_port++)
		for (i = 0; i < n->n; i++) {
			if (n->bound[i].ss_family != remote->sa_family ||
			    (any_port ? n->natt[i] :
			     sa_port((const struct sockaddr *)&n->bound[i]) !=
				     sa_port(local)))
				continue;
			if (addr_eq((const struct sockaddr *)&n->bound[i],
				    local)) {
				pick = i;
				break;
			}
			if (pick < 0 && is_wildcard(&n->bound[i]))
				pick = i;
		}
	if (pick < 0) {
		errno = EADDRNOTAVAIL;
		return -1;
	}
	if (is_wildcard(&n->bound[pick])) {
		/* choose the source address the exchange started on */
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		cm = (struct cmsghdr *)ctl.buf;
		if (remote->sa_family == AF_INET) {
			struct in_pktinfo pi = { 0 };

			pi.ipi_spec_dst = ((const struct sockaddr_in *)local)->sin_addr;
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		} else {
			struct in6_pktinfo pi;

			memset(&pi, 0, sizeof(pi));
			pi.ipi6_addr = ((const struct sockaddr_in6 *)local)->sin6_addr;
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		}
	}
	/* IKE on a NAT-T socket: the non-ESP marker; a keepalive: none */
	if (n->natt[pick] && !(len == 1 && buf[0] == NATT_KEEPALIVE_BYTE)) {
		mh.msg_iov = iov;
		mh.msg_iovlen = 2;
	}
	r = sendmsg(n->fd[pick], &mh, 0);
	if (r >= 0 && mh.msg_iovlen == 2)
		r -= 4;
	return (int)r;
}

ssize_t net_recv(struct net *n, int i, uint8_t *buf, size_t len,
		 struct sockaddr_storage *local,
		 struct sockaddr_storage *remote)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			 CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, len };
	struct msghdr mh = {
		.msg_name = remote,
		.msg_namelen = sizeof(*remote),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *cm;
	ssize_t r;

again:
	mh.msg_namelen = sizeof(*remote);
	mh.msg_controllen = sizeof(ctl.buf);
	r = recvmsg(n->fd[i], &mh, MSG_DONTWAIT);
	if (r < 0)
		return r;
	if (n->natt[i]) {
		/*
		 * RFC 3948: 0xFF is a keepalive; IKE starts with four zero
		 * bytes. ESP never gets here (the kernel takes it); what
		 * else comes is not ours.
		 */
		if (r == 1 && buf[0] == NATT_KEEPALIVE_BYTE) {
			n->keepalives_in++;
			goto again;
		}
		if (r < 4 || buf[0] || buf[1] || buf[2] || buf[3]) {
			n->non_ike_in++;
			log_debug("dropped %zd bytes on the NAT-T socket: no "
				  "non-ESP marker", r);
			goto again;
		}
		r -= 4;
		memmove(buf, buf + 4, (size_t)r);
	}
	*local = n->bound[i];
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			((struct sockaddr_in *)local)->sin_addr = pi.ipi_addr;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
			   cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			((struct sockaddr_in6 *)local)->sin6_addr = pi.ipi6_addr;
		}
	}
	return r;
}
