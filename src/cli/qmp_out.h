/* SPDX-License-Identifier: MIT */
#ifndef VCPUID_QMP_OUT_H
#define VCPUID_QMP_OUT_H
#include "cli.h"

/* Take --format val when it is one of allowed (NULL terminated), else a
 * usage error naming them. */
int cli_format_opt(const char *cmd, const char *val, const char *const *allowed,
		   const char **out);
/* Print query-cpu-definitions' answer (host NULL: no unavailable-features). */
int cli_qmp_models(const vcpuid_host *host, const char *machine);
/* Print query-cpu-model-expansion's answer; expansion "static" or "full"
 * (NULL = full); out as -o FILE. */
int cli_qmp_expand(const vcpuid_host *host, const char *spec,
		   const char *machine, const char *expansion, const char *out);
/* Append query-cpu-model-comparison's answer for one host to b. */
int cli_qmp_comparison(const vcpuid_comparison *c, cli_buf *b);
/* Print query-cpu-model-baseline's answer. */
int cli_qmp_baseline(const vcpuid_baseline *bl);

#endif
