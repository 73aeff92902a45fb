/* SPDX-License-Identifier: MIT */
/* Cache descriptions of the models that carry their own (QEMU's
 * CPUCaches): pure data.
 * share_level: QEMU 7.2's CPUCacheInfo has none; its encoders treat L1/L2
 * as per core and L3 as per die. Master writes exactly that (CORE, CORE,
 * CORE, DIE) on every cache, so the caches 7.2 has stay DEFAULT (= that
 * rule) and the master-only ones carry master's explicit values. */
#include "models.h"

const vcpuid_cache_set vdata_cache_epyc = {
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

const vcpuid_cache_set vdata_cache_epyc_rome = {
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

const vcpuid_cache_set vdata_cache_epyc_milan = {
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

const vcpuid_cache_set vdata_cache_epyc_v4 = {
	.l1d = { .type = VCPUID_CACHE_DATA, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true,
		.share_level = VCPUID_SHARE_CORE },
	.l1i = { .type = VCPUID_CACHE_INST, .level = 1, .size = 65536,
		.line_size = 64, .associativity = 4, .partitions = 1, .sets = 256,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true,
		.share_level = VCPUID_SHARE_CORE },
	.l2 = { .type = VCPUID_CACHE_UNIFIED, .level = 2, .size = 524288,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 1024,
		.lines_per_tag = 1, .share_level = VCPUID_SHARE_CORE },
	.l3 = { .type = VCPUID_CACHE_UNIFIED, .level = 3, .size = 8388608,
		.line_size = 64, .associativity = 16, .partitions = 1, .sets = 8192,
		.lines_per_tag = 1, .self_init = true, .inclusive = true,
		.share_level = VCPUID_SHARE_DIE },
};

const vcpuid_cache_set vdata_cache_epyc_rome_v3 = {
	.l1d = { .type = VCPUID_CACHE_DATA, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true,
		.share_level = VCPUID_SHARE_CORE },
	.l1i = { .type = VCPUID_CACHE_INST, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true,
		.share_level = VCPUID_SHARE_CORE },
	.l2 = { .type = VCPUID_CACHE_UNIFIED, .level = 2, .size = 524288,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 1024,
		.lines_per_tag = 1, .share_level = VCPUID_SHARE_CORE },
	.l3 = { .type = VCPUID_CACHE_UNIFIED, .level = 3, .size = 16777216,
		.line_size = 64, .associativity = 16, .partitions = 1, .sets = 16384,
		.lines_per_tag = 1, .self_init = true, .inclusive = true,
		.share_level = VCPUID_SHARE_DIE },
};

const vcpuid_cache_set vdata_cache_epyc_milan_v2 = {
	.l1d = { .type = VCPUID_CACHE_DATA, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true,
		.share_level = VCPUID_SHARE_CORE },
	.l1i = { .type = VCPUID_CACHE_INST, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true,
		.share_level = VCPUID_SHARE_CORE },
	.l2 = { .type = VCPUID_CACHE_UNIFIED, .level = 2, .size = 524288,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 1024,
		.lines_per_tag = 1, .share_level = VCPUID_SHARE_CORE },
	.l3 = { .type = VCPUID_CACHE_UNIFIED, .level = 3, .size = 33554432,
		.line_size = 64, .associativity = 16, .partitions = 1, .sets = 32768,
		.lines_per_tag = 1, .self_init = true, .inclusive = true,
		.share_level = VCPUID_SHARE_DIE },
};

const vcpuid_cache_set vdata_cache_epyc_genoa = {
	.l1d = { .type = VCPUID_CACHE_DATA, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true,
		.share_level = VCPUID_SHARE_CORE },
	.l1i = { .type = VCPUID_CACHE_INST, .level = 1, .size = 32768,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 64,
		.lines_per_tag = 1, .self_init = true, .no_invd_sharing = true,
		.share_level = VCPUID_SHARE_CORE },
	.l2 = { .type = VCPUID_CACHE_UNIFIED, .level = 2, .size = 1048576,
		.line_size = 64, .associativity = 8, .partitions = 1, .sets = 2048,
		.lines_per_tag = 1, .share_level = VCPUID_SHARE_CORE },
	.l3 = { .type = VCPUID_CACHE_UNIFIED, .level = 3, .size = 33554432,
		.line_size = 64, .associativity = 16, .partitions = 1, .sets = 32768,
		.lines_per_tag = 1, .self_init = true, .inclusive = true,
		.share_level = VCPUID_SHARE_DIE },
};
