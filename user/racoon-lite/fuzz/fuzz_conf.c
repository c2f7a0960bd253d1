// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for the racoon.conf lexer and parser. */
#include <stdlib.h>
#include <string.h>

#include "../conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512];
	struct config *c;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	c = conf_parse_string("fuzz.conf", text, err, sizeof(err));
	conf_free(c);
	free(text);
	return 0;
}
