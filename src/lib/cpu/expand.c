/* SPDX-License-Identifier: MIT */
/* expand: QEMU's CPU object life up to the CPUID decision, for one -cpu spec:
 * x86_cpu_initfn (model + version properties), max_x86_cpu_initfn,
 * kvm_cpu_instance_init (host vendor, kvm_default_props, host/max data),
 * machine compat properties, the user's options, then realize:
 * x86_cpu_expand_features, filter (filter.c), kvm_cpu_realizefn and the
 * ucode-rev / phys-bits defaults. Pipeline: spec.c -> expand.c -> filter.c;
 * the instance init is instance.c; the properties are set by props.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpu/expand.h"
#include "feature_bits.h"
#include "host/query.h"

static const struct { enum vcpuid_word w; uint64_t mask; uint16_t since, until; }
	noauto[] = {
#define NOAUTO(w, m, s, u) { VCPUID_W_##w, m, s, u },
#include "data/expand.def"
};
static const struct { enum vcpuid_word w; uint64_t mask; bool intel_too;
		      uint16_t since, until; } smt_features[] = {
#define SMT_FEATURE(w, m, i, s, u) { VCPUID_W_##w, m, i, s, u },
#include "data/expand.def"
};
static const struct { enum vcpuid_word w; uint64_t mask; uint16_t since, until; }
	max_amd_only[] = {
#define MAX_AMD_ONLY(w, m, s, u) { VCPUID_W_##w, m, s, u },
#include "data/expand.def"
};
static const struct { enum vcpuid_word w; uint16_t since, until; } level_words[] = {
#define LEVEL_WORD(w, s, u) { VCPUID_W_##w, s, u },
#include "data/expand.def"
};
static const struct { enum vcpuid_word w; uint64_t mask; const char *vendor,
		      *knob; uint16_t since, until; } max_unavailable[] = {
#define MAX_UNAVAILABLE(w, m, v, k, s, u) { VCPUID_W_##w, m, v, k, s, u },
#include "data/expand.def"
};
static const struct { enum vcpuid_word w; uint64_t mask; uint32_t leaf;
		      uint16_t since, until; } level_features[] = {
#define LEVEL_FEATURE(w, m, l, s, u) { VCPUID_W_##w, m, l, s, u },
#include "data/expand.def"
};
static const struct { enum vcpuid_word wa; uint64_t ma; const char *na;
		      enum vcpuid_word wb; uint64_t mb; const char *nb;
		      uint16_t since, until; } conflicts[] = {
#define CONFLICT(wa, ma, na, wb, mb, nb, s, u) \
	{ VCPUID_W_##wa, ma, na, VCPUID_W_##wb, mb, nb, s, u },
#include "data/expand.def"
};
static const struct { unsigned comp; enum vcpuid_word w; unsigned bit; bool xss;
		      uint16_t since, until; } xsave_areas[] = {
#define XCR0 false
#define XSS true
#define XSAVE_AREA(c, w, b, k, m, s, u) { c, VCPUID_W_##w, b, k, s, u },
#include "data/xsave.def"
#undef XCR0
#undef XSS
};

/* A named bit of the CPU object (feature_bits.h: an unknown name fails the
 * build). */
#define ON(w, name) ((cpu->features[VCPUID_W_##w] & FB_##w##_##name) != 0)

/* ---- realize: x86_cpu_expand_features ---- */
static void adjust(uint32_t *min, uint32_t v)
{
	if (*min < v)
		*min = v;
}

static void adjust_feat_level(vcpuid_cpu *cpu, enum vcpuid_word w)
{
	const vcpuid_word_info *wi = vcpuid_word(w);
	if (!cpu->features[w])
		return;
	if (wi->leaf == 7)
		adjust(&cpu->min_level_func7, wi->subleaf);
	switch (wi->leaf & 0xF0000000u) {
	case 0:
		adjust(&cpu->min_level, wi->leaf);
		break;
	case 0x80000000u:
		adjust(&cpu->min_xlevel, wi->leaf);
		break;
	case 0xC0000000u:
		adjust(&cpu->min_xlevel2, wi->leaf);
		break;
	}
}

static uint64_t noauto_mask(enum vcpuid_word w, uint16_t qemu)
{
	uint64_t m = 0;
	for (size_t i = 0; i < ARRAY_SIZE(noauto); i++)
		if (noauto[i].w == w && qemu >= noauto[i].since &&
		    qemu <= noauto[i].until)
			m |= noauto[i].mask;
	/* features.def flags follow current QEMU (ht became NOAUTO after 7.2);
	 * expand.def alone is the 7.2 truth. */
	for (unsigned b = 0; qemu > 702 && b < 64; b++) {
		const vcpuid_feature *f = vcpuid_feature_at(w, b);
		if (f && (f->flags & VCPUID_F_NO_AUTOENABLE))
			m |= 1ull << b;
	}
	return m;
}

/* What x86_cpu_get_supported_feature_word(cpu, w) withholds from max/host
 * beyond the filter's view (data/expand.def MAX_UNAVAILABLE for a vendor,
 * MAX_AMD_ONLY for every vendor but AuthenticAMD). */
static uint64_t max_withheld(const struct ve_ctx *c, enum vcpuid_word w)
{
	uint64_t m = 0;
	for (size_t i = 0; i < ARRAY_SIZE(max_amd_only); i++)
		if (max_amd_only[i].w == w &&
		    c->qemu >= max_amd_only[i].since &&
		    c->qemu <= max_amd_only[i].until &&
		    strcmp(c->cpu->vendor, "AuthenticAMD"))
			m |= max_amd_only[i].mask;
	for (size_t i = 0; i < ARRAY_SIZE(max_unavailable); i++)
		if (max_unavailable[i].w == w &&
		    c->qemu >= max_unavailable[i].since &&
		    c->qemu <= max_unavailable[i].until &&
		    !strcmp(c->cpu->vendor, max_unavailable[i].vendor) &&
		    (max_unavailable[i].knob[0] == '+'
			     ? ve_knob(c, max_unavailable[i].knob + 1)
			     : !ve_knob(c, max_unavailable[i].knob)))
			m |= max_unavailable[i].mask;
	return m;
}

static int expand_features(struct ve_ctx *c, const vcpuid_spec *spec)
{
	vcpuid_cpu *cpu = c->cpu;
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		cpu->features[w] |= spec->plus[w];
		cpu->features[w] &= ~spec->minus[w];
		cpu->user_on[w] = (cpu->user_on[w] | spec->plus[w]) & ~spec->minus[w];
		cpu->user_off[w] = (cpu->user_off[w] & ~spec->plus[w]) | spec->minus[w];
	}
	if (c->max_features) {
		for (int w = 0; w < VCPUID_NWORDS; w++) {
			cpu->max_withheld[w] = cpu->supported[w] &
					       max_withheld(c, w);
			uint64_t s = cpu->supported[w] & ~cpu->max_withheld[w];
			/* x86_cpu_get_migratable_flags: with tsc-frequency
			 * given, invtsc counts as migratable (the QEMU 11.1
			 * binary on every machine type, no compat property;
			 * QEMU 7.2 has no such rule; release 8.0 not pinned;
			 * data/qemu_changes.def INVTSC_WITH_TSC_FREQUENCY; seen
			 * with the 11.1 random differential: host and max with
			 * tsc-frequency get invtsc) */
			uint64_t m = vf_migratable_mask(w, c->qemu);
			if (w == VCPUID_W_8000_0007_EDX && cpu->tsc_khz &&
			    c->qemu >= 800)
				m |= FB_8000_0007_EDX_INVTSC;
			if (cpu->migratable)
				s &= m;
			cpu->features[w] |= s & ~(cpu->user_on[w] | cpu->user_off[w]) &
					    ~noauto_mask(w, c->qemu);
		}
		/* no avx10-version given: KVM's (CPUID.0x24.0.EBX[7:0]) */
		if (ve_avx10_on(cpu, c->qemu) && !cpu->avx10_version) {
			uint32_t v = c->hv->present ? vf_supported_reg(c->hv,
					c->qemu, 0x24, 0, VCPUID_EBX) & 0xff : 0;
			int rc = ve_set_avx10_version(c, v, "-cpu");
			if (rc)
				return rc;
		}
	}
	/* more than one thread per package: ht (and cmp-legacy) as features */
	const vcpuid_topology *t = &cpu->topo;
	bool intel_like = !strcmp(cpu->vendor, "GenuineIntel") ||
			  !strcmp(cpu->vendor, "CentaurHauls") ||
			  !strcmp(cpu->vendor, "  Shanghai  ");
	for (size_t i = 0; i < ARRAY_SIZE(smt_features); i++)
		if (c->qemu >= smt_features[i].since &&
		    c->qemu <= smt_features[i].until &&
		    t->threads * t->cores * t->dies * t->modules > 1 &&
		    (smt_features[i].intel_too || !intel_like))
			cpu->features[smt_features[i].w] |= smt_features[i].mask;
	/* QEMU >= 10.1 (after 7.2): pdcm goes with pmu, before the
	 * dependencies (so PERF_CAPABILITIES follows); 7.2 clears it only in
	 * the CPUID table. */
	if (c->qemu >= 1001 && !cpu->pmu &&
	    !ve_knob(c, "x-pdcm-on-even-without-pmu"))
		cpu->features[VCPUID_W_1_ECX] &= ~(uint64_t)FB_1_ECX_PDCM;
	/* QEMU 11.0 on: arch-lbr goes with pmu too, even when asked for, and
	 * with no compat property (commit 7fa483031711 "i386/cpu: Reorganize
	 * dependency check for arch lbr state"); seen with the 11.1 random
	 * differential: Skylake-Server-v3,+arch-lbr */
	if (c->qemu >= 1100 && !cpu->pmu)
		cpu->features[VCPUID_W_7_0_EDX] &= ~(uint64_t)FB_7_0_EDX_ARCH_LBR;
	size_t nd;
	const vcpuid_dependency *d = vcpuid_dependencies(&nd);
	for (size_t i = 0; i < nd; i++) {
		if (d[i].qemu_since > c->qemu || /* 7.2's list is shorter */
		    !vc_word_known(d[i].from_word, c->qemu) ||
		    !vc_word_known(d[i].to_word, c->qemu))
			continue;
		if (cpu->features[d[i].from_word] & d[i].from_mask)
			continue;
		uint64_t un = cpu->features[d[i].to_word] & d[i].to_mask;
		uint64_t user = un & (cpu->user_on[d[i].to_word] |
				      cpu->user_off[d[i].to_word]);
		if (user) {
			int rc = vf_mark_unavailable(
				cpu, d[i].to_word, user,
				"This feature depends on other features that "
				"were not requested",
				"depends on a feature that is not enabled");
			if (rc)
				return rc;
		}
		cpu->features[d[i].to_word] &= ~un;
	}
	if (!c->hv->present || !cpu->kvm)
		cpu->features[VCPUID_W_KVM] = 0;
	for (size_t i = 0; i < ARRAY_SIZE(conflicts); i++) {
		uint64_t a = cpu->features[conflicts[i].wa] & conflicts[i].ma;
		uint64_t b = cpu->features[conflicts[i].wb] & conflicts[i].mb;
		if (c->qemu < conflicts[i].since || c->qemu > conflicts[i].until ||
		    !a || !b)
			continue;
		char pa[64], pb[64];
		snprintf(pa, sizeof(pa), "this feature conflicts with %s",
			 conflicts[i].nb);
		snprintf(pb, sizeof(pb), "this feature conflicts with %s",
			 conflicts[i].na);
		int rc = vf_mark_unavailable(cpu, conflicts[i].wa, a, pa, pa);
		if (!rc)
			rc = vf_mark_unavailable(cpu, conflicts[i].wb, b, pb, pb);
		if (rc)
			return rc;
	}

	/* XSAVE components */
	uint64_t xcr0 = 0, xss = 0;
	if (ON(1_ECX, XSAVE)) {
		for (size_t i = 0; i < ARRAY_SIZE(xsave_areas); i++) {
			if (c->qemu < xsave_areas[i].since ||
			    c->qemu > xsave_areas[i].until)
				continue;
			if (cpu->features[xsave_areas[i].w] >> xsave_areas[i].bit & 1)
				*(xsave_areas[i].xss ? &xss : &xcr0) |=
					1ull << xsave_areas[i].comp;
		}
	}
	/* QEMU 11 (its CET work) enables the supervisor (XSS) components only
	 * with xsaves: without it 0xD.1 ECX/EDX are zero and 0xD.1 EBX counts
	 * the XCR0 components only (seen with the 11.1 random differential:
	 * SandyBridge-IBRS,+cet-ibt and EPYC-Milan,+cet-ss,-xsaves) */
	if (c->qemu >= 1100 && !ON(XSAVE, XSAVES))
		xss = 0;
	cpu->features[VCPUID_W_XSAVE_XCR0_LO] = (uint32_t)xcr0;
	cpu->features[VCPUID_W_XSAVE_XCR0_HI] = xcr0 >> 32;
	cpu->features[VCPUID_W_XSAVE_XSS_LO] = (uint32_t)xss;
	cpu->features[VCPUID_W_XSAVE_XSS_HI] = xss >> 32;

	/* minimum levels */
	adjust_feat_level(cpu, VCPUID_W_7_0_EBX);
	if (cpu->full_cpuid_auto_level) {
		for (size_t i = 0; i < ARRAY_SIZE(level_words); i++)
			if (c->qemu >= level_words[i].since &&
			    c->qemu <= level_words[i].until &&
			    vc_word_known(level_words[i].w, c->qemu))
				adjust_feat_level(cpu, level_words[i].w);
		if (ON(7_0_EBX, INTEL_PT)) /* intel-pt: x-intel-pt-auto-level */
			adjust(&cpu->min_level, 0x14);
		/* x86_has_cpuid_0x1f: more than one die, or
		 * x-force-cpuid-0x1f (the QEMU 11.1 binary, the release of
		 * synth_rules.def FORCE_CPUID_0X1F; seen
		 * with the 11.1 random differential: YongFeng-v3 with
		 * vendor=GenuineIntel and one die got level 0x1F) */
		if ((cpu->topo.dies > 1 ||
		     (cpu->force_cpuid_0x1f && c->qemu >= 800)) &&
		    (!strcmp(cpu->vendor, "GenuineIntel") ||
		     !cpu->vendor_cpuid_only))
			adjust(&cpu->min_level, 0x1F);
		if (ve_avx10_on(cpu, c->qemu)) /* AVX10 needs leaf 0x24 */
			adjust(&cpu->min_level, 0x24);
		for (size_t i = 0; i < ARRAY_SIZE(level_features); i++)
			if (c->qemu >= level_features[i].since &&
			    c->qemu <= level_features[i].until &&
			    cpu->features[level_features[i].w] &
			    level_features[i].mask)
				adjust(&cpu->min_level, level_features[i].leaf);
		if (ON(8000_0001_ECX, SVM))
			adjust(&cpu->min_xlevel, 0x8000000A);
		if (ON(7_0_EBX, SGX))
			adjust(&cpu->min_level, 0x12);
	}
	cpu->level_func7 = cpu->min_level_func7; /* level-func7 is unsupported */
	if (cpu->level == UNSET)
		cpu->level = cpu->min_level;
	if (cpu->xlevel == UNSET)
		cpu->xlevel = cpu->min_xlevel;
	if (cpu->xlevel2 == UNSET)
		cpu->xlevel2 = cpu->min_xlevel2;
	return 0;
}

/* ---- after filtering: AMD aliases, ucode-rev, phys-bits ---- */
static int realize_tail(struct ve_ctx *c)
{
	vcpuid_cpu *cpu = c->cpu;
	bool amd = !strcmp(cpu->vendor, "AuthenticAMD");
	if (amd) {
		/* QEMU's CPUID_EXT2_AMD_ALIASES: AMD's 0x80000001 EDX repeats
		 * these bits of leaf 1 EDX */
		const uint64_t aliases = FB_1_EDX_FPU | FB_1_EDX_VME |
			FB_1_EDX_DE | FB_1_EDX_PSE | FB_1_EDX_TSC | FB_1_EDX_MSR |
			FB_1_EDX_PAE | FB_1_EDX_MCE | FB_1_EDX_CX8 | FB_1_EDX_APIC |
			FB_1_EDX_MTRR | FB_1_EDX_PGE | FB_1_EDX_MCA | FB_1_EDX_CMOV |
			FB_1_EDX_PAT | FB_1_EDX_PSE36 | FB_1_EDX_MMX | FB_1_EDX_FXSR;
		cpu->features[VCPUID_W_8000_0001_EDX] =
			(cpu->features[VCPUID_W_8000_0001_EDX] & ~aliases) |
			(cpu->features[VCPUID_W_1_EDX] & aliases);
	}
	if (c->max_features && c->hv->has_ucode_rev && !cpu->ucode_rev)
		cpu->ucode_rev = c->hv->ucode_rev;
	if (ON(8000_0001_EDX, LM)) {
		if (c->hv->present) { /* host_cpu_realizefn */
			unsigned hb = hq_view_phys_bits(c->hv);
			if (cpu->phys_bits != hb && cpu->phys_bits)
				vo_warn(cpu, "Host physical bits (%u) does not "
					"match phys-bits property (%u)", hb,
					cpu->phys_bits);
			if (cpu->host_phys_bits)
				cpu->phys_bits = hb;
			/* kvm_set_guest_phys_bits, after host_cpu_realizefn:
			 * KVM's guest physical address width (supported
			 * 0x80000008 EAX[23:16]), no wider than phys-bits as
			 * given or taken from the host so far (0 when neither,
			 * QEMU's 40 comes later). Binaries 9.1 on, while
			 * guest-phys-bits is left at its default (auto):
			 * data/pc_compat.def, pc_compat_9_0 sets it to 0 for
			 * machine types up to 9.0 (seen with the 11.1 random
			 * differential) */
			if (c->qemu >= 901 && ve_knob(c, "guest-phys-bits")) {
				unsigned g = vf_supported_reg(c->hv, c->qemu,
					0x80000008, 0, VCPUID_EAX) >> 16 & 0xff;
				cpu->guest_phys_bits = g < cpu->phys_bits
						       ? g : cpu->phys_bits;
			}
		}
		if (cpu->phys_bits && (cpu->phys_bits > 52 || cpu->phys_bits < 32))
			return vcpuid_fail(c->err, VCPUID_E_PARSE,
					   "-cpu: phys-bits should be between "
					   "32 and 52 (but is %u)", cpu->phys_bits);
		if (!cpu->phys_bits)
			cpu->phys_bits = 40;
	} else {
		if (cpu->phys_bits)
			return vcpuid_fail(c->err, VCPUID_E_PARSE,
					   "-cpu: phys-bits is not "
					   "user-configurable in 32 bit");
		/* 36 with PSE36; with PAE too in QEMU 8.2, which QEMU 11.1
		 * does for every machine type (8.0 and 8.1 included: no
		 * compat property), so from machine type 8.0 on */
		cpu->phys_bits = ON(1_EDX, PSE36) ||
				 (c->qemu >= 800 && ON(1_EDX, PAE))
				 ? 36 : 32;
	}
	if (!cpu->ucode_rev)
		cpu->ucode_rev = amd ? 0x01000065 : 0x100000000ull;
	if (amd && !ON(8000_0001_ECX, TOPOEXT) && cpu->topo.threads > 1)
		vo_warn(cpu, "This family of AMD CPU doesn't support "
			"hyperthreading(%u)", cpu->topo.threads);
	/* cache information: legacy-cache=off needs the model's own table
	 * (QEMU refuses to start otherwise, host/max/base included) */
	if (c->legacy_cache)
		cpu->cache = NULL;
	else if (!cpu->cache)
		return vcpuid_fail(c->err, VCPUID_E_PARSE,
				   "-cpu: CPU model '%s' doesn't support "
				   "legacy-cache=off", c->typed);
	return 0;
}

/* kvm_arch_set_tsc_khz: a tsc-frequency the vCPU cannot run at stops QEMU.
 * KVM takes a rate within 250 ppm of its own, any rate with TSC scaling
 * (KVM_CAP_TSC_CONTROL); the profile's kvm.tsc_khz is KVM's rate (unknown:
 * assume it works). */
static int check_tsc_khz(const vcpuid_cpu *cpu, const hq_view *hv,
			 vcpuid_error *err)
{
	if (!hv->present || !cpu->tsc_khz)
		return 0;
	uint32_t khz;
	int rc = hq_view_tsc_khz(hv, &khz, err);
	if (rc)
		return rc;
	int64_t cur = khz, want = (int64_t)cpu->tsc_khz;
	if (!cur || hv->cap_tsc_control)
		return 0;
	int64_t slack = (int64_t)(int32_t)(uint32_t)(cur * 250) / 1000000;
	if (want >= cur - slack && want <= cur + slack)
		return 0;
	return vcpuid_fail(err, VCPUID_E_KVM,
			   "-cpu: tsc-frequency: TSC frequency mismatch between "
			   "VM (%lld kHz) and host (%lld kHz), and TSC scaling "
			   "unavailable", (long long)want, (long long)cur);
}

static int check_known(const vcpuid_spec *spec, uint16_t qemu,
		       vcpuid_error *err)
{
	for (size_t i = 0; i < spec->nprops; i++)
		if (spec_prop_since(spec->props[i].name) > qemu ||
		    spec_prop_until(spec->props[i].name) < qemu)
			return vcpuid_fail(err, VCPUID_E_UNKNOWN,
					   "-cpu: property '%s' is not known to "
					   "QEMU %u.%u", spec->props[i].name,
					   qemu / 100, qemu % 100);
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		uint64_t m = spec->plus[w] | spec->minus[w] | spec->on[w] |
			     spec->off[w];
		for (unsigned b = 0; m && b < 64; b++) {
			if (!(m >> b & 1))
				continue;
			const vcpuid_feature *f = vcpuid_feature_at(w, b);
			if (f && f->qemu_since > qemu)
				return vcpuid_fail(err, VCPUID_E_UNKNOWN,
						   "-cpu: feature '%s' is not "
						   "known to QEMU %u.%u", f->name,
						   qemu / 100, qemu % 100);
		}
	}
	return 0;
}

int ve_expand(const vcpuid_host *host, const char *spec_str,
	      const char *machine, const vcpuid_topology *topo,
	      vcpuid_cpu *cpu, vcpuid_error *err)
{
	memset(cpu, 0, sizeof(*cpu));
	hq_view hv;
	int rc = hq_view_init(&hv, host, 0, err);
	return rc ? rc : ve_expand_view(&hv, spec_str, machine, topo, cpu, err);
}

int ve_expand_view(hq_view *hv, const char *spec_str, const char *machine,
		   const vcpuid_topology *topo, vcpuid_cpu *cpu,
		   vcpuid_error *err)
{
	memset(cpu, 0, sizeof(*cpu));
	vcpuid_spec spec;
	int rc = vcpuid_spec_parse(spec_str, &spec, err);
	if (rc)
		return rc;
	cpu->machine = vcpuid_machine_find(machine);
	if (!cpu->machine)
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   "unknown machine type '%s'", machine);
	struct ve_ctx c = { .cpu = cpu, .qemu = cpu->machine->qemu, .err = err };
	if (topo)
		cpu->topo = *topo;
	else
		cpu->topo = (vcpuid_topology){ 1, 1, 1, 1, 1, 1 };
	c.typed = spec.model;
	if ((rc = ve_resolve_model(cpu, spec.model, err)))
		return rc;
	if (cpu->is_host && !hv->present)
		return vcpuid_fail(err, VCPUID_E_NOKVM,
				   "CPU model 'host' requires KVM");
	if ((rc = check_known(&spec, c.qemu, err)))
		return rc;
	/* what this CPU asks of the host beyond the view's facts: host and
	 * max read its brand string, QEMU 8.0 on checks the XSAVE component
	 * sizes */
	if ((rc = hq_view_ask(hv, (cpu->is_host || cpu->is_max ? HQ_ASK_BRAND : 0) |
				  (c.qemu >= 800 ? HQ_ASK_XSAVE : 0), err)))
		return rc;
	c.hv = hv;
	if ((rc = spec_ambiguity_warnings(spec_str, cpu)))
		goto fail;
	if ((rc = ve_instance_init(&c, &spec)))
		goto fail;
	vf_supported(hv, c.qemu, cpu->supported);
	cpu->force_cpuid_0x1f = ve_knob(&c, "x-force-cpuid-0x1f");
	if ((rc = expand_features(&c, &spec)))
		goto fail;
	for (int k = 0; k < VE_NKNOBS; k++)
		cpu->compat_knobs |= (uint32_t)c.knob[k] << k;
	/* vPMU LBR: the LBR format QEMU asks for must be the host's, with pmu */
	uint64_t lbr = cpu->features[VCPUID_W_PERF_CAP] & 0x3f;
	if (lbr && hv->present) {
		if (!cpu->pmu) {
			rc = vcpuid_fail(err, VCPUID_E_UNSUPPORTED,
					 "vPMU: LBR is unsupported without pmu=on");
			goto fail;
		}
		uint64_t hl = cpu->supported[VCPUID_W_PERF_CAP] & 0x3f;
		if (lbr != hl) {
			rc = vcpuid_fail(err, VCPUID_E_UNSUPPORTED,
					 "vPMU: the lbr-fmt value (0x%llx) does not "
					 "match the host value (0x%llx).",
					 (unsigned long long)lbr,
					 (unsigned long long)hl);
			goto fail;
		}
	}
	memcpy(cpu->requested, cpu->features, sizeof(cpu->requested));
	if ((rc = vf_filter(cpu, hv)))
		goto fail;
	if (cpu->enforce && (cpu->nfiltered || cpu->avx10_filtered)) {
		rc = vcpuid_fail(err, VCPUID_E_ENFORCE,
				 "Host doesn't support requested features");
		return rc;
	}
	if ((rc = realize_tail(&c)))
		goto fail;
	/* kvm_arch_init_vcpu: QEMU aborts when KVM cannot enforce the PV
	 * feature CPUID bits */
	if (cpu->kvm_pv_enforce_cpuid && hv->present && !hv->cap_enforce_pv_cpuid)
		return vcpuid_fail(err, VCPUID_E_KVM,
				   "-cpu: kvm-pv-enforce-cpuid: the host's KVM "
				   "lacks KVM_CAP_ENFORCE_PV_FEATURE_CPUID");
	if ((rc = check_tsc_khz(cpu, hv, err)))
		return rc;
	return 0;
fail:
	if (rc == VCPUID_E_NOMEM)
		vcpuid_fail(err, rc, "out of memory");
	return rc;
}
