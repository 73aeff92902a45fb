/* SPDX-License-Identifier: MIT */
/* The template reader (vmm.c), for Firecracker custom CPU templates
 * (target fc_template) and Cloud Hypervisor CPU profiles (target
 * ch_profile, its own seed corpus; the reader tells them apart): what it accepts
 * writes out and reads back to the same registers, masks, MSRs and
 * capabilities, and reads as a host that round-trips as a profile. */
#include "fuzz_input.h"

static void same(const vcpuid_template *a, const vcpuid_template *b)
{
	if (a->vmm != b->vmm || a->nregs != b->nregs || a->nmsrs != b->nmsrs ||
	    a->ncaps != b->ncaps)
		abort();
	for (size_t i = 0; i < a->nregs; i++)
		if (a->regs[i].leaf != b->regs[i].leaf ||
		    a->regs[i].first != b->regs[i].first ||
		    a->regs[i].last != b->regs[i].last ||
		    a->regs[i].reg != b->regs[i].reg ||
		    a->regs[i].value != b->regs[i].value ||
		    a->regs[i].mask != b->regs[i].mask)
			abort();
	for (size_t i = 0; i < a->nmsrs; i++)
		if (a->msrs[i].index != b->msrs[i].index ||
		    a->msrs[i].value != b->msrs[i].value ||
		    a->msrs[i].mask != b->msrs[i].mask)
			abort();
	for (size_t i = 0; i < a->ncaps; i++)
		if (a->caps[i] != b->caps[i])
			abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = fuzz_cstring(data, size);
	if (!buf)
		return 0;
	vcpuid_template t, back;
	vcpuid_error err = { 0 };
	if (vcpuid_template_parse(buf, size, "fuzz", &t, &err) == 0) {
		char *j = vcpuid_template_to_json(&t);
		if (j) {
			if (vcpuid_template_parse(j, strlen(j), "again", &back, &err))
				abort();
			same(&t, &back);
			vcpuid_template_free(&back);
			free(j);
		}
		vcpuid_host h;
		if (vcpuid_template_to_host(&t, "fuzz", &h, &err) == 0) {
			fuzz_profile_roundtrip(&h);
			vcpuid_host_free(&h);
		}
		vcpuid_template_free(&t);
	}
	free(buf);
	return 0;
}
