/* SPDX-License-Identifier: MIT */
/* profile_fast.c's plain-form reader against the jansson reader: whatever
 * the plain reader takes is valid JSON, and the jansson reader (made to read
 * it by an unknown key, which it ignores) reads the same host from it. */
#include <jansson.h>
#include <stdio.h>
#include "fuzz_input.h"

/* internal.h */
bool vcpuid_profile_parse_plain(const char *buf, size_t len, vcpuid_host *h);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = fuzz_cstring(data, size);
	if (!buf)
		return 0;
	vcpuid_host a, b;
	vcpuid_error err = { 0 };
	if (!vcpuid_profile_parse_plain(buf, size, &a)) {
		free(buf);
		return 0;
	}
	json_error_t je;
	json_t *root = json_loadb(buf, size, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		abort();
	json_decref(root);
	/* the same text with "x-not-read" first in the top-level object */
	const char *brace = memchr(buf, '{', size);
	if (!brace)
		abort();
	static const char extra[] = "{\"x-not-read\":0,";
	size_t pre = (size_t)(brace - buf), vlen = size + sizeof(extra) - 2;
	char *v = malloc(vlen + 1);
	if (!v)
		abort();
	memcpy(v, buf, pre);
	memcpy(v + pre, extra, sizeof(extra) - 1);
	memcpy(v + pre + sizeof(extra) - 1, brace + 1, size - pre);
	if (vcpuid_profile_parse_plain(v, vlen, &b) ||
	    vcpuid_profile_parse(v, vlen, "v", &b, &err))
		abort();
	char *ja = vcpuid_profile_to_json(&a), *jb = vcpuid_profile_to_json(&b);
	if (!ja || !jb || strcmp(ja, jb) || strcmp(a.source, b.source) ||
	    !a.caps != !b.caps || !a.msr_index_list != !b.msr_index_list ||
	    !a.cpuinfo_flags != !b.cpuinfo_flags)
		abort();
	fuzz_profile_roundtrip(&a);
	free(ja);
	free(jb);
	free(v);
	free(buf);
	vcpuid_host_free(&a);
	vcpuid_host_free(&b);
	return 0;
}
