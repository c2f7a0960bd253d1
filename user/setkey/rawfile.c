// SPDX-License-Identifier: BSD-3-Clause
/*
 * "setkey file...": print PF_KEY messages saved in a file (raw bytes, one
 * message after another) the way -D / -DP would, without a socket.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rawfile.h"

static int is_spd(unsigned int type)
{
	return type >= SADB_X_SPDUPDATE && type <= SADB_X_SPDDELETE2 &&
	       type != SADB_X_SPDFLUSH;
}

int sk_print_rawfile(const char *path, FILE *out, int verbose, int withports,
		     int show_dead)
{
	struct pfkey_dump_opts o = { out, time(NULL), withports, show_dead };
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, off = 0, n;
	int rc = 0;

	if (!f)
		return -1;
	for (;;) {
		if (len == cap) {
			unsigned char *nb;

			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				rc = -1;
				goto out;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	while (off < len) {
		struct sadb_msg *m;
		size_t ml;

		if (len - off < sizeof(*m)) {
			fprintf(stderr, "%s: %zu stray bytes at offset %zu\n", path,
				len - off, off);
			rc = -1;
			break;
		}
		ml = (size_t)((struct sadb_msg *)(buf + off))->sadb_msg_len * 8;
		if (ml < sizeof(*m) || ml > len - off) {
			fprintf(stderr, "%s: bad message length at offset %zu\n",
				path, off);
			rc = -1;
			break;
		}
		/* an aligned copy: messages in the file need not be */
		m = malloc(ml);
		if (!m) {
			rc = -1;
			break;
		}
		memcpy(m, buf + off, ml);
		if (verbose)
			kdebug_sadb_fp(out, m);
		else if (is_spd(m->sadb_msg_type))
			pfkey_spdump_opts(m, &o);
		else if (m->sadb_msg_type == SADB_REGISTER)
			kdebug_sadb_fp(out, m);
		else
			pfkey_sadump_opts(m, &o);
		free(m);
		off += ml;
	}
out:
	free(buf);
	fclose(f);
	return rc;
}
