/* SPDX-License-Identifier: MIT */
/* libvirt's host descriptions as hosts (--host FILE):
 * - <cpudata arch='x86'> (libvirt's tests/cputestdata): the CPUID
 *   instruction's answers, a raw-only host like the other dumps; its MSR
 *   values have no place in a host (vcpuid keeps KVM's feature MSRs only);
 * - `virsh domcapabilities` (the whole document or its <cpu> element): the
 *   host-model CPU becomes what KVM supports (its libvirt model's features,
 *   plus required, less disabled ones), feature-MSR bits as KVM's feature
 *   MSRs, the vendor in leaves 0 and 0x80000000, KVM's paravirtual leaf
 *   assumed (every bit QEMU 7.2 names), family/model/stepping the
 *   host-model's first signature. It cannot carry the raw CPUID, the real
 *   family/model/stepping, levels, cache and topology leaves, XSAVE
 *   sizes, KVM capabilities, nor any bit libvirt has no name for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "libvirt_dom.h"
#include "data/leaves.h"
#include "vcpuid/libvirt.h"

/* a number attribute: 0 and *ok false when absent or malformed */
static uint64_t num(const xmlNode *n, const char *name, bool need, bool *ok)
{
	char *v = (char *)xmlGetProp((xmlNode *)n, (const xmlChar *)name);
	uint64_t r = 0;
	if (!v) {
		if (need)
			*ok = false;
		return 0;
	}
	char *end;
	r = strtoull(v, &end, 0);
	if (end == v || *end)
		*ok = false;
	xmlFree(v);
	return r;
}

static int cpudata(const xmlNode *root, const char *name, vcpuid_host *h,
		   char **missing, vcpuid_error *err)
{
	size_t nmsr = 0;
	for (const xmlNode *c = root->children; c; c = c->next) {
		if (lx_is(c, "msr")) {
			nmsr++;
			continue;
		}
		if (!lx_is(c, "cpuid"))
			continue;
		bool ok = true;
		uint32_t leaf = (uint32_t)num(c, "eax_in", true, &ok);
		uint32_t sub = (uint32_t)num(c, "ecx_in", false, &ok);
		uint32_t r[4];
		static const char *const regs[] = { "eax", "ebx", "ecx", "edx" };
		for (int i = 0; i < 4; i++)
			r[i] = (uint32_t)num(c, regs[i], false, &ok);
		if (!ok)
			return vcpuid_fail(err, VCPUID_E_PARSE, "%s:%d: <cpuid> needs "
					   "eax_in and numbers", name, c->line);
		bool indexed = vcpuid_leaf_indexed(leaf) || sub;
		if (!vcpuid_table_add(&h->raw, leaf, sub,
				      indexed ? VCPUID_FLAG_SIGNIFICANT_INDEX : 0,
				      r[0], r[1], r[2], r[3]))
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	}
	if (!h->raw.n)
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s: <cpudata> without "
				   "<cpuid> entries", name);
	vcpuid_table_sort(&h->raw);
	h->has_raw = true;
	snprintf(h->origin, sizeof(h->origin), "libvirt-cpudata");
	snprintf(h->kvm_absent, sizeof(h->kvm_absent), "imported from libvirt "
		 "<cpudata> (the CPUID instruction only; no KVM data)");
	if (missing) {
		char buf[300];
		snprintf(buf, sizeof(buf), "KVM's supported CPUID, feature MSRs and "
			 "capabilities; the %zu MSR value(s) (vcpuid keeps only KVM's "
			 "feature MSRs)", nmsr);
		*missing = strdup(buf);
	}
	return 0;
}

static int domcaps(const xmlNode *cpu, const char *name, vcpuid_host *h,
		   char **missing, vcpuid_error *err)
{
	const xmlNode *hm = NULL;
	for (const xmlNode *c = cpu->children; c; c = c->next) {
		if (!lx_is(c, "mode"))
			continue;
		char *n = (char *)xmlGetProp((xmlNode *)c, (const xmlChar *)"name");
		if (n && !strcmp(n, "host-model"))
			hm = c;
		xmlFree(n);
	}
	const xmlNode *mn = lx_child(hm, "model");
	if (!mn)
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s: domain capabilities "
				   "without a host-model <model>", name);
	char *model = (char *)xmlNodeGetContent((xmlNode *)mn);
	const vcpuid_libvirt_model *lm = vcpuid_libvirt_model_find(model);
	int rc = lm ? 0 : vcpuid_fail(err, VCPUID_E_UNKNOWN, "%s: host-model '%s' "
				      "is not a libvirt 9.0 model", name, model);
	xmlFree(model);
	if (rc)
		return rc;
	vcpuid_words w;
	vcpuid_libvirt_model_words(lm, w);
	for (const xmlNode *c = hm->children; c; c = c->next) {
		if (!lx_is(c, "feature"))
			continue;
		char *fn = (char *)xmlGetProp((xmlNode *)c, (const xmlChar *)"name");
		char *pol = (char *)xmlGetProp((xmlNode *)c, (const xmlChar *)"policy");
		const vcpuid_libvirt_feature *lf = vcpuid_libvirt_feature_find(fn);
		if (!lf)
			rc = vcpuid_fail(err, VCPUID_E_UNKNOWN, "%s:%d: unknown libvirt "
					 "feature '%s'", name, c->line, fn ? fn : "");
		else if (lf->word >= 0) {
			if (pol && (!strcmp(pol, "disable") || !strcmp(pol, "forbid")))
				w[lf->word] &= ~(1ull << lf->bit);
			else
				w[lf->word] |= 1ull << lf->bit;
		}
		xmlFree(fn);
		xmlFree(pol);
		if (rc)
			return rc;
	}
	/* libvirt names no KVM paravirtual bit, yet domain capabilities for
	 * KVM come from a KVM host: assume the bits QEMU 7.2 names (every KVM
	 * since Linux 5.8 offers them) */
	size_t nf;
	const vcpuid_feature *cf = vcpuid_features(&nf);
	for (size_t i = 0; i < nf; i++)
		if (cf[i].word == VCPUID_W_KVM && cf[i].qemu_since <= 702)
			w[VCPUID_W_KVM] |= 1ull << cf[i].bit;
	char *vn = (char *)xmlNodeGetContent((xmlNode *)lx_child(hm, "vendor"));
	const char *vs = vcpuid_libvirt_vendor_string(vn);
	xmlFree(vn);
	char vendor[13] = "";
	if (vs)
		memcpy(vendor, vs, 12);
	/* the table KVM would answer: every CPUID word's register, leaves 0
	 * and 0x80000000 with the vendor and the highest leaf, XCR0 from the
	 * features that need XSAVE components */
	uint32_t maxb = 0xd, maxe = 0x80000008;
	for (int i = 0; i < VCPUID_NWORDS; i++) {
		const vcpuid_word_info *wi = vcpuid_word(i);
		if (wi->kind != VCPUID_WORD_CPUID || !w[i])
			continue;
		if (wi->leaf < 0x40000000 && wi->leaf > maxb)
			maxb = wi->leaf;
		if (wi->leaf >= 0x80000000 && wi->leaf < 0xC0000000 && wi->leaf > maxe)
			maxe = wi->leaf;
	}
	uint32_t v[3] = { 0 };
	memcpy(v, vendor, 12);
	uint64_t xcr0 = 0x3;
	static const struct { const char *feat; uint64_t bits; } xs[] = {
		{ "avx", 0x4 }, { "mpx", 0x18 }, { "avx512f", 0xe0 }, { "pku", 0x200 },
		{ "amx-tile", 0x60000 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(xs); i++) {
		enum vcpuid_word fw;
		uint64_t m = vcpuid_feature_mask(xs[i].feat, &fw);
		if (m && (w[fw] & m))
			xcr0 |= xs[i].bits;
	}
	bool ok = vcpuid_table_add(&h->supported, 0, 0, 0, maxb, v[0], v[2], v[1]) &&
		  vcpuid_table_add(&h->supported, 0x80000000, 0, 0, maxe, v[0], v[2], v[1]) &&
		  vcpuid_table_add(&h->supported, 0xd, 0, VCPUID_FLAG_SIGNIFICANT_INDEX,
				   (uint32_t)xcr0, 0, 0, (uint32_t)(xcr0 >> 32));
	for (int i = 0; ok && i < VCPUID_NWORDS; i++) {
		const vcpuid_word_info *wi = vcpuid_word(i);
		if (wi->kind == VCPUID_WORD_MSR) {
			if (w[i] && vcpuid_msr_list_add(&h->feature_msrs, wi->msr, w[i]))
				ok = false;
			continue;
		}
		if (wi->leaf == 0xd && wi->subleaf == 0)
			continue;	/* XCR0: above */
		vcpuid_cpuid_entry *e = vcpuid_table_find_mut(&h->supported, wi->leaf,
							      wi->subleaf);
		if (!e)
			e = vcpuid_table_add(&h->supported, wi->leaf, wi->subleaf,
					     vcpuid_leaf_indexed(wi->leaf) || wi->subleaf ?
					     VCPUID_FLAG_SIGNIFICANT_INDEX : 0,
					     0, 0, 0, 0);
		if (!e)
			ok = false;
		else
			e->reg[wi->reg] |= (uint32_t)w[i];
	}
	if (!ok)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	/* family/model/stepping: the host-model's first signature, so
	 * libvirt's decoding (which prefers a matching signature) comes out
	 * the same; 0 when the model has none */
	unsigned fam = 0, mod = 0, step = 0;
	if (sscanf(lm->signatures, "%u:%u:%u", &fam, &mod, &step) >= 2) {
		uint32_t sig = (step & 0xf) | (mod & 0xf) << 4 | (mod >> 4 & 0xf) << 16 |
			       (fam > 15 ? 0xfu << 8 | (fam - 15) << 20 : fam << 8);
		vcpuid_cpuid_entry *l1 = vcpuid_table_find_mut(&h->supported, 1, 0);
		if (l1)
			l1->reg[VCPUID_EAX] = sig;
	}
	/* leaf 7's subleaf count */
	vcpuid_cpuid_entry *l7 = vcpuid_table_find_mut(&h->supported, 7, 0);
	if (l7 && (vcpuid_table_find(&h->supported, 7, 2) ||
		   vcpuid_table_find(&h->supported, 7, 1)))
		l7->reg[VCPUID_EAX] = vcpuid_table_find(&h->supported, 7, 2) ? 2 : 1;
	vcpuid_table_sort(&h->supported);
	h->has_xcomp_guest_supp = true;
	h->xcomp_guest_supp = xcr0;
	h->kvm_api_version = 12;
	h->has_kvm = true;
	h->has_raw = false;
	snprintf(h->kvm_flavour, sizeof(h->kvm_flavour), "%s",
		 !strcmp(vendor, "GenuineIntel") ? "kvm_intel" :
		 *vendor ? "kvm_amd" : "");
	snprintf(h->origin, sizeof(h->origin), "libvirt-domcaps");
	if (missing)
		*missing = strdup("the raw CPUID, family/model/stepping, CPUID levels, "
				  "cache and topology leaves, XSAVE sizes, KVM "
				  "capabilities, feature-MSR values beyond the named "
				  "bits, and every bit libvirt has no name for");
	return 0;
}

int vcpuid_libvirt_host_load_mem(const char *buf, size_t len, vcpuid_host *h,
				 char **missing, vcpuid_error *err)
{
	if (missing)
		*missing = NULL;
	xmlDoc *doc;
	int rd = lx_read(buf, len, "host.xml", &doc, err);
	if (rd)
		return rd;
	const char *name = h->source[0] ? h->source : "libvirt XML";
	const xmlNode *root = xmlDocGetRootElement(doc);
	int rc;
	if (lx_is(root, "cpudata"))
		rc = cpudata(root, name, h, missing, err);
	else if (lx_is(root, "domainCapabilities") && lx_child(root, "cpu"))
		rc = domcaps(lx_child(root, "cpu"), name, h, missing, err);
	else if (lx_is(root, "cpu") && lx_child(root, "mode"))
		rc = domcaps(root, name, h, missing, err);
	else
		rc = vcpuid_fail(err, VCPUID_E_UNKNOWN, "%s: XML, but neither libvirt "
				 "<cpudata> nor domain capabilities", name);
	xmlFreeDoc(doc);
	return rc;
}
