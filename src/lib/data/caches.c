/* SPDX-License-Identifier: MIT */
/* Cache descriptions of the models that carry their own (QEMU's
 * CPUCaches): pure data. share_level stays DEFAULT where QEMU 7.2, whose
 * cache info has no share level, and master agree. */
#include "models.h"

const vcpuid_cache_set vcpuid_cache_epyc = {
	.l1d = { .type = VCPUID_CACHE_DATA, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true },
	.l1i = { .type = VCPUID_CACHE_INST, .level = 1, .size = 65536,
		.line_size = 64, .associativity = 4, .partitions = 1, .sets = 256,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true },
	.l2 = { .type = VCPUID_CACHE_UNIFIED, .level = 2, .size = 524288,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 1024,
		.lines_per_tag = 1 },
	.l3 = { .type = VCPUID_CACHE_UNIFIED, .level = 3, .size = 8388608,
		.line_size = 64, .associativity = 16, .partitions = 1, .sets = 8192,
		.lines_per_tag = 1, .self_init = true, .inclusive = true,
		.complex_indexing = true },
};

const vcpuid_cache_set vcpuid_cache_epyc_rome = {
	.l1d = { .type = VCPUID_CACHE_DATA, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true },
	.l1i = { .type = VCPUID_CACHE_INST, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true },
	.l2 = { .type = VCPUID_CACHE_UNIFIED, .level = 2, .size = 524288,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 1024,
		.lines_per_tag = 1 },
	.l3 = { .type = VCPUID_CACHE_UNIFIED, .level = 3, .size = 16777216,
		.line_size = 64, .associativity = 16, .partitions = 1, .sets = 16384,
		.lines_per_tag = 1, .self_init = true, .inclusive = true,
		.complex_indexing = true },
};

const vcpuid_cache_set vcpuid_cache_epyc_milan = {
	.l1d = { .type = VCPUID_CACHE_DATA, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true },
	.l1i = { .type = VCPUID_CACHE_INST, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true },
	.l2 = { .type = VCPUID_CACHE_UNIFIED, .level = 2, .size = 524288,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 1024,
		.lines_per_tag = 1 },
	.l3 = { .type = VCPUID_CACHE_UNIFIED, .level = 3, .size = 33554432,
		.line_size = 64, .associativity = 16, .partitions = 1, .sets = 32768,
		.lines_per_tag = 1, .self_init = true, .inclusive = true,
		.complex_indexing = true },
};
