/* SPDX-License-Identifier: MIT */
/* apicid: the APIC-ID layout QEMU derives from -smp. Each level (SMT, core,
 * die) gets a field ceil(log2(count)) bits wide, packages above them; vCPU
 * index i enumerates threads first, then cores, dies, packages. */
#include "synth/synth.h"

unsigned vs_bits_for_count(unsigned count)
{
	if (count <= 1)
		return 0;
	count -= 1;
	return 32u - (unsigned)__builtin_clz(count);
}

unsigned vs_core_offset(const vs_topo *t)
{
	return vs_bits_for_count(t->threads);
}

unsigned vs_die_offset(const vs_topo *t)
{
	return vs_core_offset(t) + vs_bits_for_count(t->cores);
}

unsigned vs_pkg_offset(const vs_topo *t)
{
	return vs_die_offset(t) + vs_bits_for_count(t->dies);
}

/* Shifts past 31 bits give 0 instead of undefined behaviour (absurd
 * topologies; QEMU rejects them before this point). */
static uint32_t shl(uint32_t v, unsigned s)
{
	return s >= 32 ? 0 : v << s;
}

uint32_t vs_apic_id(const vs_topo *t, unsigned i)
{
	unsigned threads = t->threads, cores = t->cores, dies = t->dies;
	unsigned pkg = i / (dies * cores * threads);
	unsigned die = i / (cores * threads) % dies;
	unsigned core = i / threads % cores;
	unsigned smt = i % threads;
	return shl(pkg, vs_pkg_offset(t)) | shl(die, vs_die_offset(t)) |
	       shl(core, vs_core_offset(t)) | smt;
}

static unsigned field(uint32_t v, unsigned off, unsigned width)
{
	if (off >= 32)
		return 0;
	return (v >> off) & (uint32_t)~(0xFFFFFFFFull << (width > 32 ? 32 : width));
}

void vs_ids_from_apic_id(const vs_topo *t, uint32_t a, vs_topo_ids *ids)
{
	ids->smt = field(a, 0, vs_bits_for_count(t->threads));
	ids->core = field(a, vs_core_offset(t), vs_bits_for_count(t->cores));
	ids->die = field(a, vs_die_offset(t), vs_bits_for_count(t->dies));
	ids->pkg = field(a, vs_pkg_offset(t), 32);
}

void vs_topo_from(const vcpuid_topology *in, vs_topo *out)
{
	out->dies = in && in->dies ? in->dies : 1;
	out->cores = in && in->cores ? in->cores : 1;
	out->threads = in && in->threads ? in->threads : 1;
}
