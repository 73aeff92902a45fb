/* SPDX-License-Identifier: MIT */
/* The host spec the oracle's preload answers KVM's host ioctls from: a
 * line-based text file written by qemu_oracle.py (format in
 * docs/testing.md). Kept apart from kvm_preload.c so it can be fuzzed. */
#ifndef VCPUID_ORACLE_SPEC_H
#define VCPUID_ORACLE_SPEC_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#define ORACLE_MAX_CPUID 512
#define ORACLE_MAX_RAW 2048
#define ORACLE_MAX_MSRS 1024
#define ORACLE_MAX_CAPS 128

struct oracle_cap {
	uint32_t id;
	int64_t value;
};

struct oracle_spec {
	struct kvm_cpuid_entry2 sup[ORACLE_MAX_CPUID];	/* supported */
	unsigned nsup;
	struct kvm_cpuid_entry2 emu[ORACLE_MAX_CPUID];	/* emulated */
	unsigned nemu;
	int has_emu;
	uint32_t msr_idx[ORACLE_MAX_MSRS];		/* feature MSRs */
	uint64_t msr_val[ORACLE_MAX_MSRS];
	unsigned nmsr;
	uint32_t idx_list[ORACLE_MAX_MSRS];		/* KVM_GET_MSR_INDEX_LIST */
	unsigned nidx;
	int has_idx_list;
	int has_xcomp;
	uint64_t xcomp;
	uint32_t tsc_khz;	/* KVM_GET_TSC_KHZ on a vCPU; 0 = unknown */
	uint32_t refused[ORACLE_MAX_MSRS];	/* KVM_SET_MSRS refuses non-zero */
	unsigned nrefused;
	int has_xperm;		/* arch_prctl(ARCH_*_XCOMP_GUEST_PERM) */
	uint64_t xperm;		/* components a request may be granted */
	struct oracle_cap caps[ORACLE_MAX_CAPS];
	unsigned ncaps;
	struct kvm_cpuid_entry2 raw[ORACLE_MAX_RAW];	/* the CPUID instruction */
	unsigned nraw;
	int fake_insn;
};

/* Parse buf[0..len) into *s (zeroed first). On error returns -1 and
 * writes "LINE:COLUMN: message" to err. */
int oracle_spec_parse(struct oracle_spec *s, const char *buf, size_t len,
		      char *err, size_t errlen);

#endif
