/* SPDX-License-Identifier: MIT */
/* The CPU object (vcpuid_cpu) as the CPU wing builds it: its warning lines
 * and the growth of its lists, and its release. spec.c, expand.c and
 * filter.c add to it; nothing here looks at a host or a model. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stages.h"

size_t vo_cap_for(size_t n)
{
	size_t c = 8;
	while (c < n)
		c *= 2;
	return c;
}

int vo_warn_line(vcpuid_cpu *cpu, char *line)
{
	if (!line)
		return VCPUID_E_NOMEM;
	size_t n = cpu->nwarnings;
	if (n == 0 || (n >= 8 && !(n & (n - 1)))) {
		char **nw = realloc(cpu->warnings, vo_cap_for(n + 1) * sizeof(*nw));
		if (!nw) {
			free(line);
			return VCPUID_E_NOMEM;
		}
		cpu->warnings = nw;
	}
	cpu->warnings[cpu->nwarnings++] = line;
	return 0;
}

int vo_warn(vcpuid_cpu *cpu, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return vo_warn_line(cpu, strdup(buf));
}

void vcpuid_cpu_free(vcpuid_cpu *cpu)
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
