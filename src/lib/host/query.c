/* SPDX-License-Identifier: MIT */
/* query: the one door to a host's facts. Every question the CPU and
 * synthesis wings ask of a host (vendor, family/model/stepping, phys-bits,
 * KVM capabilities, the MSR index list, feature MSR values) is answered
 * here, the way QEMU asks it, and gathered into a host view (hq_view) once
 * per expansion and guest: the wings read the view, and reach the tables
 * they read by leaf through the hq_view_ functions. The host container
 * (host.c) and the lazy live host (probe.c) supply the facts; the public
 * vcpuid_host_vendor and vcpuid_host_tsc_khz are answered here too. */
#include <string.h>
#include "host/query.h"

void hq_vendor(const vcpuid_host *h, char out[13])
{
	uint32_t r[3] = { vp_host_insn(h, 0, 0, VCPUID_EBX),
			  vp_host_insn(h, 0, 0, VCPUID_EDX),
			  vp_host_insn(h, 0, 0, VCPUID_ECX) };
	memcpy(out, r, 12);
	out[12] = 0;
}

/* The public answer (vcpuid.h): KVM's table first, the one a guest's
 * leaf 0 comes from; a host without KVM, the instruction's. */
void vcpuid_host_vendor(const vcpuid_host *h, char out[13])
{
	const vcpuid_table *t = h->has_kvm ? &h->supported : &h->raw;
	uint32_t r[3] = { vcpuid_table_reg(t, 0, 0, VCPUID_EBX),
			  vcpuid_table_reg(t, 0, 0, VCPUID_EDX),
			  vcpuid_table_reg(t, 0, 0, VCPUID_ECX) };
	memcpy(out, r, 12);
	out[12] = 0;
}

/* The public TSC rate: KVM_GET_TSC_KHZ of a new vCPU, 0 when unknown or
 * when a lazy live host's scratch vCPU fails. */
uint32_t vcpuid_host_tsc_khz(const vcpuid_host *h)
{
	uint32_t khz;
	return vp_host_tsc_khz(h, &khz, NULL) ? 0 : khz;
}

void hq_fms(const vcpuid_host *h, unsigned *family, unsigned *model,
	    unsigned *stepping)
{
	uint32_t a = vp_host_insn(h, 1, 0, VCPUID_EAX);
	*family = ((a >> 8) & 0xf) + ((a >> 20) & 0xff);
	*model = ((a >> 4) & 0xf) | ((a & 0xf0000) >> 12);
	*stepping = a & 0xf;
}

unsigned hq_phys_bits(const vcpuid_host *h)
{
	if (vp_host_insn(h, 0x80000000, 0, VCPUID_EAX) >= 0x80000008)
		return vp_host_insn(h, 0x80000008, 0, VCPUID_EAX) & 0xff;
	return 36;
}

bool hq_kvm_cap_of(const vcpuid_host *h, const char *name, uint32_t id,
		   bool dflt)
{
	if (!h->n_caps)
		return dflt; /* profile without capabilities: a modern kernel */
	for (size_t i = 0; i < h->n_caps; i++) {
		const vcpuid_kvm_cap *c = &h->caps[i];
		if (c->id == id || !strcmp(c->name, name) ||
		    (!strncmp(c->name, "KVM_CAP_", 8) && !strcmp(c->name + 8, name)))
			return c->value > 0;
	}
	return false;
}

bool hq_has_msr_index(const vcpuid_host *h, uint32_t msr)
{
	uint64_t v;
	if (!h->n_msr_index_list)
		return vcpuid_msr_list_get(&h->feature_msrs, msr, &v);
	for (size_t i = 0; i < h->n_msr_index_list; i++)
		if (h->msr_index_list[i] == msr)
			return true;
	return false;
}

const vcpuid_table *hq_raw(const vcpuid_host *h, uint32_t leaf)
{
	return vp_host_raw(h, leaf);
}

const vcpuid_table *hq_raw_all(const vcpuid_host *h)
{
	return vp_host_raw_all(h);
}

const char *hq_cpuinfo_flags(const vcpuid_host *h)
{
	return vp_host_cpuinfo_flags(h);
}

void hq_kvm_cpuid(const vcpuid_host *h, uint32_t leaf, uint32_t sub,
		  uint32_t r[4])
{
	memset(r, 0, 4 * sizeof(uint32_t));
	if (!h || !h->has_kvm)
		return;
	const vcpuid_cpuid_entry *e = vcpuid_table_lookup(&h->supported, leaf, sub);
	if (e)
		memcpy(r, e->reg, 4 * sizeof(uint32_t));
}

/* ---- the host view ---- */
/* Linux's clear_cpu_cap(X86_FEATURE_RTM/HLE) on the Haswells whose TSX is
 * broken (QEMU's host_tsx_broken). */
static bool tsx_broken(const hq_view *v)
{
	return v->intel && v->family == 6 &&
	       ((v->model == 63 && v->stepping < 4) || v->model == 60 ||
		v->model == 69 || v->model == 70);
}

/* What KVM says: capabilities, MSRs, XSAVE components (no VM exit). */
static void kvm_facts(hq_view *v, const vcpuid_host *h)
{
	v->kvm = h->has_kvm;
	v->cap_tsc_deadline = hq_kvm_cap(h, TSC_DEADLINE_TIMER, true);
	v->cap_sys_attributes = hq_kvm_cap(h, SYS_ATTRIBUTES, true);
	v->cap_tsc_control = hq_kvm_cap(h, TSC_CONTROL, true);
	v->cap_enforce_pv_cpuid = hq_kvm_cap(h, ENFORCE_PV_FEATURE_CPUID, true);
	v->cap_get_msr_features = hq_kvm_cap(h, GET_MSR_FEATURES, true);
	v->idx_arch_cap = hq_has_msr_index(h, 0x10A);
	v->idx_procbased2 = hq_has_msr_index(h, 0x48B);
	v->idx_core_cap = hq_has_msr_index(h, 0xCF);
	v->idx_perf_cap = hq_has_msr_index(h, 0x345);
	v->idx_ucode_rev = hq_has_msr_index(h, 0x8B);
	v->idx_vmfunc = hq_has_msr_index(h, 0x491);
	v->n_feature_msrs = h->feature_msrs.n;
	v->has_ucode_rev = vcpuid_msr_list_get(&h->feature_msrs, 0x8B,
					       &v->ucode_rev);
	if (!v->has_ucode_rev)
		v->ucode_rev = 0;
	v->has_xcomp_guest_supp = h->has_xcomp_guest_supp;
	v->xcomp_guest_supp = h->xcomp_guest_supp;
	uint32_t x0[4], x1[4];
	hq_kvm_cpuid(h, 0xD, 0, x0);
	hq_kvm_cpuid(h, 0xD, 1, x1);
	v->kvm_xcr0 = x0[VCPUID_EAX] | (uint64_t)x0[VCPUID_EDX] << 32;
	v->kvm_xss = x1[VCPUID_ECX] | (uint64_t)x1[VCPUID_EDX] << 32;
}

/* What the CPUID instruction says: leaves 0 and 1, read by every probe,
 * lazy or not. */
static void cpu_facts(hq_view *v, const vcpuid_host *h)
{
	v->raw = h->has_raw;
	hq_vendor(h, v->vendor);
	v->intel = !strcmp(v->vendor, "GenuineIntel");
	v->amd = !strcmp(v->vendor, "AuthenticAMD");
	hq_fms(h, &v->family, &v->model, &v->stepping);
	v->tsx_broken = tsx_broken(v);
}

int hq_view_init(hq_view *v, const vcpuid_host *h, unsigned ask,
		 vcpuid_error *err)
{
	memset(v, 0, sizeof(*v));
	v->host = h;
	if (!h)
		return 0;
	v->present = true;
	kvm_facts(v, h);
	cpu_facts(v, h);
	return hq_view_ask(v, ask, err);
}

int hq_view_ask(hq_view *v, unsigned ask, vcpuid_error *err)
{
	(void)err;
	const vcpuid_host *h = v->host;
	ask &= ~v->asked;
	if (!h)
		return 0;
	v->asked |= ask;
	if (ask & HQ_ASK_BRAND)
		for (uint32_t i = 0; i < 3; i++)
			for (int r = 0; r < 4; r++) {
				uint32_t x = vp_host_insn(h, 0x80000002 + i, 0,
							  (enum vcpuid_reg)r);
				memcpy(v->brand + i * 16 + r * 4, &x, 4);
			}
	if (ask & HQ_ASK_XSAVE)
		for (uint32_t n = 2; n < 64; n++)
			v->xsave_eax[n] = vp_host_insn(h, 0xD, n, VCPUID_EAX);
	return 0;
}

uint32_t hq_view_supported(const hq_view *v, uint32_t leaf, uint32_t sub,
			   enum vcpuid_reg reg)
{
	return v->host ? vcpuid_table_reg(&v->host->supported, leaf, sub, reg)
		       : 0;
}

void hq_view_kvm_cpuid(const hq_view *v, uint32_t leaf, uint32_t sub,
		       uint32_t r[4])
{
	hq_kvm_cpuid(v->host, leaf, sub, r);
}

uint32_t hq_view_insn(const hq_view *v, uint32_t leaf, uint32_t sub,
		      enum vcpuid_reg reg)
{
	return v->host ? vp_host_insn(v->host, leaf, sub, reg) : 0;
}

void hq_view_raw(const hq_view *v, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	memset(r, 0, 4 * sizeof(uint32_t));
	if (!v->host || !v->host->has_raw)
		return;
	const vcpuid_cpuid_entry *e =
		vcpuid_table_lookup(vp_host_raw(v->host, leaf), leaf, sub);
	if (e)
		memcpy(r, e->reg, 4 * sizeof(uint32_t));
}

bool hq_view_feature_msr(const hq_view *v, uint32_t msr, uint64_t *value)
{
	return v->host && vcpuid_msr_list_get(&v->host->feature_msrs, msr, value);
}

unsigned hq_view_phys_bits(const hq_view *v)
{
	return v->host ? hq_phys_bits(v->host) : 0;
}

int hq_view_tsc_khz(const hq_view *v, uint32_t *khz, vcpuid_error *err)
{
	*khz = 0;
	return v->host ? vp_host_tsc_khz(v->host, khz, err) : 0;
}
