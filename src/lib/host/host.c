/* SPDX-License-Identifier: MIT */
/* The host container: init, free, a KVM capability by name, the vendor
 * (host/load.c loads a host from any input; host/query.c answers the
 * stages' questions). */
#include <string.h>
#include "internal.h"

void vcpuid_host_init(vcpuid_host *h)
{
	memset(h, 0, sizeof(*h));
}

void vcpuid_host_free(vcpuid_host *h)
{
	vcpuid_table_free(&h->raw);
	vcpuid_table_free(&h->supported);
	vcpuid_table_free(&h->emulated);
	vcpuid_msr_list_free(&h->feature_msrs);
	free(h->msr_index_list);
	free(h->refused_msrs);
	free(h->caps);
	free(h->cpuinfo_flags);
	free(h->lazy);
	vcpuid_host_init(h);
}

const vcpuid_kvm_cap *vcpuid_host_cap(const vcpuid_host *h, const char *name)
{
	for (size_t i = 0; i < h->n_caps; i++)
		if (!strcmp(h->caps[i].name, name))
			return &h->caps[i];
	return NULL;
}

void vcpuid_host_vendor(const vcpuid_host *h, char out[13])
{
	const vcpuid_table *t = h->has_kvm ? &h->supported : &h->raw;
	uint32_t r[3] = { vcpuid_table_reg(t, 0, 0, VCPUID_EBX),
			  vcpuid_table_reg(t, 0, 0, VCPUID_EDX),
			  vcpuid_table_reg(t, 0, 0, VCPUID_ECX) };
	memcpy(out, r, 12);
	out[12] = 0;
}
