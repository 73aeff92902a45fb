/* SPDX-License-Identifier: MIT */
/* Unit tests of the cache encodings (src/lib/synth/cache.c): leaf 2
 * descriptors, leaf 4 and 0x8000001D (QEMU 7.2's counts and QEMU 8.0+'s
 * APIC-ID widths per share level), 0x80000005/6 with AMD's associativity
 * codes. Expected registers are worked out by hand from the SDM (CPUID
 * leaf 2 descriptor table, leaf 4 field layout) and the APM (0x80000005,
 * 0x80000006, 0x8000001D) for an EPYC-Rome-like cache table. */
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
#define KIB 1024u
#define MIB (1024u * 1024u)

/* 32 KiB 8-way L1s, 512 KiB 8-way L2 per core, 16 MiB 16-way L3. */
static const vcpuid_cache_set rome = {
	.l1d = { .type = VCPUID_CACHE_DATA, .level = 1, .size = 32 * KIB,
		 .line_size = 64, .associativity = 8, .partitions = 1,
		 .sets = 64, .lines_per_tag = 1, .self_init = true,
		 .no_invd_sharing = true },
	.l1i = { .type = VCPUID_CACHE_INST, .level = 1, .size = 32 * KIB,
		 .line_size = 64, .associativity = 8, .partitions = 1,
		 .sets = 64, .lines_per_tag = 1, .self_init = true,
		 .no_invd_sharing = true },
	.l2 = { .type = VCPUID_CACHE_UNIFIED, .level = 2, .size = 512 * KIB,
		.line_size = 64, .associativity = 8, .partitions = 1,
		.sets = 1024, .lines_per_tag = 1, .self_init = true,
		.no_invd_sharing = true },
	.l3 = { .type = VCPUID_CACHE_UNIFIED, .level = 3, .size = 16 * MIB,
		.line_size = 64, .associativity = 16, .partitions = 1,
		.sets = 16384, .lines_per_tag = 1, .self_init = true,
		.inclusive = true, .complex_indexing = true },
};

static void regs(const uint32_t r[4], uint32_t a, uint32_t b, uint32_t c,
		 uint32_t d)
{
	assert_int_equal(r[EAX], a);
	assert_int_equal(r[EBX], b);
	assert_int_equal(r[ECX], c);
	assert_int_equal(r[EDX], d);
}

/* Leaf 2 one-byte descriptors (SDM table "Encoding of CPUID Leaf 2
 * Descriptors"): only an exact match of level, type, size, ways and line. */
static void descriptors(void **state)
{
	(void)state;
	assert_int_equal(vs_cache_descriptor(&rome.l1d, 702), 0x2c);
	assert_int_equal(vs_cache_descriptor(&rome.l1i, 702), 0x30);
	assert_int_equal(vs_cache_descriptor(&rome.l3, 702), 0x4d);
	/* a 512 KiB 8-way 64-byte L2 is 0x80 */
	assert_int_equal(vs_cache_descriptor(&rome.l2, 702), 0x80);
	/* QEMU's legacy leaf-2 set: 2 MiB 8-way L2 = 0x7d */
	assert_int_equal(vs_cache_descriptor(&vs_legacy_cpuid2.l2, 702), 0x7d);
	/* a 4 MiB 16-way L2 is 0x49 in current QEMU */
	assert_int_equal(vs_cache_descriptor(&vs_legacy_cpuid4.l2, 1101), 0x49);
	/* the same sizes with another type, level or line: none */
	vcpuid_cache c = rome.l1d;
	c.type = VCPUID_CACHE_UNIFIED;
	assert_int_equal(vs_cache_descriptor(&c, 1101), VS_NO_DESCRIPTOR);
	c = rome.l1d;
	c.line_size = 32;
	assert_int_equal(vs_cache_descriptor(&c, 1101), VS_NO_DESCRIPTOR);
	c = rome.l3;
	c.level = 2;
	assert_int_equal(vs_cache_descriptor(&c, 1101), VS_NO_DESCRIPTOR);
	/* AMD's 64 KiB 2-way L1 has no descriptor */
	assert_int_equal(vs_cache_descriptor(&vs_legacy_amd.l1d, 1101),
			 VS_NO_DESCRIPTOR);
}

/* QEMU 7.2's leaf 4: EAX = type | level << 5 | self-init << 8 |
 * (APIC IDs sharing - 1) << 14 | (cores per package - 1) << 26;
 * EBX = line - 1 | (partitions - 1) << 12 | (ways - 1) << 22;
 * ECX = sets - 1; EDX = WBINVD | inclusive << 1 | complex << 2. */
static void leaf4_v1(void **state)
{
	(void)state;
	uint32_t r[4];
	vs_cache_leaf4(&rome.l1d, 1, 1, r);
	regs(r, 0x00000121, 0x01c0003f, 63, 1);
	vs_cache_leaf4(&rome.l1i, 2, 4, r);
	regs(r, 0x0c004122, 0x01c0003f, 63, 1);
	vs_cache_leaf4(&rome.l2, 2, 4, r);
	regs(r, 0x0c004143, 0x01c0003f, 1023, 1);
	vs_cache_leaf4(&rome.l3, 8, 4, r);
	regs(r, 0x0c01c163, 0x03c0003f, 16383, 6);
	/* the legacy leaf-4 L2: 4 MiB, 16 ways, 4096 sets */
	vs_cache_leaf4(&vs_legacy_cpuid4.l2, 1, 1, r);
	regs(r, 0x00000143, 0x03c0003f, 4095, 1);
}

/* AMD 0x80000005 ECX/EDX: size KiB << 24 | ways << 16 | lines per tag
 * << 8 | line size. */
static void leaf_80000005(void **state)
{
	(void)state;
	assert_int_equal(vs_cache_80000005(&rome.l1d), 0x20080140);
	assert_int_equal(vs_cache_80000005(&rome.l1i), 0x20080140);
	/* QEMU's legacy AMD L1: 64 KiB 2-way */
	assert_int_equal(vs_cache_80000005(&vs_legacy_amd.l1d), 0x40020140);
}

/* AMD's 4-bit associativity code (APM, CPUID Fn8000_0006). */
static void amd_assoc(void **state)
{
	(void)state;
	static const unsigned ways[] = { 0, 1, 2, 4, 8, 16, 32, 48, 64, 96,
					 128, 0xff };
	static const uint32_t code[] = { 0, 1, 2, 4, 6, 8, 0xa, 0xb, 0xc, 0xd,
					 0xe, 0xf };
	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++)
		assert_int_equal(vs_amd_assoc(ways[i]), code[i]);
	/* no code for these: 0 (invalid) */
	assert_int_equal(vs_amd_assoc(3), 0);
	assert_int_equal(vs_amd_assoc(12), 0);
	assert_int_equal(vs_amd_assoc(20), 0);
	assert_int_equal(vs_amd_assoc(256), 0);
}

/* 0x80000006 ECX: L2 KiB << 16 | code << 12 | lines per tag << 8 | line;
 * EDX: L3 in 512 KiB units << 18 | code << 12 | lines per tag << 8 | line. */
static void leaf_80000006(void **state)
{
	(void)state;
	uint32_t ecx = 1, edx = 1;
	vs_cache_80000006(&rome.l2, &rome.l3, &ecx, &edx);
	assert_int_equal(ecx, 0x02006140);
	assert_int_equal(edx, 0x00808140);
	/* no L3 (l3-cache=off): EDX is 0 */
	vs_cache_80000006(&rome.l2, NULL, &ecx, &edx);
	assert_int_equal(ecx, 0x02006140);
	assert_int_equal(edx, 0);
	/* QEMU's legacy AMD L2: 512 KiB 16-way */
	vs_cache_80000006(&vs_legacy_amd.l2, &vs_legacy_amd.l3, &ecx, &edx);
	assert_int_equal(ecx, 0x02008140);
	assert_int_equal(edx, 0x00808140);
	/* a 32 MiB 16-way L3: 64 units */
	vcpuid_cache l3 = rome.l3;
	l3.size = 32 * MIB;
	vs_cache_80000006(&rome.l2, &l3, &ecx, &edx);
	assert_int_equal(edx, 0x01008140);
}

/* QEMU 7.2's 0x8000001D: L1/L2 shared by the threads of a core, L3 by
 * every thread of a die (cores * threads). */
static void leaf_8000001d_v1(void **state)
{
	(void)state;
	uint32_t r[4];
	vs_topo t = { .dies = 1, .cores = 4, .threads = 2 };
	vs_cache_8000001d(&rome.l1d, &t, r);
	regs(r, 0x4121, 0x01c0003f, 63, 1);
	vs_cache_8000001d(&rome.l2, &t, r);
	regs(r, 0x4143, 0x01c0003f, 1023, 1);
	vs_cache_8000001d(&rome.l3, &t, r);
	regs(r, 0x1c163, 0x03c0003f, 16383, 6);
	t = (vs_topo){ .dies = 2, .cores = 8, .threads = 1 };
	vs_cache_8000001d(&rome.l1d, &t, r);
	assert_int_equal(r[EAX], 0x121);
	vs_cache_8000001d(&rome.l3, &t, r);
	assert_int_equal(r[EAX], 0x1c163);
}

/* QEMU 8.0+: the sharing fields are APIC-ID widths. cores=6 threads=2:
 * SMT 1 bit, core 3 bits; so 8 core IDs (field 7), L1/L2 per core 2 IDs
 * (field 1), L3 per die 16 IDs (field 15). */
static void leaf4_v2(void **state)
{
	(void)state;
	uint32_t r[4];
	vs_topo t = { .dies = 1, .cores = 6, .threads = 2 };
	vs_cache_leaf4_v2(&rome.l1d, &t, false, r);
	regs(r, 0x1c004121, 0x01c0003f, 63, 1);
	/* x-l1-cache-per-thread=false (machine types before 9.1): no sharing
	 * field for L1, L2 keeps it */
	vs_cache_leaf4_v2(&rome.l1d, &t, true, r);
	assert_int_equal(r[EAX], 0x1c000121);
	vs_cache_leaf4_v2(&rome.l2, &t, true, r);
	assert_int_equal(r[EAX], 0x1c004143);
	vs_cache_leaf4_v2(&rome.l3, &t, false, r);
	regs(r, 0x1c03c163, 0x03c0003f, 16383, 6);
	/* explicit share levels */
	vcpuid_cache c = rome.l2;
	c.share_level = VCPUID_SHARE_THREAD;
	vs_cache_leaf4_v2(&c, &t, false, r);
	assert_int_equal(r[EAX], 0x1c000143);
	/* dies=2: die 1 bit above the cores; L3 per die 15, per socket 31;
	 * cores field counts core IDs in the package (dies included) = 15 */
	t = (vs_topo){ .dies = 2, .cores = 6, .threads = 2 };
	vs_cache_leaf4_v2(&rome.l3, &t, false, r);
	assert_int_equal(r[EAX], 0x3c03c163);
	c = rome.l3;
	c.share_level = VCPUID_SHARE_SOCKET;
	vs_cache_leaf4_v2(&c, &t, false, r);
	assert_int_equal(r[EAX], 0x3c07c163);
	c.share_level = VCPUID_SHARE_MODULE; /* no modules: a die */
	vs_cache_leaf4_v2(&c, &t, false, r);
	assert_int_equal(r[EAX], 0x3c03c163);
	/* one thread, one core: zero fields */
	t = (vs_topo){ .dies = 1, .cores = 1, .threads = 1 };
	vs_cache_leaf4_v2(&rome.l3, &t, false, r);
	assert_int_equal(r[EAX], 0x163);
	/* caps: 6 bits of cores (63), 12 bits of sharing (4095) */
	t = (vs_topo){ .dies = 1, .cores = 200, .threads = 2 };
	vs_cache_leaf4_v2(&rome.l1d, &t, false, r);
	assert_int_equal(r[EAX] >> 26, 63);
	t = (vs_topo){ .dies = 1, .cores = 5000, .threads = 1 };
	vs_cache_leaf4_v2(&rome.l3, &t, false, r);
	assert_int_equal((r[EAX] >> 14) & 0xfff, 4095);
	assert_int_equal(r[EAX] >> 26, 63);
}

/* QEMU 8.0+'s 0x8000001D: the same widths, no cores field; with
 * x-amd-topoext-features-only EDX keeps WBINVD and inclusive only. */
static void leaf_8000001d_v2(void **state)
{
	(void)state;
	uint32_t r[4];
	vs_topo t = { .dies = 1, .cores = 6, .threads = 2 };
	vs_cache_8000001d_v2(&rome.l1d, &t, false, r);
	regs(r, 0x4121, 0x01c0003f, 63, 1);
	vs_cache_8000001d_v2(&rome.l3, &t, false, r);
	regs(r, 0x3c163, 0x03c0003f, 16383, 6);
	vs_cache_8000001d_v2(&rome.l3, &t, true, r);
	assert_int_equal(r[EDX], 2);
	vs_cache_8000001d_v2(&rome.l1d, &t, true, r);
	assert_int_equal(r[EDX], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(descriptors),
		cmocka_unit_test(leaf4_v1),
		cmocka_unit_test(leaf_80000005),
		cmocka_unit_test(amd_assoc),
		cmocka_unit_test(leaf_80000006),
		cmocka_unit_test(leaf_8000001d_v1),
		cmocka_unit_test(leaf4_v2),
		cmocka_unit_test(leaf_8000001d_v2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
