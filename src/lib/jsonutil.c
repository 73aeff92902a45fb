/* SPDX-License-Identifier: MIT */
/* JSON helpers: numbers as integers or "0x..." strings, located errors. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

int vj_u64(const json_t *v, uint64_t max, uint64_t *out, const char *file,
	   const char *what, vcpuid_error *err)
{
	uint64_t x;
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (i < 0)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: negative number %" JSON_INTEGER_FORMAT,
					   file, what, i);
		x = (uint64_t)i;
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (!vu_parse_num(s, &x))
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: bad number \"%.40s\"", file, what, s);
	} else {
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: %s: expected a number or \"0x...\" string",
				   file, what);
	}
	if (x > max)
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: %s: 0x%" PRIx64 " out of range", file, what, x);
	*out = x;
	return 0;
}

static int get_num(const json_t *obj, const char *key, bool required,
		   uint64_t max, uint64_t *out, const char *file,
		   vcpuid_error *err)
{
	const json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: missing key \"%s\"", file, key);
		return 0;
	}
	return vj_u64(v, max, out, file, key, err);
}

int vj_get_u32(const json_t *obj, const char *key, bool required,
	       uint32_t *out, const char *file, vcpuid_error *err)
{
	uint64_t v = *out;
	int rc = get_num(obj, key, required, UINT32_MAX, &v, file, err);
	if (!rc)
		*out = (uint32_t)v;
	return rc;
}

int vj_get_u64(const json_t *obj, const char *key, bool required,
	       uint64_t *out, const char *file, vcpuid_error *err)
{
	return get_num(obj, key, required, UINT64_MAX, out, file, err);
}

json_t *vj_hex32(uint32_t v)
{
	char b[16];
	snprintf(b, sizeof(b), "0x%08" PRIx32, v);
	return json_string(b);
}

json_t *vj_hex64(uint64_t v)
{
	char b[24];
	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	return json_string(b);
}

int vj_parse(const char *buf, size_t len, const char *file, json_t **root,
	     vcpuid_error *err)
{
	*root = NULL;
	/* jansson's tree takes some 14 times the text */
	if (len > VCPUID_MAX_JSON_BYTES)
		return vcpuid_fail(err, VCPUID_E_LIMIT,
				   "%s: more than %u bytes of JSON (the limit)", file,
				   VCPUID_MAX_JSON_BYTES);
	json_error_t je;
	*root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!*root)
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s:%d:%d: %s", file,
				   je.line, je.column, je.text);
	return 0;
}

char *vj_dump(const json_t *v)
{
	return json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}
