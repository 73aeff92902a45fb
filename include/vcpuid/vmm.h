/* SPDX-License-Identifier: MIT */
/* Other VMMs' guest CPU descriptions (docs/template.md): Firecracker custom
 * CPU templates and Cloud Hypervisor CPU profiles, made from a QEMU guest
 * and read back. */
#ifndef VCPUID_VMM_H
#define VCPUID_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vcpuid/core.h"
#include "vcpuid/guest.h"
#include "vcpuid/fleet.h"

typedef enum vcpuid_vmm {
	VCPUID_VMM_FIRECRACKER,
	VCPUID_VMM_CLOUD_HYPERVISOR,
} vcpuid_vmm;

/* One register of one leaf and a subleaf range (Firecracker: first ==
 * last): the bits in mask are set to value, the others left to the VMM. */
typedef struct vcpuid_template_reg {
	uint32_t leaf, first, last, flags;
	enum vcpuid_reg reg;
	uint32_t value, mask;
} vcpuid_template_reg;

typedef struct vcpuid_template_msr {
	uint32_t index;
	uint64_t value, mask;
} vcpuid_template_msr;

typedef struct vcpuid_template {
	vcpuid_vmm vmm;
	char vendor[16];	/* Cloud Hypervisor's cpu_vendor ("Intel", "AMD") */
	vcpuid_template_reg *regs;
	size_t nregs;
	vcpuid_template_msr *msrs;
	size_t nmsrs;
	int32_t caps[32];	/* KVM capabilities; negative = "!N" (removed) */
	size_t ncaps;
	size_t nskipped;	/* guest leaves the host's KVM lacks (left out) */
} vcpuid_template;

/* The bits of (leaf, subleaf, reg) the VMM sets itself (APIC ids,
 * topology, caches, brand; src/lib/data/vmm_owned.def) on a host whose
 * vendor is amd or not. */
uint32_t vcpuid_vmm_owned(vcpuid_vmm vmm, bool amd, uint32_t leaf,
			  uint32_t subleaf, enum vcpuid_reg reg);

/* The template under which the VMM's guest on `host` sees vCPU 0 of `g`
 * outside the VMM-owned bits: every leaf of the host's KVM table, set to
 * the guest's value (0 where the guest has no such leaf), and the guest's
 * feature MSRs. Release with vcpuid_template_free(). */
int vcpuid_template_build(vcpuid_vmm vmm, const vcpuid_guest *g,
			  const vcpuid_host *host, vcpuid_template *out,
			  vcpuid_error *err);
/* Its JSON text (malloc'd, newline-terminated); NULL when out of memory. */
char *vcpuid_template_to_json(const vcpuid_template *t);
/* Read a Firecracker custom CPU template (bitmaps may be shorter than
 * 32/64 digits, missing leading digits are x, and may hold '_') or a
 * Cloud Hypervisor CPU profile. VCPUID_E_UNKNOWN when buf is neither. */
int vcpuid_template_parse(const char *buf, size_t len, const char *name,
			  vcpuid_template *out, vcpuid_error *err);
/* The same, from a parsed JSON document (a json_t *). */
int vcpuid_template_parse_json(const void *root, const char *name,
			       vcpuid_template *out, vcpuid_error *err);
void vcpuid_template_free(vcpuid_template *t);
/* The guest a template describes, as a host profile whose KVM table holds
 * the template's fixed bits (others 0) and whose feature MSRs its MSR
 * bits: what decode, diff and compare read. */
int vcpuid_template_to_host(const vcpuid_template *t, const char *name,
			    vcpuid_host *out, vcpuid_error *err);
/* Can the template run on host, as Firecracker's `cpu-template-helper
 * template verify` decides: every leaf it modifies is in the host's KVM
 * table, every feature bit it sets the host's KVM offers, every feature-MSR
 * bit it sets the host's KVM accepts. IDENTICAL / SUPERSET (the host offers
 * feature bits the template clears; nextra counts them) / INCOMPATIBLE. */
int vcpuid_template_compare(const vcpuid_template *t, const vcpuid_host *host,
			    vcpuid_comparison *out, vcpuid_error *err);

#endif
