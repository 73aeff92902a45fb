/* SPDX-License-Identifier: MIT */
/* kvm_struct: a vCPU's table and MSR list as the structures of the
 * KVM_SET_CPUID2 and KVM_SET_MSRS ioctls (one malloc'd block each). */
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct kvm_cpuid2 *vcpuid_vcpu_to_kvm_cpuid(const vcpuid_vcpu *v)
{
	size_t n = v->cpuid.n;
	struct kvm_cpuid2 *c =
		calloc(1, sizeof(*c) + n * sizeof(struct kvm_cpuid_entry2));
	if (!c)
		return NULL;
	c->nent = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		const vcpuid_cpuid_entry *e = &v->cpuid.e[i];
		struct kvm_cpuid_entry2 *k = &c->entries[i];
		k->function = e->function;
		k->index = e->index;
		k->flags = e->flags;
		k->eax = e->reg[VCPUID_EAX];
		k->ebx = e->reg[VCPUID_EBX];
		k->ecx = e->reg[VCPUID_ECX];
		k->edx = e->reg[VCPUID_EDX];
	}
	return c;
}

struct kvm_msrs *vcpuid_vcpu_to_kvm_msrs(const vcpuid_vcpu *v)
{
	size_t n = v->msrs.n;
	struct kvm_msrs *m =
		calloc(1, sizeof(*m) + n * sizeof(struct kvm_msr_entry));
	if (!m)
		return NULL;
	m->nmsrs = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		m->entries[i].index = v->msrs.m[i].index;
		m->entries[i].data = v->msrs.m[i].value;
	}
	return m;
}
