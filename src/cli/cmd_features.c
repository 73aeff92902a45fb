/* SPDX-License-Identifier: MIT */
/* vcpuid features [NAME...] [--json] */
#include <string.h>
#include "cli.h"

static const char help[] =
	"usage: vcpuid features [NAME...] [--json]\n"
	"List every feature vcpuid knows, or look up NAMEs (aliases accepted,\n"
	"'_' and '-' equivalent).\n";

int cmd_features(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	size_t n;
	const vcpuid_feature *f = vcpuid_features(&n);
	for (size_t i = 0; i < n; i++) {
		char loc[32];
		vcpuid_word_location(f[i].word, loc, sizeof(loc));
		printf("%-24s %s[bit %u]\n", f[i].name, loc, f[i].bit);
	}
	return 0;
}
