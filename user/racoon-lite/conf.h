/* SPDX-License-Identifier: BSD-3-Clause */
/* The parsed racoon.conf subset (see Documentation/racoon.conf.md). */
#ifndef RACOON_LITE_CONF_H
#define RACOON_LITE_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define DEFAULT_LIFETIME	28800	/* racoon's 8 hours, both phases */
#define MAX_ALGS		8
#define MAX_LISTEN		8
#define MAX_PEERS_ID		4
#define MAX_INCLUDE_DEPTH	8
#define CONF_MAX_SIZE		(1 << 20)	/* bytes, each file */
#define DEFAULT_NONCE_SIZE	32	/* bytes (racoon: 16; RFC 2409: 8..256) */

enum prop_check { PROP_OBEY, PROP_STRICT, PROP_CLAIM, PROP_EXACT };

struct p1_proposal {
	int enc;		/* OAKLEY_ENC_* */
	unsigned int keybits;	/* 0: the algorithm's default */
	int hash;		/* OAKLEY_HASH_* */
	int auth;		/* OAKLEY_AUTH_PSK */
	int group;
	int line;
	struct p1_proposal *next;
};

enum { IKE_FRAG_OFF, IKE_FRAG_ON, IKE_FRAG_FORCE };

/* nat_traversal: off, on (RFC 3947 / drafts when the peer agrees), force */
enum { NATT_CONF_OFF, NATT_CONF_ON, NATT_CONF_FORCE };

#define NATT_DEFAULT_PORT	4500
#define NATT_DEFAULT_KEEPALIVE	20	/* seconds, racoon's */

enum id_kind { MYID_ADDRESS, MYID_FQDN, MYID_USER_FQDN, MYID_ASN1DN };

/* peers_identifier: what the peer's ID payload must say (verify_identifier). */
struct peer_id {
	enum id_kind kind;
	char value[256];	/* address text, or the name */
};

struct remote_conf {
	bool anonymous;
	struct sockaddr_storage addr;	/* port 0: any */
	uint32_t lifetime;		/* seconds */
	enum prop_check prop_check;
	bool initial_contact;
	bool generate_policy;
	bool passive;
	bool main_mode;		/* exchange_mode lists main */
	bool aggressive;	/* exchange_mode lists aggressive */
	bool initiate_aggressive;	/* ...first: we initiate with it */
	int dpd_delay;		/* seconds between R-U-THERE; 0: off */
	int dpd_retry;		/* seconds to wait for the ACK */
	int dpd_maxfail;	/* unanswered queries before the peer is dead */
	int nat_traversal;	/* NATT_CONF_* */
	enum id_kind myid_kind;
	char myid[256];
	struct peer_id peers_id[MAX_PEERS_ID];
	int npeers_id;
	bool verify_identifier;	/* refuse a peer whose ID is not peers_id */
	int nonce_size;		/* bytes */
	/* certificates (cert.c); names relative to "path certificate" */
	bool use_cert;		/* certificate_type x509 "cert" "key" */
	char cert_file[256], key_file[256];
	char ca_file[256];	/* ca_type x509 "file" */
	char peers_certfile[256];	/* a pinned peer certificate */
	bool verify_cert, send_cert, send_cr;	/* on, on, on */
	int ike_frag;		/* IKE_FRAG_*: off, on, force (frag.c) */
	struct certs *certs;	/* loaded by certs_load_config() */
	struct p1_proposal *props;
	int props_left_out;	/* proposals racoon-lite cannot do */
	int line;
	struct remote_conf *next;
};

struct alg {
	int id;			/* ESP/AH transform or AUTH_HMAC_* value */
	unsigned int keybits;
};

/* sainfo endpoint: anonymous, or address/prefix [port] proto */
struct sa_id {
	bool any;
	struct sockaddr_storage addr;
	unsigned int prefix;
	unsigned int port;
	int proto;		/* 255 = any */
};

struct sainfo_conf {
	struct sa_id src, dst;
	int pfs_group;		/* 0: no PFS */
	uint32_t lifetime;	/* seconds */
	uint32_t lifetime_kb;	/* 0: none */
	struct alg enc[MAX_ALGS];
	int nenc;
	struct alg auth[MAX_ALGS];
	int nauth;
	int comp[MAX_ALGS];
	int ncomp;
	int line;
	struct sainfo_conf *next;
};

struct timer_conf {
	int counter;		/* retransmissions before giving up */
	int interval;		/* seconds between them */
	int persend;		/* copies per transmission */
	int natt_keepalive;	/* seconds between NAT-T keepalives; 0: none */
	int phase1;		/* seconds to finish phase 1 */
	int phase2;		/* seconds to finish phase 2 */
};

struct padding_conf {
	bool randomize;
	int maximum_length;
	bool strict_check;
	bool exclusive_tail;
};

struct config {
	char *psk_path;
	char *cert_path;	/* path certificate */
	char *include_path;	/* path include: base of relative includes */
	char *pidfile;		/* path pidfile */
	/* "file:line: ... ignored" for statements with no meaning here */
	char **warnings;
	int nwarnings;
	struct sockaddr_storage listen[MAX_LISTEN];
	int nlisten;
	/* listen { isakmp_natt ADDRESS [PORT]; }: the NAT-T sockets */
	struct sockaddr_storage listen_natt[MAX_LISTEN];
	int nlisten_natt;
	uint16_t natt_port;	/* ours: the first isakmp_natt's, else 4500 */
	bool natt_any;		/* a remote has nat_traversal on or force */
	int log_level;		/* -1: not set in the file */
	struct timer_conf timer;
	struct padding_conf padding;
	struct remote_conf *remotes;
	struct sainfo_conf *sainfos;
};

/*
 * Parses path into a new config. On error returns NULL and writes
 * "file:line: message" into err.
 */
struct config *conf_load(const char *path, char *err, size_t errlen);
struct config *conf_parse_string(const char *name, const char *text,
				 char *err, size_t errlen);
void conf_free(struct config *c);

/* Lookups used by the exchanges. */
struct remote_conf *conf_find_remote(const struct config *c,
				     const struct sockaddr *peer);
struct sainfo_conf *conf_find_sainfo(const struct config *c,
				     const struct sa_id *src,
				     const struct sa_id *dst);

#endif
