/* SPDX-License-Identifier: MIT */
/* How the commands show a guest CPU's x86-64 level (cli_level.c). */
#ifndef VCPUID_CLI_LEVEL_H
#define VCPUID_CLI_LEVEL_H

#include <jansson.h>
#include "vcpuid.h"

/* "x86-64-v2 (x86-64-v3 lacks avx avx2 ...)" */
void cli_level_text(const vcpuid_words w, char *buf, size_t len);
/* {"name": "x86-64-v2", "level": 2, "next": "x86-64-v3",
 *  "next_missing": ["avx", ...]} ("next" null at x86-64-v4) */
json_t *cli_level_json(const vcpuid_words w);

#endif
