/* SPDX-License-Identifier: MIT */
/* libvirt host descriptions: `virsh domcapabilities` output (or its <cpu>
 * element) and <cpudata arch='x86'>, through libxml2 into a host; an
 * accepted host is then used for an expansion and domain capabilities. */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	vcpuid_error err = { 0 };
	vcpuid_host h;
	vcpuid_host_init(&h);
	char *missing = NULL;
	if (vcpuid_libvirt_host_load_mem((const char *)data, size, &h, &missing,
					 &err) == 0 && h.has_kvm) {
		vcpuid_cpu cpu;
		vcpuid_cpu_expand(&h, "host", "pc-i440fx-7.2", NULL, &cpu, &err);
		vcpuid_cpu_free(&cpu);
		if (size % 4 == 0) {
			vcpuid_domcaps d;
			if (vcpuid_libvirt_domcaps(&h, "pc-i440fx-7.2", &d, &err) == 0)
				vcpuid_libvirt_domcaps_free(&d);
		}
	}
	free(missing);
	vcpuid_host_free(&h);
	return 0;
}
