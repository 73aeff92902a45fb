/* SPDX-License-Identifier: MIT */
/* kvm_struct.c: a vCPU as the bytes of struct kvm_cpuid2 (KVM_SET_CPUID2)
 * and struct kvm_msrs (KVM_SET_MSRS). The offsets are the kernel ABI's,
 * written out here (Documentation/virt/kvm/api.rst), not taken from the
 * header the library compiles against. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/kvm.h>
#include "vcpuid.h"

static uint32_t u32_at(const void *base, size_t off)
{
	uint32_t v;
	memcpy(&v, (const unsigned char *)base + off, 4);
	return v;
}

static uint64_t u64_at(const void *base, size_t off)
{
	uint64_t v;
	memcpy(&v, (const unsigned char *)base + off, 8);
	return v;
}

static void abi_sizes(void **state)
{
	(void)state;
	/* nent, padding; then 40-byte entries: function, index, flags, eax,
	 * ebx, ecx, edx, padding[3] */
	assert_int_equal(sizeof(struct kvm_cpuid2), 8);
	assert_int_equal(sizeof(struct kvm_cpuid_entry2), 40);
	/* nmsrs, pad; then 16-byte entries: index, reserved, data */
	assert_int_equal(sizeof(struct kvm_msrs), 8);
	assert_int_equal(sizeof(struct kvm_msr_entry), 16);
}

static void cpuid_bytes(void **state)
{
	(void)state;
	vcpuid_vcpu v = { 0 };
	vcpuid_table_add(&v.cpuid, 0, 0, 0, 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69);
	vcpuid_table_add(&v.cpuid, 7, 0, VCPUID_FLAG_SIGNIFICANT_INDEX,
			 2, 0x11111111, 0x22222222, 0x33333333);
	vcpuid_table_add(&v.cpuid, 0x8000001d, 3, VCPUID_FLAG_SIGNIFICANT_INDEX,
			 0xa, 0xb, 0xc, 0xd);
	struct kvm_cpuid2 *c = vcpuid_vcpu_to_kvm_cpuid(&v);
	assert_non_null(c);
	const unsigned char *b = (const unsigned char *)c;
	assert_int_equal(u32_at(b, 0), 3);	/* nent */
	assert_int_equal(u32_at(b, 4), 0);	/* padding */
	/* entry 1 at 8 + 40 */
	const unsigned char *e = b + 8 + 40;
	assert_int_equal(u32_at(e, 0), 7);
	assert_int_equal(u32_at(e, 4), 0);
	assert_int_equal(u32_at(e, 8), 1);
	assert_int_equal(u32_at(e, 12), 2);
	assert_int_equal(u32_at(e, 16), 0x11111111);
	assert_int_equal(u32_at(e, 20), 0x22222222);
	assert_int_equal(u32_at(e, 24), 0x33333333);
	for (size_t i = 28; i < 40; i++)
		assert_int_equal(e[i], 0);
	/* entry 0: "GenuineIntel" in EBX, EDX, ECX */
	assert_memory_equal(b + 8 + 16, "Genu", 4);
	assert_memory_equal(b + 8 + 24, "ineI", 4);
	assert_memory_equal(b + 8 + 20, "ntel", 4);
	/* entry 2 at 8 + 80 */
	e = b + 8 + 80;
	assert_int_equal(u32_at(e, 0), 0x8000001d);
	assert_int_equal(u32_at(e, 4), 3);
	assert_int_equal(u32_at(e, 12), 0xa);
	assert_int_equal(u32_at(e, 24), 0xd);
	/* the vcpu is not referenced: changing it leaves the copy */
	v.cpuid.e[0].reg[VCPUID_EAX] = 0;
	assert_int_equal(c->entries[0].eax, 0x1f);
	free(c);
	vcpuid_vcpu_free(&v);
}

static void msr_bytes(void **state)
{
	(void)state;
	vcpuid_vcpu v = { 0 };
	vcpuid_msr_list_add(&v.msrs, 0x10a, 0x0000000c000e0c6bull);
	vcpuid_msr_list_add(&v.msrs, 0x480, 0xda040000000012ull);
	struct kvm_msrs *m = vcpuid_vcpu_to_kvm_msrs(&v);
	assert_non_null(m);
	const unsigned char *b = (const unsigned char *)m;
	assert_int_equal(u32_at(b, 0), 2);
	assert_int_equal(u32_at(b, 4), 0);
	assert_int_equal(u32_at(b, 8), 0x10a);
	assert_int_equal(u32_at(b, 12), 0);	/* reserved */
	assert_int_equal(u64_at(b, 16), 0x0000000c000e0c6bull);
	assert_int_equal(u32_at(b, 24), 0x480);
	assert_int_equal(u32_at(b, 28), 0);
	assert_int_equal(u64_at(b, 32), 0xda040000000012ull);
	free(m);
	vcpuid_vcpu_free(&v);
}

static void empty_vcpu(void **state)
{
	(void)state;
	vcpuid_vcpu v = { 0 };
	struct kvm_cpuid2 *c = vcpuid_vcpu_to_kvm_cpuid(&v);
	assert_non_null(c);
	assert_int_equal(c->nent, 0);
	assert_int_equal(c->padding, 0);
	free(c);
	struct kvm_msrs *m = vcpuid_vcpu_to_kvm_msrs(&v);
	assert_non_null(m);
	assert_int_equal(m->nmsrs, 0);
	free(m);
}

/* A full table of VCPUID_MAX_CPUID_ENTRIES entries is one block. */
static void full_table(void **state)
{
	(void)state;
	vcpuid_vcpu v = { 0 };
	for (uint32_t i = 0; i < VCPUID_MAX_CPUID_ENTRIES; i++)
		vcpuid_table_add(&v.cpuid, 0xd, i, VCPUID_FLAG_SIGNIFICANT_INDEX,
				 i, i + 1, i + 2, i + 3);
	struct kvm_cpuid2 *c = vcpuid_vcpu_to_kvm_cpuid(&v);
	assert_non_null(c);
	assert_int_equal(c->nent, 100);
	const unsigned char *last = (const unsigned char *)c + 8 + 40 * 99;
	assert_int_equal(u32_at(last, 4), 99);
	assert_int_equal(u32_at(last, 24), 102);
	free(c);
	vcpuid_vcpu_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(abi_sizes),
		cmocka_unit_test(cpuid_bytes),
		cmocka_unit_test(msr_bytes),
		cmocka_unit_test(empty_vcpu),
		cmocka_unit_test(full_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
