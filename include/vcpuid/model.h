/* SPDX-License-Identifier: MIT */
/* CPU models, machine types, -cpu specs, expansion and filtering.
 * Model data: src/lib/data/models.c; machine types: src/lib/data/machines.c. */
#ifndef VCPUID_MODEL_H
#define VCPUID_MODEL_H

#include "catalog.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- cache descriptions (QEMU's CPUCacheInfo) ---- */
enum vcpuid_cache_type {
	VCPUID_CACHE_NONE = 0,
	VCPUID_CACHE_DATA = 1,
	VCPUID_CACHE_INST = 2,
	VCPUID_CACHE_UNIFIED = 3
};
enum vcpuid_cache_share { /* QEMU's CpuTopologyLevel for share_level */
	VCPUID_SHARE_DEFAULT = 0, VCPUID_SHARE_THREAD, VCPUID_SHARE_CORE,
	VCPUID_SHARE_MODULE, VCPUID_SHARE_DIE, VCPUID_SHARE_SOCKET
};
typedef struct vcpuid_cache {
	uint8_t type, level;	/* enum vcpuid_cache_type, 1..3 */
	uint32_t size;		/* bytes */
	uint16_t line_size, associativity, partitions;
	uint32_t sets;
	uint16_t lines_per_tag;	/* AMD 0x80000005/6 */
	bool self_init, no_invd_sharing, inclusive, complex_indexing;
	uint8_t share_level;	/* enum vcpuid_cache_share */
} vcpuid_cache;
typedef struct vcpuid_cache_set {
	vcpuid_cache l1d, l1i, l2, l3;
} vcpuid_cache_set;

/* ---- models ---- */
typedef struct vcpuid_prop {
	const char *name, *value;
} vcpuid_prop;

typedef struct vcpuid_model_version {
	int version;
	const char *alias;	  /* e.g. "Haswell-noTSX" for Haswell-v2, or NULL */
	const char *note;	  /* QEMU's version note, or NULL */
	const vcpuid_prop *props; /* {NULL, NULL} terminated, applied in order */
	const vcpuid_cache_set *cache; /* replaces the model's cache, or NULL */
	uint16_t qemu_since;	  /* first QEMU release with this version */
} vcpuid_model_version;

typedef struct vcpuid_model_def {
	const char *name;	/* "Skylake-Client" */
	const char *vendor;	/* "GenuineIntel", "AuthenticAMD", ... */
	uint32_t family, model, stepping;
	uint32_t level, xlevel, xlevel2;
	const char *model_id;	/* brand string */
	const char *features;	/* space separated feature names (version 1) */
	const vcpuid_cache_set *cache; /* NULL: legacy caches */
	uint16_t cache_since;	/* first QEMU release in which `cache` is the
				 * model's table (0: every release) */
	const vcpuid_model_version *versions; /* version 0 terminated; NULL = v1 only */
	bool generic;		/* vendor-neutral: QEMU gives it a vendor, but
				 * nothing in it is vendor specific (libvirt's
				 * cpu_map gives it none) */
	uint16_t qemu_since;
} vcpuid_model_def;

const vcpuid_model_def *vcpuid_models(size_t *count);
const vcpuid_model_def *vcpuid_model_find(const char *name);

/* ---- machine types ---- */
typedef struct vcpuid_compat {
	const char *driver;	/* "*" = every x86 CPU, else a model name ("EPYC") */
	const char *prop, *value;
} vcpuid_compat;

/* A machine type as one QEMU release runs it: `qemu` is the release of the
 * QEMU binary (its own rules, models and feature names), `type` the machine
 * type's release (the version in its name), `compat` the CPU properties
 * that binary's pc_compat_* arrays set for that type (docs/upgrade-check.md).
 * vcpuid_machines() lists each type run by its own release (qemu == type,
 * no compat); vcpuid_machine_in() gives any pair. */
typedef struct vcpuid_machine {
	const char *name;	/* "pc-i440fx-7.2" */
	uint16_t qemu;		/* QEMU release whose behaviour is emulated: 702 */
	int default_cpu_version; /* what a bare model name resolves to */
	const vcpuid_compat *compat; /* {NULL} terminated, already cumulative */
	uint16_t type;		/* the machine type's release: 702 */
} vcpuid_machine;

const vcpuid_machine *vcpuid_machines(size_t *count);
/* NULL name = the default (newest) machine type; "pc" and "q35" are the
 * newest i440fx and q35 types. "NAME@X.Y" is NAME as QEMU X.Y runs it
 * (vcpuid_machine_in; "pc@X.Y" = the newest i440fx type of X.Y). A bare
 * NAME is the type as its own release runs it. NULL when unknown. */
const vcpuid_machine *vcpuid_machine_find(const char *name);

/* The QEMU releases vcpuid emulates (702 .. 1101), oldest first. */
const uint16_t *vcpuid_qemu_releases(size_t *count);
/* "7.2" -> 702, "11.1" -> 1101; 0 when not one of vcpuid_qemu_releases. */
uint16_t vcpuid_qemu_release_parse(const char *s);
/* Machine type `name` (NULL, "pc", "q35": the newest i440fx / q35 type of
 * that release) as QEMU release `qemu` runs it (0 = the type's own
 * release), with the compat properties of data/pc_compat.def applied as
 * that release applies them. NULL when the name or release is unknown or
 * the type is newer than the release. The result lives as long as the
 * library. */
const vcpuid_machine *vcpuid_machine_in(const char *name, uint16_t qemu);

/* ---- resolving model names (src/lib/model.c) ---- */
/* What kind of CPU type name the user typed. */
enum vcpuid_type_kind {
	VCPUID_TYPE_AUTO = 0,	/* "Skylake-Client": version picked by the machine */
	VCPUID_TYPE_VERSIONED,	/* "Skylake-Client-v4" */
	VCPUID_TYPE_ALIAS,	/* "Skylake-Client-IBRS" = a fixed version */
	VCPUID_TYPE_SPECIAL	/* "host", "max", "base": no model_def */
};

typedef struct vcpuid_model_ref {
	const vcpuid_model_def *def;	/* NULL for host/max/base */
	const vcpuid_model_version *ver; /* the resolved version's entry */
	int version;			/* resolved version, 0 for specials */
	enum vcpuid_type_kind kind;
	char name[64];			/* the type name, as QEMU spells it */
} vcpuid_model_ref;

/* Resolve a -cpu model name (case-sensitive, as QEMU) under a machine type
 * (NULL = newest). Models newer than the machine's QEMU release are
 * unknown there. VCPUID_E_UNKNOWN with close-name suggestions otherwise. */
int vcpuid_model_resolve(const char *name, const vcpuid_machine *machine,
			 vcpuid_model_ref *ref, vcpuid_error *err);

/* Call fn for every property of versions 1..version of def, in order
 * (the stacking QEMU does). Stops at and returns fn's first non-zero
 * return; VCPUID_E_UNKNOWN when def has no such version; else 0. */
typedef int (*vcpuid_prop_fn)(const vcpuid_prop *p, int version, void *ctx);
int vcpuid_model_version_props(const vcpuid_model_def *def, int version,
			       vcpuid_prop_fn fn, void *ctx);
/* The version entry (NULL when absent); v1 exists for every model. */
const vcpuid_model_version *vcpuid_model_version_get(const vcpuid_model_def *def,
						     int version);
/* Number of the newest version. */
int vcpuid_model_latest_version(const vcpuid_model_def *def);
/* The cache set version `version` ends up with (overrides inherit), in
 * the newest release. */
const vcpuid_cache_set *vcpuid_model_version_cache(const vcpuid_model_def *def,
						   int version);
/* The same in QEMU release `qemu` (a machine type's `qemu`): a base table
 * the model got in a later release (cache_since) is no table. */
const vcpuid_cache_set *vcpuid_model_cache_in(const vcpuid_model_def *def,
					      int version, uint16_t qemu);
/* The model-id after the version's props (last "model-id" wins). */
const char *vcpuid_model_version_model_id(const vcpuid_model_def *def,
					  int version);

/* One line of `-cpu help`. */
typedef struct vcpuid_cpu_type {
	vcpuid_model_ref ref;
	char alias_of[64];	/* "Skylake-Client-v2" for aliases, else "" */
	char description[160];	/* exactly as QEMU prints it */
} vcpuid_cpu_type;
/* Every CPU type the machine's QEMU release has, in `-cpu help` order
 * (named types by strcmp, base among them, then host, then max).
 * with_special adds host/max/base. *out is malloc'd. */
int vcpuid_cpu_types(const vcpuid_machine *machine, bool with_special,
		     vcpuid_cpu_type **out, size_t *count, vcpuid_error *err);

/* ---- topology ---- */
typedef struct vcpuid_topology {
	unsigned cpus, sockets, dies, modules, cores, threads;
} vcpuid_topology;
/* Parse "-smp" syntax: "N[,sockets=S][,dies=D][,cores=C][,threads=T]",
 * completing missing values the way QEMU does. */
int vcpuid_topology_parse(const char *s, vcpuid_topology *t, vcpuid_error *err);

/* ---- a parsed -cpu spec ---- */
#define VCPUID_SPEC_MAX_PROPS 64
typedef struct vcpuid_spec {
	char model[64];		/* as typed */
	vcpuid_words plus, minus;	/* +feat / -feat */
	vcpuid_words on, off;		/* feat=on / feat=off / bare feat */
	size_t nprops;
	struct { char name[32]; char value[96]; } props[VCPUID_SPEC_MAX_PROPS];
} vcpuid_spec;
int vcpuid_spec_parse(const char *s, vcpuid_spec *spec, vcpuid_error *err);

/* ---- the expanded and filtered guest CPU ---- */
typedef struct vcpuid_filtered {
	enum vcpuid_word word;
	uint8_t bit;
	const char *name;	/* NULL for an unnamed bit */
	char reason[96];	/* why the host cannot give it */
} vcpuid_filtered;

typedef struct vcpuid_cpu {
	const vcpuid_machine *machine;
	const vcpuid_model_def *model;	/* NULL for host/max/base */
	int version;			/* resolved version, 0 for host/max/base */
	char name[64];			/* resolved type: "Skylake-Client-v4", "host" */
	bool is_host, is_max, is_base;

	char vendor[13];
	uint32_t family, model_num, stepping;
	uint32_t level, xlevel, xlevel2;
	uint32_t min_level, min_xlevel, min_xlevel2;
	uint32_t level_func7, min_level_func7; /* leaf 7: EAX of subleaf 0 */
	char model_id[49];

	vcpuid_words features;	/* final, after filtering */
	vcpuid_words requested;	/* after expansion, before filtering */
	vcpuid_words filtered;	/* requested & ~supported */
	vcpuid_words user_on, user_off; /* what the user set explicitly */
	vcpuid_words supported;	/* what the host can give (after corrections) */
	vcpuid_words max_withheld; /* host/max: supported bits their expansion
				    * does not turn on for this vendor
				    * (data/expand.def MAX_UNAVAILABLE,
				    * MAX_AMD_ONLY) */

	/* properties */
	bool migratable, enforce, check, kvm, pmu, l3_cache, host_cache_info;
	bool host_phys_bits, full_cpuid_auto_level;
	bool vendor_cpuid_only;	/* x-vendor-cpuid-only */
	bool cpuid_0xb_off;	/* cpuid-0xb=off: leaf 0xB reads all zero */
	bool vmware_cpuid_freq_off; /* vmware-cpuid-freq=off: no leaf 0x40000010 */
	bool force_cpuid_0x1f;	/* x-force-cpuid-0x1f (QEMU 8.0+ table rules):
				 * leaf 0x1F even with one die */
	bool kvm_pv_enforce_cpuid; /* QEMU enables KVM_CAP_ENFORCE_PV_FEATURE_CPUID;
				    * no change to the CPUID table or MSRs */
	uint32_t compat_knobs;	/* the compat knobs' final values (bit i: the
				 * i-th COMPAT_KNOB of src/lib/data/expand.def),
				 * read by the table rules */
	unsigned phys_bits;
	uint64_t ucode_rev;
	uint64_t tsc_khz;
	uint8_t avx10_version;	/* avx10-version: CPUID.0x24.0.EBX[7:0] */
	uint8_t avx10_max_subleaf; /* CPUID.0x24.0.EAX (QEMU >= 11 only) */
	bool avx10_filtered;	/* the filter lowered or dropped avx10_version
				 * (QEMU counts it as a filtered feature) */
	uint8_t avx10_asked;	/* avx10_version before the filter */
	const vcpuid_cache_set *cache; /* NULL = legacy */
	vcpuid_topology topo;

	size_t nfiltered;
	vcpuid_filtered *filtered_list; /* malloc'd, in QEMU's warning order */
	char **warnings;		/* QEMU-style warning lines, malloc'd */
	size_t nwarnings;
} vcpuid_cpu;

void vcpuid_cpu_free(vcpuid_cpu *cpu);

/* Expand and filter: the whole of QEMU's realize for CPU features.
 * host may be NULL only for models that need no host (never for KVM use).
 * machine NULL = newest; topo NULL = 1 vCPU.
 * Returns VCPUID_E_ENFORCE (with cpu filled) when enforce refuses. */
int vcpuid_cpu_expand(const vcpuid_host *host, const char *spec,
		      const char *machine, const vcpuid_topology *topo,
		      vcpuid_cpu *cpu, vcpuid_error *err);

#ifdef __cplusplus
}
#endif
#endif
