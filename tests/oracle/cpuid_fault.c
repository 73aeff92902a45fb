/* SPDX-License-Identifier: MIT */
/* cpuid_fault: the CPUID instruction answered from the host spec.
 *
 * arch_prctl(ARCH_SET_CPUID, 0) makes CPUID trap (SIGSEGV). The handler
 * answers from the spec's raw table when the instruction lies in the main
 * executable (QEMU's host_cpuid()), and runs the real instruction, faulting
 * briefly off, for libraries. Anything else crashes as without us. */
#include <errno.h>
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <asm/prctl.h>
#include "cpuid_fault.h"

#define MAX_SEG 8

static const struct oracle_spec *spec;
static uintptr_t seg_lo[MAX_SEG], seg_hi[MAX_SEG];
static int nseg;

/* Leaves whose subleaf (ECX) selects the answer. */
static int indexed(uint32_t f)
{
	switch (f) {
	case 4: case 7: case 0xb: case 0xd: case 0xf: case 0x10: case 0x12:
	case 0x14: case 0x17: case 0x18: case 0x1a: case 0x1b: case 0x1d:
	case 0x1e: case 0x1f: case 0x20: case 0x23: case 0x24:
	case 0x8000001d: case 0x80000020: case 0x80000026:
		return 1;
	}
	return 0;
}

/* Exact (function, index); for other leaves the function's entry; else 0. */
static void answer(uint32_t f, uint32_t idx, uint32_t r[4])
{
	const struct kvm_cpuid_entry2 *hit = NULL;
	for (unsigned i = 0; i < spec->nraw && !hit; i++)
		if (spec->raw[i].function == f && spec->raw[i].index == idx)
			hit = &spec->raw[i];
	for (unsigned i = 0; i < spec->nraw && !hit && !indexed(f); i++)
		if (spec->raw[i].function == f)
			hit = &spec->raw[i];
	if (hit) {
		r[0] = hit->eax;
		r[1] = hit->ebx;
		r[2] = hit->ecx;
		r[3] = hit->edx;
	} else {
		r[0] = r[1] = r[2] = r[3] = 0;
	}
}

static int in_exe(uintptr_t ip)
{
	for (int i = 0; i < nseg; i++)
		if (ip >= seg_lo[i] && ip < seg_hi[i])
			return 1;
	return 0;
}

static void on_segv(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	greg_t *g = uc->uc_mcontext.gregs;
	const unsigned char *ip = (const unsigned char *)g[REG_RIP];
	int saved = errno;
	(void)si;
	if (si->si_code == SI_KERNEL && ip && ip[0] == 0x0f && ip[1] == 0xa2) {
		uint32_t r[4];
		uint32_t f = (uint32_t)g[REG_RAX], idx = (uint32_t)g[REG_RCX];
		if (in_exe((uintptr_t)ip)) {
			answer(f, idx, r);
		} else {
			syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
			__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]),
					 "=c"(r[2]), "=d"(r[3]) : "a"(f), "c"(idx));
			syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
		}
		g[REG_RAX] = r[0];
		g[REG_RBX] = r[1];
		g[REG_RCX] = r[2];
		g[REG_RDX] = r[3];
		g[REG_RIP] += 2;
		errno = saved;
		return;
	}
	/* not a CPUID: the fault happens again, without us */
	signal(sig, SIG_DFL);
	errno = saved;
}

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	for (int i = 0; i < info->dlpi_phnum && nseg < MAX_SEG; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		if (p->p_type == PT_LOAD && (p->p_flags & PF_X)) {
			seg_lo[nseg] = info->dlpi_addr + p->p_vaddr;
			seg_hi[nseg++] = info->dlpi_addr + p->p_vaddr + p->p_memsz;
		}
	}
	return 1;	/* the first object is the executable */
}

int oracle_cpuid_fault_start(const struct oracle_spec *s, char *err,
			     size_t errlen)
{
	struct sigaction sa;
	spec = s;
	dl_iterate_phdr(phdr_cb, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL)) {
		snprintf(err, errlen, "sigaction: %s", strerror(errno));
		return -1;
	}
	if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0)) {
		snprintf(err, errlen, "CPUID faulting (arch_prctl ARCH_SET_CPUID)"
			 " unavailable: %s; run with --real-cpuid-insn",
			 strerror(errno));
		return -1;
	}
	return nseg;
}
