/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Bounds of one security policy, shared by the SPD (spd.h) and the
 * validators that enforce them on what users send: PF_KEY's
 * (pfkey/msg_parse.c) and the socket policies' (xfrm_compat/sockpol_parse.c),
 * which are also built on the host for tests and fuzzing. No header here.
 */
#ifndef KAME_SP_LIMITS_H
#define KAME_SP_LIMITS_H

/* Most requests (ipsecrequests) one policy carries: XFRM_MAX_DEPTH in Linux. */
#define KAME_SP_MAXREQ	6

#endif /* KAME_SP_LIMITS_H */
