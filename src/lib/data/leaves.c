/* SPDX-License-Identifier: MIT */
/* Data only: facts about CPUID leaves (see leaves.h). Sources: the Intel SDM
 * (CPUID instruction, leaf 2 descriptor table, XSAVE components), the AMD
 * APM, and libcpuid's raw dump keys. */
#include <stddef.h>
#include "leaves.h"
#include "vcpuid/decode.h"

/* One list for the probe and the importers: subleaves.def. */
static const uint32_t indexed_leaves[] = {
#define SUBLEAF(leaf, ...) leaf,
#include "subleaves.def"
#undef SUBLEAF
};

bool vcpuid_leaf_indexed(uint32_t leaf)
{
	for (size_t i = 0; i < sizeof(indexed_leaves) / sizeof(indexed_leaves[0]); i++)
		if (indexed_leaves[i] == leaf)
			return true;
	return false;
}

static const vcpuid_libcpuid_key libcpuid_keys[] = {
	{ "basic_cpuid", 0x0, false },
	{ "ext_cpuid", 0x80000000, false },
	{ "intel_fn4", 0x4, true },
	{ "intel_fn11", 0xB, true },
	{ "intel_fn12h", 0x12, true },
	{ "intel_fn14h", 0x14, true },
	{ "amd_fn8000001dh", 0x8000001D, true },
	{ "amd_fn80000026h", 0x80000026, true },
};

const vcpuid_libcpuid_key *vcpuid_libcpuid_keys(unsigned *count)
{
	*count = sizeof(libcpuid_keys) / sizeof(libcpuid_keys[0]);
	return libcpuid_keys;
}

/* byte, level, type, size KB, ways, line */
static const vcpuid_leaf2_desc leaf2[] = {
	{ 0x06, 1, 'i', 8, 4, 32 },	{ 0x08, 1, 'i', 16, 4, 32 },
	{ 0x09, 1, 'i', 32, 4, 64 },	{ 0x0A, 1, 'd', 8, 2, 32 },
	{ 0x0C, 1, 'd', 16, 4, 32 },	{ 0x0D, 1, 'd', 16, 4, 64 },
	{ 0x0E, 1, 'd', 24, 6, 64 },	{ 0x1D, 2, 'u', 128, 2, 64 },
	{ 0x21, 2, 'u', 256, 8, 64 },	{ 0x22, 3, 'u', 512, 4, 64 },
	{ 0x23, 3, 'u', 1024, 8, 64 },	{ 0x24, 2, 'u', 1024, 16, 64 },
	{ 0x25, 3, 'u', 2048, 8, 64 },	{ 0x29, 3, 'u', 4096, 8, 64 },
	{ 0x2C, 1, 'd', 32, 8, 64 },	{ 0x30, 1, 'i', 32, 8, 64 },
	{ 0x39, 2, 'u', 128, 4, 64 },	{ 0x3A, 2, 'u', 192, 6, 64 },
	{ 0x3B, 2, 'u', 128, 2, 64 },	{ 0x3C, 2, 'u', 256, 4, 64 },
	{ 0x3D, 2, 'u', 384, 6, 64 },	{ 0x3E, 2, 'u', 512, 4, 64 },
	{ 0x41, 2, 'u', 128, 4, 32 },	{ 0x42, 2, 'u', 256, 4, 32 },
	{ 0x43, 2, 'u', 512, 4, 32 },	{ 0x44, 2, 'u', 1024, 4, 32 },
	{ 0x45, 2, 'u', 2048, 4, 32 },	{ 0x46, 3, 'u', 4096, 4, 64 },
	{ 0x47, 3, 'u', 8192, 8, 64 },	{ 0x48, 2, 'u', 3072, 12, 64 },
	{ 0x49, 2, 'u', 4096, 16, 64 },	{ 0x4A, 3, 'u', 6144, 12, 64 },
	{ 0x4B, 3, 'u', 8192, 16, 64 },	{ 0x4C, 3, 'u', 12288, 12, 64 },
	{ 0x4D, 3, 'u', 16384, 16, 64 }, { 0x4E, 2, 'u', 6144, 24, 64 },
	{ 0x60, 1, 'd', 16, 8, 64 },	{ 0x66, 1, 'd', 8, 4, 64 },
	{ 0x67, 1, 'd', 16, 4, 64 },	{ 0x68, 1, 'd', 32, 4, 64 },
	/* NetBurst trace caches: size in K micro-ops, no line size */
	{ 0x70, 1, 't', 12, 8, 0 },	{ 0x71, 1, 't', 16, 8, 0 },
	{ 0x72, 1, 't', 32, 8, 0 },
	{ 0x78, 2, 'u', 1024, 4, 64 },	{ 0x79, 2, 'u', 128, 8, 64 },
	{ 0x7A, 2, 'u', 256, 8, 64 },	{ 0x7B, 2, 'u', 512, 8, 64 },
	{ 0x7C, 2, 'u', 1024, 8, 64 },	{ 0x7D, 2, 'u', 2048, 8, 64 },
	{ 0x7F, 2, 'u', 512, 2, 64 },	{ 0x80, 2, 'u', 512, 8, 64 },
	{ 0x82, 2, 'u', 256, 8, 32 },	{ 0x83, 2, 'u', 512, 8, 32 },
	{ 0x84, 2, 'u', 1024, 8, 32 },	{ 0x85, 2, 'u', 2048, 8, 32 },
	{ 0x86, 2, 'u', 512, 4, 64 },	{ 0x87, 2, 'u', 1024, 8, 64 },
	{ 0xD0, 3, 'u', 512, 4, 64 },	{ 0xD1, 3, 'u', 1024, 4, 64 },
	{ 0xD2, 3, 'u', 2048, 4, 64 },	{ 0xD6, 3, 'u', 1024, 8, 64 },
	{ 0xD7, 3, 'u', 2048, 8, 64 },	{ 0xD8, 3, 'u', 4096, 8, 64 },
	{ 0xDC, 3, 'u', 1536, 12, 64 },	{ 0xDD, 3, 'u', 3072, 12, 64 },
	{ 0xDE, 3, 'u', 6144, 12, 64 },	{ 0xE2, 3, 'u', 2048, 16, 64 },
	{ 0xE3, 3, 'u', 4096, 16, 64 },	{ 0xE4, 3, 'u', 8192, 16, 64 },
	{ 0xEA, 3, 'u', 12288, 24, 64 }, { 0xEB, 3, 'u', 18432, 24, 64 },
	{ 0xEC, 3, 'u', 24576, 24, 64 },
};

const vcpuid_leaf2_desc *vcpuid_leaf2_find(uint8_t byte)
{
	for (size_t i = 0; i < sizeof(leaf2) / sizeof(leaf2[0]); i++)
		if (leaf2[i].byte == byte)
			return &leaf2[i];
	return NULL;
}

static const char *const xsave_names[] = {
	"x87", "sse", "avx", "bndregs", "bndcsr", "opmask", "zmm-hi256",
	"hi16-zmm", "pt", "pkru", "pasid", "cet-u", "cet-s", "hdc", "uintr",
	"lbr", "hwp", "xtilecfg", "xtiledata", "apx",
};

const char *vcpuid_xsave_name(unsigned bit)
{
	return bit < sizeof(xsave_names) / sizeof(xsave_names[0]) ? xsave_names[bit] : "";
}

static const char *const topo_names[] = {
	"invalid", "SMT", "core", "module", "tile", "die",
};

const char *vcpuid_topo_level_name(unsigned type)
{
	return type < sizeof(topo_names) / sizeof(topo_names[0]) ? topo_names[type] : "unknown";
}

/* AMD 0x80000006 associativity codes (0xFF = fully associative). */
static const uint8_t amd_assoc[16] = {
	0, 1, 2, 3, 4, 6, 8, 0, 16, 0, 32, 48, 64, 96, 128, 0xFF,
};

unsigned vcpuid_amd_assoc(unsigned code)
{
	return code < 16 ? amd_assoc[code] : 0;
}
