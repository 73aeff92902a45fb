/* SPDX-License-Identifier: MIT */
/* vcpuid summary --json: the summary as one JSON document
 * (docs/summary.md, docs/schema/summary.schema.json). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"
#include "summary_json.h"

void summary_vendor(const vcpuid_table *t, char v[13])
{
	const vcpuid_cpuid_entry *e = vcpuid_table_lookup(t, 0, 0);
	v[0] = 0;
	if (!e)
		return;
	memcpy(v, &e->reg[VCPUID_EBX], 4);
	memcpy(v + 4, &e->reg[VCPUID_EDX], 4);
	memcpy(v + 8, &e->reg[VCPUID_ECX], 4);
	v[12] = 0;
	for (int i = 0; i < 12; i++)
		if (v[i] < 0x20 || v[i] > 0x7e)
			v[i] = '?';
}

void summary_brand(const vcpuid_table *t, char b[49])
{
	b[0] = 0;
	if (vcpuid_table_reg(t, 0x80000000, 0, VCPUID_EAX) < 0x80000004)
		return;
	for (uint32_t l = 0; l < 3; l++)
		for (int r = 0; r < 4; r++) {
			uint32_t v = vcpuid_table_reg(t, 0x80000002 + l, 0, r);
			memcpy(b + l * 16 + r * 4, &v, 4);
		}
	b[48] = 0;
	char *s = b;
	while (*s == ' ')
		s++;
	memmove(b, s, strlen(s) + 1);
	for (char *p = b; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
}

static json_t *hex(uint64_t v)
{
	char s[24];
	snprintf(s, sizeof(s), "0x%" PRIx64, v);
	return json_string(s);
}

/* A string field, null when empty (unknown). */
static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *cpu_json(const vcpuid_table *t)
{
	char v[13] = "", b[49] = "";
	summary_vendor(t, v);
	summary_brand(t, b);
	uint32_t fam, mod, step;
	vcpuid_signature(vcpuid_table_reg(t, 1, 0, VCPUID_EAX), v, &fam, &mod, &step);
	json_t *o = json_object();
	json_object_set_new(o, "vendor", str_or_null(v));
	json_object_set_new(o, "family", json_integer(fam));
	json_object_set_new(o, "model", json_integer(mod));
	json_object_set_new(o, "stepping", json_integer(step));
	json_object_set_new(o, "brand", str_or_null(b));
	return o;
}

/* Every bit of mask in word w by name ("bitN" when unnamed). */
static json_t *names(enum vcpuid_word w, uint64_t mask)
{
	json_t *a = json_array();
	for (unsigned b = 0; b < 64; b++) {
		if (!(mask & (1ull << b)))
			continue;
		const vcpuid_feature *f = vcpuid_feature_at(w, b);
		char s[16];
		snprintf(s, sizeof(s), "bit%u", b);
		json_array_append_new(a, json_string(f ? f->name : s));
	}
	return a;
}

static json_t *differences(const vcpuid_host *h)
{
	vcpuid_words raw, sup;
	vcpuid_words_from_table(&h->raw, NULL, raw);
	vcpuid_words_from_table(&h->supported, NULL, sup);
	json_t *a = json_array();
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		const vcpuid_word_info *wi = vcpuid_word(w);
		if (wi->kind != VCPUID_WORD_CPUID || raw[w] == sup[w])
			continue;
		if (wi->leaf >= 0x40000000 && wi->leaf < 0x50000000)
			continue; /* the outer hypervisor's leaves, as the text */
		char loc[40];
		vcpuid_word_location(w, loc, sizeof(loc));
		json_t *o = json_object();
		json_object_set_new(o, "location", json_string(loc));
		json_object_set_new(o, "raw", hex(raw[w]));
		json_object_set_new(o, "supported", hex(sup[w]));
		json_object_set_new(o, "not_kvm", names(w, raw[w] & ~sup[w]));
		json_object_set_new(o, "kvm_only", names(w, sup[w] & ~raw[w]));
		json_array_append_new(a, o);
	}
	return a;
}

char *summary_json(const char *spec, const vcpuid_host *h)
{
	json_t *o = json_object();
	json_object_set_new(o, "host", json_string(spec));
	json_object_set_new(o, "source", str_or_null(h->source));
	json_object_set_new(o, "origin", str_or_null(h->origin));
	json_object_set_new(o, "cpu_raw", h->has_raw ? cpu_json(&h->raw) : json_null());
	json_object_set_new(o, "cpu_kvm", h->has_kvm ? cpu_json(&h->supported) : json_null());
	json_object_set_new(o, "kernel", str_or_null(h->kernel));
	json_object_set_new(o, "microcode", h->has_microcode ? hex(h->microcode) : json_null());
	json_t *k = json_null();
	if (h->has_kvm) {
		k = json_object();
		json_object_set_new(k, "flavour", str_or_null(h->kvm_flavour));
		json_object_set_new(k, "api_version", json_integer(h->kvm_api_version));
		json_object_set_new(k, "supported_entries", json_integer((json_int_t)h->supported.n));
		json_object_set_new(k, "emulated_entries", json_integer((json_int_t)h->emulated.n));
		json_t *m = json_array();
		for (size_t i = 0; i < h->feature_msrs.n; i++) {
			json_t *e = json_object();
			json_object_set_new(e, "index", hex(h->feature_msrs.m[i].index));
			json_object_set_new(e, "value", hex(h->feature_msrs.m[i].value));
			json_array_append_new(m, e);
		}
		json_object_set_new(k, "feature_msrs", m);
		json_object_set_new(k, "xcomp_guest_supp", h->has_xcomp_guest_supp ?
				    hex(h->xcomp_guest_supp) : json_null());
		json_object_set_new(k, "differences", h->has_raw ? differences(h) : json_null());
	}
	json_object_set_new(o, "kvm", k);
	json_object_set_new(o, "kvm_absent", h->has_kvm ? json_null() :
			    json_string(h->kvm_absent[0] ? h->kvm_absent : "not in this profile"));
	char *s = cli_json_text(o);
	json_decref(o);
	return s;
}
