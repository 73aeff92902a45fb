/* SPDX-License-Identifier: MIT */
/* apply / probe guest / verify against the real /dev/kvm. Expectations are
 * computed live (raw ioctls here), never hardcoded for this host. Exits 77
 * (skip) only when /dev/kvm does not exist. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/kvm.h>
#include <cmocka.h>
#include <jansson.h>
#include "vcpuid.h"

/* the host's supported table and feature MSRs, vCPU i built from them */
static vcpuid_table sup;
static vcpuid_msr_list fmsrs;

static void vcpu_make(unsigned i, vcpuid_vcpu *v)
{
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_vcpu_from_supported(&sup, &fmsrs, i, i, v, &err), 0);
}

static void vcpu_release(vcpuid_vcpu *v)
{
	vcpuid_table_free(&v->cpuid);
	vcpuid_msr_list_free(&v->msrs);
}

static int setup(void **state)
{
	(void)state;
	vcpuid_vm vm;
	vcpuid_error err = { 0 };
	if (vcpuid_vm_create(&vm, 1, &err)) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	int rc = vcpuid_vm_supported(&vm, &sup, &fmsrs, &err);
	vcpuid_vm_destroy(&vm);
	return rc ? -1 : 0;
}

/* 1. apply + read back the host's supported table */
static void apply_readback(void **state)
{
	(void)state;
	vcpuid_vm vm;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_vm_create(&vm, 2, &err), 0);
	for (unsigned i = 0; i < 2; i++) {
		vcpuid_vcpu v;
		vcpu_make(i, &v);
		vcpuid_applied a;
		int rc = vcpuid_apply(&vm, i, &v, &a, &err);
		assert_true(a.cpuid_set);
		/* rc says an MSR was refused exactly when one was */
		assert_int_equal(rc != 0, a.nrefused != 0);
		if (rc)
			assert_int_equal(rc, VCPUID_E_KVM);
		assert_int_equal(a.nmsrs, fmsrs.n);
		/* the read back is KVM's table: the basic leaves are there
		 * (the hypervisor may drop or change others) */
		assert_true(a.kept.n > 0);
		assert_non_null(vcpuid_table_find(&a.kept, 0, 0));
		assert_non_null(vcpuid_table_find(&a.kept, 1, 0));
		size_t dropped = 0;
		for (size_t k = 0; k < v.cpuid.n; k++)
			dropped += !vcpuid_table_find(&a.kept, v.cpuid.e[k].function,
						      v.cpuid.e[k].index);
		if (dropped)
			fprintf(stderr, "# vCPU %u: KVM kept %zu of %zu entries\n", i,
				a.kept.n, v.cpuid.n);
		for (size_t k = 0; k < a.nmsrs; k++)
			if (a.msrs[k].accepted) {
				assert_true(a.msrs[k].read_ok);
				assert_int_equal(a.msrs[k].read, a.msrs[k].value);
			}
		vcpuid_applied_free(&a);
		vcpu_release(&v);
	}
	vcpuid_vm_destroy(&vm);
}

/* 2. the guest on 2 vCPUs sees exactly the kept table, per vCPU */
static void guest_sees_kept(void **state)
{
	(void)state;
	vcpuid_vm vm;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_vm_create(&vm, 2, &err), 0);
	vcpuid_probe_req *req = malloc(sizeof(*req));
	vcpuid_observed *o = malloc(sizeof(*o));
	assert_non_null(req);
	assert_non_null(o);
	uint32_t apic_seen[2];
	for (unsigned i = 0; i < 2; i++) {
		vcpuid_vcpu v;
		vcpu_make(i, &v);
		vcpuid_applied a;
		vcpuid_apply(&vm, i, &v, &a, &err);
		assert_true(a.cpuid_set);
		assert_int_equal(vcpuid_probe_req_build(&a.kept, &v.msrs, req, &err), 0);
		assert_true(req->ncpuid > a.kept.n); /* out-of-range probes added */
		int rc = vcpuid_probe_run(&vm, i, req, o, &err);
		if (rc)
			fail_msg("vCPU %u: %s", i, err.msg);
		for (size_t k = 0; k < req->ncpuid; k++) {
			uint32_t want[4];
			vcpuid_kvm_cpuid_answer(&a.kept, req->leaf[k], req->subleaf[k], want);
			for (int r = 0; r < 4; r++)
				if (o->cpuid[k][r] != want[r])
					fail_msg("vCPU %u CPUID 0x%x.%u reg %d: guest 0x%08x "
						 "kept 0x%08x", i, req->leaf[k],
						 req->subleaf[k], r, o->cpuid[k][r], want[r]);
			if (req->leaf[k] == 1 && req->subleaf[k] == 0)
				apic_seen[i] = o->cpuid[k][VCPUID_EBX] >> 24;
		}
		/* leaf 1 EBX[31:24]: what KVM kept for this vCPU; when the
		 * hypervisor kept our value, it is the vCPU's own APIC id */
		uint32_t kept_id = vcpuid_table_reg(&a.kept, 1, 0, VCPUID_EBX) >> 24;
		assert_int_equal(apic_seen[i], kept_id);
		if ((vcpuid_table_reg(&v.cpuid, 1, 0, VCPUID_EBX) >> 24) == kept_id)
			assert_int_equal(apic_seen[i], i);
		vcpuid_applied_free(&a);
		vcpu_release(&v);
	}
	free(req);
	free(o);
	vcpuid_vm_destroy(&vm);
}

/* 3. the overrides (requested != kept) are what verify reports */
static void overrides_reported(void **state)
{
	(void)state;
	vcpuid_vcpu v[2];
	vcpu_make(0, &v[0]);
	vcpu_make(1, &v[1]);
	/* live: what KVM keeps of vCPU 0's table, by raw ioctls */
	int kvm = open("/dev/kvm", O_RDWR);
	assert_true(kvm >= 0);
	int vmfd = ioctl(kvm, KVM_CREATE_VM, 0);
	assert_true(vmfd >= 0);
	assert_int_equal(ioctl(vmfd, KVM_CREATE_IRQCHIP, 0), 0);
	int cpu = ioctl(vmfd, KVM_CREATE_VCPU, 0);
	assert_true(cpu >= 0);
	size_t n = v[0].cpuid.n;
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 512 * sizeof(c->entries[0]));
	c->nent = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		const vcpuid_cpuid_entry *e = &v[0].cpuid.e[i];
		c->entries[i] = (struct kvm_cpuid_entry2){ .function = e->function,
			.index = e->index, .flags = e->flags, .eax = e->reg[0],
			.ebx = e->reg[1], .ecx = e->reg[2], .edx = e->reg[3] };
	}
	assert_int_equal(ioctl(cpu, KVM_SET_CPUID2, c), 0);
	c->nent = 512;
	assert_int_equal(ioctl(cpu, KVM_GET_CPUID2, c), 0);
	size_t expect = 0;
	for (size_t i = 0; i < n; i++) {
		const vcpuid_cpuid_entry *e = &v[0].cpuid.e[i];
		for (uint32_t k = 0; k < c->nent; k++) {
			struct kvm_cpuid_entry2 *g = &c->entries[k];
			if (g->function != e->function || g->index != e->index)
				continue;
			uint32_t kr[4] = { g->eax, g->ebx, g->ecx, g->edx };
			for (int r = 0; r < 4; r++)
				if ((kr[r] ^ e->reg[r]) &
				    ~vcpuid_runtime_mask(e->function, e->index, (enum vcpuid_reg)r))
					expect++;
			break;
		}
	}
	size_t dropped = 0;
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (uint32_t k = 0; k < c->nent; k++)
			found |= c->entries[k].function == v[0].cpuid.e[i].function &&
				 c->entries[k].index == v[0].cpuid.e[i].index;
		dropped += !found;
	}
	free(c);
	close(cpu);
	close(vmfd);
	close(kvm);
	vcpuid_verify_opts opts = { .run_guest = false };
	vcpuid_verify_result r;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_verify(v, 1, &opts, &r, &err), 0);
	fprintf(stderr, "# this host overrides %zu register(s) of the supported table\n",
		expect);
	/* verify also probes out-of-range leaves; those follow the same
	 * tables, so in-table overrides are a lower bound */
	assert_true(r.overrides >= expect + dropped);
	json_t *doc = json_loads(r.json, 0, NULL);
	assert_non_null(doc);
	size_t in_table = 0, idx;
	json_t *reg;
	json_array_foreach(json_object_get(json_array_get(json_object_get(doc, "vcpus"), 0),
					   "cpuid"), idx, reg)
		if (json_is_true(json_object_get(reg, "in_table")) &&
		    !strcmp(json_string_value(json_object_get(reg, "status")), "override") &&
		    json_array_size(json_object_get(reg, "override_bits")) > 0)
			in_table++;
	/* every override the raw ioctls show is in the document, no more */
	size_t direct = 0;
	json_array_foreach(json_object_get(json_array_get(json_object_get(doc, "vcpus"), 0),
					   "cpuid"), idx, reg) {
		uint32_t leaf = (uint32_t)strtoul(json_string_value(json_object_get(reg, "leaf")), NULL, 16);
		uint32_t sub = (uint32_t)strtoul(json_string_value(json_object_get(reg, "subleaf")), NULL, 16);
		if (vcpuid_table_find(&v[0].cpuid, leaf, sub) &&
		    !strcmp(json_string_value(json_object_get(reg, "status")), "override"))
			direct++;
	}
	assert_int_equal(direct, expect);
	assert_true(in_table >= expect);
	fprintf(stderr, "# and drops %zu entr%s\n", dropped, dropped == 1 ? "y" : "ies");
	assert_int_equal(json_array_size(json_object_get(json_array_get(
		json_object_get(doc, "vcpus"), 0), "dropped_entries")), dropped);
	json_decref(doc);
	vcpuid_verify_result_free(&r);
	vcpu_release(&v[0]);
	vcpu_release(&v[1]);
}

/* 4. check: the arch-capabilities MSR. Whether this host refuses a
 * non-zero 0x10A after the supported table is found out by raw ioctls;
 * check must report a launch failure naming 0x10a exactly then. */
static void check_arch_capabilities(void **state)
{
	(void)state;
	uint64_t val = 0;
	if (!vcpuid_msr_list_get(&fmsrs, 0x10a, &val) || !val)
		skip(); /* this KVM offers no non-zero ARCH_CAPABILITIES */
	vcpuid_vcpu v;
	vcpu_make(0, &v);
	int kvm = open("/dev/kvm", O_RDWR);
	int vmfd = ioctl(kvm, KVM_CREATE_VM, 0);
	assert_int_equal(ioctl(vmfd, KVM_CREATE_IRQCHIP, 0), 0);
	int cpu = ioctl(vmfd, KVM_CREATE_VCPU, 0);
	assert_true(cpu >= 0);
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + v.cpuid.n * sizeof(c->entries[0]));
	c->nent = (uint32_t)v.cpuid.n;
	for (size_t i = 0; i < v.cpuid.n; i++) {
		const vcpuid_cpuid_entry *e = &v.cpuid.e[i];
		c->entries[i] = (struct kvm_cpuid_entry2){ .function = e->function,
			.index = e->index, .flags = e->flags, .eax = e->reg[0],
			.ebx = e->reg[1], .ecx = e->reg[2], .edx = e->reg[3] };
	}
	assert_int_equal(ioctl(cpu, KVM_SET_CPUID2, c), 0);
	free(c);
	struct kvm_msrs *m = calloc(1, sizeof(*m) + sizeof(m->entries[0]));
	assert_non_null(m);
	m->nmsrs = 1;
	m->entries[0].index = 0x10a;
	m->entries[0].data = val;
	bool refused = ioctl(cpu, KVM_SET_MSRS, m) != 1;
	free(m);
	close(cpu);
	close(vmfd);
	close(kvm);
	fprintf(stderr, "# this host %s MSR 0x10a=0x%llx after the supported table\n",
		refused ? "REFUSES" : "accepts", (unsigned long long)val);

	vcpuid_verify_opts opts = { .run_guest = false };
	vcpuid_verify_result r;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_verify(&v, 1, &opts, &r, &err), 0);
	bool reported = strstr(r.json, "failed to set MSR 0x10a") != NULL;
	assert_int_equal(reported, refused);
	assert_int_equal(r.launch_failures != 0, refused);
	vcpuid_verify_result_free(&r);
	vcpu_release(&v);
}

/* 5. fault paths */
static void no_kvm_device(void **state)
{
	(void)state;
	vcpuid_vm vm;
	vcpuid_error err = { 0 };
	setenv(VCPUID_KVM_DEVICE_ENV, "/nonexistent", 1);
	assert_int_equal(vcpuid_vm_create(&vm, 1, &err), VCPUID_E_NOKVM);
	assert_non_null(strstr(err.msg, "/nonexistent"));
	setenv(VCPUID_KVM_DEVICE_ENV, "/dev/null", 1); /* not a KVM device */
	assert_int_equal(vcpuid_vm_create(&vm, 1, &err), VCPUID_E_NOKVM);
	assert_non_null(strstr(err.msg, "not a KVM device"));
	unsetenv(VCPUID_KVM_DEVICE_ENV);
}

static void no_permission(void **state)
{
	(void)state;
	/* /dev/kvm is 0600 root (or group kvm): an unprivileged uid gets
	 * EACCES. As root, drop to nobody in a child. */
	struct stat st;
	assert_int_equal(stat("/dev/kvm", &st), 0);
	if (st.st_mode & S_IROTH && st.st_mode & S_IWOTH)
		skip(); /* world-accessible device: no EACCES to provoke */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (getuid() == 0 && (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
			_exit(3);
		vcpuid_vm vm;
		vcpuid_error err = { 0 };
		int rc = vcpuid_vm_create(&vm, 1, &err);
		_exit(rc == VCPUID_E_NOKVM && strstr(err.msg, "no permission") ? 0 : 1);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void refused_msr(void **state)
{
	(void)state;
	vcpuid_vm vm;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_vm_create(&vm, 1, &err), 0);
	vcpuid_vcpu v;
	vcpu_make(0, &v);
	/* an MSR no KVM knows, after the feature MSRs */
	assert_int_equal(vcpuid_msr_list_add(&v.msrs, 0x4b564dff, 0x5), 0);
	vcpuid_applied a;
	assert_int_equal(vcpuid_apply(&vm, 0, &v, &a, &err), VCPUID_E_KVM);
	assert_non_null(strstr(err.msg, "KVM_SET_MSRS"));
	assert_false(a.msrs[a.nmsrs - 1].accepted);
	if (a.nrefused == 1) { /* the feature MSRs all went in: named */
		assert_non_null(strstr(err.msg, "MSR 0x4b564dff value 0x5"));
		if (a.nmsrs > 1) {
			char first[32];
			snprintf(first, sizeof(first), "0x%x", a.msrs[0].index);
			assert_non_null(strstr(err.msg, first));
		}
	}
	vcpuid_applied_free(&a);
	vcpuid_vm_destroy(&vm);

	/* check turns the refusal into a predicted QEMU abort */
	vcpuid_verify_opts opts = { .run_guest = false };
	vcpuid_verify_result r;
	assert_int_equal(vcpuid_verify(&v, 1, &opts, &r, &err), 0);
	assert_true(r.launch_failures >= 1);
	assert_true(r.msr_refused >= 1);
	assert_non_null(strstr(r.json, "failed to set MSR 0x4b564dff to 0x5"));
	assert_non_null(strstr(r.text, "REFUSED   MSR 0x4b564dff"));
	vcpuid_verify_result_free(&r);
	vcpu_release(&v);
}

static void guest_timeout(void **state)
{
	(void)state;
	vcpuid_vcpu v;
	vcpu_make(0, &v);
	v.msrs.n = 0;
	vcpuid_verify_opts opts = { .run_guest = true,
				    .probe_flags = VCPUID_PROBE_SPIN,
				    .timeout_ms = 200 };
	vcpuid_verify_result r;
	vcpuid_error err = { 0 };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(vcpuid_verify(&v, 1, &opts, &r, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_int_equal(r.guest_error, VCPUID_E_GUEST);
	assert_non_null(strstr(r.json, "did not finish within 200 ms"));
	assert_true(ms < 2000);
	vcpuid_verify_result_free(&r);

	opts.probe_flags = VCPUID_PROBE_TRIPLE_FAULT;
	assert_int_equal(vcpuid_verify(&v, 1, &opts, &r, &err), 0);
	assert_int_equal(r.guest_error, VCPUID_E_GUEST);
	assert_non_null(strstr(r.json, "KVM_EXIT_SHUTDOWN"));
	vcpuid_verify_result_free(&r);
	vcpu_release(&v);
}

int main(void)
{
	if (access("/dev/kvm", F_OK)) {
		printf("SKIP: /dev/kvm does not exist\n");
		return 77;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(apply_readback),
		cmocka_unit_test(guest_sees_kept),
		cmocka_unit_test(overrides_reported),
		cmocka_unit_test(check_arch_capabilities),
		cmocka_unit_test(no_kvm_device),
		cmocka_unit_test(no_permission),
		cmocka_unit_test(refused_msr),
		cmocka_unit_test(guest_timeout),
	};
	int rc = cmocka_run_group_tests(tests, setup, NULL);
	vcpuid_table_free(&sup);
	vcpuid_msr_list_free(&fmsrs);
	return rc;
}
