/* SPDX-License-Identifier: MIT */
/* Facts about CPUID leaves used by the importers and the decoder
 * (the data is in data/leaves.c). */
#ifndef VCPUID_DATA_LEAVES_H
#define VCPUID_DATA_LEAVES_H

#include <stdbool.h>
#include <stdint.h>

/* Leaves whose output depends on ECX (KVM's SIGNIFICANT_INDEX). */
bool vcpuid_leaf_indexed(uint32_t leaf);

/* libcpuid raw dump arrays: "key[N]=eax ebx ecx edx". */
typedef struct vcpuid_libcpuid_key {
	const char *key;
	uint32_t leaf;	   /* CPUID leaf of element 0 */
	bool subleaves;	   /* true: N is the subleaf of leaf; false: N is added to leaf */
} vcpuid_libcpuid_key;
const vcpuid_libcpuid_key *vcpuid_libcpuid_keys(unsigned *count);

/* Leaf 2 cache/TLB descriptor bytes. */
typedef struct vcpuid_leaf2_desc {
	uint8_t byte;
	uint8_t level;	   /* 1, 2, 3 */
	char type;	   /* 'd' data, 'i' instruction, 'u' unified,
			      't' trace (size in K micro-ops) */
	uint16_t size_kb;
	uint8_t ways;	   /* 0xff = fully associative */
	uint8_t line;
} vcpuid_leaf2_desc;
const vcpuid_leaf2_desc *vcpuid_leaf2_find(uint8_t byte);

/* Ways for an AMD 0x80000006 associativity code (0xFF = fully). */
unsigned vcpuid_amd_assoc(unsigned code);

/* vcpuid_xsave_name() and vcpuid_topo_level_name() are public (decode.h). */

#endif
