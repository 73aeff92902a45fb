/* SPDX-License-Identifier: MIT */
/* The caches QEMU 7.2 reports for models without their own cache table
 * (legacy-cache=on). Three sets, because QEMU's leaf 2, leaf 4 and AMD
 * leaves (0x80000005/6, 0x8000001D) disagree with each other on purpose
 * (kept for guest ABI stability). Data only; used by src/lib/synthesize.c. */
#include "synth/synth.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

/* L1 data and instruction caches of leaves 2 and 4. */
#define L1(t) { .type = t, .level = 1, .size = 32 * KIB, .line_size = 64, \
	.associativity = 8, .sets = 64, .partitions = 1, .self_init = true, \
	.no_invd_sharing = true }
/* The shared L3, the same in every set. */
#define L3 { .type = VCPUID_CACHE_UNIFIED, .level = 3, .size = 16 * MIB, \
	.line_size = 64, .associativity = 16, .sets = 16384, .partitions = 1, \
	.lines_per_tag = 1, .self_init = true, .inclusive = true, \
	.complex_indexing = true }
/* AMD L1s: 64 KiB 2-way. */
#define L1_AMD(t) { .type = t, .level = 1, .size = 64 * KIB, .line_size = 64, \
	.associativity = 2, .sets = 512, .partitions = 1, .lines_per_tag = 1, \
	.self_init = true, .no_invd_sharing = true }

const vcpuid_cache_set vs_legacy_cpuid2 = {
	.l1d = L1(VCPUID_CACHE_DATA),
	.l1i = L1(VCPUID_CACHE_INST),
	/* leaf 2 says 2 MiB 8-way although leaf 4 says 4 MiB 16-way */
	.l2 = { .type = VCPUID_CACHE_UNIFIED, .level = 2, .size = 2 * MIB,
		.line_size = 64, .associativity = 8 },
	.l3 = L3,
};

const vcpuid_cache_set vs_legacy_cpuid4 = {
	.l1d = L1(VCPUID_CACHE_DATA),
	.l1i = L1(VCPUID_CACHE_INST),
	.l2 = { .type = VCPUID_CACHE_UNIFIED, .level = 2, .size = 4 * MIB,
		.line_size = 64, .associativity = 16, .sets = 4096,
		.partitions = 1, .self_init = true, .no_invd_sharing = true },
	.l3 = L3,
};

const vcpuid_cache_set vs_legacy_amd = {
	.l1d = L1_AMD(VCPUID_CACHE_DATA),
	.l1i = L1_AMD(VCPUID_CACHE_INST),
	.l2 = { .type = VCPUID_CACHE_UNIFIED, .level = 2, .size = 512 * KIB,
		.line_size = 64, .lines_per_tag = 1, .associativity = 16,
		.sets = 512, .partitions = 1 },
	.l3 = L3,
};
