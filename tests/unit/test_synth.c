/* SPDX-License-Identifier: MIT */
/* Unit tests of the synthesize stage: APIC IDs, cache encodings, XSAVE
 * sizes, brand string, topology leaves, the 100-entry limit and feature
 * MSRs, on hand-built expanded CPUs. Expected values were worked out from
 * the SDM/APM encodings and checked against QEMU 7.2 captures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

#define T(c, s, d, co, th) ((vcpuid_topology){ .cpus = c, .sockets = s, \
	.dies = d, .modules = 1, .cores = co, .threads = th })
/* The four topologies of the conformance suite. */
static const vcpuid_topology topos[4] = {
	T(1, 1, 1, 1, 1), T(4, 1, 1, 2, 2), T(8, 2, 1, 2, 2), T(8, 1, 2, 2, 2),
};

#define F(w, bit) (cpu->features[VCPUID_W_##w] |= 1ull << (bit))

/* A Skylake-Client-like Intel CPU (legacy caches). */
static void intel_cpu(vcpuid_cpu *cpu, vcpuid_topology topo)
{
	memset(cpu, 0, sizeof(*cpu));
	strcpy(cpu->vendor, "GenuineIntel");
	cpu->family = 6;
	cpu->model_num = 94;
	cpu->stepping = 3;
	cpu->level = topo.dies > 1 ? 0x1f : 0xd;
	cpu->xlevel = 0x80000008;
	strcpy(cpu->model_id, "Intel Core Processor (Skylake)");
	cpu->features[VCPUID_W_1_EDX] = 0x078bfbff;
	cpu->features[VCPUID_W_1_ECX] = 0x81202000;
	cpu->features[VCPUID_W_8000_0001_EDX] = 0x20100800;
	cpu->features[VCPUID_W_8000_0001_ECX] = 0x101;
	cpu->features[VCPUID_W_6_EAX] = 4;
	cpu->features[VCPUID_W_KVM] = 0x0100007b;
	memcpy(cpu->supported, cpu->features, sizeof(cpu->features));
	cpu->kvm = cpu->l3_cache = cpu->full_cpuid_auto_level = true;
	cpu->phys_bits = 40;
	cpu->topo = topo;
}

static vcpuid_host *kvm_host(void)
{
	static vcpuid_host h;
	static uint32_t list[] = { 0x10a, 0x8b, 0x345, 0xcf, 0x491 };
	vcpuid_host_init(&h);
	h.has_kvm = h.has_raw = true;
	h.msr_index_list = list;
	h.n_msr_index_list = 5;
	return &h;
}

static void host_done(vcpuid_host *h)
{
	h->msr_index_list = NULL;
	h->n_msr_index_list = 0;
	vcpuid_host_free(h);
}

static const vcpuid_cpuid_entry *find(const vcpuid_vcpu *v, uint32_t f,
				      uint32_t i)
{
	return vcpuid_table_find(&v->cpuid, f, i);
}

static void apic_ids(void **state)
{
	(void)state;
	/* 1 vCPU */
	assert_int_equal(vcpuid_apic_id(&topos[0], 0), 0);
	/* cores=2, threads=2: SMT 1 bit, core 1 bit */
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(vcpuid_apic_id(&topos[1], i), i);
	/* sockets=2 cores=2 threads=2: package at bit 2 */
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(vcpuid_apic_id(&topos[2], i), i);
	/* cores=3 -> 2 bits: holes in the ID space */
	vcpuid_topology t = T(12, 2, 1, 3, 2);
	const uint32_t want[12] = { 0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13 };
	for (unsigned i = 0; i < 12; i++)
		assert_int_equal(vcpuid_apic_id(&t, i), want[i]);
	/* dies=3 with 1 core 1 thread: dies take 2 bits */
	vcpuid_topology d = T(6, 2, 3, 1, 1);
	const uint32_t wd[6] = { 0, 1, 2, 4, 5, 6 };
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(vcpuid_apic_id(&d, i), wd[i]);
	assert_int_equal(vcpuid_apic_id(NULL, 0), 0);
}

static void legacy_cache_leaves(void **state)
{
	(void)state;
	vcpuid_cpu c, *cpu = &c;
	vcpuid_host *h = kvm_host();
	vcpuid_vcpu v;
	intel_cpu(cpu, topos[2]);
	assert_int_equal(vcpuid_synthesize(cpu, h, 0, &v, NULL), 0);
	const vcpuid_cpuid_entry *e = find(&v, 2, 0);
	assert_non_null(e);
	assert_int_equal(e->flags, VCPUID_FLAG_STATEFUL_FUNC | VCPUID_FLAG_STATE_READ_NEXT);
	assert_int_equal(e->reg[VCPUID_EAX], 1);
	assert_int_equal(e->reg[VCPUID_ECX], 0x4d);	  /* 16M L3 */
	assert_int_equal(e->reg[VCPUID_EDX], 0x002c307d); /* L1d, L1i, 2M L2 */
	/* leaf 4 with cores=2 threads=2 */
	const uint32_t l4[5][4] = {
		{ 0x04000121, 0x01c0003f, 0x0000003f, 1 },
		{ 0x04000122, 0x01c0003f, 0x0000003f, 1 },
		{ 0x04004143, 0x03c0003f, 0x00000fff, 1 },
		{ 0x0400c163, 0x03c0003f, 0x00003fff, 6 },
		{ 0, 0, 0, 0 },
	};
	for (unsigned i = 0; i < 5; i++) {
		e = find(&v, 4, i);
		assert_non_null(e);
		assert_int_equal(e->flags, VCPUID_FLAG_SIGNIFICANT_INDEX);
		assert_memory_equal(e->reg, l4[i], sizeof(l4[i]));
	}
	assert_null(find(&v, 4, 5));
	e = find(&v, 0x80000005, 0);
	assert_int_equal(e->reg[VCPUID_ECX], 0x40020140);
	assert_int_equal(e->reg[VCPUID_EDX], 0x40020140);
	e = find(&v, 0x80000006, 0);
	assert_int_equal(e->reg[VCPUID_EBX], 0x42004200);
	assert_int_equal(e->reg[VCPUID_ECX], 0x02008140);
	assert_int_equal(e->reg[VCPUID_EDX], 0x00808140);
	vcpuid_vcpu_free(&v);
	/* l3-cache=off: no L3 descriptor, leaf 4 ends at subleaf 3 */
	cpu->l3_cache = false;
	assert_int_equal(vcpuid_synthesize(cpu, h, 0, &v, NULL), 0);
	assert_int_equal(find(&v, 2, 0)->reg[VCPUID_ECX], 0);
	assert_int_equal(find(&v, 4, 3)->reg[VCPUID_EAX], 0);
	assert_null(find(&v, 4, 4));
	assert_int_equal(find(&v, 0x80000006, 0)->reg[VCPUID_EDX], 0);
	vcpuid_vcpu_free(&v);
	host_done(h);
}

/* An EPYC-like AMD CPU with its own cache table and topoext. */
static const vcpuid_cache_set epyc_like = {
	.l1d = { .type = 1, .level = 1, .size = 32 * 1024, .line_size = 64,
		 .associativity = 8, .partitions = 1, .sets = 64,
		 .lines_per_tag = 1, .self_init = true, .no_invd_sharing = true },
	.l1i = { .type = 2, .level = 1, .size = 64 * 1024, .line_size = 64,
		 .associativity = 4, .partitions = 1, .sets = 256,
		 .lines_per_tag = 1, .self_init = true, .no_invd_sharing = true },
	.l2 = { .type = 3, .level = 2, .size = 512 * 1024, .line_size = 64,
		.associativity = 8, .partitions = 1, .sets = 1024,
		.lines_per_tag = 1, .self_init = true },
	.l3 = { .type = 3, .level = 3, .size = 8 * 1024 * 1024, .line_size = 64,
		.associativity = 16, .partitions = 1, .sets = 8192,
		.lines_per_tag = 1, .self_init = true, .inclusive = true,
		.complex_indexing = true },
};

static void amd_cache_and_topology(void **state)
{
	(void)state;
	vcpuid_cpu c, *cpu = &c;
	vcpuid_host *h = kvm_host();
	vcpuid_vcpu v;
	intel_cpu(cpu, topos[3]); /* dies=2 cores=2 threads=2 */
	strcpy(cpu->vendor, "AuthenticAMD");
	cpu->xlevel = 0x8000001E;
	cpu->cache = &epyc_like;
	F(8000_0001_ECX, 22); /* topoext */
	assert_int_equal(vcpuid_synthesize(cpu, h, 5, &v, NULL), 0);
	assert_int_equal(v.apic_id, 5);
	/* 0x8000001D: L1/L2 per core (2 threads), L3 per die (4 threads) */
	const uint32_t want[5][4] = {
		{ 0x4121, 0x01c0003f, 63, 1 },
		{ 0x4122, 0x00c0003f, 255, 1 },
		{ 0x4143, 0x01c0003f, 1023, 0 },
		{ 0xc163, 0x03c0003f, 8191, 6 },
		{ 0, 0, 0, 0 },
	};
	for (unsigned i = 0; i < 5; i++)
		assert_memory_equal(find(&v, 0x8000001D, i)->reg, want[i], 16);
	assert_null(find(&v, 0x8000001D, 5));
	/* 0x8000001E of APIC ID 5 = die 1, core 0, thread 1 */
	const vcpuid_cpuid_entry *e = find(&v, 0x8000001E, 0);
	assert_int_equal(e->reg[VCPUID_EAX], 5);
	assert_int_equal(e->reg[VCPUID_EBX], 0x100);
	assert_int_equal(e->reg[VCPUID_ECX], 0x101);
	/* CmpLegacy on non-Intel with >1 thread per package */
	assert_true(find(&v, 0x80000001, 0)->reg[VCPUID_ECX] & 2);
	/* 0x80000005 from the model's table */
	assert_int_equal(find(&v, 0x80000005, 0)->reg[VCPUID_ECX], 0x20080140);
	assert_int_equal(find(&v, 0x80000006, 0)->reg[VCPUID_ECX], 0x02006140);
	assert_int_equal(find(&v, 0x80000006, 0)->reg[VCPUID_EDX], 0x00408140);
	/* 0x80000008 ECX: package offset 3, 4 threads per package */
	assert_int_equal(find(&v, 0x80000008, 0)->reg[VCPUID_ECX], 0x3003);
	/* AMD KVM default microcode revision */
	uint64_t rev = 0;
	assert_true(vcpuid_msr_list_get(&v.msrs, 0x8b, &rev));
	assert_int_equal(rev, 0x01000065);
	vcpuid_vcpu_free(&v);
	host_done(h);
}

static void topology_leaves(void **state)
{
	(void)state;
	vcpuid_host *h = kvm_host();
	for (unsigned k = 0; k < 4; k++) {
		vcpuid_cpu c;
		intel_cpu(&c, topos[k]);
		for (unsigned i = 0; i < topos[k].cpus; i++) {
			vcpuid_vcpu v;
			assert_int_equal(vcpuid_synthesize(&c, h, i, &v, NULL), 0);
			uint32_t apic = vcpuid_apic_id(&topos[k], i);
			unsigned smt = topos[k].threads > 1, core = topos[k].cores > 1;
			unsigned die = topos[k].dies > 1;
			unsigned per_pkg = topos[k].cores * topos[k].threads;
			const vcpuid_cpuid_entry *e = find(&v, 1, 0);
			assert_int_equal(e->reg[VCPUID_EBX] >> 24, apic);
			assert_int_equal((e->reg[VCPUID_EBX] >> 16) & 0xff,
					 per_pkg > 1 ? per_pkg : 0);
			assert_int_equal(!!(e->reg[VCPUID_EDX] & (1u << 28)), per_pkg > 1);
			/* 0xB */
			e = find(&v, 0xB, 0);
			assert_int_equal(e->reg[VCPUID_EAX], smt);
			assert_int_equal(e->reg[VCPUID_EBX], topos[k].threads);
			assert_int_equal(e->reg[VCPUID_ECX], 0x100);
			assert_int_equal(e->reg[VCPUID_EDX], apic);
			e = find(&v, 0xB, 1);
			assert_int_equal(e->reg[VCPUID_EAX], smt + core + die);
			assert_int_equal(e->reg[VCPUID_EBX], per_pkg);
			assert_int_equal(e->reg[VCPUID_ECX], 0x201);
			e = find(&v, 0xB, 2);
			assert_int_equal(e->reg[VCPUID_ECX], 2);
			assert_null(find(&v, 0xB, 3));
			/* 0x1F only with dies */
			if (!die) {
				assert_null(find(&v, 0x1F, 0));
			} else {
				e = find(&v, 0x1F, 1);
				assert_int_equal(e->reg[VCPUID_EAX], smt + core);
				e = find(&v, 0x1F, 2);
				assert_int_equal(e->reg[VCPUID_EAX], smt + core + 1);
				assert_int_equal(e->reg[VCPUID_EBX], 2 * per_pkg);
				assert_int_equal(e->reg[VCPUID_ECX], 0x502);
				assert_int_equal(e->reg[VCPUID_EDX], apic);
				assert_int_equal(find(&v, 0x1F, 3)->reg[VCPUID_ECX], 3);
				/* level 0x1f: zero indexed leaves are kept */
				assert_non_null(find(&v, 0x12, 2));
				assert_non_null(find(&v, 0x14, 0));
			}
			/* 0xD without XSAVE: the lone subleaf-63 entry */
			e = find(&v, 0xD, 63);
			assert_non_null(e);
			assert_int_equal(e->reg[VCPUID_EAX] | e->reg[VCPUID_EBX], 0);
			vcpuid_vcpu_free(&v);
		}
	}
	host_done(h);
}

static void xsave_sizes(void **state)
{
	(void)state;
	vcpuid_cpu c, *cpu = &c;
	vcpuid_host *h = kvm_host();
	/* the host's standard-format offsets (Intel layout) */
	const uint32_t off[][3] = { { 2, 256, 576 }, { 5, 64, 1088 },
				    { 6, 512, 1152 }, { 7, 1024, 1664 },
				    { 9, 8, 2688 } };
	for (size_t i = 0; i < 5; i++)
		vcpuid_table_add(&h->raw, 0xD, off[i][0], 1, off[i][1], off[i][2],
				 0, 0);
	intel_cpu(cpu, topos[0]);
	F(1_ECX, 26); F(1_ECX, 28); /* xsave avx */
	F(7_0_EBX, 16); F(7_0_ECX, 3); /* avx512f pku */
	cpu->level = 0xd;
	cpu->features[VCPUID_W_XSAVE] = 0xf; /* xsaveopt xsavec xgetbv1 xsaves */
	cpu->features[VCPUID_W_XSAVE_XCR0_LO] = 0x2e7;
	memcpy(cpu->supported, cpu->features, sizeof(cpu->features));
	vcpuid_vcpu v;
	assert_int_equal(vcpuid_synthesize(cpu, h, 0, &v, NULL), 0);
	const vcpuid_cpuid_entry *e = find(&v, 0xD, 0);
	assert_int_equal(e->reg[VCPUID_EAX], 0x2e7);
	assert_int_equal(e->reg[VCPUID_EBX], 2696);
	assert_int_equal(e->reg[VCPUID_ECX], 2696);
	e = find(&v, 0xD, 1);
	assert_int_equal(e->reg[VCPUID_EAX], 0xf);
	assert_int_equal(e->reg[VCPUID_EBX], 576 + 256 + 64 + 512 + 1024 + 8);
	e = find(&v, 0xD, 2);
	assert_int_equal(e->reg[VCPUID_EAX], 256);
	assert_int_equal(e->reg[VCPUID_EBX], 576);
	assert_null(find(&v, 0xD, 3));
	assert_null(find(&v, 0xD, 4));
	assert_int_equal(find(&v, 0xD, 9)->reg[VCPUID_EBX], 2688);
	assert_non_null(find(&v, 0xD, 63));
	assert_int_equal(v.cpuid.e[v.cpuid.n - 1].function, 0x80000008);
	vcpuid_vcpu_free(&v);
	/* KVM without avx512f: no host offsets for its components */
	cpu->supported[VCPUID_W_7_0_EBX] = 0;
	assert_int_equal(vcpuid_synthesize(cpu, h, 0, &v, NULL), 0);
	assert_int_equal(find(&v, 0xD, 6)->reg[VCPUID_EBX], 0);
	assert_int_equal(find(&v, 0xD, 0)->reg[VCPUID_ECX], 2696);
	vcpuid_vcpu_free(&v);
	host_done(h);
}

/* CET_U / CET_S (XSAVE components 11, 12) of a KVM whose XSS has them,
 * on a host whose CPUID shows no subleaf 0xD.11/12 (a libcpuid dump):
 * QEMU 11.0 on answers 0xD.n from x86_ext_save_areas[] as
 * kvm_cpu_xsave_init left it, so ECX is 0 there; before, a supervisor
 * component had ECX 1 whatever the host said (seen against QEMU 11.1,
 * Haswell-v1 on the Ryzen 7 5800X3D dump, pc-i440fx-8.1). */
static void xsave_supervisor_ecx(void **state)
{
	(void)state;
	vcpuid_cpu c, *cpu = &c;
	vcpuid_host *h = kvm_host();
	vcpuid_table_add(&h->raw, 0xD, 2, 1, 256, 576, 0, 0);
	vcpuid_table_add(&h->supported, 0xD, 0, 1, 0x7, 0x340, 0x340, 0);
	vcpuid_table_add(&h->supported, 0xD, 1, 1, 0xf, 0x350, 0x1800, 0);
	intel_cpu(cpu, topos[0]);
	F(1_ECX, 26); F(1_ECX, 28); /* xsave avx */
	cpu->features[VCPUID_W_XSAVE] = 0x1; /* xsaveopt */
	cpu->features[VCPUID_W_XSAVE_XCR0_LO] = 0x7;
	memcpy(cpu->supported, cpu->features, sizeof(cpu->features));
	cpu->supported[VCPUID_W_7_0_ECX] |= 1u << 7; /* KVM has cet-ss */
	const struct { const char *machine; uint32_t ecx; } want[] = {
		{ "pc-i440fx-8.1@11.1", 0 }, { "pc-i440fx-11.1", 0 },
		{ "pc-i440fx-8.1@10.2", 1 }, { "pc-i440fx-10.2", 1 },
	};
	vcpuid_vcpu v;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		cpu->machine = vcpuid_machine_find(want[i].machine);
		assert_non_null(cpu->machine);
		assert_int_equal(vcpuid_synthesize(cpu, h, 0, &v, NULL), 0);
		for (uint32_t n = 11; n <= 12; n++) {
			const vcpuid_cpuid_entry *e = find(&v, 0xD, n);
			assert_non_null(e);
			assert_int_equal(e->reg[VCPUID_EAX], n == 11 ? 16 : 24);
			assert_int_equal(e->reg[VCPUID_EBX], 0);
			assert_int_equal(e->reg[VCPUID_ECX], want[i].ecx);
		}
		vcpuid_vcpu_free(&v);
	}
	/* a host whose CPUID has the subleaves: their ECX, supervisor bit 0 */
	vcpuid_table_add(&h->raw, 0xD, 11, 1, 16, 0, 1, 0);
	vcpuid_table_add(&h->raw, 0xD, 12, 1, 24, 0, 1, 0);
	cpu->machine = vcpuid_machine_find("pc-i440fx-8.1@11.1");
	assert_int_equal(vcpuid_synthesize(cpu, h, 0, &v, NULL), 0);
	assert_int_equal(find(&v, 0xD, 11)->reg[VCPUID_ECX], 1);
	assert_int_equal(find(&v, 0xD, 12)->reg[VCPUID_ECX], 1);
	vcpuid_vcpu_free(&v);
	/* QEMU 9.2 on takes them for every component of KVM's XCR0/XSS,
	 * even when KVM has neither cet-ss nor cet-ibt */
	cpu->supported[VCPUID_W_7_0_ECX] &= ~(1u << 7);
	assert_int_equal(vcpuid_synthesize(cpu, h, 0, &v, NULL), 0);
	assert_int_equal(find(&v, 0xD, 11)->reg[VCPUID_ECX], 1);
	assert_int_equal(find(&v, 0xD, 12)->reg[VCPUID_ECX], 1);
	vcpuid_vcpu_free(&v);
	host_done(h);
}

static void brand_and_signature(void **state)
{
	(void)state;
	vcpuid_cpu c;
	vcpuid_host *h = kvm_host();
	intel_cpu(&c, topos[0]);
	strcpy(c.model_id, "0123456789abcdefFEDCBA9876543210!\"#$%&'()*+,-./_");
	c.family = 0x19;
	c.model_num = 0x21;
	c.stepping = 0x10; /* only 4 bits kept */
	vcpuid_vcpu v;
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	char brand[49] = { 0 };
	for (unsigned i = 0; i < 3; i++)
		memcpy(brand + 16 * i, find(&v, 0x80000002 + i, 0)->reg, 16);
	assert_string_equal(brand, c.model_id);
	assert_int_equal(find(&v, 1, 0)->reg[VCPUID_EAX], 0x00a20f10);
	const vcpuid_cpuid_entry *e = find(&v, 0, 0);
	assert_memory_equal(&e->reg[VCPUID_EBX], "Genu", 4);
	assert_memory_equal(&e->reg[VCPUID_EDX], "ineI", 4);
	assert_memory_equal(&e->reg[VCPUID_ECX], "ntel", 4);
	/* KVM leaves first */
	assert_int_equal(v.cpuid.e[0].function, 0x40000000);
	assert_int_equal(v.cpuid.e[0].reg[VCPUID_EAX], 0x40000001);
	assert_memory_equal(&v.cpuid.e[0].reg[VCPUID_EBX], "KVMKVMKVM\0\0\0", 12);
	assert_int_equal(v.cpuid.e[1].reg[VCPUID_EAX], 0x0100007b);
	vcpuid_vcpu_free(&v);
	/* a short brand: 0x80000004 is all zero and left out */
	strcpy(c.model_id, "short");
	c.kvm = false;
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	assert_null(find(&v, 0x80000004, 0));
	assert_null(find(&v, 0x40000000, 0));
	assert_int_equal(v.cpuid.e[0].function, 0);
	vcpuid_vcpu_free(&v);
	host_done(h);
}

static void entry_limit(void **state)
{
	(void)state;
	vcpuid_cpu c;
	vcpuid_host *h = kvm_host();
	intel_cpu(&c, topos[0]);
	c.host_cache_info = true;
	vcpuid_table_add(&h->raw, 0, 0, 0, 0xd, 0, 0, 0);
	vcpuid_table_add(&h->raw, 2, 0, 0, 0xff, 0, 0, 0); /* 255 leaf-2 reads */
	vcpuid_vcpu v;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, &err), VCPUID_E_LIMIT);
	assert_int_equal(err.code, VCPUID_E_LIMIT);
	assert_non_null(strstr(err.msg, "100"));
	/* 0x04 host leaf-2 rounds: 4 stateful entries */
	h->raw.e[h->raw.n - 1].reg[VCPUID_EAX] = 0x04;
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, &err), 0);
	size_t n2 = 0;
	for (size_t i = 0; i < v.cpuid.n; i++)
		if (v.cpuid.e[i].function == 2) {
			assert_int_equal(v.cpuid.e[i].flags & VCPUID_FLAG_STATEFUL_FUNC,
					 VCPUID_FLAG_STATEFUL_FUNC);
			n2++;
		}
	assert_int_equal(n2, 4);
	vcpuid_vcpu_free(&v);
	host_done(h);
}

static void feature_msrs(void **state)
{
	(void)state;
	vcpuid_cpu c;
	vcpuid_host *h = kvm_host();
	intel_cpu(&c, topos[0]);
	c.pmu = true;
	c.features[VCPUID_W_ARCH_CAP] = 0x69;
	c.features[VCPUID_W_PERF_CAP] = 0x2000 | 0x1f;
	c.features[VCPUID_W_1_ECX] |= 1u << 5; /* vmx */
	c.features[VCPUID_W_VMX_SECONDARY] = 2; /* enable EPT */
	c.features[VCPUID_W_VMX_BASIC] = 1ull << 54;
	vcpuid_msr_list_add(&h->feature_msrs, 0x345, 0x1f);
	vcpuid_msr_list_add(&h->feature_msrs, 0x480, 0x00da040000000004ull);
	vcpuid_msr_list_add(&h->feature_msrs, 0x485, 0x7f);
	vcpuid_msr_list_add(&h->feature_msrs, 0x48c, 0xf0106f34141ull);
	vcpuid_vcpu v;
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	const uint32_t order[] = { 0x10a, 0xcf, 0x345, 0x8b, 0x48e, 0x48d, 0x48f,
				   0x490, 0x48b, 0x48c, 0x480, 0x485, 0x491,
				   0x486, 0x488, 0x48a };
	assert_int_equal(v.msrs.n, sizeof(order) / sizeof(order[0]));
	for (size_t i = 0; i < v.msrs.n; i++)
		assert_int_equal(v.msrs.m[i].index, order[i]);
	uint64_t x;
	vcpuid_msr_list_get(&v.msrs, 0x10a, &x);
	assert_int_equal(x, 0x69);
	vcpuid_msr_list_get(&v.msrs, 0x345, &x);
	assert_int_equal(x, 0x1f); /* KVM's value & the guest's word */
	vcpuid_msr_list_get(&v.msrs, 0x8b, &x);
	assert_int_equal(x, 0x100000000ull);
	vcpuid_msr_list_get(&v.msrs, 0x48b, &x);
	assert_int_equal(x, 2ull << 32);
	vcpuid_msr_list_get(&v.msrs, 0x48d, &x);
	assert_int_equal(x, 0x0000001600000016ull);
	vcpuid_msr_list_get(&v.msrs, 0x48f, &x); /* + host address-space size */
	assert_int_equal(x, ((0x00036dffull | 0x200) << 32) | 0x00036dff);
	vcpuid_msr_list_get(&v.msrs, 0x48c, &x);
	assert_int_equal(x, 0x4100);
	vcpuid_msr_list_get(&v.msrs, 0x480, &x);
	/* host bits kept: revision, region size, memory type, not 46-49/55 */
	assert_int_equal(x, (1ull << 54) | 0x0018040000000004ull);
	vcpuid_msr_list_get(&v.msrs, 0x485, &x);
	assert_int_equal(x, 0x1f);
	vcpuid_msr_list_get(&v.msrs, 0x48a, &x);
	assert_int_equal(x, 0x2e);
	vcpuid_vcpu_free(&v);
	/* pmu off: no PERF_CAPABILITIES; and 1.ECX PDCM is cleared */
	c.pmu = false;
	c.features[VCPUID_W_1_ECX] |= 1u << 15;
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	assert_false(vcpuid_msr_list_get(&v.msrs, 0x345, &x));
	assert_int_equal(find(&v, 1, 0)->reg[VCPUID_ECX] & (1u << 15), 0);
	vcpuid_vcpu_free(&v);
	host_done(h);
}

static void properties(void **state)
{
	(void)state;
	vcpuid_cpu c;
	vcpuid_host *h = kvm_host();
	vcpuid_vcpu v;
	intel_cpu(&c, topos[2]);
	/* cpuid-0xb=off: leaf 0xB answers zero, yet its terminating subleaf 0
	 * is kept (ECX[15:8] = 0 ends the loop at once) */
	c.cpuid_0xb_off = true;
	assert_int_equal(vcpuid_synthesize(&c, h, 3, &v, NULL), 0);
	const vcpuid_cpuid_entry *e = find(&v, 0xB, 0);
	assert_non_null(e);
	assert_int_equal(e->reg[0] | e->reg[1] | e->reg[2] | e->reg[3], 0);
	assert_null(find(&v, 0xB, 1));
	vcpuid_vcpu_free(&v);
	c.cpuid_0xb_off = false;
	/* level-func7: the number of leaf 7 subleaves after subleaf 0 */
	c.level_func7 = 1;
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	assert_int_equal(find(&v, 7, 0)->reg[VCPUID_EAX], 1);
	assert_non_null(find(&v, 7, 1));
	assert_null(find(&v, 7, 2));
	vcpuid_vcpu_free(&v);
	c.level_func7 = 2;
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	assert_non_null(find(&v, 7, 2));
	vcpuid_vcpu_free(&v);
	/* tsc-frequency: vmware-cpuid-freq leaf 0x40000010, last */
	c.tsc_khz = 2500000;
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	assert_int_equal(v.cpuid.e[v.cpuid.n - 1].function, 0x40000010);
	assert_int_equal(v.cpuid.e[v.cpuid.n - 1].reg[VCPUID_EAX], 2500000);
	assert_int_equal(v.cpuid.e[v.cpuid.n - 1].reg[VCPUID_EBX], 1000000);
	assert_int_equal(find(&v, 0x40000000, 0)->reg[VCPUID_EAX], 0x40000010);
	vcpuid_vcpu_free(&v);
	c.vmware_cpuid_freq_off = true;
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	assert_null(find(&v, 0x40000010, 0));
	vcpuid_vcpu_free(&v);
	/* no tsc-frequency: the rate KVM gives a vCPU (profile kvm.tsc_khz),
	 * only with invtsc (a stable TSC), as QEMU's tsc_is_stable_and_known */
	c.vmware_cpuid_freq_off = false;
	c.tsc_khz = 0;
	h->tsc_khz = 1800000;
	c.features[VCPUID_W_8000_0007_EDX] &= ~(1ull << 8);
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	assert_null(find(&v, 0x40000010, 0));
	vcpuid_vcpu_free(&v);
	c.features[VCPUID_W_8000_0007_EDX] |= 1ull << 8;
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	assert_non_null(find(&v, 0x40000010, 0));
	assert_int_equal(find(&v, 0x40000010, 0)->reg[VCPUID_EAX], 1800000);
	vcpuid_vcpu_free(&v);
	c.tsc_khz = 2500000; /* tsc-frequency wins */
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	assert_int_equal(find(&v, 0x40000010, 0)->reg[VCPUID_EAX], 2500000);
	vcpuid_vcpu_free(&v);
	h->tsc_khz = 0; /* unknown rate: no leaf */
	c.tsc_khz = 0;
	assert_int_equal(vcpuid_synthesize(&c, h, 0, &v, NULL), 0);
	assert_null(find(&v, 0x40000010, 0));
	vcpuid_vcpu_free(&v);
	host_done(h);
}

static void kvm_structs(void **state)
{
	(void)state;
	vcpuid_cpu c;
	vcpuid_host *h = kvm_host();
	intel_cpu(&c, topos[1]);
	vcpuid_vcpu v;
	assert_int_equal(vcpuid_synthesize(&c, h, 3, &v, NULL), 0);
	struct kvm_cpuid2 *k = vcpuid_vcpu_to_kvm_cpuid(&v);
	assert_non_null(k);
	/* struct kvm_cpuid2: nent, padding, then 40-byte entries */
	const uint32_t *w = (const uint32_t *)k;
	assert_int_equal(w[0], v.cpuid.n);
	for (size_t i = 0; i < v.cpuid.n; i++) {
		const uint32_t *e = w + 2 + 10 * i;
		assert_int_equal(e[0], v.cpuid.e[i].function);
		assert_int_equal(e[1], v.cpuid.e[i].index);
		assert_int_equal(e[2], v.cpuid.e[i].flags);
		assert_memory_equal(e + 3, v.cpuid.e[i].reg, 16);
	}
	free(k);
	struct kvm_msrs *m = vcpuid_vcpu_to_kvm_msrs(&v);
	assert_non_null(m);
	assert_int_equal(*(const uint32_t *)m, v.msrs.n);
	free(m);
	vcpuid_vcpu_free(&v);
	host_done(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(apic_ids),
		cmocka_unit_test(legacy_cache_leaves),
		cmocka_unit_test(amd_cache_and_topology),
		cmocka_unit_test(topology_leaves),
		cmocka_unit_test(xsave_sizes),
		cmocka_unit_test(xsave_supervisor_ecx),
		cmocka_unit_test(brand_and_signature),
		cmocka_unit_test(entry_limit),
		cmocka_unit_test(feature_msrs),
		cmocka_unit_test(properties),
		cmocka_unit_test(kvm_structs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
