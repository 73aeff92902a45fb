/* SPDX-License-Identifier: MIT */
/* import_firecracker: Firecracker CPU fingerprints as host profiles
 * (docs/host-profile.md, "Firecracker fingerprints"). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "vmm_template.h"

static const struct {
	uint32_t first, last;
} feature_msr_ranges[] = {
#define FEATURE_MSR(first, last) { first, last },
#include "data/feature_msrs.def"
#undef FEATURE_MSR
};

static bool is_feature_msr(uint32_t idx)
{
	for (size_t i = 0; i < ARRAY_SIZE(feature_msr_ranges); i++)
		if (idx >= feature_msr_ranges[i].first &&
		    idx <= feature_msr_ranges[i].last)
			return true;
	return false;
}

/* A fingerprint's bitmaps are full, but read as a template's are (vmm.c:
 * shortened, '_'-separated); x ("leave as is") reads as 0. */
static int parse_bitmap(const json_t *v, unsigned bits, uint64_t *out,
			const char *file, const char *what, vcpuid_error *err)
{
	uint64_t mask;
	return vt_bitmap(v, bits, out, &mask, file, what, err);
}

static int num(const json_t *o, const char *key, const char *path,
	       uint64_t max, uint64_t *out, const char *file, vcpuid_error *err)
{
	char what[96];
	snprintf(what, sizeof(what), "%s.%s", path, key);
	const json_t *v = json_object_get(o, key);
	if (!v)
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s: %s: missing required key",
				   file, what);
	return vj_u64(v, max, out, file, what, err);
}

static int cpuid_entry(const json_t *o, size_t i, const char *file,
		       vcpuid_host *h, vcpuid_error *err)
{
	char path[80];
	snprintf(path, sizeof(path), "guest_cpu_config.cpuid_modifiers[%zu]", i);
	if (!json_is_object(o))
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s: %s: expected an object",
				   file, path);
	uint64_t leaf, sub, flags = 0;
	int rc = num(o, "leaf", path, UINT32_MAX, &leaf, file, err);
	if (!rc)
		rc = num(o, "subleaf", path, UINT32_MAX, &sub, file, err);
	if (!rc && json_object_get(o, "flags"))
		rc = num(o, "flags", path, UINT32_MAX, &flags, file, err);
	if (rc)
		return rc;
	if (vcpuid_table_find(&h->supported, (uint32_t)leaf, (uint32_t)sub))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: %s: duplicate leaf 0x%" PRIx64
				   " subleaf 0x%" PRIx64, file, path, leaf, sub);
	const json_t *mods = json_object_get(o, "modifiers");
	if (!json_is_array(mods))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: %s.modifiers: expected an array", file, path);
	uint32_t reg[4] = { 0 };
	size_t j;
	const json_t *m;
	json_array_foreach(mods, j, m) {
		static const char *const names[4] = { "eax", "ebx", "ecx", "edx" };
		char what[128];
		snprintf(what, sizeof(what), "%s.modifiers[%zu]", path, j);
		const char *r = json_string_value(json_object_get(m, "register"));
		int k = 0;
		while (r && k < 4 && strcmp(r, names[k]))
			k++;
		if (!r || k == 4)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s.register: expected eax, ebx, ecx "
					   "or edx", file, what);
		uint64_t bits;
		strncat(what, ".bitmap", sizeof(what) - strlen(what) - 1);
		rc = parse_bitmap(json_object_get(m, "bitmap"), 32, &bits, file,
				  what, err);
		if (rc)
			return rc;
		reg[k] = (uint32_t)bits;
	}
	if (!vcpuid_table_add(&h->supported, (uint32_t)leaf, (uint32_t)sub,
			      (uint32_t)flags, reg[0], reg[1], reg[2], reg[3]))
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	return 0;
}

static int msr_entry(const json_t *o, size_t i, const char *file,
		     vcpuid_host *h, vcpuid_error *err)
{
	char path[80];
	snprintf(path, sizeof(path), "guest_cpu_config.msr_modifiers[%zu]", i);
	if (!json_is_object(o))
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s: %s: expected an object",
				   file, path);
	uint64_t addr, val;
	int rc = num(o, "addr", path, UINT32_MAX, &addr, file, err);
	if (rc)
		return rc;
	char what[96];
	snprintf(what, sizeof(what), "%s.bitmap", path);
	rc = parse_bitmap(json_object_get(o, "bitmap"), 64, &val, file, what, err);
	if (rc)
		return rc;
	for (size_t k = 0; k < h->n_msr_index_list; k++)
		if (h->msr_index_list[k] == addr)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: duplicate MSR 0x%" PRIx64, file,
					   path, addr);
	h->msr_index_list[h->n_msr_index_list++] = (uint32_t)addr;
	if (is_feature_msr((uint32_t)addr) &&
	    vcpuid_msr_list_add(&h->feature_msrs, (uint32_t)addr, val))
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	return 0;
}

static void copy_str(const json_t *root, const char *key, char *out, size_t n)
{
	const char *s = json_string_value(json_object_get(root, key));
	if (s)
		snprintf(out, n, "%s", s);
}

static int import(const json_t *root, const json_t *cfg, const char *file,
		  vcpuid_host *h, vcpuid_error *err)
{
	const json_t *cpuid = json_object_get(cfg, "cpuid_modifiers");
	const json_t *msrs = json_object_get(cfg, "msr_modifiers");
	if (msrs && !json_is_array(msrs))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: guest_cpu_config.msr_modifiers: expected "
				   "an array", file);
	/* the limits before the per-entry duplicate checks below;
	 * vp_host_check holds the result to the rest, as every reader */
	if (json_array_size(cpuid) > VCPUID_MAX_KVM_ENTRIES)
		return vp_limit_fail(err, file, "guest_cpu_config.cpuid_modifiers",
				     VCPUID_MAX_KVM_ENTRIES, "CPUID entries");
	if (json_array_size(msrs) > VCPUID_MAX_MSRS)
		return vp_limit_fail(err, file, "guest_cpu_config.msr_modifiers",
				     VCPUID_MAX_MSRS, "MSRs");
	size_t i;
	const json_t *o;
	json_array_foreach(cpuid, i, o) {
		int rc = cpuid_entry(o, i, file, h, err);
		if (rc)
			return rc;
	}
	size_t nm = json_array_size(msrs);
	h->msr_index_list = calloc(nm ? nm : 1, sizeof(uint32_t));
	if (!h->msr_index_list)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	json_array_foreach(msrs, i, o) {
		int rc = msr_entry(o, i, file, h, err);
		if (rc)
			return rc;
	}
	/* A fingerprint is its CPUID: without one it is a broken file (4),
	 * like a profile missing its tables, not a host with no CPU. */
	if (!json_array_size(cpuid))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: guest_cpu_config.cpuid_modifiers: empty "
				   "(a fingerprint needs at least one leaf)", file);

	copy_str(root, "kernel_version", h->kernel, sizeof(h->kernel));
	const json_t *mc = json_object_get(root, "microcode_version");
	if (mc && !json_is_null(mc)) {
		int rc = vj_u64(mc, UINT64_MAX, &h->microcode, file,
				"microcode_version", err);
		if (rc)
			return rc;
		h->has_microcode = true;
	}
	snprintf(h->origin, sizeof(h->origin), "firecracker");
	/* The fingerprints come from bare-metal hosts: the KVM module follows
	 * the vendor in leaf 0. */
	const vcpuid_cpuid_entry *l0 = vcpuid_table_lookup(&h->supported, 0, 0);
	char vendor[13] = "";
	if (l0) {
		memcpy(vendor, &l0->reg[VCPUID_EBX], 4);
		memcpy(vendor + 4, &l0->reg[VCPUID_EDX], 4);
		memcpy(vendor + 8, &l0->reg[VCPUID_ECX], 4);
		vendor[12] = 0;
	}
	snprintf(h->kvm_flavour, sizeof(h->kvm_flavour), "%s",
		 !strcmp(vendor, "GenuineIntel") ? "kvm_intel" :
		 !strcmp(vendor, "AuthenticAMD") || !strcmp(vendor, "HygonGenuine") ?
		 "kvm_amd" : "");
	/* KVM_X86_XCOMP_GUEST_SUPP is KVM's supported XCR0; Firecracker's
	 * leaf 0xD.0 EDX:EAX carries exactly that (it requests the AMX
	 * permission first), so take it from there. */
	const vcpuid_cpuid_entry *d0 = vcpuid_table_lookup(&h->supported, 0xd, 0);
	if (d0) {
		h->has_xcomp_guest_supp = true;
		h->xcomp_guest_supp = (uint64_t)d0->reg[VCPUID_EDX] << 32 |
				      d0->reg[VCPUID_EAX];
	}
	h->kvm_api_version = 12;
	h->has_kvm = true;
	h->has_raw = false;
	return vp_host_check(h, file, err);
}

int vcpuid_import_firecracker_json(const json_t *root, const char *name,
				   vcpuid_host *h, vcpuid_error *err)
{
	const json_t *cfg = json_object_get(root, "guest_cpu_config");
	if (!json_is_object(root) || !json_is_object(cfg) ||
	    !json_is_array(json_object_get(cfg, "cpuid_modifiers")))
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   "%s: not a Firecracker fingerprint (no "
				   "guest_cpu_config.cpuid_modifiers)", name);
	vcpuid_host_init(h);
	int rc = import(root, cfg, name, h, err);
	if (rc)
		vcpuid_host_free(h);
	return rc;
}

int vcpuid_import_firecracker(const char *buf, size_t len, const char *name,
			      vcpuid_host *h, vcpuid_error *err)
{
	json_t *root;
	int rc = vj_parse(buf, len, name, &root, err);
	if (rc)
		return rc;
	rc = vcpuid_import_firecracker_json(root, name, h, err);
	json_decref(root);
	return rc;
}
