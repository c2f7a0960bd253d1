// SPDX-License-Identifier: BSD-3-Clause
/* The PF_KEY socket: open, close, send one message, receive one message. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pfkey_msg.h"
#include "ipsec_internal.h"

/* Large enough for a dump burst; the kernel caps it at rmem_max. */
#define PFKEY_RCVBUF	(4 * 1024 * 1024)
#define PFKEY_SNDBUF	(128 * 1024)

int pfkey_open(void)
{
	int so, v;

	so = socket(PF_KEY, SOCK_RAW | SOCK_CLOEXEC, PF_KEY_V2);
	if (so < 0) {
		ipsec_set_syserror();
		return -1;
	}
	v = PFKEY_SNDBUF;
	setsockopt(so, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	v = PFKEY_RCVBUF;
	/* FORCE works for root beyond rmem_max; fall back quietly. */
	if (setsockopt(so, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)))
		setsockopt(so, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	return so;
}

void pfkey_close(int so)
{
	if (so >= 0)
		close(so);
}

int pfkey_send(int so, struct sadb_msg *msg, int len)
{
	ssize_t n;

	do {
		n = send(so, msg, len, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		ipsec_set_syserror();
		return -1;
	}
	__ipsec_errcode = EIPSEC_NO_ERROR;
	return n;
}

int pfkey_send_mb(int so, struct pfkey_msgbuf *mb)
{
	struct sadb_msg *m;
	size_t len;
	int r;

	m = pfkey_mb_finish(mb, &len);
	if (!m) {
		pfkey_mb_free(mb);
		return -1;
	}
	r = pfkey_send(so, m, len);
	pfkey_mb_free(mb);
	return r;
}

/* One whole message, malloc'd; NULL with errno-based error on failure. */
struct sadb_msg *pfkey_recv(int so)
{
	struct sadb_msg hdr, *m;
	ssize_t n;
	size_t len;

	do {
		n = recv(so, &hdr, sizeof(hdr), MSG_PEEK);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		ipsec_set_syserror();
		return NULL;
	}
	if ((size_t)n < sizeof(hdr)) {
		/* drop the runt so the caller does not loop on it */
		recv(so, &hdr, sizeof(hdr), 0);
		ipsec_set_error(EIPSEC_INVAL_SADBMSG, "short message");
		return NULL;
	}
	len = PFKEY_UNUNIT64((size_t)hdr.sadb_msg_len);
	if (len < sizeof(hdr))
		len = sizeof(hdr);
	m = calloc(1, len);
	if (!m) {
		ipsec_set_error(EIPSEC_NO_BUFS, NULL);
		return NULL;
	}
	do {
		n = recv(so, m, len, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		ipsec_set_syserror();
		free(m);
		return NULL;
	}
	if ((size_t)n != len) {
		ipsec_set_error(EIPSEC_INVAL_SADBMSG, "length %zd, header says %zu",
				n, len);
		free(m);
		return NULL;
	}
	if (kame_check_from_kernel(m, len)) {
		free(m);
		return NULL;
	}
	__ipsec_errcode = EIPSEC_NO_ERROR;
	return m;
}
