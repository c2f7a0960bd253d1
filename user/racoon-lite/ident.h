/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Phase 1 identities: the peer's ID payload against the remote section's
 * peers_identifier (verify_identifier), and IDs as text for the log.
 */
#ifndef RACOON_LITE_IDENT_H
#define RACOON_LITE_IDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

/* @id: an ID payload body (type, protocol, port, data), @len >= 4. */
void ident_str(const uint8_t *id, size_t len, char *out, size_t outlen);

/* Whether @id names one of @r's peers_identifier entries. */
bool ident_matches(const struct remote_conf *r, const uint8_t *id, size_t len);

/*
 * NULL if @r does not verify identifiers or @id is one of its
 * peers_identifier; else why not (for the one log line of the refusal),
 * in @why.
 */
const char *ident_refusal(const struct remote_conf *r, const uint8_t *id,
			  size_t len, char *why, size_t whylen);

#endif
