/* SPDX-License-Identifier: MIT */
/* probe.c against fresh KVM ioctls done here: the supported and emulated
 * CPUID entry by entry, the feature MSR values, the API version.
 * Exits 77 (skip) only when /dev/kvm does not exist. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <cmocka.h>
#include "vcpuid.h"

static int kvm_fd = -1;

static struct kvm_cpuid2 *fresh_cpuid(unsigned long req)
{
	for (uint32_t n = 8; n <= 8192; n *= 2) {
		struct kvm_cpuid2 *c =
			calloc(1, sizeof(*c) + n * sizeof(struct kvm_cpuid_entry2));
		assert_non_null(c);
		c->nent = n;
		if (!ioctl(kvm_fd, req, c))
			return c;
		assert_int_equal(errno, E2BIG);
		free(c);
	}
	fail_msg("no buffer was big enough");
	return NULL;
}

static void compare(const vcpuid_table *t, const struct kvm_cpuid2 *c)
{
	assert_int_equal(t->n, c->nent);
	for (uint32_t i = 0; i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *k = &c->entries[i];
		const vcpuid_cpuid_entry *e = &t->e[i];
		assert_int_equal(e->function, k->function);
		assert_int_equal(e->index, k->index);
		assert_int_equal(e->flags, k->flags);
		assert_int_equal(e->reg[VCPUID_EAX], k->eax);
		assert_int_equal(e->reg[VCPUID_EBX], k->ebx);
		assert_int_equal(e->reg[VCPUID_ECX], k->ecx);
		assert_int_equal(e->reg[VCPUID_EDX], k->edx);
	}
}

static void supported_and_emulated_equal_fresh_ioctls(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_probe(&h, &err), 0);
	assert_true(h.has_kvm);
	assert_int_equal(h.kvm_api_version, ioctl(kvm_fd, KVM_GET_API_VERSION, 0));
	struct kvm_cpuid2 *c = fresh_cpuid(KVM_GET_SUPPORTED_CPUID);
	compare(&h.supported, c);
	free(c);
	if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_EXT_EMUL_CPUID) > 0) {
		c = fresh_cpuid(KVM_GET_EMULATED_CPUID);
		compare(&h.emulated, c);
		free(c);
	}
	const vcpuid_kvm_cap *cap = vcpuid_host_cap(&h, "KVM_CAP_MAX_VCPUS");
	assert_non_null(cap);
	assert_int_equal(cap->value,
			 ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS));
	vcpuid_host_free(&h);
}

static void feature_msrs_equal_fresh_get_msrs(void **state)
{
	(void)state;
	if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GET_MSR_FEATURES) <= 0)
		skip();
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_probe(&h, &err), 0);
	struct kvm_msr_list *l = calloc(1, sizeof(*l) + 4096 * sizeof(uint32_t));
	assert_non_null(l);
	l->nmsrs = 4096;
	assert_int_equal(ioctl(kvm_fd, KVM_GET_MSR_FEATURE_INDEX_LIST, l), 0);
	size_t readable = 0;
	for (uint32_t i = 0; i < l->nmsrs; i++) {
		struct kvm_msrs *m =
			calloc(1, sizeof(*m) + sizeof(struct kvm_msr_entry));
		assert_non_null(m);
		m->nmsrs = 1;
		m->entries[0].index = l->indices[i];
		int r = ioctl(kvm_fd, KVM_GET_MSRS, m);
		uint64_t v = 0;
		bool have = vcpuid_msr_list_get(&h.feature_msrs, l->indices[i], &v);
		if (r == 1) {
			readable++;
			assert_true(have);
			assert_int_equal(v, m->entries[0].data);
		} else {
			assert_false(have);
		}
		free(m);
	}
	assert_int_equal(readable, h.feature_msrs.n);
	free(l);
	vcpuid_host_free(&h);
}

static void xcomp_guest_supp_equals_device_attr(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_probe(&h, &err), 0);
	uint64_t x = 0;
	struct kvm_device_attr a = { .group = 0, .attr = KVM_X86_XCOMP_GUEST_SUPP,
				     .addr = (uint64_t)(uintptr_t)&x };
	int r = ioctl(kvm_fd, KVM_GET_DEVICE_ATTR, &a);
	assert_int_equal(h.has_xcomp_guest_supp, r == 0);
	if (!r)
		assert_int_equal(h.xcomp_guest_supp, x);
	vcpuid_host_free(&h);
}

/* The probe runs on the lowest CPU it may use (leaf 1 EBX and 0xB EDX of
 * KVM's supported CPUID are the current CPU's APIC ID): do the same. */
static void pin_lowest_cpu(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set)) {
			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
			return;
		}
}

int main(void)
{
	pin_lowest_cpu();
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0 && errno == ENOENT) {
		printf("SKIP: /dev/kvm does not exist\n");
		return 77;
	}
	if (kvm_fd < 0) {
		printf("/dev/kvm: %s\n", strerror(errno));
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(supported_and_emulated_equal_fresh_ioctls),
		cmocka_unit_test(feature_msrs_equal_fresh_get_msrs),
		cmocka_unit_test(xcomp_guest_supp_equals_device_attr),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	close(kvm_fd);
	return rc;
}
