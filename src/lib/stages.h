/* SPDX-License-Identifier: MIT */
/* Private interfaces between the pipeline stages spec -> expand -> filter. */
#ifndef VCPUID_STAGES_H
#define VCPUID_STAGES_H

#include "internal.h"
#include "host/query.h"

/* ---- cpu_object.c: the CPU object's warnings and lists ---- */
/* Append a warning line (without the "qemu-system-x86_64: warning: "). */
int vo_warn(vcpuid_cpu *cpu, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append line (allocated; taken, also on failure); VCPUID_E_NOMEM when line
 * is NULL or the list cannot grow. */
int vo_warn_line(vcpuid_cpu *cpu, char *line);
/* The capacity a list of n entries has (8, then powers of two). */
size_t vo_cap_for(size_t n);

/* ---- spec.c ---- */
/* QEMU's boolean spellings; 0 on success. */
int spec_parse_bool(const char *v, bool *out);
/* First QEMU release with this -cpu property (702: 7.2 or earlier). */
uint16_t spec_prop_since(const char *name);
/* The last QEMU release with -cpu property `name` (0xffff: still there). */
uint16_t spec_prop_until(const char *name);
/* Last value given for a property, or NULL. */
const char *spec_prop_get(const vcpuid_spec *spec, const char *name);

/* QEMU's "Ambiguous CPU model string" warnings for a -cpu string. */
int spec_ambiguity_warnings(const char *s, vcpuid_cpu *cpu);

/* ---- filter.c ---- */
/* What the host's KVM can give, per feature word, after QEMU's corrections
 * (kvm_arch_get_supported_cpuid / kvm_arch_get_supported_msr_feature):
 * the corrections are QEMU's and stay here, the facts they look at come
 * from the host view (h->present false: no accelerator, everything). */
void vf_supported(const hq_view *h, uint16_t qemu, vcpuid_words out);
/* One corrected supported CPUID register (any leaf). */
uint32_t vf_supported_reg(const hq_view *h, uint16_t qemu, uint32_t leaf,
			  uint32_t sub, enum vcpuid_reg reg);
/* x86_cpu_get_migratable_flags for a word under a QEMU release. */
uint64_t vf_migratable_mask(enum vcpuid_word w, uint16_t qemu);
/* Mark bits unavailable: cleared from features, added to the filtered list
 * and, when prefix is not NULL, one QEMU warning line per bit. */
int vf_mark_unavailable(vcpuid_cpu *cpu, enum vcpuid_word w, uint64_t mask,
			const char *prefix, const char *reason);
/* x86_cpu_filter_features: requested & ~supported per word. */
int vf_filter(vcpuid_cpu *cpu, const hq_view *h);

/* ---- expand.c ---- */
/* vcpuid_cpu_expand for a QEMU -cpu string only (front.c also takes libvirt
 * XML): what the stages below the libvirt readers call. */
int ve_expand(const vcpuid_host *host, const char *spec_str,
	      const char *machine, const vcpuid_topology *topo,
	      vcpuid_cpu *cpu, vcpuid_error *err);
/* The same on a host view already built (hq_view_init): the expansion asks
 * it for what the CPU model needs; a guest build hands the same view on to
 * its synthesis. */
int ve_expand_view(hq_view *hv, const char *spec_str, const char *machine,
		   const vcpuid_topology *topo, vcpuid_cpu *cpu,
		   vcpuid_error *err);
/* A catalog model's own feature list (version 1) as words, made at build
 * time; NULL for a definition that is not in vcpuid_models(). */
const uint64_t *ve_model_words(const vcpuid_model_def *d);
#endif
