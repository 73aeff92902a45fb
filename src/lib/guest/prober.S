/* SPDX-License-Identifier: MIT */
/* The probe guest: starts in real mode at PG_CODE with ESI = its result area
 * and ESP = its stack, switches to flat 32-bit protected mode (no paging),
 * and executes CPUID for every requested (leaf, subleaf), RDMSR for every
 * requested MSR, XGETBV/XSETBV, and one instruction per claimed feature,
 * catching every exception through its own IDT. It signals completion with
 * OUT to PG_PORT_DONE. The host copies the bytes between
 * vcpuid_probe_guest and vcpuid_probe_guest_end to PG_CODE. */
#include "prober_layout.h"

#define A(x) ((x) - vcpuid_probe_guest + PG_CODE)

	.section .rodata.vcpuid_probe_guest, "a"
	.globl vcpuid_probe_guest
	.globl vcpuid_probe_guest_end
	.balign 16

	.code16
vcpuid_probe_guest:
	cli
	xorw %ax, %ax
	movw %ax, %ds
	lgdtl A(gdt_desc)
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $0x08, $A(pm32)

	.code32
pm32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	/* the IDT: gate n -> stub n (stubs are 16 bytes apart) */
	movl $PG_IDT, %edi
	movl $A(stubs), %edx
	xorl %ecx, %ecx
1:	movl %edx, %eax
	movw %ax, (%edi)
	movw $0x08, 2(%edi)
	movw $0x8e00, 4(%edi)
	shrl $16, %eax
	movw %ax, 6(%edi)
	addl $16, %edx
	addl $8, %edi
	incl %ecx
	cmpl $32, %ecx
	jb 1b
	lidtl A(idt_desc)
	movl $ST_PM32, R_STAGE(%esi)

	/* test hook: a fault with no usable IDT -> triple fault */
	testl $PG_FLAG_TRIPLE, PG_REQ + PG_REQ_FLAGS
	jz 1f
	lidtl A(null_idt_desc)
	ud2
1:
	/* SSE on: CR0.EM=0, CR0.MP=1, CR0.TS=0, CR4.OSFXSR|OSXMMEXCPT */
	movl %cr0, %eax
	andl $~0xc, %eax
	orl $0x2, %eax
	movl %eax, %cr0
	movl %cr4, %eax
	orl $0x600, %eax
	movl %eax, %cr4

	/* CPUID, with CR4 as at reset (OSXSAVE=0) */
	movl $ST_CPUID, R_STAGE(%esi)
	xorl %edi, %edi
cpuid_loop:
	cmpl PG_REQ + PG_REQ_NCPUID, %edi
	jae cpuid_done
	movl PG_REQ + PG_REQ_CPUID(,%edi,8), %eax
	movl PG_REQ + PG_REQ_CPUID + 4(,%edi,8), %ecx
	cpuid
	movl %edi, %ebp
	shll $4, %ebp
	addl %esi, %ebp
	movl %eax, R_CPUID(%ebp)
	movl %ebx, R_CPUID + 4(%ebp)
	movl %ecx, R_CPUID + 8(%ebp)
	movl %edx, R_CPUID + 12(%ebp)
	incl %edi
	jmp cpuid_loop
cpuid_done:

	/* RDMSR, each under a #GP catcher */
	movl $ST_MSR, R_STAGE(%esi)
	xorl %edi, %edi
msr_loop:
	cmpl PG_REQ + PG_REQ_NMSR, %edi
	jae msr_done
	movl %edi, %ebp
	shll $4, %ebp
	addl %esi, %ebp
	movl PG_REQ + PG_REQ_MSR(,%edi,4), %ecx
	movl $A(msr_fault), R_RECOVER(%esi)
	movl %esp, R_SAVED_ESP(%esi)
	rdmsr
	movl $0, R_RECOVER(%esi)
	movl $0, R_MSR(%ebp)
	movl %eax, R_MSR + 8(%ebp)
	movl %edx, R_MSR + 12(%ebp)
	jmp msr_next
msr_fault:
	movl R_FAULT_VEC(%esi), %eax
	orl $PG_FAULT, %eax
	movl %eax, R_MSR(%ebp)
msr_next:
	incl %edi
	jmp msr_loop
msr_done:

	/* XSAVE: CR4.OSXSAVE, XGETBV, XSETBV of what CPUID.0xD.0 offers */
	movl $ST_XSAVE, R_STAGE(%esi)
	movl $1, %eax
	xorl %ecx, %ecx
	cpuid
	btl $26, %ecx
	jnc xsave_done
	movl $A(xs_fault), R_RECOVER(%esi)
	movl %esp, R_SAVED_ESP(%esi)
	movl %cr4, %eax
	orl $(1 << 18), %eax
	movl %eax, %cr4
	xorl %ecx, %ecx
	xgetbv
	movl $0, R_RECOVER(%esi)
	movl $0, R_XSAVE_STATUS(%esi)
	movl %eax, R_XCR0_INIT(%esi)
	movl %edx, R_XCR0_INIT + 4(%esi)
	movl $1, %eax
	xorl %ecx, %ecx
	cpuid
	movl %ecx, R_LEAF1_ECX_OSX(%esi)
	movl $0xd, %eax
	xorl %ecx, %ecx
	cpuid
	movl %eax, %ebx
	andl $0x7, %eax
	orl $1, %eax
	movl %ebx, %ecx
	andl $0xe0, %ecx
	cmpl $0xe0, %ecx
	jne 1f
	testl $4, %eax
	jz 1f
	orl $0xe0, %eax
1:	testl $2, %eax		/* AVX without SSE: keep x87|SSE only */
	jnz 1f
	andl $3, %eax
1:	xorl %edx, %edx
	xorl %ecx, %ecx
	movl $A(xsetbv_fault), R_RECOVER(%esi)
	movl %esp, R_SAVED_ESP(%esi)
	xsetbv
	movl $0, R_RECOVER(%esi)
	movl $0, R_XSETBV_STATUS(%esi)
	jmp 1f
xsetbv_fault:
	movl R_FAULT_VEC(%esi), %eax
	orl $PG_FAULT, %eax
	movl %eax, R_XSETBV_STATUS(%esi)
1:	xorl %ecx, %ecx
	xgetbv
	movl %eax, R_XCR0_FINAL(%esi)
	movl %edx, R_XCR0_FINAL + 4(%esi)
	jmp xsave_done
xs_fault:
	movl R_FAULT_VEC(%esi), %eax
	orl $PG_FAULT, %eax
	movl %eax, R_XSAVE_STATUS(%esi)
xsave_done:

	/* instruction probes, in the order of data/verify_probes.c */
	movl $ST_INSN, R_STAGE(%esi)
.macro PROBE n, insn:vararg
	movl $\n, %edi
	movl $A(99f), R_RECOVER(%esi)
	movl %esp, R_SAVED_ESP(%esi)
	\insn
	movl $0, R_RECOVER(%esi)
	movl $0, R_INSN(%esi,%edi,4)
	jmp 98f
99:	movl R_FAULT_VEC(%esi), %eax
	orl $PG_FAULT, %eax
	movl %eax, R_INSN(%esi,%edi,4)
98:
.endm
	subl $16, %esp
	movl %esp, %ebx
	movl $0x12345678, (%ebx)
	PROBE 0, xtest
	PROBE 1, rdrand %eax
	PROBE 2, rdseed %eax
	PROBE 3, rdpid %eax
	PROBE 4, movbe (%ebx), %eax
	PROBE 5, popcnt %ecx, %eax
	PROBE 6, aesenc %xmm1, %xmm0
	PROBE 7, pclmulqdq $0, %xmm1, %xmm0
	PROBE 8, sha1rnds4 $0, %xmm1, %xmm0
	/* AVX needs XCR0 x87|SSE|AVX; AVX-512 also opmask|ZMM_Hi256|Hi16_ZMM */
	testl $PG_FAULT, R_XSETBV_STATUS(%esi)
	jnz insn_done
	movl R_XCR0_FINAL(%esi), %eax
	andl $0x7, %eax
	cmpl $0x7, %eax
	jne insn_done
	PROBE 9, vaddps %ymm0, %ymm0, %ymm0
	PROBE 10, vpaddd %ymm0, %ymm0, %ymm0
	movl R_XCR0_FINAL(%esi), %eax
	andl $0xe7, %eax
	cmpl $0xe7, %eax
	jne insn_done
	PROBE 11, vpaddd %zmm0, %zmm0, %zmm0
insn_done:
	addl $16, %esp

	/* test hook: never finish */
	testl $PG_FLAG_SPIN, PG_REQ + PG_REQ_FLAGS
	jz 1f
spin:	pause
	jmp spin
1:	movl $ST_DONE, R_STAGE(%esi)
	movw $PG_PORT_DONE, %dx
	outb %al, %dx
halt:	cli
	hlt
	jmp halt

	/* exceptions: stub n pushes n; a probe's catcher resumes at
	 * R_RECOVER with the probe's stack, anything else is reported */
common:
	popl %eax
	movl %eax, R_FAULT_VEC(%esi)
	movl R_RECOVER(%esi), %edx
	testl %edx, %edx
	jz unexpected
	movl $0, R_RECOVER(%esi)
	movl R_SAVED_ESP(%esi), %esp
	jmp *%edx
unexpected:
	movl (%esp), %eax
	movl %eax, R_UNEXP0(%esi)
	movl 4(%esp), %eax
	movl %eax, R_UNEXP1(%esi)
	movw $PG_PORT_FAULT, %dx
	outb %al, %dx
	jmp halt

	.balign 16
stubs:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign 16
	pushl $\n
	jmp common
	.endr

	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: code, flat, 32-bit */
	.quad 0x00cf92000000ffff	/* 0x10: data, flat */
gdt_desc:
	.word 3 * 8 - 1
	.long A(gdt)
idt_desc:
	.word 32 * 8 - 1
	.long PG_IDT
null_idt_desc:
	.word 0
	.long 0
vcpuid_probe_guest_end:
	.section .note.GNU-stack, "", @progbits
