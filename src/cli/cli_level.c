/* SPDX-License-Identifier: MIT */
/* How the commands show a guest CPU's x86-64 level. */
#include <stdio.h>
#include <string.h>
#include "cli_level.h"

void cli_level_text(const vcpuid_words w, char *buf, size_t len)
{
	int l = vcpuid_level_of(w);
	size_t off = (size_t)snprintf(buf, len, "%s", vcpuid_level_name(l));
	if (l >= VCPUID_LEVEL_MAX || off >= len)
		return;
	const vcpuid_level_need *m[64];
	size_t n = vcpuid_level_missing(w, l + 1, m, 64);
	int k = snprintf(buf + off, len - off, " (%s lacks", vcpuid_level_name(l + 1));
	for (size_t i = 0; k > 0 && (size_t)k < len - off && i < n && i < 64; i++) {
		off += (size_t)k;
		k = snprintf(buf + off, len - off, " %s", m[i]->what);
	}
	if (k > 0 && (size_t)k < len - off) {
		off += (size_t)k;
		snprintf(buf + off, len - off, ")");
	}
}

json_t *cli_level_json(const vcpuid_words w)
{
	int l = vcpuid_level_of(w);
	json_t *miss = json_array();
	if (l < VCPUID_LEVEL_MAX) {
		const vcpuid_level_need *m[64];
		size_t n = vcpuid_level_missing(w, l + 1, m, 64);
		for (size_t i = 0; i < n && i < 64; i++)
			json_array_append_new(miss, json_string(m[i]->what));
	}
	return json_pack("{s:s, s:i, s:s?, s:o}", "name", vcpuid_level_name(l),
			 "level", l, "next", l < VCPUID_LEVEL_MAX ?
			 vcpuid_level_name(l + 1) : NULL, "next_missing", miss);
}
