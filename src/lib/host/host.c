/* SPDX-License-Identifier: MIT */
/* The host container: init, free, a KVM capability by name (host/load.c
 * loads a host from any input; host/query.c answers every question asked
 * of it, the public vendor and TSC rate included). */
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
