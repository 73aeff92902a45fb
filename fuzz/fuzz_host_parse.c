/* SPDX-License-Identifier: MIT */
/* Every host input format through the sniffing loader; what it accepts
 * round-trips as a profile. */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = fuzz_cstring(data, size);
	if (!buf)
		return 0;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	vcpuid_host_init(&h);
	if (vcpuid_host_parse(buf, size, "fuzz", &h, &err) == 0) {
		fuzz_profile_roundtrip(&h);
		vcpuid_host_free(&h);
	}
	free(buf);
	return 0;
}
