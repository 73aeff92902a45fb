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

#ifdef __cplusplus
}
#endif
#endif
