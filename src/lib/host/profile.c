/* SPDX-License-Identifier: MIT */
/* profile: the host profile JSON format (docs/host-profile.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static const char *const reg_names[4] = { "eax", "ebx", "ecx", "edx" };

/* ---------------- writer ---------------- */

static int set(json_t *o, const char *k, json_t *v)
{
	return v ? json_object_set_new(o, k, v) : -1;
}

static json_t *table_json(const vcpuid_table *t)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < t->n; i++) {
		const vcpuid_cpuid_entry *e = &t->e[i];
		json_t *o = json_object();
		int bad = !o;
		bad |= set(o, "function", vj_hex32(e->function));
		bad |= set(o, "index", vj_hex32(e->index));
		bad |= set(o, "flags", vj_hex64(e->flags));
		for (int r = 0; r < 4; r++)
			bad |= set(o, reg_names[r], vj_hex32(e->reg[r]));
		if (bad || json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *kvm_json(const vcpuid_host *h)
{
	json_t *k = json_object();
	if (!k)
		return NULL;
	int bad = 0;
	bad |= set(k, "flavour", json_string(h->kvm_flavour));
	bad |= set(k, "api_version", json_integer(h->kvm_api_version));
	bad |= set(k, "supported_cpuid", table_json(&h->supported));
	bad |= set(k, "emulated_cpuid", table_json(&h->emulated));
	json_t *m = json_array();
	for (size_t i = 0; m && i < h->feature_msrs.n; i++) {
		json_t *o = json_object();
		int b = !o;
		b |= set(o, "index", vj_hex32(h->feature_msrs.m[i].index));
		b |= set(o, "value", vj_hex64(h->feature_msrs.m[i].value));
		bad |= b | json_array_append_new(m, o);
	}
	bad |= set(k, "feature_msrs", m);
	bad |= set(k, "xcomp_guest_supp", h->has_xcomp_guest_supp ?
			  vj_hex64(h->xcomp_guest_supp) : json_null());
	if (h->tsc_khz)
		bad |= set(k, "tsc_khz", json_integer(h->tsc_khz));
	json_t *l = json_array();
	for (size_t i = 0; l && i < h->n_msr_index_list; i++)
		bad |= json_array_append_new(l, vj_hex32(h->msr_index_list[i]));
	bad |= set(k, "msr_index_list", l);
	if (h->has_refused_msrs) {
		json_t *r = json_array();
		for (size_t i = 0; r && i < h->n_refused_msrs; i++)
			bad |= json_array_append_new(r, vj_hex32(h->refused_msrs[i]));
		bad |= set(k, "refused_msrs", r);
	}
	json_t *c = json_array();
	for (size_t i = 0; c && i < h->n_caps; i++) {
		json_t *o = json_object();
		int b = !o;
		b |= set(o, "name", json_string(h->caps[i].name));
		b |= set(o, "id", json_integer(h->caps[i].id));
		b |= set(o, "value", json_integer(h->caps[i].value));
		bad |= b | json_array_append_new(c, o);
	}
	bad |= set(k, "capabilities", c);
	if (bad) {
		json_decref(k);
		return NULL;
	}
	return k;
}

char *vcpuid_profile_to_json(const vcpuid_host *h)
{
	/* A lazily probed host fetches what it has not yet: a profile is
	 * the whole capture. */
	if (vp_host_fill(h, NULL))
		return NULL;
	json_t *root = json_object();
	if (!root)
		return NULL;
	int bad = 0;
	bad |= set(root, "format", json_string(VCPUID_PROFILE_FORMAT));
	bad |= set(root, "version", json_integer(VCPUID_PROFILE_VERSION));
	bad |= set(root, "source", json_string(h->source));
	bad |= set(root, "origin", json_string(h->origin));
	bad |= set(root, "kernel", json_string(h->kernel));
	bad |= set(root, "microcode",
		   h->has_microcode ? vj_hex64(h->microcode) : json_null());
	bad |= set(root, "cpuinfo_flags", h->cpuinfo_flags ?
			  json_string(h->cpuinfo_flags) : json_null());
	bad |= set(root, "raw_cpuid", h->has_raw ? table_json(&h->raw) : json_null());
	if (h->has_kvm) {
		bad |= set(root, "kvm", kvm_json(h));
	} else {
		bad |= set(root, "kvm", json_null());
		bad |= set(root, "kvm_absent", json_string(h->kvm_absent));
	}
	char *s = bad ? NULL : vj_dump(root);
	json_decref(root);
	if (!s)
		return NULL;
	/* end with a newline: the file is text */
	size_t n = strlen(s);
	char *out = realloc(s, n + 2);
	if (!out) {
		free(s);
		return NULL;
	}
	out[n] = '\n';
	out[n + 1] = 0;
	return out;
}

/* ---------------- reader ---------------- */

struct pctx {
	const char *file;
	vcpuid_error *err;
};

static int num_at(struct pctx *p, const json_t *obj, const char *path,
		  const char *key, bool required, uint64_t max, uint64_t *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!v && !required)
		return 0;
	/* The key's path is only needed for an error: a profile has
	 * thousands of numbers, so it is formatted only then. */
	if (v && !vj_u64(v, max, out, p->file, "", NULL))
		return 0;
	char what[160];
	snprintf(what, sizeof(what), "%s%s%s", path, *path ? "." : "", key);
	if (!v)
		return vcpuid_fail(p->err, VCPUID_E_PARSE,
				   "%s: %s: missing required key", p->file, what);
	return vj_u64(v, max, out, p->file, what, p->err);
}

static int str_at(struct pctx *p, const json_t *obj, const char *path,
		  const char *key, char *out, size_t outlen)
{
	const json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return vcpuid_fail(p->err, VCPUID_E_PARSE,
				   "%s: %s%s%s: expected a string", p->file, path,
				   *path ? "." : "", key);
	if (json_string_length(v) >= outlen)
		return vcpuid_fail(p->err, VCPUID_E_PARSE,
				   "%s: %s%s%s: longer than %zu characters",
				   p->file, path, *path ? "." : "", key, outlen - 1);
	snprintf(out, outlen, "%s", json_string_value(v));
	return 0;
}

static int array_at(struct pctx *p, const json_t *obj, const char *key,
		    const char *what, bool required, const json_t **out)
{
	const json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v) {
		if (required)
			return vcpuid_fail(p->err, VCPUID_E_PARSE,
					   "%s: %s: missing required key", p->file,
					   what);
		return 0;
	}
	if (!json_is_array(v))
		return vcpuid_fail(p->err, VCPUID_E_PARSE,
				   "%s: %s: expected an array", p->file, what);
	*out = v;
	return 0;
}

static int parse_table(struct pctx *p, const json_t *a, const char *what,
		       bool flags_required, vcpuid_table *t)
{
	size_t i;
	const json_t *o;
	json_array_foreach(a, i, o) {
		char path[96];
		snprintf(path, sizeof(path), "%s[%zu]", what, i);
		if (!json_is_object(o))
			return vcpuid_fail(p->err, VCPUID_E_PARSE,
					   "%s: %s: expected an object", p->file,
					   path);
		uint64_t f = 0, idx = 0, fl = 0, r[4] = { 0 };
		int rc = num_at(p, o, path, "function", true, UINT32_MAX, &f);
		if (!rc)
			rc = num_at(p, o, path, "index", true, UINT32_MAX, &idx);
		if (!rc)
			rc = num_at(p, o, path, "flags", flags_required,
				    UINT32_MAX, &fl);
		for (int k = 0; k < 4 && !rc; k++)
			rc = num_at(p, o, path, reg_names[k], true, UINT32_MAX,
				    &r[k]);
		if (rc)
			return rc;
		/* duplicates and the limits: vp_host_check, once all is read */
		if (!vcpuid_table_add(t, (uint32_t)f, (uint32_t)idx, (uint32_t)fl,
				      (uint32_t)r[0], (uint32_t)r[1],
				      (uint32_t)r[2], (uint32_t)r[3]))
			return vcpuid_fail(p->err, VCPUID_E_NOMEM, "out of memory");
	}
	return 0;
}

static int parse_msrs(struct pctx *p, const json_t *a, vcpuid_msr_list *l)
{
	size_t i;
	const json_t *o;
	json_array_foreach(a, i, o) {
		char path[64];
		snprintf(path, sizeof(path), "kvm.feature_msrs[%zu]", i);
		if (!json_is_object(o))
			return vcpuid_fail(p->err, VCPUID_E_PARSE,
					   "%s: %s: expected an object", p->file,
					   path);
		uint64_t idx = 0, val = 0;
		int rc = num_at(p, o, path, "index", true, UINT32_MAX, &idx);
		if (!rc)
			rc = num_at(p, o, path, "value", true, UINT64_MAX, &val);
		if (rc)
			return rc;
		if (vcpuid_msr_list_add(l, (uint32_t)idx, val))
			return vcpuid_fail(p->err, VCPUID_E_NOMEM, "out of memory");
	}
	return 0;
}

/* An array of MSR indexes (kvm.msr_index_list, kvm.refused_msrs). */
static int parse_index_list(struct pctx *p, const json_t *a, const char *key,
			    uint32_t **list, size_t *n_list)
{
	size_t n = json_array_size(a);
	*list = calloc(n ? n : 1, sizeof(uint32_t));
	if (!*list)
		return vcpuid_fail(p->err, VCPUID_E_NOMEM, "out of memory");
	size_t i;
	const json_t *v;
	json_array_foreach(a, i, v) {
		char what[64];
		uint64_t x;
		snprintf(what, sizeof(what), "kvm.%s[%zu]", key, i);
		int rc = vj_u64(v, UINT32_MAX, &x, p->file, what, p->err);
		if (rc)
			return rc;
		(*list)[(*n_list)++] = (uint32_t)x;
	}
	return 0;
}

static int parse_caps(struct pctx *p, const json_t *a, vcpuid_host *h)
{
	size_t n = json_array_size(a);
	if (n > VCPUID_MAX_CAPS) /* before the duplicate check below */
		return vp_limit_fail(p->err, p->file, "kvm.capabilities",
				     VCPUID_MAX_CAPS, "capabilities");
	h->caps = calloc(n ? n : 1, sizeof(*h->caps));
	if (!h->caps)
		return vcpuid_fail(p->err, VCPUID_E_NOMEM, "out of memory");
	size_t i;
	const json_t *o;
	json_array_foreach(a, i, o) {
		char path[64];
		snprintf(path, sizeof(path), "kvm.capabilities[%zu]", i);
		if (!json_is_object(o))
			return vcpuid_fail(p->err, VCPUID_E_PARSE,
					   "%s: %s: expected an object", p->file,
					   path);
		vcpuid_kvm_cap *c = &h->caps[h->n_caps];
		uint64_t id = 0;
		int rc = str_at(p, o, path, "name", c->name, sizeof(c->name));
		if (!rc && !c->name[0])
			rc = vcpuid_fail(p->err, VCPUID_E_PARSE,
					 "%s: %s.name: missing required key",
					 p->file, path);
		if (!rc)
			rc = num_at(p, o, path, "id", false, UINT32_MAX, &id);
		if (rc)
			return rc;
		c->id = (uint32_t)id;
		const json_t *v = json_object_get(o, "value");
		if (json_is_integer(v)) {
			c->value = json_integer_value(v);
		} else {
			uint64_t x = 0;
			rc = num_at(p, o, path, "value", true, INT64_MAX, &x);
			if (rc)
				return rc;
			c->value = (int64_t)x;
		}
		if (vcpuid_host_cap(h, c->name))
			return vcpuid_fail(p->err, VCPUID_E_PARSE,
					   "%s: %s: duplicate capability %s",
					   p->file, path, c->name);
		h->n_caps++;
	}
	return 0;
}

static int parse_kvm(struct pctx *p, const json_t *k, vcpuid_host *h)
{
	if (!json_is_object(k))
		return vcpuid_fail(p->err, VCPUID_E_PARSE,
				   "%s: kvm: expected an object or null", p->file);
	const json_t *a;
	int rc = str_at(p, k, "kvm", "flavour", h->kvm_flavour,
			sizeof(h->kvm_flavour));
	uint64_t api = 0;
	if (!rc)
		rc = num_at(p, k, "kvm", "api_version", false, INT32_MAX, &api);
	if (rc)
		return rc;
	h->kvm_api_version = (int)api;

	if ((rc = array_at(p, k, "supported_cpuid", "kvm.supported_cpuid", true, &a)) ||
	    (rc = parse_table(p, a, "kvm.supported_cpuid", true, &h->supported)))
		return rc;
	if ((rc = array_at(p, k, "emulated_cpuid", "kvm.emulated_cpuid", false, &a)) ||
	    (a && (rc = parse_table(p, a, "kvm.emulated_cpuid", true, &h->emulated))))
		return rc;
	if ((rc = array_at(p, k, "feature_msrs", "kvm.feature_msrs", true, &a)) ||
	    (rc = parse_msrs(p, a, &h->feature_msrs)))
		return rc;
	if ((rc = array_at(p, k, "msr_index_list", "kvm.msr_index_list", false, &a)) ||
	    (a && (rc = parse_index_list(p, a, "msr_index_list",
					 &h->msr_index_list,
					 &h->n_msr_index_list))))
		return rc;
	if ((rc = array_at(p, k, "refused_msrs", "kvm.refused_msrs", false, &a)) ||
	    (a && (rc = parse_index_list(p, a, "refused_msrs", &h->refused_msrs,
					 &h->n_refused_msrs))))
		return rc;
	h->has_refused_msrs = a != NULL;
	if ((rc = array_at(p, k, "capabilities", "kvm.capabilities", false, &a)) ||
	    (a && (rc = parse_caps(p, a, h))))
		return rc;

	const json_t *x = json_object_get(k, "xcomp_guest_supp");
	if (x && !json_is_null(x)) {
		rc = vj_u64(x, UINT64_MAX, &h->xcomp_guest_supp, p->file,
			    "kvm.xcomp_guest_supp", p->err);
		if (rc)
			return rc;
		h->has_xcomp_guest_supp = true;
	}
	const json_t *tk = json_object_get(k, "tsc_khz");
	if (tk && !json_is_null(tk)) {
		uint64_t v = 0;
		rc = vj_u64(tk, UINT32_MAX, &v, p->file, "kvm.tsc_khz", p->err);
		if (rc)
			return rc;
		h->tsc_khz = (uint32_t)v;
	}
	h->has_kvm = true;
	return 0;
}

static int parse_root(struct pctx *p, const json_t *root, vcpuid_host *h)
{
	const json_t *ver = json_object_get(root, "version");
	if (!ver)
		return vcpuid_fail(p->err, VCPUID_E_PARSE,
				   "%s: version: missing required key", p->file);
	uint64_t v = 0; /* a number, or a string holding one (docs) */
	if (vj_u64(ver, UINT32_MAX, &v, p->file, "version", NULL) ||
	    v != VCPUID_PROFILE_VERSION)
		return vcpuid_fail(p->err, VCPUID_E_PARSE,
				   "%s: version: unsupported host profile version "
				   "(this vcpuid reads version %d)",
				   p->file, VCPUID_PROFILE_VERSION);
	int rc = str_at(p, root, "", "source", h->source, sizeof(h->source));
	if (!rc)
		rc = str_at(p, root, "", "origin", h->origin, sizeof(h->origin));
	if (!rc)
		rc = str_at(p, root, "", "kernel", h->kernel, sizeof(h->kernel));
	if (rc)
		return rc;
	const json_t *mc = json_object_get(root, "microcode");
	if (mc && !json_is_null(mc)) {
		rc = vj_u64(mc, UINT64_MAX, &h->microcode, p->file, "microcode",
			    p->err);
		if (rc)
			return rc;
		h->has_microcode = true;
	}
	const json_t *fl = json_object_get(root, "cpuinfo_flags");
	if (fl && !json_is_null(fl)) {
		if (!json_is_string(fl))
			return vcpuid_fail(p->err, VCPUID_E_PARSE,
					   "%s: cpuinfo_flags: expected a string",
					   p->file);
		h->cpuinfo_flags = strdup(json_string_value(fl));
		if (!h->cpuinfo_flags)
			return vcpuid_fail(p->err, VCPUID_E_NOMEM, "out of memory");
	}

	const json_t *raw = json_object_get(root, "raw_cpuid");
	if (!raw)
		return vcpuid_fail(p->err, VCPUID_E_PARSE,
				   "%s: raw_cpuid: missing required key "
				   "(use null when there is none)", p->file);
	if (!json_is_null(raw)) {
		if (!json_is_array(raw))
			return vcpuid_fail(p->err, VCPUID_E_PARSE,
					   "%s: raw_cpuid: expected an array or null",
					   p->file);
		rc = parse_table(p, raw, "raw_cpuid", false, &h->raw);
		if (rc)
			return rc;
		h->has_raw = true;
	}

	const json_t *kvm = json_object_get(root, "kvm");
	if (!kvm)
		return vcpuid_fail(p->err, VCPUID_E_PARSE,
				   "%s: kvm: missing required key (use null and "
				   "\"kvm_absent\" when there is none)", p->file);
	if (json_is_null(kvm)) {
		rc = str_at(p, root, "", "kvm_absent", h->kvm_absent,
			    sizeof(h->kvm_absent));
		if (!rc && !h->kvm_absent[0])
			rc = vcpuid_fail(p->err, VCPUID_E_PARSE,
					 "%s: kvm_absent: missing required key "
					 "(kvm is null)", p->file);
		return rc;
	}
	return parse_kvm(p, kvm, h);
}

int vcpuid_profile_parse(const char *buf, size_t len, const char *name,
			 vcpuid_host *h, vcpuid_error *err)
{
	/* The plain form vcpuid writes is read without jansson; anything
	 * else (and every error) is this reader's. */
	vcpuid_host fast;
	int rc = vp_profile_parse_plain(buf, len, name, &fast, err);
	if (rc >= 0) {
		if (!rc)
			*h = fast;
		return rc;
	}
	json_t *root;
	if ((rc = vj_parse(buf, len, name, &root, err)))
		return rc;
	rc = vcpuid_profile_parse_json(root, name, h, err);
	json_decref(root);
	return rc;
}

int vcpuid_profile_parse_json(const json_t *root, const char *name,
			      vcpuid_host *h, vcpuid_error *err)
{
	const json_t *fmt = json_object_get(root, "format");
	if (!json_is_object(root) || !json_is_string(fmt) ||
	    strcmp(json_string_value(fmt), VCPUID_PROFILE_FORMAT))
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   "%s: not a vcpuid host profile (no \"format\": "
				   "\"" VCPUID_PROFILE_FORMAT "\")", name);
	struct pctx p = { name, err };
	vcpuid_host_init(h);
	int rc = parse_root(&p, root, h);
	if (!rc)
		rc = vp_host_check(h, name, err);
	if (rc)
		vcpuid_host_free(h);
	return rc;
}
