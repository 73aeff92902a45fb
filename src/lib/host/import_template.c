/* SPDX-License-Identifier: MIT */
/* import_template: Firecracker custom CPU templates and Cloud Hypervisor CPU
 * profiles read back, as templates and as hosts (docs/template.md); vmm.c
 * builds and writes them, vmm_template.c holds them. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "vmm_template.h"

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
				  vt_reg_lower);
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
					   leaf, sub, vt_reg_lower[k]);
		rc = vt_add_reg(t, rcap, (uint32_t)leaf, (uint32_t)sub, (uint32_t)sub,
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
	return vt_add_msr(t, mcap, (uint32_t)addr, val, mask, err);
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
				  vt_reg_upper);
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
					   vt_reg_upper[k]);
		uint32_t flags = first || last ? VCPUID_FLAG_SIGNIFICANT_INDEX : 0;
		rc = vt_add_reg(t, &rcap, (uint32_t)leaf, (uint32_t)first,
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
		if (vt_feature_msr(t->msrs[i].index) &&
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
