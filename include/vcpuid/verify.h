/* SPDX-License-Identifier: MIT */
/* verify (verify.c): apply every vCPU's table to a scratch VM, run the probe
 * guest on each, and compare requested / kept / observed. */
#ifndef VCPUID_VERIFY_H
#define VCPUID_VERIFY_H

#include "apply.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vcpuid_verify_opts {
	bool run_guest;		/* false: apply and read back only (check) */
	uint32_t probe_flags;	/* VCPUID_PROBE_* test hooks */
	unsigned timeout_ms;	/* per vCPU, 0 = 2000 */
} vcpuid_verify_opts;

typedef struct vcpuid_verify_result {
	size_t overrides;	/* register fields where kept != requested */
	size_t mismatches;	/* register fields where observed != kept */
	size_t msr_refused;	/* feature MSRs KVM_SET_MSRS refused */
	size_t msr_mismatches;	/* guest RDMSR differs from KVM_GET_MSRS */
	size_t insn_faults;	/* claimed features whose instruction faults */
	size_t launch_failures;	/* what would make QEMU abort (check) */
	int guest_error;	/* VCPUID_E_GUEST/KVM of a failed run, else 0 */
	char *json;		/* malloc'd document (docs/verify.md) */
	char *text;		/* malloc'd human report */
	/* vCPU 0 as KVM kept it (the table KVM_GET_CPUID2 returned, each
	 * feature MSR's outcome) and the first launch failure ("" when QEMU
	 * would start): check's answer for one feature (explain). */
	vcpuid_applied first;
	char first_launch_failure[600];
	/* The x86-64 level (level.h) inside the guest, the lowest over the
	 * vCPUs: from the CPUID answers the probe guest got and the XCR0
	 * XGETBV returned once it enabled what CPUID.0DH.0 offers. -1 when no
	 * guest ran. level_table: the same from the tables KVM kept. */
	int level, level_table;
} vcpuid_verify_result;

/* Verify n vCPUs (vcpus[i] goes to vCPU i of one scratch VM). Returns 0 when
 * the report was produced (look at the counters), VCPUID_E_NOKVM,
 * VCPUID_E_KVM, VCPUID_E_NOMEM when it could not be. A guest that fails is
 * reported in the result (guest_error) and in the document. */
int vcpuid_verify(const vcpuid_vcpu *vcpus, size_t n,
		  const vcpuid_verify_opts *opts, vcpuid_verify_result *out,
		  vcpuid_error *err);
void vcpuid_verify_result_free(vcpuid_verify_result *r);

#ifdef __cplusplus
}
#endif
#endif
