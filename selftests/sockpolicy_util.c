// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <linux/ipsec.h>

#include "libipsec.h"
#include "sockpolicy_util.h"

int sp_stat_read(struct sp_stat *st)
{
	FILE *f = fopen("/proc/net/kame_sockpolicy", "r");
	char key[32];
	long v;

	memset(st, 0, sizeof(*st));
	if (!f)
		return -1;
	while (fscanf(f, "%31s %ld", key, &v) == 2) {
		if (!strcmp(key, "live"))
			st->live = v;
		else if (!strcmp(key, "compiled"))
			st->compiled = v;
		else if (!strcmp(key, "rejected"))
			st->rejected = v;
		else if (!strcmp(key, "freed"))
			st->freed = v;
	}
	fclose(f);
	return 0;
}

long sp_wait_live(long want, int secs)
{
	struct sp_stat st = { .live = -1 };
	int i;

	for (i = 0; i <= secs * 10; i++) {
		if (sp_stat_read(&st))
			return -1;
		if (st.live <= want)
			break;
		usleep(100000);
	}
	return st.live;
}

int sp_level(int family)
{
	return family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
}

int sp_optname(int family)
{
	return family == AF_INET6 ? IPV6_IPSEC_POLICY : IP_IPSEC_POLICY;
}

int sp_set_raw(int fd, int family, const void *buf, int len)
{
	if (setsockopt(fd, sp_level(family), sp_optname(family), buf, len))
		return errno;
	return 0;
}

int sp_set(int fd, int family, const char *str)
{
	char *buf = ipsec_set_policy(str, strlen(str));
	int err;

	if (!buf) {
		fprintf(stderr, "ipsec_set_policy(\"%s\"): %s\n", str,
			ipsec_strerror());
		return EBADMSG;
	}
	err = sp_set_raw(fd, family, buf, ipsec_get_policylen(buf));
	free(buf);
	return err;
}

bool sp_xfrm_user_loaded(void)
{
	FILE *f = fopen("/proc/modules", "r");
	char line[256];
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "xfrm_user ", 10))
			found = true;
	fclose(f);
	return found;
}

int sp_lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err;

	if (fd < 0)
		return -1;
	err = ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (!err)
		err = ioctl(fd, SIOCSIFFLAGS, &ifr);
	close(fd);
	return err;
}

int sp_send_lo(int fd)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sendto(fd, "k", 1, 0, (struct sockaddr *)&to, sizeof(to)) == 1 ?
	       0 : errno;
}
