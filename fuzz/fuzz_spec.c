/* SPDX-License-Identifier: MIT */
/* -cpu spec and -smp parsing, then expansion without a host.
 * Input: "SMP\nSPEC" (no newline: the whole input is the spec). */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = fuzz_cstring(data, size);
	if (!buf)
		return 0;
	char *spec = fuzz_split_line(buf), *smp = buf;
	if (!spec) {
		spec = buf;
		smp = NULL;
	}
	vcpuid_error err = { 0 };
	vcpuid_topology topo, *tp = NULL;
	if (smp && vcpuid_topology_parse(smp, &topo, &err) == 0)
		tp = &topo;
	vcpuid_spec s;
	if (vcpuid_spec_parse(spec, &s, &err) == 0) {
		vcpuid_cpu cpu;
		vcpuid_cpu_expand(NULL, spec, "pc-i440fx-7.2", tp, &cpu, &err);
		vcpuid_cpu_free(&cpu);
	}
	free(buf);
	return 0;
}
