/* SPDX-License-Identifier: MIT */
/* query: the one door to a host's facts. Every question the CPU and
 * synthesis wings ask of a host (vendor, family/model/stepping, phys-bits,
 * KVM capabilities, the MSR index list, feature MSR values) is answered
 * here, once, the way QEMU asks it; the host container (host.c) and the
 * lazy live host (probe.c) supply the facts. */
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

bool hq_vendor_is(const vcpuid_host *h, const char *vendor)
{
	char v[13];
	hq_vendor(h, v);
	return !strcmp(v, vendor);
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

uint64_t hq_feature_msr(const vcpuid_host *h, uint32_t msr)
{
	uint64_t v = 0;
	return vcpuid_msr_list_get(&h->feature_msrs, msr, &v) ? v : 0;
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
