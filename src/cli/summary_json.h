/* SPDX-License-Identifier: MIT */
#ifndef VCPUID_SUMMARY_JSON_H
#define VCPUID_SUMMARY_JSON_H
#include <stdbool.h>
#include "vcpuid.h"

/* summary_json.c (cmd_summary.c uses them too): the vendor string and brand of a CPUID table. */
void summary_vendor(const vcpuid_table *t, char v[13]);
void summary_brand(const vcpuid_table *t, char b[49]);
/* The summary of h (read from spec) as JSON text ending in a newline; NULL
 * when out of memory. Release with free(). */
char *summary_json(const char *spec, const vcpuid_host *h);

#endif
