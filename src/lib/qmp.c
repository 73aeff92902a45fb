/* SPDX-License-Identifier: MIT */
/* qmp: QEMU's QMP answers about CPU models (include/vcpuid/qmp.h).
 * query-cpu-definitions and query-cpu-model-expansion come from the same
 * expansion and filter QEMU runs (expand.c, filter.c); the property lists
 * are data (data/qmp_props.def, data/features.def, data/xsave.def). */
#include <stdlib.h>
#include <string.h>
#include "stages.h"

/* ---- where a property's value comes from ---- */
enum qv {
	QV_VENDOR, QV_FAMILY, QV_MODEL, QV_STEPPING, QV_MODEL_ID,
	QV_LEVEL, QV_XLEVEL, QV_XLEVEL2, QV_MIN_LEVEL, QV_MIN_XLEVEL,
	QV_MIN_XLEVEL2, QV_LEVEL_FUNC7, QV_PMU, QV_HOST_PHYS_BITS,
	QV_MIGRATABLE, QV_HOST_CACHE_INFO, QV_LEGACY_CACHE, QV_CHECK,
	QV_ENFORCE, QV_KVM, QV_L3_CACHE, QV_CPUID_0XB, QV_VMWARE_CPUID_FREQ,
	QV_KVM_PV_ENFORCE_CPUID, QV_VENDOR_CPUID_ONLY,
	QV_FULL_CPUID_AUTO_LEVEL, QV_AVX10_VERSION, QV_FORCE_CPUID_0X1F,
	QV_CONST_
};

#define STATIC 1u
#define MAXONLY 2u

static const struct qmp_prop {
	const char *name;
	enum qv value;
	const char *json;	/* QV_CONST_: the value as JSON text */
	unsigned flags;
	uint16_t since, until;
} props[] = {
#define QV(field) QV_##field, NULL
#define QC(text) QV_CONST_, text
#define QMP_PROP(name, value, flags, since, until) \
	{ name, value, flags, since, until },
#include "data/qmp_props.def"
#undef QV
#undef QC
};

/* XSAVE components QEMU names by the feature that enables them
 * (x86_cpu_feature_name): XCR0 components only. */
static const struct xsave_row {
	uint8_t comp;
	enum vcpuid_word word;
	uint8_t bit;
	bool xss;
	uint16_t since, until;
} xsave_rows[] = {
#define XCR0 false
#define XSS true
#define XSAVE_AREA(c, w, b, k, m, si, un) { c, VCPUID_W_##w, b, k, si, un },
#include "data/xsave.def"
#undef XCR0
#undef XSS
};

/* A JSON literal jansson cannot hold, as dumped: "\u0001" then the text. */
#define RAW_MARK "\x01"
#define RAW_DUMPED "\"\\u0001"

static json_t *value_of(const struct qmp_prop *p, const vcpuid_cpu *c)
{
	switch (p->value) {
	case QV_VENDOR: return json_string(c->vendor);
	case QV_FAMILY: return json_integer(c->family);
	case QV_MODEL: return json_integer(c->model_num);
	case QV_STEPPING: return json_integer(c->stepping);
	case QV_MODEL_ID: return json_string(c->model_id);
	case QV_LEVEL: return json_integer(c->level);
	case QV_XLEVEL: return json_integer(c->xlevel);
	case QV_XLEVEL2: return json_integer(c->xlevel2);
	case QV_MIN_LEVEL: return json_integer(c->min_level);
	case QV_MIN_XLEVEL: return json_integer(c->min_xlevel);
	case QV_MIN_XLEVEL2: return json_integer(c->min_xlevel2);
	case QV_LEVEL_FUNC7: return json_integer(c->level_func7);
	case QV_PMU: return json_boolean(c->pmu);
	case QV_HOST_PHYS_BITS: return json_boolean(c->host_phys_bits);
	case QV_MIGRATABLE: return json_boolean(c->migratable);
	case QV_HOST_CACHE_INFO: return json_boolean(c->host_cache_info);
	case QV_LEGACY_CACHE: return json_boolean(!c->cache);
	case QV_CHECK: return json_boolean(c->check);
	case QV_ENFORCE: return json_boolean(c->enforce);
	case QV_KVM: return json_boolean(c->kvm);
	case QV_L3_CACHE: return json_boolean(c->l3_cache);
	case QV_CPUID_0XB: return json_boolean(!c->cpuid_0xb_off);
	case QV_VMWARE_CPUID_FREQ: return json_boolean(!c->vmware_cpuid_freq_off);
	case QV_KVM_PV_ENFORCE_CPUID: return json_boolean(c->kvm_pv_enforce_cpuid);
	case QV_VENDOR_CPUID_ONLY: return json_boolean(c->vendor_cpuid_only);
	case QV_FULL_CPUID_AUTO_LEVEL: return json_boolean(c->full_cpuid_auto_level);
	case QV_AVX10_VERSION:
		/* expansion does not filter: the version asked for */
		return json_integer(c->avx10_filtered ? c->avx10_asked
						      : c->avx10_version);
	case QV_FORCE_CPUID_0X1F: return json_boolean(c->force_cpuid_0x1f);
	case QV_CONST_: {
		json_t *v = json_loads(p->json, JSON_DECODE_ANY, NULL);
		if (v)
			return v;
		/* beyond jansson's integers (lbr-fmt is 2^64 - 64): a marked
		 * string that finish() turns back into the literal */
		char raw[64];
		snprintf(raw, sizeof(raw), RAW_MARK "%s", p->json);
		return json_string(raw);
	}
	}
	return NULL;
}

static bool feature_known(const vcpuid_feature *f, uint16_t qemu)
{
	return f->qemu_since <= qemu && vc_word_known(f->word, qemu);
}

/* The text QEMU prints, ending in a newline. */
static int finish(json_t *v, char **json, vcpuid_error *err)
{
	*json = NULL;
	char *s = v ? vj_dump(v) : NULL;
	json_decref(v);
	char *t = s ? realloc(s, strlen(s) + 2) : NULL;
	if (!t) {
		free(s);
		return vcpuid_fail(err, VCPUID_E_NOMEM, "qmp: out of memory");
	}
	strcat(t, "\n");
	/* unquote the marked literals in place: "\u0001TEXT" -> TEXT */
	for (char *m = strstr(t, RAW_DUMPED); m; m = strstr(m, RAW_DUMPED)) {
		char *lit = m + strlen(RAW_DUMPED), *end = strchr(lit, '"');
		if (!end)
			break;
		size_t n = (size_t)(end - lit);
		memmove(m, lit, n);
		memmove(m + n, end + 1, strlen(end + 1) + 1);
		m += n;
	}
	*json = t;
	return 0;
}

/* ---- query-cpu-model-expansion ---- */
static int add_features(json_t *pr, const vcpuid_cpu *c, bool full)
{
	uint16_t qemu = c->machine->qemu;
	size_t n;
	const vcpuid_feature *fs = vcpuid_features(&n);
	for (size_t i = 0; i < n; i++) {
		const vcpuid_feature *f = &fs[i];
		if (!feature_known(f, qemu))
			continue;
		bool on = c->requested[f->word] >> f->bit & 1;
		if (full) {
			/* one property for a name on several bits: on when
			 * all of them are (x86_cpu_get_bit_prop) */
			json_t *old = json_object_get(pr, f->name);
			if (old && !json_is_true(old))
				on = false;
		}
		/* static: each bit in turn, the last one stays
		 * (x86_cpu_to_dict's qdict_put_bool) */
		if (json_object_set_new(pr, f->name, json_boolean(on)))
			return -1;
	}
	if (!full)
		return 0;
	const vcpuid_alias *al = vcpuid_aliases(&n);
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(pr, al[i].name);
		if (v && json_object_set(pr, al[i].alias, v))
			return -1;
	}
	return 0;
}

static int add_props(json_t *pr, const vcpuid_cpu *c, bool full)
{
	uint16_t qemu = c->machine->qemu;
	for (size_t i = 0; i < ARRAY_SIZE(props); i++) {
		const struct qmp_prop *p = &props[i];
		if (p->since > qemu || p->until < qemu)
			continue;
		if (!full && !(p->flags & STATIC))
			continue;
		if ((p->flags & MAXONLY) && !c->is_max && !c->is_host)
			continue;
		json_t *v = value_of(p, c);
		if (!v || json_object_set_new(pr, p->name, v))
			return -1;
	}
	return 0;
}

int vcpuid_qmp_cpu_model_expansion(const vcpuid_host *host, const char *spec,
				   const char *machine,
				   enum vcpuid_qmp_expansion type, char **json,
				   vcpuid_error *err)
{
	*json = NULL;
	vcpuid_cpu c;
	memset(&c, 0, sizeof(c));
	int rc = vcpuid_cpu_expand(host, spec, machine, NULL, &c, err);
	if (rc && rc != VCPUID_E_ENFORCE) {
		vcpuid_cpu_free(&c);
		return rc;
	}
	/* full keeps the name as asked (the model part of the spec) */
	char name[64];
	size_t len = strcspn(spec, ",");
	snprintf(name, sizeof(name), "%.*s", (int)(len < sizeof(name) ? len : sizeof(name) - 1),
		 spec);
	bool full = type == VCPUID_QMP_FULL;
	json_t *root = json_object(), *model = json_object(), *pr = json_object();
	int bad = !root || !model || !pr;
	if (!bad)
		bad = add_features(pr, &c, full) || add_props(pr, &c, full);
	if (!bad) {
		json_object_set_new(model, "name", json_string(full ? name : "base"));
		json_object_set_new(model, "props", pr);
		pr = NULL;
		json_object_set_new(root, "model", model);
		model = NULL;
	}
	json_decref(pr);
	json_decref(model);
	vcpuid_cpu_free(&c);
	if (bad) {
		json_decref(root);
		return vcpuid_fail(err, VCPUID_E_NOMEM, "qmp: out of memory");
	}
	return finish(root, json, err);
}

/* ---- query-cpu-definitions ---- */
/* The name QEMU lists for a filtered bit (x86_cpu_feature_name), NULL when
 * it lists none. QEMU 7.2 names an XSAVE component by the feature that
 * enables it and lists an unnamed bit as an empty string; QEMU 11.1 lists
 * neither (query-cpu-definitions on faked hosts: mpx once, no XSS bits).
 * The release in between that changed it is taken to be 9.2, the one that
 * reworked the list for AVX10 (best effort). */
#define QMP_SKIPS_UNNAMED 902
static const char *filtered_name(enum vcpuid_word w, unsigned bit, uint16_t qemu)
{
	if (qemu >= QMP_SKIPS_UNNAMED &&
	    (w == VCPUID_W_XSAVE_XCR0_LO || w == VCPUID_W_XSAVE_XCR0_HI))
		return NULL;
	if (w == VCPUID_W_XSAVE_XCR0_LO || w == VCPUID_W_XSAVE_XCR0_HI) {
		unsigned comp = w == VCPUID_W_XSAVE_XCR0_HI ? bit + 32 : bit;
		for (size_t i = 0; i < ARRAY_SIZE(xsave_rows); i++) {
			const struct xsave_row *r = &xsave_rows[i];
			if (r->comp == comp && !r->xss && r->since <= qemu &&
			    qemu <= r->until) {
				w = r->word;
				bit = r->bit;
				break;
			}
		}
	}
	const vcpuid_feature *f = vcpuid_feature_at(w, bit);
	if (f && feature_known(f, qemu))
		return f->name;
	return qemu >= QMP_SKIPS_UNNAMED ? NULL : "";
}

static json_t *unavailable(const vcpuid_host *host, const vcpuid_cpu_type *t,
			   const vcpuid_machine *mc)
{
	json_t *a = json_array();
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	memset(&c, 0, sizeof(c));
	int rc = ve_expand(host, t->ref.name, mc->name, NULL, &c, &err);
	if (rc && rc != VCPUID_E_ENFORCE) {
		/* x86_cpu_class_check_missing_features: "kvm" when the type
		 * needs the host's CPUID and there is no KVM, else "type" */
		json_array_append_new(a, json_string(rc == VCPUID_E_NOKVM ? "kvm" : "type"));
	} else {
		for (size_t i = 0; i < c.nfiltered; i++) {
			const char *name = filtered_name(c.filtered_list[i].word,
							 c.filtered_list[i].bit,
							 mc->qemu);
			if (name)
				json_array_append_new(a, json_string(name));
		}
	}
	vcpuid_cpu_free(&c);
	return a;
}

int vcpuid_qmp_cpu_definitions(const vcpuid_host *host, const char *machine,
			       char **json, vcpuid_error *err)
{
	*json = NULL;
	const vcpuid_machine *mc = vcpuid_machine_find(machine);
	if (!mc)
		return vcpuid_fail(err, VCPUID_E_UNKNOWN, "unknown machine type '%s'",
				   machine);
	vcpuid_cpu_type *t;
	size_t n;
	int rc = vcpuid_cpu_types(mc, true, &t, &n, err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		const vcpuid_cpu_type *ty = &t[i];
		bool special = ty->ref.kind == VCPUID_TYPE_SPECIAL;
		char buf[96];
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(ty->ref.name));
		snprintf(buf, sizeof(buf), "%s-x86_64-cpu", ty->ref.name);
		json_object_set_new(o, "typename", json_string(buf));
		if (host)
			json_object_set_new(o, "unavailable-features",
					    unavailable(host, ty, mc));
		/* an alias names the version it stands for; a bare model name
		 * the version the machine type picks */
		if (ty->alias_of[0]) {
			json_object_set_new(o, "alias-of", json_string(ty->alias_of));
		} else if (ty->ref.kind == VCPUID_TYPE_AUTO && ty->ref.def) {
			snprintf(buf, sizeof(buf), "%s-v%d", ty->ref.def->name,
				 ty->ref.version);
			json_object_set_new(o, "alias-of", json_string(buf));
		}
		bool maxhost = special && (!strcmp(ty->ref.name, "max") ||
					   !strcmp(ty->ref.name, "host"));
		json_object_set_new(o, "static", json_boolean(
			special && !strcmp(ty->ref.name, "base")));
		json_object_set_new(o, "migration-safe", json_boolean(!maxhost));
		json_object_set_new(o, "deprecated", json_false());
		json_array_append_new(arr, o);
	}
	free(t);
	return finish(arr, json, err);
}

/* ---- comparison and baseline, in s390x's shape ---- */
int vcpuid_qmp_cpu_model_comparison(const vcpuid_comparison *c, char **json,
				    vcpuid_error *err)
{
	static const char *const result[] = {
		[VCPUID_IDENTICAL] = "identical",
		[VCPUID_SUPERSET] = "superset",
		[VCPUID_INCOMPATIBLE] = "incompatible",
	};
	json_t *o = json_object(), *rp = json_array();
	json_object_set_new(o, "result", json_string(result[c->verdict]));
	for (size_t i = 0; i < c->n; i++) {
		const vcpuid_reason *r = &c->r[i];
		if (!r->fatal)
			continue;
		/* a property once, in the order found */
		bool seen = false;
		size_t k;
		json_t *v;
		json_array_foreach(rp, k, v)
			seen |= !strcmp(json_string_value(v), r->what);
		if (!seen)
			json_array_append_new(rp, json_string(r->what));
	}
	json_object_set_new(o, "responsible-properties", rp);
	return finish(o, json, err);
}

int vcpuid_qmp_cpu_model_baseline(const vcpuid_baseline *b, char **json,
				  vcpuid_error *err)
{
	json_t *root = json_object(), *m = json_object(), *pr = json_object();
	char name[96];
	if (b->model)
		snprintf(name, sizeof(name), "%s-v%d", b->model->name, b->version);
	else
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(b->spec, ","), b->spec);
	json_object_set_new(m, "name", json_string(name));
	for (int pass = 0; pass < 2; pass++) {
		const uint64_t *words = pass ? b->minus : b->plus;
		for (int w = 0; w < VCPUID_NWORDS; w++)
			for (unsigned bit = 0; bit < 64; bit++) {
				if (!(words[w] >> bit & 1))
					continue;
				const vcpuid_feature *f = vcpuid_feature_at(w, bit);
				if (f)
					json_object_set_new(pr, f->name,
							    json_boolean(!pass));
			}
	}
	json_object_set_new(m, "props", pr);
	json_object_set_new(root, "model", m);
	return finish(root, json, err);
}
