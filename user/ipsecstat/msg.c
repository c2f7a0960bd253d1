// SPDX-License-Identifier: BSD-3-Clause
/* Parser of the kameipsec generic netlink messages (see msg.h). */
#include <string.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <sys/socket.h>
#include <linux/kame_ipsecstat.h>

#include "msg.h"

/* One attribute, bounds-checked. */
struct attr {
	uint16_t type;
	const uint8_t *data;
	size_t len;
};

/* Walk state over a run of attributes. */
struct walk {
	const uint8_t *p;
	size_t left;
};

/* Next attribute: 1, 0 at the end, -1 if malformed. */
static int next_attr(struct walk *w, struct attr *a)
{
	struct nlattr h;
	size_t step;

	if (w->left == 0)
		return 0;
	if (w->left < sizeof(h))
		return -1;
	memcpy(&h, w->p, sizeof(h));
	if (h.nla_len < sizeof(h) || h.nla_len > w->left)
		return -1;
	a->type = h.nla_type & NLA_TYPE_MASK;
	a->data = w->p + NLA_HDRLEN;
	a->len = h.nla_len - NLA_HDRLEN;
	step = NLA_ALIGN(h.nla_len);
	if (step > w->left)
		step = w->left;	/* the last attribute may be unpadded */
	w->p += step;
	w->left -= step;
	return 1;
}

static int get_u8(const struct attr *a, uint8_t *v)
{
	if (a->len != 1)
		return -1;
	*v = a->data[0];
	return 0;
}

static int get_u16(const struct attr *a, uint16_t *v)
{
	if (a->len != 2)
		return -1;
	memcpy(v, a->data, 2);
	return 0;
}

static int get_u32(const struct attr *a, uint32_t *v)
{
	if (a->len != 4)
		return -1;
	memcpy(v, a->data, 4);
	return 0;
}

static int get_u64(const struct attr *a, uint64_t *v)
{
	if (a->len != 8)
		return -1;
	memcpy(v, a->data, 8);
	return 0;
}

/* A NUL-terminated string that fits @size (with its NUL). */
static int get_str(const struct attr *a, char *s, size_t size)
{
	const uint8_t *nul;

	if (a->len == 0)
		return -1;
	nul = memchr(a->data, '\0', a->len);
	if (!nul || (size_t)(nul - a->data) >= size)
		return -1;
	memcpy(s, a->data, nul - a->data + 1);
	return 0;
}

static int get_addr(const struct attr *a, struct ist_addr *ad)
{
	if (a->len != 4 && a->len != 16)
		return -1;
	ad->len = a->len;
	memcpy(ad->b, a->data, a->len);
	return 0;
}

/* Both addresses, if present, must be of the message's family. */
static int check_family(uint8_t family, const struct ist_addr *s,
			const struct ist_addr *d)
{
	size_t want = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;

	if (!want)
		return -1;
	if ((s->len && s->len != want) || (d->len && d->len != want))
		return -1;
	return 0;
}

int ist_msg_split(const void *buf, size_t len, uint8_t *cmd,
		  const void **attrs, size_t *alen)
{
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	const uint8_t *p = buf;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -1;
	memcpy(&nh, p, sizeof(nh));
	if (nh.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || nh.nlmsg_len > len)
		return -1;
	memcpy(&gh, p + NLMSG_HDRLEN, sizeof(gh));
	*cmd = gh.cmd;
	*attrs = p + NLMSG_HDRLEN + GENL_HDRLEN;
	*alen = nh.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	return 0;
}

static int parse_counter(const struct attr *nest, struct ist_counter *c)
{
	struct walk w = { nest->data, nest->len };
	struct attr a;
	int r, have_name = 0, have_value = 0;
	unsigned int last = 0;

	memset(c, 0, sizeof(*c));
	while ((r = next_attr(&w, &a)) > 0) {
		switch (a.type) {
		case KAME_A_KIND:
			r = get_u8(&a, &c->kind);
			break;
		case KAME_A_NAME:
			r = get_str(&a, c->name, sizeof(c->name));
			have_name = 1;
			break;
		case KAME_A_VALUE:
			r = get_u64(&a, &c->value);
			have_value = 1;
			break;
		case KAME_A_ALG_NAME:
			r = get_str(&a, c->alg, sizeof(c->alg));
			break;
		case KAME_A_REASON:
			r = get_u32(&a, &c->reason);
			break;
		case KAME_A_SPI:
			r = get_u32(&a, &c->spi);
			last |= 1;
			break;
		case KAME_A_POLICY_ID:
			r = get_u32(&a, &c->policy_id);
			last |= 2;
			break;
		case KAME_A_AGE_MS:
			r = get_u32(&a, &c->age_ms);
			last |= 4;
			break;
		default:
			r = 0;
		}
		if (r < 0)
			return -1;
	}
	if (r < 0 || !have_name || !have_value)
		return -1;
	if (c->kind < KAME_KIND_STAT || c->kind > KAME_KIND_NATT)
		return -1;
	if (c->kind == KAME_KIND_HIST && !c->alg[0])
		return -1;
	c->has_last = last == 7;
	return 0;
}

int ist_parse_stats(const void *attrs, size_t len, struct ist_stats *out)
{
	struct walk w = { attrs, len };
	struct attr a;
	int r;

	out->family = 0;
	out->suppressed = 0;
	out->unheard = 0;
	out->n = 0;
	while ((r = next_attr(&w, &a)) > 0) {
		switch (a.type) {
		case KAME_A_FAMILY:
			r = get_u8(&a, &out->family);
			break;
		case KAME_A_SUPPRESSED:
			r = get_u64(&a, &out->suppressed);
			break;
		case KAME_A_UNHEARD:
			r = get_u64(&a, &out->unheard);
			break;
		case KAME_A_COUNTER:
			if (out->n >= IST_MAX_COUNTERS)
				return -1;
			r = parse_counter(&a, &out->c[out->n]);
			if (r == 0)
				out->n++;
			break;
		default:
			r = 0;
		}
		if (r < 0)
			return -1;
	}
	if (r < 0)
		return -1;
	return out->family == AF_INET || out->family == AF_INET6 ? 0 : -1;
}

static int parse_req(const struct attr *nest, struct ist_req *q)
{
	struct walk w = { nest->data, nest->len };
	struct attr a;
	int r;

	memset(q, 0, sizeof(*q));
	while ((r = next_attr(&w, &a)) > 0) {
		switch (a.type) {
		case KAME_A_SA_PROTO:
			r = get_u8(&a, &q->sa_proto);
			break;
		case KAME_A_MODE:
			r = get_u8(&a, &q->mode);
			break;
		case KAME_A_LEVEL:
			r = get_u8(&a, &q->level);
			break;
		case KAME_A_REQID:
			r = get_u32(&a, &q->reqid);
			break;
		case KAME_A_TUN_SRC:
			r = get_addr(&a, &q->tun_src);
			break;
		case KAME_A_TUN_DST:
			r = get_addr(&a, &q->tun_dst);
			break;
		default:
			r = 0;
		}
		if (r < 0)
			return -1;
	}
	/* Tunnel endpoints come in pairs, of one family. */
	if (q->tun_src.len != q->tun_dst.len)
		return -1;
	return r;
}

int ist_parse_drop(const void *attrs, size_t len, struct ist_drop *d)
{
	struct walk w = { attrs, len };
	struct attr a;
	int r, have = 0;
	unsigned int ports = 0;

	memset(d, 0, sizeof(*d));
	while ((r = next_attr(&w, &a)) > 0) {
		switch (a.type) {
		case KAME_A_DIR:
			r = get_u8(&a, &d->dir);
			have |= 1;
			break;
		case KAME_A_REASON:
			r = get_u32(&a, &d->reason);
			have |= 2;
			break;
		case KAME_A_NAME:
			r = get_str(&a, d->name, sizeof(d->name));
			have |= 4;
			break;
		case KAME_A_FAMILY:
			r = get_u8(&a, &d->family);
			have |= 8;
			break;
		case KAME_A_SUPPRESSED:
			r = get_u64(&a, &d->suppressed);
			break;
		case KAME_A_SRC:
			r = get_addr(&a, &d->src);
			break;
		case KAME_A_DST:
			r = get_addr(&a, &d->dst);
			break;
		case KAME_A_PROTO:
			r = get_u8(&a, &d->proto);
			d->has |= IST_HAS_PROTO;
			break;
		case KAME_A_SPORT:
			r = get_u16(&a, &d->sport);
			ports |= 1;
			break;
		case KAME_A_DPORT:
			r = get_u16(&a, &d->dport);
			ports |= 2;
			break;
		case KAME_A_SPI:
			r = get_u32(&a, &d->spi);
			d->has |= IST_HAS_SPI;
			break;
		case KAME_A_SA_PROTO:
			r = get_u8(&a, &d->sa_proto);
			d->has |= IST_HAS_SA_PROTO;
			break;
		case KAME_A_AUTH_ALG:
			r = get_u8(&a, &d->auth_alg);
			d->has |= IST_HAS_ALGS;
			break;
		case KAME_A_ENC_ALG:
			r = get_u8(&a, &d->enc_alg);
			d->has |= IST_HAS_ALGS;
			break;
		case KAME_A_MODE:
			r = get_u8(&a, &d->mode);
			d->has |= IST_HAS_MODE;
			break;
		case KAME_A_POLICY_ID:
			r = get_u32(&a, &d->policy_id);
			d->has |= IST_HAS_POLICY;
			break;
		case KAME_A_IFINDEX:
			r = get_u32(&a, &d->ifindex);
			d->has |= IST_HAS_IF;
			break;
		case KAME_A_POLICY_TYPE:
			r = get_u8(&a, &d->policy_type);
			d->has |= IST_HAS_POLICY_TYPE;
			break;
		case KAME_A_REQ:
			if (d->nreq >= IST_MAX_REQ)
				return -1;
			r = parse_req(&a, &d->req[d->nreq]);
			if (r == 0)
				d->nreq++;
			break;
		case KAME_A_IFNAME:
			r = get_str(&a, d->ifname, sizeof(d->ifname));
			break;
		default:
			r = 0;
		}
		if (r < 0)
			return -1;
	}
	if (r < 0 || have != 15)
		return -1;
	if (check_family(d->family, &d->src, &d->dst))
		return -1;
	if (!d->src.len != !d->dst.len)
		return -1;
	if (d->src.len)
		d->has |= IST_HAS_SRC;
	if (ports == 3)
		d->has |= IST_HAS_PORTS;
	else if (ports)
		return -1;
	/* A policy's action and requests come with its id only. */
	if ((d->nreq || (d->has & IST_HAS_POLICY_TYPE)) &&
	    !(d->has & IST_HAS_POLICY))
		return -1;
	return 0;
}

int ist_parse_sa(const void *attrs, size_t len, struct ist_sa *s)
{
	struct walk w = { attrs, len };
	struct attr a;
	int r, have = 0;

	memset(s, 0, sizeof(*s));
	while ((r = next_attr(&w, &a)) > 0) {
		switch (a.type) {
		case KAME_A_FAMILY:
			r = get_u8(&a, &s->family);
			have |= 1;
			break;
		case KAME_A_SRC:
			r = get_addr(&a, &s->src);
			break;
		case KAME_A_DST:
			r = get_addr(&a, &s->dst);
			break;
		case KAME_A_SA_PROTO:
			r = get_u8(&a, &s->sa_proto);
			have |= 2;
			break;
		case KAME_A_SPI:
			r = get_u32(&a, &s->spi);
			have |= 4;
			break;
		case KAME_A_MODE:
			r = get_u8(&a, &s->mode);
			break;
		case KAME_A_STATE:
			r = get_u8(&a, &s->state);
			break;
		case KAME_A_AUTH_ALG:
			r = get_u8(&a, &s->auth_alg);
			break;
		case KAME_A_ENC_ALG:
			r = get_u8(&a, &s->enc_alg);
			break;
		case KAME_A_REQID:
			r = get_u32(&a, &s->reqid);
			break;
		case KAME_A_BYTES:
			r = get_u64(&a, &s->bytes);
			break;
		case KAME_A_PACKETS:
			r = get_u64(&a, &s->packets);
			break;
		case KAME_A_REPLAY_FAIL:
			r = get_u64(&a, &s->replay_fail);
			break;
		case KAME_A_ICV_FAIL:
			r = get_u64(&a, &s->icv_fail);
			break;
		case KAME_A_ADD_TIME:
			r = get_u64(&a, &s->add_time);
			break;
		case KAME_A_USE_TIME:
			r = get_u64(&a, &s->use_time);
			break;
		case KAME_A_LAST_USE:
			r = get_u64(&a, &s->last_use);
			break;
		default:
			r = 0;
		}
		if (r < 0)
			return -1;
	}
	if (r < 0 || have != 7 || !s->src.len || !s->dst.len)
		return -1;
	return check_family(s->family, &s->src, &s->dst);
}

int ist_parse_policy(const void *attrs, size_t len, struct ist_policy *p)
{
	struct walk w = { attrs, len };
	struct attr a;
	int r, have = 0;

	memset(p, 0, sizeof(*p));
	while ((r = next_attr(&w, &a)) > 0) {
		switch (a.type) {
		case KAME_A_POLICY_ID:
			r = get_u32(&a, &p->id);
			have |= 1;
			break;
		case KAME_A_DIR:
			r = get_u8(&a, &p->dir);
			have |= 2;
			break;
		case KAME_A_FAMILY:
			r = get_u8(&a, &p->family);
			have |= 4;
			break;
		case KAME_A_SRC:
			r = get_addr(&a, &p->src);
			break;
		case KAME_A_DST:
			r = get_addr(&a, &p->dst);
			break;
		case KAME_A_SPREFIX:
			r = get_u8(&a, &p->sprefix);
			break;
		case KAME_A_DPREFIX:
			r = get_u8(&a, &p->dprefix);
			break;
		case KAME_A_PROTO:
			r = get_u8(&a, &p->proto);
			break;
		case KAME_A_SPORT:
			r = get_u16(&a, &p->sport);
			break;
		case KAME_A_DPORT:
			r = get_u16(&a, &p->dport);
			break;
		case KAME_A_POLICY_TYPE:
			r = get_u8(&a, &p->type);
			break;
		case KAME_A_HITS:
			r = get_u64(&a, &p->hits);
			break;
		case KAME_A_LAST_USE:
			r = get_u64(&a, &p->last_use);
			break;
		case KAME_A_REQ:
			if (p->nreq >= IST_MAX_REQ)
				return -1;
			r = parse_req(&a, &p->req[p->nreq]);
			if (r == 0)
				p->nreq++;
			break;
		default:
			r = 0;
		}
		if (r < 0)
			return -1;
	}
	if (r < 0 || have != 7 || !p->src.len || !p->dst.len)
		return -1;
	if (check_family(p->family, &p->src, &p->dst))
		return -1;
	if (p->sprefix > p->src.len * 8 || p->dprefix > p->dst.len * 8)
		return -1;
	return 0;
}
