/* SPDX-License-Identifier: MIT */
/* The host profile JSON reader, and the writer on whatever it accepted. */
#include <stdlib.h>
#include <string.h>
#include "vcpuid.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	vcpuid_host_init(&h);
	if (vcpuid_profile_parse(buf, size, "fuzz", &h, &err) == 0) {
		char *j = vcpuid_profile_to_json(&h);
		if (j) {
			/* what we write, we read back to the same text */
			vcpuid_host b;
			if (vcpuid_profile_parse(j, strlen(j), "again", &b, &err))
				abort();
			char *j2 = vcpuid_profile_to_json(&b);
			if (!j2 || strcmp(j, j2))
				abort();
			free(j2);
			vcpuid_host_free(&b);
			free(j);
		}
		vcpuid_host_free(&h);
	}
	free(buf);
	return 0;
}
