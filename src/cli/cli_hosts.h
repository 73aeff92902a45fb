/* SPDX-License-Identifier: MIT */
/* The fleet commands' host sets (cli_hosts.c). */
#ifndef VCPUID_CLI_HOSTS_H
#define VCPUID_CLI_HOSTS_H

#include "cli.h"

/* Every host named (files, directories of them, live, bundled:NAME) as a
 * hostset: read by `jobs` threads (0 = the online CPUs), identical files
 * folded, progress on stderr when it is a terminal and the reading takes
 * more than a second. Prints its errors; returns the exit code. */
int cli_load_hostset(char **specs, size_t nspecs, unsigned jobs,
		     vcpuid_hostset *out);
/* Parse --jobs N (1..64); a usage error otherwise. */
int cli_jobs(const char *cmd, const char *arg, unsigned *jobs);

#endif
