// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection points (fault.h): one debugfs file each under
 * /sys/kernel/debug/kameipsec/, holding how many packets are still to
 * fail there. Global, not per netns: only root in the initial namespace
 * reaches debugfs, and the tests that use it run one at a time.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>

#include "fault.h"

bool kame_fault_armed __read_mostly;
static atomic_t fault_left[KAME_FAULT_MAX];
static struct dentry *fault_dir;

static const char *const fault_names[KAME_FAULT_MAX] = {
	[KAME_FAULT_IN_CRYPTO] = "fail_in_crypto",
	[KAME_FAULT_OUT_CRYPTO] = "fail_out_crypto",
	[KAME_FAULT_OUT_MALFORMED] = "fail_out_malformed",
};

bool __kame_fault(enum kame_fault f)
{
	return atomic_dec_if_positive(&fault_left[f]) >= 0;
}

static int fault_get(void *data, u64 *val)
{
	*val = atomic_read(data);
	return 0;
}

static int fault_set(void *data, u64 val)
{
	if (val > INT_MAX)
		return -EINVAL;
	atomic_set(data, val);
	/* Armed once for good: the flag only spares unarmed modules the atomics. */
	if (val)
		WRITE_ONCE(kame_fault_armed, true);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(fault_fops, fault_get, fault_set, "%llu\n");

void kame_fault_init(void)
{
	int i;

	/* No debugfs (or it failed): the points stay unarmed, nothing else. */
	fault_dir = debugfs_create_dir("kameipsec", NULL);
	for (i = 0; i < KAME_FAULT_MAX; i++)
		debugfs_create_file_unsafe(fault_names[i], 0600, fault_dir,
					   &fault_left[i], &fault_fops);
}

void kame_fault_exit(void)
{
	debugfs_remove(fault_dir);
}
