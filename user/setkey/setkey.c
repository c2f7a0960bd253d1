// SPDX-License-Identifier: BSD-3-Clause
/*
 * setkey(8): manually manipulate the IPsec SA/SP database (KAME syntax and
 * output, Linux PF_KEY ABI). See Documentation/setkey.8.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parse.h"
#include "exec.h"
#include "monitor.h"
#include "rawfile.h"
#include "lint.h"
#include "translate.h"

#define SETKEY_VERSION "kameipsec setkey 1.0"

static void usage(FILE *out)
{
	const struct kame_alg *a;

	fprintf(out,
		"usage: setkey [-knrv] -c\n"
		"       setkey [-knrv] -f file\n"
		"       setkey -X xfrm|swanctl -f file\n"
		"       setkey --from-xfrm < ip-xfrm-output\n"
		"       setkey [-aklNpv] -D [-P]\n"
		"       setkey -n -D            (lint what is loaded)\n"
		"       setkey [-v] -F [-P]\n"
		"       setkey [-H] -x[x]\n"
		"       setkey [-apv] file...   (print saved PF_KEY messages)\n"
		"       setkey -V | -h\n"
		"options: -a dead SAs too, -l loop (-D), -N hide per-socket policies,\n"
		"  -n parse only and print the messages, -p show ports, -v verbose,\n"
		"  -k install policies as written (default), -r also a fwd copy of\n"
		"  every 'in' policy (ipsec-tools on Linux), -H / -h hex dump with -x\n"
		"algorithms:\n");
	for (a = kame_algs; a->name; a++)
		fprintf(out, "  -%c %-20s %s\n", a->kind, a->name, a->note);
}

struct opts {
	int dump, flush, policy, monitor, hex, all, loop, noop, ports;
	int verbose, rfc, hide_socket, cmdline, from_xfrm;
	const char *file, *xlate;
};

static int open_socket(void)
{
	int so = pfkey_open();

	if (so < 0)
		fprintf(stderr, "setkey: cannot open a PF_KEY socket: %s%s\n",
			ipsec_strerror(),
			errno == EAFNOSUPPORT ?
			" (load kameipsec.ko: modprobe kameipsec)" :
			errno == EPERM || errno == EACCES ? " (needs root)" : "");
	return so;
}

/* -c / -f: statement by statement; earlier statements stay applied. */
static int run_script(const struct opts *o, FILE *in, const char *name)
{
	struct sk_parser p;
	struct sk_exec x;
	struct sk_cmd c;
	struct sk_lint lint;
	int so = -1, status = 0, r;
	int interactive = in == stdin && isatty(0);

	if (!o->noop) {
		so = open_socket();
		if (so < 0)
			return 1;
	}
	sk_parser_init(&p, name);
	sk_lex_init_file(&p.lx, in);
	p.rfc_mode = o->rfc;
	sk_exec_init(&x, so, name);
	if (o->noop) {
		/* -n lints: every statement is read, errors included */
		sk_lint_init(&lint, name);
		p.diag = sk_lint_diag;
		p.diag_ctx = &lint;
	}
	x.noop = o->noop;
	x.verbose = o->verbose;
	x.withports = o->ports;
	x.show_dead = 1;
	if (!o->noop && sk_exec_register(&x) == 0) {
		p.alg_check = sk_exec_alg_check;
		p.alg_ctx = &x;
	}
	while ((r = sk_parse_next(&p, &c)) != 0) {
		if (r < 0 && o->noop) {
			sk_lint_report(&lint, p.errline, SK_ERROR, "%s", p.err);
			continue;
		}
		if (r < 0) {
			fprintf(stderr, "%s:%d: %s\n", name, p.errline, p.err);
			status = 1;
			if (interactive)
				continue;
			break;	/* KAME: stop at a syntax error */
		}
		if (o->noop) {
			sk_exec_print_cmd(&x, &c);
			sk_lint_cmd(&lint, &c);
		}
		else if (c.kind != SK_EXIT && sk_exec_cmd(&x, &c))
			status = 1;	/* reported; go on with the next */
		if (c.kind == SK_EXIT) {
			sk_cmd_free(&c);
			break;
		}
		sk_cmd_free(&c);
		fflush(stdout);
	}
	sk_parser_free(&p);
	pfkey_close(so);
	if (o->noop) {
		fflush(stdout);
		if (sk_lint_finish(&lint, stderr))
			status = 1;
		sk_lint_free(&lint);
	}
	return status;
}

/* -X: the whole script first (a mode-any SA takes its policy's mode). */
static int run_translate(const struct opts *o, FILE *in, const char *name)
{
	struct sk_parser p;
	struct sk_model end;
	struct sk_cmd *cmds = NULL, c;
	size_t n = 0, i;
	int r, rc = 0;

	sk_parser_init(&p, name);
	sk_lex_init_file(&p.lx, in);
	p.rfc_mode = o->rfc;
	sk_model_init(&end);
	while ((r = sk_parse_next(&p, &c)) != 0) {
		struct sk_cmd *nc;

		if (r < 0) {
			fprintf(stderr, "%s:%d: %s\n", name, p.errline, p.err);
			rc = 1;
			goto out;
		}
		nc = realloc(cmds, (n + 1) * sizeof(*nc));
		if (!nc) {
			sk_cmd_free(&c);
			fprintf(stderr, "setkey: out of memory\n");
			rc = 1;
			goto out;
		}
		cmds = nc;
		cmds[n++] = c;
		if (c.kind == SK_EXIT)
			break;
		sk_model_apply_cmd(&end, &c);
	}
	if (!strcmp(o->xlate, "xfrm"))
		rc = sk_xfrm_print(stdout, name, cmds, n, &end);
	else
		rc = sk_swanctl_print(stdout, name, cmds, n, &end);
out:
	for (i = 0; i < n; i++)
		sk_cmd_free(&cmds[i]);
	free(cmds);
	sk_model_free(&end);
	sk_parser_free(&p);
	return rc;
}

static int run_dump(const struct opts *o)
{
	struct sk_exec x;
	int so = open_socket(), rc;

	if (so < 0)
		return 1;
	sk_exec_init(&x, so, "setkey");
	x.verbose = o->verbose;
	x.withports = o->ports;
	x.show_dead = o->all;
	x.hide_socket = o->hide_socket;
	do {
		rc = sk_exec_dump(&x, o->policy, SADB_SATYPE_UNSPEC, o->loop);
		fflush(stdout);
		if (o->loop) {
			if (!o->policy)
				fputc('\n', stdout);
			sleep(1);
		}
	} while (o->loop && rc == 0);
	pfkey_close(so);
	return rc ? 1 : 0;
}

static int lint_each(struct sk_exec *x, const struct sadb_msg *m, void *arg)
{
	sk_lint_loaded(arg, m);
	return 0;
}

/* -n -D: lint what is loaded; "lines" are entries, SAs then policies. */
static int run_lint_loaded(const struct opts *o)
{
	struct sk_exec x;
	struct sk_lint lint;
	int so = open_socket(), rc;

	if (so < 0)
		return 1;
	sk_exec_init(&x, so, "kernel");
	sk_lint_init(&lint, "kernel");
	rc = sk_exec_walk(&x, 0, lint_each, &lint) ||
	     sk_exec_walk(&x, 1, lint_each, &lint);
	if (sk_lint_finish(&lint, stderr))
		rc = 1;
	sk_lint_free(&lint);
	pfkey_close(so);
	return rc ? 1 : 0;
}

static int run_flush(const struct opts *o)
{
	struct sk_exec x;
	struct sk_cmd c = { 0 };
	struct sk_msg msg;
	struct sadb_msg m = {
		.sadb_msg_version = PF_KEY_V2,
		.sadb_msg_type = o->policy ? SADB_X_SPDFLUSH : SADB_FLUSH,
		.sadb_msg_len = sizeof(m) / 8,
		.sadb_msg_seq = 1,
		.sadb_msg_pid = getpid(),
	};
	int so = open_socket(), rc;

	if (so < 0)
		return 1;
	sk_exec_init(&x, so, "setkey");
	x.verbose = o->verbose;
	msg.m = &m;
	msg.len = sizeof(m);
	c.kind = SK_SEND;
	c.name = o->policy ? "spdflush" : "flush";
	c.msgs = &msg;
	c.nmsgs = 1;
	rc = sk_exec_cmd(&x, &c);
	pfkey_close(so);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	int ch, rc = 0;

	static const struct option longopts[] = {
		{ "from-xfrm", no_argument, NULL, 1 },
		{ NULL, 0, NULL, 0 },
	};

	while ((ch = getopt_long(argc, argv, "acdf:HhklnNvxX:DFPpVr", longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 1: o.from_xfrm = 1; break;
		case 'X':
			if (strcmp(optarg, "xfrm") && strcmp(optarg, "swanctl")) {
				fprintf(stderr, "setkey: -X xfrm or -X swanctl\n");
				return 1;
			}
			o.xlate = optarg;
			break;
		case 'a': o.all = 1; break;
		case 'c': o.cmdline = 1; break;
		case 'd': o.verbose = 1; break;
		case 'f': o.file = optarg; break;
		case 'H': o.hex = 1; break;
		case 'h': o.hex = 2; break;	/* NetBSD's -x -h; else help */
		case 'k': o.rfc = 0; break;
		case 'r': o.rfc = 1; break;
		case 'l': o.loop = 1; break;
		case 'n': o.noop = 1; break;
		case 'N': o.hide_socket = 1; break;
		case 'v': o.verbose = 1; break;
		case 'x': o.monitor++; break;
		case 'D': o.dump = 1; break;
		case 'F': o.flush = 1; break;
		case 'P': o.policy = 1; break;
		case 'p': o.ports = 1; break;
		case 'V': printf("%s\n", SETKEY_VERSION); return 0;
		default: usage(stderr); return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (o.hex == 2 && !o.monitor) {
		usage(stdout);
		return 0;
	}
	if (o.from_xfrm)
		return sk_from_xfrm(stdin, stdout, stderr);
	if (o.monitor) {
		int so = open_socket();

		if (so < 0)
			return 1;
		return sk_monitor(so, stdout, o.monitor > 1, o.hex) ? 1 : 0;
	}
	if (o.dump && o.noop)
		return run_lint_loaded(&o);
	if (o.dump)
		return run_dump(&o);
	if (o.flush)
		return run_flush(&o);
	if (o.file) {
		FILE *in = strcmp(o.file, "-") ? fopen(o.file, "r") : stdin;

		if (!in) {
			fprintf(stderr, "setkey: %s: %s\n", o.file, strerror(errno));
			return 1;
		}
		if (o.xlate)
			rc = run_translate(&o, in, strcmp(o.file, "-") ? o.file : "stdin");
		else
			rc = run_script(&o, in, strcmp(o.file, "-") ? o.file : "stdin");
		if (in != stdin)
			fclose(in);
		return rc;
	}
	if (o.xlate)
		return run_translate(&o, stdin, "stdin");
	if (o.cmdline)
		return run_script(&o, stdin, "stdin");
	if (argc > 0) {
		for (; argc > 0; argc--, argv++)
			if (sk_print_rawfile(*argv, stdout, o.verbose, o.ports, o.all)) {
				fprintf(stderr, "setkey: %s: %s\n", *argv,
					errno ? strerror(errno) : "unreadable");
				rc = 1;
			}
		return rc;
	}
	usage(stderr);
	return 1;
}
