// SPDX-License-Identifier: GPL-2.0
/* The PF_KEY message mutator (pfkey_mutate.h); needs pfkey_util.c. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/pfkeyv2.h>

#include "pfkey_mutate.h"
#include "pfkey_util.h"

struct pkm_seed pkm_seeds[PKM_MAX_SEEDS];
int pkm_nseeds;
uint64_t pkm_rng = 1;

uint32_t pkm_rnd(void)
{
	pkm_rng ^= pkm_rng << 13;
	pkm_rng ^= pkm_rng >> 7;
	pkm_rng ^= pkm_rng << 17;
	return (uint32_t)pkm_rng;
}

int pkm_load_corpus(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((de = readdir(d)) && pkm_nseeds < PKM_MAX_SEEDS) {
		char path[512];
		ssize_t n;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, pkm_seeds[pkm_nseeds].buf, PKM_MAX_MSG);
		close(fd);
		if (n >= (ssize_t)sizeof(struct sadb_msg))
			pkm_seeds[pkm_nseeds++].len = n;
	}
	closedir(d);
	return pkm_nseeds;
}

/* Append one extension of another seed (its first after the header). */
static size_t splice_ext(uint8_t *m, size_t len)
{
	const struct pkm_seed *s = &pkm_seeds[pkm_rnd() % pkm_nseeds];
	const struct sadb_ext *e;
	size_t elen;

	if (s->len < sizeof(struct sadb_msg) + sizeof(*e))
		return len;
	e = (const void *)(s->buf + sizeof(struct sadb_msg));
	elen = e->sadb_ext_len * 8;
	if (!elen || sizeof(struct sadb_msg) + elen > s->len ||
	    len + elen > PKM_MAX_MSG)
		return len;
	memcpy(m + len, e, elen);
	return len + elen;
}

static size_t mutate(uint8_t *m, size_t len)
{
	int i, n = 1 + pkm_rnd() % 4;

	for (i = 0; i < n; i++) {
		switch (pkm_rnd() % 6) {
		case 0:
		case 1:		/* flip a bit */
			m[pkm_rnd() % len] ^= 1 << (pkm_rnd() % 8);
			break;
		case 2:		/* an extreme byte */
			m[pkm_rnd() % len] =
				(uint8_t[]){ 0, 1, 0x7f, 0x80, 0xff }[pkm_rnd() % 5];
			break;
		case 3:		/* truncate, to a multiple of 8 or not */
			if (len > sizeof(struct sadb_msg))
				len = sizeof(struct sadb_msg) +
				      pkm_rnd() % (len - sizeof(struct sadb_msg));
			break;
		case 4:		/* grow by random bytes */
			if (len + 64 <= PKM_MAX_MSG) {
				size_t add = 8 * (1 + pkm_rnd() % 8), j;

				for (j = 0; j < add; j++)
					m[len + j] = pkm_rnd();
				len += add;
			}
			break;
		case 5:
			len = splice_ext(m, len);
			break;
		}
	}
	if (pkm_rnd() % 10 < 7 && len % 8 == 0)	/* get past the framing check */
		((struct sadb_msg *)m)->sadb_msg_len = len / 8;
	return len;
}

size_t pkm_next(uint8_t *m)
{
	const struct pkm_seed *s = &pkm_seeds[pkm_rnd() % pkm_nseeds];

	memcpy(m, s->buf, s->len);
	return mutate(m, s->len);
}

void pkm_dump_or_flush(int fd)
{
	switch (pkm_rnd() % 8) {
	case 0:
		pk_simple(fd, SADB_DUMP, SADB_SATYPE_UNSPEC);
		break;
	case 1:
		pk_simple(fd, SADB_X_SPDDUMP, SADB_SATYPE_UNSPEC);
		break;
	case 2:
		pk_simple(fd, SADB_FLUSH, SADB_SATYPE_UNSPEC);
		pk_simple(fd, SADB_X_SPDFLUSH, SADB_SATYPE_UNSPEC);
		break;
	}
}
