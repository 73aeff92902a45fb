/* SPDX-License-Identifier: MIT */
/* compare: can a host run a guest CPU; migrate-check: can a guest move from
 * one host to another with an identical CPUID and feature-MSR view. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "host/query.h"
#include "vcpuid/fleet.h"
#include "vcpuid/upgrade.h"
#include "vcpuid/level.h"

enum rule { KEEP, MAY_ADD, TOLERATE_IF };
static const struct msr_rule {
	uint32_t msr;
	uint64_t mask;
	enum rule rule;
	uint64_t cond;
	const char *why;
} msr_rules[] = {
#define MSR_RULE(msr, mask, rule, cond, why) { msr, mask, rule, cond, why },
#include "data/msr_rules.def"
#undef MSR_RULE
};

const char *vcpuid_verdict_name(enum vcpuid_verdict v)
{
	switch (v) {
	case VCPUID_IDENTICAL: return "IDENTICAL";
	case VCPUID_SUPERSET: return "SUPERSET";
	default: return "INCOMPATIBLE";
	}
}

void vcpuid_comparison_free(vcpuid_comparison *c)
{
	free(c->r);
	memset(c, 0, sizeof(*c));
}

__attribute__((format(printf, 5, 6)))
static void add_reason(vcpuid_comparison *c, enum vcpuid_reason_kind kind,
		       bool fatal, const char *what, const char *fmt, ...)
{
	vcpuid_reason *nr = realloc(c->r, (c->n + 1) * sizeof(*nr));
	if (!nr)
		return;
	c->r = nr;
	vcpuid_reason *r = &c->r[c->n++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->fatal = fatal;
	snprintf(r->what, sizeof(r->what), "%s", what);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
	if (fatal)
		c->verdict = VCPUID_INCOMPATIBLE;
}

static void bit_name(enum vcpuid_word w, unsigned bit, char *buf, size_t len)
{
	const vcpuid_feature *f = vcpuid_feature_at(w, bit);
	char loc[32];
	vcpuid_word_location(w, loc, sizeof(loc));
	if (f)
		snprintf(buf, len, "%s", f->name);
	else
		snprintf(buf, len, "%s[bit %u]", loc, bit);
}

bool vcpuid_msr_value_ok(uint32_t msr, uint64_t guest, uint64_t host,
			 vcpuid_comparison *out)
{
	bool ok = true;
	int w = vcpuid_word_for_msr(msr);
	uint64_t missing = guest & ~host, added = host & ~guest;
	for (size_t i = 0; i < ARRAY_SIZE(msr_rules); i++) {
		const struct msr_rule *r = &msr_rules[i];
		if (r->msr != msr)
			continue;
		char name[48];
		bit_name(w, (unsigned)__builtin_ctzll(r->mask), name, sizeof(name));
		if (r->rule == MAY_ADD && (added & r->mask))
			add_reason(out, VCPUID_REASON_NOTE, false, name,
				   "MSR 0x%" PRIX32 " %s: %s", msr, name, r->why);
		if (r->rule == TOLERATE_IF && (missing & r->mask) &&
		    (host & r->cond) == r->cond) {
			add_reason(out, VCPUID_REASON_NOTE, false, name,
				   "MSR 0x%" PRIX32 " %s: %s", msr, name, r->why);
			missing &= ~r->mask;
		}
	}
	for (unsigned b = 0; b < 64; b++) {
		if (!(missing >> b & 1))
			continue;
		char name[48];
		bit_name(w, b, name, sizeof(name));
		add_reason(out, VCPUID_REASON_MSR_VALUE, true, name,
			   "MSR 0x%" PRIX32 " %s: the guest has it, the host value "
			   "0x%" PRIx64 " lacks it", msr, name, host);
		ok = false;
	}
	return ok;
}

/* ---- host facts ---- */
static const vcpuid_table *host_table(const vcpuid_host *h)
{
	return h->has_kvm ? &h->supported : hq_raw_all(h);
}

/* Bytes of XSAVE area the enabled XCR0 components need, from the host's
 * 0xD subleaves (offset + size of the furthest component). */
static uint32_t xsave_size(const vcpuid_table *t, uint64_t xcr0)
{
	uint32_t size = xcr0 ? 512 + 64 : 0;
	for (unsigned i = 2; i < 64; i++) {
		if (!(xcr0 >> i & 1))
			continue;
		const vcpuid_cpuid_entry *e = vcpuid_table_lookup(t, 0xD, i);
		if (e && e->reg[VCPUID_EBX] + e->reg[VCPUID_EAX] > size)
			size = e->reg[VCPUID_EBX] + e->reg[VCPUID_EAX];
	}
	return size;
}

static uint64_t guest_xcr0(const vcpuid_cpu *c)
{
	return c->features[VCPUID_W_XSAVE_XCR0_LO] |
	       c->features[VCPUID_W_XSAVE_XCR0_HI] << 32;
}

/* Highest leaf-7 subleaf the guest needs: any 7.1 / 7.2 word set. */
static uint32_t guest_leaf7_max(const vcpuid_cpu *c)
{
	uint32_t m = 0;
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		const vcpuid_word_info *wi = vcpuid_word(w);
		if (wi->kind == VCPUID_WORD_CPUID && wi->leaf == 7 &&
		    c->features[w] && wi->subleaf > m)
			m = wi->subleaf;
	}
	return m;
}

struct numeric {
	const char *name;
	uint32_t guest, host;
};

static void check_numerics(const struct numeric *n, size_t count,
			   vcpuid_comparison *out)
{
	for (size_t i = 0; i < count; i++)
		if (n[i].guest > n[i].host)
			add_reason(out, VCPUID_REASON_NUMERIC, true, n[i].name,
				   "%s: the guest needs 0x%" PRIx32 ", the host "
				   "offers 0x%" PRIx32, n[i].name, n[i].guest,
				   n[i].host);
}

static void add_filtered(const vcpuid_cpu *c, vcpuid_comparison *out)
{
	for (size_t i = 0; i < c->nfiltered; i++) {
		const vcpuid_filtered *f = &c->filtered_list[i];
		char name[48], loc[32];
		/* MSR words go through the value rules instead. */
		if (vcpuid_word(f->word)->kind == VCPUID_WORD_MSR)
			continue;
		bit_name(f->word, f->bit, name, sizeof(name));
		vcpuid_word_location(f->word, loc, sizeof(loc));
		add_reason(out, VCPUID_REASON_FEATURE, true, name,
			   "%s (%s[bit %u]): %s", name, loc, f->bit,
			   f->reason[0] ? f->reason : "the host cannot give it");
	}
	/* the AVX10 version: lowered to the host's, or set without avx10 */
	const vcpuid_feature *ax = c->machine ? vc_avx10(c->machine->qemu) : NULL;
	if (c->avx10_filtered && ax && (c->features[ax->word] >> ax->bit & 1))
		add_reason(out, VCPUID_REASON_FEATURE, true, "avx10-version",
			   "avx10-version: the host's KVM offers only avx10.%u, "
			   "less than the avx10.%u requested", c->avx10_version,
			   c->avx10_asked);
	else if (c->avx10_filtered)
		add_reason(out, VCPUID_REASON_FEATURE, true, "avx10-version",
			   "avx10-version: avx10.%u requested without avx10",
			   c->avx10_version);
}

int vcpuid_compare(const vcpuid_host *host, const char *spec,
		   const char *machine, vcpuid_comparison *out,
		   vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	vcpuid_cpu c;
	int rc = vcpuid_cpu_expand(host, spec, machine, NULL, &c, err);
	if (rc && rc != VCPUID_E_ENFORCE)
		return rc;
	out->verdict = VCPUID_IDENTICAL;
	out->level = vcpuid_level_of(c.requested);
	out->level_here = vcpuid_level_of(c.features);
	add_filtered(&c, out);

	char hv[13];
	vcpuid_host_vendor(host, hv);
	if (c.model && !c.model->generic && strcmp(c.model->vendor, hv))
		add_reason(out, VCPUID_REASON_VENDOR, true, "vendor",
			   "vendor: model %s is %s, the host is %s (QEMU would "
			   "show the guest the host's vendor)",
			   c.model->name, c.model->vendor, hv);

	const vcpuid_table *ht = host_table(host);
	struct numeric n[] = {
		{ "max basic leaf", c.level, vcpuid_table_reg(ht, 0, 0, VCPUID_EAX) },
		{ "max extended leaf", c.xlevel,
		  vcpuid_table_reg(ht, 0x80000000, 0, VCPUID_EAX) },
		{ "leaf 7 max subleaf", guest_leaf7_max(&c),
		  vcpuid_table_reg(ht, 7, 0, VCPUID_EAX) },
		{ "phys-bits", c.phys_bits, hq_phys_bits(host) },
		{ "XSAVE area size", xsave_size(ht, guest_xcr0(&c)),
		  vcpuid_table_reg(ht, 0xD, 0, VCPUID_ECX) },
	};
	check_numerics(n, ARRAY_SIZE(n), out);

	for (int w = 0; w < VCPUID_NWORDS; w++) {
		const vcpuid_word_info *wi = vcpuid_word(w);
		uint64_t hv64 = 0;
		if (wi->kind == VCPUID_WORD_MSR && c.requested[w]) {
			vcpuid_msr_list_get(&host->feature_msrs, wi->msr, &hv64);
			vcpuid_msr_value_ok(wi->msr, c.requested[w], hv64, out);
		}
		/* Named features the host offers beyond the guest. */
		for (unsigned b = 0; b < 64; b++)
			if ((c.supported[w] & ~c.features[w]) >> b & 1 &&
			    vcpuid_feature_at(w, b))
				out->nextra++;
	}
	if (out->verdict == VCPUID_IDENTICAL && out->nextra)
		out->verdict = VCPUID_SUPERSET;
	vcpuid_cpu_free(&c);
	return 0;
}

/* The tables themselves: what feature words do not cover (caches, XSAVE
 * sizes, topology, brand, unnamed bits, MSR values) must be equal too. */
static void compare_guests(const vcpuid_guest *a, const vcpuid_guest *b,
			   vcpuid_comparison *out)
{
	static const char *const regs[] = { "eax", "ebx", "ecx", "edx" };
	enum { MAX_REASONS = 16 };
	unsigned shown = 0, more = 0;
	char what[48];
	for (size_t v = 0; v < a->nvcpus && v < b->nvcpus; v++) {
		const vcpuid_table *ta = &a->vcpus[v].cpuid, *tb = &b->vcpus[v].cpuid;
		for (size_t i = 0; i < ta->n; i++) {
			const vcpuid_cpuid_entry *ea = &ta->e[i];
			const vcpuid_cpuid_entry *eb =
				vcpuid_table_find(tb, ea->function, ea->index);
			snprintf(what, sizeof(what), "0x%" PRIx32 ".%" PRIu32,
				 ea->function, ea->index);
			if (!eb) {
				if (shown++ < MAX_REASONS)
					add_reason(out, VCPUID_REASON_CPUID, true, what,
						   "vCPU %zu leaf %s: the destination "
						   "would not have it", v, what);
				else
					more++;
				continue;
			}
			for (int r = 0; r < 4; r++) {
				uint32_t diff = ea->reg[r] ^ eb->reg[r];
				int w = vcpuid_word_for_reg(ea->function, ea->index, r);
				if (w >= 0) /* named bits were reported above */
					for (unsigned bit = 0; bit < 32; bit++)
						if (vcpuid_feature_at(w, bit))
							diff &= ~(1u << bit);
				if (!diff)
					continue;
				if (shown++ >= MAX_REASONS) {
					more++;
					continue;
				}
				add_reason(out, VCPUID_REASON_CPUID, true, what,
					   "vCPU %zu leaf %s %s: 0x%08" PRIx32
					   " on the source, 0x%08" PRIx32
					   " on the destination", v, what, regs[r],
					   ea->reg[r], eb->reg[r]);
			}
		}
		for (size_t i = 0; i < tb->n; i++)
			if (!vcpuid_table_find(ta, tb->e[i].function, tb->e[i].index)) {
				snprintf(what, sizeof(what), "0x%" PRIx32 ".%" PRIu32,
					 tb->e[i].function, tb->e[i].index);
				if (shown++ < MAX_REASONS)
					add_reason(out, VCPUID_REASON_CPUID, true, what,
						   "vCPU %zu leaf %s: only the "
						   "destination would have it", v, what);
				else
					more++;
			}
		const vcpuid_msr_list *ma = &a->vcpus[v].msrs, *mb = &b->vcpus[v].msrs;
		for (size_t i = 0; i < ma->n; i++) {
			uint64_t vb = 0;
			bool has = vcpuid_msr_list_get(mb, ma->m[i].index, &vb);
			/* Feature-MSR words went through the value rules above. */
			if (vcpuid_word_for_msr(ma->m[i].index) >= 0 ||
			    (has && vb == ma->m[i].value))
				continue;
			snprintf(what, sizeof(what), "MSR 0x%" PRIX32, ma->m[i].index);
			if (shown++ < MAX_REASONS)
				add_reason(out, VCPUID_REASON_MSR_VALUE, true, what,
					   "vCPU %zu %s: 0x%" PRIx64 " on the source, %s",
					   v, what, ma->m[i].value,
					   has ? "different on the destination"
					       : "not written on the destination");
			else
				more++;
		}
	}
	if (more)
		add_reason(out, VCPUID_REASON_CPUID, true, "...",
			   "%u more table differences", more);
}

/* Different QEMU releases on the two sides: name the QEMU change behind
 * each table difference the upgrade alone makes (on the destination host),
 * as notes beside the differences compare_guests found. */
static void upgrade_notes(const vcpuid_host *to, const char *spec,
			  const char *machine, const char *to_machine,
			  const vcpuid_topology *topo, vcpuid_comparison *out)
{
	const vcpuid_machine *ma = vcpuid_machine_find(machine);
	const vcpuid_machine *mb = vcpuid_machine_find(to_machine);
	if (!ma || !mb || ma->qemu == mb->qemu)
		return;
	vcpuid_upgrade u;
	vcpuid_error e = { 0 };
	if (vcpuid_upgrade_check(to, spec, ma->name, ma->qemu, mb->qemu, topo,
				 &u, &e)) {
		add_reason(out, VCPUID_REASON_NOTE, false, "upgrade",
			   "QEMU %u.%u -> %u.%u: %s", ma->qemu / 100,
			   ma->qemu % 100, mb->qemu / 100, mb->qemu % 100, e.msg);
		return;
	}
	static const char *const regs[] = { "eax", "ebx", "ecx", "edx" };
	for (size_t i = 0; i < u.n; i++) {
		const vcpuid_upgrade_diff *d = &u.d[i];
		char where[48];
		if (d->kind == VCPUID_DIFF_MSR)
			snprintf(where, sizeof(where), "MSR 0x%x", d->msr);
		else if (d->kind == VCPUID_DIFF_ORDER)
			snprintf(where, sizeof(where), "entry order");
		else
			snprintf(where, sizeof(where), "0x%08x.0x%x %s",
				 d->function, d->index,
				 d->kind == VCPUID_DIFF_REG ? regs[d->reg]
				 : d->kind == VCPUID_DIFF_FLAGS ? "flags" : "entry");
		for (size_t k = 0; k < d->ncauses; k++) {
			const vcpuid_qemu_change *c = d->causes[k].change;
			char text[200];
			snprintf(text, sizeof(text), "%s changes with QEMU %u.%u: %s",
				 where, d->causes[k].qemu / 100,
				 d->causes[k].qemu % 100,
				 c ? c->what : "no recorded change");
			bool seen = false; /* per-vCPU values, one note */
			for (size_t j = 0; j < out->n && !seen; j++)
				seen = !strncmp(out->r[j].text, text,
						sizeof(out->r[j].text) - 1);
			if (seen)
				continue;
			add_reason(out, VCPUID_REASON_NOTE, false,
				   c ? c->id : "upgrade",
				   "%s changes with QEMU %u.%u: %s", where,
				   d->causes[k].qemu / 100, d->causes[k].qemu % 100,
				   c ? c->what : "no recorded change");
		}
	}
	vcpuid_upgrade_free(&u);
}

int vcpuid_migrate_check(const vcpuid_host *from, const vcpuid_host *to,
			 const char *spec, const char *machine,
			 const vcpuid_topology *topo, vcpuid_comparison *out,
			 vcpuid_error *err)
{
	return vcpuid_migrate_check_qemu(from, to, spec, machine, machine, topo,
					 out, err);
}

int vcpuid_migrate_check_qemu(const vcpuid_host *from, const vcpuid_host *to,
			      const char *spec, const char *machine,
			      const char *to_machine,
			      const vcpuid_topology *topo,
			      vcpuid_comparison *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	vcpuid_cpu a, b;
	int rc = vcpuid_cpu_expand(from, spec, machine, topo, &a, err);
	if (rc && rc != VCPUID_E_ENFORCE)
		return rc;
	rc = vcpuid_cpu_expand(to, spec, to_machine, topo, &b, err);
	if (rc && rc != VCPUID_E_ENFORCE) {
		vcpuid_cpu_free(&a);
		return rc;
	}
	out->verdict = VCPUID_IDENTICAL;

	if (strcmp(a.vendor, b.vendor))
		add_reason(out, VCPUID_REASON_VENDOR, true, "vendor",
			   "vendor: the guest sees %s, the destination would show %s",
			   a.vendor, b.vendor);
	struct { const char *name; uint32_t a, b; } ids[] = {
		{ "family", a.family, b.family },
		{ "model", a.model_num, b.model_num },
		{ "stepping", a.stepping, b.stepping },
		{ "max basic leaf", a.level, b.level },
		{ "max extended leaf", a.xlevel, b.xlevel },
		{ "phys-bits", a.phys_bits, b.phys_bits },
	};
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
		if (ids[i].a != ids[i].b)
			add_reason(out, VCPUID_REASON_NUMERIC, true, ids[i].name,
				   "%s: 0x%" PRIx32 " on the source, 0x%" PRIx32
				   " on the destination", ids[i].name, ids[i].a,
				   ids[i].b);
	if (strcmp(a.model_id, b.model_id))
		add_reason(out, VCPUID_REASON_CPUID, true, "model-id",
			   "model-id: \"%s\" on the source, \"%s\" on the destination",
			   a.model_id, b.model_id);

	for (int w = 0; w < VCPUID_NWORDS; w++) {
		const vcpuid_word_info *wi = vcpuid_word(w);
		uint64_t lost = a.features[w] & ~b.features[w];
		uint64_t gained = b.features[w] & ~a.features[w];
		if (wi->kind == VCPUID_WORD_MSR) {
			/* What the destination offers, under the value rules. */
			uint64_t hv = 0;
			vcpuid_msr_list_get(&to->feature_msrs, wi->msr, &hv);
			if (a.features[w])
				vcpuid_msr_value_ok(wi->msr, a.features[w], hv, out);
			lost = 0;
		}
		for (unsigned bit = 0; bit < 64; bit++) {
			char name[48];
			if (!((lost | gained) >> bit & 1))
				continue;
			bit_name(w, bit, name, sizeof(name));
			if (lost >> bit & 1)
				add_reason(out, VCPUID_REASON_FEATURE, true, name,
					   "%s: the guest has it, the destination "
					   "cannot give it", name);
			else
				add_reason(out, VCPUID_REASON_CPUID, true, name,
					   "%s: the destination would add it (the "
					   "guest's view would change)", name);
		}
	}
	vcpuid_cpu_free(&a);
	vcpuid_cpu_free(&b);

	/* Finally the per-vCPU tables and MSRs exactly as QEMU would hand
	 * them to KVM on each side. */
	vcpuid_guest ga, gb;
	vcpuid_error e2 = { 0 };
	if ((rc = vcpuid_guest_build(from, spec, machine, topo, &ga, &e2))) {
		add_reason(out, VCPUID_REASON_CPUID, true, "table",
			   "the source's table cannot be built: %s", e2.msg);
		return 0;
	}
	if ((rc = vcpuid_guest_build(to, spec, to_machine, topo, &gb, &e2))) {
		add_reason(out, VCPUID_REASON_CPUID, true, "table",
			   "the destination's table cannot be built: %s", e2.msg);
	} else {
		compare_guests(&ga, &gb, out);
		vcpuid_guest_free(&gb);
	}
	vcpuid_guest_free(&ga);
	upgrade_notes(to, spec, machine, to_machine, topo, out);
	return 0;
}
