// SPDX-License-Identifier: BSD-3-Clause
/*
 * The linter's driver: collects findings while the script is applied to
 * the model (what the kernel would refuse: an SA or a selector added twice,
 * a key of the wrong length), then runs the end-state checks
 * (lint_checks.c) and prints everything in line order.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "lint.h"
#include "../libipsec/pfkey_msg.h"

/* Process names whose presence means keys come from IKE, not the script. */
static const char *const ike_daemons[] = {
	"racoon", "racoon-lite", "charon", "charon-systemd", "pluto", "iked",
	"isakmpd",
};

static int ike_running(void)
{
	const char *env = getenv("SETKEY_LINT_IKE");
	struct dirent *de;
	DIR *d;
	int found = 0;

	if (env)
		return !strcmp(env, "yes");
	d = opendir("/proc");
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		char path[300], comm[64];
		FILE *f;
		size_t i;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f)) {
			comm[strcspn(comm, "\n")] = '\0';
			for (i = 0; i < sizeof(ike_daemons) / sizeof(ike_daemons[0]); i++)
				if (!strcmp(comm, ike_daemons[i]))
					found = 1;
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

void sk_lint_init(struct sk_lint *l, const char *file)
{
	memset(l, 0, sizeof(*l));
	l->file = file;
	sk_model_init(&l->m);
	l->ike = ike_running();
}

void sk_lint_free(struct sk_lint *l)
{
	size_t i;

	for (i = 0; i < l->nf; i++)
		free(l->f[i].text);
	free(l->f);
	sk_model_free(&l->m);
}

void sk_lint_report(struct sk_lint *l, int line, enum sk_sev sev,
		    const char *fmt, ...)
{
	struct sk_finding *n;
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	n = text ? realloc(l->f, (l->nf + 1) * sizeof(*n)) : NULL;
	if (!n) {
		free(text);
		l->oom = 1;
		return;
	}
	l->f = n;
	l->f[l->nf].line = line;
	l->f[l->nf].seq = l->seq++;
	l->f[l->nf].sev = sev;
	l->f[l->nf].text = text;
	l->nf++;
}

void sk_lint_diag(void *lint, int line, const char *msg)
{
	sk_lint_report(lint, line, SK_ERROR, "%s", msg);
}

void sk_lint_cmd(struct sk_lint *l, const struct sk_cmd *c)
{
	char a[80], b[80];
	size_t i;

	for (i = 0; i < c->nmsgs; i++) {
		const void *old;
		const struct sk_msa *s;
		const struct sk_mpol *p;

		switch (sk_model_apply(&l->m, c->msgs[i].m, c->line, &old)) {
		case SK_M_SA_DUP:
			s = old;
			sk_lint_report(l, c->line, SK_ERROR,
				       "%s SPI %u to %s is already used by the SA at line %d: the kernel refuses this add (File exists); pick another SPI, or write update",
				       kame_str_satype(s->satype), s->spi,
				       sk_addr_str(&s->dst, sk_addr_maxprefix(&s->dst),
						   0, a, sizeof(a)), s->line);
			break;
		case SK_M_POL_DUP:
			p = old;
			sk_lint_report(l, c->line, SK_ERROR,
				       "the policy at line %d has the same selector (%s): the kernel refuses this spdadd (File exists); write spdupdate, or spddelete the old one first",
				       p->line, sk_lint_polstr(p, b, sizeof(b)));
			break;
		case SK_M_BAD:
			sk_lint_report(l, c->line, SK_ERROR,
				       "%s: cannot read the message back (out of memory?)",
				       c->name);
			break;
		default:
			break;
		}
	}
}

void sk_lint_loaded(struct sk_lint *l, const struct sadb_msg *m)
{
	struct sadb_msg *copy;
	caddr_t mhp[SADB_EXT_MAX + 1];
	size_t len = PFKEY_UNUNIT64((size_t)m->sadb_msg_len);
	const struct sadb_sa *sa;
	const struct sadb_x_policy *xp;

	if (pfkey_align((struct sadb_msg *)m, mhp))
		return;
	sa = (const void *)mhp[SADB_EXT_SA];
	xp = (const void *)mhp[SADB_X_EXT_POLICY];
	/* dead SAs and per-socket policies are not the configuration */
	if ((sa && sa->sadb_sa_state == SADB_SASTATE_DEAD) ||
	    (xp && xp->sadb_x_policy_id % 8 >= 3))
		return;
	copy = malloc(len);
	if (!copy) {
		l->oom = 1;
		return;
	}
	memcpy(copy, m, len);
	copy->sadb_msg_type = m->sadb_msg_type == SADB_X_SPDDUMP ?
			      SADB_X_SPDADD : SADB_ADD;
	if (sk_model_apply(&l->m, copy, ++l->entries, NULL) == SK_M_BAD)
		l->oom = 1;
	free(copy);
}

static int by_line(const void *x, const void *y)
{
	const struct sk_finding *a = x, *b = y;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int sk_lint_finish(struct sk_lint *l, FILE *out)
{
	static const char *const sev[] = { "note", "warning", "error" };
	int errors = 0;
	size_t i;

	sk_lint_run_checks(l);
	if (l->nf)
		qsort(l->f, l->nf, sizeof(*l->f), by_line);
	for (i = 0; i < l->nf; i++) {
		fprintf(out, "%s:%d: %s: %s\n", l->file, l->f[i].line,
			sev[l->f[i].sev], l->f[i].text);
		errors += l->f[i].sev == SK_ERROR;
	}
	if (l->oom) {
		fprintf(out, "%s: error: out of memory, findings are missing\n",
			l->file);
		errors++;
	}
	return errors;
}
