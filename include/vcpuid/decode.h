/* SPDX-License-Identifier: MIT */
/* Decoding a CPUID table into what a person reads, and diffing two. */
#ifndef VCPUID_DECODE_H
#define VCPUID_DECODE_H

#include "catalog.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vcpuid_xsave_comp {
	unsigned index;		/* XCR0/XSS bit */
	uint32_t size, offset;
	bool supervisor, aligned;
} vcpuid_xsave_comp;

typedef struct vcpuid_cache_summary {
	unsigned level;
	char type[12];		/* "data", "instruction", "unified" */
	uint32_t size_kb, ways, line, sets, sharing; /* sharing: logical CPUs */
} vcpuid_cache_summary;

typedef struct vcpuid_decoded {
	char vendor[13];
	char brand[49];
	uint32_t family, model, stepping;	/* displayed values */
	uint32_t base_family, base_model, ext_family, ext_model;
	uint32_t max_basic, max_ext, max_centaur, max_hypervisor;
	uint32_t phys_bits, virt_bits;
	uint32_t max_leaf7_subleaf;
	vcpuid_words words;		/* every feature word found */
	uint32_t logical_per_package, apic_id;
	unsigned ncache;
	vcpuid_cache_summary cache[8];
	unsigned ntopo;
	struct { unsigned level_type, shift, count; } topo[8];
	uint64_t xcr0, xss;
	uint32_t xsave_size_enabled, xsave_size_max, xsave_size_xss;
	unsigned nxsave;
	vcpuid_xsave_comp xsave[32];
	char hypervisor[13];		/* 0x40000000 signature, "" if none */
	/* additions (decode helper) */
	uint32_t signature;		/* leaf 1 EAX */
	char cache_source[16];		/* "leaf4", "8000001d", "leaf2", "80000005", "" */
	unsigned topo_leaf;		/* 0x1F, 0xB or 0 */
} vcpuid_decoded;

/* Names for display (data/leaves.c): an XSAVE state component by its
 * XCR0/XSS bit ("" when unnamed), a leaf 0xB/0x1F level type. */
const char *vcpuid_xsave_name(unsigned bit);
const char *vcpuid_topo_level_name(unsigned type);

/* diff.c: what differs between two decoded CPUs. */
typedef struct vcpuid_diff_feature {
	enum vcpuid_word word;
	unsigned bit;
	const char *name;	/* catalog name, NULL for an unnamed bit */
	bool in_a;		/* true: only in A; false: only in B */
} vcpuid_diff_feature;

typedef struct vcpuid_diff_field {
	const char *field;	/* "vendor", "family", "phys_bits", ... */
	bool is_string;
	uint64_t a, b;
	char sa[49], sb[49];	/* string fields */
} vcpuid_diff_field;

typedef struct vcpuid_diff {
	vcpuid_diff_feature *feat;	/* in word order, then bit order */
	size_t nfeat;
	vcpuid_diff_field field[24];
	size_t nfield;
} vcpuid_diff;

/* Fill out (initialised by the call); 0 on success. The CPUs are identical
 * when out->nfeat + out->nfield == 0. Free with vcpuid_diff_free. */
int vcpuid_diff_decoded(const vcpuid_decoded *a, const vcpuid_decoded *b,
			vcpuid_diff *out, vcpuid_error *err);
void vcpuid_diff_free(vcpuid_diff *d);

/* decode.c */
int vcpuid_decode(const vcpuid_table *t, const vcpuid_msr_list *msrs,
		  vcpuid_decoded *d, vcpuid_error *err);
/* Family/model/stepping display values from leaf 1 EAX (and vendor). */
void vcpuid_signature(uint32_t eax, const char *vendor, uint32_t *family,
		      uint32_t *model, uint32_t *stepping);

#ifdef __cplusplus
}
#endif
#endif
