/* SPDX-License-Identifier: MIT */
/* Unit tests of the CPU object's properties (src/lib/cpu/props.c): QEMU's
 * boolean and number spellings, feature names and their aliases, the
 * string properties, avx10-version and what it implies, the compat knobs
 * and their defaults, the errors for bad values and unknown names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cpu/expand.h"

#define BIT(n) (1ull << (n))

static vcpuid_cpu cpu;
static vcpuid_error err;

static struct ve_ctx ctx(uint16_t qemu)
{
	memset(&cpu, 0, sizeof(cpu));
	memset(&err, 0, sizeof(err));
	struct ve_ctx c = { .cpu = &cpu, .qemu = qemu, .err = &err };
	ve_knob_defaults(&c);
	return c;
}

static int set(struct ve_ctx *c, const char *name, const char *value)
{
	return ve_set_prop(c, name, value, "-cpu");
}

/* The knobs of data/expand.def, their defaults (the newest machine
 * types') and their indexes in vcpuid_cpu.compat_knobs. */
static void knob_defaults(void **state)
{
	(void)state;
	struct ve_ctx c = ctx(1101);
	assert_int_equal(VE_NKNOBS, 9);
	assert_false(ve_knob(&c, "x-arch-cap-always-on"));
	assert_false(ve_knob(&c, "x-pdcm-on-even-without-pmu"));
	assert_true(ve_knob(&c, "x-consistent-cache"));
	assert_true(ve_knob(&c, "x-vendor-cpuid-only-v2"));
	assert_true(ve_knob(&c, "x-amd-topoext-features-only"));
	assert_true(ve_knob(&c, "x-l1-cache-per-thread"));
	assert_false(ve_knob(&c, "legacy-multi-node"));
	assert_false(ve_knob(&c, "x-force-cpuid-0x1f"));
	assert_true(ve_knob(&c, "guest-phys-bits"));
	assert_false(ve_knob(&c, "no-such-knob"));
	assert_int_equal(vc_knob_index("x-arch-cap-always-on"), 0);
	assert_int_equal(vc_knob_index("guest-phys-bits"), 8);
	assert_int_equal(vc_knob_index("pmu"), -1); /* a property, not a knob */
	assert_int_equal(vc_knob_index(""), -1);
}

/* Machine compat lists set the knobs: "false"/"true" and numbers
 * (pc_compat_9_0's guest-phys-bits=0). */
static void knob_values(void **state)
{
	(void)state;
	struct ve_ctx c = ctx(1101);
	assert_int_equal(ve_set_prop(&c, "x-l1-cache-per-thread", "false",
				     "pc-i440fx-9.0"), 0);
	assert_false(ve_knob(&c, "x-l1-cache-per-thread"));
	assert_int_equal(ve_set_prop(&c, "x-l1-cache-per-thread", "on",
				     "pc-i440fx-9.0"), 0);
	assert_true(ve_knob(&c, "x-l1-cache-per-thread"));
	assert_int_equal(ve_set_prop(&c, "guest-phys-bits", "0",
				     "pc-i440fx-9.0"), 0);
	assert_false(ve_knob(&c, "guest-phys-bits"));
	assert_int_equal(ve_set_prop(&c, "x-arch-cap-always-on", "true",
				     "pc-i440fx-10.0"), 0);
	assert_true(ve_knob(&c, "x-arch-cap-always-on"));
	/* the others are untouched */
	assert_true(ve_knob(&c, "x-consistent-cache"));
	/* defaults again */
	ve_knob_defaults(&c);
	assert_true(ve_knob(&c, "guest-phys-bits"));
	assert_false(ve_knob(&c, "x-arch-cap-always-on"));
}

/* QEMU's boolean spellings for the plain boolean properties, and the two
 * whose "on" is vcpuid's "not off". */
static void booleans(void **state)
{
	(void)state;
	struct ve_ctx c = ctx(702);
	static const char *const yes[] = { "on", "yes", "true", "y" };
	static const char *const no[] = { "off", "no", "false", "n" };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(set(&c, "pmu", yes[i]), 0);
		assert_true(cpu.pmu);
		assert_int_equal(set(&c, "pmu", no[i]), 0);
		assert_false(cpu.pmu);
	}
	assert_int_equal(set(&c, "l3-cache", "off"), 0);
	assert_false(cpu.l3_cache);
	assert_int_equal(set(&c, "host-phys-bits", "on"), 0);
	assert_true(cpu.host_phys_bits);
	assert_int_equal(set(&c, "x-vendor-cpuid-only", "on"), 0);
	assert_true(cpu.vendor_cpuid_only);
	assert_int_equal(set(&c, "kvm-pv-enforce-cpuid", "yes"), 0);
	assert_true(cpu.kvm_pv_enforce_cpuid);
	assert_int_equal(set(&c, "cpuid-0xb", "off"), 0);
	assert_true(cpu.cpuid_0xb_off);
	assert_int_equal(set(&c, "cpuid-0xb", "on"), 0);
	assert_false(cpu.cpuid_0xb_off);
	assert_int_equal(set(&c, "vmware-cpuid-freq", "n"), 0);
	assert_true(cpu.vmware_cpuid_freq_off);
	assert_false(cpu.cpuid_0xb_off);
	/* legacy-cache lives in the context, for realize */
	c.legacy_cache = true;
	assert_int_equal(set(&c, "legacy-cache", "off"), 0);
	assert_false(c.legacy_cache);
	/* case matters, as in QEMU's qapi bool parser; numbers are no bools */
	assert_int_equal(set(&c, "pmu", "ON"), VCPUID_E_PARSE);
	assert_int_equal(err.code, VCPUID_E_PARSE);
	assert_string_equal(err.msg, "-cpu: bad value 'ON' for 'pmu'");
	assert_int_equal(set(&c, "enforce", "1"), VCPUID_E_PARSE);
	assert_int_equal(set(&c, "check", ""), VCPUID_E_PARSE);
}

/* Numbers: decimal, hex, octal as strtoull base 0 reads them; no sign,
 * nothing after the digits. */
static void numbers(void **state)
{
	(void)state;
	struct ve_ctx c = ctx(702);
	assert_int_equal(set(&c, "level", "0x1f"), 0);
	assert_int_equal(cpu.level, 0x1f);
	assert_int_equal(set(&c, "xlevel", "2147483656"), 0);
	assert_int_equal(cpu.xlevel, 0x80000008u);
	assert_int_equal(set(&c, "min-level", "010"), 0); /* octal */
	assert_int_equal(cpu.min_level, 8);
	assert_int_equal(set(&c, "family", "6"), 0);
	assert_int_equal(set(&c, "model", "0x55"), 0);
	assert_int_equal(set(&c, "stepping", "4"), 0);
	assert_int_equal(cpu.family, 6);
	assert_int_equal(cpu.model_num, 0x55);
	assert_int_equal(cpu.stepping, 4);
	assert_int_equal(set(&c, "phys-bits", "46"), 0);
	assert_int_equal(cpu.phys_bits, 46);
	/* ucode-rev is 64 bits wide */
	assert_int_equal(set(&c, "ucode-rev", "0x100000000"), 0);
	assert_true(cpu.ucode_rev == 0x100000000ull);
	/* tsc-frequency in Hz, kept in kHz */
	assert_int_equal(set(&c, "tsc-frequency", "2500000000"), 0);
	assert_int_equal(cpu.tsc_khz, 2500000);
	assert_int_equal(set(&c, "tsc-frequency", "1999999"), 0);
	assert_int_equal(cpu.tsc_khz, 1999);
	static const char *const bad[] = { "-1", "12abc", "", "on", "0x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cpu.level = 7;
		assert_int_equal(set(&c, "level", bad[i]), VCPUID_E_PARSE);
		assert_int_equal(cpu.level, 7);
	}
	assert_string_equal(err.msg, "-cpu: bad value '0x' for 'level'");
	assert_int_equal(set(&c, "tsc-frequency", "2.5G"), VCPUID_E_PARSE);
}

/* Feature names set and clear bits and remember what the user said; an
 * alias QEMU registers reaches its feature; names are case sensitive. */
static void features(void **state)
{
	(void)state;
	struct ve_ctx c = ctx(702);
	assert_int_equal(set(&c, "avx2", "on"), 0);
	assert_int_equal(cpu.features[VCPUID_W_7_0_EBX], BIT(5));
	assert_int_equal(cpu.user_on[VCPUID_W_7_0_EBX], BIT(5));
	assert_int_equal(cpu.user_off[VCPUID_W_7_0_EBX], 0);
	assert_int_equal(set(&c, "avx2", "off"), 0);
	assert_int_equal(cpu.features[VCPUID_W_7_0_EBX], 0);
	assert_int_equal(cpu.user_on[VCPUID_W_7_0_EBX], 0);
	assert_int_equal(cpu.user_off[VCPUID_W_7_0_EBX], BIT(5));
	/* sse3 is QEMU's alias of pni (1.ECX[0]) */
	assert_int_equal(set(&c, "sse3", "on"), 0);
	assert_int_equal(cpu.features[VCPUID_W_1_ECX], BIT(0));
	/* an MSR feature: rdctl-no is ARCH_CAPABILITIES bit 0 */
	assert_int_equal(set(&c, "rdctl-no", "true"), 0);
	assert_int_equal(cpu.features[VCPUID_W_ARCH_CAP], BIT(0));
	/* lm (0x80000001.EDX[29]) */
	assert_int_equal(set(&c, "lm", "y"), 0);
	assert_int_equal(cpu.features[VCPUID_W_8000_0001_EDX], BIT(29));
	assert_int_equal(set(&c, "avx2", "2"), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "-cpu: bad value '2' for 'avx2'");
	/* QOM property names are case sensitive: not a feature, no property */
	assert_int_equal(set(&c, "AVX2", "on"), VCPUID_E_UNSUPPORTED);
	assert_string_equal(err.msg, "-cpu: property 'AVX2' is not supported");
	assert_int_equal(cpu.features[VCPUID_W_7_0_EBX], 0);
}

/* vendor takes exactly 12 characters; model-id is cut at 48. */
static void strings(void **state)
{
	(void)state;
	struct ve_ctx c = ctx(702);
	assert_int_equal(set(&c, "vendor", "AuthenticAMD"), 0);
	assert_string_equal(cpu.vendor, "AuthenticAMD");
	assert_int_equal(set(&c, "vendor", "AMD"), VCPUID_E_PARSE);
	assert_int_equal(set(&c, "vendor", "GenuineIntel!"), VCPUID_E_PARSE);
	assert_string_equal(cpu.vendor, "AuthenticAMD");
	assert_int_equal(ve_set_prop(&c, "vendor", "x", "Skylake-Client-v1"),
			 VCPUID_E_PARSE);
	assert_string_equal(err.msg,
			    "Skylake-Client-v1: bad value 'x' for 'vendor'");
	char id[80];
	memset(id, 'a', sizeof(id) - 1);
	id[sizeof(id) - 1] = 0;
	id[47] = 'Z';
	assert_int_equal(set(&c, "model-id", id), 0);
	assert_int_equal(strlen(cpu.model_id), 48);
	assert_int_equal(cpu.model_id[47], 'Z');
	assert_int_equal(set(&c, "model-id", ""), 0);
	assert_string_equal(cpu.model_id, "");
	assert_int_equal(set(&c, "no-such-prop", "1"), VCPUID_E_UNSUPPORTED);
	assert_int_equal(err.code, VCPUID_E_UNSUPPORTED);
}

/* avx10-version (CPUID.0x24.0.EBX[7:0]) in QEMU 11: version 1 turns on
 * avx10 (7.1.EDX[19]) and the vector lengths 128/256/512
 * (0x24.0.EBX[18:16]); version 2 also avx10-vnni-int (0x24.1.ECX[2]) and
 * leaf 0x24's subleaf 1. Above the newest known version is refused. */
static void avx10_version(void **state)
{
	(void)state;
	struct ve_ctx c = ctx(1101);
	assert_false(ve_avx10_on(&cpu, 1101));
	assert_int_equal(set(&c, "avx10-version", "1"), 0);
	assert_int_equal(cpu.avx10_version, 1);
	assert_int_equal(cpu.avx10_max_subleaf, 0);
	assert_int_equal(cpu.features[VCPUID_W_7_1_EDX], BIT(19));
	assert_int_equal(cpu.features[VCPUID_W_24_0_EBX], 0x70000);
	assert_int_equal(cpu.features[VCPUID_W_24_1_ECX], 0);
	assert_true(ve_avx10_on(&cpu, 1101));
	assert_false(ve_avx10_on(&cpu, 702)); /* no AVX10 rules in 7.2 */
	c = ctx(1101);
	assert_int_equal(set(&c, "avx10-version", "2"), 0);
	assert_int_equal(cpu.avx10_version, 2);
	assert_int_equal(cpu.avx10_max_subleaf, 1);
	assert_int_equal(cpu.features[VCPUID_W_7_1_EDX], BIT(19));
	assert_int_equal(cpu.features[VCPUID_W_24_0_EBX], 0x70000);
	assert_int_equal(cpu.features[VCPUID_W_24_1_ECX], BIT(2));
	/* lowering the version keeps what was on, resets the subleaf */
	assert_int_equal(ve_set_avx10_version(&c, 1, "-cpu"), 0);
	assert_int_equal(cpu.avx10_max_subleaf, 0);
	assert_int_equal(cpu.avx10_version, 1);
	/* 0: the version number only */
	c = ctx(1101);
	assert_int_equal(set(&c, "avx10-version", "0"), 0);
	assert_int_equal(cpu.features[VCPUID_W_7_1_EDX], 0);
	assert_int_equal(set(&c, "avx10-version", "3"), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "-cpu: avx10-version can be at most 2");
	assert_int_equal(set(&c, "avx10-version", "256"), VCPUID_E_PARSE);
	assert_string_equal(err.msg,
			    "-cpu: avx10-version: 256 does not fit uint8");
	assert_int_equal(set(&c, "avx10-version", "one"), VCPUID_E_PARSE);
	/* a release without version rows takes the number alone */
	c = ctx(902);
	assert_int_equal(set(&c, "avx10-version", "5"), 0);
	assert_int_equal(cpu.avx10_version, 5);
	assert_int_equal(cpu.features[VCPUID_W_7_1_EDX], 0);
	assert_int_equal(cpu.features[VCPUID_W_24_0_EBX], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(knob_defaults),
		cmocka_unit_test(knob_values),
		cmocka_unit_test(booleans),
		cmocka_unit_test(numbers),
		cmocka_unit_test(features),
		cmocka_unit_test(strings),
		cmocka_unit_test(avx10_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
