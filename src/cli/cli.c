/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <string.h>
#include "cli.h"

int cli_fail(const vcpuid_error *err)
{
	fprintf(stderr, "vcpuid: %s\n", err->msg);
	return err->code ? err->code : VCPUID_E_USAGE;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "vcpuid %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'vcpuid %s --help')\n", cmd);
	return VCPUID_E_USAGE;
}

int cli_output(const char *path, const char *text)
{
	vcpuid_error err = { 0 };
	if (vcpuid_write_file(path ? path : "-", text, strlen(text), &err))
		return cli_fail(&err);
	return 0;
}

bool cli_help(int argc, char **argv, const char *help)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(help, stdout);
			return true;
		}
	}
	return false;
}
