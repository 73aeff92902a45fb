/* SPDX-License-Identifier: MIT */
/* instance.c: the model name resolved to a version under a machine type,
 * and the CPU object's instance init (x86_cpu_initfn, max_x86_cpu_initfn,
 * kvm_cpu_instance_init, the -cpu options) as seen after ve_expand, on no
 * host (no accelerator) and on bundled Firecracker profiles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "cpu/expand.h"

#define M72 "pc-i440fx-7.2"

static bool on(const vcpuid_words w, const char *name)
{
	const vcpuid_feature *f = vcpuid_feature_lookup(name, NULL);
	if (!f)
		fail_msg("catalog lacks %s", name);
	return w[f->word] >> f->bit & 1;
}

static void load(const char *name, vcpuid_host *h)
{
	vcpuid_error err = { 0 };
	vcpuid_host_init(h);
	if (vcpuid_host_load(name, h, &err))
		fail_msg("%s: %s", name, err.msg);
}

static void expand(const vcpuid_host *h, const char *spec, const char *machine,
		   vcpuid_cpu *cpu)
{
	vcpuid_error err = { 0 };
	int rc = ve_expand(h, spec, machine, NULL, cpu, &err);
	if (rc)
		fail_msg("%s: %d %s", spec, rc, err.msg);
}

static void resolve_ok(const char *name, const char *machine, const char *want,
		       int version)
{
	vcpuid_cpu cpu;
	memset(&cpu, 0, sizeof(cpu));
	cpu.machine = vcpuid_machine_find(machine);
	assert_non_null(cpu.machine);
	vcpuid_error err = { 0 };
	if (ve_resolve_model(&cpu, name, &err))
		fail_msg("%s: %s", name, err.msg);
	assert_string_equal(cpu.name, want);
	assert_int_equal(cpu.version, version);
	assert_non_null(cpu.model);
	assert_false(cpu.is_host || cpu.is_max || cpu.is_base);
}

/* pc machine types resolve a bare name to version 1 (default_cpu_version);
 * aliases are fixed versions. */
static void resolve_versions(void **state)
{
	(void)state;
	resolve_ok("Skylake-Client", M72, "Skylake-Client-v1", 1);
	resolve_ok("Skylake-Client-v4", M72, "Skylake-Client-v4", 4);
	resolve_ok("Skylake-Client-IBRS", M72, "Skylake-Client-v2", 2);
	resolve_ok("Skylake-Client-noTSX-IBRS", M72, "Skylake-Client-v3", 3);
	resolve_ok("Cascadelake-Server-noTSX", M72, "Cascadelake-Server-v3", 3);
	resolve_ok("qemu64", M72, "qemu64-v1", 1);
	resolve_ok("EPYC-IBPB", M72, "EPYC-v2", 2);
}

static void resolve_special(void **state)
{
	(void)state;
	static const char *const names[] = { "host", "max", "base" };
	for (int i = 0; i < 3; i++) {
		vcpuid_cpu cpu;
		memset(&cpu, 0, sizeof(cpu));
		cpu.machine = vcpuid_machine_find(M72);
		vcpuid_error err = { 0 };
		assert_int_equal(ve_resolve_model(&cpu, names[i], &err), 0);
		assert_string_equal(cpu.name, names[i]);
		assert_null(cpu.model);
		assert_int_equal(cpu.version, 0);
		assert_int_equal(cpu.is_host, i == 0);
		assert_int_equal(cpu.is_max, i == 1);
		assert_int_equal(cpu.is_base, i == 2);
	}
}

static void resolve_unknown(void **state)
{
	(void)state;
	vcpuid_cpu cpu;
	memset(&cpu, 0, sizeof(cpu));
	cpu.machine = vcpuid_machine_find(M72);
	vcpuid_error err = { 0 };
	/* names are case-sensitive, as QEMU's */
	assert_int_equal(ve_resolve_model(&cpu, "skylake-client", &err),
			 VCPUID_E_UNKNOWN);
	assert_int_equal(ve_resolve_model(&cpu, "Skylake-Client-v99", &err),
			 VCPUID_E_UNKNOWN);
	/* QEMU 7.2 has no GraniteRapids */
	assert_int_equal(ve_resolve_model(&cpu, "GraniteRapids", &err),
			 VCPUID_E_UNKNOWN);
	assert_null(cpu.model);
}

/* x86_cpu_properties' defaults and the model's data, no accelerator. */
static void model_defaults(void **state)
{
	(void)state;
	vcpuid_cpu cpu;
	expand(NULL, "Skylake-Client", M72, &cpu);
	assert_string_equal(cpu.name, "Skylake-Client-v1");
	assert_string_equal(cpu.vendor, "GenuineIntel");
	assert_int_equal(cpu.family, 6);
	assert_int_equal(cpu.model_num, 94);
	assert_int_equal(cpu.stepping, 3);
	assert_string_equal(cpu.model_id, "Intel Core Processor (Skylake)");
	assert_int_equal(cpu.min_level, 0xd);
	assert_int_equal(cpu.min_xlevel, 0x80000008);
	assert_true(cpu.check);
	assert_false(cpu.enforce);
	assert_true(cpu.kvm);
	assert_true(cpu.l3_cache);
	assert_true(cpu.full_cpuid_auto_level);
	assert_true(cpu.vendor_cpuid_only);
	assert_false(cpu.pmu);
	/* every named model has CPUID.1:ECX.hypervisor[bit 31] */
	assert_true(on(cpu.requested, "hypervisor"));
	vcpuid_cpu_free(&cpu);

	expand(NULL, "EPYC", M72, &cpu);
	assert_string_equal(cpu.vendor, "AuthenticAMD");
	assert_int_equal(cpu.family, 23);
	assert_int_equal(cpu.model_num, 1);
	assert_int_equal(cpu.stepping, 2);
	vcpuid_cpu_free(&cpu);
}

/* The version's properties stack on version 1's. */
static void version_props(void **state)
{
	(void)state;
	vcpuid_cpu cpu;
	expand(NULL, "Skylake-Client", M72, &cpu);
	assert_true(on(cpu.requested, "hle"));
	assert_true(on(cpu.requested, "rtm"));
	assert_false(on(cpu.requested, "spec-ctrl"));
	vcpuid_cpu_free(&cpu);
	expand(NULL, "Skylake-Client-IBRS", M72, &cpu);
	assert_string_equal(cpu.name, "Skylake-Client-v2");
	assert_string_equal(cpu.model_id, "Intel Core Processor (Skylake, IBRS)");
	assert_true(on(cpu.requested, "spec-ctrl"));
	assert_true(on(cpu.requested, "hle"));
	vcpuid_cpu_free(&cpu);
	expand(NULL, "Skylake-Client-v3", M72, &cpu);
	assert_true(on(cpu.requested, "spec-ctrl"));
	assert_false(on(cpu.requested, "hle"));
	assert_false(on(cpu.requested, "rtm"));
	vcpuid_cpu_free(&cpu);
}

/* max without an accelerator: max_x86_cpu_initfn's TCG identity. */
static void max_tcg(void **state)
{
	(void)state;
	vcpuid_cpu cpu;
	expand(NULL, "max", M72, &cpu);
	assert_true(cpu.is_max);
	assert_string_equal(cpu.vendor, "AuthenticAMD");
	assert_int_equal(cpu.family, 15);
	assert_int_equal(cpu.model_num, 107);
	assert_int_equal(cpu.stepping, 1);
	assert_string_equal(cpu.model_id, "QEMU TCG CPU version 2.5+");
	assert_true(cpu.pmu);
	assert_true(cpu.migratable);
	vcpuid_cpu_free(&cpu);
	/* host needs KVM */
	vcpuid_error err = { 0 };
	assert_int_equal(ve_expand(NULL, "host", M72, NULL, &cpu, &err),
			 VCPUID_E_NOKVM);
	assert_string_equal(err.msg, "CPU model 'host' requires KVM");
}

/* With KVM: the host's vendor for named models, the host's identity for
 * max (host_cpu_instance_init, kvm_cpu_max_instance_init). Ice Lake
 * server: CPUID.1.EAX 0x606a6 = family 6 model 0x6a stepping 6; Milan:
 * 0xa00f11 = family 0xf + 0xa = 25, model 1, stepping 1. */
static void kvm_identity(void **state)
{
	(void)state;
	vcpuid_host icx, milan;
	load("bundled:fc-intel-icelake-6.1", &icx);
	load("bundled:fc-amd-milan-6.1", &milan);
	vcpuid_cpu cpu;
	expand(&milan, "Skylake-Client", M72, &cpu);
	assert_string_equal(cpu.vendor, "AuthenticAMD");
	assert_int_equal(cpu.family, 6);	/* the model's, not the host's */
	assert_int_equal(cpu.model_num, 94);
	vcpuid_cpu_free(&cpu);
	expand(&icx, "EPYC", M72, &cpu);
	assert_string_equal(cpu.vendor, "GenuineIntel");
	assert_int_equal(cpu.family, 23);
	vcpuid_cpu_free(&cpu);
	expand(&icx, "max", M72, &cpu);
	assert_string_equal(cpu.vendor, "GenuineIntel");
	assert_int_equal(cpu.family, 6);
	assert_int_equal(cpu.model_num, 0x6a);
	assert_int_equal(cpu.stepping, 6);
	assert_true(cpu.host_phys_bits);
	vcpuid_cpu_free(&cpu);
	expand(&milan, "host", M72, &cpu);
	assert_true(cpu.is_host);
	assert_string_equal(cpu.vendor, "AuthenticAMD");
	assert_int_equal(cpu.family, 25);
	assert_int_equal(cpu.model_num, 1);
	assert_int_equal(cpu.stepping, 1);
	vcpuid_cpu_free(&cpu);
	vcpuid_host_free(&icx);
	vcpuid_host_free(&milan);
}

/* kvm_default_props on named models (acpi, monitor, svm off; x2apic on),
 * then the user's options over them. core2duo has ACPI and MONITOR,
 * phenom has SVM. */
static void kvm_defaults(void **state)
{
	(void)state;
	vcpuid_host icx, milan;
	load("bundled:fc-intel-icelake-6.1", &icx);
	load("bundled:fc-amd-milan-6.1", &milan);
	vcpuid_cpu cpu;
	/* no accelerator: kvm_default_props are not applied */
	expand(NULL, "core2duo", M72, &cpu);
	assert_true(on(cpu.requested, "acpi"));
	assert_true(on(cpu.requested, "monitor"));
	assert_false(on(cpu.requested, "x2apic"));
	vcpuid_cpu_free(&cpu);
	expand(&icx, "core2duo", M72, &cpu);
	assert_false(on(cpu.requested, "acpi"));
	assert_false(on(cpu.requested, "monitor"));
	assert_true(on(cpu.requested, "x2apic"));
	assert_true(on(cpu.requested, "kvmclock"));
	assert_true(on(cpu.requested, "kvm-pv-eoi"));
	vcpuid_cpu_free(&cpu);
	expand(&milan, "phenom", M72, &cpu);
	assert_false(on(cpu.requested, "svm"));
	vcpuid_cpu_free(&cpu);
	expand(&milan, "phenom,+svm", M72, &cpu);
	assert_true(on(cpu.requested, "svm"));
	assert_true(on(cpu.user_on, "svm"));
	vcpuid_cpu_free(&cpu);
	/* user options: recorded as asked, applied last */
	expand(&icx, "Skylake-Client,-hle,+pcid,x2apic=off", M72, &cpu);
	assert_false(on(cpu.requested, "hle"));
	assert_true(on(cpu.user_off, "hle"));
	assert_false(on(cpu.user_on, "hle"));
	assert_true(on(cpu.requested, "pcid"));
	assert_true(on(cpu.user_on, "pcid"));
	assert_false(on(cpu.requested, "x2apic"));
	/* what the model itself has is not the user's */
	assert_false(on(cpu.user_on, "rtm"));
	vcpuid_cpu_free(&cpu);
	vcpuid_host_free(&icx);
	vcpuid_host_free(&milan);
}

/* The machine's compat properties (data/pc_compat.def), then the user's.
 * cpu.compat_knobs bit i is the i-th COMPAT_KNOB of data/expand.def:
 * 0 x-arch-cap-always-on (default off), 1 x-pdcm-on-even-without-pmu (off),
 * 2 x-consistent-cache (on), 3 x-vendor-cpuid-only-v2 (on),
 * 4 x-amd-topoext-features-only (on), 5 x-l1-cache-per-thread (on),
 * 6 legacy-multi-node (off), 7 x-force-cpuid-0x1f (off), 8 guest-phys-bits
 * (on). QEMU 11.1 running type T applies pc_compat_X_Y for T <= X.Y < 11.1:
 * 10.1 none, 9.1 pc_compat_10_0 (bits 0, 1 on; 2, 3 off), 9.0 also
 * pc_compat_9_0 (4, 5, 8 off; 6 on). */
static void compat_props(void **state)
{
	(void)state;
	vcpuid_cpu cpu;
	expand(NULL, "Skylake-Client", "pc-i440fx-10.1@11.1", &cpu);
	assert_int_equal(cpu.compat_knobs, 0x13c);
	vcpuid_cpu_free(&cpu);
	expand(NULL, "Skylake-Client", "pc-i440fx-9.1@11.1", &cpu);
	assert_int_equal(cpu.compat_knobs, 0x133);
	vcpuid_cpu_free(&cpu);
	expand(NULL, "Skylake-Client", "pc-i440fx-9.0@11.1", &cpu);
	assert_int_equal(cpu.compat_knobs, 0x043);
	vcpuid_cpu_free(&cpu);
}

/* -cpu options come after the machine's compat properties; the knobs are
 * qdev properties of QEMU 11.1's x86 CPU, which -cpu can set
 * (x-l1-cache-per-thread since 9.1, guest-phys-bits likewise). vcpuid's
 * -cpu reader does not know them (data/cpu_props.def lists none): printed
 * and skipped as a known difference. */
static void compat_user_override(void **state)
{
	(void)state;
	vcpuid_cpu cpu;
	vcpuid_error err = { 0 };
	int rc = ve_expand(NULL, "Skylake-Client,x-l1-cache-per-thread=on",
			   "pc-i440fx-9.0@11.1", NULL, &cpu, &err);
	if (rc == VCPUID_E_UNKNOWN) {
		print_message("known difference: %s\n", err.msg);
		skip();
	}
	assert_int_equal(rc, 0);
	assert_int_equal(cpu.compat_knobs, 0x063);
	vcpuid_cpu_free(&cpu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resolve_versions),
		cmocka_unit_test(resolve_special),
		cmocka_unit_test(resolve_unknown),
		cmocka_unit_test(model_defaults),
		cmocka_unit_test(version_props),
		cmocka_unit_test(max_tcg),
		cmocka_unit_test(kvm_identity),
		cmocka_unit_test(kvm_defaults),
		cmocka_unit_test(compat_props),
		cmocka_unit_test(compat_user_override),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
