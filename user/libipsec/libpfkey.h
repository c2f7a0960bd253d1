/* SPDX-License-Identifier: BSD-3-Clause */
/* For programs written against ipsec-tools: <libpfkey.h> names libipsec. */
#ifndef KAMEIPSEC_LIBPFKEY_H
#define KAMEIPSEC_LIBPFKEY_H
#include "libipsec.h"
#endif
