/* SPDX-License-Identifier: MIT */
/* libvirt XML in: a domain or <cpu> element to a -cpu spec (libxml2), the
 * domain facts the hook reads, then the spec expanded; every other input
 * on a bundled host too, so host-model, match='minimum' and optional
 * features (the domain capabilities) run. */
#include "fuzz_input.h"

static vcpuid_host host;
static bool have_host;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	vcpuid_error err = { 0 };
	have_host = vcpuid_host_load("bundled:this-host", &host, &err) == 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	vcpuid_error err = { 0 };
	vcpuid_libvirt_domain d;
	vcpuid_libvirt_domain_info((const char *)data, size, &d, &err);
	const vcpuid_host *h = have_host && size % 2 ? &host : NULL;
	char *spec = NULL;
	if (vcpuid_libvirt_cpu_spec_mem((const char *)data, size, h,
					"pc-i440fx-7.2", &spec, &err) == 0) {
		vcpuid_cpu cpu;
		vcpuid_cpu_expand(h, spec, "pc-i440fx-7.2", NULL, &cpu, &err);
		vcpuid_cpu_free(&cpu);
	}
	free(spec);
	return 0;
}
