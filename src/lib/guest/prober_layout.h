/* SPDX-License-Identifier: MIT */
/* The probe guest's memory map, shared by prober.S and guest_prober.c.
 * Only #defines: this file is included from assembly too. */
#ifndef VCPUID_PROBE_LAYOUT_H
#define VCPUID_PROBE_LAYOUT_H

#define PG_IDT 0x7000		/* 32 interrupt gates, built by the guest */
#define PG_CODE 0x8000		/* the guest blob is loaded here */
#define PG_CODE_MAX 0x4000
#define PG_REQ 0x10000		/* the request, written by the host */
#define PG_REQ_MAGIC 0x00
#define PG_REQ_NCPUID 0x04
#define PG_REQ_NMSR 0x08
#define PG_REQ_FLAGS 0x0c
#define PG_REQ_CPUID 0x10	/* (leaf, subleaf) pairs */
#define PG_REQ_MSR 0x1000	/* MSR indexes */
#define PG_RES 0x20000		/* per-vCPU results, PG_RES_STRIDE apart */
#define PG_RES_STRIDE 0x2000
#define PG_STACK 0xc0000	/* per-vCPU stacks, PG_STACK_SIZE apart */
#define PG_STACK_SIZE 0x400

/* result offsets */
#define R_STAGE 0x00
#define R_FAULT_VEC 0x04
#define R_RECOVER 0x08
#define R_SAVED_ESP 0x0c
#define R_XSAVE_STATUS 0x10
#define R_XCR0_INIT 0x14
#define R_XSETBV_STATUS 0x1c
#define R_XCR0_FINAL 0x20
#define R_LEAF1_ECX_OSX 0x28
#define R_UNEXP0 0x2c		/* the two words on the stack at an */
#define R_UNEXP1 0x30		/* unexpected exception */
#define R_INSN 0x40		/* 16 words */
#define R_MSR 0x100		/* 16 bytes each: status, 0, lo, hi */
#define R_CPUID 0x500		/* 16 bytes each: eax ebx ecx edx */

#define PG_PORT_DONE 0x510
#define PG_PORT_FAULT 0x511

#define PG_FLAG_SPIN 0x1
#define PG_FLAG_TRIPLE 0x2
#define PG_FAULT 0x100

/* stages the guest reports in R_STAGE */
#define ST_PM32 1
#define ST_CPUID 2
#define ST_MSR 3
#define ST_XSAVE 4
#define ST_INSN 5
#define ST_DONE 6
#endif
