// SPDX-License-Identifier: BSD-3-Clause
/*
 * racoon-lite: command line, start-up order and the event loop.
 * Start-up: configuration and keys first (so mistakes show on the
 * terminal), then PF_KEY, then the IKE sockets, then detach.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/ipsec.h>

#include "cert.h"
#include "isakmp.h"
#include "ike.h"
#include "kernel.h"
#include "log.h"
#include "net.h"

#define VERSION "0.1"
#define DEFAULT_CONF "/etc/racoon/racoon.conf"
#define MAX_INITIATE 16

static volatile sig_atomic_t stop, dump;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_usr1(int sig)
{
	(void)sig;
	dump = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	/* no reload: keep running rather than die of the default action */
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: racoon-lite [-46FvVt] [-d...] [-f file] [-l logfile] "
		"[-p port] [-I peer]...\n"
		"  -f file   configuration file (default %s)\n"
		"  -F        stay in the foreground\n"
		"  -d        more debug output; repeat up to -dddddd (key "
		"material)\n"
		"  -v        verbose (info level)\n"
		"  -l file   log to file instead of stderr/syslog\n"
		"  -4 / -6   use only IPv4 / IPv6 sockets\n"
		"  -p port   ISAKMP port (default 500)\n"
		"  -I peer   negotiate transport-mode ESP with peer at "
		"start-up\n"
		"  -t        check the configuration and the key file, then "
		"exit\n"
		"  -V        print the version\n", DEFAULT_CONF);
}

struct opts {
	const char *conf;
	const char *logfile;
	bool foreground, verbose, test;
	int debug, family;
	uint16_t port;
	const char *initiate[MAX_INITIATE];
	int n_initiate;
};

static int parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->conf = DEFAULT_CONF;
	o->family = AF_UNSPEC;
	o->port = 500;
	while ((c = getopt(argc, argv, "f:Fdvl:46p:tVhI:")) != -1) {
		switch (c) {
		case 'f':
			o->conf = optarg;
			break;
		case 'F':
			o->foreground = true;
			break;
		case 'd':
			o->debug++;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'l':
			o->logfile = optarg;
			break;
		case '4':
			o->family = AF_INET;
			break;
		case '6':
			o->family = AF_INET6;
			break;
		case 'p': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || v < 1 || v > 65535) {
				fprintf(stderr, "racoon-lite: bad port '%s'\n",
					optarg);
				return 2;
			}
			o->port = (uint16_t)v;
			break;
		}
		case 't':
			o->test = true;
			break;
		case 'I':
			if (o->n_initiate == MAX_INITIATE) {
				fprintf(stderr, "racoon-lite: at most %d -I\n",
					MAX_INITIATE);
				return 2;
			}
			o->initiate[o->n_initiate++] = optarg;
			break;
		case 'V':
			printf("racoon-lite %s\n", VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return -1;
}

/*
 * -I peer: what an ACQUIRE for a host-to-host "esp/transport" policy would
 * ask for, for kernels that do not send ACQUIREs (or to negotiate before
 * the first packet). The local address is the one the kernel routes from.
 */
static void initiate(struct ike *ike, const char *peer, uint16_t port)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST,
				  .ai_socktype = SOCK_DGRAM }, *ai;
	struct acquire acq;
	socklen_t len;
	char p[8];
	int fd, r;

	snprintf(p, sizeof(p), "%u", port);
	r = getaddrinfo(peer, p, &hints, &ai);
	if (r) {
		log_err("-I %s: %s", peer, gai_strerror(r));
		return;
	}
	memset(&acq, 0, sizeof(acq));
	memcpy(&acq.remote, ai->ai_addr, ai->ai_addrlen);
	len = sizeof(acq.local);
	fd = socket(ai->ai_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) ||
	    getsockname(fd, (struct sockaddr *)&acq.local, &len)) {
		log_err("-I %s: no route to the peer: %m", peer);
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return;
	}
	close(fd);
	freeaddrinfo(ai);
	acq.satype = SADB_SATYPE_ESP;
	acq.mode = IPSEC_MODE_TRANSPORT;
	/* selectors: the two hosts, all ports (the IKE port only below) */
	acq.src.addr = acq.local;
	acq.dst.addr = acq.remote;
	if (acq.local.ss_family == AF_INET6) {
		((struct sockaddr_in6 *)&acq.src.addr)->sin6_port = 0;
		((struct sockaddr_in6 *)&acq.dst.addr)->sin6_port = 0;
		((struct sockaddr_in6 *)&acq.local)->sin6_port = htons(port);
	} else {
		((struct sockaddr_in *)&acq.src.addr)->sin_port = 0;
		((struct sockaddr_in *)&acq.dst.addr)->sin_port = 0;
		((struct sockaddr_in *)&acq.local)->sin_port = htons(port);
	}
	acq.src.prefix = acq.dst.prefix =
		acq.local.ss_family == AF_INET6 ? 128 : 32;
	acq.src.proto = acq.dst.proto = IPSEC_ULPROTO_ANY;
	log_info("initiating to %s (-I)", peer);
	ike_acquire(ike, &acq);
}

/* Whether a proposal authenticates with a pre-shared key. */
static bool uses_psk(const struct config *c)
{
	for (const struct remote_conf *r = c->remotes; r; r = r->next)
		for (const struct p1_proposal *p = r->props; p; p = p->next)
			if (p->auth == OAKLEY_AUTH_PSK)
				return true;
	return false;
}

/* path pidfile: our pid, as racoon writes it (after daemon()). */
static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -1;
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f) ? -1 : 0;
}

static void event_loop(struct ike *ike, struct kernel *k, struct net *n)
{
	struct pollfd pfd[NET_MAX_SOCKS + 1];
	static uint8_t buf[65536];

	while (!stop) {
		int timeout = ike_next_timeout(ike, 10);
		int r;

		for (int i = 0; i < n->n; i++)
			pfd[i] = (struct pollfd){ .fd = n->fd[i],
						  .events = POLLIN };
		pfd[n->n] = (struct pollfd){ .fd = kernel_fd(k),
					     .events = POLLIN };
		r = poll(pfd, (nfds_t)n->n + 1, timeout * 1000 + 10);
		if (r < 0 && errno != EINTR) {
			log_err("poll: %m");
			break;
		}
		for (int i = 0; r > 0 && i < n->n; i++) {
			struct sockaddr_storage local, remote;
			ssize_t len;

			if (!(pfd[i].revents & POLLIN))
				continue;
			while ((len = net_recv(n, i, buf, sizeof(buf), &local,
					       &remote)) >= 0)
				ike_input(ike, buf, (size_t)len,
					  (struct sockaddr *)&local,
					  (struct sockaddr *)&remote);
		}
		if (r > 0 && (pfd[n->n].revents & POLLIN))
			kernel_input(k);
		ike_tick(ike);
		if (dump) {
			dump = 0;
			ike_dump(ike);
		}
	}
}

int main(int argc, char **argv)
{
	struct psk_table *psk;
	struct config *conf;
	struct kernel *k;
	struct ike *ike;
	struct net net;
	struct opts o;
	char err[1024];
	int r;

	r = parse_args(argc, argv, &o);
	if (r >= 0)
		return r;
	if (getuid() != geteuid()) {
		fprintf(stderr, "racoon-lite: refusing to run setuid\n");
		return 1;
	}
	if (o.logfile && log_set_file(o.logfile)) {
		fprintf(stderr, "racoon-lite: cannot open log file %s: %s\n",
			o.logfile, strerror(errno));
		return 1;
	}
	conf = conf_load(o.conf, err, sizeof(err));
	if (!conf) {
		fprintf(stderr, "racoon-lite: %s\n", err);
		return 1;
	}
	if (o.debug || o.verbose)
		log_set_level(LLV_INFO + o.debug);
	else if (conf->log_level >= 0)
		log_set_level(conf->log_level);
	/* once per statement, file:line first; -t shows them too */
	for (int i = 0; i < conf->nwarnings; i++) {
		if (o.test)
			fprintf(stderr, "racoon-lite: warning: %s\n",
				conf->warnings[i]);
		else
			log_warn("%s", conf->warnings[i]);
	}
	if (!conf->psk_path && uses_psk(conf)) {
		fprintf(stderr, "racoon-lite: %s: no 'path pre_shared_key' "
			"statement\n", o.conf);
		conf_free(conf);
		return 1;
	}
	psk = conf->psk_path ? psk_load(conf->psk_path, getuid(), err,
					sizeof(err)) : calloc(1, sizeof(*psk));
	if (!psk) {
		fprintf(stderr, "racoon-lite: %s\n", conf->psk_path ? err :
			"out of memory");
		conf_free(conf);
		return 1;
	}
	/* certificates, private keys and CAs: refused now, not mid-exchange */
	if (certs_load_config(conf, getuid(), err, sizeof(err))) {
		fprintf(stderr, "racoon-lite: %s: %s\n", o.conf, err);
		certs_free_config(conf);
		psk_free(psk);
		conf_free(conf);
		return 1;
	}
	if (o.test) {
		if (conf->psk_path)
			printf("racoon-lite: %s and %s are valid\n", o.conf,
			       conf->psk_path);
		else
			printf("racoon-lite: %s is valid\n", o.conf);
		certs_free_config(conf);
		psk_free(psk);
		conf_free(conf);
		return 0;
	}
	k = kernel_open(err, sizeof(err));
	if (!k || kernel_register(k)) {
		fprintf(stderr, "racoon-lite: %s\n",
			k ? "PF_KEY REGISTER failed" : err);
		kernel_close(k);
		psk_free(psk);
		conf_free(conf);
		return 1;
	}
	kernel_set_port(k, o.port);
	if (net_open(&net, conf, o.family, o.port, err, sizeof(err))) {
		fprintf(stderr, "racoon-lite: %s\n", err);
		kernel_close(k);
		psk_free(psk);
		conf_free(conf);
		return 1;
	}
	if (!o.foreground) {
		if (daemon(0, 0) < 0) {
			fprintf(stderr, "racoon-lite: daemon: %s\n",
				strerror(errno));
			return 1;
		}
		if (!o.logfile)
			log_use_syslog();
		kernel_refresh_pid(k);
	}
	if (conf->pidfile && write_pidfile(conf->pidfile))
		log_warn("path pidfile %s: cannot write it: %m", conf->pidfile);
	ike = ike_new(conf, psk, &pfkey_kernel_ops, k, net_send, &net);
	if (!ike) {
		log_err("out of memory");
		return 1;
	}
	kernel_set_ike(k, ike);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_hup);
	signal(SIGUSR1, on_usr1);
	log_notify("racoon-lite %s started", VERSION);
	for (int i = 0; i < o.n_initiate; i++)
		initiate(ike, o.initiate[i], o.port);
	event_loop(ike, k, &net);
	log_notify("racoon-lite stopping");
	if (conf->pidfile)
		unlink(conf->pidfile);
	ike_free(ike);
	net_close(&net);
	kernel_close(k);
	psk_free(psk);
	certs_free_config(conf);
	conf_free(conf);
	return 0;
}
