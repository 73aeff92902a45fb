/* SPDX-License-Identifier: MIT */
/* bench_expand [PROFILE] [SPEC] [ITERATIONS]: median time of one
 * vcpuid_cpu_expand (parse, expand, filter) in microseconds.
 * Prints "expand_us <median> <min>". */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "vcpuid.h"

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *prof = argc > 1 ? argv[1] : "bundled:this-host";
	const char *spec = argc > 2 ? argv[2] : "Skylake-Server-v4,+vmx,-hle";
	int n = argc > 3 ? atoi(argv[3]) : 2000;
	if (n < 10)
		n = 10;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	vcpuid_host_init(&h);
	if (vcpuid_host_load(prof, &h, &err)) {
		fprintf(stderr, "bench_expand: %s\n", err.msg);
		return err.code;
	}
	double *t = malloc(sizeof(*t) * (size_t)n);
	if (!t)
		return VCPUID_E_NOMEM;
	for (int i = -20; i < n; i++) { /* 20 warm-up rounds */
		struct timespec a, b;
		vcpuid_cpu cpu;
		clock_gettime(CLOCK_MONOTONIC, &a);
		int rc = vcpuid_cpu_expand(&h, spec, "pc-i440fx-7.2", NULL, &cpu,
					   &err);
		clock_gettime(CLOCK_MONOTONIC, &b);
		vcpuid_cpu_free(&cpu);
		if (rc && rc != VCPUID_E_ENFORCE) {
			fprintf(stderr, "bench_expand: %s\n", err.msg);
			return rc;
		}
		if (i >= 0)
			t[i] = (double)(b.tv_sec - a.tv_sec) * 1e6 +
			       (double)(b.tv_nsec - a.tv_nsec) / 1e3;
	}
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("expand_us %.2f %.2f\n", t[n / 2], t[0]);
	free(t);
	vcpuid_host_free(&h);
	return 0;
}
