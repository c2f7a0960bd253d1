/* SPDX-License-Identifier: BSD-3-Clause */
/* Logging with racoon-like levels; -d raises the threshold one step each. */
#ifndef RACOON_LITE_LOG_H
#define RACOON_LITE_LOG_H

#include <stddef.h>
#include <stdio.h>

enum {
	LLV_ERROR = 0,
	LLV_WARNING,
	LLV_NOTIFY,
	LLV_INFO,	/* default threshold with -v */
	LLV_DEBUG,	/* -d */
	LLV_DEBUG2,	/* -dd */
	LLV_DEBUG3,
	LLV_DEBUG4,
	LLV_DEBUG5,
	LLV_KEYS,	/* -dddddd: the only level that prints key material */
};

void log_set_level(int level);
int log_get_level(void);
/* NULL: stderr. Returns -1 if the file cannot be opened. */
int log_set_file(const char *path);
void log_set_stream(FILE *f);
/* After daemonizing without -l: messages go to syslog (LOG_DAEMON). */
void log_use_syslog(void);
void log_set_prefix(const char *prefix);	/* tests: tell instances apart */
void plog(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hex dump at the given level (LLV_KEYS for secrets). */
void plog_hex(int level, const char *what, const void *buf, size_t len);

#define log_err(...)	plog(LLV_ERROR, __VA_ARGS__)
#define log_warn(...)	plog(LLV_WARNING, __VA_ARGS__)
#define log_notify(...)	plog(LLV_NOTIFY, __VA_ARGS__)
#define log_info(...)	plog(LLV_INFO, __VA_ARGS__)
#define log_debug(...)	plog(LLV_DEBUG, __VA_ARGS__)

#endif
