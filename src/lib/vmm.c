/* SPDX-License-Identifier: MIT */
/* vmm: Firecracker custom CPU templates and Cloud Hypervisor CPU profiles
 * from a QEMU guest, and read back (docs/template.md). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "vmm_template.h"

enum { FC = VCPUID_VMM_FIRECRACKER, CH = VCPUID_VMM_CLOUD_HYPERVISOR };
enum { ANY, INTEL, AMD };

static const struct owned {
	int vmm, vendor;
	uint32_t leaf, first, last;
	uint32_t mask[4];
} owned_table[] = {
#define VMM_OWNED(vmm, vendor, leaf, first, last, a, b, c, d, why) \
	{ vmm, vendor, leaf, first, last, { a, b, c, d } },
#include "data/vmm_owned.def"
#undef VMM_OWNED
};

static const struct vmm_cap {
	int vmm;
	int32_t cap;
	uint64_t xcr0;
	bool msrs;
} cap_table[] = {
#define VMM_CAP(vmm, cap, xcr0, msrs, why) { vmm, cap, xcr0, msrs },
#include "data/vmm_owned.def"
#undef VMM_CAP
};

uint32_t vcpuid_vmm_owned(vcpuid_vmm vmm, bool amd, uint32_t leaf,
			  uint32_t subleaf, enum vcpuid_reg reg)
{
	uint32_t m = 0;
	if ((unsigned)reg > VCPUID_EDX)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(owned_table); i++) {
		const struct owned *o = &owned_table[i];
		if (o->vmm != (int)vmm || o->leaf != leaf || subleaf < o->first ||
		    subleaf > o->last)
			continue;
		if (o->vendor == ANY || (o->vendor == AMD) == amd)
			m |= o->mask[reg];
	}
	return m;
}

static bool vendor_amd(const vcpuid_table *t)
{
	const vcpuid_cpuid_entry *l0 = vcpuid_table_lookup(t, 0, 0);
	/* "AuthenticAMD" / "HygonGenuine": EBX "Auth" / "Hygo" */
	return l0 && (l0->reg[VCPUID_EBX] == 0x68747541u ||
		      l0->reg[VCPUID_EBX] == 0x6f677948u);
}

int vcpuid_template_build(vcpuid_vmm vmm, const vcpuid_guest *g,
			  const vcpuid_host *host, vcpuid_template *out,
			  vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	out->vmm = vmm;
	if ((unsigned)vmm > VCPUID_VMM_CLOUD_HYPERVISOR)
		return vcpuid_fail(err, VCPUID_E_USAGE, "unknown VMM %d", (int)vmm);
	if (!g->nvcpus)
		return vcpuid_fail(err, VCPUID_E_USAGE, "the guest has no vCPU");
	if (!host->has_kvm)
		return vcpuid_fail(err, VCPUID_E_NOKVM,
				   "%s: no KVM part: a template starts from the "
				   "host's KVM table", host->source);
	const vcpuid_vcpu *v = &g->vcpus[0];
	bool amd = vendor_amd(&host->supported);
	snprintf(out->vendor, sizeof(out->vendor), "%s", amd ? "AMD" : "Intel");
	size_t rcap = 0, mcap = 0;
	/* the VMM starts from the host's KVM table: every leaf of it gets the
	 * guest's value, 0 where QEMU's guest has no such leaf */
	const vcpuid_table *base = &host->supported;
	for (size_t i = 0; i < base->n; i++) {
		const vcpuid_cpuid_entry *h = &base->e[i];
		if (vcpuid_table_find(base, h->function, h->index) != h)
			continue; /* a duplicate KVM would not return */
		const vcpuid_cpuid_entry *ge =
			vcpuid_table_lookup(&v->cpuid, h->function, h->index);
		for (int r = 0; r < 4; r++) {
			uint32_t mask = ~vcpuid_vmm_owned(vmm, amd, h->function,
							  h->index,
							  (enum vcpuid_reg)r);
			if (!mask)
				continue;
			int rc = vt_add_reg(out, &rcap, h->function, h->index,
					 h->index, h->flags, (enum vcpuid_reg)r,
					 ge ? ge->reg[r] : 0, mask, err);
			if (rc) {
				vcpuid_template_free(out);
				return rc;
			}
		}
	}
	/* guest leaves the VMM starts without: it cannot set them, unless
	 * they are its own */
	for (size_t i = 0; i < v->cpuid.n; i++) {
		const vcpuid_cpuid_entry *e = &v->cpuid.e[i];
		if (vcpuid_table_find(base, e->function, e->index))
			continue;
		for (int r = 0; r < 4; r++)
			if (e->reg[r] & ~vcpuid_vmm_owned(vmm, amd, e->function,
							  e->index,
							  (enum vcpuid_reg)r)) {
				out->nskipped++;
				break;
			}
	}
	/* feature MSRs: Firecracker's msr_modifiers; a Cloud Hypervisor
	 * profile's adjustments are CPUID only */
	for (size_t i = 0; vmm == VCPUID_VMM_FIRECRACKER && i < v->msrs.n; i++) {
		if (!vt_feature_msr(v->msrs.m[i].index))
			continue;
		int rc = vt_add_msr(out, &mcap, v->msrs.m[i].index,
				 v->msrs.m[i].value, UINT64_MAX, err);
		if (rc) {
			vcpuid_template_free(out);
			return rc;
		}
	}
	const vcpuid_cpuid_entry *d0 = vcpuid_table_find(&v->cpuid, 0xd, 0);
	uint64_t xcr0 = d0 ? (uint64_t)d0->reg[VCPUID_EDX] << 32 |
			     d0->reg[VCPUID_EAX] : 0;
	for (size_t i = 0; i < ARRAY_SIZE(cap_table); i++) {
		const struct vmm_cap *c = &cap_table[i];
		if (c->vmm == (int)vmm && ((xcr0 & c->xcr0) ||
					   (c->msrs && out->nmsrs)) &&
		    out->ncaps < ARRAY_SIZE(out->caps))
			out->caps[out->ncaps++] = c->cap;
	}
	return 0;
}

/* ---- writing ---- */

static json_t *hexs(uint64_t v)
{
	char b[24];
	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	return json_string(b);
}

static json_t *firecracker_json(const vcpuid_template *t)
{
	json_t *root = json_object(), *cpuid = json_array(), *msrs = json_array();
	if (t->ncaps) {
		json_t *caps = json_array();
		for (size_t i = 0; i < t->ncaps; i++) {
			char b[16];
			snprintf(b, sizeof(b), "%s%d", t->caps[i] < 0 ? "!" : "",
				 t->caps[i] < 0 ? -t->caps[i] : t->caps[i]);
			json_array_append_new(caps, json_string(b));
		}
		json_object_set_new(root, "kvm_capabilities", caps);
	}
	json_t *mods = NULL;
	for (size_t i = 0; i < t->nregs; i++) {
		const vcpuid_template_reg *r = &t->regs[i];
		if (!i || r->leaf != t->regs[i - 1].leaf ||
		    r->first != t->regs[i - 1].first) {
			json_t *e = json_object();
			json_object_set_new(e, "leaf", hexs(r->leaf));
			json_object_set_new(e, "subleaf", hexs(r->first));
			json_object_set_new(e, "flags", json_integer(r->flags));
			mods = json_array();
			json_object_set_new(e, "modifiers", mods);
			json_array_append_new(cpuid, e);
		}
		json_t *m = json_object();
		json_object_set_new(m, "register", json_string(vt_reg_lower[r->reg]));
		json_object_set_new(m, "bitmap", vt_bitmap_json(r->value, r->mask, 32));
		json_array_append_new(mods, m);
	}
	json_object_set_new(root, "cpuid_modifiers", cpuid);
	for (size_t i = 0; i < t->nmsrs; i++) {
		json_t *m = json_object();
		json_object_set_new(m, "addr", hexs(t->msrs[i].index));
		json_object_set_new(m, "bitmap",
				    vt_bitmap_json(t->msrs[i].value, t->msrs[i].mask, 64));
		json_array_append_new(msrs, m);
	}
	json_object_set_new(root, "msr_modifiers", msrs);
	return root;
}

static json_t *cloud_hypervisor_json(const vcpuid_template *t)
{
	json_t *root = json_object(), *adj = json_array();
	json_object_set_new(root, "hypervisor", json_string("Kvm"));
	json_object_set_new(root, "cpu_vendor", json_string(t->vendor));
	for (size_t i = 0; i < t->nregs; i++) {
		const vcpuid_template_reg *r = &t->regs[i];
		json_t *key = json_object(), *sub = json_object();
		json_object_set_new(key, "leaf", vj_hex32(r->leaf));
		json_object_set_new(sub, "start", json_integer(r->first));
		json_object_set_new(sub, "end", json_integer(r->last));
		json_object_set_new(key, "sub_leaf", sub);
		json_object_set_new(key, "register", json_string(vt_reg_upper[r->reg]));
		json_t *val = json_object();
		/* Cloud Hypervisor's mask keeps the bits it has (ours: sets) */
		json_object_set_new(val, "replacements", vj_hex32(r->value));
		json_object_set_new(val, "mask", vj_hex32(~r->mask));
		json_array_append_new(adj, json_pack("[oo]", key, val));
	}
	json_object_set_new(root, "adjustments", adj);
	return root;
}

char *vcpuid_template_to_json(const vcpuid_template *t)
{
	json_t *root = t->vmm == VCPUID_VMM_CLOUD_HYPERVISOR ?
			       cloud_hypervisor_json(t) : firecracker_json(t);
	char *s = root ? vj_dump(root) : NULL;
	json_decref(root);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *r = realloc(s, n + 2);
	if (!r) {
		free(s);
		return NULL;
	}
	r[n] = '\n';
	r[n + 1] = 0;
	return r;
}

/* ---- can a template run on a host (cpu-template-helper template verify:
 * every modifier is what the guest gets) ---- */

__attribute__((format(printf, 5, 6)))
static int reason(vcpuid_comparison *c, enum vcpuid_reason_kind kind,
		  bool fatal, const char *what, const char *fmt, ...)
{
	vcpuid_reason *nr = realloc(c->r, (c->n + 1) * sizeof(*nr));
	if (!nr)
		return -1;
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
	return 0;
}

static void feature_name(int w, unsigned bit, char *buf, size_t len)
{
	const vcpuid_feature *f = vcpuid_feature_at((enum vcpuid_word)w, bit);
	char loc[32];
	vcpuid_word_location((enum vcpuid_word)w, loc, sizeof(loc));
	if (f)
		snprintf(buf, len, "%s", f->name);
	else
		snprintf(buf, len, "%s[bit %u]", loc, bit);
}

int vcpuid_template_compare(const vcpuid_template *t, const vcpuid_host *host,
			    vcpuid_comparison *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!host->has_kvm)
		return vcpuid_fail(err, VCPUID_E_NOKVM,
				   "%s: no KVM part: a template is applied to the "
				   "host's KVM table", host->source);
	static const char *const rn[4] = { "eax", "ebx", "ecx", "edx" };
	int oom = 0;
	for (size_t i = 0; i < t->nregs && !oom; i++) {
		const vcpuid_template_reg *r = &t->regs[i];
		char what[48];
		snprintf(what, sizeof(what), "0x%x.0x%x", r->leaf, r->first);
		const vcpuid_cpuid_entry *h =
			vcpuid_table_find(&host->supported, r->leaf, r->first);
		if (!h) {
			/* Firecracker refuses a modifier of a leaf it lacks;
			 * report each leaf once */
			if (!i || t->regs[i - 1].leaf != r->leaf ||
			    t->regs[i - 1].first != r->first)
				oom = reason(out, VCPUID_REASON_CPUID, true, what,
					     "leaf 0x%x subleaf 0x%x: not in the "
					     "host's KVM table", r->leaf, r->first);
			continue;
		}
		int w = vcpuid_word_for_reg(r->leaf, r->first, r->reg);
		if (w < 0)
			continue; /* numbers: the template's value is the guest's */
		for (unsigned b = 0; b < 32 && !oom; b++) {
			uint32_t m = 1u << b;
			if (!(r->mask & m) || vcpuid_field_at((enum vcpuid_word)w, b))
				continue;
			char name[64];
			if ((r->value & m) && !(h->reg[r->reg] & m)) {
				feature_name(w, b, name, sizeof(name));
				oom = reason(out, VCPUID_REASON_FEATURE, true, name,
					     "%s (leaf 0x%x.0x%x %s bit %u): set by "
					     "the template, not offered by the "
					     "host's KVM", name, r->leaf, r->first,
					     rn[r->reg], b);
			} else if (!(r->value & m) && (h->reg[r->reg] & m)) {
				out->nextra++;
			}
		}
	}
	for (size_t i = 0; i < t->nmsrs && !oom; i++) {
		const vcpuid_template_msr *m = &t->msrs[i];
		char what[48];
		snprintf(what, sizeof(what), "MSR 0x%x", m->index);
		uint64_t hv;
		if (!vcpuid_msr_list_get(&host->feature_msrs, m->index, &hv)) {
			if (m->value)
				oom = reason(out, VCPUID_REASON_MSR_VALUE, true, what,
					     "MSR 0x%x: not a feature MSR of the "
					     "host's KVM", m->index);
			continue;
		}
		uint64_t extra = m->value & ~hv;
		if (extra)
			oom = reason(out, VCPUID_REASON_MSR_VALUE, true, what,
				     "MSR 0x%x: template bits 0x%" PRIx64 " not "
				     "offered by the host (0x%" PRIx64 ")",
				     m->index, extra, hv);
	}
	if (oom) {
		vcpuid_comparison_free(out);
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	}
	if (out->verdict != VCPUID_INCOMPATIBLE)
		out->verdict = out->nextra ? VCPUID_SUPERSET : VCPUID_IDENTICAL;
	return 0;
}
