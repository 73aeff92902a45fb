/* SPDX-License-Identifier: MIT */
/* x86-64 micro-architecture levels (the x86-64 psABI's x86-64-v1..v4) as
 * glibc decides them, for a guest CPU (level.c; the rules are data in
 * src/lib/data/levels.def). */
#ifndef VCPUID_LEVEL_H
#define VCPUID_LEVEL_H

#include "fleet.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VCPUID_LEVEL_MAX 4

/* One condition of a level: a CPUID feature bit, or an XCR0 state component
 * (word VCPUID_W_XSAVE_XCR0_LO, bit = component) the OS must be able to
 * enable. */
typedef struct vcpuid_level_need {
	int level;		/* 1..VCPUID_LEVEL_MAX */
	enum vcpuid_word word;
	uint8_t bit;
	const char *what;	/* "avx2", "XCR0.YMM" */
	const char *why;	/* glibc's name for the check, or the reason */
} vcpuid_level_need;

/* Every condition, lowest level first. */
const vcpuid_level_need *vcpuid_level_needs(size_t *count);
/* "x86-64-v1".."x86-64-v4"; 0 gives "none" (not even x86-64-v1). */
const char *vcpuid_level_name(int level);
/* "x86-64-v3", "v3" or "3" -> 3; -1 when not a level. */
int vcpuid_level_parse(const char *s);

/* The level of a guest CPU's final feature words (vcpuid_cpu.features: the
 * CPUID words with XSAVE_XCR0_LO = what CPUID.0DH.0:EAX offers, which the
 * OS enables). */
int vcpuid_level_of(const vcpuid_words features);
/* The same from a guest CPUID table (what glibc reads in the guest). */
int vcpuid_level_of_table(const vcpuid_table *t);
/* Inside a running guest: the CPUID answers it got and the XCR0 XGETBV
 * returned once the OS (the probe guest) enabled what it could. */
int vcpuid_level_of_observed(const vcpuid_table *t, uint64_t xcr0);

/* The conditions of levels 1..level that features fail, in table order.
 * Writes up to max of them to out; returns how many there are. */
size_t vcpuid_level_missing(const vcpuid_words features, int level,
			    const vcpuid_level_need **out, size_t max);
/* For an XCR0 condition, the feature that makes QEMU offer the component
 * (YMM: avx, the AVX-512 state: avx512f); for a feature condition, that
 * feature. NULL when unnamed. */
const vcpuid_feature *vcpuid_level_need_feature(const vcpuid_level_need *n);

/* Why a guest CPU does not reach a level: each condition it fails, with
 * the fate of the feature behind it (explain). */
typedef struct vcpuid_level_gap {
	const vcpuid_level_need *need;
	vcpuid_explanation why;	/* why.feature NULL: no feature is behind it */
	char cause[240];	/* one line */
} vcpuid_level_gap;

/* The level cpu (expanded on host) reaches in *reached, and what it lacks
 * for `level` in *gaps (malloc'd, *n of them; none when reached). With
 * `applied` (the live host, check's answer) the table KVM kept decides. */
int vcpuid_level_explain(const vcpuid_host *host, const vcpuid_cpu *cpu,
			 const struct vcpuid_verify_result *applied, int level,
			 int *reached, vcpuid_level_gap **gaps, size_t *n,
			 vcpuid_error *err);

#ifdef __cplusplus
}
#endif
#endif
