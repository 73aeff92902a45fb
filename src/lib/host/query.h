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
/* The recorded CPUID instruction: the table with leaf's range read (a lazy
 * live host reads it now), or the whole of it; a host recorded without the
 * instruction has an empty table. */
const vcpuid_table *hq_raw(const vcpuid_host *h, uint32_t leaf);
const vcpuid_table *hq_raw_all(const vcpuid_host *h);
/* /proc/cpuinfo's flags of the host, NULL when not recorded. */
const char *hq_cpuinfo_flags(const vcpuid_host *h);

/* ---- the host view: what the CPU and synthesis wings know of a host ----
 * Built once per expansion (ve_expand) and once per guest synthesis by
 * hq_view_init, the way Linux builds kvm_cpu_caps once: the facts the
 * stages test, as plain data. The tables a stage reads by leaf (KVM's
 * supported CPUID, the CPUID instruction) and the facts that cost a VM exit
 * on a lazily probed live host are reached through the hq_view_ functions
 * below, which alone read v->host. */
typedef struct hq_view {
	const vcpuid_host *host; /* NULL: no accelerator; for hq_view_* only */
	unsigned asked;		/* the HQ_ASK_ facts gathered so far */
	bool present;		/* a host (KVM) to ask */
	bool kvm;		/* KVM's tables were recorded (has_kvm) */
	bool raw;		/* the CPUID instruction was recorded (has_raw) */
	/* QEMU's host_cpuid order: the raw instruction's leaf 0 */
	char vendor[13];
	bool intel, amd;
	/* host_cpu_vendor_fms (leaf 1: read by every probe) */
	unsigned family, model, stepping;
	bool tsx_broken;	/* a Haswell whose TSX Linux turned off */
	/* KVM_CHECK_EXTENSION (a profile without capabilities: a modern
	 * kernel, true) */
	bool cap_tsc_deadline, cap_sys_attributes, cap_tsc_control,
		cap_enforce_pv_cpuid, cap_get_msr_features;
	/* KVM_GET_MSR_INDEX_LIST membership of the MSRs the stages test */
	bool idx_arch_cap, idx_procbased2, idx_core_cap, idx_perf_cap,
		idx_ucode_rev, idx_vmfunc;
	/* KVM_GET_MSRS of /dev/kvm: how many, and the microcode revision */
	size_t n_feature_msrs;
	bool has_ucode_rev;
	uint64_t ucode_rev;
	/* KVM_X86_XCOMP_GUEST_SUPP, when recorded */
	bool has_xcomp_guest_supp;
	uint64_t xcomp_guest_supp;
	/* KVM's XSAVE components (supported 0xD.0 EAX/EDX, 0xD.1 ECX/EDX) */
	uint64_t kvm_xcr0, kvm_xss;
	/* HQ_ASK_BRAND: the brand string, leaves 0x80000002..4 */
	char brand[48];
	/* HQ_ASK_XSAVE: the CPUID instruction's 0xD.n EAX (component sizes) */
	uint32_t xsave_eax[64];
} hq_view;

/* Facts that cost a VM exit on a lazy live host: gathered when asked. */
enum {
	HQ_ASK_BRAND = 1u << 0,	/* host and max: model-id */
	HQ_ASK_XSAVE = 1u << 1,	/* kvm_cpu_xsave_init's size check */
};

/* Fill v from h (NULL: no accelerator, v->present false), with the facts
 * of ask (hq_view_ask). Never fails today; err for the facts a later one
 * may fetch. */
int hq_view_init(hq_view *v, const vcpuid_host *h, unsigned ask,
		 vcpuid_error *err);
/* Gather the HQ_ASK_ facts of ask that v does not hold yet: the expansion
 * asks once it knows the CPU model and the QEMU release. */
int hq_view_ask(hq_view *v, unsigned ask, vcpuid_error *err);
/* KVM_GET_SUPPORTED_CPUID as QEMU's cpuid_find_entry reads it, one
 * register (vcpuid_table_reg), before QEMU's corrections (filter.c). */
uint32_t hq_view_supported(const hq_view *v, uint32_t leaf, uint32_t sub,
			   enum vcpuid_reg reg);
/* The same entry whole, all zero without KVM or entry (hq_kvm_cpuid). */
void hq_view_kvm_cpuid(const hq_view *v, uint32_t leaf, uint32_t sub,
		       uint32_t r[4]);
/* One register of the CPUID instruction as QEMU reads it (the raw table,
 * or KVM's supported table for a host recorded without one). */
uint32_t hq_view_insn(const hq_view *v, uint32_t leaf, uint32_t sub,
		      enum vcpuid_reg reg);
/* The recorded CPUID instruction's entry (vcpuid_table_lookup), all zero
 * without one or without a raw table. */
void hq_view_raw(const hq_view *v, uint32_t leaf, uint32_t sub, uint32_t r[4]);
/* A feature MSR KVM reports: false when it does not. */
bool hq_view_feature_msr(const hq_view *v, uint32_t msr, uint64_t *value);
/* QEMU's host_cpu_phys_bits (0x80000008 is read when asked). */
unsigned hq_view_phys_bits(const hq_view *v);
/* KVM_GET_TSC_KHZ of a new vCPU (vp_host_tsc_khz: a lazy live host asks a
 * scratch vCPU the first time); 0 without a host. */
int hq_view_tsc_khz(const hq_view *v, uint32_t *khz, vcpuid_error *err);

#endif
