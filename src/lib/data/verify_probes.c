/* SPDX-License-Identifier: MIT */
/* Data for the probe guest: the instruction probes (in the order
 * guest/prober.S runs them) with the CPUID bits claiming each, and the
 * MSRs the guest reads with the CPUID bit KVM gates guest access on. */
#include "vcpuid/apply.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const vcpuid_insn_probe insn_probes[] = {
	/* name        feature        leaf subleaf reg   mask  xcr0 */
	{ "xtest",     "rtm|hle",     0x7, 0, VCPUID_EBX, (1u << 11) | (1u << 4), 0 },
	{ "rdrand",    "rdrand",      0x1, 0, VCPUID_ECX, 1u << 30, 0 },
	{ "rdseed",    "rdseed",      0x7, 0, VCPUID_EBX, 1u << 18, 0 },
	{ "rdpid",     "rdpid",       0x7, 0, VCPUID_ECX, 1u << 22, 0 },
	{ "movbe",     "movbe",       0x1, 0, VCPUID_ECX, 1u << 22, 0 },
	{ "popcnt",    "popcnt",      0x1, 0, VCPUID_ECX, 1u << 23, 0 },
	{ "aesenc",    "aes",         0x1, 0, VCPUID_ECX, 1u << 25, 0 },
	{ "pclmulqdq", "pclmulqdq",   0x1, 0, VCPUID_ECX, 1u << 1, 0 },
	{ "sha1rnds4", "sha-ni",      0x7, 0, VCPUID_EBX, 1u << 29, 0 },
	{ "vaddps-ymm", "avx",        0x1, 0, VCPUID_ECX, 1u << 28, 0x7 },
	{ "vpaddd-ymm", "avx2",       0x7, 0, VCPUID_EBX, 1u << 5, 0x7 },
	{ "vpaddd-zmm", "avx512f",    0x7, 0, VCPUID_EBX, 1u << 16, 0xe7 },
};

static const vcpuid_msr_probe msr_probes[] = {
	/* index  name                   gating CPUID bit (leaf 0: none) */
	{ 0x10a, "IA32_ARCH_CAPABILITIES", 0x7, 0, VCPUID_EDX, 29 },
	{ 0x345, "IA32_PERF_CAPABILITIES", 0x1, 0, VCPUID_ECX, 15 },
	{ 0xcf,  "IA32_CORE_CAPABILITIES", 0x7, 0, VCPUID_EDX, 30 },
	{ 0x8b,  "IA32_BIOS_SIGN_ID",      0x0, 0, VCPUID_EAX, 0 },
	{ 0xce,  "MSR_PLATFORM_INFO",      0x0, 0, VCPUID_EAX, 0 },
	{ 0x48,  "IA32_SPEC_CTRL",         0x7, 0, VCPUID_EDX, 26 },
	{ 0x122, "IA32_TSX_CTRL",          0x0, 0, VCPUID_EAX, 0 },
	{ 0xda0, "IA32_XSS",               0xd, 1, VCPUID_EAX, 3 },
	{ 0xc0000103, "IA32_TSC_AUX",      0x80000001, 0, VCPUID_EDX, 27 },
};

static const vcpuid_runtime_fixup fixups[] = {
	{ 0x1, 0, VCPUID_ECX, 1u << 27, "OSXSAVE follows CR4.OSXSAVE" },
	{ 0x1, 0, VCPUID_EDX, 1u << 9, "APIC follows the APIC base MSR" },
	{ 0x1, 0, VCPUID_EBX, 0xff000000u, "initial APIC id of the vCPU" },
	{ 0x7, 0, VCPUID_ECX, 1u << 4, "OSPKE follows CR4.PKE" },
	{ 0xd, 0, VCPUID_EBX, 0xffffffffu, "XSAVE area size follows XCR0" },
	{ 0xd, 1, VCPUID_EBX, 0xffffffffu, "XSAVE area size follows XCR0|XSS" },
};

const vcpuid_runtime_fixup *vcpuid_runtime_fixups(size_t *count)
{
	*count = ARRAY_SIZE(fixups);
	return fixups;
}

uint32_t vcpuid_runtime_mask(uint32_t leaf, uint32_t subleaf, enum vcpuid_reg reg)
{
	uint32_t m = 0;
	for (size_t i = 0; i < ARRAY_SIZE(fixups); i++)
		if (fixups[i].leaf == leaf && fixups[i].subleaf == subleaf &&
		    fixups[i].reg == reg)
			m |= fixups[i].mask;
	return m;
}

const vcpuid_insn_probe *vcpuid_insn_probes(size_t *count)
{
	*count = ARRAY_SIZE(insn_probes);
	return insn_probes;
}

const vcpuid_msr_probe *vcpuid_msr_probes(size_t *count)
{
	*count = ARRAY_SIZE(msr_probes);
	return msr_probes;
}
