/* SPDX-License-Identifier: MIT */
/* bench_fleet [-n N] [-s SEED] [-w DIR] [-f FEATFILE] [-c SPEC] PROFILE...
 *
 * Generates N host profiles deterministically from the given ones (same
 * vendor): host i is PROFILE[i % count] with, for about a third of them, one
 * to three random set bits cleared in KVM's supported CPUID 7.0 EBX/ECX/EDX
 * or the ARCH_CAPABILITIES (0x10A) value. Then times, in the library:
 *   vcpuid_baseline_compute over the N hosts (migratable, pc-i440fx-7.2)
 *   vcpuid_compare of one spec (-c, default: the baseline of the given
 *   profiles) against each of the N hosts
 * and prints
 *   baseline_s <cpu seconds> <wall seconds> <spec>
 *   compare_s <cpu seconds> <wall seconds> <incompatible hosts> <spec>
 * -w DIR writes the generated profiles there (host-NNNNN.json), -f FILE one
 * line per host: its vendor, then the names `-cpu max` has there (QEMU 7.2
 * names), for building a libvirt input from the same hosts. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vcpuid.h"

#define MACHINE "pc-i440fx-7.2"

static uint64_t rng_state;

static uint64_t rnd(void) /* xorshift64* */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static double clock_s(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Wall and CPU time: the figures are CPU seconds (this machine is shared by
 * other jobs, so wall time measures the load as much as the code); wall
 * seconds are printed beside them. */
struct stamp {
	double wall, cpu;
};

static struct stamp now(void)
{
	return (struct stamp){ clock_s(CLOCK_MONOTONIC),
			       clock_s(CLOCK_PROCESS_CPUTIME_ID) };
}

/* Clear one random set bit of v; false when v has none. */
static bool clear_random_bit(uint64_t *v)
{
	int n = __builtin_popcountll(*v);
	if (!n)
		return false;
	int k = (int)(rnd() % (uint64_t)n);
	for (unsigned b = 0; b < 64; b++)
		if ((*v >> b & 1) && k-- == 0) {
			*v &= ~(1ull << b);
			return true;
		}
	return false;
}

static void mutate(vcpuid_host *h)
{
	if (rnd() % 3)
		return;
	int k = 1 + (int)(rnd() % 3);
	for (int i = 0; i < k; i++) {
		unsigned which = (unsigned)(rnd() % 4);
		if (which < 3) {
			static const enum vcpuid_reg regs[] = { VCPUID_EBX, VCPUID_ECX,
								VCPUID_EDX };
			vcpuid_cpuid_entry *e = vcpuid_table_find_mut(&h->supported, 7, 0);
			if (!e)
				continue;
			uint64_t v = e->reg[regs[which]];
			clear_random_bit(&v);
			e->reg[regs[which]] = (uint32_t)v;
		} else {
			for (size_t m = 0; m < h->feature_msrs.n; m++)
				if (h->feature_msrs.m[m].index == 0x10A)
					clear_random_bit(&h->feature_msrs.m[m].value);
		}
	}
}

static int write_features(FILE *f, const vcpuid_host *h)
{
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	int rc = vcpuid_cpu_expand(h, "max", MACHINE, NULL, &c, &err);
	if (rc && rc != VCPUID_E_ENFORCE) {
		fprintf(stderr, "bench_fleet: %s\n", err.msg);
		return rc;
	}
	fprintf(f, "%s", c.vendor);
	for (int w = 0; w < VCPUID_NWORDS; w++)
		for (unsigned b = 0; b < 64; b++) {
			const vcpuid_feature *ft = vcpuid_feature_at(w, b);
			if ((c.features[w] >> b & 1) && ft && ft->bit == b &&
			    ft->qemu_since <= 702)
				fprintf(f, " %s", ft->name);
		}
	fprintf(f, "\n");
	vcpuid_cpu_free(&c);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = 10000;
	const char *dir = NULL, *featfile = NULL, *spec = NULL;
	rng_state = 0x9E3779B97F4A7C15ull;
	int o;
	while ((o = getopt(argc, argv, "n:s:w:f:c:")) != -1) {
		switch (o) {
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 's': rng_state = strtoull(optarg, NULL, 0) | 1; break;
		case 'w': dir = optarg; break;
		case 'f': featfile = optarg; break;
		case 'c': spec = optarg; break;
		default:
			fprintf(stderr, "usage: bench_fleet [-n N] [-s SEED] [-w DIR] "
				"[-f FEATFILE] [-c SPEC] PROFILE...\n");
			return 2;
		}
	}
	size_t nbase = (size_t)(argc - optind);
	if (!nbase || !n) {
		fprintf(stderr, "bench_fleet: name at least one profile\n");
		return 2;
	}
	vcpuid_error err = { 0 };
	char **json = calloc(nbase, sizeof(*json));
	vcpuid_host *base = calloc(nbase, sizeof(*base));
	vcpuid_host *hs = calloc(n, sizeof(*hs));
	const vcpuid_host **ph = calloc(n > nbase ? n : nbase, sizeof(*ph));
	if (!json || !base || !hs || !ph)
		return VCPUID_E_NOMEM;
	for (size_t i = 0; i < nbase; i++) {
		vcpuid_host_init(&base[i]);
		if (vcpuid_host_load(argv[optind + i], &base[i], &err)) {
			fprintf(stderr, "bench_fleet: %s\n", err.msg);
			return err.code;
		}
		json[i] = vcpuid_profile_to_json(&base[i]);
		if (!json[i])
			return VCPUID_E_NOMEM;
		ph[i] = &base[i];
	}
	vcpuid_baseline b;
	char spec_buf[sizeof(b.spec)];
	if (!spec) {
		if (vcpuid_baseline_compute(ph, nbase, MACHINE,
					    VCPUID_BASELINE_MIGRATABLE, &b, &err)) {
			fprintf(stderr, "bench_fleet: %s\n", err.msg);
			return err.code;
		}
		snprintf(spec_buf, sizeof(spec_buf), "%s", b.spec);
		spec = spec_buf;
	}

	FILE *ff = featfile ? fopen(featfile, "w") : NULL;
	if (featfile && !ff) {
		perror(featfile);
		return VCPUID_E_IO;
	}
	for (size_t i = 0; i < n; i++) {
		const char *src = json[i % nbase];
		char name[64];
		snprintf(name, sizeof(name), "gen-%05zu", i);
		vcpuid_host_init(&hs[i]);
		if (vcpuid_profile_parse(src, strlen(src), name, &hs[i], &err)) {
			fprintf(stderr, "bench_fleet: %s\n", err.msg);
			return err.code;
		}
		mutate(&hs[i]);
		snprintf(hs[i].source, sizeof(hs[i].source), "%s", name);
		ph[i] = &hs[i];
		if (dir) {
			char path[4096];
			char *js = vcpuid_profile_to_json(&hs[i]);
			snprintf(path, sizeof(path), "%s/host-%05zu.json", dir, i);
			if (!js || vcpuid_write_file(path, js, strlen(js), &err)) {
				fprintf(stderr, "bench_fleet: %s\n", js ? err.msg : "no memory");
				return js ? err.code : VCPUID_E_NOMEM;
			}
			free(js);
		}
		if (ff && write_features(ff, &hs[i]))
			return VCPUID_E_IO;
	}
	if (ff)
		fclose(ff);

	struct stamp t0 = now();
	int rc = vcpuid_baseline_compute(ph, n, MACHINE, VCPUID_BASELINE_MIGRATABLE,
					 &b, &err);
	struct stamp t1 = now();
	if (rc) {
		fprintf(stderr, "bench_fleet: baseline: %s\n", err.msg);
		return rc;
	}
	printf("baseline_s %.4f %.4f %s\n", t1.cpu - t0.cpu, t1.wall - t0.wall,
	       b.spec);

	size_t bad = 0;
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		vcpuid_comparison c;
		if ((rc = vcpuid_compare(&hs[i], spec, MACHINE, &c, &err))) {
			fprintf(stderr, "bench_fleet: compare: %s\n", err.msg);
			return rc;
		}
		bad += c.verdict == VCPUID_INCOMPATIBLE;
		vcpuid_comparison_free(&c);
	}
	t1 = now();
	printf("compare_s %.4f %.4f %zu %s\n", t1.cpu - t0.cpu, t1.wall - t0.wall,
	       bad, spec);

	for (size_t i = 0; i < n; i++)
		vcpuid_host_free(&hs[i]);
	for (size_t i = 0; i < nbase; i++) {
		vcpuid_host_free(&base[i]);
		free(json[i]);
	}
	free(hs);
	free(base);
	free(json);
	free(ph);
	return 0;
}
