/* SPDX-License-Identifier: MIT */
/* Beside the pipeline: explain a feature's fate, compare a guest CPU with
 * hosts, check a migration, baseline a fleet, and the models x hosts matrix. */
#ifndef VCPUID_FLEET_H
#define VCPUID_FLEET_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- explain (explain.c) ---- */
enum vcpuid_stage {
	VCPUID_STAGE_HARDWARE,	 /* raw CPUID of the host */
	VCPUID_STAGE_KERNEL,	 /* /proc/cpuinfo */
	VCPUID_STAGE_KVM,	 /* KVM_GET_SUPPORTED/EMULATED_CPUID, feature MSRs */
	VCPUID_STAGE_CORRECTIONS,/* QEMU's corrections of KVM's answer */
	VCPUID_STAGE_MODEL,	 /* the model/version (or host/max expansion) */
	VCPUID_STAGE_USER,	 /* +feat / -feat / feat=on|off */
	VCPUID_STAGE_DEPENDENCY, /* another feature pulled it out */
	VCPUID_STAGE_MIGRATABLE, /* the migratable mask */
	VCPUID_STAGE_FILTER,	 /* requested but the host cannot give it */
	VCPUID_STAGE_APPLIED,	 /* live host: what vCPU 0 keeps after KVM_SET_CPUID2/MSRS */
	VCPUID_STAGE_LAUNCH,	 /* live host: would QEMU start (check) */
	VCPUID_STAGE_FINAL,	 /* what the guest gets */
	VCPUID_NSTAGES
};
const char *vcpuid_stage_name(enum vcpuid_stage s);

/* State of a feature at one stage. */
enum vcpuid_fate { VCPUID_FATE_NA = 0, VCPUID_FATE_YES, VCPUID_FATE_NO };

typedef struct vcpuid_explanation {
	const vcpuid_feature *feature;
	enum vcpuid_fate at[VCPUID_NSTAGES];
	char note[VCPUID_NSTAGES][128];	/* what happened at each stage */
	enum vcpuid_stage decisive;	/* the stage that decided the outcome */
	bool wanted, final;
	char cause[160];		/* one line: why it is (not) there */
} vcpuid_explanation;

/* Explain one feature (by name or alias) for cpu computed on host. */
int vcpuid_explain(const vcpuid_host *host, const vcpuid_cpu *cpu,
		   const char *feature, vcpuid_explanation *out,
		   vcpuid_error *err);
/* Every requested-but-lost feature of cpu; *out is malloc'd. */
int vcpuid_explain_lost(const vcpuid_host *host, const vcpuid_cpu *cpu,
			vcpuid_explanation **out, size_t *n,
			vcpuid_error *err);

/* On the live host the last word is KVM's, not the filter's: `applied` is
 * check's answer for cpu's vCPUs (vcpuid_verify with run_guest false). It
 * adds the stages APPLIED (does vCPU 0's kept table, KVM_GET_CPUID2 after
 * KVM_SET_CPUID2, or the feature MSR KVM_SET_MSRS took, have the feature)
 * and LAUNCH (would QEMU start), and FINAL becomes "kept and QEMU starts".
 * NULL applied = the two functions above. */
struct vcpuid_verify_result;
int vcpuid_explain_applied(const vcpuid_host *host, const vcpuid_cpu *cpu,
			   const struct vcpuid_verify_result *applied,
			   const char *feature, vcpuid_explanation *out,
			   vcpuid_error *err);
int vcpuid_explain_lost_applied(const vcpuid_host *host, const vcpuid_cpu *cpu,
				const struct vcpuid_verify_result *applied,
				vcpuid_explanation **out, size_t *n,
				vcpuid_error *err);

/* ---- compare / migrate-check (compare.c) ---- */
enum vcpuid_verdict {
	VCPUID_IDENTICAL = 0,
	VCPUID_SUPERSET,
	VCPUID_INCOMPATIBLE
};
const char *vcpuid_verdict_name(enum vcpuid_verdict v);

enum vcpuid_reason_kind {
	VCPUID_REASON_FEATURE,	/* a feature bit the host cannot give */
	VCPUID_REASON_VENDOR,
	VCPUID_REASON_NUMERIC,	/* a number that must not grow */
	VCPUID_REASON_MSR_VALUE,/* a feature MSR value rule */
	VCPUID_REASON_CPUID,	/* a guest CPUID register that would differ */
	VCPUID_REASON_NOTE	/* tolerated difference, for information */
};

typedef struct vcpuid_reason {
	enum vcpuid_reason_kind kind;
	bool fatal;		/* false: a tolerated difference */
	char what[48];		/* feature name, field name or MSR */
	char text[200];		/* one line */
} vcpuid_reason;

typedef struct vcpuid_comparison {
	enum vcpuid_verdict verdict;
	size_t n;
	vcpuid_reason *r;	/* malloc'd */
	size_t nextra;		/* host features beyond the guest's (SUPERSET) */
	/* vcpuid_compare: the x86-64 level (level.h) of the guest as written
	 * and of what it gets on this host (less, when the host filters) */
	int level, level_here;
} vcpuid_comparison;
void vcpuid_comparison_free(vcpuid_comparison *c);

/* Can host run the guest CPU `spec` as written? */
int vcpuid_compare(const vcpuid_host *host, const char *spec,
		   const char *machine, vcpuid_comparison *out,
		   vcpuid_error *err);
/* Can a guest started on `from` move to `to` with an identical view? */
int vcpuid_migrate_check(const vcpuid_host *from, const vcpuid_host *to,
			 const char *spec, const char *machine,
			 const vcpuid_topology *topo, vcpuid_comparison *out,
			 vcpuid_error *err);
/* The same when the destination runs another QEMU release: `machine` on
 * the source, `to_machine` (the same type, "M@X.Y") on the destination.
 * Differences the release change makes carry notes naming the QEMU change
 * (vcpuid_upgrade_check, include/vcpuid/upgrade.h). */
int vcpuid_migrate_check_qemu(const vcpuid_host *from, const vcpuid_host *to,
			      const char *spec, const char *machine,
			      const char *to_machine,
			      const vcpuid_topology *topo,
			      vcpuid_comparison *out, vcpuid_error *err);

/* ---- baseline (baseline.c) ---- */
typedef struct vcpuid_baseline {
	char spec[2048];		/* a QEMU -cpu string */
	const vcpuid_model_def *model;	/* chosen base model, NULL = none fits */
	int version;
	vcpuid_words features;		/* the CPU every host can run */
	vcpuid_words plus, minus;	/* relative to the model */
	char vendor[13];
	int level;			/* x86-64 level of `features` (level.h) */
} vcpuid_baseline;

#define VCPUID_BASELINE_MIGRATABLE 0x1u /* drop migration blockers */
/* Hosts of several vendors (Intel and AMD): only vendor-neutral base models
 * (vcpuid_model_def.generic: qemu64, kvm64...) plus the common features;
 * the guest shows each host its own vendor, as QEMU does under KVM.
 * `vendor` is then "mixed" when the hosts differ. */
#define VCPUID_BASELINE_CROSS_VENDOR 0x2u
int vcpuid_baseline_compute(const vcpuid_host *const *hosts, size_t nhosts,
			    const char *machine, unsigned flags,
			    vcpuid_baseline *out, vcpuid_error *err);

/* The same, for a CPU that reaches x86-64 level `level` (1..4, level.h)
 * on every host: VCPUID_E_NEGATIVE naming the hosts that cannot reach it
 * (with their own best level and what they lack) when some cannot
 * (baseline_level.c). */
int vcpuid_baseline_for_level(const vcpuid_host *const *hosts, size_t nhosts,
			      const char *machine, unsigned flags, int level,
			      vcpuid_baseline *out, vcpuid_error *err);

/* ---- fleet matrix (matrix.c) ---- */
typedef struct vcpuid_matrix_cell {
	bool usable;
	char *missing;		/* "avx512f pku" (space separated), malloc'd */
	int level;		/* x86-64 level the model gets there (level.h) */
} vcpuid_matrix_cell;

typedef struct vcpuid_matrix {
	size_t nmodels, nhosts;
	char **models;		/* model names (rows) */
	vcpuid_matrix_cell *cells; /* [model * nhosts + host] */
	size_t npools;
	struct vcpuid_pool {
		size_t nhosts;
		size_t *hosts;	/* indexes into the host list */
		char *baseline;	/* -cpu spec every host of the pool runs */
		int level;	/* its x86-64 level (level.h), -1 without one */
	} *pools;
} vcpuid_matrix;

/* models: NULL = every model version the machine type knows. */
int vcpuid_matrix_compute(const vcpuid_host *const *hosts, size_t nhosts,
			  const char *const *models, size_t nmodels,
			  const char *machine, vcpuid_matrix *out,
			  vcpuid_error *err);
/* With VCPUID_MATRIX_CROSS_VENDOR the hosts are pooled across vendors: by
 * the x86-64 level (level.h) the host can offer at best (its `max`), each
 * pool with a cross-vendor baseline (VCPUID_BASELINE_CROSS_VENDOR). */
#define VCPUID_MATRIX_CROSS_VENDOR 0x1u
int vcpuid_matrix_compute_ex(const vcpuid_host *const *hosts, size_t nhosts,
			     const char *const *models, size_t nmodels,
			     const char *machine, unsigned flags,
			     vcpuid_matrix *out, vcpuid_error *err);
void vcpuid_matrix_free(vcpuid_matrix *m);

/* ---- feature MSR value rules (data/msr_rules.def) ---- */
/* Compare a guest's feature MSR value with what a host offers. Appends
 * reasons; returns true when compatible. */
bool vcpuid_msr_value_ok(uint32_t msr, uint64_t guest, uint64_t host,
			 vcpuid_comparison *out);

#ifdef __cplusplus
}
#endif
#endif
