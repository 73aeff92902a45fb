/* SPDX-License-Identifier: MIT */
/* The template container (vmm_template.c) that vmm.c (building and
 * writing templates), host/import_template.c (reading them back) and
 * host/import_firecracker.c (a Firecracker CPU config read as a host)
 * share. */
#ifndef VCPUID_VMM_TEMPLATE_H
#define VCPUID_VMM_TEMPLATE_H

#include "internal.h"

/* A feature MSR index (data/feature_msrs.def). */
bool vt_feature_msr(uint32_t idx);
/* Append one register mask / one MSR to t (cap its capacity). */
int vt_add_reg(vcpuid_template *t, size_t *cap, uint32_t leaf,
	       uint32_t first, uint32_t last, uint32_t flags,
	       enum vcpuid_reg reg, uint32_t value, uint32_t mask,
	       vcpuid_error *err);
int vt_add_msr(vcpuid_template *t, size_t *cap, uint32_t index,
	       uint64_t value, uint64_t mask, vcpuid_error *err);
/* A Firecracker bitmap string "0b..." of bits digits (x where mask is 0). */
json_t *vt_bitmap_json(uint64_t value, uint64_t mask, unsigned bits);
/* A Firecracker bitmap: "0b" and up to bits digits of 0, 1, x with '_'
 * anywhere, missing leading digits x; value the 1s, mask the 0s and 1s. */
int vt_bitmap(const json_t *v, unsigned bits, uint64_t *value,
	      uint64_t *mask, const char *file, const char *what,
	      vcpuid_error *err);
/* Register names as Firecracker (lower case) and Cloud Hypervisor write them. */
extern const char *const vt_reg_lower[4];
extern const char *const vt_reg_upper[4];

#endif
