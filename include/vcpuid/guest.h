/* SPDX-License-Identifier: MIT */
/* The guest's CPUID table and feature MSRs (synthesize), applying them to a
 * KVM vCPU (apply) and proving what the guest sees (verify). */
#ifndef VCPUID_GUEST_H
#define VCPUID_GUEST_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VCPUID_MAX_CPUID_ENTRIES 100 /* QEMU's KVM_MAX_CPUID_ENTRIES */

/* One vCPU's view: the KVM_SET_CPUID2 table and the KVM_SET_MSRS list. */
typedef struct vcpuid_vcpu {
	unsigned index;
	uint32_t apic_id;
	vcpuid_table cpuid;
	vcpuid_msr_list msrs;
} vcpuid_vcpu;

/* Build vCPU `index`'s table from an expanded CPU (synthesize.c). */
int vcpuid_synthesize(const vcpuid_cpu *cpu, const vcpuid_host *host,
		      unsigned index, vcpuid_vcpu *out, vcpuid_error *err);
void vcpuid_vcpu_free(vcpuid_vcpu *v);

/* All vCPUs of an expanded CPU (cpu->topo.cpus of them, index order).
 * *vcpus is malloc'd: free each with vcpuid_vcpu_free, then free(). */
int vcpuid_guest_synthesize(const vcpuid_cpu *cpu, const vcpuid_host *host,
			    vcpuid_vcpu **vcpus, size_t *n, vcpuid_error *err);

/* The APIC ID QEMU gives vCPU `index` for a -smp topology (NULL = 1 vCPU). */
uint32_t vcpuid_apic_id(const vcpuid_topology *topo, unsigned index);

/* A whole guest: the expanded CPU and every vCPU's table and MSRs. */
typedef struct vcpuid_guest {
	vcpuid_cpu cpu;		/* expansion result (filtered list, warnings) */
	size_t nvcpus;
	vcpuid_vcpu *vcpus;	/* nvcpus entries, index order */
} vcpuid_guest;

/* One call for a VMM: expand `spec` ("Skylake-Client,+pcid,-hle") for
 * `host` on `machine` (NULL = newest) with `topo` (NULL = 1 vCPU), then
 * synthesize every vCPU. VCPUID_E_LIMIT when a vCPU needs more than
 * VCPUID_MAX_CPUID_ENTRIES entries (QEMU aborts then). On error *out is
 * freed; on success release it with vcpuid_guest_free. */
int vcpuid_guest_build(const vcpuid_host *host, const char *spec,
		       const char *machine, const vcpuid_topology *topo,
		       vcpuid_guest *out, vcpuid_error *err);
void vcpuid_guest_free(vcpuid_guest *g);

/* Ready-to-use ioctl arguments (struct kvm_cpuid2 for KVM_SET_CPUID2,
 * struct kvm_msrs for KVM_SET_MSRS, from <linux/kvm.h>). Each is one
 * malloc'd block owned by the caller: release it with free(). NULL when out
 * of memory. The vcpu is not referenced afterwards. */
struct kvm_cpuid2;
struct kvm_msrs;
struct kvm_cpuid2 *vcpuid_vcpu_to_kvm_cpuid(const vcpuid_vcpu *v);
struct kvm_msrs *vcpuid_vcpu_to_kvm_msrs(const vcpuid_vcpu *v);

#ifdef __cplusplus
}
#endif
#endif
