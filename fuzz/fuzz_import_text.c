/* SPDX-License-Identifier: MIT */
/* cpuid -r, AIDA64 and libcpuid text dumps straight into import_text;
 * whatever parses goes through decode and diff and round-trips as a
 * profile. */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = fuzz_cstring(data, size);
	if (!buf)
		return 0;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	vcpuid_host_init(&h);
	if (vcpuid_import_text(buf, size, "fuzz", &h, &err) == 0) {
		vcpuid_decoded d;
		if (vcpuid_decode(&h.raw, NULL, &d, &err) == 0) {
			vcpuid_diff df;
			if (vcpuid_diff_decoded(&d, &d, &df, &err) == 0)
				vcpuid_diff_free(&df);
		}
		fuzz_profile_roundtrip(&h);
	}
	vcpuid_host_free(&h);
	free(buf);
	return 0;
}
