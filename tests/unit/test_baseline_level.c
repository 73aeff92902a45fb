/* SPDX-License-Identifier: MIT */
/* baseline_level.c: a fleet's baseline required to reach an x86-64 level;
 * the levels it accepts, and the hosts named when some cannot reach it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"
#include "vcpuid/fleet.h"
#include "vcpuid/level.h"

/* two Intel hosts (Firecracker), an AMD one, and a PVM guest's KVM that
 * offers no more than x86-64-v1 (recorded by vcpuid probe, named "live") */
static vcpuid_host clx, icx, genoa, pvm;

static int load(void **state)
{
	(void)state;
	vcpuid_error err = { 0 };
	const char *root = getenv("VCPUID_SOURCE_ROOT");
	char path[512];
	snprintf(path, sizeof(path), "%s/tests/data/hosts/amd-epyc-f19m11-pvm.json",
		 root ? root : ".");
	unsetenv("VCPUID_PROFILE_DIR");
	return vcpuid_host_load("bundled:fc-intel-cascadelake-6.1", &clx, &err) ||
	       vcpuid_host_load("bundled:fc-intel-icelake-6.1", &icx, &err) ||
	       vcpuid_host_load("bundled:fc-amd-genoa-6.1", &genoa, &err) ||
	       vcpuid_host_load(path, &pvm, &err);
}

static int unload(void **state)
{
	(void)state;
	vcpuid_host_free(&clx);
	vcpuid_host_free(&icx);
	vcpuid_host_free(&genoa);
	vcpuid_host_free(&pvm);
	return 0;
}

static void levels_accepted(void **state)
{
	(void)state;
	const vcpuid_host *hs[] = { &clx };
	static const int bad[] = { -1, 0, VCPUID_LEVEL_MAX + 1 };
	for (size_t i = 0; i < 3; i++) {
		vcpuid_baseline out;
		memset(&out, 0xa5, sizeof(out));
		vcpuid_error err = { 0 };
		char want[64];
		snprintf(want, sizeof(want), "baseline: no x86-64 level %d (1..4)",
			 bad[i]);
		assert_int_equal(vcpuid_baseline_for_level(hs, 1, NULL, 0, bad[i],
							   &out, &err), VCPUID_E_USAGE);
		assert_string_equal(err.msg, want);
		assert_string_equal(out.spec, "");	/* cleared */
		assert_int_equal(out.level, 0);
	}
	assert_int_equal(VCPUID_LEVEL_MAX, 4);
}

static void reached(void **state)
{
	(void)state;
	const vcpuid_host *hs[] = { &clx, &icx };
	vcpuid_baseline out;
	vcpuid_error err = { 0 };
	for (int level = 1; level <= 4; level++) {
		assert_int_equal(vcpuid_baseline_for_level(hs, 2, NULL, 0, level, &out,
							   &err), 0);
		/* the best shared CPU, which happens to be v4 here */
		assert_int_equal(out.level, 4);
		assert_true(out.features[VCPUID_W_7_0_EBX] >> 16 & 1); /* avx512f */
		assert_true(!strncmp(out.spec, "Cascadelake-Server", 18));
		assert_string_equal(out.vendor, "GenuineIntel");
	}
	/* the PVM host alone: v1 is all it has */
	const vcpuid_host *p[] = { &pvm };
	assert_int_equal(vcpuid_baseline_for_level(p, 1, NULL, 0, 1, &out, &err), 0);
	assert_int_equal(out.level, 1);
	assert_false(out.features[VCPUID_W_1_ECX] & 1);	/* no SSE3 */
}

static void hosts_short_of_it(void **state)
{
	(void)state;
	const vcpuid_host *hs[] = { &clx, &pvm };
	vcpuid_baseline out;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_baseline_for_level(hs, 2, NULL, 0, 2, &out, &err),
			 VCPUID_E_NEGATIVE);
	assert_string_equal(err.msg, "baseline: 1 of 2 host(s) cannot reach "
			    "x86-64-v2: live (x86-64-v1 at best, lacks popcnt pni "
			    "ssse3 sse4.1 sse4.2)");
	assert_int_equal(out.level, 0);
	assert_string_equal(out.spec, "");
	assert_int_equal(vcpuid_baseline_for_level(hs, 2, NULL, 0, 3, &out, &err),
			 VCPUID_E_NEGATIVE);
	assert_string_equal(err.msg, "baseline: 1 of 2 host(s) cannot reach "
			    "x86-64-v3: live (x86-64-v1 at best, lacks popcnt pni "
			    "ssse3 sse4.1 sse4.2 avx avx2 bmi1 bmi2 f16c fma abm "
			    "movbe xsave XCR0.SSE XCR0.YMM)");
	/* the shortfall is said before the vendors' clash */
	const vcpuid_host *mixed[] = { &clx, &genoa, &pvm };
	assert_int_equal(vcpuid_baseline_for_level(mixed, 3, NULL, 0, 2, &out, &err),
			 VCPUID_E_NEGATIVE);
	assert_true(!strncmp(err.msg, "baseline: 1 of 3 host(s) cannot reach "
			     "x86-64-v2: live (", 55));
}

/* at most 8 hosts named, whole, then "; ..." */
static void many_short(void **state)
{
	(void)state;
	const vcpuid_host *hs[10];
	hs[0] = &icx;
	for (int i = 1; i < 10; i++)
		hs[i] = &pvm;
	vcpuid_baseline out;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_baseline_for_level(hs, 10, NULL, 0, 2, &out, &err),
			 VCPUID_E_NEGATIVE);
	assert_true(!strncmp(err.msg, "baseline: 9 of 10 host(s) cannot reach "
			     "x86-64-v2: live (", 56));
	static const char entry[] = "live (x86-64-v1 at best, lacks popcnt pni "
				    "ssse3 sse4.1 sse4.2)";
	size_t n = 0;
	for (const char *p = err.msg; (p = strstr(p, entry)); p++)
		n++;
	size_t len = strlen(err.msg);
	/* As many whole entries as vcpuid_error.msg holds (at most 8), then
	 * "; ..." for the others: never a line cut inside an entry. */
	assert_true(len < sizeof(err.msg) - 1);
	assert_true(n >= 5 && n <= 8);
	assert_true(len > 5 && !strcmp(err.msg + len - 5, "; ..."));
	const char *last = err.msg;
	for (size_t k = 0; k < n; k++)
		last = strstr(last, entry) + strlen(entry);
	assert_string_equal(last, "; ...");
}

/* Hosts of two vendors: the level check passes, the baseline itself says
 * why there is none, unless asked for a cross-vendor one. */
static void two_vendors(void **state)
{
	(void)state;
	const vcpuid_host *hs[] = { &clx, &genoa };
	vcpuid_baseline out;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_baseline_for_level(hs, 2, NULL, 0, 3, &out, &err),
			 VCPUID_E_NEGATIVE);
	assert_string_equal(err.msg, "baseline: fingerprint_INTEL_CASCADELAKE_6.1host"
			    ".json is GenuineIntel but fingerprint_AMD_GENOA_6.1host"
			    ".json is AuthenticAMD: no CPU runs on both");
	int rc = vcpuid_baseline_for_level(hs, 2, NULL, VCPUID_BASELINE_CROSS_VENDOR,
					   3, &out, &err);
	if (rc)
		fail_msg("%d %s", rc, err.msg);
	assert_true(out.level >= 3);
	assert_string_equal(out.vendor, "mixed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(levels_accepted),
		cmocka_unit_test(reached),
		cmocka_unit_test(hosts_short_of_it),
		cmocka_unit_test(many_short),
		cmocka_unit_test(two_vendors),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
