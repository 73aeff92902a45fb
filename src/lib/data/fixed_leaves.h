/* SPDX-License-Identifier: MIT */
/* Values QEMU writes into leaves it fills itself instead of passing the
 * host's through: Intel PT (0x14) and AMX (0x1D, 0x1E). For PT the same
 * values are also the least a host must offer (filter.c drops intel-pt
 * otherwise) and what the guest is told (synth/feature_leaves.c). */
#ifndef VCPUID_FIXED_LEAVES_H
#define VCPUID_FIXED_LEAVES_H

/* ---- Intel PT, leaf 0x14 ---- */
#define PT_MAX_SUBLEAF 1u
/* subleaf 0 EBX: CR3 filtering, PSB/CYC, IP filtering, MTC */
#define PT_0_EBX 0xfu
/* subleaf 0 ECX: ToPA, multi-entry ToPA, single-range output */
#define PT_0_ECX 0x7u
/* subleaf 1 EAX: the MTC period bitmap and two address ranges */
#define PT_1_EAX_MTC_BITMAP (0x0249u << 16)
#define PT_1_EAX_ADDR_RANGES 0x2u
#define PT_1_EAX_ADDR_RANGES_MASK 0x3u
#define PT_1_EAX (PT_1_EAX_MTC_BITMAP | PT_1_EAX_ADDR_RANGES)
/* subleaf 1 EBX: the PSB frequency and cycle threshold bitmaps */
#define PT_1_EBX ((0x003fu << 16) | 0x1fffu)

/* ---- AMX, leaves 0x1D (palettes) and 0x1E (TMUL) ---- */
#define AMX_MAX_PALETTE 1u
/* palette 1: 8 KiB of tiles, 1 KiB each, 64 bytes a row, 8 tiles, 16 rows */
#define AMX_1_EAX (0x2000u | (0x400u << 16))
#define AMX_1_EBX (0x40u | (0x8u << 16))
#define AMX_1_ECX 0x10u
/* TMUL: 16 rows (tmul_maxk), 64 bytes a column (tmul_maxn) */
#define AMX_TMUL_EBX (0x10u | (0x40u << 8))

#endif
