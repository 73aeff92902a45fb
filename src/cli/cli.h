/* SPDX-License-Identifier: MIT */
/* The thin CLI: shared option handling and output. */
#ifndef VCPUID_CLI_H
#define VCPUID_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "vcpuid.h"

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* Print "vcpuid: <msg>" to stderr, return the error's code. */
int cli_fail(const vcpuid_error *err);
/* Print a usage error for cmd and return VCPUID_E_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Write text to path (NULL or "-" = stdout) atomically. */
int cli_output(const char *path, const char *text);
/* True when argv has -h/--help; prints help text then. */
bool cli_help(int argc, char **argv, const char *help);

#endif
