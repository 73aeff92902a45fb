/* SPDX-License-Identifier: MIT */
/* Unit tests of the feature MSRs written at vCPU creation
 * (src/lib/synth/msrs.c), as QEMU's kvm_init_msrs and
 * kvm_msr_entry_add_vmx compute them: which MSRs (KVM's MSR index list,
 * KVM_CAP_GET_MSR_FEATURES, nested VMX), their order (QEMU 7.2 and 10.1+),
 * and their values from the guest's feature words and a hand-built host's
 * feature MSRs (SDM vol. 3 appendix A for the VMX capability MSRs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "synth/synth.h"
#include "host/query.h"

#define BIT(n) (1ull << (n))

static uint32_t index_list[8];

/* A KVM host listing `n` MSRs of `msrs` in KVM_GET_MSR_INDEX_LIST. */
static void make_host(vcpuid_host *h, const uint32_t *msrs, size_t n)
{
	vcpuid_host_init(h);
	h->has_kvm = h->has_raw = true;
	assert_true(n <= sizeof(index_list) / sizeof(index_list[0]));
	memcpy(index_list, msrs, n * sizeof(*msrs));
	h->msr_index_list = index_list;
	h->n_msr_index_list = n;
}

static void host_done(vcpuid_host *h)
{
	h->msr_index_list = NULL;
	h->n_msr_index_list = 0;
	h->caps = NULL;
	h->n_caps = 0;
	vcpuid_host_free(h);
}

static void make_cpu(vcpuid_cpu *c, const char *vendor, const char *machine)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->vendor, vendor);
	c->machine = vcpuid_machine_find(machine);
	assert_non_null(c->machine);
	c->family = 6;
	c->model_num = 0x55;
	c->topo = (vcpuid_topology){ 1, 1, 1, 1, 1, 1 };
}

/* The MSRs for cpu on host, in order. */
static void msrs(const vcpuid_cpu *c, const vcpuid_host *h,
		 vcpuid_msr_list *out)
{
	vs_ctx ctx;
	hq_view v;
	hq_view_init(&v, h, HQ_ASK_BRAND | HQ_ASK_XSAVE, NULL);
	assert_int_equal(vs_ctx_init(&ctx, c, &v, NULL), 0);
	memset(out, 0, sizeof(*out));
	assert_int_equal(vs_feature_msrs(&ctx, out, NULL), 0);
}

static uint64_t value(const vcpuid_msr_list *l, uint32_t msr)
{
	uint64_t v = 0;
	if (!vcpuid_msr_list_get(l, msr, &v))
		fail_msg("MSR 0x%x not written", msr);
	return v;
}

static void order(const vcpuid_msr_list *l, const uint32_t *want, size_t n)
{
	assert_int_equal(l->n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(l->m[i].index, want[i]);
}

/* IA32_ARCH_CAPABILITIES and IA32_CORE_CAPABILITY are the guest's words
 * when KVM lists the MSR; IA32_UCODE_REV is ucode-rev or KVM's default
 * (Intel 0x100000000: revision 1 in EDX; AMD 0x01000065). */
static void capabilities_and_ucode(void **state)
{
	(void)state;
	static const uint32_t list[] = { 0x10a, 0xcf, 0x8b };
	vcpuid_host h;
	make_host(&h, list, 3);
	vcpuid_cpu c;
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2");
	/* rdctl-no ibrs-all skip-l1dfl-vmentry mds-no pschange-mc-no */
	c.features[VCPUID_W_ARCH_CAP] = 0x6b;
	c.features[VCPUID_W_CORE_CAP] = BIT(5); /* split-lock-detect */
	vcpuid_msr_list l;
	msrs(&c, &h, &l);
	static const uint32_t want[] = { 0x10a, 0xcf, 0x8b };
	order(&l, want, 3);
	assert_int_equal(value(&l, 0x10a), 0x6b);
	assert_int_equal(value(&l, 0xcf), 0x20);
	assert_true(value(&l, 0x8b) == 0x100000000ull);
	vcpuid_msr_list_free(&l);
	c.ucode_rev = 0x2b000590ull << 32;
	msrs(&c, &h, &l);
	assert_true(value(&l, 0x8b) == 0x2b000590ull << 32);
	vcpuid_msr_list_free(&l);
	make_cpu(&c, "AuthenticAMD", "pc-i440fx-7.2");
	msrs(&c, &h, &l);
	assert_int_equal(value(&l, 0x8b), 0x01000065);
	/* arch-capabilities off still writes the MSR, as zero */
	assert_int_equal(value(&l, 0x10a), 0);
	vcpuid_msr_list_free(&l);
	host_done(&h);
	/* a kernel without them in its index list: none */
	static const uint32_t only_ucode[] = { 0x8b };
	make_host(&h, only_ucode, 1);
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2");
	c.features[VCPUID_W_ARCH_CAP] = 0x6b;
	msrs(&c, &h, &l);
	order(&l, only_ucode, 1);
	vcpuid_msr_list_free(&l);
	/* no KVM, no MSRs */
	h.has_kvm = false;
	msrs(&c, &h, &l);
	assert_int_equal(l.n, 0);
	vcpuid_msr_list_free(&l);
	host_done(&h);
}

/* IA32_PERF_CAPABILITIES: only with pmu=on and a value from KVM, which
 * bounds the guest's word. */
static void perf_capabilities(void **state)
{
	(void)state;
	static const uint32_t list[] = { 0x345 };
	vcpuid_host h;
	make_host(&h, list, 1);
	vcpuid_cpu c;
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2");
	c.pmu = true;
	/* LBR format 5, PEBS trap/arch-regs/record format 4, full-width-write */
	c.features[VCPUID_W_PERF_CAP] = 0x32c5;
	vcpuid_msr_list l;
	msrs(&c, &h, &l); /* KVM reports no value */
	assert_int_equal(l.n, 0);
	vcpuid_msr_list_free(&l);
	assert_int_equal(vcpuid_msr_list_add(&h.feature_msrs, 0x345, 0x33c3), 0);
	msrs(&c, &h, &l);
	order(&l, list, 1);
	assert_int_equal(value(&l, 0x345), 0x33c3 & 0x32c5);
	vcpuid_msr_list_free(&l);
	c.pmu = false;
	msrs(&c, &h, &l);
	assert_int_equal(l.n, 0);
	vcpuid_msr_list_free(&l);
	host_done(&h);
}

/* A nested-VMX Intel host: KVM's IA32_VMX_BASIC (revision 4, 1 KiB
 * region, write-back, INS/OUTS info, true controls), MISC and
 * EPT_VPID_CAP. */
static void vmx_host(vcpuid_host *h, bool vmfunc)
{
	static const uint32_t list[] = { 0x10a, 0x8b, 0x491 };
	make_host(h, list, vmfunc ? 3 : 2);
	assert_int_equal(vcpuid_msr_list_add(&h->feature_msrs, 0x480,
					     0x00da040000000004ull), 0);
	assert_int_equal(vcpuid_msr_list_add(&h->feature_msrs, 0x485,
					     0x000000007004c1e7ull), 0);
	assert_int_equal(vcpuid_msr_list_add(&h->feature_msrs, 0x48c,
					     0x00000f0106f34141ull), 0);
}

static void vmx_cpu(vcpuid_cpu *c, const char *machine)
{
	make_cpu(c, "GenuineIntel", machine);
	c->features[VCPUID_W_1_ECX] = BIT(5); /* vmx */
	c->features[VCPUID_W_8000_0001_EDX] = BIT(29); /* lm */
	c->features[VCPUID_W_VMX_BASIC] = BIT(54) | BIT(55);
	c->features[VCPUID_W_VMX_MISC] = BIT(5) | BIT(6) | BIT(7) | BIT(29);
	c->features[VCPUID_W_VMX_PINBASED] = BIT(0) | BIT(3) | BIT(5) | BIT(6) |
					     BIT(7);
	c->features[VCPUID_W_VMX_PROCBASED] = BIT(31) | BIT(2) | BIT(15);
	c->features[VCPUID_W_VMX_SECONDARY] = BIT(1) | BIT(5); /* ept vpid */
	c->features[VCPUID_W_VMX_EPT_VPID] = 0x00330040;
	c->features[VCPUID_W_VMX_ENTRY] = BIT(9) | BIT(15);
	c->features[VCPUID_W_VMX_EXIT] = BIT(2) | BIT(15) | BIT(20);
	c->features[VCPUID_W_VMX_VMFUNC] = 1;
}

/* The VMX capability MSRs: for each control MSR, bits 31:0 say which
 * controls must be 1 (default1 & ~features), bits 63:32 which may be 1
 * (features | default1); BASIC, MISC and EPT_VPID keep the host's fixed
 * fields; CR0/CR4_FIXED0 are constants; VMCS_ENUM the highest index. */
static void vmx_values(void **state)
{
	(void)state;
	vcpuid_host h;
	vmx_host(&h, true);
	vcpuid_cpu c;
	vmx_cpu(&c, "pc-i440fx-7.2");
	vcpuid_msr_list l;
	msrs(&c, &h, &l);
	static const uint32_t want[] = {
		0x10a, 0x8b, 0x48e, 0x48d, 0x48f, 0x490, 0x48b, 0x48c,
		0x480, 0x485, 0x491, 0x486, 0x488, 0x48a,
	};
	order(&l, want, sizeof(want) / sizeof(want[0]));
	/* pin-based default1 0x16 */
	assert_true(value(&l, 0x48d) == 0x000000ff00000016ull);
	/* processor-based default1 0x0401e172: bit 15 (CR3-load exiting) is
	 * default1 and a feature, so it may be 0 */
	assert_true(value(&l, 0x48e) == 0x8401e17604016172ull);
	/* exit default1 0x36dff (bit 2 may be 0 here), plus
	 * host-address-space-size (bit 9) as an allowed 1 for a 64-bit guest */
	assert_true(value(&l, 0x48f) == 0x0013efff00036dfbull);
	/* entry default1 0x11ff */
	assert_true(value(&l, 0x490) == 0x000093ff000011ffull);
	/* secondary: no default1 */
	assert_true(value(&l, 0x48b) == (BIT(1) | BIT(5)) << 32);
	/* EPT_VPID: the guest's word plus the host's UC (8) and WB (14)
	 * memory types, since EPT is on */
	assert_true(value(&l, 0x48c) == 0x00334140ull);
	/* BASIC: host revision, region size (44:32), memory type (53:50) */
	assert_true(value(&l, 0x480) == 0x00d8040000000004ull);
	/* MISC: the host's preemption-timer rate (4:0) and CR3-target..
	 * fields 27:25, here 0 */
	assert_true(value(&l, 0x485) == 0x200000e7ull);
	assert_int_equal(value(&l, 0x491), 1);
	assert_true(value(&l, 0x486) == 0x80000021ull); /* PE NE PG */
	assert_true(value(&l, 0x488) == 0x2000ull);	   /* VMXE */
	assert_int_equal(value(&l, 0x48a), 0x2e); /* preemption timer 0x482E */
	vcpuid_msr_list_free(&l);

	/* no EPT: the host's memory types are not offered; a 32-bit guest
	 * has no host-address-space-size; TSC scaling raises VMCS_ENUM to
	 * the TSC multiplier (0x2032) */
	c.features[VCPUID_W_VMX_SECONDARY] = BIT(25);
	c.features[VCPUID_W_8000_0001_EDX] = 0;
	msrs(&c, &h, &l);
	assert_true(value(&l, 0x48c) == 0x00330040ull);
	assert_true(value(&l, 0x48f) == 0x0013edff00036dfbull);
	assert_int_equal(value(&l, 0x48a), 0x32);
	vcpuid_msr_list_free(&l);
	host_done(&h);
}

/* When the VMX MSRs are written at all, and where. */
static void vmx_presence_and_order(void **state)
{
	(void)state;
	vcpuid_host h;
	vmx_host(&h, false);
	vcpuid_cpu c;
	vmx_cpu(&c, "pc-i440fx-7.2");
	vcpuid_msr_list l;
	/* no VMFUNC in the index list: not written */
	msrs(&c, &h, &l);
	assert_false(vcpuid_msr_list_get(&l, 0x491, NULL));
	assert_int_equal(l.n, 13);
	vcpuid_msr_list_free(&l);
	/* QEMU 10.1 on: the VMX MSRs come before UCODE_REV, on every
	 * machine type that binary runs */
	static const uint32_t want_new[] = {
		0x10a, 0x48e, 0x48d, 0x48f, 0x490, 0x48b, 0x48c, 0x480, 0x485,
		0x486, 0x488, 0x48a, 0x8b,
	};
	vmx_cpu(&c, "pc-i440fx-11.1");
	msrs(&c, &h, &l);
	order(&l, want_new, sizeof(want_new) / sizeof(want_new[0]));
	vcpuid_msr_list_free(&l);
	vmx_cpu(&c, "pc-i440fx-7.2@11.1");
	msrs(&c, &h, &l);
	order(&l, want_new, sizeof(want_new) / sizeof(want_new[0]));
	vcpuid_msr_list_free(&l);
	vmx_cpu(&c, "pc-i440fx-10.0");
	msrs(&c, &h, &l);
	assert_int_equal(l.m[1].index, 0x8b);
	vcpuid_msr_list_free(&l);
	/* a guest without vmx: none of them */
	vmx_cpu(&c, "pc-i440fx-7.2");
	c.features[VCPUID_W_1_ECX] = 0;
	msrs(&c, &h, &l);
	static const uint32_t plain[] = { 0x10a, 0x8b };
	order(&l, plain, 2);
	vcpuid_msr_list_free(&l);
	/* KVM without KVM_CAP_GET_MSR_FEATURES: QEMU reads no feature MSRs */
	static vcpuid_kvm_cap caps[1] = {
		{ "KVM_CAP_TSC_CONTROL", HQ_KVM_CAP_TSC_CONTROL, 1 },
	};
	h.caps = caps;
	h.n_caps = 1;
	vmx_cpu(&c, "pc-i440fx-7.2");
	msrs(&c, &h, &l);
	order(&l, plain, 2);
	vcpuid_msr_list_free(&l);
	h.caps = NULL;
	h.n_caps = 0;
	host_done(&h);
	/* nested VMX off in the host's KVM (no IA32_VMX_BASIC): none */
	static const uint32_t list[] = { 0x10a, 0x8b };
	make_host(&h, list, 2);
	assert_int_equal(vcpuid_msr_list_add(&h.feature_msrs, 0x485, 0x7), 0);
	msrs(&c, &h, &l);
	order(&l, plain, 2);
	vcpuid_msr_list_free(&l);
	host_done(&h);
}

/* IA32_VMX_VMCS_ENUM for fred and the secondary VM-exit controls, per QEMU
 * release: from 9.2 (commit ab891454ebe8, rule VMCS_ENUM_FRED_EXIT2)
 * kvm_msr_entry_add_vmx writes 0x52 with fred (FRED injected-event data,
 * 0x2052), else 0x44 with vmx-exit-secondary-ctls (0x2044), before the
 * TSC multiplier (0x32) and the preemption timer (0x2E); a binary rule, so
 * an older machine type run by 9.2 or later has it too, and releases
 * before 9.2 ignore both bits. (QEMU 11.1 writes 0x52 / 0x44 on every
 * machine type: tests/conformance/golden/cpuid-11.1-vmcs-enum.) */
static uint64_t vmcs_enum(const vcpuid_host *h, const char *machine,
			  bool fred, bool exit2, bool tsc_scaling)
{
	vcpuid_cpu c;
	vmx_cpu(&c, machine);
	if (fred)
		c.features[VCPUID_W_7_1_EAX] = BIT(17);
	if (exit2)
		c.features[VCPUID_W_VMX_EXIT] |= BIT(31);
	if (tsc_scaling)
		c.features[VCPUID_W_VMX_SECONDARY] |= BIT(25);
	vcpuid_msr_list l;
	msrs(&c, h, &l);
	uint64_t v = value(&l, 0x48a);
	vcpuid_msr_list_free(&l);
	return v;
}

static void check_enum(const vcpuid_host *h, const char *machine, bool fred,
		       bool exit2, bool tsc_scaling, uint64_t want)
{
	uint64_t got = vmcs_enum(h, machine, fred, exit2, tsc_scaling);
	if (got != want)
		fail_msg("%s fred=%d exit2=%d tsc-scaling=%d: VMCS_ENUM 0x%llx, "
			 "QEMU 0x%llx", machine, fred, exit2, tsc_scaling,
			 (unsigned long long)got, (unsigned long long)want);
}

static void vmcs_enum_fred(void **state)
{
	(void)state;
	vcpuid_host h;
	vmx_host(&h, false);
	/* with: fred | fred, exit2 and tsc-scaling | exit2 | exit2 and
	 * tsc-scaling | tsc-scaling | none of them */
	static const struct {
		const char *machine;
		uint64_t fred, all, exit2, exit2_tsc, tsc, none;
	} want[] = {
		{ "pc-i440fx-11.1", 0x52, 0x52, 0x44, 0x44, 0x32, 0x2e },
		{ "pc-q35-10.0", 0x52, 0x52, 0x44, 0x44, 0x32, 0x2e },
		{ "pc-i440fx-9.2", 0x52, 0x52, 0x44, 0x44, 0x32, 0x2e },
		{ "pc-i440fx-9.1@11.1", 0x52, 0x52, 0x44, 0x44, 0x32, 0x2e },
		{ "pc-i440fx-7.2@9.2", 0x52, 0x52, 0x44, 0x44, 0x32, 0x2e },
		{ "pc-i440fx-9.1", 0x2e, 0x32, 0x2e, 0x32, 0x32, 0x2e },
		{ "pc-q35-8.0", 0x2e, 0x32, 0x2e, 0x32, 0x32, 0x2e },
		{ "pc-i440fx-7.2", 0x2e, 0x32, 0x2e, 0x32, 0x32, 0x2e },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *m = want[i].machine;
		check_enum(&h, m, true, false, false, want[i].fred);
		check_enum(&h, m, true, true, true, want[i].all);
		check_enum(&h, m, false, true, false, want[i].exit2);
		check_enum(&h, m, false, true, true, want[i].exit2_tsc);
		check_enum(&h, m, false, false, true, want[i].tsc);
		check_enum(&h, m, false, false, false, want[i].none);
	}
	host_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capabilities_and_ucode),
		cmocka_unit_test(perf_capabilities),
		cmocka_unit_test(vmx_values),
		cmocka_unit_test(vmx_presence_and_order),
		cmocka_unit_test(vmcs_enum_fred),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
