/* SPDX-License-Identifier: MIT */
/* explain: a feature's fate, stage by stage, from the silicon to the guest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stages.h"
#include "vcpuid/fleet.h"

static const char *const stage_names[VCPUID_NSTAGES] = {
	[VCPUID_STAGE_HARDWARE] = "hardware",
	[VCPUID_STAGE_KERNEL] = "kernel",
	[VCPUID_STAGE_KVM] = "kvm",
	[VCPUID_STAGE_CORRECTIONS] = "qemu-corrections",
	[VCPUID_STAGE_MODEL] = "model",
	[VCPUID_STAGE_USER] = "user",
	[VCPUID_STAGE_DEPENDENCY] = "dependency",
	[VCPUID_STAGE_MIGRATABLE] = "migratable",
	[VCPUID_STAGE_FILTER] = "filter",
	[VCPUID_STAGE_APPLIED] = "applied",
	[VCPUID_STAGE_LAUNCH] = "launch",
	[VCPUID_STAGE_FINAL] = "final",
};

const char *vcpuid_stage_name(enum vcpuid_stage s)
{
	return (unsigned)s < VCPUID_NSTAGES ? stage_names[s] : "?";
}

static bool bit(const vcpuid_words w, const vcpuid_feature *f)
{
	return w[f->word] >> f->bit & 1;
}

/* The bit in a CPUID table or a feature-MSR list. */
static bool host_bit(const vcpuid_table *t, const vcpuid_msr_list *m,
		     const vcpuid_feature *f)
{
	vcpuid_words w;
	vcpuid_words_from_table(t, m, w);
	return bit(w, f);
}

static bool cpuinfo_has(const char *flags, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = flags; (p = strstr(p, name)); p += n)
		if ((p == flags || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

/* The model's own value for the feature: version 1 features, then the
 * props of versions 2..N in order. -1 when the model does not mention it. */
static int model_value(const vcpuid_cpu *cpu, const vcpuid_feature *f)
{
	const vcpuid_model_def *m = cpu->model;
	if (!m)
		return -1;
	const uint64_t *w = ve_model_words(m);
	int val = w && (w[f->word] >> f->bit & 1) ? 1 : -1;
	for (int v = 0; m->versions && m->versions[v].version &&
			m->versions[v].version <= cpu->version; v++) {
		const vcpuid_prop *pr = m->versions[v].props;
		for (; pr && pr->name; pr++) {
			const vcpuid_feature *g = vcpuid_feature_lookup(pr->name, NULL);
			if (g && !strcmp(g->name, f->name))
				val = strcmp(pr->value, "off") != 0;
		}
	}
	return val;
}

/* Which dependency would clear f: the first DEPEND whose target holds f
 * and none of whose sources is requested. */
static const vcpuid_dependency *cleared_by(const vcpuid_cpu *cpu,
					   const vcpuid_feature *f)
{
	size_t n;
	const vcpuid_dependency *d = vcpuid_dependencies(&n);
	for (size_t i = 0; i < n; i++)
		if (d[i].to_word == f->word && (d[i].to_mask >> f->bit & 1) &&
		    !(cpu->requested[d[i].from_word] & d[i].from_mask))
			return &d[i];
	return NULL;
}

static void mask_names(enum vcpuid_word w, uint64_t mask, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = 0;
	for (unsigned b = 0; b < 64 && off < len; b++) {
		if (!(mask >> b & 1))
			continue;
		const vcpuid_feature *f = vcpuid_feature_at(w, b);
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					off ? "/" : "", f ? f->name : "?");
	}
}

#define SET(st, fate, ...) \
	do { \
		out->at[st] = fate; \
		snprintf(out->note[st], sizeof(out->note[st]), __VA_ARGS__); \
	} while (0)
#define YES VCPUID_FATE_YES
#define NO VCPUID_FATE_NO

static void explain_one(const vcpuid_host *host, const vcpuid_cpu *cpu,
			const vcpuid_feature *f, vcpuid_explanation *out)
{
	memset(out, 0, sizeof(*out));
	out->feature = f;
	bool is_msr = vcpuid_word(f->word)->kind == VCPUID_WORD_MSR;

	bool hw = false;
	if (host->has_raw && !is_msr) {
		hw = host_bit(hq_raw(host, vcpuid_word(f->word)->leaf),
			      NULL, f);
		SET(VCPUID_STAGE_HARDWARE, hw ? YES : NO, "%s",
		    hw ? "the CPU has it" : "the CPU does not have it");
	}
	if (hq_cpuinfo_flags(host)) {
		if (!f->linux_name || !f->linux_name[0])
			SET(VCPUID_STAGE_KERNEL, VCPUID_FATE_NA,
			    "the kernel has no /proc/cpuinfo name for it");
		else if (f->flags & VCPUID_F_LINUX_HIDDEN)
			SET(VCPUID_STAGE_KERNEL, VCPUID_FATE_NA,
			    "the kernel knows it but hides it from /proc/cpuinfo");
		else {
			bool k = cpuinfo_has(host->cpuinfo_flags, f->linux_name);
			SET(VCPUID_STAGE_KERNEL, k ? YES : NO, "/proc/cpuinfo %s '%s'",
			    k ? "shows" : "does not show", f->linux_name);
		}
	}
	bool kvm = false;
	if (host->has_kvm) {
		kvm = host_bit(&host->supported, &host->feature_msrs, f);
		bool emu = !is_msr && host_bit(&host->emulated, NULL, f);
		SET(VCPUID_STAGE_KVM, kvm || emu ? YES : NO, "%s",
		    kvm ? (is_msr ? "KVM's feature MSR value has it"
			  : "KVM_GET_SUPPORTED_CPUID has it")
		    : emu ? "only KVM_GET_EMULATED_CPUID has it"
		    : is_msr ? "KVM's feature MSR value lacks it"
		    : "KVM_GET_SUPPORTED_CPUID lacks it");
		bool sup = bit(cpu->supported, f);
		if (sup != kvm)
			SET(VCPUID_STAGE_CORRECTIONS, sup ? YES : NO,
			    "QEMU %s it to what KVM reports", sup ? "adds" : "removes");
		else
			SET(VCPUID_STAGE_CORRECTIONS, sup ? YES : NO,
			    "QEMU keeps KVM's answer");
	}

	int mv = model_value(cpu, f);
	bool on = bit(cpu->user_on, f), off = bit(cpu->user_off, f);
	bool req = bit(cpu->requested, f), fil = bit(cpu->filtered, f);
	bool fin = bit(cpu->features, f);
	if (cpu->model)
		SET(VCPUID_STAGE_MODEL, mv == 1 ? YES : NO, "%s %s it",
		    cpu->name, mv == 1 ? "has" : mv == 0 ? "turns off" : "does not have");
	else if ((cpu->is_host || cpu->is_max) && bit(cpu->max_withheld, f))
		SET(VCPUID_STAGE_MODEL, NO, "%s withholds it from an %.12s guest",
		    cpu->is_host ? "host" : "max", cpu->vendor);
	else if (cpu->is_host || cpu->is_max)
		SET(VCPUID_STAGE_MODEL, (f->flags & VCPUID_F_NO_AUTOENABLE) ? NO : YES,
		    "%s enables what the host supports%s", cpu->name,
		    (f->flags & VCPUID_F_NO_AUTOENABLE) ? ", but never this one" : "");
	else
		SET(VCPUID_STAGE_MODEL, NO, "%s has no features", cpu->name);
	if (on || off)
		SET(VCPUID_STAGE_USER, on && !off ? YES : NO, "the spec turns it %s",
		    off ? "off" : "on");

	/* host/max want what they requested: everything the host supports. */
	out->wanted = !off && (on || mv == 1 || req);
	const vcpuid_dependency *d = out->wanted && !req ? cleared_by(cpu, f) : NULL;
	if (d) {
		char from[96];
		mask_names(d->from_word, d->from_mask, from, sizeof(from));
		SET(VCPUID_STAGE_DEPENDENCY, NO, "cleared because %s is off", from);
	}
	if ((f->flags & VCPUID_F_UNMIGRATABLE) && cpu->migratable)
		SET(VCPUID_STAGE_MIGRATABLE, NO,
		    "blocks live migration; dropped with migratable=on");
	if (req)
		SET(VCPUID_STAGE_FILTER, fil ? NO : YES, "%s",
		    fil ? "requested, but the host cannot give it" : "the host gives it");
	SET(VCPUID_STAGE_FINAL, fin ? YES : NO, "the guest %s it",
	    fin ? "gets" : "does not get");
	out->final = fin;

	/* The decisive stage and a one-line cause. */
	const char *n = f->name;
	if (fin) {
		out->decisive = on ? VCPUID_STAGE_USER : VCPUID_STAGE_MODEL;
		snprintf(out->cause, sizeof(out->cause), "%s: present (%s)", n,
			 out->note[out->decisive]);
	} else if (off) {
		out->decisive = VCPUID_STAGE_USER;
		snprintf(out->cause, sizeof(out->cause), "%s: turned off by the spec", n);
	} else if (fil) {
		out->decisive = VCPUID_STAGE_FILTER;
		const char *why = !host->has_kvm ? "no KVM data for this host"
			: (!kvm && host->has_raw && !is_msr && hw)
			? "the CPU has it but KVM does not offer it"
			: (!kvm && host->has_raw && !is_msr) ? "the CPU does not have it"
			: !kvm ? "KVM does not offer it"
			: "QEMU's corrections remove it";
		snprintf(out->cause, sizeof(out->cause), "%s: filtered: %s", n, why);
	} else if (d) {
		out->decisive = VCPUID_STAGE_DEPENDENCY;
		snprintf(out->cause, sizeof(out->cause), "%s: %s", n,
			 out->note[VCPUID_STAGE_DEPENDENCY]);
	} else if (out->at[VCPUID_STAGE_MIGRATABLE] == NO) {
		out->decisive = VCPUID_STAGE_MIGRATABLE;
		snprintf(out->cause, sizeof(out->cause), "%s: %s", n,
			 out->note[VCPUID_STAGE_MIGRATABLE]);
	} else {
		out->decisive = VCPUID_STAGE_MODEL;
		snprintf(out->cause, sizeof(out->cause), "%s: not requested (%s)", n,
			 out->note[VCPUID_STAGE_MODEL]);
	}
}

/* avx10 is a feature and a version (avx10-version, CPUID.0x24.0.EBX[7:0]):
 * say which version KVM offers, and which one the guest gets, or that the
 * filter lowered it. */
static void explain_avx10(const vcpuid_host *host, const vcpuid_cpu *cpu,
			  vcpuid_explanation *out)
{
	if (!cpu->avx10_asked && !cpu->avx10_version)
		return;
	unsigned asked = cpu->avx10_asked ? cpu->avx10_asked
					  : cpu->avx10_version;
	if (host->has_kvm && out->at[VCPUID_STAGE_KVM] == YES) {
		unsigned kv = vcpuid_table_reg(&host->supported, 0x24, 0,
					       VCPUID_EBX) & 0xff;
		size_t n = strlen(out->note[VCPUID_STAGE_KVM]);
		snprintf(out->note[VCPUID_STAGE_KVM] + n,
			 sizeof(out->note[0]) - n, ", version %u", kv);
	}
	if (!out->final)
		return;
	unsigned got = cpu->avx10_version;
	snprintf(out->note[VCPUID_STAGE_FINAL], sizeof(out->note[0]),
		 "the guest gets avx10.%u", got);
	if (got < asked) {
		snprintf(out->note[VCPUID_STAGE_FILTER], sizeof(out->note[0]),
			 "avx10.%u asked; the host gives avx10.%u", asked, got);
		out->at[VCPUID_STAGE_FILTER] = YES;
		out->decisive = VCPUID_STAGE_FILTER;
		snprintf(out->cause, sizeof(out->cause),
			 "avx10: present, lowered from avx10.%u to avx10.%u "
			 "(the version KVM offers)", asked, got);
	} else {
		snprintf(out->cause, sizeof(out->cause), "avx10: present, avx10.%u (%s)",
			 got, out->note[out->decisive]);
	}
}

/* What vCPU 0 really keeps, and whether QEMU starts (check's answer):
 * the last stages on the live host. */
static void explain_kept(const vcpuid_verify_result *r, vcpuid_explanation *out)
{
	const vcpuid_feature *f = out->feature;
	const vcpuid_applied *a = &r->first;
	const vcpuid_word_info *wi = vcpuid_word(f->word);
	bool kept = false;
	if (!a->cpuid_set) {
		SET(VCPUID_STAGE_APPLIED, NO, "KVM_SET_CPUID2 refused the table");
	} else if (wi->kind == VCPUID_WORD_MSR) {
		const vcpuid_msr_apply *m = NULL;
		for (size_t i = 0; i < a->nmsrs; i++)
			if (a->msrs[i].index == wi->msr)
				m = &a->msrs[i];
		kept = m && m->accepted && m->read_ok && (m->read >> f->bit & 1);
		if (!m)
			SET(VCPUID_STAGE_APPLIED, NO, "MSR 0x%x is not set on the "
			    "vCPU", wi->msr);
		else if (!m->accepted)
			SET(VCPUID_STAGE_APPLIED, NO, "KVM_SET_MSRS refused MSR 0x%x "
			    "(value 0x%llx)", wi->msr, (unsigned long long)m->value);
		else
			SET(VCPUID_STAGE_APPLIED, kept ? YES : NO, "vCPU 0 keeps MSR "
			    "0x%x %s it (KVM_GET_MSRS)", wi->msr,
			    kept ? "with" : "without");
	} else {
		kept = host_bit(&a->kept, NULL, f);
		bool set = host_bit(&a->requested, NULL, f);
		SET(VCPUID_STAGE_APPLIED, kept ? YES : NO, "%s",
		    kept == set ? (kept ? "vCPU 0 keeps it (KVM_GET_CPUID2)"
			    : "not in the table set on vCPU 0")
		    : kept ? "the hypervisor adds it: KVM_GET_CPUID2 has it, "
			   "the table set did not"
		    : "the hypervisor drops it: KVM_SET_CPUID2 took it, "
		      "KVM_GET_CPUID2 lacks it");
	}
	bool starts = !r->launch_failures;
	if (starts)
		SET(VCPUID_STAGE_LAUNCH, YES, "QEMU would start this CPU (check)");
	else
		SET(VCPUID_STAGE_LAUNCH, NO, "QEMU would not start this CPU (check)");
	bool fin = kept && starts, was = out->final;
	SET(VCPUID_STAGE_FINAL, fin ? YES : NO, "the guest %s it",
	    fin ? "gets" : "does not get");
	out->final = fin;
	if ((fin && was) || (!kept && !was))
		return; /* the filter's answer and cause stand */
	const char *n = f->name;
	if (was && !kept) {
		out->decisive = VCPUID_STAGE_APPLIED;
		snprintf(out->cause, sizeof(out->cause), "%s: lost when applied: %s",
			 n, out->note[VCPUID_STAGE_APPLIED]);
	} else if (!starts) {
		out->decisive = VCPUID_STAGE_LAUNCH;
		snprintf(out->cause, sizeof(out->cause), "%s: QEMU would not start: "
			 "%.100s", n, r->first_launch_failure);
	} else {
		out->decisive = VCPUID_STAGE_APPLIED;
		snprintf(out->cause, sizeof(out->cause), "%s: present (%s)", n,
			 out->note[VCPUID_STAGE_APPLIED]);
	}
}

int vcpuid_explain(const vcpuid_host *host, const vcpuid_cpu *cpu,
		   const char *feature, vcpuid_explanation *out,
		   vcpuid_error *err)
{
	return vcpuid_explain_applied(host, cpu, NULL, feature, out, err);
}

int vcpuid_explain_applied(const vcpuid_host *host, const vcpuid_cpu *cpu,
			   const vcpuid_verify_result *applied,
			   const char *feature, vcpuid_explanation *out,
			   vcpuid_error *err)
{
	const vcpuid_feature *f = vcpuid_feature_lookup(feature, NULL);
	if (!f) {
		char s[128];
		vcpuid_feature_suggest(feature, s, sizeof(s));
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   "unknown feature '%s'%s%s%s", feature,
				   s[0] ? " (did you mean: " : "", s, s[0] ? "?)" : "");
	}
	explain_one(host, cpu, f, out);
	if (!strcmp(f->name, "avx10"))
		explain_avx10(host, cpu, out);
	if (applied)
		explain_kept(applied, out);
	return 0;
}

int vcpuid_explain_lost(const vcpuid_host *host, const vcpuid_cpu *cpu,
			vcpuid_explanation **out, size_t *n, vcpuid_error *err)
{
	return vcpuid_explain_lost_applied(host, cpu, NULL, out, n, err);
}

int vcpuid_explain_lost_applied(const vcpuid_host *host, const vcpuid_cpu *cpu,
				const vcpuid_verify_result *applied,
				vcpuid_explanation **out, size_t *n,
				vcpuid_error *err)
{
	size_t nf, cap = 0;
	const vcpuid_feature *all = vcpuid_features(&nf);
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < nf; i++) {
		const vcpuid_feature *f = &all[i];
		if (i && !strcmp(all[i - 1].name, f->name))
			continue; /* a name on several bits: explained once */
		vcpuid_explanation e;
		explain_one(host, cpu, f, &e);
		if (applied && e.wanted)
			explain_kept(applied, &e);
		/* kept, lost only because QEMU would not start: said once by
		 * the caller, not for every feature */
		if (e.final || !e.wanted || e.decisive == VCPUID_STAGE_USER ||
		    e.decisive == VCPUID_STAGE_LAUNCH)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			vcpuid_explanation *ne = realloc(*out, cap * sizeof(*ne));
			if (!ne) {
				free(*out);
				*out = NULL;
				return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
			}
			*out = ne;
		}
		(*out)[(*n)++] = e;
	}
	return 0;
}
