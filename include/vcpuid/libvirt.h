/* SPDX-License-Identifier: MIT */
/* Speaking libvirt: its x86 feature and model names (data:
 * src/lib/data/libvirt_features.def, libvirt_models.def), the <cpu> element
 * of a domain in and out, domain capabilities and libvirt's host
 * descriptions (virsh domcapabilities, <cpudata arch='x86'>).
 * libvirt's behaviour is libvirt 9.0's (Debian 12). */
#ifndef VCPUID_LIBVIRT_H
#define VCPUID_LIBVIRT_H

#include "model.h"
#include "host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- names (src/lib/libvirt_names.c) ---- */
#define VCPUID_LV_UNMIGRATABLE 0x1u	/* libvirt's migratable='no' */

typedef struct vcpuid_libvirt_feature {
	const char *name;	/* libvirt's name: "pclmuldq", "tsc_adjust" */
	const char *qemu;	/* QEMU's canonical name, NULL when QEMU has none */
	int word;		/* enum vcpuid_word, -1 outside QEMU's words */
	uint8_t bit;		/* in word (or in reg of leaf/subleaf) */
	uint32_t leaf, subleaf;	/* CPUID location (word's, or the raw one) */
	enum vcpuid_reg reg;
	uint32_t msr;		/* MSR index for MSR words, else 0 */
	unsigned flags;		/* VCPUID_LV_* */
} vcpuid_libvirt_feature;

/* Every libvirt feature, in libvirt's cpu_map order. */
const vcpuid_libvirt_feature *vcpuid_libvirt_features(size_t *count);
/* By libvirt name (exact), or NULL. */
const vcpuid_libvirt_feature *vcpuid_libvirt_feature_find(const char *name);
/* The libvirt feature naming (word, bit), or NULL. */
const vcpuid_libvirt_feature *vcpuid_libvirt_feature_at(enum vcpuid_word w,
							unsigned bit);

#define VCPUID_LV_DECODE_HOST 0x1u
#define VCPUID_LV_DECODE_GUEST 0x2u
typedef struct vcpuid_libvirt_model {
	const char *name;	/* "Skylake-Client-IBRS" */
	const char *vendor;	/* "Intel", "AMD", "Hygon"; "" for none */
	unsigned decode;	/* VCPUID_LV_DECODE_* */
	const char *signatures;	/* "6:94 6:78 6:85:0-4" */
	const char *features;	/* libvirt names, space separated */
} vcpuid_libvirt_model;

/* Every libvirt model, in libvirt's cpu_map order. */
const vcpuid_libvirt_model *vcpuid_libvirt_models(size_t *count);
const vcpuid_libvirt_model *vcpuid_libvirt_model_find(const char *name);
/* A model's features as QEMU feature words (names outside QEMU's words are
 * left out). */
void vcpuid_libvirt_model_words(const vcpuid_libvirt_model *m, vcpuid_words out);
/* Whether the model lists signature family/model/stepping. */
bool vcpuid_libvirt_model_signature(const vcpuid_libvirt_model *m,
				    unsigned family, unsigned model,
				    unsigned stepping);
/* libvirt's vendor name for a CPUID vendor string ("GenuineIntel" ->
 * "Intel"), NULL when libvirt has none; and back. */
const char *vcpuid_libvirt_vendor(const char *cpuid_vendor);
const char *vcpuid_libvirt_vendor_string(const char *libvirt_vendor);

/* ---- the <cpu> element out (src/lib/libvirt_xml.c) ---- */
/* A domain <cpu> element libvirt 9.0 turns into the same QEMU -cpu as
 * `cpu` (expanded on `host`, NULL = none): for named models
 * <cpu mode='custom' match='exact' check='partial'> with
 * <model fallback='forbid'>, <vendor>, and require/disable features relative
 * to both libvirt's and QEMU's view of the model; host -> host-passthrough,
 * max -> maximum. Bits libvirt has no name for are listed in an XML comment
 * (and in *unnamed when not NULL, malloc'd, space separated).
 * *xml is malloc'd. */
int vcpuid_libvirt_cpu_xml(const vcpuid_host *host, const vcpuid_cpu *cpu,
			   char **xml, char **unnamed, vcpuid_error *err);

/* ---- the <cpu> element in ---- */
/* True when s names a libvirt XML document rather than a -cpu spec: a
 * string whose first non-blank character is '<', or an existing file whose
 * first non-blank character is '<' named by a path with a '/' or ending in
 * ".xml". */
bool vcpuid_libvirt_is_xml(const char *s);
/* Turn a domain XML or a bare <cpu> element (text, or a file when
 * vcpuid_libvirt_is_xml says so) into the QEMU -cpu spec libvirt 9.0 builds
 * (qemuBuildCpuModelArgStr): custom -> MODEL,feat=on|off...; host-passthrough
 * -> host[,migratable=off]; maximum -> max[,migratable=...]; host-model ->
 * the host-model CPU of vcpuid_libvirt_domcaps on host (required then).
 * *spec is malloc'd. Errors: VCPUID_E_PARSE (XML), VCPUID_E_UNKNOWN (names). */
int vcpuid_libvirt_cpu_spec(const char *xml_or_file, const vcpuid_host *host,
			    const char *machine, char **spec,
			    vcpuid_error *err);
/* The same on a buffer (the fuzz target's entry). */
int vcpuid_libvirt_cpu_spec_mem(const char *buf, size_t len,
				const vcpuid_host *host, const char *machine,
				char **spec, vcpuid_error *err);

/* What a domain XML says besides its <cpu> (for the libvirt hook). */
typedef struct vcpuid_libvirt_domain {
	char name[128];		/* <name> */
	char machine[64];	/* <os><type machine=>, "" when absent */
	char check[16];		/* <cpu check=>: "none", "partial", "full", or
				 * "" (libvirt's default: partial for custom) */
	char mode[24];		/* <cpu mode=>, "" when no <cpu> */
	unsigned vcpus;		/* <vcpu>, 1 when absent */
} vcpuid_libvirt_domain;
int vcpuid_libvirt_domain_info(const char *buf, size_t len,
			       vcpuid_libvirt_domain *out, vcpuid_error *err);

/* ---- domain capabilities (src/lib/libvirt_domcaps.c) ---- */
typedef struct vcpuid_domcaps_model {
	const char *name;	/* libvirt model name */
	const char *vendor;	/* "Intel", "AMD", "Hygon" or "unknown" */
	bool usable;
	char *blockers;		/* QEMU's unavailable features, libvirt names,
				 * space separated, malloc'd ("" when usable) */
} vcpuid_domcaps_model;

typedef struct vcpuid_domcaps {
	const vcpuid_machine *machine;
	/* host-model as libvirt reports it */
	const char *hm_model;
	char hm_vendor[16];
	vcpuid_words hm_require, hm_disable;	/* QEMU feature words */
	char *hm_require_names, *hm_disable_names; /* libvirt names, malloc'd */
	/* whether QEMU would start libvirt's host-model, and if not why and
	 * the host-model that starts (features to drop, libvirt names) */
	bool hm_starts;
	char *hm_why;		/* malloc'd or NULL */
	char *hm_drop;		/* libvirt names, malloc'd or NULL */
	size_t nmodels;
	vcpuid_domcaps_model *models;	/* libvirt's order (reversed cpu_map) */
} vcpuid_domcaps;

/* The <cpu> part of `virsh domcapabilities --virttype kvm` for host as
 * libvirt 9.0 with the machine type's QEMU computes it. */
int vcpuid_libvirt_domcaps(const vcpuid_host *host, const char *machine,
			   vcpuid_domcaps *out, vcpuid_error *err);
void vcpuid_libvirt_domcaps_free(vcpuid_domcaps *d);
/* On the live host only (KVM ioctls, as `vcpuid check`): whether QEMU
 * would start the host-model; if not, hm_starts is false, hm_why says why
 * and, when dropping the CPUID bits that gate the refused feature MSRs
 * makes it start, hm_drop names them and hm_require/hm_disable become the
 * host-model that starts (the *_names strings keep libvirt's answer). */
int vcpuid_libvirt_domcaps_check(vcpuid_domcaps *d, const vcpuid_host *live,
				 vcpuid_error *err);
/* Its XML (<cpu>...</cpu>, virsh's indentation); blockers adds newer
 * libvirt's <blockers model=> lists. *xml is malloc'd. */
int vcpuid_libvirt_domcaps_xml(const vcpuid_domcaps *d, bool blockers,
			       char **xml, vcpuid_error *err);

/* ---- libvirt host descriptions in (src/lib/libvirt_host.c) ---- */
/* Load a `virsh domcapabilities` output (or its <cpu> element) or a
 * <cpudata arch='x86'> dump as a host (vcpuid_host_parse does for text
 * starting with '<'). domcapabilities: KVM supports the host-model's
 * features; <cpudata>: the raw CPUID only, like the other dumps. What the
 * format cannot carry is said in *missing (malloc'd, may be NULL). h must be
 * initialised; h->source names the input in errors. */
int vcpuid_libvirt_host_load_mem(const char *buf, size_t len, vcpuid_host *h,
				 char **missing, vcpuid_error *err);

#ifdef __cplusplus
}
#endif
#endif
