/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module's init (main.c) calls in the PF_KEY layer. The core
 * reaches PF_KEY only through the key-manager interface (kmod/km.h) that
 * kame_pfkey_init() registers with.
 */
#ifndef KAME_AF_PFKEY_H
#define KAME_AF_PFKEY_H

int kame_pfkey_init(void);
void kame_pfkey_exit(void);

#endif
