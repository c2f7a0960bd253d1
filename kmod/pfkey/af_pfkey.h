/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_AF_PFKEY_H
#define KAME_AF_PFKEY_H

int kame_pfkey_init(void);
void kame_pfkey_exit(void);

#endif
