/* SPDX-License-Identifier: MIT */
/* The feature catalog: every feature word and named bit QEMU knows.
 * The data lives in src/lib/data/words.def and features.def. */
#ifndef VCPUID_CATALOG_H
#define VCPUID_CATALOG_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Feature words, in QEMU's FeatureWord order (filter warnings follow it). */
enum vcpuid_word {
#define WORD(id, ...) VCPUID_W_##id,
#include "words.def"
#undef WORD
	VCPUID_NWORDS
};

typedef uint64_t vcpuid_words[VCPUID_NWORDS]; /* one bitmap per word */

enum vcpuid_word_kind { VCPUID_WORD_CPUID, VCPUID_WORD_MSR };

typedef struct vcpuid_word_info {
	const char *id;		/* "1_EDX", "7_0_EBX", "MSR_ARCH_CAP" */
	enum vcpuid_word_kind kind;
	uint32_t leaf, subleaf;	/* CPUID words */
	enum vcpuid_reg reg;	/* CPUID words */
	uint32_t msr;		/* MSR words */
	uint64_t migratable;	/* bits migratable although unnamed */
	uint16_t qemu_since;	/* first QEMU release knowing the word, 702 = 7.2 */
} vcpuid_word_info;

/* Per-feature attribute flags. */
#define VCPUID_F_UNMIGRATABLE 0x01u /* blocks live migration (invtsc) */
#define VCPUID_F_NO_AUTOENABLE 0x02u /* host/max never enable it by themselves */
#define VCPUID_F_LINUX_HIDDEN 0x04u /* kernel knows it but /proc/cpuinfo hides it */
#define VCPUID_F_AMD_ALIAS 0x08u   /* 1.EDX bit copied to 0x80000001.EDX on AMD */
#define VCPUID_F_COMPUTED 0x10u    /* value computed by QEMU, not a user knob */

typedef struct vcpuid_feature {
	const char *name;	/* canonical QEMU name, '-' separated */
	enum vcpuid_word word;
	uint8_t bit;		/* 0..63 */
	uint8_t flags;		/* VCPUID_F_* */
	uint16_t qemu_since;	/* 702 = known to QEMU 7.2 (or earlier) */
	const char *linux_name;	/* /proc/cpuinfo name, "" when the kernel has none */
	const char *desc;	/* one line */
} vcpuid_feature;

typedef struct vcpuid_alias {
	const char *alias, *name;
} vcpuid_alias;

/* QEMU's feature_dependencies[]: when none of `from` is set, `to` is cleared.
 * The list is QEMU master's, in table order; QEMU 7.2's list is exactly the
 * entries with qemu_since <= 702, in the same order. */
typedef struct vcpuid_dependency {
	enum vcpuid_word from_word;
	uint64_t from_mask;
	enum vcpuid_word to_word;
	uint64_t to_mask;
	uint16_t qemu_since;	/* first QEMU release with this entry, 702 = 7.2 */
} vcpuid_dependency;

/* A number inside a feature word (not flags): the AVX10 version in
 * CPUID.0x24.0.EBX[7:0]. */
typedef struct vcpuid_field {
	const char *name;	/* "avx10-version" */
	enum vcpuid_word word;
	uint8_t shift, width;	/* bits shift .. shift + width - 1 */
	uint16_t qemu_since;
	const char *description;
} vcpuid_field;
/* The field covering (word, bit), or NULL. */
const vcpuid_field *vcpuid_field_at(enum vcpuid_word w, unsigned bit);

const vcpuid_word_info *vcpuid_word(enum vcpuid_word w);
/* Human location of a word: "CPUID.07H.0:EBX" or "MSR(10AH)". */
int vcpuid_word_location(enum vcpuid_word w, char *buf, size_t len);
/* The word a (leaf, subleaf, reg) belongs to, or -1. */
int vcpuid_word_for_reg(uint32_t leaf, uint32_t subleaf, enum vcpuid_reg reg);
int vcpuid_word_for_msr(uint32_t msr);

const vcpuid_feature *vcpuid_features(size_t *count);
const vcpuid_alias *vcpuid_aliases(size_t *count);
const vcpuid_dependency *vcpuid_dependencies(size_t *count);

/* Normalise a user-typed name: '_' -> '-', lower case. */
void vcpuid_feature_normalize(const char *in, char *out, size_t len);
/* Look up a name or alias (normalised first). Returns the first feature
 * with that name; a name on several bits has consecutive entries, *nbits
 * (may be NULL) receives how many. NULL when unknown. */
const vcpuid_feature *vcpuid_feature_lookup(const char *name, size_t *nbits);
/* "WORD[bit]" (e.g. "VMX_EPT_VPID[14]"): a bit that has no name, as model
 * data writes it. Returns the word and sets *bit, or -1. */
int vcpuid_word_bit_parse(const char *tok, unsigned *bit);
/* The feature at (word, bit), or NULL when that bit is unnamed. */
const vcpuid_feature *vcpuid_feature_at(enum vcpuid_word w, unsigned bit);
/* Up to max closest known names (edit distance), for error messages.
 * Writes "a, b, c" to buf. */
void vcpuid_feature_suggest(const char *name, char *buf, size_t len);
/* The aliases of canonical name `name`: calls fn for each, in catalog order.
 * Returns how many there are. */
size_t vcpuid_feature_aliases_of(const char *name,
				 void (*fn)(const char *alias, void *ctx),
				 void *ctx);
/* The features of word w in bit order (a name on several bits appears
 * once per bit). Returns how many were written to out (at most max). */
size_t vcpuid_word_features(enum vcpuid_word w, const vcpuid_feature **out,
			    size_t max);
/* Mask of the bits named `name` (aliases and '_' accepted); *w (may be NULL)
 * receives their word. 0 when the name is unknown. */
uint64_t vcpuid_feature_mask(const char *name, enum vcpuid_word *w);

/* Extract the feature words present in a CPUID table / MSR list.
 * Words the table has no register for read as 0. */
void vcpuid_words_from_table(const vcpuid_table *t, const vcpuid_msr_list *m,
			     vcpuid_words out);

#ifdef __cplusplus
}
#endif
#endif
