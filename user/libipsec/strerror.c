// SPDX-License-Identifier: BSD-3-Clause
/* ipsec_strerror(3): text for __ipsec_errcode, plus the last detail. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "ipsec_internal.h"

int __ipsec_errcode;
static char ipsec_detail[256];
static int ipsec_syserr;

static const char *const ipsec_errlist[EIPSEC_MAX] = {
	[EIPSEC_NO_ERROR] = "Success",
	[EIPSEC_NOT_SUPPORTED] = "Not supported",
	[EIPSEC_INVAL_ARGUMENT] = "Invalid argument",
	[EIPSEC_INVAL_SADBMSG] = "Invalid sadb message",
	[EIPSEC_INVAL_VERSION] = "Invalid version",
	[EIPSEC_INVAL_POLICY] = "Invalid security policy",
	[EIPSEC_INVAL_ADDRESS] = "Invalid address specification",
	[EIPSEC_INVAL_PROTO] = "Invalid ipsec protocol",
	[EIPSEC_INVAL_MODE] = "Invalid ipsec mode",
	[EIPSEC_INVAL_LEVEL] = "Invalid ipsec level",
	[EIPSEC_INVAL_SATYPE] = "Invalid SA type",
	[EIPSEC_INVAL_MSGTYPE] = "Invalid message type",
	[EIPSEC_INVAL_EXTTYPE] = "Invalid extension type",
	[EIPSEC_INVAL_ALGS] = "Invalid algorithm type",
	[EIPSEC_INVAL_KEYLEN] = "Invalid key length",
	[EIPSEC_INVAL_FAMILY] = "Invalid address family",
	[EIPSEC_INVAL_PREFIXLEN] = "Invalid prefix length",
	[EIPSEC_INVAL_DIR] = "Invalid direction",
	[EIPSEC_INVAL_SPI] = "SPI range violation",
	[EIPSEC_NO_PROTO] = "No protocol specified",
	[EIPSEC_NO_ALGS] = "No algorithm specified",
	[EIPSEC_NO_BUFS] = "No buffer available",
	[EIPSEC_DO_GET_SUPP_LIST] = "Must get supported algorithms list first",
	[EIPSEC_INVAL_REQUESTS] = "Invalid ipsec requests",
	[EIPSEC_FAMILY_MISMATCH] = "Family mismatch",
	[EIPSEC_SYSTEM_ERROR] = NULL,
};

void ipsec_set_error(int code, const char *fmt, ...)
{
	va_list ap;

	__ipsec_errcode = code;
	ipsec_detail[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(ipsec_detail, sizeof(ipsec_detail), fmt, ap);
		va_end(ap);
	}
}

void ipsec_set_syserror(void)
{
	ipsec_syserr = errno;
	ipsec_set_error(EIPSEC_SYSTEM_ERROR, NULL);
}

const char *ipsec_strerror(void)
{
	static char buf[400];
	const char *base;

	if (__ipsec_errcode < 0 || __ipsec_errcode >= EIPSEC_MAX)
		return "Unknown error";
	if (__ipsec_errcode == EIPSEC_SYSTEM_ERROR)
		return strerror(ipsec_syserr);
	base = ipsec_errlist[__ipsec_errcode];
	if (!ipsec_detail[0])
		return base;
	snprintf(buf, sizeof(buf), "%s: %s", base, ipsec_detail);
	return buf;
}
