/* SPDX-License-Identifier: MIT */
/* Import and decode every libcpuid test dump (../shared/data/libcpuid-dumps)
 * and compare family, model and stepping with libcpuid's own expectations,
 * which follow the line of dashes in each file:
 *   arch, feature level, purpose, family, model, stepping, ext_family,
 *   ext_model, cores, logical CPUs, L1d, L1i, L2, L3, L4 (KB), ...
 * libcpuid's family/model are the base fields of leaf 1, ext_family and
 * ext_model the displayed ones. Cache sizes are compared and reported but
 * do not fail the test. Exit 77 when the dumps are missing. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vcpuid.h"

#define NEXP 15

static unsigned total, ok, load_fail, cache_total, cache_ok;
static bool verbose;

/* The expected section after the first dash-only line: NEXP numbers
 * (-1 for fields that are not numbers). Returns false when absent. */
static bool read_expected(const char *buf, long exp[NEXP])
{
	const char *p = buf;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		bool dash = l >= 10;
		for (size_t i = 0; i < l && dash; i++)
			dash = p[i] == '-';
		p = e ? e + 1 : p + l;
		if (!dash)
			continue;
		for (int i = 0; i < NEXP; i++) {
			if (!*p)
				return false;
			char *end;
			exp[i] = strtol(p, &end, 10);
			if (end == p)
				exp[i] = -1;
			e = strchr(p, '\n');
			p = e ? e + 1 : p + strlen(p);
		}
		return true;
	}
	return false;
}

static long cache_kb(const vcpuid_decoded *d, unsigned level, const char *type)
{
	for (unsigned i = 0; i < d->ncache; i++)
		if (d->cache[i].level == level &&
		    (!strcmp(d->cache[i].type, type) || !strcmp(d->cache[i].type, "unified") ||
		     /* libcpuid counts NetBurst's trace cache as L1 instruction */
		     (!strcmp(type, "instruction") && !strcmp(d->cache[i].type, "trace"))))
			return d->cache[i].size_kb;
	return -1;
}

static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	size_t l = strlen(path);
	if (flag != FTW_F || l < 5 || strcmp(path + l - 5, ".test"))
		return 0;
	total++;
	char *buf;
	size_t len;
	vcpuid_error err = { 0 };
	long exp[NEXP];
	if (vcpuid_read_file(path, &buf, &len, &err)) {
		printf("FAIL %s: %s\n", path, err.msg);
		load_fail++;
		return 0;
	}
	bool have_exp = read_expected(buf, exp);
	free(buf);
	vcpuid_host h;
	vcpuid_decoded d;
	if (vcpuid_host_load(path, &h, &err) || vcpuid_decode(&h.raw, NULL, &d, &err)) {
		printf("FAIL %s: %s\n", path, err.msg);
		load_fail++;
		vcpuid_host_free(&h);
		return 0;
	}
	vcpuid_host_free(&h);
	if (!have_exp) {
		printf("FAIL %s: no expected section\n", path);
		return 0;
	}
	if (exp[3] == d.base_family && exp[4] == d.base_model &&
	    exp[5] == d.stepping && exp[6] == d.family && exp[7] == d.model) {
		ok++;
	} else {
		printf("MISMATCH %s: libcpuid %ld/%ld/%ld (displayed %ld/%ld), "
		       "vcpuid %u/%u/%u (displayed %u/%u) vendor %s\n", path,
		       exp[3], exp[4], exp[5], exp[6], exp[7], d.base_family,
		       d.base_model, d.stepping, d.family, d.model, d.vendor);
	}
	static const struct { unsigned level; const char *type; int idx; } cs[] = {
		{ 1, "data", 10 }, { 1, "instruction", 11 }, { 2, "unified", 12 },
		{ 3, "unified", 13 },
	};
	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		long want = exp[cs[i].idx], got = cache_kb(&d, cs[i].level, cs[i].type);
		if (want <= 0)
			continue;	/* libcpuid does not know it */
		cache_total++;
		if (want == got)
			cache_ok++;
		else if (verbose)
			printf("cache %s: L%u %s libcpuid %ld KB, vcpuid %ld KB (%s)\n",
			       path, cs[i].level, cs[i].type, want, got, d.cache_source);
	}
	return 0;
}

int main(void)
{
	const char *root = getenv("VCPUID_SOURCE_ROOT");
	const char *env = getenv("VCPUID_LIBCPUID_DUMPS");
	verbose = getenv("VERBOSE") != NULL;
	char dir[1024] = "";
	if (env && *env) {
		snprintf(dir, sizeof(dir), "%s", env);
	} else if (root) {
		/* main checkout: <root>/../shared; helper worktrees: <root>/../../shared */
		snprintf(dir, sizeof(dir), "%s/../shared/data/libcpuid-dumps", root);
		if (access(dir, R_OK))
			snprintf(dir, sizeof(dir), "%s/../../shared/data/libcpuid-dumps", root);
	}
	if (!dir[0] || access(dir, R_OK)) {
		printf("SKIP: libcpuid dumps not found (set VCPUID_LIBCPUID_DUMPS)\n");
		return 77;
	}
	nftw(dir, visit, 16, FTW_PHYS);
	printf("libcpuid dumps: %u/%u match family/model/stepping, %u failed to load; "
	       "cache sizes %u/%u match (where libcpuid gives one)\n", ok, total, load_fail, cache_ok, cache_total);
	return (total && ok == total && !load_fail) ? 0 : 1;
}
