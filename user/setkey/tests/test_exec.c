// SPDX-License-Identifier: BSD-3-Clause
/*
 * The executor against a scripted fake kernel on a datagram socketpair:
 * reply matching past other processes' broadcasts, dumps until seq 0,
 * errno texts, and deleteall's dump-and-delete fallback; the monitor (-x)
 * going on after a malformed message.
 */
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <netinet/in.h>
#include <poll.h>
#include "../exec.h"
#include "../monitor.h"
#include "../../libipsec/pfkey_msg.h"
#include "kselftest_harness.h"

/* A request as the kernel reads it (pfkey_recv() checks kernel messages). */
static struct sadb_msg *recv_req(int so)
{
	struct sadb_msg *m = malloc(65536);
	ssize_t n = m ? recv(so, m, 65536, 0) : -1;

	if (n < (ssize_t)sizeof(*m) || (size_t)m->sadb_msg_len * 8 != (size_t)n) {
		free(m);
		return NULL;
	}
	return m;
}

/*
 * The kernel's answer: an error echoes the request, success echoes its
 * extensions but the keys (as kameipsec's broadcasts), from @pid.
 */
static void reply_hdr_pid(int so, const struct sadb_msg *req, int err, uint32_t pid)
{
	caddr_t mhp[SADB_EXT_MAX + 1];
	struct pfkey_msgbuf mb;
	struct sadb_msg *m;
	size_t len;

	pfkey_mb_init(&mb, req->sadb_msg_type, req->sadb_msg_satype,
		      req->sadb_msg_seq, pid);
	if (pfkey_align((struct sadb_msg *)req, mhp))
		_exit(1);
	for (unsigned int t = 1; t <= SADB_EXT_MAX; t++) {
		const struct sadb_ext *e = (const void *)mhp[t];

		if (e && (err || (t != SADB_EXT_KEY_AUTH && t != SADB_EXT_KEY_ENCRYPT)))
			pfkey_mb_ext(&mb, t, 0, e, e->sadb_ext_len * 8);
	}
	m = pfkey_mb_finish(&mb, &len);
	m->sadb_msg_errno = err;
	send(so, m, len, 0);
	pfkey_mb_free(&mb);
}

static void reply_hdr(int so, const struct sadb_msg *req, int err)
{
	reply_hdr_pid(so, req, err, req->sadb_msg_pid);
}

/*
 * An ESP SA 10.0.0.1 -> 10.0.0.2 in a message of @type, the source prefix
 * @plen bits long, with the current lifetime if @current.
 */
static void put_sa(int so, unsigned int type, uint32_t seq, uint32_t pid,
		   uint32_t spi, unsigned int plen, int current)
{
	struct pfkey_msgbuf mb;
	struct sockaddr_in s = { .sin_family = AF_INET }, d = s;
	struct sadb_msg *m;
	size_t len;

	s.sin_addr.s_addr = htonl(0x0a000001);
	d.sin_addr.s_addr = htonl(0x0a000002);
	pfkey_mb_init(&mb, type, SADB_SATYPE_ESP, seq, pid);
	pfkey_mb_sa(&mb, spi, 0, SADB_SASTATE_MATURE, 0, SADB_EALG_NULL, 0);
	if (current)
		pfkey_mb_lifetime(&mb, SADB_EXT_LIFETIME_CURRENT, 0, 0, 0, 0);
	pfkey_mb_address(&mb, SADB_EXT_ADDRESS_SRC, (void *)&s, plen, 255);
	pfkey_mb_address(&mb, SADB_EXT_ADDRESS_DST, (void *)&d, 32, 255);
	m = pfkey_mb_finish(&mb, &len);
	send(so, m, len, 0);
	pfkey_mb_free(&mb);
}

/* An SA as the kernel's GET and DUMP give it (current lifetime included). */
static void send_sa(int so, const struct sadb_msg *req, uint32_t spi, uint32_t seq)
{
	put_sa(so, req->sadb_msg_type, seq, req->sadb_msg_pid, spi, 32, 1);
}

/* Types whose successful answer the kernel sends to every socket. */
static int broadcast(unsigned int type)
{
	switch (type) {
	case SADB_ADD: case SADB_UPDATE: case SADB_DELETE: case SADB_FLUSH:
	case SADB_X_SPDADD: case SADB_X_SPDUPDATE: case SADB_X_SPDDELETE:
	case SADB_X_SPDDELETE2: case SADB_X_SPDFLUSH: case SADB_X_SPDSETIDX:
		return 1;
	}
	return 0;
}

/* Answers like a KAME-ish kernel that refuses delete-all (as af_key). */
static void fake_kernel(int so, int logfd)
{
	for (;;) {
		struct sadb_msg *m = recv_req(so);
		caddr_t mhp[SADB_EXT_MAX + 1];
		struct sadb_sa *sa;
		uint32_t spi;
		char line[64];

		if (!m)
			_exit(0);
		if (pfkey_align(m, mhp))
			_exit(1);
		sa = (void *)mhp[SADB_EXT_SA];
		spi = sa ? ntohl(sa->sadb_sa_spi) : 0;
		snprintf(line, sizeof(line), "%u %x\n", m->sadb_msg_type, spi);
		if (write(logfd, line, strlen(line)) < 0)
			_exit(1);
		/* another process's broadcast (or failed request) of the type first */
		reply_hdr_pid(so, m, broadcast(m->sadb_msg_type) ? 0 : ENOENT, 999999);
		switch (m->sadb_msg_type) {
		case SADB_ADD:
			reply_hdr(so, m, spi == 0xbad ? EEXIST : 0);
			break;
		case SADB_GET:
			if (spi == 0x404)
				reply_hdr(so, m, ESRCH);
			else
				send_sa(so, m, spi, m->sadb_msg_seq);
			break;
		case SADB_DELETE:
			reply_hdr(so, m, sa ? 0 : EINVAL);
			break;
		case SADB_DUMP:
			send_sa(so, m, 0x100, 2);
			send_sa(so, m, 0x101, 1);
			send_sa(so, m, 0x102, 0);
			break;
		case SADB_X_SPDDUMP:
			reply_hdr(so, m, ENOENT);
			break;
		default:
			reply_hdr(so, m, 0);
		}
		free(m);
	}
}

FIXTURE(kern)
{
	int sv[2];
	int log[2];
	pid_t child;
	struct sk_exec x;
	char *out, *err;
	size_t outlen, errlen;
};

FIXTURE_SETUP(kern)
{
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, self->sv));
	ASSERT_EQ(0, pipe(self->log));
	self->child = fork();
	ASSERT_GE(self->child, 0);
	if (self->child == 0) {
		close(self->sv[0]);
		close(self->log[0]);
		fake_kernel(self->sv[1], self->log[1]);
	}
	close(self->sv[1]);
	close(self->log[1]);
	sk_exec_init(&self->x, self->sv[0], "t.conf");
	self->x.timeout_ms = 5000;
	self->x.out = open_memstream(&self->out, &self->outlen);
	self->x.err = open_memstream(&self->err, &self->errlen);
}

FIXTURE_TEARDOWN(kern)
{
	close(self->sv[0]);
	kill(self->child, SIGTERM);
	waitpid(self->child, NULL, 0);
	close(self->log[0]);
	free(self->out);
	free(self->err);
}

/* Parses text and executes every statement; returns the OR of results. */
static int run(struct sk_exec *x, const char *text)
{
	struct sk_parser p;
	struct sk_cmd c;
	int r, rc = 0;

	sk_parser_init(&p, "t.conf");
	p.pid = x->pid;
	sk_lex_init_mem(&p.lx, text, strlen(text));
	while ((r = sk_parse_next(&p, &c)) > 0) {
		rc |= sk_exec_cmd(x, &c) ? 1 : 0;
		sk_cmd_free(&c);
	}
	sk_parser_free(&p);
	return r < 0 ? -1 : rc;
}

static void finish(struct sk_exec *x)
{
	fflush(x->out);
	fflush(x->err);
}

TEST_F(kern, add_ok_and_eexist_keeps_going)
{
	int rc = run(&self->x,
		     "add 10.0.0.1 10.0.0.2 esp 0x100 -E null;\n"
		     "add 10.0.0.1 10.0.0.2 esp 0xbad -E null;\n"
		     "add 10.0.0.1 10.0.0.2 esp 0x101 -E null;\n");

	finish(&self->x);
	EXPECT_EQ(1, rc);
	EXPECT_STREQ("t.conf:2: add: File exists\n", self->err);
	EXPECT_STREQ("", self->out);
}

TEST_F(kern, get_prints_and_missing_is_no_entry)
{
	int rc = run(&self->x, "get 10.0.0.1 10.0.0.2 esp 0x55;\n"
			       "get 10.0.0.1 10.0.0.2 esp 0x404;\n");

	finish(&self->x);
	EXPECT_EQ(1, rc);
	EXPECT_NE(NULL, strstr(self->out, "\tesp mode=any spi=85(0x00000055) reqid=0(0x00000000)\n"));
	EXPECT_STREQ("t.conf:2: get: No entry\n", self->err);
}

TEST_F(kern, dump_until_seq_zero_and_empty_spd)
{
	char buf[256];
	ssize_t n;
	int rc = run(&self->x, "dump esp; spddump;");

	finish(&self->x);
	EXPECT_EQ(0, rc);
	EXPECT_NE(NULL, strstr(self->out, "spi=256(0x00000100)"));
	EXPECT_NE(NULL, strstr(self->out, "spi=258(0x00000102)"));
	EXPECT_NE(NULL, strstr(self->out, "\nNo SPD entries.\n"));
	EXPECT_STREQ("", self->err);
	n = read(self->log[0], buf, sizeof(buf) - 1);
	ASSERT_GT(n, 0);
	buf[n] = '\0';
	EXPECT_STREQ("10 0\n18 0\n", buf);
}

TEST_F(kern, deleteall_falls_back_to_dump_and_delete)
{
	char buf[256];
	ssize_t n;
	int rc = run(&self->x, "deleteall 10.0.0.1 10.0.0.2 esp;");

	finish(&self->x);
	EXPECT_EQ(0, rc);
	EXPECT_STREQ("", self->err);
	usleep(100000);
	n = read(self->log[0], buf, sizeof(buf) - 1);
	ASSERT_GT(n, 0);
	buf[n] = '\0';
	/* DELETE without SA (refused), DUMP, then one DELETE per SA */
	EXPECT_STREQ("4 0\n10 0\n4 100\n4 101\n4 102\n", buf);
}

TEST_F(kern, verbose_prints_both_directions)
{
	self->x.verbose = 1;
	EXPECT_EQ(0, run(&self->x, "flush;"));
	finish(&self->x);
	EXPECT_NE(NULL, strstr(self->out, "# send\nsadb_msg{ version=2 type=9 "));
	EXPECT_NE(NULL, strstr(self->out, "# recv\nsadb_msg{ version=2 type=9 "));
}

TEST(no_reply_times_out)
{
	int sv[2];
	struct sk_exec x;
	char *err = NULL;
	size_t len;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	sk_exec_init(&x, sv[0], "t.conf");
	x.timeout_ms = 100;
	x.err = open_memstream(&err, &len);
	EXPECT_EQ(1, run(&x, "spdflush;"));
	fclose(x.err);
	EXPECT_STREQ("t.conf:1: spdflush: no reply from the kernel\n", err);
	free(err);
	close(sv[0]);
	close(sv[1]);
}

/* Appends what @fd has within @ms to buf (NUL-terminated); bytes read. */
static size_t read_for(int fd, char *buf, size_t size, size_t have, int ms,
		       const char *until)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	while (have + 1 < size && (!until || !strstr(buf, until)) &&
	       poll(&p, 1, ms) == 1) {
		n = read(fd, buf + have, size - 1 - have);
		if (n <= 0)
			break;
		have += n;
		buf[have] = 0;
	}
	return have;
}

/*
 * setkey -x: a message pfkey_recv() refuses is reported on stderr and the
 * monitor prints the next one (it used to exit at the first: another
 * process's raw X_PROMISC payload was enough to end it).
 */
TEST(monitor_goes_on_after_a_malformed_message)
{
	char out[8192] = "", err[4096] = "";
	int sv[2], o[2], e[2];
	struct sadb_msg *toggle;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	ASSERT_EQ(0, pipe(o));
	ASSERT_EQ(0, pipe(e));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		FILE *f = fdopen(o[1], "w");

		dup2(e[1], 2);
		close(sv[0]);
		_exit(f && !sk_monitor(sv[1], f, 1, 0) ? 0 : 1);
	}
	close(sv[1]);
	close(o[1]);
	close(e[1]);
	toggle = recv_req(sv[0]);
	ASSERT_NE(NULL, toggle);
	EXPECT_EQ(SADB_X_PROMISC, toggle->sadb_msg_type);
	free(toggle);

	/* An ADD broadcast: first with an IPv4 prefix of 33 bits. */
	put_sa(sv[0], SADB_ADD, 0, 77, 0x4242, 33, 0);
	put_sa(sv[0], SADB_ADD, 0, 77, 0x4242, 32, 0);
	read_for(o[0], out, sizeof(out), 0, 5000, "spi=");
	read_for(e[0], err, sizeof(err), 0, 1000, "\n");
	EXPECT_EQ(0, waitpid(pid, NULL, WNOHANG)) TH_LOG("the monitor ended: %s", err);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	EXPECT_STREQ("setkey: recv: Invalid sadb message: malformed SADB_ADD from the "
		     "kernel: malformed extension ADDRESS_SRC (Invalid argument)\n", err);
	EXPECT_NE(NULL, strstr(out, "sadb_msg{ version=2 type=3 ")) TH_LOG("%s", out);
	close(sv[0]);
	close(o[0]);
	close(e[0]);
}

TEST_HARNESS_MAIN
