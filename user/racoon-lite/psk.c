// SPDX-License-Identifier: BSD-3-Clause
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "psk.h"

void psk_free(struct psk_table *t)
{
	if (!t)
		return;
	while (t->head) {
		struct psk_entry *e = t->head;

		t->head = e->next;
		free(e->id);
		free_secret(e->key, e->keylen);
		free(e);
	}
	free(t);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One line; returns 0 (entry or blank), -1 with err on a bad line. */
static int parse_line(struct psk_table *t, char *line, const char *path,
		      int lineno, char *err, size_t errlen)
{
	char *p = line, *id, *key, *end;
	struct psk_entry *e, **tail;

	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == '#')
		return 0;
	id = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	if (*p)
		*p++ = '\0';
	while (isspace((unsigned char)*p))
		p++;
	key = p;
	end = key + strlen(key);
	while (end > key && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (!*key) {
		snprintf(err, errlen, "%s:%d: no key for identifier '%s'",
			 path, lineno, id);
		return -1;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		goto oom;
	e->id = strdup(id);
	if (strncmp(key, "0x", 2) == 0) {
		size_t hl = strlen(key + 2);

		if (hl == 0 || hl % 2) {
			snprintf(err, errlen, "%s:%d: hex key for '%s' has an "
				 "odd number of digits", path, lineno, id);
			free(e->id);
			free(e);
			return -1;
		}
		e->keylen = hl / 2;
		e->key = malloc(e->keylen);
		for (size_t i = 0; e->key && i < e->keylen; i++) {
			int hi = hexval(key[2 + 2 * i]);
			int lo = hexval(key[3 + 2 * i]);

			if (hi < 0 || lo < 0) {
				snprintf(err, errlen, "%s:%d: bad hex digit "
					 "in the key for '%s'", path, lineno,
					 id);
				free(e->id);
				free_secret(e->key, e->keylen);
				free(e);
				return -1;
			}
			e->key[i] = (uint8_t)(hi << 4 | lo);
		}
	} else {
		e->keylen = strlen(key);
		e->key = memdup(key, e->keylen);
	}
	if (!e->id || !e->key) {
		free(e->id);
		free_secret(e->key, e->keylen);
		free(e);
		goto oom;
	}
	for (tail = &t->head; *tail; tail = &(*tail)->next)
		;
	*tail = e;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory", path);
	return -1;
}

struct psk_table *psk_load(const char *path, uid_t owner, char *err,
			   size_t errlen)
{
	struct psk_table *t;
	struct stat st;
	char line[1024];
	int fd, lineno = 0;
	FILE *f;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open the pre-shared key "
			 "file: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: the pre-shared key file is not a "
			 "regular file", path);
		close(fd);
		return NULL;
	}
	if (st.st_uid != owner) {
		if (owner == 0)
			snprintf(err, errlen, "%s: the pre-shared key file is "
				 "owned by uid %u, not root; run 'chown root "
				 "%s'", path, (unsigned int)st.st_uid, path);
		else
			snprintf(err, errlen, "%s: the pre-shared key file is "
				 "owned by uid %u, not uid %u; run 'chown %u "
				 "%s'", path, (unsigned int)st.st_uid,
				 (unsigned int)owner, (unsigned int)owner,
				 path);
		close(fd);
		return NULL;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "%s: the pre-shared key file has mode "
			 "%04o and is accessible by group or others; run "
			 "'chmod 600 %s'", path,
			 (unsigned int)(st.st_mode & 07777), path);
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "r");
	t = calloc(1, sizeof(*t));
	if (!f || !t) {
		snprintf(err, errlen, "%s: out of memory", path);
		if (f)
			fclose(f);
		else
			close(fd);
		free(t);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path,
				 lineno);
			goto bad;
		}
		line[strcspn(line, "\n")] = '\0';
		if (parse_line(t, line, path, lineno, err, errlen))
			goto bad;
	}
	memset(line, 0, sizeof(line));
	fclose(f);
	return t;
bad:
	memset(line, 0, sizeof(line));
	fclose(f);
	psk_free(t);
	return NULL;
}

const struct psk_entry *psk_lookup(const struct psk_table *t, const char *id)
{
	const struct psk_entry *e, *wild = NULL;

	if (!t)
		return NULL;
	for (e = t->head; e; e = e->next) {
		if (strcmp(e->id, id) == 0)
			return e;
		if (!wild && strcmp(e->id, "*") == 0)
			wild = e;
	}
	return wild;
}
