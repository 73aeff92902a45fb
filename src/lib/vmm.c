/* SPDX-License-Identifier: MIT */
/* vmm: Firecracker custom CPU templates and Cloud Hypervisor CPU profiles
 * from a QEMU guest, and read back (docs/template.md). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

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

static const struct {
	uint32_t first, last;
} feature_msrs[] = {
#define FEATURE_MSR(first, last) { first, last },
#include "data/feature_msrs.def"
#undef FEATURE_MSR
};

static bool feature_msr(uint32_t idx)
{
	for (size_t i = 0; i < ARRAY_SIZE(feature_msrs); i++)
		if (idx >= feature_msrs[i].first && idx <= feature_msrs[i].last)
			return true;
	return false;
}

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

void vcpuid_template_free(vcpuid_template *t)
{
	if (!t)
		return;
	free(t->regs);
	free(t->msrs);
	memset(t, 0, sizeof(*t));
}

static int add_reg(vcpuid_template *t, size_t *cap, uint32_t leaf,
		   uint32_t first, uint32_t last, uint32_t flags,
		   enum vcpuid_reg reg, uint32_t value, uint32_t mask,
		   vcpuid_error *err)
{
	if (t->nregs == *cap) {
		size_t n = *cap ? *cap * 2 : 64;
		vcpuid_template_reg *r = realloc(t->regs, n * sizeof(*r));
		if (!r)
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		t->regs = r;
		*cap = n;
	}
	t->regs[t->nregs++] = (vcpuid_template_reg){
		.leaf = leaf, .first = first, .last = last, .flags = flags,
		.reg = reg, .value = value & mask, .mask = mask };
	return 0;
}

static int add_msr(vcpuid_template *t, size_t *cap, uint32_t index,
		   uint64_t value, uint64_t mask, vcpuid_error *err)
{
	if (t->nmsrs == *cap) {
		size_t n = *cap ? *cap * 2 : 16;
		vcpuid_template_msr *m = realloc(t->msrs, n * sizeof(*m));
		if (!m)
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		t->msrs = m;
		*cap = n;
	}
	t->msrs[t->nmsrs++] = (vcpuid_template_msr){
		.index = index, .value = value & mask, .mask = mask };
	return 0;
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
			int rc = add_reg(out, &rcap, h->function, h->index,
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
		if (!feature_msr(v->msrs.m[i].index))
			continue;
		int rc = add_msr(out, &mcap, v->msrs.m[i].index,
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

static json_t *bitmap(uint64_t value, uint64_t mask, unsigned bits)
{
	char s[2 + 64 + 1] = "0b";
	for (unsigned i = 0; i < bits; i++) {
		unsigned b = bits - 1 - i;
		s[2 + i] = !(mask >> b & 1) ? 'x' : (value >> b & 1) ? '1' : '0';
	}
	s[2 + bits] = 0;
	return json_string(s);
}

static json_t *hexs(uint64_t v)
{
	char b[24];
	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	return json_string(b);
}

static const char *const reg_lower[4] = { "eax", "ebx", "ecx", "edx" };
static const char *const reg_upper[4] = { "EAX", "EBX", "ECX", "EDX" };

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
		json_object_set_new(m, "register", json_string(reg_lower[r->reg]));
		json_object_set_new(m, "bitmap", bitmap(r->value, r->mask, 32));
		json_array_append_new(mods, m);
	}
	json_object_set_new(root, "cpuid_modifiers", cpuid);
	for (size_t i = 0; i < t->nmsrs; i++) {
		json_t *m = json_object();
		json_object_set_new(m, "addr", hexs(t->msrs[i].index));
		json_object_set_new(m, "bitmap",
				    bitmap(t->msrs[i].value, t->msrs[i].mask, 64));
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
		json_object_set_new(key, "register", json_string(reg_upper[r->reg]));
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

/* ---- reading ---- */

/* A Firecracker bitmap: "0b", then at most bits digits of 0, 1 or x, '_'
 * anywhere among them; missing leading digits are x. value gets the 1s,
 * mask the 0s and 1s. */
int vt_bitmap(const json_t *v, unsigned bits, uint64_t *value,
	      uint64_t *mask, const char *file, const char *what,
	      vcpuid_error *err)
{
	const char *s = json_string_value(v);
	*value = *mask = 0;
	if (!s || strncmp(s, "0b", 2))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: %s: expected a string \"0b\" and up to %u "
				   "digits of 0, 1 or x", file, what, bits);
	unsigned n = 0;
	uint64_t val = 0, m = 0;
	for (size_t i = 2; s[i]; i++) {
		char c = s[i];
		if (c == '_')
			continue;
		if (c != '0' && c != '1' && c != 'x' && c != 'X')
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: bad bitmap character '%c' at %zu",
					   file, what, c, i);
		if (++n > bits)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: more than %u digits", file,
					   what, bits);
		val = val << 1 | (c == '1');
		m = m << 1 | (c == '0' || c == '1');
	}
	*value = val;
	*mask = m;
	return 0;
}

static int num(const json_t *o, const char *key, bool required,
	       const char *path, uint64_t max, uint64_t *out, const char *file,
	       vcpuid_error *err)
{
	char what[128];
	snprintf(what, sizeof(what), "%s.%s", path, key);
	const json_t *v = json_object_get(o, key);
	if (!v) {
		if (!required)
			return 0;
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s: %s: missing required key",
				   file, what);
	}
	return vj_u64(v, max, out, file, what, err);
}

static int reg_index(const char *s, const char *const names[4])
{
	for (int k = 0; s && k < 4; k++)
		if (!strcmp(s, names[k]))
			return k;
	return -1;
}

static bool overlaps(const vcpuid_template *t, const vcpuid_template_reg *r)
{
	for (size_t i = 0; i < t->nregs; i++) {
		const vcpuid_template_reg *o = &t->regs[i];
		if (o->leaf == r->leaf && o->reg == r->reg &&
		    o->first <= r->last && r->first <= o->last)
			return true;
	}
	return false;
}

static int fc_cpuid(const json_t *o, size_t i, const char *file,
		    vcpuid_template *t, size_t *rcap, vcpuid_error *err)
{
	char path[64];
	snprintf(path, sizeof(path), "cpuid_modifiers[%zu]", i);
	if (!json_is_object(o))
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s: %s: expected an object",
				   file, path);
	uint64_t leaf, sub, flags = 0;
	int rc = num(o, "leaf", true, path, UINT32_MAX, &leaf, file, err);
	if (!rc)
		rc = num(o, "subleaf", true, path, UINT32_MAX, &sub, file, err);
	if (!rc)
		rc = num(o, "flags", false, path, UINT32_MAX, &flags, file, err);
	if (rc)
		return rc;
	const json_t *mods = json_object_get(o, "modifiers");
	if (!json_is_array(mods))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: %s.modifiers: expected an array", file, path);
	size_t j;
	const json_t *m;
	json_array_foreach(mods, j, m) {
		char what[128];
		snprintf(what, sizeof(what), "%s.modifiers[%zu]", path, j);
		if (!json_is_object(m))
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: expected an object", file, what);
		int k = reg_index(json_string_value(json_object_get(m, "register")),
				  reg_lower);
		if (k < 0)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s.register: expected eax, ebx, ecx "
					   "or edx", file, what);
		uint64_t val, mask;
		strncat(what, ".bitmap", sizeof(what) - strlen(what) - 1);
		rc = vt_bitmap(json_object_get(m, "bitmap"), 32, &val, &mask, file,
			       what, err);
		if (rc)
			return rc;
		vcpuid_template_reg r = { .leaf = (uint32_t)leaf,
					  .first = (uint32_t)sub,
					  .last = (uint32_t)sub,
					  .reg = (enum vcpuid_reg)k };
		if (overlaps(t, &r))
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: leaf 0x%" PRIx64 " subleaf 0x%"
					   PRIx64 " %s given twice", file, what,
					   leaf, sub, reg_lower[k]);
		rc = add_reg(t, rcap, (uint32_t)leaf, (uint32_t)sub, (uint32_t)sub,
			     (uint32_t)flags, (enum vcpuid_reg)k, (uint32_t)val,
			     (uint32_t)mask, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int fc_msr(const json_t *o, size_t i, const char *file,
		  vcpuid_template *t, size_t *mcap, vcpuid_error *err)
{
	char path[64];
	snprintf(path, sizeof(path), "msr_modifiers[%zu]", i);
	if (!json_is_object(o))
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s: %s: expected an object",
				   file, path);
	uint64_t addr, val, mask;
	int rc = num(o, "addr", true, path, UINT32_MAX, &addr, file, err);
	if (rc)
		return rc;
	char what[96];
	snprintf(what, sizeof(what), "%s.bitmap", path);
	rc = vt_bitmap(json_object_get(o, "bitmap"), 64, &val, &mask, file, what,
		       err);
	if (rc)
		return rc;
	for (size_t k = 0; k < t->nmsrs; k++)
		if (t->msrs[k].index == addr)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: MSR 0x%" PRIx64 " given twice",
					   file, path, addr);
	return add_msr(t, mcap, (uint32_t)addr, val, mask, err);
}

static int fc_caps(const json_t *caps, const char *file, vcpuid_template *t,
		   vcpuid_error *err)
{
	if (!caps)
		return 0;
	if (!json_is_array(caps))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: kvm_capabilities: expected an array", file);
	size_t i;
	const json_t *c;
	json_array_foreach(caps, i, c) {
		const char *s = json_string_value(c);
		bool neg = s && *s == '!';
		uint64_t v;
		if (!s || !vu_parse_num(s + neg, &v) || v > INT32_MAX)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: kvm_capabilities[%zu]: expected a "
					   "string \"N\" or \"!N\" (a KVM_CAP number)",
					   file, i);
		if (t->ncaps == ARRAY_SIZE(t->caps))
			return vcpuid_fail(err, VCPUID_E_LIMIT,
					   "%s: kvm_capabilities: more than %zu "
					   "(the limit)", file, ARRAY_SIZE(t->caps));
		t->caps[t->ncaps++] = neg ? -(int32_t)v : (int32_t)v;
	}
	return 0;
}

static int parse_firecracker(const json_t *root, const char *file,
			     vcpuid_template *t, vcpuid_error *err)
{
	const json_t *cpuid = json_object_get(root, "cpuid_modifiers");
	const json_t *msrs = json_object_get(root, "msr_modifiers");
	if (cpuid && !json_is_array(cpuid))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: cpuid_modifiers: expected an array", file);
	if (msrs && !json_is_array(msrs))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: msr_modifiers: expected an array", file);
	if (json_array_size(cpuid) > VCPUID_MAX_KVM_ENTRIES)
		return vp_limit_fail(err, file, "cpuid_modifiers",
				     VCPUID_MAX_KVM_ENTRIES, "CPUID entries");
	if (json_array_size(msrs) > VCPUID_MAX_MSRS)
		return vp_limit_fail(err, file, "msr_modifiers", VCPUID_MAX_MSRS,
				     "MSRs");
	size_t rcap = 0, mcap = 0, i;
	const json_t *o;
	json_array_foreach(cpuid, i, o) {
		int rc = fc_cpuid(o, i, file, t, &rcap, err);
		if (rc)
			return rc;
	}
	json_array_foreach(msrs, i, o) {
		int rc = fc_msr(o, i, file, t, &mcap, err);
		if (rc)
			return rc;
	}
	return fc_caps(json_object_get(root, "kvm_capabilities"), file, t, err);
}

static int parse_cloud_hypervisor(const json_t *root, const char *file,
				  vcpuid_template *t, vcpuid_error *err)
{
	const json_t *adj = json_object_get(root, "adjustments");
	const char *vendor = json_string_value(json_object_get(root, "cpu_vendor"));
	if (!json_is_array(adj))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: adjustments: expected an array", file);
	if (!vendor || (strcmp(vendor, "Intel") && strcmp(vendor, "AMD")))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: cpu_vendor: expected \"Intel\" or \"AMD\"",
				   file);
	snprintf(t->vendor, sizeof(t->vendor), "%s", vendor);
	if (json_array_size(adj) > 4 * VCPUID_MAX_KVM_ENTRIES)
		return vp_limit_fail(err, file, "adjustments",
				     4 * VCPUID_MAX_KVM_ENTRIES, "adjustments");
	size_t rcap = 0, i;
	const json_t *a;
	json_array_foreach(adj, i, a) {
		char path[64];
		snprintf(path, sizeof(path), "adjustments[%zu]", i);
		const json_t *key = json_array_get(a, 0), *val = json_array_get(a, 1);
		if (!json_is_array(a) || json_array_size(a) != 2 ||
		    !json_is_object(key) || !json_is_object(val))
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: expected [{leaf, sub_leaf, "
					   "register}, {replacements, mask}]", file,
					   path);
		char kp[80], sp[96];
		snprintf(kp, sizeof(kp), "%s[0]", path);
		snprintf(sp, sizeof(sp), "%s[0].sub_leaf", path);
		uint64_t leaf, first, last, rep, keep;
		const json_t *sub = json_object_get(key, "sub_leaf");
		if (!json_is_object(sub))
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: expected an object {start, end}",
					   file, sp);
		int rc = num(key, "leaf", true, kp, UINT32_MAX, &leaf, file, err);
		if (!rc)
			rc = num(sub, "start", true, sp, UINT32_MAX, &first, file, err);
		if (!rc)
			rc = num(sub, "end", true, sp, UINT32_MAX, &last, file, err);
		snprintf(kp, sizeof(kp), "%s[1]", path);
		if (!rc)
			rc = num(val, "replacements", true, kp, UINT32_MAX, &rep,
				 file, err);
		if (!rc)
			rc = num(val, "mask", true, kp, UINT32_MAX, &keep, file, err);
		if (rc)
			return rc;
		if (first > last)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: start 0x%" PRIx64 " after end 0x%"
					   PRIx64, file, sp, first, last);
		int k = reg_index(json_string_value(json_object_get(key, "register")),
				  reg_upper);
		if (k < 0)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s[0].register: expected EAX, EBX, "
					   "ECX or EDX", file, path);
		vcpuid_template_reg r = { .leaf = (uint32_t)leaf,
					  .first = (uint32_t)first,
					  .last = (uint32_t)last,
					  .reg = (enum vcpuid_reg)k };
		if (overlaps(t, &r))
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: leaf 0x%" PRIx64 " %s overlaps "
					   "an earlier adjustment", file, path, leaf,
					   reg_upper[k]);
		uint32_t flags = first || last ? VCPUID_FLAG_SIGNIFICANT_INDEX : 0;
		rc = add_reg(t, &rcap, (uint32_t)leaf, (uint32_t)first,
			     (uint32_t)last, flags, (enum vcpuid_reg)k,
			     (uint32_t)rep, ~(uint32_t)keep, err);
		if (rc)
			return rc;
	}
	/* a leaf with more than one subleaf range is indexed, subleaf 0 too */
	for (size_t a = 0; a < t->nregs; a++)
		for (size_t b = 0; b < t->nregs; b++)
			if (t->regs[a].leaf == t->regs[b].leaf &&
			    t->regs[a].first != t->regs[b].first)
				t->regs[a].flags = VCPUID_FLAG_SIGNIFICANT_INDEX;
	return 0;
}

int vcpuid_template_parse_json(const void *rootp, const char *name,
			       vcpuid_template *out, vcpuid_error *err)
{
	const json_t *root = rootp;
	memset(out, 0, sizeof(*out));
	int rc;
	if (json_is_object(root) && json_object_get(root, "adjustments") &&
	    json_object_get(root, "cpu_vendor")) {
		out->vmm = VCPUID_VMM_CLOUD_HYPERVISOR;
		rc = parse_cloud_hypervisor(root, name, out, err);
	} else if (json_is_object(root) &&
		   !json_object_get(root, "guest_cpu_config") &&
		   !json_object_get(root, "format") &&
		   (json_object_get(root, "cpuid_modifiers") ||
		    json_object_get(root, "msr_modifiers"))) {
		out->vmm = VCPUID_VMM_FIRECRACKER;
		rc = parse_firecracker(root, name, out, err);
	} else {
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   "%s: neither a Firecracker CPU template nor a "
				   "Cloud Hypervisor CPU profile", name);
	}
	if (rc)
		vcpuid_template_free(out);
	return rc;
}

int vcpuid_template_parse(const char *buf, size_t len, const char *name,
			  vcpuid_template *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	json_t *root;
	int rc = vj_parse(buf, len, name, &root, err);
	if (rc)
		return rc;
	rc = vcpuid_template_parse_json(root, name, out, err);
	json_decref(root);
	return rc;
}

int vcpuid_template_to_host(const vcpuid_template *t, const char *name,
			    vcpuid_host *h, vcpuid_error *err)
{
	vcpuid_host_init(h);
	for (size_t i = 0; i < t->nregs; i++) {
		const vcpuid_template_reg *r = &t->regs[i];
		vcpuid_cpuid_entry *e = vcpuid_table_find_mut(&h->supported,
							      r->leaf, r->first);
		if (!e)
			e = vcpuid_table_add(&h->supported, r->leaf, r->first,
					     r->flags, 0, 0, 0, 0);
		if (!e) {
			vcpuid_host_free(h);
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		}
		e->reg[r->reg] = r->value & r->mask;
	}
	if (h->supported.n > VCPUID_MAX_KVM_ENTRIES) {
		vcpuid_host_free(h);
		return vp_limit_fail(err, name, t->vmm == VCPUID_VMM_FIRECRACKER ?
				     "cpuid_modifiers" : "adjustments",
				     VCPUID_MAX_KVM_ENTRIES, "CPUID entries");
	}
	h->msr_index_list = calloc(t->nmsrs ? t->nmsrs : 1, sizeof(uint32_t));
	if (!h->msr_index_list) {
		vcpuid_host_free(h);
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < t->nmsrs; i++) {
		h->msr_index_list[h->n_msr_index_list++] = t->msrs[i].index;
		if (feature_msr(t->msrs[i].index) &&
		    vcpuid_msr_list_add(&h->feature_msrs, t->msrs[i].index,
					t->msrs[i].value & t->msrs[i].mask)) {
			vcpuid_host_free(h);
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		}
	}
	snprintf(h->origin, sizeof(h->origin), "%s",
		 t->vmm == VCPUID_VMM_FIRECRACKER ? "firecracker-template"
						  : "cloud-hypervisor-profile");
	snprintf(h->kvm_flavour, sizeof(h->kvm_flavour), "%s",
		 !strcmp(t->vendor, "AMD") ? "kvm_amd" :
		 !strcmp(t->vendor, "Intel") ? "kvm_intel" : "");
	h->kvm_api_version = 12;
	h->has_kvm = true;
	h->has_raw = false;
	int rc = vp_host_check(h, name, err);
	if (rc)
		vcpuid_host_free(h);
	return rc;
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
