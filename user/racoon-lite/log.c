// SPDX-License-Identifier: BSD-3-Clause
#include <stdarg.h>
#include <stdbool.h>
#include <syslog.h>
#include <string.h>
#include <time.h>

#include "log.h"

static int threshold = LLV_NOTIFY;
static FILE *out;
static const char *prefix = "";
static bool use_syslog;

static const char *const level_names[] = {
	"ERROR", "WARNING", "NOTIFY", "INFO", "DEBUG",
	"DEBUG2", "DEBUG3", "DEBUG4", "DEBUG5", "KEYS",
};

void log_set_level(int level)
{
	if (level > LLV_KEYS)
		level = LLV_KEYS;
	threshold = level;
}

int log_get_level(void)
{
	return threshold;
}

int log_set_file(const char *path)
{
	FILE *f;

	if (!path) {
		out = NULL;
		return 0;
	}
	f = fopen(path, "a");
	if (!f)
		return -1;
	setvbuf(f, NULL, _IOLBF, 0);
	if (out && out != stderr && out != stdout)
		fclose(out);
	out = f;
	return 0;
}

void log_set_stream(FILE *f)
{
	out = f;
}

void log_use_syslog(void)
{
	openlog("racoon-lite", LOG_PID, LOG_DAEMON);
	use_syslog = true;
}

void log_set_prefix(const char *p)
{
	prefix = p ? p : "";
}

void plog(int level, const char *fmt, ...)
{
	FILE *f = out ? out : stderr;
	char ts[32];
	time_t now;
	struct tm tm;
	va_list ap;

	if (level > threshold)
		return;
	if (use_syslog && !out) {
		static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_NOTICE,
					    LOG_INFO };

		va_start(ap, fmt);
		vsyslog(level < 4 ? prio[level] : LOG_DEBUG, fmt, ap);
		va_end(ap);
		return;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "%s %s%s: ", ts, prefix, level_names[level]);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

void plog_hex(int level, const char *what, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	char line[3 * 32 + 1];
	size_t i, n = 0;

	if (level > threshold)
		return;
	plog(level, "%s (%zu bytes):", what, len);
	for (i = 0; i < len; i++) {
		snprintf(line + n, sizeof(line) - n, "%02x%s", p[i],
			 (i % 32 == 31 || i + 1 == len) ? "" : " ");
		n = strlen(line);
		if (i % 32 == 31 || i + 1 == len) {
			plog(level, "  %s", line);
			n = 0;
			line[0] = '\0';
		}
	}
}
