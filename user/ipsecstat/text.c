// SPDX-License-Identifier: BSD-3-Clause
/* ipsecstat's output: KAME's netstat lines, drop sentences, tables, JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/ipsec.h>
#include <linux/pfkeyv2.h>
#include <linux/kame_ipsecstat.h>

#include "text.h"
#include "algs.h"

/* ---- KAME's netstat -s -p ipsec ---- */

/*
 * KAME's lines (netstat/ipsec.c), word for word, in its order; the two ESP
 * authentication counters KAME kept but never printed are kameipsec's
 * lines. "%s" is KAME's plural.
 */
static const struct {
	const char *name;
	const char *fmt;
} kame_lines[] = {
	{ "in_success", "\t%" PRIu64 " inbound packet%s processed successfully\n" },
	{ "in_polvio", "\t%" PRIu64 " inbound packet%s violated process security policy\n" },
	{ "in_nosa", "\t%" PRIu64 " inbound packet%s with no SA available\n" },
	{ "in_inval", "\t%" PRIu64 " invalid inbound packet%s\n" },
	{ "in_nomem", "\t%" PRIu64 " inbound packet%s failed due to insufficient memory\n" },
	{ "in_badspi", "\t%" PRIu64 " inbound packet%s failed getting SPI\n" },
	{ "in_ahreplay", "\t%" PRIu64 " inbound packet%s failed on AH replay check\n" },
	{ "in_espreplay", "\t%" PRIu64 " inbound packet%s failed on ESP replay check\n" },
	{ "in_ahauthsucc", "\t%" PRIu64 " inbound packet%s considered authentic\n" },
	{ "in_ahauthfail", "\t%" PRIu64 " inbound packet%s failed on authentication\n" },
	{ "in_espauthsucc", "\t%" PRIu64 " inbound ESP packet%s considered authentic\n" },
	{ "in_espauthfail", "\t%" PRIu64 " inbound ESP packet%s failed on authentication\n" },
	{ "in_ahhist", "AH input" },
	{ "in_esphist", "ESP input" },
	{ "in_comphist", "IPComp input" },
	{ "out_success", "\t%" PRIu64 " outbound packet%s processed successfully\n" },
	{ "out_polvio", "\t%" PRIu64 " outbound packet%s violated process security policy\n" },
	{ "out_nosa", "\t%" PRIu64 " outbound packet%s with no SA available\n" },
	{ "out_inval", "\t%" PRIu64 " invalid outbound packet%s\n" },
	{ "out_nomem", "\t%" PRIu64 " outbound packet%s failed due to insufficient memory\n" },
	{ "out_noroute", "\t%" PRIu64 " outbound packet%s with no route\n" },
	{ "out_ahhist", "AH output" },
	{ "out_esphist", "ESP output" },
	{ "out_comphist", "IPComp output" },
};

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static const struct ist_counter *find(const struct ist_stats *st, int kind,
				      const char *name)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->c[i].kind == kind && !strcmp(st->c[i].name, name))
			return &st->c[i];
	return NULL;
}

static void print_hist(FILE *f, const struct ist_stats *st, const char *name,
		       const char *title)
{
	int first = 1;
	size_t i;

	for (i = 0; i < st->n; i++) {
		const struct ist_counter *c = &st->c[i];

		if (c->kind != KAME_KIND_HIST || strcmp(c->name, name) ||
		    !c->value)
			continue;
		if (first)
			fprintf(f, "\t%s histogram:\n", title);
		first = 0;
		fprintf(f, "\t\t%s: %" PRIu64 "\n", c->alg, c->value);
	}
}

/* Every counter of @kind under a "\t@title:" heading (none: no heading). */
static void print_section(FILE *f, const struct ist_stats *st, uint8_t kind,
			  const char *title)
{
	int first = 1;
	size_t i;

	for (i = 0; i < st->n; i++) {
		const struct ist_counter *c = &st->c[i];

		if (c->kind != kind)
			continue;
		if (first)
			fprintf(f, "\t%s:\n", title);
		first = 0;
		fprintf(f, "\t\t%s: %" PRIu64 "\n", c->name, c->value);
	}
}

void ist_print_kame(FILE *f, const struct ist_stats *st)
{
	size_t i;
	int first;

	fprintf(f, "%s:\n", st->family == AF_INET6 ? "ipsec6" : "ipsec");
	for (i = 0; i < sizeof(kame_lines) / sizeof(kame_lines[0]); i++) {
		const struct ist_counter *c;
		uint64_t v;

		if (strstr(kame_lines[i].name, "hist")) {
			print_hist(f, st, kame_lines[i].name, kame_lines[i].fmt);
			continue;
		}
		c = find(st, KAME_KIND_STAT, kame_lines[i].name);
		v = c ? c->value : 0;
		fprintf(f, kame_lines[i].fmt, v, plural(v));
	}
	/* kameipsec's own: IPComp (FreeBSD's names), NAT-T, then why
	 * packets died.
	 */
	print_section(f, st, KAME_KIND_COMP, "IPComp");
	print_section(f, st, KAME_KIND_NATT, "NAT traversal (ESP in UDP)");
	first = 1;
	for (i = 0; i < st->n; i++) {
		const struct ist_counter *c = &st->c[i];
		const struct ist_reason_text *t;

		if (c->kind != KAME_KIND_DROP || !c->value)
			continue;
		if (first)
			fprintf(f, "\tdropped packets by reason:\n");
		first = 0;
		t = ist_reason_text(c->name);
		fprintf(f, "\t\t%s: %" PRIu64 " (%s)", c->name, c->value,
			t ? t->what : "?");
		if (c->has_last)
			fprintf(f, ", last spi 0x%x policy %u, %u ms ago",
				c->spi, c->policy_id, c->age_ms);
		fputc('\n', f);
	}
	if (st->suppressed)
		fprintf(f, "\t%" PRIu64 " drop event%s not reported (rate limit)\n",
			st->suppressed, plural(st->suppressed));
	if (st->unheard)
		fprintf(f, "\t%" PRIu64 " drop event%s sent to a watcher that was not listening\n",
			st->unheard, plural(st->unheard));
}

/* ---- JSON ---- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

void ist_print_stats_json(FILE *f, const struct ist_stats *st)
{
	size_t i;

	fprintf(f, "{\"family\":\"%s\",\"suppressed\":%" PRIu64
		",\"unheard\":%" PRIu64 ",\"counters\":{",
		st->family == AF_INET6 ? "inet6" : "inet", st->suppressed,
		st->unheard);
	for (i = 0; i < st->n; i++) {
		const struct ist_counter *c = &st->c[i];
		char key[2 * IST_NAME_LEN + 8];

		if (c->kind == KAME_KIND_HIST)
			snprintf(key, sizeof(key), "%s.%s", c->name, c->alg);
		else if (c->kind == KAME_KIND_DROP)
			snprintf(key, sizeof(key), "drop.%s", c->name);
		else
			snprintf(key, sizeof(key), "%s", c->name);
		if (i)
			fputc(',', f);
		json_str(f, key);
		fprintf(f, ":%" PRIu64, c->value);
	}
	fputs("}}\n", f);
}

int ist_stats_delta(const struct ist_stats *now, const struct ist_stats *prev,
		    struct ist_stats *out)
{
	size_t i, j;

	*out = *now;
	for (i = 0; i < now->n; i++) {
		const struct ist_counter *c = &now->c[i];
		uint64_t before = 0;

		for (j = 0; j < prev->n; j++) {
			const struct ist_counter *p = &prev->c[j];

			if (p->kind == c->kind && !strcmp(p->name, c->name) &&
			    !strcmp(p->alg, c->alg)) {
				before = p->value;
				break;
			}
		}
		if (c->value < before)
			return -1;
		out->c[i].value = c->value - before;
	}
	if (now->suppressed < prev->suppressed || now->unheard < prev->unheard)
		return -1;
	out->suppressed = now->suppressed - prev->suppressed;
	out->unheard = now->unheard - prev->unheard;
	return 0;
}

/* ---- Drop reasons in words ---- */

const struct ist_reason_text ist_reasons[] = {
	{ "in_truncated", "truncated packet",
	  "shorter than its own headers say: a broken sender or path, or a crafted packet" },
	{ "in_bad_padding", "bad ESP padding",
	  "the ICV verified but the decrypted padding is not 1, 2, 3...: the peer's encryption key or algorithm differs from ours" },
	{ "in_bad_nexthdr", "impossible next header",
	  "the decrypted next-header field makes no sense for the SA's mode: check the encryption key and the mode (transport/tunnel) on both sides" },
	{ "in_bad_inner", "malformed inner packet",
	  "what was decapsulated is not a valid IP packet: the peer's mode (tunnel/transport) or encryption key differs from ours" },
	{ "in_natt_mismatch", "ESP in UDP for an SA without it",
	  "a UDP-encapsulated ESP packet arrived for an SA that has no NAT traversal or another port: check the SA's esp-udp ports (setkey -D) against the peer's; a NAT may have moved the peer to a new port" },
	{ "in_nosa", "no SA for this SPI",
	  "no SA here has this destination, SPI and protocol: the peer uses an SA we never got or already deleted; check setkey -D here and the key exchange (a rekey, a restarted peer)" },
	{ "in_sa_state", "SA not usable",
	  "the SA is larval, dead or past its hard lifetime: check that the key exchange finished and the SA's lifetimes" },
	{ "in_esp_replay", "replayed packet",
	  "its sequence number was already seen or is left of the replay window: a duplicate on the path, heavy reordering, or a peer that restarted its counter without a new SA" },
	{ "in_ah_replay", "replayed packet",
	  "its sequence number was already seen or is left of the replay window: a duplicate on the path, heavy reordering, or a peer that restarted its counter without a new SA" },
	{ "in_esp_icv", "ICV mismatch",
	  "the peer's authentication key differs from ours (compare the SA's keys on both sides), or the packet was altered on the way" },
	{ "in_ah_icv", "ICV mismatch",
	  "the peer's authentication key differs from ours (compare the SA's keys on both sides), or a NAT or middlebox rewrote fields AH protects" },
	{ "in_crypto", "crypto error",
	  "the kernel crypto API failed the operation: check dmesg and that the algorithm's modules can load" },
	{ "in_nomem", "out of memory",
	  "the kernel could not allocate memory for the packet: check memory pressure" },
	{ "in_policy_discard", "inbound policy says discard",
	  "a discard policy (or net.inet.ipsec.def_policy) matches this traffic: check setkey -DP" },
	{ "in_policy_clear", "arrived in clear",
	  "the inbound policy requires IPsec but the packet was not protected: the peer has no outbound policy or SA for this traffic, or is not doing IPsec" },
	{ "in_policy_mismatch", "protection does not match the policy",
	  "the packet was protected, but not as the inbound policy requires (protocol, mode or tunnel endpoints): compare the policies on both sides" },
	{ "in_too_deep", "nested too deeply",
	  "too many nested SAs or re-injections: a policy loop or a crafted packet" },
	{ "in_frag", "fragment not reassembled",
	  "a decapsulated fragment could not be reassembled: missing fragments, or nf_defrag not loaded" },
	{ "in_policy_noreq", "ipsec policy without a request",
	  "the inbound policy says ipsec but lists no transform: fix the policy (setkey -DP)" },
	{ "in_comp_bad", "IPComp data does not decompress",
	  "the compressed payload is corrupt or made with another algorithm than the SA's" },
	{ "in_comp_too_big", "IPComp inflates too far",
	  "decompressed past the size of an IP datagram: a broken or hostile peer" },
	{ "out_policy_discard", "outbound policy says discard",
	  "a discard policy (or net.inet.ipsec.def_policy) matches this traffic: check setkey -DP" },
	{ "out_nosa", "no SA to protect it with",
	  "the policy requires IPsec and no SA exists yet: the key exchange has not finished or failed; check the IKE daemon's log and setkey -D" },
	{ "out_policy_noreq", "ipsec policy without a request",
	  "the outbound policy says ipsec but lists no transform: fix the policy (setkey -DP)" },
	{ "out_sa_state", "SA past its hard lifetime",
	  "the only SA is dying past its hard limit: rekeying did not happen in time; check the IKE daemon and the SA's lifetimes" },
	{ "out_seq_overflow", "sequence numbers used up",
	  "the SA has sent 2^32 packets: it must be rekeyed" },
	{ "out_too_big", "too big for the path",
	  "with IPsec's overhead the packet exceeds the path MTU and DF is set: the sender was told the MTU and should send smaller packets" },
	{ "out_malformed", "malformed packet",
	  "its headers could not be parsed, or segmenting a large (GSO) packet failed" },
	{ "out_crypto", "crypto error",
	  "the kernel crypto API failed the operation: check dmesg and that the algorithm's modules can load" },
	{ "out_nomem", "out of memory",
	  "the kernel could not allocate memory for the packet: check memory pressure" },
	{ "out_noroute", "no route to the tunnel end",
	  "there is no route to the SA's tunnel destination: check the routing table" },
	{ NULL, NULL, NULL },
};

const struct ist_reason_text *ist_reason_text(const char *name)
{
	const struct ist_reason_text *t;

	for (t = ist_reasons; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

static const char *proto_name(uint8_t p, char *buf, size_t size)
{
	switch (p) {
	case IPPROTO_ESP: return "esp";
	case IPPROTO_AH: return "ah";
	case IPPROTO_COMP: return "ipcomp";
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "icmp6";
	case IPPROTO_SCTP: return "sctp";
	case IPPROTO_IPIP: return "ipip";
	case IPPROTO_IPV6: return "ipv6";
	}
	snprintf(buf, size, "proto-%u", p);
	return buf;
}

static const char *addr_str(const struct ist_addr *a, char *buf, size_t size)
{
	if (!inet_ntop(a->len == 16 ? AF_INET6 : AF_INET, a->b, buf, size))
		snprintf(buf, size, "?");
	return buf;
}

static const char *mode_name(uint8_t m)
{
	switch (m) {
	case IPSEC_MODE_TRANSPORT: return "transport";
	case IPSEC_MODE_TUNNEL: return "tunnel";
	case IPSEC_MODE_ANY: return "any";
	}
	return "?";
}

/* The SA's algorithms as setkey names them, e.g. "rijndael-cbc/hmac-sha1". */
static void alg_names(uint8_t sa_proto, uint8_t enc, uint8_t auth, char *buf,
		      size_t size)
{
	const char *e = NULL, *a = NULL;

	if (sa_proto == IPPROTO_COMP) {
		e = kame_alg_name('C', enc);
	} else {
		if (enc)
			e = kame_alg_name('E', enc);
		if (auth)
			a = kame_alg_name('A', auth);
	}
	if (e && a)
		snprintf(buf, size, "%s/%s", e, a);
	else if (e || a)
		snprintf(buf, size, "%s", e ? e : a);
	else
		snprintf(buf, size, "alg %u/%u", enc, auth);
}

static const char *level_name(uint8_t l)
{
	switch (l) {
	case IPSEC_LEVEL_DEFAULT: return "default";
	case IPSEC_LEVEL_USE: return "use";
	case IPSEC_LEVEL_REQUIRE: return "require";
	case IPSEC_LEVEL_UNIQUE: return "unique";
	}
	return "?";
}

static const char *type_name(uint8_t t);
static const char *sa_proto_name(uint8_t p);

/* "ipsec" and IST_MAX_REQ requests with two IPv6 endpoints each. */
#define POLICY_WORDS	(8 + IST_MAX_REQ * (2 * INET6_ADDRSTRLEN + 32))

/*
 * A policy as setkey's -P writes it, e.g. "ipsec esp/transport//require"
 * or "ipsec esp/tunnel/10.0.0.1-10.0.0.2/require".
 */
static void policy_words(uint8_t type, const struct ist_req *req,
			 unsigned int nreq, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	size_t n;
	unsigned int i;

	n = snprintf(buf, size, "%s", type_name(type));
	for (i = 0; i < nreq && n < size; i++) {
		const struct ist_req *q = &req[i];

		a[0] = b[0] = '\0';
		if (q->tun_src.len) {
			addr_str(&q->tun_src, a, sizeof(a));
			addr_str(&q->tun_dst, b, sizeof(b));
		}
		n += snprintf(buf + n, size - n, " %s/%s/%s%s%s/%s",
			      sa_proto_name(q->sa_proto), mode_name(q->mode),
			      a, q->tun_src.len ? "-" : "", b,
			      level_name(q->level));
	}
}

void ist_print_drop(FILE *f, const struct ist_drop *d)
{
	const struct ist_reason_text *t = ist_reason_text(d->name);
	char s[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], pb[16], ab[80];
	uint8_t shown;

	if (d->suppressed)
		fprintf(f, "... %" PRIu64 " more drop%s not shown (rate limit)\n",
			d->suppressed, plural(d->suppressed));
	fprintf(f, "%-3s ", d->dir == IPSEC_DIR_OUTBOUND ? "out" : "in");
	shown = d->has & IST_HAS_SA_PROTO ? d->sa_proto : d->proto;
	if (d->has & (IST_HAS_SA_PROTO | IST_HAS_PROTO))
		fprintf(f, "%s ", proto_name(shown, pb, sizeof(pb)));
	if (d->has & IST_HAS_SRC) {
		addr_str(&d->src, s, sizeof(s));
		addr_str(&d->dst, dst, sizeof(dst));
		if (d->has & IST_HAS_PORTS)
			fprintf(f, d->src.len == 16 ? "[%s]:%u → [%s]:%u" :
				"%s:%u → %s:%u", s, d->sport, dst, d->dport);
		else
			fprintf(f, "%s → %s", s, dst);
	} else {
		fprintf(f, "%s", d->family == AF_INET6 ? "(IPv6)" : "(IPv4)");
	}
	if (d->has & IST_HAS_SPI)
		fprintf(f, " spi 0x%x", d->spi);
	if (d->ifname[0])
		fprintf(f, " on %s", d->ifname);
	if (t)
		fprintf(f, ": %s — %s", t->what, t->why);
	else
		fprintf(f, ": dropped (%s)", d->name);
	if ((d->has & IST_HAS_SPI) && (d->has & IST_HAS_ALGS)) {
		alg_names(d->sa_proto, d->enc_alg, d->auth_alg, ab, sizeof(ab));
		fprintf(f, " (SA 0x%x, %s", d->spi, ab);
		if (d->has & IST_HAS_MODE)
			fprintf(f, ", %s", mode_name(d->mode));
		fputc(')', f);
	}
	if (d->has & IST_HAS_POLICY_TYPE) {
		char pw[POLICY_WORDS];

		policy_words(d->policy_type, d->req, d->nreq, pw, sizeof(pw));
		fprintf(f, " [policy %u: %s]", d->policy_id, pw);
	} else if (d->has & IST_HAS_POLICY) {
		fprintf(f, " [policy %u]", d->policy_id);
	}
	fprintf(f, " {%s}\n", d->name);
}

void ist_print_drop_json(FILE *f, const struct ist_drop *d)
{
	char b[INET6_ADDRSTRLEN], ab[80];

	fprintf(f, "{\"dir\":\"%s\",\"reason\":", d->dir == IPSEC_DIR_OUTBOUND ?
		"out" : "in");
	json_str(f, d->name);
	fprintf(f, ",\"reason_id\":%u,\"family\":\"%s\"", d->reason,
		d->family == AF_INET6 ? "inet6" : "inet");
	if (d->has & IST_HAS_SRC) {
		fprintf(f, ",\"src\":\"%s\"", addr_str(&d->src, b, sizeof(b)));
		fprintf(f, ",\"dst\":\"%s\"", addr_str(&d->dst, b, sizeof(b)));
	}
	if (d->has & IST_HAS_PROTO)
		fprintf(f, ",\"proto\":%u", d->proto);
	if (d->has & IST_HAS_PORTS)
		fprintf(f, ",\"sport\":%u,\"dport\":%u", d->sport, d->dport);
	if (d->has & IST_HAS_SPI)
		fprintf(f, ",\"spi\":%u", d->spi);
	if (d->has & IST_HAS_SA_PROTO)
		fprintf(f, ",\"sa_proto\":%u", d->sa_proto);
	if (d->has & IST_HAS_ALGS) {
		alg_names(d->sa_proto, d->enc_alg, d->auth_alg, ab, sizeof(ab));
		fprintf(f, ",\"algs\":");
		json_str(f, ab);
	}
	if (d->has & IST_HAS_MODE)
		fprintf(f, ",\"mode\":\"%s\"", mode_name(d->mode));
	if (d->has & IST_HAS_POLICY)
		fprintf(f, ",\"policy_id\":%u", d->policy_id);
	if (d->has & IST_HAS_POLICY_TYPE) {
		char pw[POLICY_WORDS];

		policy_words(d->policy_type, d->req, d->nreq, pw, sizeof(pw));
		fprintf(f, ",\"policy\":");
		json_str(f, pw);
	}
	if (d->has & IST_HAS_IF) {
		fprintf(f, ",\"ifindex\":%u,\"ifname\":", d->ifindex);
		json_str(f, d->ifname);
	}
	fprintf(f, ",\"suppressed\":%" PRIu64 "}\n", d->suppressed);
}

/* ---- Per-SA table ---- */

static const char *state_name(uint8_t st)
{
	switch (st) {
	case SADB_SASTATE_LARVAL: return "larval";
	case SADB_SASTATE_MATURE: return "mature";
	case SADB_SASTATE_DYING: return "dying";
	case SADB_SASTATE_DEAD: return "dead";
	}
	return "?";
}

static const char *sa_proto_name(uint8_t p)
{
	switch (p) {
	case IPPROTO_ESP: return "esp";
	case IPPROTO_AH: return "ah";
	case IPPROTO_COMP: return "ipcomp";
	}
	return "?";
}

static void last_use_str(uint64_t s, char *buf, size_t size)
{
	if (s == UINT64_MAX)
		snprintf(buf, size, "never");
	else
		snprintf(buf, size, "%" PRIu64 "s", s);
}

void ist_print_sa_header(FILE *f)
{
	fprintf(f, "%-6s %-10s %-15s %-15s %-9s %-6s %12s %10s %8s %8s %8s\n",
		"proto", "spi", "src", "dst", "mode", "state", "bytes",
		"packets", "replay", "icv", "idle");
}

void ist_print_sa(FILE *f, const struct ist_sa *s)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], lu[24], spi[12];

	last_use_str(s->last_use, lu, sizeof(lu));
	snprintf(spi, sizeof(spi), "0x%x", s->spi);
	fprintf(f, "%-6s %-10s %-15s %-15s %-9s %-6s %12" PRIu64 " %10" PRIu64
		" %8" PRIu64 " %8" PRIu64 " %8s\n", sa_proto_name(s->sa_proto),
		spi, addr_str(&s->src, a, sizeof(a)),
		addr_str(&s->dst, b, sizeof(b)), mode_name(s->mode),
		state_name(s->state), s->bytes, s->packets, s->replay_fail,
		s->icv_fail, lu);
}

void ist_print_sa_json(FILE *f, const struct ist_sa *s)
{
	char a[INET6_ADDRSTRLEN], ab[80];

	fprintf(f, "{\"sa_proto\":\"%s\",\"spi\":%u", sa_proto_name(s->sa_proto),
		s->spi);
	fprintf(f, ",\"src\":\"%s\"", addr_str(&s->src, a, sizeof(a)));
	fprintf(f, ",\"dst\":\"%s\"", addr_str(&s->dst, a, sizeof(a)));
	alg_names(s->sa_proto, s->enc_alg, s->auth_alg, ab, sizeof(ab));
	fprintf(f, ",\"mode\":\"%s\",\"state\":\"%s\",\"reqid\":%u,\"algs\":",
		mode_name(s->mode), state_name(s->state), s->reqid);
	json_str(f, ab);
	fprintf(f, ",\"bytes\":%" PRIu64 ",\"packets\":%" PRIu64
		",\"replay_fail\":%" PRIu64 ",\"icv_fail\":%" PRIu64
		",\"add_time\":%" PRIu64 ",\"use_time\":%" PRIu64,
		s->bytes, s->packets, s->replay_fail, s->icv_fail, s->add_time,
		s->use_time);
	if (s->last_use != UINT64_MAX)
		fprintf(f, ",\"idle\":%" PRIu64, s->last_use);
	fputs("}\n", f);
}

#define CMP_FIELD(fn, field)						\
	static int fn(const void *x, const void *y)			\
	{								\
		const struct ist_sa *a = x, *b = y;			\
		/* largest first */					\
		return a->field < b->field ? 1 : a->field > b->field ? -1 : 0; \
	}
CMP_FIELD(by_bytes, bytes)
CMP_FIELD(by_packets, packets)
CMP_FIELD(by_replay, replay_fail)
CMP_FIELD(by_icv, icv_fail)

static int by_spi(const void *x, const void *y)
{
	const struct ist_sa *a = x, *b = y;

	return a->spi < b->spi ? -1 : a->spi > b->spi;
}

static int by_idle(const void *x, const void *y)
{
	const struct ist_sa *a = x, *b = y;

	return a->last_use < b->last_use ? -1 : a->last_use > b->last_use;
}

ist_sa_cmp ist_sa_sort_key(const char *key)
{
	static const struct {
		const char *key;
		ist_sa_cmp cmp;
	} keys[] = {
		{ "bytes", by_bytes }, { "packets", by_packets },
		{ "replay", by_replay }, { "icv", by_icv },
		{ "spi", by_spi }, { "idle", by_idle },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].key, key))
			return keys[i].cmp;
	return NULL;
}

/* ---- -s filters ---- */

int ist_sa_filter_addr(struct ist_sa_filter *f, const char *s)
{
	struct ist_addr *a;

	if (f->naddr == 2)
		return -1;
	a = &f->addr[f->naddr];
	if (inet_pton(AF_INET, s, a->b) == 1)
		a->len = 4;
	else if (inet_pton(AF_INET6, s, a->b) == 1)
		a->len = 16;
	else
		return -1;
	f->naddr++;
	return 0;
}

int ist_sa_filter_spi(struct ist_sa_filter *f, const char *s)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);	/* 0x1001 or 4097, as setkey takes it */
	if (*end || errno || v > UINT32_MAX)
		return -1;
	f->spi = v;
	f->has_spi = 1;
	return 0;
}

int ist_sa_filter_proto(struct ist_sa_filter *f, const char *s)
{
	if (!strcmp(s, "esp"))
		f->sa_proto = IPPROTO_ESP;
	else if (!strcmp(s, "ah"))
		f->sa_proto = IPPROTO_AH;
	else if (!strcmp(s, "ipcomp"))
		f->sa_proto = IPPROTO_COMP;
	else
		return -1;
	return 0;
}

static int same_addr(const struct ist_addr *a, const struct ist_addr *b)
{
	return a->len == b->len && !memcmp(a->b, b->b, a->len);
}

int ist_sa_match(const struct ist_sa_filter *f, const struct ist_sa *s)
{
	if (f->has_spi && s->spi != f->spi)
		return 0;
	if (f->sa_proto && s->sa_proto != f->sa_proto)
		return 0;
	if (f->naddr == 1)
		return same_addr(&f->addr[0], &s->src) ||
		       same_addr(&f->addr[0], &s->dst);
	if (f->naddr == 2)
		return same_addr(&f->addr[0], &s->src) &&
		       same_addr(&f->addr[1], &s->dst);
	return 1;
}

/* ---- Per-policy hits ---- */

static const char *dir_name(uint8_t d)
{
	switch (d) {
	case IPSEC_DIR_INBOUND: return "in";
	case IPSEC_DIR_OUTBOUND: return "out";
	case IPSEC_DIR_FWD: return "fwd";
	}
	return "?";
}

static const char *type_name(uint8_t t)
{
	switch (t) {
	case IPSEC_POLICY_DISCARD: return "discard";
	case IPSEC_POLICY_NONE: return "none";
	case IPSEC_POLICY_IPSEC: return "ipsec";
	case IPSEC_POLICY_ENTRUST: return "entrust";
	case IPSEC_POLICY_BYPASS: return "bypass";
	}
	return "?";
}

void ist_print_policy_header(FILE *f)
{
	fprintf(f, "%-6s %-4s %-22s %-22s %-8s %12s %8s\n", "id", "dir",
		"src", "dst", "action", "hits", "idle");
}

void ist_print_policy(FILE *f, const struct ist_policy *p)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], sa[64], da[64], lu[24];

	snprintf(sa, sizeof(sa), "%s/%u", addr_str(&p->src, a, sizeof(a)),
		 p->sprefix);
	snprintf(da, sizeof(da), "%s/%u", addr_str(&p->dst, b, sizeof(b)),
		 p->dprefix);
	last_use_str(p->last_use, lu, sizeof(lu));
	fprintf(f, "%-6u %-4s %-22s %-22s %-8s %12" PRIu64 " %8s\n", p->id,
		dir_name(p->dir), sa, da, type_name(p->type), p->hits, lu);
}

void ist_print_policy_json(FILE *f, const struct ist_policy *p)
{
	char a[INET6_ADDRSTRLEN], pw[POLICY_WORDS];
	unsigned int i;

	fprintf(f, "{\"id\":%u,\"dir\":\"%s\",\"src\":\"%s/%u\"", p->id,
		dir_name(p->dir), addr_str(&p->src, a, sizeof(a)), p->sprefix);
	fprintf(f, ",\"dst\":\"%s/%u\",\"proto\":%u,\"sport\":%u,\"dport\":%u",
		addr_str(&p->dst, a, sizeof(a)), p->dprefix, p->proto, p->sport,
		p->dport);
	fprintf(f, ",\"action\":\"%s\",\"hits\":%" PRIu64, type_name(p->type),
		p->hits);
	if (p->last_use != UINT64_MAX)
		fprintf(f, ",\"idle\":%" PRIu64, p->last_use);
	policy_words(p->type, p->req, p->nreq, pw, sizeof(pw));
	fputs(",\"policy\":", f);
	json_str(f, pw);
	fputs(",\"requests\":[", f);
	for (i = 0; i < p->nreq; i++) {
		const struct ist_req *q = &p->req[i];

		fprintf(f, "%s{\"sa_proto\":\"%s\",\"mode\":\"%s\",\"level\":%u,"
			"\"reqid\":%u", i ? "," : "", sa_proto_name(q->sa_proto),
			mode_name(q->mode), q->level, q->reqid);
		if (q->tun_src.len) {
			fprintf(f, ",\"tun_src\":\"%s\"",
				addr_str(&q->tun_src, a, sizeof(a)));
			fprintf(f, ",\"tun_dst\":\"%s\"",
				addr_str(&q->tun_dst, a, sizeof(a)));
		}
		fputc('}', f);
	}
	fputs("]}\n", f);
}
