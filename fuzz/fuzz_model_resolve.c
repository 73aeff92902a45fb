/* SPDX-License-Identifier: MIT */
/* -cpu model names (and machine type names) through the resolver: the first
 * line is the machine type, the rest the model name. */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = fuzz_cstring(data, size);
	if (!buf)
		return 0;
	const char *model = fuzz_split_line(buf);
	const vcpuid_machine *mc = NULL;
	if (model)
		mc = vcpuid_machine_find(buf);
	else
		model = buf;
	vcpuid_model_ref ref;
	vcpuid_error err = { 0 };
	if (vcpuid_model_resolve(model, mc, &ref, &err) == 0 && ref.def) {
		vcpuid_model_version_model_id(ref.def, ref.version);
		vcpuid_model_version_cache(ref.def, ref.version);
	}
	free(buf);
	return 0;
}
