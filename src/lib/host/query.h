/* SPDX-License-Identifier: MIT */
/* The one door to a host's facts (host/query.c, prefix hq_): every question
 * a stage asks of a host, answered the one way QEMU asks it. */
#ifndef VCPUID_HOST_QUERY_H
#define VCPUID_HOST_QUERY_H

#include "internal.h"

/* The KVM capabilities vcpuid knows (data/kvm_caps.def): HQ_KVM_CAP_<NAME>. */
enum {
#define KVM_CAP(name, id) HQ_##name = id,
#include "data/kvm_caps.def"
#undef KVM_CAP
};

/* The vendor string of the host's CPUID instruction (QEMU's host_cpuid,
 * not KVM's table: vcpuid_host_vendor is the public answer that prefers
 * KVM's table). */
void hq_vendor(const vcpuid_host *h, char out[13]);
/* The vendor is "GenuineIntel" / "AuthenticAMD"... */
bool hq_vendor_is(const vcpuid_host *h, const char *vendor);
/* Family, model and stepping of the host's leaf 1, as QEMU decodes them
 * (host_cpu_vendor_fms: family + extended family always). */
void hq_fms(const vcpuid_host *h, unsigned *family, unsigned *model,
	    unsigned *stepping);
/* QEMU's host_cpu_phys_bits: 0x80000008 EAX[7:0] where that leaf exists,
 * else 36. */
unsigned hq_phys_bits(const vcpuid_host *h);
/* KVM_CHECK_EXTENSION > 0: by id or by name (with or without KVM_CAP_);
 * dflt for a profile that recorded no capabilities (a modern kernel); false
 * for one that recorded others but not this one. */
bool hq_kvm_cap_of(const vcpuid_host *h, const char *name, uint32_t id,
		   bool dflt);
/* The same for a capability of data/kvm_caps.def, named without its
 * KVM_CAP_ prefix (an unknown name fails the build). */
#define hq_kvm_cap(h, NAME, dflt) \
	hq_kvm_cap_of(h, #NAME, HQ_KVM_CAP_##NAME, dflt)
/* KVM_GET_MSR_INDEX_LIST membership. A profile without that list (e.g. a
 * Firecracker fingerprint) is read the way Linux builds it: the feature MSRs
 * KVM reports are also in the index list. */
bool hq_has_msr_index(const vcpuid_host *h, uint32_t msr);
/* KVM_GET_SUPPORTED_CPUID's entry for (leaf, subleaf), as QEMU's
 * x86_cpu_get_supported_cpuid reads it; all zero without KVM or entry. */
void hq_kvm_cpuid(const vcpuid_host *h, uint32_t leaf, uint32_t sub,
		  uint32_t r[4]);
/* A feature MSR's value as KVM reports it (KVM_GET_MSRS on /dev/kvm), 0
 * when it does not. */
uint64_t hq_feature_msr(const vcpuid_host *h, uint32_t msr);

#endif
