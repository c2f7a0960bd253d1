// SPDX-License-Identifier: BSD-3-Clause
#include <string.h>

#include "buf.h"
#include "isakmp.h"
#include "payload.h"

int isakmp_parse_hdr(const uint8_t *buf, size_t len, struct isakmp_hdr *h,
		     const char **err)
{
	if (len < ISAKMP_HDR_LEN) {
		*err = "shorter than an ISAKMP header";
		return -1;
	}
	memcpy(h->icookie, buf, 8);
	memcpy(h->rcookie, buf + 8, 8);
	h->np = buf[16];
	h->version = buf[17];
	h->etype = buf[18];
	h->flags = buf[19];
	h->msgid = get32(buf + 20);
	h->len = get32(buf + 24);
	if ((h->version >> 4) != 1) {
		*err = "not ISAKMP major version 1";
		return -1;
	}
	if (h->len != len) {
		*err = "header length does not match the datagram";
		return -1;
	}
	if (h->flags & ~(ISAKMP_FLAG_E | ISAKMP_FLAG_C | ISAKMP_FLAG_A)) {
		*err = "unknown header flags";
		return -1;
	}
	return 0;
}

static bool known_type(uint8_t t)
{
	return (t >= PL_SA && t <= PL_VID) || t == PL_NAT_D ||
	       t == PL_NAT_OA || t >= 128;
}

bool payload_body_ok(uint8_t type, const uint8_t *body, size_t len,
		     const char **err)
{
	switch (type) {
	case PL_SA:
		if (len < 8) {
			*err = "SA payload too short";
			return false;
		}
		return true;
	case PL_KE:
	case PL_HASH:
	case PL_SIG:
		if (len < 1) {
			*err = "empty KE, HASH or SIG payload";
			return false;
		}
		return true;
	case PL_CERT:
		if (len < 2) {
			*err = "CERT payload without a certificate";
			return false;
		}
		return true;
	case PL_CR:
		if (len < 1) {
			*err = "CERTREQ payload without an encoding";
			return false;
		}
		return true;
	case PL_ID:
		if (len < 5) {
			*err = "ID payload too short";
			return false;
		}
		return true;
	case PL_NONCE:
		if (len < 8 || len > 256) {
			*err = "nonce not 8..256 bytes";
			return false;
		}
		return true;
	case PL_N:
		if (len < 8 || (size_t)8 + body[5] > len) {
			*err = "notification payload malformed";
			return false;
		}
		return true;
	case PL_D:
		if (len < 8 ||
		    (size_t)8 + (size_t)body[5] * get16(body + 6) > len) {
			*err = "delete payload malformed";
			return false;
		}
		return true;
	case PL_P:
	case PL_T:
		*err = "proposal or transform outside an SA payload";
		return false;
	default:
		return true;
	}
}

int payload_walk(const uint8_t *buf, size_t len, uint8_t first,
		 struct payload_list *pl, const char **err)
{
	size_t off = 0;
	uint8_t type = first;

	pl->n = 0;
	pl->trailing = 0;
	while (type != PL_NONE) {
		struct payload *p;
		size_t plen;

		if (!known_type(type)) {
			*err = "unknown payload type";
			return -1;
		}
		if (len - off < ISAKMP_GEN_LEN) {
			*err = "truncated payload header";
			return -1;
		}
		plen = get16(buf + off + 2);
		if (plen < ISAKMP_GEN_LEN || plen > len - off) {
			*err = "payload length out of bounds";
			return -1;
		}
		if (pl->n == MAX_PAYLOADS) {
			*err = "too many payloads";
			return -1;
		}
		p = &pl->pl[pl->n++];
		p->type = type;
		p->raw = buf + off;
		p->rawlen = plen;
		p->body = buf + off + ISAKMP_GEN_LEN;
		p->len = plen - ISAKMP_GEN_LEN;
		if (!payload_body_ok(type, p->body, p->len, err))
			return -1;
		type = buf[off];
		off += plen;
	}
	pl->trailing = len - off;
	return 0;
}

const struct payload *payload_find(const struct payload_list *pl,
				   uint8_t type, int nth)
{
	for (int i = 0; i < pl->n; i++)
		if (pl->pl[i].type == type && nth-- == 0)
			return &pl->pl[i];
	return NULL;
}

int payload_count(const struct payload_list *pl, uint8_t type)
{
	int n = 0;

	for (int i = 0; i < pl->n; i++)
		n += pl->pl[i].type == type;
	return n;
}

void notify_decode(const struct payload *p, struct notify *n)
{
	n->doi = get32(p->body);
	n->proto = p->body[4];
	n->spisize = p->body[5];
	n->type = get16(p->body + 6);
	n->spi = p->body + 8;
	n->data = p->body + 8 + n->spisize;
	n->datalen = p->len - 8 - n->spisize;
}

void delete_decode(const struct payload *p, struct delete_pl *d)
{
	d->doi = get32(p->body);
	d->proto = p->body[4];
	d->spisize = p->body[5];
	d->nspi = get16(p->body + 6);
	d->spis = p->body + 8;
}

const char *isakmp_notify_name(unsigned int type)
{
	static const struct {
		unsigned int t;
		const char *name;
	} names[] = {
		{ N_INVALID_PAYLOAD_TYPE, "INVALID-PAYLOAD-TYPE" },
		{ N_INVALID_COOKIE, "INVALID-COOKIE" },
		{ N_INVALID_MAJOR_VERSION, "INVALID-MAJOR-VERSION" },
		{ N_INVALID_EXCHANGE_TYPE, "INVALID-EXCHANGE-TYPE" },
		{ N_INVALID_FLAGS, "INVALID-FLAGS" },
		{ N_INVALID_MESSAGE_ID, "INVALID-MESSAGE-ID" },
		{ N_INVALID_SPI, "INVALID-SPI" },
		{ N_ATTRIBUTES_NOT_SUPPORTED, "ATTRIBUTES-NOT-SUPPORTED" },
		{ N_NO_PROPOSAL_CHOSEN, "NO-PROPOSAL-CHOSEN" },
		{ N_BAD_PROPOSAL_SYNTAX, "BAD-PROPOSAL-SYNTAX" },
		{ N_PAYLOAD_MALFORMED, "PAYLOAD-MALFORMED" },
		{ N_INVALID_KEY_INFORMATION, "INVALID-KEY-INFORMATION" },
		{ N_INVALID_ID_INFORMATION, "INVALID-ID-INFORMATION" },
		{ N_INVALID_HASH_INFORMATION, "INVALID-HASH-INFORMATION" },
		{ N_AUTHENTICATION_FAILED, "AUTHENTICATION-FAILED" },
		{ N_CONNECTED, "CONNECTED" },
		{ N_RESPONDER_LIFETIME, "RESPONDER-LIFETIME" },
		{ N_REPLAY_STATUS, "REPLAY-STATUS" },
		{ N_INITIAL_CONTACT, "INITIAL-CONTACT" },
		{ N_R_U_THERE, "R-U-THERE" },
		{ N_R_U_THERE_ACK, "R-U-THERE-ACK" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].t == type)
			return names[i].name;
	return "unknown";
}

const char *isakmp_payload_name(unsigned int type)
{
	static const char *const names[] = {
		"NONE", "SA", "P", "T", "KE", "ID", "CERT", "CR", "HASH",
		"SIG", "NONCE", "N", "D", "VID",
	};

	if (type < sizeof(names) / sizeof(names[0]))
		return names[type];
	if (type == PL_NAT_D)
		return "NAT-D";
	if (type == PL_NAT_OA)
		return "NAT-OA";
	return "?";
}
