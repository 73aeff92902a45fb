/* SPDX-License-Identifier: MIT */
/* apply: a scratch KVM VM, and a vCPU's CPUID table and feature MSRs set on
 * it in the order KVM needs (SET_CPUID2, SET_MSRS), then read back. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "internal.h"

#define GUEST_MEM_SIZE (1u << 20)	/* 1 MiB at guest-physical 0 */
#define TSS_ADDR 0xfeffd000u		/* where QEMU puts the VMX real-mode TSS */

static int kfail(vcpuid_error *err, const char *what, const char *detail)
{
	int e = errno;
	return vcpuid_fail(err, VCPUID_E_KVM, "%s: %s failed: %s (errno %d)%s%s",
			   "kvm", what, strerror(e), e, detail ? ": " : "",
			   detail ? detail : "");
}

void vcpuid_vm_destroy(vcpuid_vm *vm)
{
	for (unsigned i = 0; i < vm->nvcpu; i++) {
		if (vm->run[i] && vm->run[i] != MAP_FAILED)
			munmap(vm->run[i], vm->run_size);
		if (vm->vcpu_fd[i] >= 0)
			close(vm->vcpu_fd[i]);
	}
	if (vm->mem && (void *)vm->mem != MAP_FAILED)
		munmap(vm->mem, vm->mem_size);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = -1;
}

/* The device through the library's one door to it (probe.c). */
static int open_device(vcpuid_vm *vm, vcpuid_error *err)
{
	snprintf(vm->device, sizeof(vm->device), "%s", vp_kvm_device());
	vm->kvm_fd = vp_kvm_device_open(err);
	return vm->kvm_fd < 0 ? VCPUID_E_NOKVM : 0;
}

int vcpuid_kvm_open(vcpuid_vm *vm, vcpuid_error *err)
{
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = -1;
	int rc = open_device(vm, err);
	if (rc)
		vcpuid_vm_destroy(vm);
	return rc;
}

int vcpuid_vm_create(vcpuid_vm *vm, unsigned nvcpu, vcpuid_error *err)
{
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = -1;
	for (unsigned i = 0; i < VCPUID_MAX_VCPUS; i++)
		vm->vcpu_fd[i] = -1;
	if (nvcpu == 0 || nvcpu > VCPUID_MAX_VCPUS)
		return vcpuid_fail(err, VCPUID_E_LIMIT,
				   "kvm: %u vCPUs requested, 1..%d possible",
				   nvcpu, VCPUID_MAX_VCPUS);
	int rc = open_device(vm, err);
	if (rc)
		goto fail;
	rc = VCPUID_E_KVM;
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		kfail(err, "KVM_CREATE_VM", vm->device);
		goto fail;
	}
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_TSS_ADDR) > 0 &&
	    ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, TSS_ADDR) < 0) {
		kfail(err, "KVM_SET_TSS_ADDR", "0xfeffd000");
		goto fail;
	}
	vm->mem_size = GUEST_MEM_SIZE;
	vm->mem = mmap(NULL, vm->mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if ((void *)vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		rc = vcpuid_fail(err, VCPUID_E_NOMEM,
				 "kvm: cannot map %zu bytes of guest memory",
				 vm->mem_size);
		goto fail;
	}
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = vm->mem_size,
		.userspace_addr = (uintptr_t)vm->mem,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		kfail(err, "KVM_SET_USER_MEMORY_REGION", "slot 0 at 0x0, 1 MiB");
		goto fail;
	}
	if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) {
		kfail(err, "KVM_CREATE_IRQCHIP", NULL);
		goto fail;
	}
	int sz = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0) {
		kfail(err, "KVM_GET_VCPU_MMAP_SIZE", NULL);
		goto fail;
	}
	vm->run_size = (size_t)sz;
	for (unsigned i = 0; i < nvcpu; i++) {
		vm->nvcpu = i + 1;
		vm->vcpu_fd[i] = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)i);
		if (vm->vcpu_fd[i] < 0) {
			char d[32];
			snprintf(d, sizeof(d), "vCPU %u", i);
			kfail(err, "KVM_CREATE_VCPU", d);
			goto fail;
		}
		vm->run[i] = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE,
				  MAP_SHARED, vm->vcpu_fd[i], 0);
		if (vm->run[i] == MAP_FAILED) {
			vm->run[i] = NULL;
			kfail(err, "mmap(kvm_run)", NULL);
			goto fail;
		}
	}
	return 0;
fail:
	vcpuid_vm_destroy(vm);
	return rc;
}

/* ---- supported CPUID and feature MSRs of the system fd ---- */

static struct kvm_cpuid2 *get_cpuid2(int fd, unsigned long req,
				     const char *name, vcpuid_error *err)
{
	for (unsigned n = 64; n <= 4096; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
		if (!c) {
			vcpuid_fail(err, VCPUID_E_NOMEM, "kvm: %s: out of memory", name);
			return NULL;
		}
		c->nent = n;
		if (ioctl(fd, req, c) == 0)
			return c;
		int e = errno;
		free(c);
		if (e != E2BIG) {
			errno = e;
			kfail(err, name, NULL);
			return NULL;
		}
	}
	errno = E2BIG;
	kfail(err, name, "more than 4096 entries");
	return NULL;
}

static void table_from_kvm(vcpuid_table *t, const struct kvm_cpuid2 *c)
{
	vcpuid_table_init(t);
	for (unsigned i = 0; i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];
		vcpuid_table_add(t, e->function, e->index, e->flags, e->eax,
				 e->ebx, e->ecx, e->edx);
	}
}

int vcpuid_vm_supported(const vcpuid_vm *vm, vcpuid_table *cpuid,
			vcpuid_msr_list *feature_msrs, vcpuid_error *err)
{
	struct kvm_cpuid2 *c = get_cpuid2(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID,
					  "KVM_GET_SUPPORTED_CPUID", err);
	if (!c)
		return err ? err->code : VCPUID_E_KVM;
	table_from_kvm(cpuid, c);
	free(c);
	if (!feature_msrs)
		return 0;
	memset(feature_msrs, 0, sizeof(*feature_msrs));
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GET_MSR_FEATURES) <= 0)
		return 0;
	struct kvm_msr_list probe = { .nmsrs = 0 };
	if (ioctl(vm->kvm_fd, KVM_GET_MSR_FEATURE_INDEX_LIST, &probe) < 0 &&
	    errno != E2BIG)
		return kfail(err, "KVM_GET_MSR_FEATURE_INDEX_LIST", NULL);
	uint32_t n = probe.nmsrs;
	struct kvm_msr_list *l = calloc(1, sizeof(*l) + n * sizeof(uint32_t));
	struct kvm_msrs *m = calloc(1, sizeof(*m) + n * sizeof(m->entries[0]));
	int rc = 0;
	if (!l || !m) {
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "kvm: out of memory");
		goto out;
	}
	l->nmsrs = n;
	if (ioctl(vm->kvm_fd, KVM_GET_MSR_FEATURE_INDEX_LIST, l) < 0) {
		rc = kfail(err, "KVM_GET_MSR_FEATURE_INDEX_LIST", NULL);
		goto out;
	}
	/* KVM_GET_MSRS on the system fd stops at the first MSR it cannot
	 * read: go one by one so one unreadable MSR loses only itself. */
	for (uint32_t i = 0; i < l->nmsrs; i++) {
		m->nmsrs = 1;
		m->entries[0].index = l->indices[i];
		m->entries[0].data = 0;
		if (ioctl(vm->kvm_fd, KVM_GET_MSRS, m) == 1 &&
		    vcpuid_msr_list_add(feature_msrs, l->indices[i],
					m->entries[0].data)) {
			rc = vcpuid_fail(err, VCPUID_E_NOMEM, "kvm: out of memory");
			goto out;
		}
	}
out:
	free(l);
	free(m);
	return rc;
}

int vcpuid_vcpu_from_supported(const vcpuid_table *supported,
			       const vcpuid_msr_list *feature_msrs,
			       unsigned index, uint32_t apic_id,
			       vcpuid_vcpu *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	out->index = index;
	out->apic_id = apic_id;
	if (vcpuid_table_copy(&out->cpuid, supported))
		return vcpuid_fail(err, VCPUID_E_NOMEM, "kvm: out of memory");
	for (size_t i = 0; i < out->cpuid.n; i++) {
		vcpuid_cpuid_entry *e = &out->cpuid.e[i];
		if (e->function == 1)
			e->reg[VCPUID_EBX] = (e->reg[VCPUID_EBX] & 0x00ffffffu) |
					     (out->apic_id << 24);
		if (e->function == 0xb || e->function == 0x1f)
			e->reg[VCPUID_EDX] = out->apic_id;
	}
	if (feature_msrs)
		for (size_t i = 0; i < feature_msrs->n; i++)
			if (vcpuid_msr_list_add(&out->msrs, feature_msrs->m[i].index,
						feature_msrs->m[i].value))
				return vcpuid_fail(err, VCPUID_E_NOMEM,
						   "kvm: out of memory");
	return 0;
}

/* ---- apply ---- */

void vcpuid_applied_free(vcpuid_applied *a)
{
	vcpuid_table_free(&a->requested);
	vcpuid_table_free(&a->kept);
	free(a->msrs);
	memset(a, 0, sizeof(*a));
}

static void accepted_before(const vcpuid_applied *a, size_t upto, char *buf,
			    size_t len)
{
	size_t o = 0;
	buf[0] = 0;
	for (size_t i = 0; i < upto && o + 16 < len; i++)
		if (a->msrs[i].accepted)
			o += (size_t)snprintf(buf + o, len - o, "%s0x%x",
					      o ? "," : "", a->msrs[i].index);
	if (!o)
		snprintf(buf, len, "none");
}

static int set_cpuid(vcpuid_vm *vm, unsigned vcpu, const vcpuid_table *t,
		     vcpuid_error *err)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + (t->n + 1) * sizeof(c->entries[0]));
	if (!c)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "kvm: out of memory");
	c->nent = (uint32_t)t->n;
	for (size_t i = 0; i < t->n; i++) {
		struct kvm_cpuid_entry2 *k = &c->entries[i];
		const vcpuid_cpuid_entry *e = &t->e[i];
		k->function = e->function;
		k->index = e->index;
		k->flags = e->flags;
		k->eax = e->reg[0];
		k->ebx = e->reg[1];
		k->ecx = e->reg[2];
		k->edx = e->reg[3];
	}
	int r = ioctl(vm->vcpu_fd[vcpu], KVM_SET_CPUID2, c);
	free(c);
	if (r == 0)
		return 0;
	int e = errno;
	char d[160];
	/* Name the entry KVM most likely refused: the count for E2BIG, the
	 * address-size leaf for EINVAL, the XSAVE leaf for EPERM. */
	if (e == E2BIG)
		snprintf(d, sizeof(d), "vCPU %u: %zu entries", vcpu, t->n);
	else if (e == EINVAL && vcpuid_table_lookup(t, 0x80000008, 0))
		snprintf(d, sizeof(d), "vCPU %u: %zu entries (entry 0x80000008 "
			 "EAX=0x%08x: virtual address width must be 0, 48 or 57)",
			 vcpu, t->n, vcpuid_table_reg(t, 0x80000008, 0, VCPUID_EAX));
	else if (e == EPERM)
		snprintf(d, sizeof(d), "vCPU %u: entry 0xd.0 EAX=0x%08x EDX=0x%08x "
			 "(dynamic XSAVE features without permission)", vcpu,
			 vcpuid_table_reg(t, 0xd, 0, VCPUID_EAX),
			 vcpuid_table_reg(t, 0xd, 0, VCPUID_EDX));
	else
		snprintf(d, sizeof(d), "vCPU %u: %zu entries", vcpu, t->n);
	errno = e;
	return kfail(err, "KVM_SET_CPUID2", d);
}

static int set_msrs(vcpuid_vm *vm, unsigned vcpu, vcpuid_applied *a,
		    vcpuid_error *err)
{
	struct kvm_msrs *m = calloc(1, sizeof(*m) + (a->nmsrs + 1) * sizeof(m->entries[0]));
	if (!m)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "kvm: out of memory");
	int rc = 0;
	size_t i = 0;
	while (i < a->nmsrs) {
		/* KVM_SET_MSRS stops at the first MSR it refuses and returns
		 * how many it set: note the refused one, go on after it. */
		size_t n = a->nmsrs - i;
		m->nmsrs = (uint32_t)n;
		for (size_t j = 0; j < n; j++) {
			m->entries[j].index = a->msrs[i + j].index;
			m->entries[j].reserved = 0;
			m->entries[j].data = a->msrs[i + j].value;
		}
		int r = ioctl(vm->vcpu_fd[vcpu], KVM_SET_MSRS, m);
		int e = r < 0 ? errno : 0;
		size_t took = r < 0 ? 0 : (size_t)r;
		for (size_t j = 0; j < took && j < n; j++)
			a->msrs[i + j].accepted = true;
		i += took;
		if (i >= a->nmsrs)
			break;
		vcpuid_msr_apply *bad = &a->msrs[i];
		bad->set_errno = e;
		a->nrefused++;
		if (!rc) {
			char acc[160];
			accepted_before(a, i, acc, sizeof(acc));
			if (r < 0)
				rc = vcpuid_fail(err, VCPUID_E_KVM,
						 "kvm: KVM_SET_MSRS failed: %s (errno %d): "
						 "vCPU %u: MSR 0x%x value 0x%llx; "
						 "accepted before it: %s",
						 strerror(e), e, vcpu, bad->index,
						 (unsigned long long)bad->value, acc);
			else
				rc = vcpuid_fail(err, VCPUID_E_KVM,
						 "kvm: KVM_SET_MSRS refused MSR 0x%x "
						 "value 0x%llx on vCPU %u (%zu of %zu set); "
						 "accepted before it: %s",
						 bad->index, (unsigned long long)bad->value,
						 vcpu, took, n, acc);
			snprintf(a->first_error, sizeof(a->first_error), "%s",
				 err ? err->msg : "KVM_SET_MSRS refused an MSR");
		}
		i++;
	}
	free(m);
	return rc;
}

static int read_back(vcpuid_vm *vm, unsigned vcpu, vcpuid_applied *a,
		     vcpuid_error *err)
{
	char d[32];
	snprintf(d, sizeof(d), "vCPU %u", vcpu);
	struct kvm_cpuid2 *c = NULL;
	for (unsigned n = 64; n <= 4096; n *= 2) {
		c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
		if (!c)
			return vcpuid_fail(err, VCPUID_E_NOMEM, "kvm: out of memory");
		c->nent = n;
		if (ioctl(vm->vcpu_fd[vcpu], KVM_GET_CPUID2, c) == 0)
			break;
		int e = errno;
		free(c);
		c = NULL;
		if (e != E2BIG) {
			errno = e;
			return kfail(err, "KVM_GET_CPUID2", d);
		}
	}
	if (!c) {
		errno = E2BIG;
		return kfail(err, "KVM_GET_CPUID2", d);
	}
	table_from_kvm(&a->kept, c);
	free(c);
	struct kvm_msrs *m = calloc(1, sizeof(*m) + sizeof(m->entries[0]));
	if (!m)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "kvm: out of memory");
	for (size_t i = 0; i < a->nmsrs; i++) {
		m->nmsrs = 1;
		m->entries[0].index = a->msrs[i].index;
		m->entries[0].data = 0;
		int r = ioctl(vm->vcpu_fd[vcpu], KVM_GET_MSRS, m);
		if (r < 0) {
			char md[64];
			snprintf(md, sizeof(md), "vCPU %u: MSR 0x%x", vcpu,
				 a->msrs[i].index);
			free(m);
			return kfail(err, "KVM_GET_MSRS", md);
		}
		a->msrs[i].read_ok = r == 1;
		a->msrs[i].read = m->entries[0].data;
	}
	free(m);
	return 0;
}

int vcpuid_apply(vcpuid_vm *vm, unsigned vcpu, const vcpuid_vcpu *v,
		 vcpuid_applied *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	out->vcpu = vcpu;
	out->apic_id = v->apic_id;
	if (vcpu >= vm->nvcpu)
		return vcpuid_fail(err, VCPUID_E_USAGE,
				   "kvm: vCPU %u does not exist (VM has %u)",
				   vcpu, vm->nvcpu);
	if (v->cpuid.n > 256)
		return vcpuid_fail(err, VCPUID_E_LIMIT,
				   "kvm: vCPU %u: %zu CPUID entries, KVM takes "
				   "at most 256", vcpu, v->cpuid.n);
	if (vcpuid_table_copy(&out->requested, &v->cpuid))
		return vcpuid_fail(err, VCPUID_E_NOMEM, "kvm: out of memory");
	out->nmsrs = v->msrs.n;
	out->msrs = calloc(v->msrs.n + 1, sizeof(*out->msrs));
	if (!out->msrs)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "kvm: out of memory");
	for (size_t i = 0; i < v->msrs.n; i++) {
		out->msrs[i].index = v->msrs.m[i].index;
		out->msrs[i].value = v->msrs.m[i].value;
	}
	int rc = set_cpuid(vm, vcpu, &v->cpuid, err);
	if (rc) {
		snprintf(out->first_error, sizeof(out->first_error), "%s",
			 err ? err->msg : "KVM_SET_CPUID2 failed");
		return rc;
	}
	out->cpuid_set = true;
	vcpuid_error merr = { 0 };
	int mrc = set_msrs(vm, vcpu, out, &merr);
	rc = read_back(vm, vcpu, out, err);
	if (rc)
		return rc;
	if (mrc) {
		if (err)
			*err = merr;
		return mrc;
	}
	return 0;
}
