/* SPDX-License-Identifier: MIT */
/* props: the CPU object's properties, as QEMU's property setters change an
 * X86CPU: feature names, the plain numbers and booleans, avx10-version,
 * the compat knobs. One setter for model data, kvm defaults, machine compat
 * and the user's -cpu options (expand.c calls it in QEMU's order). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpu/expand.h"

static const struct { const char *prop; bool dflt; } knobs[] = {
#define COMPAT_KNOB(p, d) { p, d },
#include "data/expand.def"
};
_Static_assert(sizeof(knobs) / sizeof(knobs[0]) == VE_NKNOBS,
	       "expand.h counts the knobs of data/expand.def");
_Static_assert(VE_NKNOBS <= 32, "vcpuid_cpu.compat_knobs has 32 bits");
static const struct { uint8_t version, max_subleaf; enum vcpuid_word w;
		      uint64_t mask; uint16_t since; } avx10_rows[] = {
#define AVX10_VERSION(v, m, w, k, s) { v, m, VCPUID_W_##w, k, s },
#include "data/avx10.def"
};

static int set_feature(struct ve_ctx *c, const vcpuid_feature *f, size_t nb,
		       bool on, bool user)
{
	for (size_t i = 0; i < nb; i++) {
		uint64_t b = 1ull << f[i].bit;
		if (on)
			c->cpu->features[f[i].word] |= b;
		else
			c->cpu->features[f[i].word] &= ~b;
		if (user) {
			c->cpu->user_on[f[i].word] &= ~b;
			c->cpu->user_off[f[i].word] &= ~b;
			(on ? c->cpu->user_on : c->cpu->user_off)[f[i].word] |= b;
		}
	}
	return 0;
}

/* avx10-version: the number (CPUID.0x24.0.EBX[7:0]); from the releases
 * data/avx10.def has rows for, also the features the version implies and
 * the last subleaf of leaf 0x24. */
int ve_set_avx10_version(struct ve_ctx *c, uint64_t v, const char *origin)
{
	vcpuid_cpu *cpu = c->cpu;
	uint8_t top = 0;
	if (v > 0xff)
		return vcpuid_fail(c->err, VCPUID_E_PARSE, "%s: avx10-version: "
				   "%llu does not fit uint8", origin,
				   (unsigned long long)v);
	for (size_t i = 0; i < ARRAY_SIZE(avx10_rows); i++)
		if (avx10_rows[i].since <= c->qemu && avx10_rows[i].version > top)
			top = avx10_rows[i].version;
	if (top && v > top)
		return vcpuid_fail(c->err, VCPUID_E_PARSE, "%s: avx10-version can "
				   "be at most %u", origin, top);
	cpu->avx10_version = (uint8_t)v;
	cpu->avx10_max_subleaf = 0;
	for (size_t i = 0; top && i < ARRAY_SIZE(avx10_rows); i++) {
		if (avx10_rows[i].since > c->qemu || avx10_rows[i].version > v)
			continue;
		cpu->features[avx10_rows[i].w] |= avx10_rows[i].mask;
		if (avx10_rows[i].version == v)
			cpu->avx10_max_subleaf = avx10_rows[i].max_subleaf;
	}
	return 0;
}

bool ve_avx10_on(const vcpuid_cpu *cpu, uint16_t qemu)
{
	const vcpuid_feature *f = vc_avx10(qemu);
	return f && (cpu->features[f->word] >> f->bit & 1);
}

static int parse_u(const char *v, uint64_t *out)
{
	char *end;
	if (!*v || *v == '-')
		return -1;
	unsigned long long r = strtoull(v, &end, 0);
	if (*end)
		return -1;
	*out = r;
	return 0;
}

int ve_set_prop(struct ve_ctx *c, const char *name, const char *value,
		    const char *origin)
{
	vcpuid_cpu *cpu = c->cpu;
	size_t nb = 0;
	const vcpuid_feature *f = vc_feature_exact(name, &nb);
	bool b = false;
	uint64_t u = 0;
	bool isbool = !spec_parse_bool(value, &b);
	bool isnum = !parse_u(value, &u);
	if (f) {
		if (!isbool)
			goto bad;
		return set_feature(c, f, nb, b, true);
	}
#define BOOLP(n, field) \
	if (!strcmp(name, n)) { \
		if (!isbool) \
			goto bad; \
		cpu->field = b; \
		return 0; \
	}
#define NUMP(n, field) \
	if (!strcmp(name, n)) { \
		if (!isnum) \
			goto bad; \
		cpu->field = (__typeof__(cpu->field))u; \
		return 0; \
	}
	BOOLP("pmu", pmu)
	BOOLP("migratable", migratable)
	BOOLP("enforce", enforce)
	BOOLP("check", check)
	BOOLP("kvm", kvm)
	BOOLP("l3-cache", l3_cache)
	BOOLP("host-cache-info", host_cache_info)
	BOOLP("host-phys-bits", host_phys_bits)
	BOOLP("full-cpuid-auto-level", full_cpuid_auto_level)
	BOOLP("x-vendor-cpuid-only", vendor_cpuid_only)
	BOOLP("kvm-pv-enforce-cpuid", kvm_pv_enforce_cpuid)
	NUMP("level", level)
	NUMP("xlevel", xlevel)
	NUMP("xlevel2", xlevel2)
	NUMP("min-level", min_level)
	NUMP("min-xlevel", min_xlevel)
	NUMP("min-xlevel2", min_xlevel2)
	NUMP("phys-bits", phys_bits)
	NUMP("ucode-rev", ucode_rev)
	NUMP("family", family)
	NUMP("model", model_num)
	NUMP("stepping", stepping)
#undef BOOLP
#undef NUMP
	if (!strcmp(name, "avx10-version")) {
		if (!isnum)
			goto bad;
		return ve_set_avx10_version(c, u, origin);
	}
	if (!strcmp(name, "tsc-frequency")) {
		if (!isnum)
			goto bad;
		cpu->tsc_khz = u / 1000;
		return 0;
	}
	if (!strcmp(name, "cpuid-0xb") || !strcmp(name, "vmware-cpuid-freq")) {
		if (!isbool)
			goto bad;
		*(name[0] == 'c' ? &cpu->cpuid_0xb_off :
		  &cpu->vmware_cpuid_freq_off) = !b;
		return 0;
	}
	if (!strcmp(name, "legacy-cache")) {
		if (!isbool)
			goto bad;
		c->legacy_cache = b;
		return 0;
	}
	if (!strcmp(name, "vendor")) {
		if (strlen(value) != 12)
			goto bad;
		memcpy(cpu->vendor, value, 13);
		return 0;
	}
	if (!strcmp(name, "model-id")) {
		snprintf(cpu->model_id, sizeof(cpu->model_id), "%.48s", value);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++)
		if (!strcmp(name, knobs[i].prop)) {
			c->knob[i] = isbool ? b : !!u;
			return 0;
		}
	return vcpuid_fail(c->err, VCPUID_E_UNSUPPORTED,
			   "%s: property '%s' is not supported", origin, name);
bad:
	return vcpuid_fail(c->err, VCPUID_E_PARSE,
			   "%s: bad value '%s' for '%s'", origin, value, name);
	/* origin: "-cpu", a machine type, "kvm default" or a model name */
}

void ve_knob_defaults(struct ve_ctx *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++)
		c->knob[i] = knobs[i].dflt;
}

int vc_knob_index(const char *prop)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++)
		if (!strcmp(knobs[i].prop, prop))
			return (int)i;
	return -1;
}

bool ve_knob(const struct ve_ctx *c, const char *prop)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++)
		if (!strcmp(knobs[i].prop, prop))
			return c->knob[i];
	return false;
}
