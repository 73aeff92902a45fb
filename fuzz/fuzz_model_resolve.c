/* SPDX-License-Identifier: MIT */
/* -cpu model names (and machine type names) through the resolver: the first
 * line is the machine type, the rest the model name. */
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
	char *nl = strchr(buf, '\n');
	const char *model = buf;
	const vcpuid_machine *mc = NULL;
	if (nl) {
		*nl = 0;
		mc = vcpuid_machine_find(buf);
		model = nl + 1;
	}
	vcpuid_model_ref ref;
	vcpuid_error err = { 0 };
	if (vcpuid_model_resolve(model, mc, &ref, &err) == 0 && ref.def) {
		vcpuid_model_version_model_id(ref.def, ref.version);
		vcpuid_model_version_cache(ref.def, ref.version);
	}
	free(buf);
	return 0;
}
