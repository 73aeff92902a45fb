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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <cmocka.h>
#include "vcpuid.h"
#include "pin_cpu.h"

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

/* Two guests are the same: every vCPU's table and MSRs, the filtered
 * features and the warnings. */
static void assert_same_guest(const vcpuid_guest *a, const vcpuid_guest *b,
			      const char *what)
{
	if (a->nvcpus != b->nvcpus || a->cpu.nfiltered != b->cpu.nfiltered ||
	    a->cpu.nwarnings != b->cpu.nwarnings)
		fail_msg("%s: vCPUs/filtered/warnings differ", what);
	for (size_t w = 0; w < a->cpu.nwarnings; w++)
		if (strcmp(a->cpu.warnings[w], b->cpu.warnings[w]))
			fail_msg("%s: warning %zu differs", what, w);
	for (size_t v = 0; v < a->nvcpus; v++) {
		const vcpuid_table *x = &a->vcpus[v].cpuid, *y = &b->vcpus[v].cpuid;
		if (x->n != y->n ||
		    memcmp(x->e, y->e, x->n * sizeof(x->e[0])))
			fail_msg("%s: vCPU %zu CPUID table differs", what, v);
		const vcpuid_msr_list *m = &a->vcpus[v].msrs, *n = &b->vcpus[v].msrs;
		if (m->n != n->n)
			fail_msg("%s: vCPU %zu MSR counts differ", what, v);
		for (size_t i = 0; i < m->n; i++)
			if (m->m[i].index != n->m[i].index ||
			    m->m[i].value != n->m[i].value)
				fail_msg("%s: vCPU %zu MSR %zu differs", what, v, i);
	}
}

/* A lazily probed host (VCPUID_PROBE_LAZY: raw leaves, TSC rate and
 * /proc/cpuinfo on first use) builds exactly the guests a full probe does,
 * fetches only what they read, and completes to the full capture. */
static void lazy_probe_builds_the_same_guests(void **state)
{
	(void)state;
	static const char *const specs[] = {
		"Skylake-Client-v1", "host", "max", "qemu64",
		"EPYC-v4,host-cache-info=on", "Haswell,l3-cache=on,host-cache-info=on",
		"Cascadelake-Server,+invtsc", "Skylake-Server,tsc-frequency=1000000",
		"Denverton,-sse4.2,+avx512f",
	};
	static const char *const machines[] = { "pc-i440fx-7.2", NULL };
	vcpuid_host full, lazy;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_probe(&full, &err), 0);
	assert_int_equal(vcpuid_probe_ex(&lazy, VCPUID_PROBE_LAZY, &err), 0);
	if (!full.has_kvm)
		skip();
	vcpuid_topology topo;
	assert_int_equal(vcpuid_topology_parse("4,threads=2", &topo, &err), 0);

	/* A named model reads a handful of raw leaves and no TSC rate. */
	vcpuid_guest a, b;
	int ra = vcpuid_guest_build(&full, specs[0], NULL, &topo, &a, &err);
	int rb = vcpuid_guest_build(&lazy, specs[0], NULL, &topo, &b, &err);
	assert_int_equal(ra, 0);
	assert_int_equal(rb, 0);
	assert_same_guest(&a, &b, specs[0]);
	vcpuid_guest_free(&a);
	vcpuid_guest_free(&b);
	assert_true(lazy.raw.n < full.raw.n / 2);
	assert_int_equal(lazy.tsc_khz, 0);

	for (size_t m = 0; m < sizeof(machines) / sizeof(*machines); m++)
		for (size_t i = 0; i < sizeof(specs) / sizeof(*specs); i++) {
			char what[160];
			snprintf(what, sizeof(what), "%s on %s", specs[i],
				 machines[m] ? machines[m] : "the newest machine");
			ra = vcpuid_guest_build(&full, specs[i], machines[m],
						&topo, &a, &err);
			rb = vcpuid_guest_build(&lazy, specs[i], machines[m],
						&topo, &b, &err);
			if (ra != rb)
				fail_msg("%s: %d vs %d", what, ra, rb);
			if (ra)
				continue;
			assert_same_guest(&a, &b, what);
			vcpuid_guest_free(&a);
			vcpuid_guest_free(&b);
		}
	/* invtsc asked KVM for the TSC rate: the full probe's */
	assert_int_equal(lazy.tsc_khz, full.tsc_khz);

	/* Completed, it is the capture a full probe makes. */
	assert_int_equal(vcpuid_host_complete(&lazy, &err), 0);
	assert_null(lazy.lazy);
	char *ja = vcpuid_profile_to_json(&full), *jb = vcpuid_profile_to_json(&lazy);
	assert_non_null(ja);
	assert_non_null(jb);
	assert_string_equal(ja, jb);
	free(ja);
	free(jb);
	vcpuid_host_free(&full);
	vcpuid_host_free(&lazy);
}

/* A lazily probed host asks a scratch VM for the TSC rate on first use
 * (invtsc's 0x40000010 leaf): when that VM cannot be made, building the
 * guest fails naming why, never a guest without the leaf. */
static void failing_scratch_vm_is_an_error(void **state)
{
	(void)state;
	setenv("VCPUID_HOST_CACHE", "off", 1);
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_probe_ex(&h, VCPUID_PROBE_LAZY, &err), 0);
	const vcpuid_kvm_cap *c = vcpuid_host_cap(&h, "KVM_CAP_GET_TSC_KHZ");
	if (!c || c->value <= 0) {
		vcpuid_host_free(&h);
		skip(); /* KVM gives no rate: no scratch VM */
	}
	static const char spec[] = "qemu64,+invtsc";
	vcpuid_guest g;

	/* the device is gone by then: no-kvm */
	setenv("VCPUID_KVM_DEVICE", "/nonexistent/kvm", 1);
	assert_int_equal(vcpuid_guest_build(&h, spec, NULL, NULL, &g, &err),
			 VCPUID_E_NOKVM);
	assert_non_null(strstr(err.msg, "/nonexistent/kvm: cannot open"));
	unsetenv("VCPUID_KVM_DEVICE");

	/* the device opens on the lowest free fd, the VM finds none */
	int lowest = dup(0);
	assert_true(lowest >= 0);
	close(lowest);
	struct rlimit old, one;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	one = old;
	one.rlim_cur = (rlim_t)lowest + 1;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &one), 0);
	memset(&err, 0, sizeof(err));
	int rc = vcpuid_guest_build(&h, spec, NULL, NULL, &g, &err);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(rc, VCPUID_E_KVM);
	assert_non_null(strstr(err.msg, "KVM_CREATE_VM"));
	assert_non_null(strstr(err.msg, "(errno 24)"));
	assert_int_equal(vcpuid_host_tsc_khz(&h) > 0, 1); /* asked again */

	/* with descriptors the leaf is there */
	assert_int_equal(vcpuid_guest_build(&h, spec, NULL, NULL, &g, &err), 0);
	const vcpuid_cpuid_entry *e =
		vcpuid_table_lookup(&g.vcpus[0].cpuid, 0x40000010, 0);
	assert_non_null(e);
	assert_int_equal(e->reg[VCPUID_EAX], vcpuid_host_tsc_khz(&h));
	vcpuid_guest_free(&g);
	vcpuid_host_free(&h);
	unsetenv("VCPUID_HOST_CACHE");
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
		cmocka_unit_test(lazy_probe_builds_the_same_guests),
		cmocka_unit_test(failing_scratch_vm_is_an_error),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	close(kvm_fd);
	return rc;
}
