// SPDX-License-Identifier: BSD-3-Clause
/*
 * SADB_REGISTER replies: remember which algorithms (and key sizes) the
 * kernel supports, and check key lengths against that list.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ipsec_internal.h"

struct supported_list {
	struct sadb_alg *algs;
	size_t n;
	int valid;
};

static struct supported_list supp_auth, supp_enc;

static struct supported_list *list_for(unsigned int supported)
{
	if (supported == SADB_EXT_SUPPORTED_AUTH)
		return &supp_auth;
	if (supported == SADB_EXT_SUPPORTED_ENCRYPT)
		return &supp_enc;
	return NULL;
}

static int store(struct supported_list *l, const struct sadb_supported *s)
{
	size_t n = (PFKEY_EXTLEN(s) - sizeof(*s)) / sizeof(struct sadb_alg);
	struct sadb_alg *a = NULL;

	if (n) {
		a = malloc(n * sizeof(*a));
		if (!a) {
			ipsec_set_error(EIPSEC_NO_BUFS, NULL);
			return -1;
		}
		memcpy(a, s + 1, n * sizeof(*a));
	}
	free(l->algs);
	l->algs = a;
	l->n = n;
	l->valid = 1;
	return 0;
}

int pfkey_set_supported(struct sadb_msg *msg, int tlen)
{
	caddr_t mhp[SADB_EXT_MAX + 1];

	if (!msg || tlen < (int)sizeof(*msg) ||
	    PFKEY_UNUNIT64((size_t)msg->sadb_msg_len) != (size_t)tlen) {
		ipsec_set_error(EIPSEC_INVAL_ARGUMENT, NULL);
		return -1;
	}
	if (pfkey_align(msg, mhp))
		return -1;
	/* a kernel that lists nothing for a kind supports none of it */
	if (store(&supp_auth, (void *)mhp[SADB_EXT_SUPPORTED_AUTH] ?
		  (void *)mhp[SADB_EXT_SUPPORTED_AUTH] :
		  &(struct sadb_supported){ .sadb_supported_len = 1 }))
		return -1;
	if (store(&supp_enc, (void *)mhp[SADB_EXT_SUPPORTED_ENCRYPT] ?
		  (void *)mhp[SADB_EXT_SUPPORTED_ENCRYPT] :
		  &(struct sadb_supported){ .sadb_supported_len = 1 }))
		return -1;
	return 0;
}

/* Reads until the REGISTER reply for this process arrives. */
int pfkey_recv_register(int so)
{
	pid_t pid = getpid();
	struct sadb_msg *m;
	int r;

	for (;;) {
		m = pfkey_recv(so);
		if (!m)
			return -1;
		if (m->sadb_msg_type == SADB_REGISTER &&
		    m->sadb_msg_pid == (uint32_t)pid)
			break;
		free(m);
	}
	if (m->sadb_msg_errno) {
		ipsec_set_error(EIPSEC_SYSTEM_ERROR, NULL);
		errno = m->sadb_msg_errno;
		ipsec_set_syserror();
		free(m);
		return -1;
	}
	r = pfkey_set_supported(m, PFKEY_UNUNIT64(m->sadb_msg_len));
	free(m);
	return r;
}

int ipsec_get_keylen(unsigned int supported, unsigned int alg_id,
		     struct sadb_alg *alg)
{
	struct supported_list *l = list_for(supported);
	size_t i;

	if (!l || !alg) {
		ipsec_set_error(EIPSEC_INVAL_ARGUMENT, NULL);
		return -1;
	}
	if (!l->valid) {
		ipsec_set_error(EIPSEC_DO_GET_SUPP_LIST, NULL);
		return -1;
	}
	for (i = 0; i < l->n; i++)
		if (l->algs[i].sadb_alg_id == alg_id) {
			*alg = l->algs[i];
			return 0;
		}
	ipsec_set_error(EIPSEC_NOT_SUPPORTED, "algorithm %u", alg_id);
	return -1;
}

int ipsec_check_keylen(unsigned int supported, unsigned int alg_id,
		       unsigned int keylen)
{
	struct sadb_alg alg;

	if (ipsec_get_keylen(supported, alg_id, &alg))
		return -1;
	if (keylen * 8 < alg.sadb_alg_minbits || keylen * 8 > alg.sadb_alg_maxbits) {
		ipsec_set_error(EIPSEC_INVAL_KEYLEN,
				"%u bits, the kernel accepts %u..%u", keylen * 8,
				alg.sadb_alg_minbits, alg.sadb_alg_maxbits);
		return -1;
	}
	__ipsec_errcode = EIPSEC_NO_ERROR;
	return 0;
}

int ipsec_check_keylen2(unsigned int satype, unsigned int alg_id,
			unsigned int keylen)
{
	switch (satype) {
	case SADB_SATYPE_AH:
		return ipsec_check_keylen(SADB_EXT_SUPPORTED_AUTH, alg_id, keylen);
	case SADB_SATYPE_ESP:
		return ipsec_check_keylen(SADB_EXT_SUPPORTED_ENCRYPT, alg_id,
					  keylen);
	}
	ipsec_set_error(EIPSEC_INVAL_SATYPE, "%u", satype);
	return -1;
}
