/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The few headers the PF_KEY message parser needs, from the kernel when
 * built into the module and from libc when built for host tests and fuzzing.
 * Shared code uses only __u8/__u16/__u32/__u64, size_t, bool, memcpy() and
 * the AF_*, IPPROTO_* and UDP_ENCAP_* constants.
 */
#ifndef KAME_PFKEY_PORTABLE_H
#define KAME_PFKEY_PORTABLE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/socket.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <uapi/linux/udp.h>
#else
#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/udp.h>
#endif

#include <linux/pfkeyv2.h>
#include <linux/ipsec.h>

#endif /* KAME_PFKEY_PORTABLE_H */
