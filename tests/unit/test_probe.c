/* SPDX-License-Identifier: MIT */
/* probe.c: the raw part against a fresh CPUID instruction; the
 * VCPUID_KVM_DEVICE hook makes KVM absent without being an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cpuid.h>
#include <cmocka.h>
#include "vcpuid.h"

static void fresh(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}

static void raw_matches_instruction(void **state)
{
	(void)state;
	vcpuid_table t;
	vcpuid_error err = { 0 };
	vcpuid_table_init(&t);
	assert_int_equal(vcpuid_probe_raw(&t, &err), 0);
	uint32_t r[4];
	fresh(0, 0, r);
	const vcpuid_cpuid_entry *e = vcpuid_table_find(&t, 0, 0);
	assert_non_null(e);
	assert_memory_equal(e->reg, r, sizeof(r));
	fresh(1, 0, r);
	e = vcpuid_table_find(&t, 1, 0);
	assert_non_null(e);
	assert_int_equal(e->reg[VCPUID_EAX], r[0]);
	/* every basic leaf up to the maximum is there */
	fresh(0, 0, r);
	for (uint32_t l = 0; l <= r[0] && l < 0x100; l++)
		assert_non_null(vcpuid_table_lookup(&t, l, 0));
	/* leaf 0x80000000 as well */
	fresh(0x80000000, 0, r);
	e = vcpuid_table_find(&t, 0x80000000, 0);
	assert_non_null(e);
	assert_int_equal(e->reg[VCPUID_EAX], r[0]);
	vcpuid_table_free(&t);
}

static void raw_subleaves_are_complete(void **state)
{
	(void)state;
	vcpuid_table t;
	vcpuid_error err = { 0 };
	vcpuid_table_init(&t);
	assert_int_equal(vcpuid_probe_raw(&t, &err), 0);
	/* no duplicates */
	for (size_t i = 0; i < t.n; i++)
		for (size_t j = i + 1; j < t.n; j++)
			assert_false(t.e[i].function == t.e[j].function &&
				     t.e[i].index == t.e[j].index);
	uint32_t r[4];
	fresh(0, 0, r);
	uint32_t max = r[0];
	if (max >= 7) {
		/* leaf 7: subleaves 0..EAX of subleaf 0, indexed */
		fresh(7, 0, r);
		for (uint32_t s = 0; s <= r[0] && s < 64; s++) {
			const vcpuid_cpuid_entry *e = vcpuid_table_find(&t, 7, s);
			assert_non_null(e);
			assert_int_equal(e->flags & VCPUID_FLAG_SIGNIFICANT_INDEX,
					 VCPUID_FLAG_SIGNIFICANT_INDEX);
			uint32_t x[4];
			fresh(7, s, x);
			assert_memory_equal(e->reg, x, sizeof(x));
		}
	}
	if (max >= 4) {
		/* leaf 4: every cache until type 0, and the terminator */
		uint32_t s = 0;
		for (; s < 64; s++) {
			fresh(4, s, r);
			assert_non_null(vcpuid_table_find(&t, 4, s));
			if (!(r[0] & 0x1f))
				break;
		}
		assert_null(vcpuid_table_find(&t, 4, s + 1));
	}
	if (max >= 0xd) {
		/* 0xD: every XCR0 component the CPU reports */
		fresh(0xd, 0, r);
		uint64_t xcr0 = (uint64_t)r[3] << 32 | r[0];
		for (unsigned b = 2; b < 64; b++)
			if (xcr0 & (1ull << b))
				assert_non_null(vcpuid_table_find(&t, 0xd, b));
	}
	vcpuid_table_free(&t);
}

static void kvm_device_hook_makes_kvm_absent(void **state)
{
	(void)state;
	setenv("VCPUID_KVM_DEVICE", "/nonexistent/kvm", 1);
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_probe(&h, &err), 0);
	unsetenv("VCPUID_KVM_DEVICE");
	assert_false(h.has_kvm);
	assert_non_null(strstr(h.kvm_absent, "/nonexistent/kvm"));
	assert_non_null(strstr(h.kvm_absent, "No such file or directory"));
	assert_true(h.has_raw);
	assert_true(h.raw.n > 2);
	assert_int_equal(h.supported.n, 0);
	assert_string_equal(h.origin, "probe");
	assert_true(h.kernel[0] != 0);
	char *json = vcpuid_profile_to_json(&h);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"kvm\": null"));
	assert_non_null(strstr(json, "\"kvm_absent\": \"/nonexistent/kvm: "));
	free(json);
	vcpuid_host_free(&h);
}

/* A live host to compute a guest for without usable KVM is VCPUID_E_NOKVM
 * naming the device and errno, lazy or not, through vcpuid_host_load too;
 * VCPUID_PROBE_KVM_OPTIONAL (a capture) records the same line instead. */
static void no_usable_kvm(const char *dev, const char *why)
{
	setenv("VCPUID_KVM_DEVICE", dev, 1);
	setenv("VCPUID_HOST_CACHE", "off", 1);
	static const unsigned flags[] = {
		0, VCPUID_PROBE_LAZY, VCPUID_PROBE_LAZY | VCPUID_PROBE_CACHE,
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(*flags); i++) {
		vcpuid_host h;
		vcpuid_error err = { 0 };
		assert_int_equal(vcpuid_probe_ex(&h, flags[i], &err), VCPUID_E_NOKVM);
		assert_int_equal(err.code, VCPUID_E_NOKVM);
		assert_non_null(strstr(err.msg, dev));
		assert_non_null(strstr(err.msg, why));
		assert_null(h.lazy); /* nothing returned, nothing to free */
		assert_int_equal(h.raw.n, 0);
		memset(&err, 0, sizeof(err));
		assert_int_equal(vcpuid_host_load_ex("live", flags[i], &h, &err),
				 VCPUID_E_NOKVM);
		assert_non_null(strstr(err.msg, why));

		memset(&err, 0, sizeof(err));
		assert_int_equal(vcpuid_probe_ex(&h, flags[i] |
						 VCPUID_PROBE_KVM_OPTIONAL, &err), 0);
		assert_false(h.has_kvm);
		assert_true(h.has_raw);
		assert_non_null(strstr(h.kvm_absent, dev));
		assert_non_null(strstr(h.kvm_absent, why));
		vcpuid_host_free(&h);
	}
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_host_load("live", &h, &err), VCPUID_E_NOKVM);
	assert_int_equal(vcpuid_probe(&h, &err), 0); /* a capture */
	assert_false(h.has_kvm);
	vcpuid_host_free(&h);
	unsetenv("VCPUID_KVM_DEVICE");
	unsetenv("VCPUID_HOST_CACHE");
}

static void no_kvm_missing(void **state)
{
	(void)state;
	no_usable_kvm("/nonexistent/kvm", "cannot open: No such file or directory (errno 2;");
}

static void no_kvm_directory(void **state)
{
	(void)state;
	no_usable_kvm("/", "cannot open: Is a directory (errno 21)");
}

static void no_kvm_not_a_kvm_device(void **state)
{
	(void)state;
	no_usable_kvm("/dev/null", "not a KVM device: KVM_GET_API_VERSION failed: "
		      "Inappropriate ioctl for device (errno 25)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(raw_matches_instruction),
		cmocka_unit_test(raw_subleaves_are_complete),
		cmocka_unit_test(kvm_device_hook_makes_kvm_absent),
		cmocka_unit_test(no_kvm_missing),
		cmocka_unit_test(no_kvm_directory),
		cmocka_unit_test(no_kvm_not_a_kvm_device),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
