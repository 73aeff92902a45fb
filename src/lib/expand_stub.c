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

/* -smp parsing the QEMU 7.2 way (machine-smp.c: cores preferred over
 * sockets on 7.x machines), until the owner's version lands. */
__attribute__((weak)) int vcpuid_topology_parse(const char *s,
						vcpuid_topology *t,
						vcpuid_error *err)
{
	unsigned long v[6] = { 0 }; /* cpus sockets dies cores threads maxcpus */
	static const char *keys[] = { "cpus", "sockets", "dies", "cores",
				      "threads", "maxcpus" };
	char buf[256];
	if (!s || strlen(s) >= sizeof(buf))
		return vcpuid_fail(err, VCPUID_E_USAGE, "smp: bad topology");
	strcpy(buf, s);
	char *save = NULL;
	bool first = true;
	for (char *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), first = false) {
		char *eq = strchr(tok, '=');
		int k = -1;
		const char *num = tok;
		if (eq) {
			*eq = 0;
			num = eq + 1;
			for (int i = 0; i < 6; i++)
				if (!strcmp(tok, keys[i]))
					k = i;
		} else if (first) {
			k = 0;
		}
		char *end;
		unsigned long n = strtoul(num, &end, 10);
		if (k < 0 || *end || end == num || n == 0 || n > 4096)
			return vcpuid_fail(err, VCPUID_E_USAGE,
					   "smp: bad item '%s' in '%s'", tok, s);
		v[k] = n;
	}
	unsigned long dies = v[2] ? v[2] : 1, threads = v[4];
	unsigned long sockets = v[1], cores = v[3], cpus = v[0], maxcpus = v[5];
	if (!cpus && !maxcpus) {
		sockets = sockets ? sockets : 1;
		cores = cores ? cores : 1;
		threads = threads ? threads : 1;
	} else {
		maxcpus = maxcpus ? maxcpus : cpus;
		if (!cores) {
			sockets = sockets ? sockets : 1;
			threads = threads ? threads : 1;
			cores = maxcpus / (sockets * dies * threads);
		} else if (!sockets) {
			threads = threads ? threads : 1;
			sockets = maxcpus / (dies * cores * threads);
		}
		if (!threads)
			threads = maxcpus / (sockets * dies * cores);
	}
	if (!sockets || !cores || !threads)
		return vcpuid_fail(err, VCPUID_E_USAGE,
				   "smp: '%s' leaves no room for a CPU", s);
	maxcpus = maxcpus ? maxcpus : sockets * dies * cores * threads;
	cpus = cpus ? cpus : maxcpus;
	if (sockets * dies * cores * threads != maxcpus || cpus > maxcpus)
		return vcpuid_fail(err, VCPUID_E_USAGE,
				   "smp: '%s': sockets*dies*cores*threads != "
				   "maxcpus", s);
	memset(t, 0, sizeof(*t));
	t->cpus = (unsigned)cpus;
	t->sockets = (unsigned)sockets;
	t->dies = (unsigned)dies;
	t->modules = 1;
	t->cores = (unsigned)cores;
	t->threads = (unsigned)threads;
	return 0;
}
