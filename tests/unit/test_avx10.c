/* SPDX-License-Identifier: MIT */
/* AVX10 as QEMU 11.1 does it on every machine type that has the
 * avx10-version property (9.2 on): the property (versions above 2 refused,
 * a version turning on the features of its AVX10 level), the host's AVX10
 * version bounding it (warnings, enforce), max/host taking KVM's version,
 * min-level 0x24 and leaf 0x24 of the vCPU table; machine types of
 * releases before 9.2 refuse the property. The host is the bundled
 * Granite Rapids profile (Linux 6.1: no AVX10), given AVX10 in the tests
 * that need it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

#define M102 "pc-q35-10.2"
#define PREFIX "host doesn't support requested feature: "
#define SIG VCPUID_FLAG_SIGNIFICANT_INDEX

static void load_gnr(vcpuid_host *h)
{
	vcpuid_error err = { 0 };
	vcpuid_host_init(h);
	if (vcpuid_host_load("bundled:fc-intel-graniterapids-6.1", h, &err))
		fail_msg("bundled profile: %s", err.msg);
}

static void set_reg(vcpuid_table *t, uint32_t fn, uint32_t idx, uint32_t flags,
		    enum vcpuid_reg r, uint32_t value, uint32_t or_mask)
{
	vcpuid_cpuid_entry *e = vcpuid_table_find_mut(t, fn, idx);
	if (!e)
		e = vcpuid_table_add(t, fn, idx, flags, 0, 0, 0, 0);
	assert_non_null(e);
	if (or_mask)
		e->reg[r] |= or_mask;
	else
		e->reg[r] = value;
}

/* The Granite Rapids host whose KVM offers AVX10 version `version` with
 * every vector length (CPUID.7.1.EDX[19], leaf 0x24, level 0x24). */
static void load_avx10_host(vcpuid_host *h, unsigned version)
{
	load_gnr(h);
	vcpuid_table *t = &h->supported;
	set_reg(t, 0, 0, 0, VCPUID_EAX, 0x24, 0);
	set_reg(t, 7, 1, SIG, VCPUID_EDX, 0, 1u << 19);
	set_reg(t, 0x24, 0, SIG, VCPUID_EBX, 0x70000u | version, 0);
}

static bool on(const vcpuid_words w, const char *name)
{
	const vcpuid_feature *f = vcpuid_feature_lookup(name, NULL);
	if (!f)
		fail_msg("catalog lacks %s", name);
	return w[f->word] >> f->bit & 1;
}

static int expand(const vcpuid_host *h, const char *spec, const char *machine,
		  vcpuid_cpu *cpu)
{
	vcpuid_error err = { 0 };
	int rc = vcpuid_cpu_expand(h, spec, machine, NULL, cpu, &err);
	if (rc && rc != VCPUID_E_ENFORCE)
		fail_msg("%s: %s", spec, err.msg);
	return rc;
}

static size_t count_warnings(const vcpuid_cpu *cpu, const char *text)
{
	size_t n = 0;
	for (size_t i = 0; i < cpu->nwarnings; i++)
		if (strstr(cpu->warnings[i], text))
			n++;
	return n;
}

static bool has_line(const vcpuid_cpu *cpu, const char *line)
{
	for (size_t i = 0; i < cpu->nwarnings; i++)
		if (!strcmp(cpu->warnings[i], line))
			return true;
	return false;
}

/* vCPU 0's table entry (function, index), failing when absent. */
static vcpuid_cpuid_entry entry(const vcpuid_cpu *cpu, const vcpuid_host *h,
				uint32_t fn, uint32_t idx, bool *present)
{
	vcpuid_vcpu v;
	vcpuid_error err = { 0 };
	if (vcpuid_synthesize(cpu, h, 0, &v, &err))
		fail_msg("synthesize: %s", err.msg);
	const vcpuid_cpuid_entry *e = vcpuid_table_find(&v.cpuid, fn, idx);
	vcpuid_cpuid_entry r = { 0 };
	*present = e != NULL;
	if (e)
		r = *e;
	vcpuid_vcpu_free(&v);
	return r;
}

static void graniterapids_v2_on_avx10_host(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	bool present;
	load_avx10_host(&h, 1);
	assert_int_equal(expand(&h, "GraniteRapids-v2", M102, &c), 0);
	assert_int_equal(c.avx10_version, 1);
	assert_false(c.avx10_filtered);
	assert_true(on(c.features, "avx10"));
	assert_true(on(c.features, "avx10-128"));
	assert_true(on(c.features, "avx10-256"));
	assert_true(on(c.features, "avx10-512"));
	assert_int_equal(count_warnings(&c, "avx10"), 0);
	assert_int_equal(c.level, 0x24); /* GraniteRapids: 0x20, raised */
	/* avx10 (as avx512f) enables opmask, ZMM_Hi256, Hi16_ZMM */
	assert_int_equal(c.features[VCPUID_W_XSAVE_XCR0_LO] & 0xe0, 0xe0);

	vcpuid_cpuid_entry e = entry(&c, &h, 0x24, 0, &present);
	assert_true(present);
	assert_int_equal(e.flags, SIG);
	assert_int_equal(e.reg[VCPUID_EAX], 0); /* version 1: no subleaf 1 */
	assert_int_equal(e.reg[VCPUID_EBX], 0x70001);
	assert_int_equal(e.reg[VCPUID_ECX], 0);
	assert_int_equal(e.reg[VCPUID_EDX], 0);
	entry(&c, &h, 0x24, 1, &present);
	assert_false(present);
	e = entry(&c, &h, 7, 1, &present);
	assert_true(present);
	assert_true(e.reg[VCPUID_EDX] >> 19 & 1);
	e = entry(&c, &h, 0, 0, &present);
	assert_int_equal(e.reg[VCPUID_EAX], 0x24);
	vcpuid_cpu_free(&c);

	/* a host with a newer version keeps the model's */
	vcpuid_host_free(&h);
	load_avx10_host(&h, 3);
	assert_int_equal(expand(&h, "GraniteRapids-v2", M102, &c), 0);
	assert_int_equal(c.avx10_version, 1);
	assert_false(c.avx10_filtered);
	assert_int_equal(entry(&c, &h, 0x24, 0, &present).reg[VCPUID_EBX],
			 0x70001);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static void graniterapids_v2_without_avx10(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	bool present;
	load_gnr(&h);
	assert_int_equal(expand(&h, "GraniteRapids-v2", M102, &c), 0);
	assert_false(on(c.features, "avx10"));
	assert_false(on(c.features, "avx10-512"));
	assert_true(has_line(&c, PREFIX "CPUID[eax=07h,ecx=01h].EDX.avx10 [bit 19]"));
	assert_true(has_line(&c, PREFIX "CPUID[eax=24h,ecx=00h].EBX.avx10-128 [bit 16]"));
	assert_true(has_line(&c, PREFIX "CPUID[eax=24h,ecx=00h].EBX.avx10-256 [bit 17]"));
	assert_true(has_line(&c, PREFIX "CPUID[eax=24h,ecx=00h].EBX.avx10-512 [bit 18]"));
	/* QEMU's version line comes after every per-bit line */
	assert_string_equal(c.warnings[c.nwarnings - 1], PREFIX "avx10.1.");
	assert_true(c.avx10_filtered);
	/* the level was raised before filtering: leaf 0x24 is there, empty */
	assert_int_equal(c.level, 0x24);
	vcpuid_cpuid_entry e = entry(&c, &h, 0x24, 0, &present);
	assert_true(present);
	assert_int_equal(e.flags, SIG);
	assert_int_equal(e.reg[VCPUID_EBX], 0);
	assert_false(entry(&c, &h, 7, 1, &present).reg[VCPUID_EDX] >> 19 & 1);
	vcpuid_cpu_free(&c);

	/* check=off: silent, but still a filtered feature for enforce */
	assert_int_equal(expand(&h, "GraniteRapids-v2,check=off", M102, &c), 0);
	assert_int_equal(count_warnings(&c, "avx10"), 0);
	assert_true(c.avx10_filtered);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);

	/* only the version is missing: enforce refuses on it alone */
	load_avx10_host(&h, 1);
	assert_int_equal(expand(&h, "max,avx10-version=1,enforce=on", M102, &c),
			 0);
	vcpuid_cpu_free(&c);
	assert_int_equal(expand(&h, "max,avx10-version=2,enforce=on", M102, &c),
			 VCPUID_E_ENFORCE);
	/* version 2 also asks for avx10-vnni-int, which the host lacks */
	assert_int_equal(c.nfiltered, 1);
	assert_true(c.avx10_filtered);
	assert_true(has_line(&c, PREFIX "avx10.2. Adjust to avx10.1"));
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static void version_from_the_cpu_option(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	bool present;
	load_avx10_host(&h, 1);
	/* more than the host has: lowered, with QEMU's warning */
	assert_int_equal(expand(&h, "GraniteRapids-v2,avx10-version=2", M102,
				&c), 0);
	assert_true(has_line(&c, PREFIX "avx10.2. Adjust to avx10.1"));
	assert_int_equal(c.avx10_version, 1);
	assert_true(c.avx10_filtered);
	assert_int_equal(entry(&c, &h, 0x24, 0, &present).reg[VCPUID_EBX],
			 0x70001);
	vcpuid_cpu_free(&c);
	/* the user's version wins over the model's; 0x2 is a number */
	vcpuid_host_free(&h);
	load_avx10_host(&h, 0x20);
	assert_int_equal(expand(&h, "GraniteRapids-v2,avx10-version=0x2", M102,
				&c), 0);
	assert_int_equal(c.avx10_version, 2);
	assert_int_equal(entry(&c, &h, 0x24, 0, &present).reg[VCPUID_EBX],
			 0x70002);
	vcpuid_cpu_free(&c);
	/* above the last AVX10 level QEMU 11 knows: refused */
	vcpuid_error err = { 0 };
	assert_int_not_equal(vcpuid_cpu_expand(&h, "GraniteRapids-v2,"
					       "avx10-version=0x10", M102,
					       NULL, &c, &err), 0);
	assert_non_null(strstr(err.msg, "avx10-version can be at most 2"));
	vcpuid_cpu_free(&c);
	/* a named model with +avx10, one vector length and a version: the
	 * version turns on every vector length of its level (QEMU 11.1) */
	assert_int_equal(expand(&h, "SapphireRapids,+avx10,+avx10-128,"
				"avx10-version=1", M102, &c), 0);
	assert_int_equal(c.level, 0x24);
	assert_int_equal(entry(&c, &h, 0x24, 0, &present).reg[VCPUID_EBX],
			 0x70001);
	vcpuid_cpu_free(&c);
	/* full-cpuid-auto-level is gone in QEMU 11.1, on 10.2 too ("Property
	 * ... not found", checked against QEMU 11.1 on pc-q35-10.2) */
	memset(&err, 0, sizeof(err));
	assert_int_equal(vcpuid_cpu_expand(&h, "SapphireRapids,+avx10,"
					   "avx10-version=1,"
					   "full-cpuid-auto-level=off", M102,
					   NULL, &c, &err), VCPUID_E_UNKNOWN);
	vcpuid_cpu_free(&c);
	/* a version on a host without avx10 is reported, like a filtered
	 * feature (the version turned avx10 on, the host filtered it) */
	vcpuid_host_free(&h);
	load_gnr(&h);
	assert_int_equal(expand(&h, "Skylake-Client,avx10-version=2", M102, &c),
			 0);
	assert_true(has_line(&c, PREFIX "avx10.2."));
	assert_true(c.avx10_filtered);
	vcpuid_cpu_free(&c);
	/* out of uint8 range: a parse error */
	assert_int_equal(vcpuid_cpu_expand(&h, "Skylake-Client,avx10-version=256",
					   M102, NULL, &c, &err),
			 VCPUID_E_PARSE);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static void max_and_host(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	bool present;
	load_avx10_host(&h, 2);
	static const char *const specs[] = { "max", "host" };
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(expand(&h, specs[i], M102, &c), 0);
		assert_true(on(c.features, "avx10"));
		assert_true(on(c.features, "avx10-512"));
		assert_int_equal(c.avx10_version, 2); /* KVM's */
		assert_false(c.avx10_filtered);
		assert_int_equal(c.level, 0x24);
		vcpuid_cpuid_entry e = entry(&c, &h, 0x24, 0, &present);
		assert_true(present);
		assert_int_equal(e.reg[VCPUID_EBX], 0x70002);
		assert_int_equal(e.reg[VCPUID_EAX], 1); /* version 2: subleaf 1 */
		vcpuid_cpu_free(&c);
	}
	/* a version given is kept */
	assert_int_equal(expand(&h, "max,avx10-version=1", M102, &c), 0);
	assert_int_equal(c.avx10_version, 1);
	vcpuid_cpu_free(&c);
	/* -avx10: nothing from leaf 0x24 (its bits depend on avx10) */
	assert_int_equal(expand(&h, "max,-avx10", M102, &c), 0);
	assert_false(on(c.features, "avx10-128"));
	assert_int_equal(c.avx10_version, 0);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
	/* a host without AVX10: max has no avx10 and no version */
	load_gnr(&h);
	assert_int_equal(expand(&h, "max", M102, &c), 0);
	assert_false(on(c.features, "avx10"));
	assert_int_equal(c.avx10_version, 0);
	assert_false(c.avx10_filtered);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static void older_machine_types(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	bool present;
	load_avx10_host(&h, 1);
	/* QEMU 7.2: "Property '...avx10-version' not found", exit 1; QEMU
	 * 11.1 has it on every machine type (9.1 included) */
	static const char *const old[] = { "pc-i440fx-7.2", "pc-q35-7.2" };
	for (size_t i = 0; i < 2; i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(vcpuid_cpu_expand(&h, "Skylake-Client,"
						   "avx10-version=1", old[i],
						   NULL, &c, &err),
				 VCPUID_E_UNKNOWN);
		assert_non_null(strstr(err.msg, "property 'avx10-version' is "
				       "not known to QEMU"));
		vcpuid_cpu_free(&c);
	}
	assert_string_equal(err.msg, "-cpu: property 'avx10-version' is not "
			    "known to QEMU 7.2");
	assert_int_equal(expand(&h, "Skylake-Client,avx10-version=1",
				"pc-q35-9.1", &c), 0);
	vcpuid_cpu_free(&c);
	/* GraniteRapids-v2 came with AVX10 in 9.2 */
	assert_int_equal(vcpuid_cpu_expand(&h, "GraniteRapids-v2", "pc-q35-9.1",
					   NULL, &c, &err), VCPUID_E_UNKNOWN);
	vcpuid_cpu_free(&c);
	assert_int_equal(expand(&h, "GraniteRapids-v2", "pc-q35-9.2", &c), 0);
	assert_int_equal(c.avx10_version, 1);
	assert_int_equal(entry(&c, &h, 0x24, 0, &present).reg[VCPUID_EBX],
			 0x70001);
	vcpuid_cpu_free(&c);
	/* 9.1 max on an AVX10 host: QEMU 11.1 knows avx10 there too, so
	 * KVM's version and leaf 0x24 (checked against QEMU 11.1) */
	assert_int_equal(expand(&h, "max", "pc-q35-9.1", &c), 0);
	assert_true(c.features[VCPUID_W_7_1_EDX] >> 19 & 1);
	assert_int_equal(c.avx10_version, 1);
	assert_int_equal(entry(&c, &h, 0x24, 0, &present).reg[VCPUID_EBX],
			 0x70001);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static bool reason(const vcpuid_comparison *cmp, const char *what)
{
	for (size_t i = 0; i < cmp->n; i++)
		if (!strcmp(cmp->r[i].what, what) && cmp->r[i].fatal)
			return true;
	return false;
}

/* compare: a lowered AVX10 version makes the host incompatible, as enforce
 * would refuse it */
static void compare_counts_the_version(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_comparison cmp;
	vcpuid_error err = { 0 };
	load_avx10_host(&h, 1);
	assert_int_equal(vcpuid_compare(&h, "max,avx10-version=2", M102, &cmp,
					&err), 0);
	assert_int_equal(cmp.verdict, VCPUID_INCOMPATIBLE);
	assert_true(reason(&cmp, "avx10-version"));
	vcpuid_comparison_free(&cmp);
	assert_int_equal(vcpuid_compare(&h, "max,avx10-version=1", M102, &cmp,
					&err), 0);
	assert_false(reason(&cmp, "avx10-version"));
	vcpuid_comparison_free(&cmp);
	vcpuid_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(graniterapids_v2_on_avx10_host),
		cmocka_unit_test(graniterapids_v2_without_avx10),
		cmocka_unit_test(version_from_the_cpu_option),
		cmocka_unit_test(max_and_host),
		cmocka_unit_test(older_machine_types),
		cmocka_unit_test(compare_counts_the_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
