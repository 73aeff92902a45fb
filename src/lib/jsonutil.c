/* SPDX-License-Identifier: MIT */
/* JSON helpers: numbers as integers or "0x..." strings, located errors. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Digits only, decimal or after "0x": a number vu_parse_num refuses only
 * for its size. */
static bool well_formed(const char *s)
{
	const char *digits = "0123456789";
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		digits = "0123456789abcdefABCDEF";
	}
	return *s && !s[strspn(s, digits)];
}

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
					   !well_formed(s) ?
					   "%s: %s: bad number \"%.40s\"" :
					   "%s: %s: %.40s is too big (more than 64 bits)",
					   file, what, s);
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

/* The text again with every integer above INT64_MAX (which jansson, whose
 * integers are signed 64-bit, refuses as "too big") written as a string of
 * the same digits: the readers take numbers as integers or strings alike,
 * so a 64-bit MSR value such as 18446744073709551615 reads as written and
 * one that does not fit its field is still an error. NULL if none. */
static char *quote_big_integers(const char *buf, size_t len, size_t *outlen)
{
	char *out = NULL;
	size_t n = 0, cap = 0;
	bool in_str = false, changed = false;
	for (size_t i = 0; i < len;) {
		size_t start = i, end = i + 1;
		bool big = false;
		if (in_str) {
			if (buf[i] == '\\' && i + 1 < len)
				end = i + 2;
			else if (buf[i] == '"')
				in_str = false;
		} else if (buf[i] == '"') {
			in_str = true;
		} else if (buf[i] >= '0' && buf[i] <= '9' &&
			   (!i || !strchr("0123456789.eE+-", buf[i - 1]))) {
			while (end < len && buf[end] >= '0' && buf[end] <= '9')
				end++;
			bool integer = end >= len || !strchr(".eE", buf[end]);
			size_t digits = end - start;
			/* 9223372036854775807 has 19 digits */
			big = integer && buf[start] != '0' &&
			      (digits > 19 || (digits == 19 &&
				memcmp(buf + start, "9223372036854775807", 19) > 0));
		}
		size_t need = n + (end - start) + 2;
		if (need > cap) {
			cap = need * 2 > len + 64 ? need * 2 : len + 64;
			char *t = realloc(out, cap);
			if (!t) {
				free(out);
				return NULL;
			}
			out = t;
		}
		if (big)
			out[n++] = '"';
		memcpy(out + n, buf + start, end - start);
		n += end - start;
		if (big)
			out[n++] = '"';
		changed |= big;
		i = end;
	}
	if (!changed) {
		free(out);
		return NULL;
	}
	*outlen = n;
	return out;
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
	if (!*root && strstr(je.text, "too big")) {
		size_t qlen;
		char *q = quote_big_integers(buf, len, &qlen);
		if (q)
			*root = json_loadb(q, qlen, JSON_REJECT_DUPLICATES, &je);
		free(q);
	}
	if (!*root)
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s:%d:%d: %s", file,
				   je.line, je.column, je.text);
	return 0;
}

char *vj_dump(const json_t *v)
{
	return json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}
