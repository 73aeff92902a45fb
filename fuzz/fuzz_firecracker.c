/* SPDX-License-Identifier: MIT */
/* The Firecracker fingerprint importer. */
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
	if (vcpuid_import_firecracker(buf, size, "fuzz", &h, &err) == 0) {
		char *j = vcpuid_profile_to_json(&h);
		free(j);
		vcpuid_host_free(&h);
	}
	free(buf);
	return 0;
}
