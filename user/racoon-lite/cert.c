// SPDX-License-Identifier: BSD-3-Clause
/*
 * Certificates: ours and our key, the trust anchors, signatures, and the
 * verdict on a peer's certificate. See cert.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "cert.h"
#include "ident.h"
#include "isakmp.h"

struct certs {
	X509 *mine;
	EVP_PKEY *key;
	uint8_t *mine_der;
	size_t mine_derlen;
	/* certificate_type's file after ours: the chain we send (PEM) */
	uint8_t *chain_der[CERTS_CHAIN_MAX];
	size_t chain_derlen[CERTS_CHAIN_MAX];
	int nchain;
	X509_STORE *store;	/* ca_type and the directory's hash.0/hash.r0 */
	X509 *ca;		/* ca_type's certificate: the CERTREQ names it */
	X509 *pinned;		/* peers_certfile */
	bool verify;
};

/* @name relative to @dir unless absolute. */
static void full_path(char *out, size_t len, const char *dir, const char *name)
{
	if (name[0] != '/' && dir && dir[0])
		snprintf(out, len, "%s/%s", dir, name);
	else
		snprintf(out, len, "%s", name);
}

/* The first OpenSSL error as text, or @dflt. */
static const char *ossl_reason(const char *dflt)
{
	unsigned long e = ERR_get_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return r ? r : dflt;
}

/* A certificate file, PEM or DER. */
static X509 *read_cert(const char *path, char *err, size_t errlen)
{
	BIO *b = BIO_new_file(path, "rb");
	X509 *x;

	if (!b) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
			 strerror(errno));
		ERR_clear_error();
		return NULL;
	}
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	if (!x) {
		ERR_clear_error();
		(void)BIO_reset(b);
		x = d2i_X509_bio(b, NULL);
	}
	BIO_free(b);
	if (!x)
		snprintf(err, errlen, "%s: not a PEM or DER X.509 certificate "
			 "(%s)", path, ossl_reason("unreadable"));
	return x;
}

/* A malloc'd DER copy of @x; NULL if out of memory. */
static uint8_t *cert_der(X509 *x, size_t *len)
{
	int n = i2d_X509(x, NULL);
	unsigned char *p, *der;

	if (n <= 0 || !(der = malloc((size_t)n)))
		return NULL;
	p = der;
	*len = (size_t)i2d_X509(x, &p);
	return der;
}

/*
 * The certificates after the first one of a PEM certificate file: the
 * intermediate CAs we send with ours (racoon users kept them in the same
 * file). A DER file holds one certificate and no chain. -1 with @err set
 * if one is malformed or there are more than CERTS_CHAIN_MAX.
 */
static int read_chain(struct certs *c, const char *path, char *err,
		      size_t errlen)
{
	BIO *b = BIO_new_file(path, "rb");
	X509 *x;
	int n = 0;

	if (!b) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
			 strerror(errno));
		ERR_clear_error();
		return -1;
	}
	for (;;) {
		unsigned long e;

		x = PEM_read_bio_X509(b, NULL, NULL, NULL);
		if (!x) {
			e = ERR_peek_last_error();
			ERR_clear_error();
			/* the end of the file, or a DER file */
			if (ERR_GET_REASON(e) == PEM_R_NO_START_LINE || n == 0)
				break;
			snprintf(err, errlen, "%s: certificate %d is not "
				 "PEM X.509", path, n + 1);
			goto fail;
		}
		if (n++ == 0) {		/* ours, read by read_cert() */
			X509_free(x);
			continue;
		}
		if (c->nchain == CERTS_CHAIN_MAX) {
			snprintf(err, errlen, "%s: more than %d chain "
				 "certificates after ours", path,
				 CERTS_CHAIN_MAX);
			goto fail;
		}
		c->chain_der[c->nchain] = cert_der(x, &c->chain_derlen[c->nchain]);
		if (!c->chain_der[c->nchain]) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		c->nchain++;
		X509_free(x);
	}
	BIO_free(b);
	return 0;
fail:
	X509_free(x);
	BIO_free(b);
	return -1;
}

/*
 * The private key: a regular file (no symbolic link) owned by @owner that
 * group and others cannot read, as for the pre-shared key file.
 */
static EVP_PKEY *read_key(const char *path, uid_t owner, char *err,
			  size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	EVP_PKEY *k = NULL;
	struct stat st;
	FILE *f;

	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open the private key: %s%s",
			 path, strerror(errno), errno == ELOOP ?
			 " (a symbolic link)" : "");
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: the private key is not a regular "
			 "file", path);
		close(fd);
		return NULL;
	}
	if (st.st_uid != owner) {
		snprintf(err, errlen, "%s: the private key file is owned by "
			 "uid %u, not %u; run 'chown %u %s'", path,
			 (unsigned int)st.st_uid, (unsigned int)owner,
			 (unsigned int)owner, path);
		close(fd);
		return NULL;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "%s: the private key file has mode %04o "
			 "and is accessible by group or others; run "
			 "'chmod 600 %s'", path,
			 (unsigned int)(st.st_mode & 07777), path);
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	if (!k) {
		ERR_clear_error();
		rewind(f);
		k = d2i_PrivateKey_fp(f, NULL);
	}
	fclose(f);
	if (!k)
		snprintf(err, errlen, "%s: not a PEM or DER private key (%s)",
			 path, ossl_reason("unreadable"));
	return k;
}

/*
 * No CRL for a CA is no revocation (racoon's rule: CRLs are optional,
 * hash.r0 files next to the CAs); every other error stands.
 */
static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	if (!ok && X509_STORE_CTX_get_error(ctx) == X509_V_ERR_UNABLE_TO_GET_CRL)
		return 1;
	return ok;
}

struct certs *certs_load(const struct remote_conf *r, const char *dir,
			 uid_t owner, char *err, size_t errlen)
{
	struct certs *c = calloc(1, sizeof(*c));
	char path[4096];

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->verify = r->verify_cert;
	full_path(path, sizeof(path), dir, r->cert_file);
	c->mine = read_cert(path, err, errlen);
	if (!c->mine)
		goto fail;
	full_path(path, sizeof(path), dir, r->key_file);
	c->key = read_key(path, owner, err, errlen);
	if (!c->key)
		goto fail;
	if (X509_check_private_key(c->mine, c->key) != 1) {
		ERR_clear_error();
		snprintf(err, errlen, "%s: the private key does not belong to "
			 "certificate %s", path, r->cert_file);
		goto fail;
	}
	if (certs_auth_method(c) == 0) {
		snprintf(err, errlen, "%s: only RSA and ECDSA P-256/384/521 "
			 "keys can sign", path);
		goto fail;
	}
	c->mine_der = cert_der(c->mine, &c->mine_derlen);
	if (!c->mine_der)
		goto oom;
	full_path(path, sizeof(path), dir, r->cert_file);
	if (read_chain(c, path, err, errlen))
		goto fail;
	c->store = X509_STORE_new();
	if (!c->store)
		goto oom;
	if (r->ca_file[0]) {
		full_path(path, sizeof(path), dir, r->ca_file);
		c->ca = read_cert(path, err, errlen);
		if (!c->ca)
			goto fail;
		if (!X509_STORE_add_cert(c->store, c->ca))
			goto oom;
	}
	if (dir && dir[0]) {
		X509_LOOKUP *l = X509_STORE_add_lookup(c->store,
						       X509_LOOKUP_hash_dir());

		if (!l || !X509_LOOKUP_add_dir(l, dir, X509_FILETYPE_PEM))
			goto oom;
	}
	X509_STORE_set_flags(c->store, X509_V_FLAG_CRL_CHECK |
				       X509_V_FLAG_CRL_CHECK_ALL);
	X509_STORE_set_verify_cb(c->store, verify_cb);
	if (r->peers_certfile[0]) {
		full_path(path, sizeof(path), dir, r->peers_certfile);
		c->pinned = read_cert(path, err, errlen);
		if (!c->pinned)
			goto fail;
	}
	if (c->verify && !r->ca_file[0] && !(dir && dir[0]) && !c->pinned) {
		snprintf(err, errlen, "verify_cert on, but no ca_type, "
			 "path certificate or peers_certfile names a CA");
		goto fail;
	}
	return c;
oom:
	snprintf(err, errlen, "out of memory (%s)", ossl_reason("OpenSSL"));
fail:
	certs_free(c);
	return NULL;
}

void certs_free(struct certs *c)
{
	if (!c)
		return;
	X509_free(c->mine);
	EVP_PKEY_free(c->key);
	free(c->mine_der);
	for (int i = 0; i < c->nchain; i++)
		free(c->chain_der[i]);
	X509_STORE_free(c->store);
	X509_free(c->ca);
	X509_free(c->pinned);
	free(c);
}

int certs_load_config(struct config *conf, uid_t owner, char *err,
		      size_t errlen)
{
	char e[900];

	for (struct remote_conf *r = conf->remotes; r; r = r->next) {
		if (!r->use_cert || r->certs)
			continue;
		r->certs = certs_load(r, conf->cert_path, owner, e, sizeof(e));
		if (!r->certs) {
			snprintf(err, errlen, "remote at line %d: %s", r->line,
				 e);
			return -1;
		}
		/* the key must be able to make the proposals' signatures */
		for (const struct p1_proposal *p = r->props; p; p = p->next)
			if (p->auth != OAKLEY_AUTH_PSK &&
			    p->auth != certs_auth_method(r->certs)) {
				snprintf(err, errlen, "proposal at line %d: "
					 "the key of %s cannot make %s "
					 "signatures", p->line, r->cert_file,
					 p->auth == OAKLEY_AUTH_RSA_SIG ?
					 "rsasig" : "this ecdsa method's");
				return -1;
			}
	}
	return 0;
}

void certs_free_config(struct config *conf)
{
	for (struct remote_conf *r = conf ? conf->remotes : NULL; r;
	     r = r->next) {
		certs_free(r->certs);
		r->certs = NULL;
	}
}

const uint8_t *certs_my_der(const struct certs *c, size_t *len)
{
	*len = c->mine_derlen;
	return c->mine_der;
}

const uint8_t *certs_chain_der(const struct certs *c, int i, size_t *len)
{
	if (i < 0 || i >= c->nchain)
		return NULL;
	*len = c->chain_derlen[i];
	return c->chain_der[i];
}

static uint8_t *name_der(const X509_NAME *n, size_t *len)
{
	unsigned char *der = NULL;
	int l = i2d_X509_NAME(n, &der);

	if (l <= 0)
		return NULL;
	*len = (size_t)l;
	/* OpenSSL's allocation: hand back one of ours */
	{
		uint8_t *out = malloc((size_t)l);

		if (out)
			memcpy(out, der, (size_t)l);
		OPENSSL_free(der);
		return out;
	}
}

uint8_t *certs_my_dn(const struct certs *c, size_t *len)
{
	return name_der(X509_get_subject_name(c->mine), len);
}

uint8_t *certs_ca_dn(const struct certs *c, size_t *len)
{
	return c->ca ? name_der(X509_get_subject_name(c->ca), len) : NULL;
}

static int key_method(EVP_PKEY *k)
{
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_RSA:
		return OAKLEY_AUTH_RSA_SIG;
	case EVP_PKEY_EC:
		switch (EVP_PKEY_get_bits(k)) {
		case 256:
			return OAKLEY_AUTH_ECDSA_256;
		case 384:
			return OAKLEY_AUTH_ECDSA_384;
		case 521:
			return OAKLEY_AUTH_ECDSA_521;
		}
	}
	return 0;
}

int certs_auth_method(const struct certs *c)
{
	return key_method(c->key);
}

int certs_peer_method(X509 *peer)
{
	EVP_PKEY *k = X509_get0_pubkey(peer);

	return k ? key_method(k) : 0;
}

/* ECDSA: r and s each as long as the curve's order. */
static size_t ec_half(EVP_PKEY *k)
{
	return ((size_t)EVP_PKEY_get_bits(k) + 7) / 8;
}

uint8_t *certs_sign(const struct certs *c, const uint8_t *h, size_t hl,
		    size_t *siglen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(c->key, NULL);
	bool ec = EVP_PKEY_get_base_id(c->key) == EVP_PKEY_EC;
	uint8_t *sig = NULL, *out = NULL;
	size_t len = 0;

	if (!ctx || EVP_PKEY_sign_init(ctx) <= 0 ||
	    (!ec && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0) ||
	    EVP_PKEY_sign(ctx, NULL, &len, h, hl) <= 0 ||
	    !(sig = malloc(len)) ||
	    EVP_PKEY_sign(ctx, sig, &len, h, hl) <= 0)
		goto out;
	if (!ec) {
		out = sig;
		sig = NULL;
		*siglen = len;
		goto out;
	}
	{
		/* DER ECDSA-Sig-Value -> r || s */
		const unsigned char *p = sig;
		ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)len);
		size_t half = ec_half(c->key);

		if (es && (out = malloc(2 * half)) &&
		    (BN_bn2binpad(ECDSA_SIG_get0_r(es), out, (int)half) < 0 ||
		     BN_bn2binpad(ECDSA_SIG_get0_s(es), out + half,
				  (int)half) < 0)) {
			free(out);
			out = NULL;
		}
		ECDSA_SIG_free(es);
		*siglen = 2 * half;
	}
out:
	ERR_clear_error();
	free(sig);
	EVP_PKEY_CTX_free(ctx);
	return out;
}

bool certs_check_sig(X509 *peer, const uint8_t *h, size_t hl,
		     const uint8_t *sig, size_t siglen)
{
	EVP_PKEY *k = X509_get0_pubkey(peer);
	EVP_PKEY_CTX *ctx = k ? EVP_PKEY_CTX_new(k, NULL) : NULL;
	unsigned char *der = NULL;
	bool ok = false;
	int derlen;

	if (!ctx || EVP_PKEY_verify_init(ctx) <= 0)
		goto out;
	if (EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA) {
		ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
		     EVP_PKEY_verify(ctx, sig, siglen, h, hl) == 1;
	} else if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC) {
		size_t half = ec_half(k);
		ECDSA_SIG *es;
		BIGNUM *r, *s;

		if (siglen != 2 * half)
			goto out;
		es = ECDSA_SIG_new();
		r = BN_bin2bn(sig, (int)half, NULL);
		s = BN_bin2bn(sig + half, (int)half, NULL);
		if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
			BN_free(r);
			BN_free(s);
			ECDSA_SIG_free(es);
			goto out;
		}
		derlen = i2d_ECDSA_SIG(es, &der);
		ECDSA_SIG_free(es);
		ok = derlen > 0 &&
		     EVP_PKEY_verify(ctx, der, (size_t)derlen, h, hl) == 1;
	}
out:
	ERR_clear_error();
	OPENSSL_free(der);
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

void certs_name(const X509_NAME *n, char *out, size_t outlen)
{
	BIO *b = BIO_new(BIO_s_mem());
	int len;

	out[0] = '\0';
	if (!b)
		return;
	X509_NAME_print_ex(b, n, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
	len = BIO_read(b, out, (int)outlen - 1);
	out[len > 0 ? len : 0] = '\0';
	BIO_free(b);
}

/* Whether the ID payload @id names @x (subject or subjectAltName). */
static bool id_names_cert(X509 *x, const uint8_t *id, size_t idlen)
{
	const unsigned char *d = id + 4;
	size_t dl = idlen - 4;
	unsigned int never = X509_CHECK_FLAG_NEVER_CHECK_SUBJECT |
			     X509_CHECK_FLAG_NO_WILDCARDS;
	char name[256];

	switch (id[0]) {
	case ID_DER_ASN1_DN: {
		X509_NAME *n = d2i_X509_NAME(NULL, &d, (long)dl);
		bool ok = n && d == id + idlen &&
			  !X509_NAME_cmp(n, X509_get_subject_name(x));

		X509_NAME_free(n);
		return ok;
	}
	case ID_FQDN:
	case ID_USER_FQDN:
		if (dl == 0 || dl >= sizeof(name) || memchr(d, 0, dl))
			return false;
		memcpy(name, d, dl);
		name[dl] = '\0';
		return id[0] == ID_FQDN ?
			       X509_check_host(x, name, dl, never, NULL) == 1 :
			       X509_check_email(x, name, dl, never) == 1;
	case ID_IPV4_ADDR:
	case ID_IPV6_ADDR:
		return dl == (id[0] == ID_IPV4_ADDR ? 4u : 16u) &&
		       X509_check_ip(x, d, dl, 0) == 1;
	}
	return false;
}

X509 *certs_peer(const struct certs *c, X509 *sent, STACK_OF(X509) *chain,
		 const uint8_t *id, size_t idlen, char *why, size_t whylen)
{
	X509 *x = c->pinned ? c->pinned : sent;
	char subj[256], ids[300];
	X509_STORE_CTX *ctx;
	int r;

	if (!x) {
		snprintf(why, whylen, "certificate refused: the peer sent no "
			 "certificate and no peers_certfile is configured");
		return NULL;
	}
	certs_name(X509_get_subject_name(x), subj, sizeof(subj));
	if (c->pinned && sent && X509_cmp(sent, c->pinned)) {
		certs_name(X509_get_subject_name(sent), subj, sizeof(subj));
		snprintf(why, whylen, "certificate refused: the peer's (%s) is "
			 "not the one in peers_certfile", subj);
		return NULL;
	}
	if (c->verify) {
		ctx = X509_STORE_CTX_new();
		if (!ctx || !X509_STORE_CTX_init(ctx, c->store, x, chain)) {
			X509_STORE_CTX_free(ctx);
			snprintf(why, whylen, "certificate refused: out of "
				 "memory");
			return NULL;
		}
		r = X509_verify_cert(ctx);
		if (r != 1) {
			int e = X509_STORE_CTX_get_error(ctx);
			X509 *bad = X509_STORE_CTX_get_current_cert(ctx);

			if (bad && bad != x)
				certs_name(X509_get_subject_name(bad), subj,
					   sizeof(subj));
			snprintf(why, whylen, "certificate refused: %s (%s)",
				 X509_verify_cert_error_string(e), subj);
			X509_STORE_CTX_free(ctx);
			ERR_clear_error();
			return NULL;
		}
		X509_STORE_CTX_free(ctx);
	}
	if ((X509_get_extension_flags(x) & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(x) &
	      (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
		snprintf(why, whylen, "certificate refused: its key usage "
			 "does not allow signatures (%s)", subj);
		return NULL;
	}
	if (idlen < 4 || !id_names_cert(x, id, idlen)) {
		if (idlen >= 4)
			ident_str(id, idlen, ids, sizeof(ids));
		else
			snprintf(ids, sizeof(ids), "none");
		snprintf(why, whylen, "certificate refused: the peer's ID "
			 "(%s) is not in its certificate (%s)", ids, subj);
		return NULL;
	}
	X509_up_ref(x);
	return x;
}

X509_NAME *certs_parse_dn(const char *s)
{
	X509_NAME *n = X509_NAME_new();
	char *copy = strdup(s), *p, *tok, *save = NULL;
	const char *sep = s[0] == '/' ? "/" : ",";

	if (!n || !copy)
		goto bad;
	for (p = copy; (tok = strtok_r(p, sep, &save)); p = NULL) {
		char *eq = strchr(tok, '='), *k = tok, *v, *e;

		while (*k == ' ')
			k++;
		if (!eq || eq == k)
			goto bad;
		*eq = '\0';
		v = eq + 1;
		for (e = eq; e > k && e[-1] == ' '; e--)
			e[-1] = '\0';
		while (*v == ' ')
			v++;
		if (!*v || !X509_NAME_add_entry_by_txt(n, k, MBSTRING_UTF8,
						       (unsigned char *)v, -1,
						       -1, 0))
			goto bad;
	}
	if (X509_NAME_entry_count(n) == 0)
		goto bad;
	free(copy);
	return n;
bad:
	ERR_clear_error();
	free(copy);
	X509_NAME_free(n);
	return NULL;
}
