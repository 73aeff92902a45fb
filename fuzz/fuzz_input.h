/* SPDX-License-Identifier: MIT */
/* What the host-format fuzz targets share: the input as a C string, and
 * the property every accepted host must have (what vcpuid writes as a
 * profile, it reads back to the same text). */
#ifndef VCPUID_FUZZ_INPUT_H
#define VCPUID_FUZZ_INPUT_H

#include <stdlib.h>
#include <string.h>
#include "vcpuid.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* A NUL-terminated, malloc'd copy of the input (parsers take C strings);
 * NULL when out of memory. */
static inline char *fuzz_cstring(const unsigned char *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (buf) {
		memcpy(buf, data, size);
		buf[size] = 0;
	}
	return buf;
}

/* Inputs of two parts, "FIRST\nREST": cut at the first newline and return
 * REST (NULL, and buf whole, when there is none). */
static inline char *fuzz_split_line(char *buf)
{
	char *nl = strchr(buf, '\n');
	if (!nl)
		return NULL;
	*nl = 0;
	return nl + 1;
}

/* Profile of h -> parse -> profile: the same text, or abort(). */
static inline void fuzz_profile_roundtrip(const vcpuid_host *h)
{
	char *j = vcpuid_profile_to_json(h);
	if (!j)
		return;
	vcpuid_host b;
	vcpuid_error err = { 0 };
	if (vcpuid_profile_parse(j, strlen(j), "again", &b, &err))
		abort();
	char *j2 = vcpuid_profile_to_json(&b);
	if (!j2 || strcmp(j, j2))
		abort();
	free(j2);
	vcpuid_host_free(&b);
	free(j);
}

#endif
