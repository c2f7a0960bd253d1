// SPDX-License-Identifier: BSD-3-Clause
/* psk.txt: parsing, and refusal of files others can read or root does
 * not own, with the fix in the message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../psk.h"
#include "pair.h"

static const char good[] =
	"# comment line\n"
	"\n"
	"10.0.0.2\tspamspamspam\n"
	"fe80::1    key with spaces  \n"
	"host.example.org 0x0102ff\n"
	"*  fallback\n";

TEST(parses_entries)
{
	char err[512] = "", *path = write_temp(good, 0600);
	struct psk_table *t = psk_load(path, getuid(), err, sizeof(err));
	const struct psk_entry *e;

	unlink(path);
	free(path);
	ASSERT_NE(NULL, t) TH_LOG("%s", err);
	e = psk_lookup(t, "10.0.0.2");
	ASSERT_NE(NULL, e);
	ASSERT_EQ(12, e->keylen);
	ASSERT_EQ(0, memcmp("spamspamspam", e->key, 12));
	e = psk_lookup(t, "fe80::1");
	ASSERT_EQ(15, e->keylen);
	ASSERT_EQ(0, memcmp("key with spaces", e->key, 15));
	e = psk_lookup(t, "host.example.org");
	ASSERT_EQ(3, e->keylen);
	ASSERT_EQ(0x01, e->key[0]);
	ASSERT_EQ(0xff, e->key[2]);
	e = psk_lookup(t, "192.0.2.9");
	ASSERT_NE(NULL, e);
	ASSERT_STREQ("*", e->id);
	psk_free(t);
}

static void expect_refused(struct __test_metadata *_metadata,
			   const char *path, uid_t owner, const char *fmt)
{
	char err[512] = "", want[1024];

	snprintf(want, sizeof(want), fmt, path, path);
	ASSERT_EQ(NULL, psk_load(path, owner, err, sizeof(err)));
	ASSERT_STREQ(want, err);
}

TEST(world_readable_is_refused)
{
	char *path = write_temp(good, 0644);

	expect_refused(_metadata, path, getuid(),
		       "%s: the pre-shared key file has mode 0644 and is "
		       "accessible by group or others; run 'chmod 600 %s'");
	unlink(path);
	free(path);
}

TEST(group_readable_is_refused)
{
	char *path = write_temp(good, 0640);

	expect_refused(_metadata, path, getuid(),
		       "%s: the pre-shared key file has mode 0640 and is "
		       "accessible by group or others; run 'chmod 600 %s'");
	unlink(path);
	free(path);
}

TEST(read_only_owner_is_fine)
{
	char err[512] = "", *path = write_temp(good, 0400);
	struct psk_table *t = psk_load(path, getuid(), err, sizeof(err));

	ASSERT_NE(NULL, t) TH_LOG("%s", err);
	psk_free(t);
	unlink(path);
	free(path);
}

TEST(not_owned_by_root_is_refused)
{
	char *path = write_temp(good, 0600);

	if (getuid() != 0) {
		unlink(path);
		free(path);
		SKIP(return, "needs root to chown");
	}
	ASSERT_EQ(0, chown(path, 1000, (gid_t)-1));
	expect_refused(_metadata, path, 0,
		       "%s: the pre-shared key file is owned by uid 1000, not "
		       "root; run 'chown root %s'");
	unlink(path);
	free(path);
}

TEST(symlink_and_directory_are_refused)
{
	char err[512] = "", *path = write_temp(good, 0600);
	char link[512];

	snprintf(link, sizeof(link), "%s.lnk", path);
	ASSERT_EQ(0, symlink(path, link));
	ASSERT_EQ(NULL, psk_load(link, getuid(), err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "cannot open the pre-shared key file"));
	ASSERT_EQ(NULL, psk_load("/tmp", getuid(), err, sizeof(err)));
	ASSERT_STREQ("/tmp: the pre-shared key file is not a regular file",
		     err);
	unlink(link);
	unlink(path);
	free(path);
}

TEST(bad_lines)
{
	static const struct {
		const char *text, *fmt;
	} cases[] = {
		{ "10.0.0.1\n", "%s:1: no key for identifier '10.0.0.1'" },
		{ "# x\n10.0.0.1 0x123\n",
		  "%s:2: hex key for '10.0.0.1' has an odd number of digits" },
		{ "10.0.0.1 0xzz\n",
		  "%s:1: bad hex digit in the key for '10.0.0.1'" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[512] = "", want[512], *path;

		path = write_temp(cases[i].text, 0600);
		snprintf(want, sizeof(want), cases[i].fmt, path);
		EXPECT_EQ(NULL, psk_load(path, getuid(), err, sizeof(err)));
		EXPECT_STREQ(want, err);
		unlink(path);
		free(path);
	}
}

TEST_HARNESS_MAIN
