/* SPDX-License-Identifier: MIT */
/* Expansion and filtering on a synthetic host whose facts the tests set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

#define M72 "pc-i440fx-7.2"

static const vcpuid_feature *feat(const char *name)
{
	const vcpuid_feature *f = vcpuid_feature_lookup(name, NULL);
	if (!f)
		fail_msg("catalog lacks %s", name);
	return f;
}

static bool on(const vcpuid_words w, const char *name)
{
	const vcpuid_feature *f = feat(name);
	return w[f->word] >> f->bit & 1;
}

static void set(vcpuid_table *t, const char *name, bool v)
{
	const vcpuid_feature *f = feat(name);
	const vcpuid_word_info *wi = vcpuid_word(f->word);
	vcpuid_cpuid_entry *e = vcpuid_table_find_mut(t, wi->leaf, wi->subleaf);
	if (!e)
		e = vcpuid_table_add(t, wi->leaf, wi->subleaf, 0, 0, 0, 0, 0);
	if (v)
		e->reg[wi->reg] |= 1u << f->bit;
	else
		e->reg[wi->reg] &= ~(1u << f->bit);
}

/* An Intel host (family 6 model 0x55) whose KVM has everything in
 * 1.EDX/1.ECX except pni, avx512f in leaf 7, 46 physical address bits. */
static void make_host(vcpuid_host *h, const char *vendor)
{
	vcpuid_host_init(h);
	uint32_t v[3];
	memcpy(v, vendor, 12);
	vcpuid_table *t = &h->supported;
	vcpuid_table_add(t, 0, 0, 0, 0xd, v[0], v[2], v[1]);
	vcpuid_table_add(t, 1, 0, 0, 0x50654, 0, 0xfffffffeu & ~(1u << 31),
			 0x1f8bfbffu);
	vcpuid_table_add(t, 7, 0, 1, 0, 1u << 16, 0, 0);
	vcpuid_table_add(t, 0xd, 0, 1, 0x7 | 0xe0, 0, 0, 0);
	vcpuid_table_add(t, 0x40000001, 0, 0, 0x01007ffb, 0, 0, 0);
	vcpuid_table_add(t, 0x80000000, 0, 0, 0x80000008, 0, 0, 0);
	vcpuid_table_add(t, 0x80000001, 0, 0, 0, 0, 0x121, 0x2c100800);
	vcpuid_table_add(t, 0x80000007, 0, 0, 0, 0, 0, 1u << 8);
	vcpuid_table_add(t, 0x80000008, 0, 0, 0x302e, 0, 0, 0);
	vcpuid_table_add(t, 0x80000002, 0, 0, 0x74736554, 0x55504320, 0, 0);
	vcpuid_table_add(t, 0x80000003, 0, 0, 0, 0, 0, 0);
	vcpuid_table_add(t, 0x80000004, 0, 0, 0, 0, 0, 0);
	vcpuid_table_copy(&h->raw, t);
	h->has_raw = true;
	h->has_kvm = true;
	vcpuid_msr_list_add(&h->feature_msrs, 0x8B, 0x100000000ull);
	vcpuid_msr_list_add(&h->feature_msrs, 0x10A, 0x1); /* rdctl-no */
}

static int expand(const vcpuid_host *h, const char *spec,
		  const vcpuid_topology *topo, vcpuid_cpu *cpu)
{
	vcpuid_error err = { 0 };
	int rc = vcpuid_cpu_expand(h, spec, M72, topo, cpu, &err);
	if (rc && rc != VCPUID_E_ENFORCE)
		fail_msg("%s: %s", spec, err.msg);
	return rc;
}

static bool has_warning(const vcpuid_cpu *cpu, const char *text)
{
	for (size_t i = 0; i < cpu->nwarnings; i++)
		if (strstr(cpu->warnings[i], text))
			return true;
	return false;
}

static void named_model_under_kvm(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	make_host(&h, "GenuineIntel");
	expand(&h, "qemu64", NULL, &c);
	assert_string_equal(c.vendor, "GenuineIntel"); /* the host's */
	assert_string_equal(c.name, "qemu64-v1");
	assert_true(on(c.features, "hypervisor"));
	assert_true(on(c.features, "kvmclock")); /* kvm_default_props */
	assert_true(on(c.features, "x2apic"));
	assert_false(on(c.features, "svm"));
	assert_false(on(c.features, "pni")); /* filtered */
	assert_int_equal(c.nfiltered, 1);
	assert_string_equal(c.filtered_list[0].name, "pni");
	assert_int_equal(c.nwarnings, 1);
	assert_string_equal(c.warnings[0], "host doesn't support requested "
			    "feature: CPUID.01H:ECX.pni [bit 0]");
	assert_int_equal(c.phys_bits, 40);
	assert_int_equal(c.ucode_rev, 0x100000000ull);
	vcpuid_cpu_free(&c);
	expand(&h, "qemu64,kvm=off,check=off", NULL, &c);
	assert_int_equal(c.features[VCPUID_W_KVM], 0);
	assert_int_equal(c.nwarnings, 0); /* check=off: silent */
	assert_int_equal(c.nfiltered, 1); /* but still filtered */
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static void precedence_and_enforce(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	make_host(&h, "GenuineIntel");
	expand(&h, "qemu64,-lm,lm=on,+ssse3,ssse3=off", NULL, &c);
	assert_false(on(c.features, "lm"));
	assert_true(on(c.features, "ssse3"));
	assert_true(has_warning(&c, "Ambiguous CPU model string"));
	vcpuid_cpu_free(&c);
	int rc = vcpuid_cpu_expand(&h, "qemu64,enforce", M72, NULL, &c, &err);
	assert_int_equal(rc, VCPUID_E_ENFORCE);
	assert_int_equal(err.code, VCPUID_E_ENFORCE);
	assert_int_equal(c.nwarnings, 1);
	vcpuid_cpu_free(&c);
	rc = vcpuid_cpu_expand(&h, "qemu64,-pni,enforce", M72, NULL, &c, &err);
	assert_int_equal(rc, 0);
	vcpuid_cpu_free(&c);
	rc = vcpuid_cpu_expand(&h, "Qemu64", M72, NULL, &c, &err);
	assert_int_equal(rc, VCPUID_E_UNKNOWN);
	vcpuid_cpu_free(&c);
	rc = vcpuid_cpu_expand(&h, "qemu64", "pc-i440fx-0.1", NULL, &c, &err);
	assert_int_equal(rc, VCPUID_E_UNKNOWN);
	vcpuid_cpu_free(&c);
	rc = vcpuid_cpu_expand(NULL, "host", M72, NULL, &c, &err);
	assert_int_equal(rc, VCPUID_E_NOKVM);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static void dependencies(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	make_host(&h, "GenuineIntel");
	/* rdctl-no lives in MSR 0x10A, which needs arch-capabilities */
	expand(&h, "qemu64,-pni,+rdctl-no", NULL, &c);
	assert_false(on(c.features, "rdctl-no"));
	assert_int_equal(c.nfiltered, 1);
	assert_int_equal(c.filtered_list[0].word, VCPUID_W_ARCH_CAP);
	assert_true(has_warning(&c, "This feature depends on other features "
			       "that were not requested: MSR(10AH).rdctl-no "
			       "[bit 0]"));
	vcpuid_cpu_free(&c);
	/* with arch-capabilities the MSR bit survives, the CPUID bit is
	 * filtered (the host has no 7.0.EDX[29]) */
	expand(&h, "qemu64,-pni,+arch-capabilities,+rdctl-no", NULL, &c);
	assert_true(on(c.features, "rdctl-no"));
	assert_false(on(c.features, "arch-capabilities"));
	assert_int_equal(c.nfiltered, 1);
	vcpuid_cpu_free(&c);
	/* xsave off: no XSAVE components at all */
	expand(&h, "qemu64,-pni,-xsave,+avx", NULL, &c);
	assert_int_equal(c.requested[VCPUID_W_XSAVE_XCR0_LO], 0);
	vcpuid_cpu_free(&c);
	expand(&h, "qemu64,-pni,+xsave,+avx,+avx512f", NULL, &c);
	assert_int_equal(c.requested[VCPUID_W_XSAVE_XCR0_LO], 0xe7);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static void levels(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	make_host(&h, "GenuineIntel");
	expand(&h, "qemu64,-pni,level=5,+avx512f", NULL, &c);
	assert_int_equal(c.level, 5); /* user set: not raised */
	vcpuid_cpu_free(&c);
	expand(&h, "qemu64,-pni,+intel-pt", NULL, &c);
	assert_int_equal(c.level, 0x14); /* raised for leaf 0x14 */
	vcpuid_cpu_free(&c);
	expand(&h, "qemu64,-pni,min-level=0x1f,min-xlevel=0x80000020", NULL, &c);
	assert_int_equal(c.level, 0x1f);
	assert_int_equal(c.xlevel, 0x80000020);
	vcpuid_cpu_free(&c);
	expand(&h, "qemu64,-pni,min-level=1,full-cpuid-auto-level=off", NULL, &c);
	assert_int_equal(c.level, 1);
	vcpuid_cpu_free(&c);
	vcpuid_topology t = { 8, 1, 2, 1, 2, 2 };
	expand(&h, "qemu64,-pni", &t, &c); /* dies > 1 on Intel: leaf 0x1F */
	assert_int_equal(c.level, 0x1f);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static void host_and_max(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	make_host(&h, "GenuineIntel");
	expand(&h, "host", NULL, &c);
	assert_true(c.is_host);
	assert_int_equal(c.family, 6);
	assert_int_equal(c.model_num, 0x55);
	assert_int_equal(c.stepping, 4);
	assert_string_equal(c.model_id, "Test CPU");
	assert_int_equal(c.phys_bits, 46); /* host-phys-bits */
	assert_true(on(c.features, "avx512f"));
	assert_true(on(c.features, "ht")); /* 7.2 auto-enables ht */
	assert_false(on(c.features, "invtsc")); /* unmigratable */
	assert_false(on(c.features, "kvm-hint-dedicated")); /* no autoenable */
	assert_int_equal(c.nfiltered, 0);
	assert_int_equal(c.level, 0xd); /* KVM's leaf 0 */
	vcpuid_cpu_free(&c);
	expand(&h, "max,migratable=off,-avx512f", NULL, &c);
	assert_true(on(c.features, "invtsc"));
	assert_false(on(c.features, "avx512f")); /* user-set wins */
	assert_int_equal(c.features[VCPUID_W_XSAVE_XCR0_LO], 0x7);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static void amd_threads_and_order(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	make_host(&h, "AuthenticAMD");
	vcpuid_topology t = { 4, 1, 1, 1, 2, 2 };
	expand(&h, "qemu64,+ssse3", &t, &c);
	assert_string_equal(c.vendor, "AuthenticAMD");
	/* 7.2 sets ht/cmp-legacy in the table, not in the feature words */
	assert_false(on(c.features, "ht"));
	assert_true(has_warning(&c, "This family of AMD CPU doesn't support "
			       "hyperthreading(2)"));
	assert_int_equal(c.ucode_rev, 0x01000065);
	/* AMD aliases: 0x80000001.EDX repeats leaf 1's bits */
	assert_true(on(c.features, "fpu"));
	assert_true(c.features[VCPUID_W_8000_0001_EDX] & 1);
	vcpuid_cpu_free(&c);
	/* filtered list in QEMU's word order, then bit order */
	vcpuid_table_find_mut(&h.supported, 1, 0)->reg[VCPUID_ECX] &= ~(1u << 9);
	vcpuid_table_find_mut(&h.supported, 0x80000001, 0)->reg[VCPUID_EDX] &=
		~(1u << 29);
	expand(&h, "qemu64,+ssse3,+avx512f", NULL, &c);
	assert_int_equal(c.nfiltered, 3);
	assert_string_equal(c.filtered_list[0].name, "pni");
	assert_string_equal(c.filtered_list[1].name, "ssse3");
	assert_string_equal(c.filtered_list[2].name, "lm");
	assert_true(on(c.features, "avx512f")); /* 7.0.EBX has it */
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
	(void)set;
}

/* The properties QEMU 7.2 accepts and the refusals it makes at realize. */
static void properties_and_refusals(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	make_host(&h, "GenuineIntel");
	expand(&h, "qemu64,-pni", NULL, &c);
	assert_false(c.cpuid_0xb_off);
	assert_false(c.vmware_cpuid_freq_off);
	assert_false(c.kvm_pv_enforce_cpuid);
	vcpuid_cpu_free(&c);
	expand(&h, "qemu64,-pni,cpuid-0xb=off,vmware-cpuid-freq=off,"
		   "kvm-pv-enforce-cpuid=on", NULL, &c);
	assert_true(c.cpuid_0xb_off);
	assert_true(c.vmware_cpuid_freq_off);
	assert_true(c.kvm_pv_enforce_cpuid);
	vcpuid_cpu_free(&c);
	expand(&h, "qemu64,-pni,cpuid-0xb=on,vmware-cpuid-freq=on", NULL, &c);
	assert_false(c.cpuid_0xb_off);
	assert_false(c.vmware_cpuid_freq_off);
	vcpuid_cpu_free(&c);
	int rc = vcpuid_cpu_expand(&h, "qemu64,cpuid-0xb=maybe", M72, NULL,
				   &c, &err);
	assert_int_equal(rc, VCPUID_E_PARSE);
	vcpuid_cpu_free(&c);
	/* legacy-cache=off needs the model's own cache table */
	const char *refused[] = { "qemu64,legacy-cache=off",
				  "max,legacy-cache=off",
				  "Skylake-Client-v2,legacy-cache=off" };
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		rc = vcpuid_cpu_expand(&h, refused[i], M72, NULL, &c, &err);
		assert_int_equal(rc, VCPUID_E_PARSE);
		assert_non_null(strstr(err.msg, "doesn't support legacy-cache=off"));
		vcpuid_cpu_free(&c);
	}
	assert_non_null(strstr(err.msg, "'Skylake-Client-v2'"));
	expand(&h, "EPYC,legacy-cache=off", NULL, &c);
	assert_non_null(c.cache);
	vcpuid_cpu_free(&c);
	expand(&h, "EPYC", NULL, &c); /* a model with caches: off by default */
	assert_non_null(c.cache);
	vcpuid_cpu_free(&c);
	expand(&h, "EPYC,legacy-cache=on", NULL, &c);
	assert_null(c.cache);
	vcpuid_cpu_free(&c);
	/* kvm-pv-enforce-cpuid needs KVM_CAP_ENFORCE_PV_FEATURE_CPUID */
	vcpuid_kvm_cap caps[] = { { .name = "KVM_CAP_ENFORCE_PV_FEATURE_CPUID",
				    .id = 190, .value = 0 } };
	h.caps = caps;
	h.n_caps = 1;
	rc = vcpuid_cpu_expand(&h, "qemu64,kvm-pv-enforce-cpuid=on", M72, NULL,
			       &c, &err);
	assert_int_equal(rc, VCPUID_E_KVM);
	vcpuid_cpu_free(&c);
	caps[0].value = 1;
	expand(&h, "qemu64,-pni,kvm-pv-enforce-cpuid=on", NULL, &c);
	vcpuid_cpu_free(&c);
	/* tsc-frequency: within 250 ppm of KVM's rate, or TSC scaling */
	h.tsc_khz = 2000000;
	caps[0] = (vcpuid_kvm_cap){ .name = "KVM_CAP_TSC_CONTROL", .id = 60,
				    .value = 0 };
	rc = vcpuid_cpu_expand(&h, "qemu64,tsc-frequency=2000600000", M72,
			       NULL, &c, &err);
	assert_int_equal(rc, VCPUID_E_KVM);
	assert_non_null(strstr(err.msg, "TSC frequency mismatch"));
	vcpuid_cpu_free(&c);
	expand(&h, "qemu64,-pni,tsc-frequency=2000400000", NULL, &c);
	assert_int_equal(c.tsc_khz, 2000400);
	vcpuid_cpu_free(&c);
	caps[0].value = 1;
	expand(&h, "qemu64,-pni,tsc-frequency=1500000000", NULL, &c);
	vcpuid_cpu_free(&c);
	h.caps = NULL;
	h.n_caps = 0;
	vcpuid_host_free(&h);
}

/* 7.2's dependency list is shorter than master's: sgxlc does not need sgx
 * there, so a requested sgxlc raises the level before filtering drops it. */
static void dependencies_of_72(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	make_host(&h, "GenuineIntel");
	expand(&h, "486,+sgxlc", NULL, &c);
	assert_int_equal(c.level, 7);
	assert_int_equal(c.nfiltered, 1);
	assert_string_equal(c.filtered_list[0].name, "sgxlc");
	assert_false(has_warning(&c, "This feature depends on other features "
				"that were not requested: CPUID.07H:ECX.sgxlc "
				"[bit 30]"));
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static bool arch_cap_on(const vcpuid_host *h, const char *spec,
			const char *machine)
{
	vcpuid_error err = { 0 };
	vcpuid_cpu c;
	int rc = vcpuid_cpu_expand(h, spec, machine, NULL, &c, &err);
	if (rc)
		fail_msg("%s on %s: %s", spec, machine, err.msg);
	bool r = on(c.features, "arch-capabilities");
	vcpuid_cpu_free(&c);
	return r;
}

/* ARCH_CAPABILITIES and AMD guests: from QEMU 10.1 only the max/host
 * expansion withholds it (x86_cpu_get_supported_feature_word with a CPU);
 * named models and +arch-capabilities keep it (the filter passes none);
 * QEMU 7.2 .. 10.0 keep it everywhere. */
static void arch_capabilities_and_amd(void **state)
{
	(void)state;
	vcpuid_host h;
	make_host(&h, "AuthenticAMD");
	set(&h.supported, "arch-capabilities", true);
	assert_false(arch_cap_on(&h, "host", "pc-i440fx-11.1"));
	assert_false(arch_cap_on(&h, "max", "pc-q35-10.1"));
	assert_true(arch_cap_on(&h, "host,+arch-capabilities", "pc-i440fx-11.1"));
	assert_true(arch_cap_on(&h, "Denverton", "pc-i440fx-11.1"));
	assert_true(arch_cap_on(&h, "Denverton,vendor=AuthenticAMD",
				"pc-i440fx-11.1"));
	assert_true(arch_cap_on(&h, "host", "pc-i440fx-10.0"));
	assert_true(arch_cap_on(&h, "max", "pc-i440fx-8.0"));
	assert_true(arch_cap_on(&h, "host", M72));
	/* a newer QEMU running an older machine type: pc_compat_10_0 sets
	 * x-arch-cap-always-on (data/pc_compat.def), which MAX_UNAVAILABLE
	 * reads; QEMU 11.1's recordings on an AMD EPYC host agree */
	assert_true(arch_cap_on(&h, "host", "pc-i440fx-10.0@11.1"));
	assert_true(arch_cap_on(&h, "max", "pc-q35-8.0@11.1"));
	assert_true(arch_cap_on(&h, "max", "pc-i440fx-7.2@10.1"));
	assert_false(arch_cap_on(&h, "host", "pc-i440fx-10.1@11.1"));
	assert_false(arch_cap_on(&h, "max", "pc-q35-11.0@11.1"));
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	if (vcpuid_cpu_expand(&h, "max", "pc-i440fx-11.1", NULL, &c, &err))
		fail_msg("%s", err.msg);
	assert_true(on(c.max_withheld, "arch-capabilities")); /* for explain */
	assert_true(on(c.supported, "arch-capabilities")); /* the filter's view */
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
	make_host(&h, "GenuineIntel");
	set(&h.supported, "arch-capabilities", true);
	assert_true(arch_cap_on(&h, "max", "pc-i440fx-11.1"));
	assert_false(arch_cap_on(&h, "max,vendor=AuthenticAMD", "pc-i440fx-11.1"));
	vcpuid_host_free(&h);
}

/* overflow-recov and succor: from 10.1 max/host turn them on only for an
 * AMD vendor (data/expand.def MAX_AMD_ONLY); withheld like
 * arch-capabilities, so in max_withheld for explain and baseline; a
 * named model or +overflow-recov keeps them. */
static void ras_bits_amd_only(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	make_host(&h, "GenuineIntel");
	set(&h.supported, "overflow-recov", true);
	set(&h.supported, "succor", true);
	if (vcpuid_cpu_expand(&h, "max", "pc-i440fx-11.1", NULL, &c, &err))
		fail_msg("%s", err.msg);
	assert_false(on(c.features, "overflow-recov"));
	assert_false(on(c.features, "succor"));
	assert_true(on(c.max_withheld, "overflow-recov"));
	assert_true(on(c.max_withheld, "succor"));
	vcpuid_cpu_free(&c);
	if (vcpuid_cpu_expand(&h, "max,vendor=AuthenticAMD", "pc-i440fx-11.1",
			      NULL, &c, &err))
		fail_msg("%s", err.msg);
	assert_true(on(c.features, "overflow-recov"));
	assert_false(on(c.max_withheld, "overflow-recov"));
	vcpuid_cpu_free(&c);
	if (vcpuid_cpu_expand(&h, "max,+succor", "pc-i440fx-11.1", NULL, &c,
			      &err))
		fail_msg("%s", err.msg);
	assert_true(on(c.features, "succor"));
	assert_false(on(c.features, "overflow-recov"));
	vcpuid_cpu_free(&c);
	if (vcpuid_cpu_expand(&h, "max", "pc-i440fx-10.0", NULL, &c, &err))
		fail_msg("%s", err.msg);
	assert_true(on(c.features, "overflow-recov"));
	assert_false(on(c.max_withheld, "overflow-recov"));
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

/* apxf (QEMU 11.0) raises min-level to 0x29 before filtering; with mpx
 * both are dropped first ("this feature conflicts with APX/MPX"). */
static void apx_level_and_mpx_conflict(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	make_host(&h, "GenuineIntel");
	if (vcpuid_cpu_expand(&h, "qemu64,-pni,+apxf", "pc-i440fx-11.1", NULL,
			      &c, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(c.level, 0x29);
	assert_false(on(c.features, "apxf")); /* the host lacks it */
	vcpuid_cpu_free(&c);
	if (vcpuid_cpu_expand(&h, "qemu64,-pni,+apxf,+mpx", "pc-i440fx-11.1",
			      NULL, &c, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(c.level, 0xd);
	assert_true(has_warning(&c, "this feature conflicts with APX: "
				"CPUID[eax=07h,ecx=00h].EBX.mpx [bit 14]"));
	assert_true(has_warning(&c, "this feature conflicts with MPX: "
				"CPUID[eax=07h,ecx=01h].EDX.apxf [bit 21]"));
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

/* QEMU 11.0 on clears arch-lbr without pmu=on, even when asked for,
 * whatever the machine type (no compat property), and says nothing; seen
 * with QEMU 11.1: Skylake-Server-v3,+arch-lbr on pc-q35-8.1. */
static void arch_lbr_needs_pmu(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	make_host(&h, "GenuineIntel");
	set(&h.supported, "arch-lbr", true);
	const struct { const char *spec, *machine; bool on; } want[] = {
		{ "qemu64,+arch-lbr", "pc-q35-8.1@11.1", false },
		{ "qemu64,+arch-lbr", "pc-i440fx-11.1", false },
		{ "qemu64,+arch-lbr,pmu=on", "pc-q35-8.1@11.1", true },
		{ "qemu64,+arch-lbr", "pc-q35-10.2", true },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (vcpuid_cpu_expand(&h, want[i].spec, want[i].machine, NULL,
				      &c, &err))
			fail_msg("%s: %s", want[i].spec, err.msg);
		if (on(c.features, "arch-lbr") != want[i].on)
			fail_msg("%s on %s: arch-lbr %d", want[i].spec,
				 want[i].machine, !want[i].on);
		assert_false(has_warning(&c, "arch-lbr"));
		vcpuid_cpu_free(&c);
	}
	vcpuid_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(named_model_under_kvm),
		cmocka_unit_test(precedence_and_enforce),
		cmocka_unit_test(dependencies),
		cmocka_unit_test(levels),
		cmocka_unit_test(host_and_max),
		cmocka_unit_test(amd_threads_and_order),
		cmocka_unit_test(properties_and_refusals),
		cmocka_unit_test(dependencies_of_72),
		cmocka_unit_test(arch_capabilities_and_amd),
		cmocka_unit_test(ras_bits_amd_only),
		cmocka_unit_test(apx_level_and_mpx_conflict),
		cmocka_unit_test(arch_lbr_needs_pmu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
