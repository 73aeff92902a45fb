/* SPDX-License-Identifier: MIT */
/* bench_cpuid: time of the synthesize stage alone (medians).
 *   one vCPU's table + MSRs        target <= 20 us
 *   all 256 vCPUs of a guest        target <= 2 ms
 * The expanded CPU comes from vcpuid_cpu_expand on a host profile when
 * expansion is available (argv[1] = profile, argv[2] = -cpu spec), else a
 * hand-built Skylake-like CPU. Prints "synth_1vcpu_us X" and
 * "synth_256vcpu_ms Y" and exits 1 when a target is missed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vcpuid.h"

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp);
	return v[n / 2];
}

static void fallback_cpu(vcpuid_cpu *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->vendor, "GenuineIntel");
	c->family = 6;
	c->model_num = 85;
	c->stepping = 7;
	c->level = 0xd;
	c->xlevel = 0x80000008;
	strcpy(c->model_id, "Intel Xeon Processor (Cascadelake)");
	c->features[VCPUID_W_1_EDX] = 0x0f8bfbff;
	c->features[VCPUID_W_1_ECX] = 0xfffa3203;
	c->features[VCPUID_W_7_0_EBX] = 0xd39ffffb;
	c->features[VCPUID_W_XSAVE] = 0xf;
	c->features[VCPUID_W_XSAVE_XCR0_LO] = 0x2e7;
	c->features[VCPUID_W_8000_0001_EDX] = 0x2c100800;
	c->features[VCPUID_W_8000_0001_ECX] = 0x121;
	memcpy(c->supported, c->features, sizeof(c->features));
	c->kvm = c->l3_cache = c->pmu = true;
	c->phys_bits = 46;
}

int main(int argc, char **argv)
{
	const char *profile = argc > 1 ? argv[1] : "bundled:this-host";
	const char *spec = argc > 2 ? argv[2] : "Cascadelake-Server";
	vcpuid_host host;
	vcpuid_error err = { 0 };
	vcpuid_host_init(&host);
	if (vcpuid_host_load(profile, &host, &err))
		fprintf(stderr, "bench_cpuid: %s (using an empty host)\n", err.msg);
	vcpuid_topology one = { 1, 1, 1, 1, 1, 1 };
	vcpuid_topology big = { 256, 4, 1, 1, 32, 2 };
	vcpuid_cpu cpu;
	bool expanded = !vcpuid_cpu_expand(&host, spec, NULL, &big, &cpu, &err);
	if (!expanded) {
		fprintf(stderr, "bench_cpuid: expansion unavailable (%s); "
				"hand-built CPU\n", err.msg);
		fallback_cpu(&cpu);
	}
	enum { RUNS = 2001, RUNS_BIG = 201 };
	static double t1[RUNS], t256[RUNS_BIG];

	cpu.topo = one;
	for (int i = 0; i < RUNS; i++) {
		vcpuid_vcpu v;
		double t = now_ns();
		if (vcpuid_synthesize(&cpu, &host, 0, &v, &err)) {
			fprintf(stderr, "bench_cpuid: %s\n", err.msg);
			return 2;
		}
		t1[i] = now_ns() - t;
		vcpuid_vcpu_free(&v);
	}
	cpu.topo = big;
	size_t nv = 0;
	for (int i = 0; i < RUNS_BIG; i++) {
		vcpuid_vcpu *vs;
		double t = now_ns();
		if (vcpuid_guest_synthesize(&cpu, &host, &vs, &nv, &err)) {
			fprintf(stderr, "bench_cpuid: %s\n", err.msg);
			return 2;
		}
		t256[i] = now_ns() - t;
		for (size_t k = 0; k < nv; k++)
			vcpuid_vcpu_free(&vs[k]);
		free(vs);
	}
	double us1 = median(t1, RUNS) / 1e3, ms256 = median(t256, RUNS_BIG) / 1e6;
	printf("cpu %s (%s)\n", expanded ? cpu.name : "hand-built", spec);
	printf("synth_1vcpu_us %.2f\n", us1);
	printf("synth_256vcpu_ms %.3f\n", ms256);
	printf("vcpus %zu\n", nv);
	if (expanded)
		vcpuid_cpu_free(&cpu);
	vcpuid_host_free(&host);
	return us1 <= 20.0 && ms256 <= 2.0 ? 0 : 1;
}
