/* SPDX-License-Identifier: MIT */
/* --machine M and --qemu VERSION: which machine type, run by which QEMU
 * release (docs/upgrade-check.md). */
#ifndef VCPUID_CLI_QEMU_OPT_H
#define VCPUID_CLI_QEMU_OPT_H

#include "cli.h"

/* The help lines every command that takes the pair prints. */
#define CLI_QEMU_HELP \
	"  --qemu VERSION  the QEMU release that runs the machine type: 7.2,\n" \
	"               8.0 .. 11.1 (default the newest, 11.1); the type's\n" \
	"               compat properties are applied as that release does\n"

/* The library's machine string for --machine `machine` (NULL: the newest
 * type of the release) run by --qemu `qemu` (NULL: the newest release):
 * "M@X.Y" in buf, or NULL in *out when neither was given (the library's
 * default, the newest type on the newest release). Returns 0, or prints
 * the error and returns its exit code (2 bad version, 5 a machine type
 * unknown or newer than that release). */
int cli_machine_arg(const char *cmd, const char *machine, const char *qemu,
		    char *buf, size_t len, const char **out);

#endif
