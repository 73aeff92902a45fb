/* SPDX-License-Identifier: MIT */
/* Placeholder until the expand stage lands in main: weak definitions that
 * the real ones (expand.c) override at link time. Delete with the merge. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

__attribute__((weak)) void vcpuid_cpu_free(vcpuid_cpu *cpu)
{
	if (!cpu)
		return;
	free(cpu->filtered_list);
	for (size_t i = 0; i < cpu->nwarnings; i++)
		free(cpu->warnings[i]);
	free(cpu->warnings);
	cpu->filtered_list = NULL;
	cpu->warnings = NULL;
	cpu->nfiltered = cpu->nwarnings = 0;
}

__attribute__((weak)) int vcpuid_cpu_expand(const vcpuid_host *host,
					    const char *spec,
					    const char *machine,
					    const vcpuid_topology *topo,
					    vcpuid_cpu *cpu, vcpuid_error *err)
{
	(void)host; (void)machine; (void)topo;
	memset(cpu, 0, sizeof(*cpu));
	return vcpuid_fail(err, VCPUID_E_UNSUPPORTED,
			   "expand: '%s': CPU model expansion is not built in",
			   spec ? spec : "");
}
