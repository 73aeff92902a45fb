/* SPDX-License-Identifier: MIT */
/* vcpuid core types: errors, CPUID tables, MSR lists, host profiles. */
#ifndef VCPUID_CORE_H
#define VCPUID_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes double as the CLI's exit codes (docs/exit-codes.md).
 * 1 is kept for "the answer is no" (diff found differences, compare found an
 * incompatible host, enforce refused a feature). */
enum vcpuid_status {
	VCPUID_OK = 0,
	VCPUID_E_NEGATIVE = 1,	  /* a valid question answered "no" */
	VCPUID_E_USAGE = 2,	  /* bad command line */
	VCPUID_E_IO = 3,	  /* cannot open/read/write a file */
	VCPUID_E_PARSE = 4,	  /* malformed input (JSON, dump, hex) */
	VCPUID_E_UNKNOWN = 5,	  /* unknown feature, model, property, format */
	VCPUID_E_NOKVM = 6,	  /* /dev/kvm missing or not accessible */
	VCPUID_E_KVM = 7,	  /* a KVM ioctl failed */
	VCPUID_E_GUEST = 8,	  /* the probe guest misbehaved */
	VCPUID_E_ENFORCE = 9,	  /* enforce: the host cannot give a feature */
	VCPUID_E_LIMIT = 10,	  /* a hard limit was hit (e.g. 100 CPUID entries) */
	VCPUID_E_NOMEM = 11,	  /* out of memory */
	VCPUID_E_UNSUPPORTED = 12 /* valid request vcpuid does not implement */
};

typedef struct vcpuid_error {
	int code;	/* enum vcpuid_status */
	char msg[512];	/* one line, no trailing newline */
} vcpuid_error;

/* CPUID registers, in the order of struct kvm_cpuid_entry2. */
enum vcpuid_reg { VCPUID_EAX = 0, VCPUID_EBX, VCPUID_ECX, VCPUID_EDX };

/* Flags of struct kvm_cpuid_entry2 (same values as <linux/kvm.h>). */
#define VCPUID_FLAG_SIGNIFICANT_INDEX 0x1u
#define VCPUID_FLAG_STATEFUL_FUNC 0x2u
#define VCPUID_FLAG_STATE_READ_NEXT 0x4u

typedef struct vcpuid_cpuid_entry {
	uint32_t function, index, flags;
	uint32_t reg[4]; /* indexed by enum vcpuid_reg */
} vcpuid_cpuid_entry;

/* A growable list of CPUID entries (a dump, a KVM table, a guest table). */
typedef struct vcpuid_table {
	vcpuid_cpuid_entry *e;
	size_t n, cap;
} vcpuid_table;

typedef struct vcpuid_msr {
	uint32_t index;
	uint64_t value;
} vcpuid_msr;

typedef struct vcpuid_msr_list {
	vcpuid_msr *m;
	size_t n, cap;
} vcpuid_msr_list;

/* One KVM_CHECK_EXTENSION answer. */
typedef struct vcpuid_kvm_cap {
	char name[48];
	uint32_t id;
	int64_t value;
} vcpuid_kvm_cap;

/* A host profile: everything vcpuid knows about one machine
 * (docs/host-profile.md describes its JSON form). */
typedef struct vcpuid_host {
	char source[256];	/* file name, "live", or bundled profile name */
	char origin[48];	/* "probe", "cpuid-r", "aida64", "libcpuid", "firecracker", ... */
	vcpuid_table raw;	/* the CPUID instruction on the host */
	bool has_raw;

	bool has_kvm;		/* the "kvm" part below is valid */
	char kvm_absent[200];	/* why not, when !has_kvm */
	int kvm_api_version;
	vcpuid_table supported;	/* KVM_GET_SUPPORTED_CPUID */
	vcpuid_table emulated;	/* KVM_GET_EMULATED_CPUID */
	vcpuid_msr_list feature_msrs; /* KVM_GET_MSR_FEATURE_INDEX_LIST + KVM_GET_MSRS */
	uint32_t *msr_index_list;     /* KVM_GET_MSR_INDEX_LIST */
	size_t n_msr_index_list;
	vcpuid_kvm_cap *caps;	      /* KVM_CHECK_EXTENSION answers */
	size_t n_caps;
	bool has_xcomp_guest_supp;
	uint64_t xcomp_guest_supp;    /* KVM_GET_DEVICE_ATTR(KVM_X86_XCOMP_GUEST_SUPP) */
	uint32_t tsc_khz;	      /* KVM_GET_TSC_KHZ of a new vCPU, 0 = unknown;
				       * read it with vcpuid_host_tsc_khz() */
	/* Private (probe.c): what a live host probed with VCPUID_PROBE_LAZY
	 * has not fetched yet; NULL for every other host. */
	struct vcpuid_host_lazy *lazy;

	char kernel[128];	/* uname -r */
	char kvm_flavour[32];	/* "kvm_intel", "kvm_amd", "kvm_pvm", ... */
	bool has_microcode;
	uint64_t microcode;
	char *cpuinfo_flags;	/* space separated, malloc'd, may be NULL */
} vcpuid_host;

/* ---- limits (docs/exit-codes.md, "Limits") ----
 * What vcpuid reads is held to these; past one a reader fails with
 * VCPUID_E_LIMIT and a message naming the input and the limit. */
#define VCPUID_MAX_INPUT_BYTES (16u << 20) /* one input file, or standard input */
#define VCPUID_MAX_JSON_BYTES (4u << 20) /* a JSON input (profile, Firecracker):
					   * over twice the largest profile
					   * within the limits below */
#define VCPUID_MAX_RAW_ENTRIES 4096u	/* raw CPUID table; lines of a dump's CPU */
#define VCPUID_MAX_KVM_ENTRIES 256u	/* KVM's CPUID tables (KVM_MAX_CPUID_ENTRIES) */
#define VCPUID_MAX_MSRS 4096u		/* feature MSRs; the MSR index list */
#define VCPUID_MAX_CAPS 1024u		/* KVM capabilities */

/* ---- errors ---- */
/* Fill err (may be NULL) and return code. */
int vcpuid_fail(vcpuid_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *vcpuid_status_name(int code);

/* ---- tables ---- */
void vcpuid_table_init(vcpuid_table *t);
void vcpuid_table_free(vcpuid_table *t);
int vcpuid_table_copy(vcpuid_table *dst, const vcpuid_table *src);
/* Append (no duplicate check). Returns the new entry or NULL on ENOMEM. */
vcpuid_cpuid_entry *vcpuid_table_add(vcpuid_table *t, uint32_t function,
				     uint32_t index, uint32_t flags,
				     uint32_t eax, uint32_t ebx, uint32_t ecx,
				     uint32_t edx);
/* Exact (function, index) match, ignoring flags. */
const vcpuid_cpuid_entry *vcpuid_table_find(const vcpuid_table *t,
					    uint32_t function, uint32_t index);
vcpuid_cpuid_entry *vcpuid_table_find_mut(vcpuid_table *t, uint32_t function,
					  uint32_t index);
/* KVM lookup semantics: an entry without SIGNIFICANT_INDEX matches any index;
 * first match wins. Returns NULL when absent. This is the one rule every
 * reader of a host's tables (raw, KVM supported and emulated) uses: decode,
 * expand, filter, synthesize, compare, explain (docs/host-profile.md). */
const vcpuid_cpuid_entry *vcpuid_table_lookup(const vcpuid_table *t,
					      uint32_t function, uint32_t index);
/* Register value or 0 when absent (KVM lookup semantics). */
uint32_t vcpuid_table_reg(const vcpuid_table *t, uint32_t function,
			  uint32_t index, enum vcpuid_reg reg);
/* Sort by (function, index); stable. */
void vcpuid_table_sort(vcpuid_table *t);

/* ---- MSR lists ---- */
void vcpuid_msr_list_free(vcpuid_msr_list *l);
int vcpuid_msr_list_add(vcpuid_msr_list *l, uint32_t index, uint64_t value);
/* Returns true and sets *value when present. */
bool vcpuid_msr_list_get(const vcpuid_msr_list *l, uint32_t index,
			 uint64_t *value);

/* ---- host profiles ---- */
void vcpuid_host_init(vcpuid_host *h);
void vcpuid_host_free(vcpuid_host *h);
const vcpuid_kvm_cap *vcpuid_host_cap(const vcpuid_host *h, const char *name);
/* The vendor string KVM offers (leaf 0 of the supported table, or of the raw
 * table when there is no KVM part), NUL terminated. */
void vcpuid_host_vendor(const vcpuid_host *h, char out[13]);

/* Load a host from "live" (probe this machine; without usable KVM that is
 * VCPUID_E_NOKVM unless VCPUID_PROBE_KVM_OPTIONAL, host.h), a bundled profile name
 * ("bundled:NAME"), or a file in any format vcpuid reads (host profile
 * JSON, Firecracker fingerprint, cpuid -r text, AIDA64, libcpuid raw).
 * "-" reads standard input. */
int vcpuid_host_load(const char *spec, vcpuid_host *h, vcpuid_error *err);
/* The same; `probe_flags` (host.h: VCPUID_PROBE_LAZY) apply to "live". */
int vcpuid_host_load_ex(const char *spec, unsigned probe_flags,
			vcpuid_host *h, vcpuid_error *err);
/* Parse an in-memory buffer; name is used in error messages. */
int vcpuid_host_parse(const char *buf, size_t len, const char *name,
		      vcpuid_host *h, vcpuid_error *err);
/* The directory holding bundled profiles (build tree or installed). */
const char *vcpuid_profile_dir(void);

#ifdef __cplusplus
}
#endif
#endif
