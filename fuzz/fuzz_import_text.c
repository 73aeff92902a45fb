/* SPDX-License-Identifier: MIT */
/* cpuid -r, AIDA64 and libcpuid text dumps straight into import_text, and
 * whatever parses through decode. */
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
	if (vcpuid_import_text(buf, size, "fuzz", &h, &err) == 0) {
		vcpuid_decoded d;
		if (vcpuid_decode(&h.raw, NULL, &d, &err) == 0) {
			vcpuid_diff df;
			if (vcpuid_diff_decoded(&d, &d, &df, &err) == 0)
				vcpuid_diff_free(&df);
		}
	}
	vcpuid_host_free(&h);
	free(buf);
	return 0;
}
