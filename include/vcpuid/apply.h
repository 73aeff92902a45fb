/* SPDX-License-Identifier: MIT */
/* Applying a vCPU's CPUID table and feature MSRs to a real KVM vCPU
 * (apply.c), running the probe guest on it (probe_run.c) and comparing what
 * was requested, what KVM kept and what the guest observed (verify.c). */
#ifndef VCPUID_APPLY_H
#define VCPUID_APPLY_H

#include "guest.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- a scratch VM (apply.c) ---- */
#define VCPUID_KVM_DEVICE_ENV "VCPUID_KVM_DEVICE" /* overrides /dev/kvm */
#define VCPUID_MAX_VCPUS 64

typedef struct vcpuid_vm {
	int kvm_fd, vm_fd;
	unsigned nvcpu;
	int vcpu_fd[VCPUID_MAX_VCPUS];
	void *run[VCPUID_MAX_VCPUS];	/* mmap'd struct kvm_run */
	size_t run_size;
	uint8_t *mem;			/* guest-physical 0 .. mem_size */
	size_t mem_size;
	char device[256];		/* the device path opened */
} vcpuid_vm;

/* Open the KVM device (env VCPUID_KVM_DEVICE or /dev/kvm), create a VM with
 * memory at guest-physical 0, an in-kernel irqchip, and nvcpu vCPUs.
 * VCPUID_E_NOKVM: no device, no permission, or not a KVM device;
 * VCPUID_E_KVM: an ioctl failed (named in err). */
int vcpuid_vm_create(vcpuid_vm *vm, unsigned nvcpu, vcpuid_error *err);
void vcpuid_vm_destroy(vcpuid_vm *vm);
/* Only open the device (no VM): enough for vcpuid_vm_supported. */
int vcpuid_kvm_open(vcpuid_vm *vm, vcpuid_error *err);

/* KVM_GET_SUPPORTED_CPUID and the feature MSRs (KVM_GET_MSR_FEATURE_INDEX_LIST
 * + KVM_GET_MSRS on the system fd) of the VM's device. */
int vcpuid_vm_supported(const vcpuid_vm *vm, vcpuid_table *cpuid,
			vcpuid_msr_list *feature_msrs, vcpuid_error *err);

/* A vCPU table taken straight from the supported table (everything the
 * host KVM offers, unfiltered): apic_id patched into 1.EBX[31:24] and the
 * 0xB/0x1F EDX x2APIC id, feature MSRs with the values KVM reports. */
int vcpuid_vcpu_from_supported(const vcpuid_table *supported,
			       const vcpuid_msr_list *feature_msrs,
			       unsigned index, uint32_t apic_id,
			       vcpuid_vcpu *out, vcpuid_error *err);

/* One feature MSR through apply. */
typedef struct vcpuid_msr_apply {
	uint32_t index;
	uint64_t value;		/* requested */
	bool accepted;		/* KVM_SET_MSRS took it */
	int set_errno;		/* when refused: errno, or 0 for "0 MSRs set" */
	bool read_ok;		/* KVM_GET_MSRS read it back */
	uint64_t read;		/* the value read back */
} vcpuid_msr_apply;

/* What apply did to one vCPU. */
typedef struct vcpuid_applied {
	unsigned vcpu;
	uint32_t apic_id;
	vcpuid_table requested;		/* copy of what was set */
	vcpuid_table kept;		/* KVM_GET_CPUID2 after KVM_SET_CPUID2 */
	bool cpuid_set;			/* KVM_SET_CPUID2 succeeded */
	vcpuid_msr_apply *msrs;		/* in the order of the request */
	size_t nmsrs;
	size_t nrefused;
	char first_error[512];		/* "" when all went through */
} vcpuid_applied;

/* Apply v to vCPU `vcpu` of vm: KVM_SET_CPUID2, then every feature MSR with
 * KVM_SET_MSRS (one refused MSR does not stop the others), then read back
 * with KVM_GET_CPUID2 and KVM_GET_MSRS. `out` is filled as far as apply got
 * even on failure. Returns VCPUID_E_KVM naming the ioctl, errno and the
 * offending entry or MSR (and which MSRs before it were accepted). */
int vcpuid_apply(vcpuid_vm *vm, unsigned vcpu, const vcpuid_vcpu *v,
		 vcpuid_applied *out, vcpuid_error *err);
void vcpuid_applied_free(vcpuid_applied *a);

/* ---- the probe guest (probe_run.c, probe_guest.S) ---- */
#define VCPUID_PROBE_MAX_CPUID 400
#define VCPUID_PROBE_MAX_MSRS 64
#define VCPUID_PROBE_MAX_INSNS 16

/* Guest results: 0 = ran fine, VCPUID_PROBE_FAULT|vector = faulted,
 * VCPUID_PROBE_NOT_RUN = not determinable in this guest. */
#define VCPUID_PROBE_FAULT 0x100u
#define VCPUID_PROBE_NOT_RUN 0xffffffffu
/* FAULT|0xEE: KVM could not emulate the instruction (internal error); the
 * host resumed the guest after it: not determinable. */
#define VCPUID_PROBE_EMULATION (VCPUID_PROBE_FAULT | 0xeeu)

/* Test hooks for the probe guest. */
#define VCPUID_PROBE_SPIN 0x1u		/* never signal completion */
#define VCPUID_PROBE_TRIPLE_FAULT 0x2u	/* fault with no handler */

typedef struct vcpuid_probe_req {
	size_t ncpuid;
	uint32_t leaf[VCPUID_PROBE_MAX_CPUID], subleaf[VCPUID_PROBE_MAX_CPUID];
	size_t nmsrs;
	uint32_t msr[VCPUID_PROBE_MAX_MSRS];
	uint32_t flags;			/* VCPUID_PROBE_* test hooks */
	unsigned timeout_ms;		/* per vCPU; 0 = 2000 */
} vcpuid_probe_req;

typedef struct vcpuid_observed {
	unsigned vcpu;
	uint32_t cpuid[VCPUID_PROBE_MAX_CPUID][4];	/* per request entry */
	uint32_t msr_status[VCPUID_PROBE_MAX_MSRS];	/* 0 or FAULT|vector */
	uint64_t msr_value[VCPUID_PROBE_MAX_MSRS];
	uint32_t xsave_status;	/* setting CR4.OSXSAVE: 0, FAULT|v, NOT_RUN */
	uint64_t xcr0_initial;	/* XGETBV right after CR4.OSXSAVE=1 */
	uint32_t xsetbv_status;
	uint64_t xcr0_final;	/* after XSETBV of x87|SSE|AVX|AVX-512 */
	uint32_t leaf1_ecx_osxsave; /* CPUID.1:ECX re-read with CR4.OSXSAVE=1 */
	uint32_t insn[VCPUID_PROBE_MAX_INSNS]; /* vcpuid_insn_probes() order */
	bool has_kvm_xcr0;
	uint64_t kvm_xcr0;	/* KVM_GET_XCRS after the run */
} vcpuid_observed;

/* The instruction probes the guest runs (data/verify_probes.c). */
typedef struct vcpuid_insn_probe {
	const char *name;	/* "xtest", "rdrand", ... */
	const char *feature;	/* what the table claims: "rtm|hle" */
	uint32_t leaf, subleaf;	/* the CPUID bit(s) claiming it */
	enum vcpuid_reg reg;
	uint32_t mask;		/* any bit set = claimed */
	uint64_t xcr0_needed;	/* XCR0 bits the guest must enable first */
} vcpuid_insn_probe;
const vcpuid_insn_probe *vcpuid_insn_probes(size_t *count);

/* MSRs the guest reads besides the feature MSRs, with the CPUID bit gating
 * guest access (leaf 0 = always readable). */
typedef struct vcpuid_msr_probe {
	uint32_t index;
	const char *name;
	uint32_t leaf, subleaf;
	enum vcpuid_reg reg;
	uint8_t bit;
} vcpuid_msr_probe;
const vcpuid_msr_probe *vcpuid_msr_probes(size_t *count);

/* Register bits KVM changes while the guest runs (so a difference there is
 * not an override or a mismatch). */
typedef struct vcpuid_runtime_fixup {
	uint32_t leaf, subleaf;
	enum vcpuid_reg reg;
	uint32_t mask;
	const char *why;
} vcpuid_runtime_fixup;
const vcpuid_runtime_fixup *vcpuid_runtime_fixups(size_t *count);
/* The fix-up bits of one register (0 when none). */
uint32_t vcpuid_runtime_mask(uint32_t leaf, uint32_t subleaf, enum vcpuid_reg reg);

/* Build the request for a vCPU table: every entry, the out-of-range probes
 * (max basic + 1, max extended + 1, past the hypervisor range, one subleaf
 * past each indexed leaf) and the MSR probes. */
int vcpuid_probe_req_build(const vcpuid_table *t, const vcpuid_msr_list *m,
			   vcpuid_probe_req *req, vcpuid_error *err);

/* Load the probe guest, run it on vCPU `vcpu` (whose CPUID and MSRs were
 * applied) until it signals completion. A guest that does not finish in
 * time, shuts down (triple fault) or exits unexpectedly is VCPUID_E_GUEST. */
int vcpuid_probe_run(vcpuid_vm *vm, unsigned vcpu, const vcpuid_probe_req *req,
		     vcpuid_observed *out, vcpuid_error *err);

/* The answer KVM gives a guest CPUID(leaf, subleaf) from table t, with its
 * out-of-range rules (Intel: the max basic leaf; AMD/Hygon: zeros). */
void vcpuid_kvm_cpuid_answer(const vcpuid_table *t, uint32_t leaf,
			     uint32_t subleaf, uint32_t out[4]);

#ifdef __cplusplus
}
#endif
#endif
