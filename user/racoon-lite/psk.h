/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * psk.txt: "identifier  key" per line, '#' comments, "0x..." keys in hex,
 * '*' as a catch-all identifier. The file must be private to its owner.
 */
#ifndef RACOON_LITE_PSK_H
#define RACOON_LITE_PSK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct psk_entry {
	char *id;
	uint8_t *key;
	size_t keylen;
	struct psk_entry *next;
};

struct psk_table {
	struct psk_entry *head;
};

/*
 * Loads path; refuses a file that is not regular, is not owned by
 * owner (root for the daemon), or has any group/other permission bit,
 * with a message in err that names the command to fix it.
 */
struct psk_table *psk_load(const char *path, uid_t owner, char *err,
			   size_t errlen);
void psk_free(struct psk_table *t);
/* Exact identifier first, then '*'. */
const struct psk_entry *psk_lookup(const struct psk_table *t, const char *id);

#endif
