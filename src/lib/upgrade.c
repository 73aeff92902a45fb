/* SPDX-License-Identifier: MIT */
/* upgrade: the same guest (-cpu, machine type, host, -smp) under two QEMU
 * releases, compared entry by entry and MSR by MSR; every release in
 * between is built too, so each difference is pinned to the step(s) that
 * made it and to the recorded change of that release (data/
 * qemu_changes.def) whose location matches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "vcpuid/upgrade.h"

/* where a change shows: register mask bits */
#define R_EAX 0x01u
#define R_EBX 0x02u
#define R_ECX 0x04u
#define R_EDX 0x08u
#define R_REGS 0x0fu
#define R_FLAGS 0x10u
#define R_ENTRY 0x20u
#define R_ORDER 0x40u
#define R_ANY 0x7fu
#define R_FEATURES 0x80u
#define R_INTEL 0x100u	   /* only for Intel / Zhaoxin vendor CPUs */
#define R_NOT_INTEL 0x200u /* only for the other vendors */
enum { K_CPUID, K_MSR };

/* The rows of data/qemu_changes.def twice: what changed (public) and where
 * it shows (rows[i] is where changes[i] shows). */
static const vcpuid_qemu_change changes[] = {
#define QEMU_CHANGE(id, q, kind, lo, hi, sublo, subhi, regs, what, src) \
	{ #id, q, what, src },
#include "data/qemu_changes.def"
};
static const struct change_row {
	int kind;
	uint32_t lo, hi, sublo, subhi;
	unsigned regs;
} rows[] = {
#define QEMU_CHANGE(id, q, kind, lo, hi, sublo, subhi, regs, what, src) \
	{ K_##kind, lo, hi, sublo, subhi, regs },
#include "data/qemu_changes.def"
};
_Static_assert(ARRAY_SIZE(changes) == ARRAY_SIZE(rows), "one row each");

const vcpuid_qemu_change *vcpuid_qemu_changes(size_t *count)
{
	*count = ARRAY_SIZE(changes);
	return changes;
}

void vcpuid_upgrade_free(vcpuid_upgrade *u)
{
	if (u) {
		free(u->d);
		u->d = NULL;
		u->n = 0;
	}
}

/* ---- one location's value in one vCPU's view ---- */
struct loc {
	enum vcpuid_diff_kind kind;
	uint32_t function, index, msr;
	enum vcpuid_reg reg;
};

static const vcpuid_cpuid_entry *entry_of(const vcpuid_vcpu *v, uint32_t fn,
					  uint32_t idx)
{
	for (size_t i = 0; i < v->cpuid.n; i++)
		if (v->cpuid.e[i].function == fn && v->cpuid.e[i].index == idx)
			return &v->cpuid.e[i];
	return NULL;
}

static bool msr_of(const vcpuid_vcpu *v, uint32_t msr, uint64_t *val)
{
	for (size_t i = 0; i < v->msrs.n; i++)
		if (v->msrs.m[i].index == msr) {
			*val = v->msrs.m[i].value;
			return true;
		}
	*val = 0;
	return false;
}

static bool same_order(const vcpuid_vcpu *a, const vcpuid_vcpu *b)
{
	if (a->cpuid.n != b->cpuid.n)
		return true; /* entry differences say it */
	for (size_t i = 0; i < a->cpuid.n; i++)
		if (a->cpuid.e[i].function != b->cpuid.e[i].function ||
		    a->cpuid.e[i].index != b->cpuid.e[i].index)
			return false;
	return true;
}

/* present + value of a location; for ORDER, value = the order differs
 * from `ref` */
static bool value_at(const vcpuid_vcpu *v, const struct loc *l, uint64_t *val)
{
	const vcpuid_cpuid_entry *e;
	*val = 0;
	switch (l->kind) {
	case VCPUID_DIFF_MSR:
		return msr_of(v, l->msr, val);
	case VCPUID_DIFF_ORDER:
		return true;
	default:
		e = entry_of(v, l->function, l->index);
		if (!e)
			return false;
		if (l->kind == VCPUID_DIFF_REG)
			*val = e->reg[l->reg];
		else if (l->kind == VCPUID_DIFF_FLAGS)
			*val = e->flags;
		return true;
	}
}

/* ---- naming bits ---- */
static void name_bits(vcpuid_upgrade_diff *d)
{
	int w = d->kind == VCPUID_DIFF_MSR ? vcpuid_word_for_msr(d->msr)
		: d->kind == VCPUID_DIFF_REG
			? vcpuid_word_for_reg(d->function, d->index, d->reg)
			: -1;
	d->bits[0] = 0;
	if (w < 0)
		return;
	size_t len = 0;
	for (unsigned b = 0; b < 64; b++) {
		bool was = d->from >> b & 1, is = d->to >> b & 1;
		if (was == is)
			continue;
		const vcpuid_feature *f = vcpuid_feature_at(w, b);
		char one[48];
		if (f && f->bit == b)
			snprintf(one, sizeof(one), "%c%s", is ? '+' : '-', f->name);
		else
			snprintf(one, sizeof(one), "%c[%u]", is ? '+' : '-', b);
		int k = snprintf(d->bits + len, sizeof(d->bits) - len, "%s%s",
				 len ? " " : "", one);
		if (k < 0 || (size_t)k >= sizeof(d->bits) - len)
			break;
		len += (size_t)k;
	}
}

/* ---- collecting the differences of vCPU i ---- */
struct diffs {
	vcpuid_upgrade_diff *d;
	size_t n, cap;
};

static int add(struct diffs *ds, const struct loc *l, bool in_a, uint64_t a,
	       bool in_b, uint64_t b, unsigned vcpu, bool visible)
{
	uint64_t bit = 1ull << (vcpu < 63 ? vcpu : 63);
	for (size_t i = 0; i < ds->n; i++) { /* the same change on another vCPU */
		vcpuid_upgrade_diff *d = &ds->d[i];
		if (d->kind == l->kind && d->function == l->function &&
		    d->index == l->index && d->reg == l->reg &&
		    d->msr == l->msr && d->in_from == in_a && d->in_to == in_b &&
		    d->from == a && d->to == b && d->visible == visible) {
			d->vcpus |= bit;
			return 0;
		}
	}
	if (ds->n == ds->cap) {
		size_t cap = ds->cap ? ds->cap * 2 : 32;
		vcpuid_upgrade_diff *p = realloc(ds->d, cap * sizeof(*p));
		if (!p)
			return VCPUID_E_NOMEM;
		ds->d = p;
		ds->cap = cap;
	}
	vcpuid_upgrade_diff *d = &ds->d[ds->n++];
	memset(d, 0, sizeof(*d));
	d->kind = l->kind;
	d->function = l->function;
	d->index = l->index;
	d->reg = l->reg;
	d->msr = l->msr;
	d->in_from = in_a;
	d->in_to = in_b;
	d->from = a;
	d->to = b;
	d->vcpus = bit;
	d->visible = visible;
	name_bits(d);
	return 0;
}

/* An entry only one side has: can the guest tell? */
static bool entry_visible(const vcpuid_cpuid_entry *x, const vcpuid_vcpu *other)
{
	if (!x->reg[0] && !x->reg[1] && !x->reg[2] && !x->reg[3])
		return false;
	if (x->flags & VCPUID_FLAG_SIGNIFICANT_INDEX)
		return true;
	for (size_t i = 0; i < other->cpuid.n; i++) {
		const vcpuid_cpuid_entry *y = &other->cpuid.e[i];
		if (y->function == x->function &&
		    !(y->flags & VCPUID_FLAG_SIGNIFICANT_INDEX) &&
		    !memcmp(y->reg, x->reg, sizeof(x->reg)))
			return false;
	}
	return true;
}

static int diff_vcpu(const vcpuid_vcpu *a, const vcpuid_vcpu *b, unsigned i,
		     struct diffs *ds)
{
	int rc = 0;
	/* entries of a, in a's order, then those only b has */
	for (size_t k = 0; k < a->cpuid.n + b->cpuid.n && !rc; k++) {
		const vcpuid_cpuid_entry *x = k < a->cpuid.n ? &a->cpuid.e[k]
							     : &b->cpuid.e[k - a->cpuid.n];
		const vcpuid_cpuid_entry *ea = entry_of(a, x->function, x->index);
		const vcpuid_cpuid_entry *eb = entry_of(b, x->function, x->index);
		if (k >= a->cpuid.n && ea)
			continue;
		struct loc l = { VCPUID_DIFF_ENTRY, x->function, x->index, 0, 0 };
		if (!ea || !eb) {
			rc = add(ds, &l, ea != NULL, 0, eb != NULL, 0, i,
				 entry_visible(x, ea ? b : a));
			continue;
		}
		l.kind = VCPUID_DIFF_FLAGS;
		if (ea->flags != eb->flags)
			rc = add(ds, &l, true, ea->flags, true, eb->flags, i, false);
		l.kind = VCPUID_DIFF_REG;
		for (int r = 0; r < 4 && !rc; r++)
			if (ea->reg[r] != eb->reg[r]) {
				l.reg = (enum vcpuid_reg)r;
				rc = add(ds, &l, true, ea->reg[r], true, eb->reg[r],
					 i, true);
			}
	}
	if (!rc && !same_order(a, b)) {
		struct loc l = { VCPUID_DIFF_ORDER, 0, 0, 0, 0 };
		rc = add(ds, &l, true, 0, true, 1, i, false);
	}
	for (size_t k = 0; k < a->msrs.n + b->msrs.n && !rc; k++) {
		uint32_t m = k < a->msrs.n ? a->msrs.m[k].index
					   : b->msrs.m[k - a->msrs.n].index;
		uint64_t va, vb;
		bool ia = msr_of(a, m, &va), ib = msr_of(b, m, &vb);
		if (k >= a->msrs.n && ia)
			continue;
		struct loc l = { VCPUID_DIFF_MSR, 0, 0, m, 0 };
		if (ia != ib || va != vb)
			rc = add(ds, &l, ia, va, ib, vb, i, true);
	}
	return rc;
}

/* ---- attributing ---- */
static bool row_matches(const struct change_row *r, const vcpuid_upgrade_diff *d,
			bool intel)
{
	if (r->regs & R_FEATURES)
		return false; /* the fallback, see cause() */
	if (((r->regs & R_INTEL) && !intel) || ((r->regs & R_NOT_INTEL) && intel))
		return false;
	if (d->kind == VCPUID_DIFF_MSR)
		return r->kind == K_MSR && r->lo <= d->msr && d->msr <= r->hi;
	if (r->kind != K_CPUID)
		return false;
	unsigned need = d->kind == VCPUID_DIFF_REG ? 1u << d->reg
			: d->kind == VCPUID_DIFF_FLAGS ? R_FLAGS
			: d->kind == VCPUID_DIFF_ENTRY ? R_ENTRY : R_ORDER;
	if (d->kind == VCPUID_DIFF_ORDER)
		return (r->regs & R_ORDER) != 0;
	return (r->regs & need) && r->lo <= d->function && d->function <= r->hi &&
	       r->sublo <= d->index && d->index <= r->subhi;
}

/* The rows of release q whose location matches d; when none does and the
 * step changed the CPU's feature words (features_changed), the release's
 * R_FEATURES row of d's kind; else an unnamed cause. */
static void cause(vcpuid_upgrade_diff *d, uint16_t q, bool features_changed,
		  bool intel)
{
	bool any = false;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		if (changes[i].qemu != q || !row_matches(&rows[i], d, intel))
			continue;
		any = true;
		if (d->ncauses < VCPUID_DIFF_MAX_CAUSES)
			d->causes[d->ncauses++] =
				(struct vcpuid_diff_cause){ q, &changes[i] };
	}
	for (size_t i = 0; !any && features_changed && i < ARRAY_SIZE(rows); i++)
		if (changes[i].qemu == q && (rows[i].regs & R_FEATURES) &&
		    rows[i].kind == (d->kind == VCPUID_DIFF_MSR ? K_MSR : K_CPUID)) {
			any = true;
			if (d->ncauses < VCPUID_DIFF_MAX_CAUSES)
				d->causes[d->ncauses++] =
					(struct vcpuid_diff_cause){ q, &changes[i] };
		}
	if (!any && d->ncauses < VCPUID_DIFF_MAX_CAUSES)
		d->causes[d->ncauses++] = (struct vcpuid_diff_cause){ q, NULL };
}

static unsigned first_vcpu(uint64_t set)
{
	unsigned i = 0;
	while (i < 63 && !(set >> i & 1))
		i++;
	return i;
}

int vcpuid_upgrade_check(const vcpuid_host *host, const char *spec,
			 const char *machine, uint16_t from_qemu,
			 uint16_t to_qemu, const vcpuid_topology *topo,
			 vcpuid_upgrade *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	size_t nr;
	const uint16_t *rel = vcpuid_qemu_releases(&nr);
	out->from = vcpuid_machine_in(machine, from_qemu);
	if (!out->from)
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   "machine type %s does not exist in QEMU %u.%u",
				   machine ? machine : "pc", from_qemu / 100,
				   from_qemu % 100);
	/* the type from_qemu picked, run by to_qemu */
	out->to = vcpuid_machine_in(out->from->name, to_qemu);
	if (!out->to)
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   "machine type %s does not exist in QEMU %u.%u",
				   out->from->name, to_qemu / 100, to_qemu % 100);
	/* the chain of releases from -> to, both included */
	uint16_t lo = from_qemu < to_qemu ? from_qemu : to_qemu;
	uint16_t hi = from_qemu < to_qemu ? to_qemu : from_qemu;
	vcpuid_guest g[16];
	uint16_t gq[16];
	size_t ng = 0;
	int rc = 0;
	for (size_t k = 0; k < nr && ng < 16; k++) {
		size_t i = from_qemu <= to_qemu ? k : nr - 1 - k;
		if (rel[i] < lo || rel[i] > hi || rel[i] < out->from->type)
			continue;
		char m[96];
		snprintf(m, sizeof(m), "%s@%u.%u", out->from->name,
			 rel[i] / 100, rel[i] % 100);
		vcpuid_error e2 = { 0 };
		bool end = rel[i] == from_qemu || rel[i] == to_qemu;
		rc = vcpuid_guest_build(host, spec, m, topo, &g[ng],
					end ? err : &e2);
		if (rc) {
			if (end)
				goto done;
			rc = 0; /* a release in between that refuses: skipped */
			continue;
		}
		gq[ng++] = rel[i];
	}
	snprintf(out->cpu, sizeof(out->cpu), "%s", g[0].cpu.name);
	/* the differences between the two ends */
	struct diffs ds = { 0 };
	const vcpuid_guest *a = &g[0], *b = &g[ng - 1];
	const char *vendor = a->cpu.vendor;
	bool intel = !strcmp(vendor, "GenuineIntel") ||
		     !strcmp(vendor, "CentaurHauls") ||
		     !strcmp(vendor, "  Shanghai  ");
	for (size_t i = 0; i < a->nvcpus && i < b->nvcpus && !rc; i++)
		rc = diff_vcpu(&a->vcpus[i], &b->vcpus[i], (unsigned)i, &ds);
	/* each difference: the steps where its location changed */
	for (size_t i = 0; i < ds.n && !rc; i++) {
		vcpuid_upgrade_diff *d = &ds.d[i];
		unsigned v = first_vcpu(d->vcpus);
		struct loc l = { d->kind, d->function, d->index, d->msr, d->reg };
		for (size_t s = 0; s + 1 < ng; s++) {
			uint64_t x, y;
			bool px, py;
			if (d->kind == VCPUID_DIFF_ORDER) {
				px = py = true;
				x = !same_order(&g[s].vcpus[v], &a->vcpus[v]);
				y = !same_order(&g[s + 1].vcpus[v], &a->vcpus[v]);
			} else {
				px = value_at(&g[s].vcpus[v], &l, &x);
				py = value_at(&g[s + 1].vcpus[v], &l, &y);
			}
			bool fc = memcmp(g[s].cpu.features, g[s + 1].cpu.features,
					 sizeof(g[s].cpu.features)) != 0;
			if (px != py || x != y)
				cause(d, from_qemu <= to_qemu ? gq[s + 1] : gq[s], fc,
				      intel);
		}
	}
	if (rc)
		free(ds.d);
	else {
		out->d = ds.d;
		out->n = ds.n;
		for (size_t i = 0; i < ds.n; i++)
			out->nvisible += ds.d[i].visible;
	}
done:
	for (size_t i = 0; i < ng; i++)
		vcpuid_guest_free(&g[i]);
	return rc;
}
