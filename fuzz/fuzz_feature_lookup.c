/* SPDX-License-Identifier: MIT */
/* User-typed feature names through lookup, normalisation and suggestions. */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *name = fuzz_cstring(data, size);
	if (!name)
		return 0;
	size_t nbits = 0;
	const vcpuid_feature *f = vcpuid_feature_lookup(name, &nbits);
	if (f && (nbits == 0 || nbits > 2))
		abort();
	enum vcpuid_word w;
	uint64_t m = vcpuid_feature_mask(name, &w);
	if (!f != !m)
		abort();
	char norm[64], sug[128];
	vcpuid_feature_normalize(name, norm, sizeof(norm));
	vcpuid_feature_suggest(name, sug, sizeof(sug));
	free(name);
	return 0;
}
