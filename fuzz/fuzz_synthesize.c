/* SPDX-License-Identifier: MIT */
/* The synthesize stage on arbitrary expanded CPUs and hosts: the first
 * bytes become a vcpuid_cpu (levels, vendor, features, properties, caches,
 * topology, vCPU index), the rest is parsed as a host in any format. It must
 * never crash, hang or exceed VCPUID_MAX_CPUID_ENTRIES. */
#include <stdlib.h>
#include <string.h>
#include "vcpuid.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

typedef struct rd {
	const unsigned char *p;
	size_t n;
} rd;

static void take(rd *r, void *out, size_t len)
{
	memset(out, 0, len);
	size_t k = len < r->n ? len : r->n;
	memcpy(out, r->p, k);
	r->p += k;
	r->n -= k;
}

static uint32_t u32(rd *r)
{
	uint32_t v;
	take(r, &v, sizeof(v));
	return v;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	rd r = { data, size };
	vcpuid_cpu cpu;
	static vcpuid_cache_set cache;
	memset(&cpu, 0, sizeof(cpu));
	take(&r, cpu.vendor, 12);
	cpu.family = u32(&r);
	cpu.model_num = u32(&r);
	cpu.stepping = u32(&r);
	cpu.level = u32(&r);
	cpu.xlevel = u32(&r);
	cpu.xlevel2 = u32(&r);
	take(&r, cpu.model_id, 48);
	take(&r, cpu.features, sizeof(cpu.features));
	take(&r, cpu.supported, sizeof(cpu.supported));
	take(&r, cpu.requested, sizeof(cpu.requested));
	uint32_t flags = u32(&r);
	cpu.kvm = flags & 1;
	cpu.pmu = flags & 2;
	cpu.l3_cache = flags & 4;
	cpu.host_cache_info = flags & 8;
	cpu.vendor_cpuid_only = flags & 16;
	cpu.full_cpuid_auto_level = flags & 32;
	cpu.cpuid_0xb_off = flags & 64;
	cpu.phys_bits = u32(&r) & 0xff;
	cpu.ucode_rev = u32(&r);
	cpu.tsc_khz = u32(&r) & 0xffff;
	if (flags & 128) {
		take(&r, &cache, sizeof(cache));
		cpu.cache = &cache;
	}
	uint16_t topo[4];
	take(&r, topo, sizeof(topo));
	cpu.topo.dies = topo[0];
	cpu.topo.cores = topo[1];
	cpu.topo.threads = topo[2];
	unsigned index = topo[3];

	char *buf = malloc(r.n + 1);
	if (!buf)
		return 0;
	memcpy(buf, r.p, r.n);
	buf[r.n] = 0;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	vcpuid_host_init(&h);
	if (r.n && vcpuid_host_parse(buf, r.n, "fuzz", &h, &err) != 0) {
		vcpuid_host_free(&h);
		vcpuid_host_init(&h);
	}
	vcpuid_vcpu v;
	if (vcpuid_synthesize(&cpu, &h, index, &v, &err) == 0) {
		if (v.cpuid.n > VCPUID_MAX_CPUID_ENTRIES)
			abort();
		free(vcpuid_vcpu_to_kvm_cpuid(&v));
		free(vcpuid_vcpu_to_kvm_msrs(&v));
		vcpuid_vcpu_free(&v);
	}
	vcpuid_host_free(&h);
	free(buf);
	return 0;
}
