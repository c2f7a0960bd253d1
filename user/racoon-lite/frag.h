/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKE fragmentation as racoon (and Cisco, Microsoft, strongSwan for IKEv1)
 * do it: a phase 1 message longer than FRAG_MAXLEN goes out as several
 * ISAKMP messages with the same header and one fragment payload (type
 * 132) each, carrying consecutive pieces of the whole message; the peer
 * puts them back together before anything else looks at them. Both sides
 * announce it with the "FRAGMENTATION" vendor ID. Certificate chains then
 * cross paths that lose IP fragments.
 */
#ifndef RACOON_LITE_FRAG_H
#define RACOON_LITE_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PL_FRAG		132	/* the fragment payload */
#define FRAG_MAXLEN	552	/* bytes per fragment message, as racoon */
#define FRAG_MAX	32	/* fragments of one message */
#define FRAG_MAX_TOTAL	(64 * 1024)

/* MD5("FRAGMENTATION") and capability flags (main and aggressive mode). */
extern const uint8_t frag_vid[20];
/* Whether a vendor ID payload body announces fragmentation. */
bool frag_vid_match(const uint8_t *body, size_t len);

/*
 * Splits @pkt (a whole ISAKMP message) into fragment messages of at most
 * FRAG_MAXLEN bytes, calling @emit for each; returns how many.
 */
int frag_split(const uint8_t *pkt, size_t len,
	       void (*emit)(void *arg, const uint8_t *f, size_t flen),
	       void *arg);

/* One message being put back together. */
struct frag_rx {
	uint16_t id;
	int last;			/* the last fragment's number, 0: unseen */
	uint8_t *part[FRAG_MAX + 1];	/* by fragment number, 1-based */
	size_t plen[FRAG_MAX + 1];
	size_t total;
};

/*
 * Adds one fragment message (@pkt, its ISAKMP header already checked, np
 * PL_FRAG). 1: the message is whole, in *@out (malloc'd) and @r is empty
 * again; 0: more to come; -1: malformed, with @err (@r is emptied).
 */
int frag_add(struct frag_rx *r, const uint8_t *pkt, size_t len,
	     uint8_t **out, size_t *outlen, const char **err);
void frag_clear(struct frag_rx *r);

#endif
