/* SPDX-License-Identifier: MIT */
/* Unit tests of the XSAVE area (src/lib/synth/xsave.c): component sizes
 * (SDM vol. 1, 13.4-13.5), standard-format offsets taken from the host's
 * CPUID.0xD.n as QEMU's kvm_cpu_xsave_init does, and the area sizes of
 * CPUID.0xD.0 (standard) and 0xD.1 EBX (compacted) for XCR0/XSS masks,
 * as QEMU's xsave_area_size computes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "synth/synth.h"

/* The host view the stages read (host/query.c), built from a test host
 * (NULL: no accelerator); one at a time. */
static const hq_view *V(const vcpuid_host *h)
{
	static hq_view v;
	hq_view_init(&v, h, HQ_ASK_BRAND | HQ_ASK_XSAVE, NULL);
	return &v;
}

#define BIT(n) (1ull << (n))

/* A Sapphire-Rapids-like host's CPUID.0xD.n: size, standard offset, ECX
 * (bit 1: 64-byte aligned when compacted, bit 2: XFD). */
static const uint32_t spr[][4] = {
	{ 2, 256, 576, 0 },	/* YMM_Hi128 */
	{ 3, 64, 960, 0 },	/* BNDREGS */
	{ 4, 64, 1024, 0 },	/* BNDCSR */
	{ 5, 64, 1088, 0 },	/* opmask */
	{ 6, 512, 1152, 0 },	/* ZMM_Hi256 */
	{ 7, 1024, 1664, 0 },	/* Hi16_ZMM */
	{ 9, 8, 2688, 0 },	/* PKRU */
	{ 15, 808, 0, 1 },	/* arch LBR (supervisor) */
	{ 17, 64, 2752, 2 },	/* XTILECFG */
	{ 18, 8192, 2816, 6 },	/* XTILEDATA */
};

static void spr_host(vcpuid_host *h)
{
	vcpuid_host_init(h);
	h->has_raw = h->has_kvm = true;
	for (size_t i = 0; i < sizeof(spr) / sizeof(spr[0]); i++)
		assert_non_null(vcpuid_table_add(&h->raw, 0xD, spr[i][0],
						 VCPUID_FLAG_SIGNIFICANT_INDEX,
						 spr[i][1], spr[i][2], spr[i][3],
						 0));
}

/* A CPU whose host supports xsave, avx, mpx, avx512f, pku, arch-lbr and
 * amx-tile. */
static void spr_cpu(vcpuid_cpu *c)
{
	memset(c, 0, sizeof(*c));
	c->supported[VCPUID_W_1_ECX] = BIT(26) | BIT(28);
	c->supported[VCPUID_W_7_0_EBX] = BIT(14) | BIT(16);
	c->supported[VCPUID_W_7_0_ECX] = BIT(3);
	c->supported[VCPUID_W_7_0_EDX] = BIT(19) | BIT(24);
}

/* Sizes of every component QEMU 7.2 knows; 0 for the others. */
static void component_sizes(void **state)
{
	(void)state;
	vcpuid_cpu c;
	memset(&c, 0, sizeof(c));
	vs_xsave x;
	vs_xsave_init(&x, &c, V(NULL), 702, NULL);
	static const uint32_t want[VS_XSAVE_COMPONENTS] = {
		[0] = 576, [1] = 576, [2] = 256, [3] = 64, [4] = 64, [5] = 64,
		[6] = 512, [7] = 1024, [9] = 8, [11] = 16, [12] = 24,
		[15] = 808, [17] = 64, [18] = 8192,
	};
	for (unsigned i = 0; i < VS_XSAVE_COMPONENTS; i++) {
		assert_int_equal(x.size[i], want[i]);
		assert_int_equal(x.offset[i], 0); /* no host: no offsets */
	}
	assert_true(x.xcr0 == 0 && x.xss == 0);
}

/* The guest's masks come from its XCR0/XSS feature words. */
static void masks_from_words(void **state)
{
	(void)state;
	vcpuid_cpu c;
	memset(&c, 0, sizeof(c));
	c.features[VCPUID_W_XSAVE_XCR0_LO] = 0x602e7;
	c.features[VCPUID_W_XSAVE_XCR0_HI] = 0x1;
	c.features[VCPUID_W_XSAVE_XSS_LO] = BIT(15);
	vs_xsave x;
	vs_xsave_init(&x, &c, V(NULL), 702, NULL);
	assert_true(x.xcr0 == (0x602e7ull | BIT(32)));
	assert_true(x.xss == BIT(15));
}

/* Offsets and ECX from the host, for the components whose enabling
 * feature the host's KVM supports. */
static void host_offsets(void **state)
{
	(void)state;
	vcpuid_host h;
	spr_host(&h);
	vcpuid_cpu c;
	spr_cpu(&c);
	vs_xsave x;
	vs_xsave_init(&x, &c, V(&h), 702, NULL);
	for (size_t i = 0; i < sizeof(spr) / sizeof(spr[0]); i++) {
		unsigned n = spr[i][0];
		assert_int_equal(x.offset[n], spr[i][2]);
		assert_int_equal(x.ecx[n], spr[i][3]);
	}
	/* components 0 and 1 are the legacy area at 0 */
	assert_int_equal(x.offset[0], 0);
	assert_int_equal(x.offset[1], 0);
	/* KVM without avx512f and amx-tile: their offsets stay unknown */
	c.supported[VCPUID_W_7_0_EBX] &= ~BIT(16);
	c.supported[VCPUID_W_7_0_EDX] &= ~BIT(24);
	vs_xsave_init(&x, &c, V(&h), 702, NULL);
	for (unsigned n = 5; n <= 7; n++)
		assert_int_equal(x.offset[n], 0);
	assert_int_equal(x.offset[17], 0);
	assert_int_equal(x.ecx[18], 0);
	assert_int_equal(x.offset[2], 576);
	assert_int_equal(x.offset[9], 2688);
	/* from QEMU 9.2 avx10 (7.1.EDX[19]) also enables 5..7 */
	c.supported[VCPUID_W_7_1_EDX] = BIT(19);
	vs_xsave_init(&x, &c, V(&h), 702, NULL);
	assert_int_equal(x.offset[6], 0);
	vs_xsave_init(&x, &c, V(&h), 902, NULL);
	assert_int_equal(x.offset[5], 1088);
	assert_int_equal(x.offset[6], 1152);
	assert_int_equal(x.offset[7], 1664);
	/* a host entry with size 0 is no component */
	vcpuid_table_find_mut(&h.raw, 0xD, 9)->reg[VCPUID_EAX] = 0;
	vs_xsave_init(&x, &c, V(&h), 702, NULL);
	assert_int_equal(x.offset[9], 0);
	/* a profile without the raw table gives no offsets */
	h.has_raw = false;
	spr_cpu(&c);
	vs_xsave_init(&x, &c, V(&h), 702, NULL);
	assert_int_equal(x.offset[2], 0);
	vcpuid_host_free(&h);
}

/* CPUID.0xD.0 EBX/ECX: the standard-format size, the end of the highest
 * enabled component. */
static void standard_sizes(void **state)
{
	(void)state;
	vcpuid_host h;
	spr_host(&h);
	vcpuid_cpu c;
	spr_cpu(&c);
	vs_xsave x;
	vs_xsave_init(&x, &c, V(&h), 702, NULL);
	assert_int_equal(vs_xsave_area_size(&x, 0x1, false), 576);
	assert_int_equal(vs_xsave_area_size(&x, 0x3, false), 576);   /* x87|SSE */
	assert_int_equal(vs_xsave_area_size(&x, 0x7, false), 832);   /* +AVX */
	assert_int_equal(vs_xsave_area_size(&x, 0x1f, false), 1088); /* +MPX */
	assert_int_equal(vs_xsave_area_size(&x, 0x27, false), 1152); /* opmask */
	assert_int_equal(vs_xsave_area_size(&x, 0xe7, false), 2688); /* AVX-512 */
	assert_int_equal(vs_xsave_area_size(&x, 0xff, false), 2688);
	assert_int_equal(vs_xsave_area_size(&x, 0x2e7, false), 2696); /* +PKRU */
	assert_int_equal(vs_xsave_area_size(&x, 0x2ff, false), 2696);
	/* AMX: XTILEDATA ends at 2816 + 8192 */
	assert_int_equal(vs_xsave_area_size(&x, 0x602e7, false), 11008);
	assert_int_equal(vs_xsave_area_size(&x, 0x207, false), 2696);
	/* component 8 (PT) and any above 18 are unknown to QEMU 7.2 */
	assert_int_equal(vs_xsave_area_size(&x, 0x107 | BIT(40), false), 832);
	vcpuid_host_free(&h);
}

/* CPUID.0xD.1 EBX: the compacted size of XCR0 | XSS, components packed
 * one after the other in component order (QEMU does not apply the
 * 64-byte alignment of ECX bit 1). */
static void compacted_sizes(void **state)
{
	(void)state;
	vcpuid_host h;
	spr_host(&h);
	vcpuid_cpu c;
	spr_cpu(&c);
	vs_xsave x;
	vs_xsave_init(&x, &c, V(&h), 702, NULL);
	assert_int_equal(vs_xsave_area_size(&x, 0x3, true), 576);
	assert_int_equal(vs_xsave_area_size(&x, 0x7, true), 832);
	/* 576 + 256 + 64 + 512 + 1024 */
	assert_int_equal(vs_xsave_area_size(&x, 0xe7, true), 2432);
	/* without AVX the AVX-512 parts move down: 576 + 64 + 512 + 1024 */
	assert_int_equal(vs_xsave_area_size(&x, 0xe3, true), 2176);
	assert_int_equal(vs_xsave_area_size(&x, 0x2e7, true), 2440);
	/* + arch LBR (XSS bit 15, 808 bytes) */
	assert_int_equal(vs_xsave_area_size(&x, 0x2e7 | BIT(15), true), 3248);
	/* + AMX: 3248 + 64 + 8192 */
	assert_int_equal(vs_xsave_area_size(&x, 0x682e7, true), 11504);
	/* CET_U and CET_S (QEMU 11's XSS components 11 and 12) */
	assert_int_equal(vs_xsave_area_size(&x, 0x3 | BIT(11) | BIT(12), true),
			 576 + 16 + 24);
	/* the compacted size needs no host offsets at all */
	vs_xsave_init(&x, &c, V(NULL), 702, NULL);
	assert_int_equal(vs_xsave_area_size(&x, 0x2e7, true), 2440);
	/* ... while the standard one, without them, is only the largest
	 * component counted from 0 (QEMU's result with unknown offsets) */
	assert_int_equal(vs_xsave_area_size(&x, 0x2e7, false), 1024);
	vcpuid_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(component_sizes),
		cmocka_unit_test(masks_from_words),
		cmocka_unit_test(host_offsets),
		cmocka_unit_test(standard_sizes),
		cmocka_unit_test(compacted_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
