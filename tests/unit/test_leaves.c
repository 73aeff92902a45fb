/* SPDX-License-Identifier: MIT */
/* Unit tests of one vCPU's CPUID leaves (src/lib/synth/guest_leaves.c and
 * feature_leaves.c), leaf by leaf through vs_leaf as QEMU's cpu_x86_cpuid
 * computes them, on hand-built CPUs and hosts: leaf limits, signature and
 * APIC fields, leaf 7, XSAVE 0xD, Intel PT 0x14, AMX 0x1D/0x1E, AVX10
 * 0x24, APX 0x29, SGX 0x12, the AMD leaves and the topology leaves, under
 * QEMU 7.2 and the later rules (data/synth_rules.def). Fixed values come
 * from the SDM/APM field layouts and QEMU's constants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "synth/synth.h"

#define EAX VCPUID_EAX
#define EBX VCPUID_EBX
#define ECX VCPUID_ECX
#define EDX VCPUID_EDX
#define BIT(n) (1u << (n))

/* The compat knobs at their defaults (the newest machine types'): the
 * ones whose default is on. */
static uint32_t default_knobs(void)
{
	static const char *const on[] = {
		"x-consistent-cache", "x-vendor-cpuid-only-v2",
		"x-amd-topoext-features-only", "x-l1-cache-per-thread",
		"guest-phys-bits",
	};
	uint32_t k = 0;
	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		int b = vc_knob_index(on[i]);
		assert_true(b >= 0);
		k |= 1u << b;
	}
	return k;
}

static void make_cpu(vcpuid_cpu *c, const char *vendor, const char *machine,
		     vcpuid_topology topo)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->vendor, vendor);
	c->machine = vcpuid_machine_find(machine);
	assert_non_null(c->machine);
	c->compat_knobs = default_knobs();
	c->family = 6;
	c->model_num = 0x55;
	c->stepping = 4;
	c->level = 0xd;
	c->xlevel = 0x80000008;
	c->phys_bits = 40;
	c->l3_cache = true;
	c->vendor_cpuid_only = true;
	c->topo = topo;
	strcpy(c->model_id, "Test");
}

#define TOPO(s, d, co, th) ((vcpuid_topology){ .cpus = (s) * (d) * (co) * (th), \
	.sockets = s, .dies = d, .modules = 1, .cores = co, .threads = th })

static void leaf(const vcpuid_cpu *c, const vcpuid_host *h, uint32_t apic,
		 uint32_t l, uint32_t sub, uint32_t r[4])
{
	vs_ctx ctx;
	hq_view v;
	hq_view_init(&v, h, HQ_ASK_BRAND | HQ_ASK_XSAVE, NULL);
	assert_int_equal(vs_ctx_init(&ctx, c, &v, NULL), 0);
	r[0] = r[1] = r[2] = r[3] = 0xdeadbeef;
	vs_leaf(&ctx, apic, l, sub, r);
}

static void regs(const uint32_t r[4], uint32_t a, uint32_t b, uint32_t c,
		 uint32_t d)
{
	assert_int_equal(r[EAX], a);
	assert_int_equal(r[EBX], b);
	assert_int_equal(r[ECX], c);
	assert_int_equal(r[EDX], d);
}

/* "GenuineIntel" in EBX, EDX, ECX */
#define GENU 0x756e6547u
#define INEI 0x49656e69u
#define NTEL 0x6c65746eu

/* Leaf 0 and 0x80000000; a leaf past its range's limit answers as the
 * highest basic leaf (SDM: "invalid EAX input returns the data of the
 * highest basic leaf"). */
static void limits_and_vendor(void **state)
{
	(void)state;
	vcpuid_cpu c;
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2", TOPO(1, 1, 1, 1));
	c.features[VCPUID_W_6_EAX] = BIT(2);
	c.level = 6;
	uint32_t r[4], s[4];
	leaf(&c, NULL, 0, 0, 0, r);
	regs(r, 6, GENU, NTEL, INEI);
	leaf(&c, NULL, 0, 0x80000000u, 0, r);
	regs(r, 0x80000008u, GENU, NTEL, INEI); /* 7.2: the vendor here too */
	leaf(&c, NULL, 0, 6, 0, s);
	regs(s, BIT(2), 0, 0, 0);
	leaf(&c, NULL, 0, 7, 0, r);	/* above level 6 */
	assert_memory_equal(r, s, sizeof(s));
	leaf(&c, NULL, 0, 0x80000009u, 0, r);
	assert_memory_equal(r, s, sizeof(s));
	leaf(&c, NULL, 0, 0x40000002u, 0, r);
	assert_memory_equal(r, s, sizeof(s));
	leaf(&c, NULL, 0, 0xC0000001u, 0, r); /* xlevel2 0 */
	assert_memory_equal(r, s, sizeof(s));
	/* leaf 5: MONITOR/MWAIT, QEMU claims EMX and IBE only */
	c.level = 0xd;
	leaf(&c, NULL, 0, 5, 0, r);
	regs(r, 0, 0, 3, 0);
	/* reserved leaves read zero */
	leaf(&c, NULL, 0, 3, 0, r);
	regs(r, 0, 0, 0, 0);
	/* from QEMU 10.1 (x-vendor-cpuid-only-v2) an Intel CPU has no vendor
	 * in 0x80000000 */
	make_cpu(&c, "GenuineIntel", "pc-i440fx-11.1", TOPO(1, 1, 1, 1));
	leaf(&c, NULL, 0, 0x80000000u, 0, r);
	regs(r, 0x80000008u, 0, 0, 0);
	/* ... unless the machine type turns the knob off */
	c.compat_knobs &= ~(1u << vc_knob_index("x-vendor-cpuid-only-v2"));
	leaf(&c, NULL, 0, 0x80000000u, 0, r);
	regs(r, 0x80000008u, GENU, NTEL, INEI);
}

/* Leaf 1: signature, APIC ID, CLFLUSH size 8 (64 bytes), the logical
 * processor count and HTT; PDCM needs pmu=on. */
static void leaf1(void **state)
{
	(void)state;
	vcpuid_cpu c;
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2", TOPO(1, 1, 3, 1));
	c.features[VCPUID_W_1_ECX] = BIT(0) | BIT(15) | BIT(31);
	c.features[VCPUID_W_1_EDX] = 0x0f8bfbff;
	uint32_t r[4];
	leaf(&c, NULL, 2, 1, 0, r);
	/* family 6 model 0x55 stepping 4 = 0x50654; 3 logical processors */
	regs(r, 0x00050654, 0x02030800, BIT(0) | BIT(31), 0x0f8bfbff | BIT(28));
	c.pmu = true;
	leaf(&c, NULL, 2, 1, 0, r);
	assert_int_equal(r[ECX], BIT(0) | BIT(15) | BIT(31));
	/* QEMU 10.1 on: Intel counts the APIC IDs of the package, 1 << 2 */
	make_cpu(&c, "GenuineIntel", "pc-i440fx-11.1", TOPO(1, 1, 3, 1));
	leaf(&c, NULL, 0, 1, 0, r);
	assert_int_equal(r[EBX], 0x00040800);
	/* ... an AMD CPU still the count */
	make_cpu(&c, "AuthenticAMD", "pc-i440fx-11.1", TOPO(1, 1, 3, 1));
	leaf(&c, NULL, 0, 1, 0, r);
	assert_int_equal(r[EBX], 0x00030800);
	/* one thread per package: no count, no HTT */
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2", TOPO(2, 1, 1, 1));
	leaf(&c, NULL, 1, 1, 0, r);
	assert_int_equal(r[EBX], 0x01000800);
	assert_int_equal(r[EDX] & BIT(28), 0);
	/* family above 0xf: base 0xf plus extended family */
	c.family = 0x19;
	c.model_num = 0x11;
	c.stepping = 1;
	leaf(&c, NULL, 0, 1, 0, r);
	assert_int_equal(r[EAX], 0x00a10f11);
}

/* Leaf 7: the feature words; SGX and SGX launch control need KVM's. */
static void leaf7(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_host_init(&h);
	h.has_kvm = true;
	vcpuid_table_add(&h.supported, 7, 0, VCPUID_FLAG_SIGNIFICANT_INDEX, 0,
			 BIT(2), BIT(30), 0);
	vcpuid_cpu c;
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2", TOPO(1, 1, 1, 1));
	c.level_func7 = 2;
	c.features[VCPUID_W_7_0_EBX] = BIT(2) | BIT(5) | BIT(16);
	c.features[VCPUID_W_7_0_ECX] = BIT(30) | BIT(3);
	c.features[VCPUID_W_7_0_EDX] = BIT(4);
	c.features[VCPUID_W_7_1_EAX] = BIT(4);
	c.features[VCPUID_W_7_1_EDX] = BIT(19);
	c.features[VCPUID_W_7_2_EDX] = BIT(0);
	uint32_t r[4];
	leaf(&c, &h, 0, 7, 0, r);
	regs(r, 2, BIT(2) | BIT(5) | BIT(16), BIT(30) | BIT(3), BIT(4));
	/* 7.2 has neither 7.1.EDX nor 7.2.EDX: zero there */
	leaf(&c, &h, 0, 7, 1, r);
	regs(r, BIT(4), 0, 0, 0);
	leaf(&c, &h, 0, 7, 2, r);
	regs(r, 0, 0, 0, 0);
	leaf(&c, &h, 0, 7, 3, r);
	regs(r, 0, 0, 0, 0);
	c.machine = vcpuid_machine_find("pc-i440fx-11.1");
	leaf(&c, &h, 0, 7, 1, r);
	regs(r, BIT(4), 0, 0, BIT(19));
	leaf(&c, &h, 0, 7, 2, r);
	regs(r, 0, 0, 0, BIT(0));
	/* KVM without SGX: sgx goes, and sgxlc with it */
	vcpuid_table_find_mut(&h.supported, 7, 0)->reg[EBX] = 0;
	leaf(&c, &h, 0, 7, 0, r);
	assert_int_equal(r[EBX], BIT(5) | BIT(16));
	assert_int_equal(r[ECX], BIT(3));
	/* KVM with SGX but without launch control */
	vcpuid_table_find_mut(&h.supported, 7, 0)->reg[EBX] = BIT(2);
	vcpuid_table_find_mut(&h.supported, 7, 0)->reg[ECX] = 0;
	leaf(&c, &h, 0, 7, 0, r);
	assert_int_equal(r[EBX], BIT(2) | BIT(5) | BIT(16));
	assert_int_equal(r[ECX], BIT(3));
	vcpuid_host_free(&h);
}

/* A host with Intel's standard-format XSAVE layout and KVM's XCR0. */
static void xsave_host(vcpuid_host *h, uint32_t kvm_xcr0)
{
	static const uint32_t comps[][4] = {
		{ 2, 256, 576, 0 }, { 5, 64, 1088, 0 }, { 6, 512, 1152, 0 },
		{ 7, 1024, 1664, 0 }, { 9, 8, 2688, 0 }, { 15, 808, 0, 1 },
		{ 17, 64, 2752, 2 }, { 18, 8192, 2816, 6 },
	};
	vcpuid_host_init(h);
	h->has_kvm = h->has_raw = true;
	for (size_t i = 0; i < sizeof(comps) / sizeof(comps[0]); i++)
		vcpuid_table_add(&h->raw, 0xD, comps[i][0],
				 VCPUID_FLAG_SIGNIFICANT_INDEX, comps[i][1],
				 comps[i][2], comps[i][3], 0);
	vcpuid_table_add(&h->supported, 0xD, 0, VCPUID_FLAG_SIGNIFICANT_INDEX,
			 kvm_xcr0, 0, 0, 0);
	vcpuid_table_add(&h->supported, 0xD, 1, VCPUID_FLAG_SIGNIFICANT_INDEX,
			 0xf, 0, 0x8000, 0);
	vcpuid_table_add(&h->supported, 0xD, 15, VCPUID_FLAG_SIGNIFICANT_INDEX,
			 808, 0, 1, 0);
}

/* Leaf 0xD: XCR0 and its standard size (subleaf 0), the XSAVE features
 * and the compacted size of XCR0|XSS (1), each component's size, offset
 * and alignment/XFD bits (n >= 2); QEMU 8.0 on also describes the
 * components KVM has that the guest does not use. */
static void leaf_xsave(void **state)
{
	(void)state;
	vcpuid_host h;
	xsave_host(&h, 0x602e7);
	vcpuid_cpu c;
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2", TOPO(1, 1, 1, 1));
	uint32_t r[4];
	/* no xsave: all zero */
	c.features[VCPUID_W_XSAVE_XCR0_LO] = 0x7;
	leaf(&c, &h, 0, 0xD, 0, r);
	regs(r, 0, 0, 0, 0);
	c.features[VCPUID_W_1_ECX] = BIT(26) | BIT(28);	/* xsave avx */
	c.supported[VCPUID_W_1_ECX] = BIT(26) | BIT(28);
	c.supported[VCPUID_W_7_0_EBX] = BIT(16);		/* avx512f */
	c.supported[VCPUID_W_7_0_EDX] = BIT(19) | BIT(24);	/* arch-lbr amx */
	c.features[VCPUID_W_XSAVE] = 0xf; /* xsaveopt xsavec xgetbv1 xsaves */
	leaf(&c, &h, 0, 0xD, 0, r);
	regs(r, 0x7, 832, 832, 0);
	leaf(&c, &h, 0, 0xD, 1, r);
	regs(r, 0xf, 832, 0, 0);
	leaf(&c, &h, 0, 0xD, 2, r);
	regs(r, 256, 576, 0, 0);
	/* 7.2: a component of KVM's the guest does not have is empty */
	leaf(&c, &h, 0, 0xD, 5, r);
	regs(r, 0, 0, 0, 0);
	/* 8.0 on: described from KVM's XCR0 */
	c.machine = vcpuid_machine_find("pc-i440fx-8.0");
	leaf(&c, &h, 0, 0xD, 5, r);
	regs(r, 64, 1088, 0, 0);
	leaf(&c, &h, 0, 0xD, 18, r);
	regs(r, 8192, 2816, 6, 0); /* 64-byte aligned, XFD */
	leaf(&c, &h, 0, 0xD, 0, r);
	regs(r, 0x7, 832, 832, 0); /* sizes still the guest's */
	/* arch LBR (supervisor, XSS bit 15): needs pmu, arch-lbr and xsaves */
	c.machine = vcpuid_machine_find("pc-i440fx-7.2");
	c.features[VCPUID_W_7_0_EDX] = BIT(19);
	c.features[VCPUID_W_XSAVE_XSS_LO] = BIT(15);
	c.pmu = true;
	leaf(&c, &h, 0, 0xD, 1, r);
	regs(r, 0xf, 832 + 808, BIT(15), 0);
	leaf(&c, &h, 0, 0xD, 15, r);
	regs(r, 808, 0, 1, 0); /* from KVM's own subleaf 15 */
	c.pmu = false;
	leaf(&c, &h, 0, 0xD, 1, r);
	assert_int_equal(r[ECX], 0);
	leaf(&c, &h, 0, 0xD, 15, r);
	regs(r, 808, 0, 1, 0); /* a supervisor component: size, ECX bit 0 */
	c.features[VCPUID_W_XSAVE_XSS_LO] = 0;
	leaf(&c, &h, 0, 0xD, 15, r);
	regs(r, 0, 0, 0, 0);
	/* AVX-512 and PKRU in the guest */
	c.features[VCPUID_W_XSAVE_XCR0_LO] = 0x2e7;
	c.supported[VCPUID_W_7_0_ECX] = BIT(3);
	leaf(&c, &h, 0, 0xD, 0, r);
	regs(r, 0x2e7, 2696, 2696, 0);
	leaf(&c, &h, 0, 0xD, 1, r);
	assert_int_equal(r[EBX], 2440);
	leaf(&c, &h, 0, 0xD, 9, r);
	regs(r, 8, 2688, 0, 0);
	vcpuid_host_free(&h);
}

/* Leaf 0x14 (Intel PT), 0x1D/0x1E (AMX): QEMU's fixed capabilities. */
static void pt_and_amx(void **state)
{
	(void)state;
	vcpuid_cpu c;
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2", TOPO(1, 1, 1, 1));
	c.level = 0x1e;
	uint32_t r[4];
	leaf(&c, NULL, 0, 0x14, 0, r);
	regs(r, 0, 0, 0, 0);
	leaf(&c, NULL, 0, 0x1D, 1, r);
	regs(r, 0, 0, 0, 0);
	c.features[VCPUID_W_7_0_EBX] = BIT(25); /* intel-pt */
	leaf(&c, NULL, 0, 0x14, 0, r);
	regs(r, 1, 0xf, 0x7, 0);
	c.features[VCPUID_W_14_0_ECX] = 1u << 31; /* intel-pt-lip */
	leaf(&c, NULL, 0, 0x14, 0, r);
	regs(r, 1, 0xf, 0x80000007u, 0);
	/* 2 address ranges, MTC periods 0x249, cycle thresholds, PSB 0x3f */
	leaf(&c, NULL, 0, 0x14, 1, r);
	regs(r, 0x02490002, 0x003f1fff, 0, 0);
	leaf(&c, NULL, 0, 0x14, 2, r);
	regs(r, 0, 0, 0, 0);
	c.features[VCPUID_W_7_0_EDX] = BIT(24); /* amx-tile */
	/* palette 1: 8 KiB of tiles, 1 KiB each, 64-byte rows, 8 names,
	 * 16 rows; TMUL: K 16, N 64 */
	leaf(&c, NULL, 0, 0x1D, 0, r);
	regs(r, 1, 0, 0, 0);
	leaf(&c, NULL, 0, 0x1D, 1, r);
	regs(r, 0x04002000, 0x00080040, 0x10, 0);
	leaf(&c, NULL, 0, 0x1E, 0, r);
	regs(r, 0, 0x4010, 0, 0);
	leaf(&c, NULL, 0, 0x1D, 2, r);
	regs(r, 0, 0, 0, 0);
}

/* Leaf 0x24 (AVX10) and 0x29 (APX), QEMU 11 only. */
static void avx10_and_apx(void **state)
{
	(void)state;
	vcpuid_cpu c;
	make_cpu(&c, "GenuineIntel", "pc-i440fx-11.1", TOPO(1, 1, 1, 1));
	c.level = 0x29;
	uint32_t r[4];
	c.features[VCPUID_W_24_0_EBX] = 0x70000;
	c.avx10_version = 2;
	c.avx10_max_subleaf = 1;
	leaf(&c, NULL, 0, 0x24, 0, r);
	regs(r, 0, 0, 0, 0); /* avx10 off */
	c.features[VCPUID_W_7_1_EDX] = BIT(19);
	c.features[VCPUID_W_24_1_ECX] = BIT(2);
	leaf(&c, NULL, 0, 0x24, 0, r);
	regs(r, 1, 0x70002, 0, 0);
	leaf(&c, NULL, 0, 0x24, 1, r);
	regs(r, 0, 0, BIT(2), 0);
	/* QEMU 9.2 has avx10 but not subleaf 1's word */
	c.machine = vcpuid_machine_find("pc-i440fx-9.2");
	leaf(&c, NULL, 0, 0x24, 1, r);
	regs(r, 0, 0, 0, 0);
	/* 7.2: no leaf 0x24 at all */
	c.machine = vcpuid_machine_find("pc-i440fx-7.2");
	leaf(&c, NULL, 0, 0x24, 0, r);
	regs(r, 0, 0, 0, 0);
	c.machine = vcpuid_machine_find("pc-i440fx-11.1");
	c.features[VCPUID_W_29_0_EBX] = BIT(0);
	leaf(&c, NULL, 0, 0x29, 0, r);
	regs(r, 0, 0, 0, 0); /* without apxf */
	c.features[VCPUID_W_7_1_EDX] |= BIT(21);
	leaf(&c, NULL, 0, 0x29, 0, r);
	regs(r, 0, BIT(0), 0, 0);
	leaf(&c, NULL, 0, 0x29, 1, r);
	regs(r, 0, 0, 0, 0);
}

/* Leaf 0x12 (SGX): KVM's capabilities masked by the guest's words; the
 * XFRM of subleaf 1 always allows x87 and SSE (bits 0-1) within the
 * guest's XCR0; the provisioning key attribute is never offered. */
static void sgx(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_host_init(&h);
	h.has_kvm = true;
	vcpuid_table_add(&h.supported, 0x12, 0, VCPUID_FLAG_SIGNIFICANT_INDEX,
			 0x3, 0x1, 0, 0x241f);
	vcpuid_table_add(&h.supported, 0x12, 1, VCPUID_FLAG_SIGNIFICANT_INDEX,
			 0x36, 0, 0x2e7, 0);
	vcpuid_cpu c;
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2", TOPO(1, 1, 1, 1));
	c.level = 0x12;
	uint32_t r[4];
	leaf(&c, &h, 0, 0x12, 0, r);
	regs(r, 0, 0, 0, 0);
	c.features[VCPUID_W_7_0_EBX] = BIT(2);
	c.features[VCPUID_W_SGX_12_0_EAX] = 0x1;	/* sgx1 */
	c.features[VCPUID_W_SGX_12_0_EBX] = 0x1;	/* exinfo */
	c.features[VCPUID_W_SGX_12_1_EAX] = 0x36;	/* debug mode64bit ... */
	c.features[VCPUID_W_XSAVE_XCR0_LO] = 0x7;
	leaf(&c, &h, 0, 0x12, 0, r);
	regs(r, 0x1, 0x1, 0, 0x241f); /* max enclave sizes from KVM */
	leaf(&c, &h, 0, 0x12, 1, r);
	/* provisioning key (bit 4) withheld */
	regs(r, 0x36 & ~BIT(4), 0, 0x7, 0);
	leaf(&c, &h, 0, 0x12, 2, r);
	regs(r, 0, 0, 0, 0); /* no EPC sections */
	vcpuid_host_free(&h);
}

/* The AMD side: CmpLegacy in QEMU 7.2's table, L1/L2 cache
 * and TLB leaves, address sizes and the package's thread count, SVM. */
static void amd_leaves(void **state)
{
	(void)state;
	vcpuid_cpu c;
	make_cpu(&c, "AuthenticAMD", "pc-i440fx-7.2", TOPO(1, 1, 2, 2));
	c.xlevel = 0x8000000A;
	c.features[VCPUID_W_8000_0001_ECX] = BIT(2);		/* svm */
	c.features[VCPUID_W_8000_0001_EDX] = BIT(29);		/* lm */
	c.features[VCPUID_W_SVM] = BIT(0);			/* npt */
	uint32_t r[4];
	leaf(&c, NULL, 0, 0x80000001u, 0, r);
	regs(r, 0x00050654, 0, BIT(2) | BIT(1), BIT(29));
	/* legacy AMD caches: 64 KiB 2-way L1s, 512 KiB 16-way L2, 16 MiB
	 * 16-way L3; QEMU's constant TLBs (L1: 255 entries, 1-way; L2: 512
	 * entries, 4-way) */
	leaf(&c, NULL, 0, 0x80000005u, 0, r);
	regs(r, 0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140);
	leaf(&c, NULL, 0, 0x80000006u, 0, r);
	regs(r, 0, 0x42004200, 0x02008140, 0x00808140);
	/* 40 physical, 48 virtual; 4 threads: APIC-ID size 2, count - 1 */
	leaf(&c, NULL, 0, 0x80000008u, 0, r);
	regs(r, 0x3028, 0, 0x2003, 0);
	c.features[VCPUID_W_7_0_ECX] = BIT(16); /* la57: 57 virtual bits */
	leaf(&c, NULL, 0, 0x80000008u, 0, r);
	assert_int_equal(r[EAX], 0x3928);
	leaf(&c, NULL, 0, 0x8000000Au, 0, r);
	regs(r, 1, 0x10, 0, BIT(0));
	/* an Intel CPU from 10.1: no L1 leaf, only the L2 in 0x80000006,
	 * and that the same L2 as leaf 4's (4 MiB 16-way, no lines per tag) */
	make_cpu(&c, "GenuineIntel", "pc-i440fx-11.1", TOPO(1, 1, 2, 2));
	leaf(&c, NULL, 0, 0x80000005u, 0, r);
	regs(r, 0, 0, 0, 0);
	leaf(&c, NULL, 0, 0x80000006u, 0, r);
	regs(r, 0, 0, 0x10008040, 0);
	leaf(&c, NULL, 0, 0x80000008u, 0, r);
	assert_int_equal(r[ECX], 0);
	/* 7.2's Intel CPU has them all */
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2", TOPO(1, 1, 2, 2));
	leaf(&c, NULL, 0, 0x80000005u, 0, r);
	assert_int_equal(r[ECX], 0x40020140);
}

/* 0x8000001E: extended APIC ID, core ID and threads per core, node ID;
 * QEMU 9.1 on (no legacy-multi-node) the node is the socket. */
static void leaf_8000001e(void **state)
{
	(void)state;
	vcpuid_cpu c;
	make_cpu(&c, "AuthenticAMD", "pc-i440fx-7.2", TOPO(2, 2, 2, 2));
	c.xlevel = 0x8000001E;
	uint32_t r[4];
	/* APIC ID 0xd = socket 1, die 1, core 0, thread 1 (1+1+1 bits) */
	leaf(&c, NULL, 0xd, 0x8000001Eu, 0, r);
	regs(r, 0xd, 0x100, 0x103, 0);
	c.machine = vcpuid_machine_find("pc-i440fx-11.1");
	leaf(&c, NULL, 0xd, 0x8000001Eu, 0, r);
	regs(r, 0xd, 0x100, 0x1, 0);
	/* the machine type keeps the old way with legacy-multi-node=on */
	c.compat_knobs |= 1u << vc_knob_index("legacy-multi-node");
	leaf(&c, NULL, 0xd, 0x8000001Eu, 0, r);
	regs(r, 0xd, 0x100, 0x103, 0);
}

/* 0xB / 0x1F: QEMU 8.0 on counts the package's threads in 0xB level 1
 * (dies included) and can force 0x1F with one die. */
static void topology_rules(void **state)
{
	(void)state;
	vcpuid_cpu c;
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2", TOPO(1, 2, 2, 2));
	c.level = 0x1f;
	uint32_t r[4];
	leaf(&c, NULL, 5, 0xB, 1, r);
	regs(r, 3, 4, 0x201, 5);
	c.machine = vcpuid_machine_find("pc-i440fx-8.0");
	leaf(&c, NULL, 5, 0xB, 1, r);
	regs(r, 3, 8, 0x201, 5);
	/* 0x1F of one die: only when forced, from 8.0 */
	make_cpu(&c, "GenuineIntel", "pc-i440fx-7.2", TOPO(1, 1, 2, 2));
	c.level = 0x1f;
	c.force_cpuid_0x1f = true;
	leaf(&c, NULL, 3, 0x1F, 1, r);
	regs(r, 0, 0, 0, 0);
	c.machine = vcpuid_machine_find("pc-i440fx-8.0");
	leaf(&c, NULL, 3, 0x1F, 0, r);
	regs(r, 1, 2, 0x100, 3);
	leaf(&c, NULL, 3, 0x1F, 1, r);
	regs(r, 2, 4, 0x201, 3);
	leaf(&c, NULL, 3, 0x1F, 2, r);
	regs(r, 0, 0, 2, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limits_and_vendor),
		cmocka_unit_test(leaf1),
		cmocka_unit_test(leaf7),
		cmocka_unit_test(leaf_xsave),
		cmocka_unit_test(pt_and_amx),
		cmocka_unit_test(avx10_and_apx),
		cmocka_unit_test(sgx),
		cmocka_unit_test(amd_leaves),
		cmocka_unit_test(leaf_8000001e),
		cmocka_unit_test(topology_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
