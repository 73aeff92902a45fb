/* SPDX-License-Identifier: MIT */
/* profile: the host profile JSON format (docs/host-profile.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define PROFILE_FORMAT "vcpuid-host-profile"
#define PROFILE_VERSION 1

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
	if (h->lazy && vcpuid_host_complete((vcpuid_host *)h, NULL))
		return NULL;
	json_t *root = json_object();
	if (!root)
		return NULL;
	int bad = 0;
	bad |= set(root, "format", json_string(PROFILE_FORMAT));
	bad |= set(root, "version", json_integer(PROFILE_VERSION));
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
		if (vcpuid_table_find(t, (uint32_t)f, (uint32_t)idx))
			return vcpuid_fail(p->err, VCPUID_E_PARSE,
					   "%s: %s: duplicate entry for function "
					   "0x%" PRIx64 " index 0x%" PRIx64,
					   p->file, path, f, idx);
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
		if (vcpuid_msr_list_get(l, (uint32_t)idx, &val))
			return vcpuid_fail(p->err, VCPUID_E_PARSE,
					   "%s: %s: duplicate MSR 0x%" PRIx64,
					   p->file, path, idx);
		if (vcpuid_msr_list_add(l, (uint32_t)idx, val))
			return vcpuid_fail(p->err, VCPUID_E_NOMEM, "out of memory");
	}
	return 0;
}

static int parse_index_list(struct pctx *p, const json_t *a, vcpuid_host *h)
{
	size_t n = json_array_size(a);
	h->msr_index_list = calloc(n ? n : 1, sizeof(uint32_t));
	if (!h->msr_index_list)
		return vcpuid_fail(p->err, VCPUID_E_NOMEM, "out of memory");
	size_t i;
	const json_t *v;
	json_array_foreach(a, i, v) {
		char what[64];
		uint64_t x;
		snprintf(what, sizeof(what), "kvm.msr_index_list[%zu]", i);
		int rc = vj_u64(v, UINT32_MAX, &x, p->file, what, p->err);
		if (rc)
			return rc;
		h->msr_index_list[h->n_msr_index_list++] = (uint32_t)x;
	}
	return 0;
}

static int parse_caps(struct pctx *p, const json_t *a, vcpuid_host *h)
{
	size_t n = json_array_size(a);
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
	    (a && (rc = parse_index_list(p, a, h))))
		return rc;
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
	if (!json_is_integer(ver) || json_integer_value(ver) != PROFILE_VERSION)
		return vcpuid_fail(p->err, VCPUID_E_PARSE,
				   "%s: version: unsupported host profile version "
				   "(this vcpuid reads version %d)",
				   p->file, PROFILE_VERSION);
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

/* ---------------- fast reader ---------------- */
/* A profile as vcpuid writes it is read straight from its text, with no
 * jansson tree: building one (a hash table per object, a string per value)
 * was nearly all the time of loading a recorded host. This reader takes
 * only that plain form: the format's own keys, each once; ASCII strings
 * without escapes; numbers as strings vu_parse_num reads or as plain
 * integers; JSON whitespace. At anything else -- an escape, an unknown key,
 * a fraction, a duplicate, a value out of range, a syntax error -- it gives
 * up, and the jansson reader above reads the text again: every error
 * message, and every input it does not take, stay that reader's. It never
 * takes an input the jansson reader rejects, nor reads one differently
 * (tests/unit/test_profile.c holds it to that). */

struct fscan {
	const char *p, *end;
};

static void f_ws(struct fscan *s)
{
	const char *p = s->p;
	while (p < s->end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	s->p = p;
}

/* The next character (after whitespace), 0 at the end. */
static char f_peek(struct fscan *s)
{
	f_ws(s);
	return s->p < s->end ? *s->p : 0;
}

static bool f_lit(struct fscan *s, char c)
{
	if (f_peek(s) != c)
		return false;
	s->p++;
	return true;
}

static bool f_null(struct fscan *s)
{
	if (f_peek(s) != 'n' || s->end - s->p < 4 || memcmp(s->p, "null", 4))
		return false;
	s->p += 4;
	return true;
}

/* A string of printable ASCII without escapes: [*str, *str + *n). */
static bool f_str(struct fscan *s, const char **str, size_t *n)
{
	if (!f_lit(s, '"'))
		return false;
	const char *b = s->p, *q = memchr(b, '"', (size_t)(s->end - b));
	if (!q)
		return false;
	for (const char *c = b; c < q; c++)
		if (*c < 0x20 || *c > 0x7e || *c == '\\')
			return false;
	*str = b;
	*n = (size_t)(q - b);
	s->p = q + 1;
	return true;
}

/* A string or null into out (left empty for null), as str_at reads it. */
static bool f_text(struct fscan *s, char *out, size_t outlen)
{
	const char *str;
	size_t n;
	if (f_null(s))
		return true;
	if (!f_str(s, &str, &n) || n >= outlen)
		return false;
	memcpy(out, str, n);
	out[n] = 0;
	return true;
}

/* A JSON integer of at most 18 digits (no fraction, no exponent, no
 * leading zero), as jansson reads it. */
static bool f_int(struct fscan *s, int64_t *out)
{
	f_ws(s);
	const char *q = s->p;
	bool neg = q < s->end && *q == '-';
	q += neg;
	const char *d = q;
	uint64_t v = 0;
	while (q < s->end && *q >= '0' && *q <= '9' && q - d < 18)
		v = v * 10 + (uint64_t)(*q++ - '0');
	if (q == d || (*d == '0' && q - d > 1))
		return false;
	if (q < s->end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' ||
			   *q == 'E'))
		return false;
	s->p = q;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

/* A number as vj_u64 takes it: a non-negative integer or a string
 * vu_parse_num reads, at most max. */
static bool f_num(struct fscan *s, uint64_t max, uint64_t *out)
{
	if (f_peek(s) == '"') {
		const char *str;
		size_t n;
		char b[40];
		if (!f_str(s, &str, &n))
			return false;
		if (n >= 2 && str[0] == '0' && (str[1] == 'x' || str[1] == 'X'))
			return vu_parse_hex(str, n, out) && *out <= max;
		if (n >= sizeof(b))
			return false;
		memcpy(b, str, n);
		b[n] = 0;
		return vu_parse_num(b, out) && *out <= max;
	}
	int64_t i;
	if (!f_int(s, &i) || i < 0 || (uint64_t)i > max)
		return false;
	*out = (uint64_t)i;
	return true;
}

/* Before each member of an object (close '}') or element of an array
 * (close ']'): 1 one follows, 0 the end, -1 malformed. */
static int f_next(struct fscan *s, bool first, char close)
{
	if (f_lit(s, close))
		return 0;
	if (!first && !f_lit(s, ','))
		return -1;
	return 1;
}

/* The next key of an object, as its index in names[] (each seen once):
 * >= 0 a key and its ':', -1 the end of the object, -2 anything else. */
static int f_key(struct fscan *s, bool first, const char *const *names,
		 int count, unsigned *seen)
{
	int r = f_next(s, first, '}');
	if (r <= 0)
		return r ? -2 : -1;
	const char *k;
	size_t n;
	if (!f_str(s, &k, &n) || !f_lit(s, ':'))
		return -2;
	for (int i = 0; i < count; i++)
		if (n && names[i][0] == k[0] && !strncmp(names[i], k, n) &&
		    !names[i][n]) {
			if (*seen & 1u << i)
				return -2;
			*seen |= 1u << i;
			return i;
		}
	return -2;
}

#define F_EACH_KEY(s, names, seen, i)                                        \
	for (bool first_ = true;                                             \
	     ((i) = f_key(s, first_, names, (int)ARRAY_SIZE(names), &(seen))) >= 0; \
	     first_ = false)
#define F_EACH_ELEM(s, r)                                                    \
	for (bool first_ = true; ((r) = f_next(s, first_, ']')) > 0; first_ = false)

static const char *const entry_keys[] = { "function", "index", "flags", "eax",
					  "ebx", "ecx", "edx" };

static bool f_table(struct fscan *s, bool flags_required, vcpuid_table *t)
{
	int r, k;
	if (!f_lit(s, '['))
		return false;
	F_EACH_ELEM(s, r) {
		uint64_t v[7] = { 0 };
		unsigned seen = 0;
		if (!f_lit(s, '{'))
			return false;
		F_EACH_KEY(s, entry_keys, seen, k)
			if (!f_num(s, UINT32_MAX, &v[k]))
				return false;
		unsigned need = flags_required ? 0x7f : 0x7b;
		if (k != -1 || (seen & need) != need ||
		    vcpuid_table_find(t, (uint32_t)v[0], (uint32_t)v[1]) ||
		    !vcpuid_table_add(t, (uint32_t)v[0], (uint32_t)v[1],
				      (uint32_t)v[2], (uint32_t)v[3], (uint32_t)v[4],
				      (uint32_t)v[5], (uint32_t)v[6]))
			return false;
	}
	return r == 0;
}

static const char *const msr_keys[] = { "index", "value" };

static bool f_msrs(struct fscan *s, vcpuid_msr_list *l)
{
	int r, k;
	if (!f_lit(s, '['))
		return false;
	F_EACH_ELEM(s, r) {
		uint64_t v[2] = { 0 };
		unsigned seen = 0;
		if (!f_lit(s, '{'))
			return false;
		F_EACH_KEY(s, msr_keys, seen, k)
			if (!f_num(s, k ? UINT64_MAX : UINT32_MAX, &v[k]))
				return false;
		if (k != -1 || seen != 3 ||
		    vcpuid_msr_list_get(l, (uint32_t)v[0], NULL) ||
		    vcpuid_msr_list_add(l, (uint32_t)v[0], v[1]))
			return false;
	}
	return r == 0;
}

/* Room for one more of n elements of size elem in *p (at least one, as the
 * jansson reader allocates even for an empty array). */
static bool f_room(void *p, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 64;
	void *np = realloc(*(void **)p, ncap * elem);
	if (!np)
		return false;
	memset((char *)np + *cap * elem, 0, (ncap - *cap) * elem);
	*(void **)p = np;
	*cap = ncap;
	return true;
}

static bool f_index_list(struct fscan *s, vcpuid_host *h)
{
	int r;
	size_t cap = 0;
	if (!f_lit(s, '[') || !f_room(&h->msr_index_list, 0, &cap, sizeof(uint32_t)))
		return false;
	F_EACH_ELEM(s, r) {
		uint64_t x;
		if (!f_num(s, UINT32_MAX, &x) ||
		    !f_room(&h->msr_index_list, h->n_msr_index_list, &cap,
			    sizeof(uint32_t)))
			return false;
		h->msr_index_list[h->n_msr_index_list++] = (uint32_t)x;
	}
	return r == 0;
}

static const char *const cap_keys[] = { "name", "id", "value" };

static bool f_caps(struct fscan *s, vcpuid_host *h)
{
	int r, k;
	size_t cap = 0;
	if (!f_lit(s, '[') || !f_room(&h->caps, 0, &cap, sizeof(*h->caps)))
		return false;
	F_EACH_ELEM(s, r) {
		unsigned seen = 0;
		uint64_t id = 0, x;
		int64_t value = 0;
		if (!f_room(&h->caps, h->n_caps, &cap, sizeof(*h->caps)) ||
		    !f_lit(s, '{'))
			return false;
		vcpuid_kvm_cap *c = &h->caps[h->n_caps];
		F_EACH_KEY(s, cap_keys, seen, k) {
			bool ok;
			if (k == 0)
				ok = f_text(s, c->name, sizeof(c->name));
			else if (k == 1)
				ok = f_num(s, UINT32_MAX, &id);
			else if (f_peek(s) == '"')
				ok = f_num(s, INT64_MAX, &x) && ((value = (int64_t)x), 1);
			else
				ok = f_int(s, &value);
			if (!ok)
				return false;
		}
		if (k != -1 || !(seen & 4) || !c->name[0] ||
		    vcpuid_host_cap(h, c->name))
			return false;
		c->id = (uint32_t)id;
		c->value = value;
		h->n_caps++;
	}
	return r == 0;
}

static const char *const kvm_keys[] = {
	"flavour", "api_version", "supported_cpuid", "emulated_cpuid",
	"feature_msrs", "msr_index_list", "capabilities", "xcomp_guest_supp",
	"tsc_khz",
};

static bool f_kvm(struct fscan *s, vcpuid_host *h)
{
	int k;
	unsigned seen = 0;
	uint64_t v;
	if (!f_lit(s, '{'))
		return false;
	F_EACH_KEY(s, kvm_keys, seen, k) {
		bool ok = true;
		switch (k) {
		case 0:
			ok = f_text(s, h->kvm_flavour, sizeof(h->kvm_flavour));
			break;
		case 1:
			ok = f_num(s, INT32_MAX, &v);
			h->kvm_api_version = (int)v;
			break;
		case 2:
			ok = f_table(s, true, &h->supported);
			break;
		case 3:
			ok = f_table(s, true, &h->emulated);
			break;
		case 4:
			ok = f_msrs(s, &h->feature_msrs);
			break;
		case 5:
			ok = f_index_list(s, h);
			break;
		case 6:
			ok = f_caps(s, h);
			break;
		case 7:
			if (!f_null(s)) {
				ok = f_num(s, UINT64_MAX, &h->xcomp_guest_supp);
				h->has_xcomp_guest_supp = true;
			}
			break;
		default:
			if (!f_null(s)) {
				ok = f_num(s, UINT32_MAX, &v);
				h->tsc_khz = (uint32_t)v;
			}
			break;
		}
		if (!ok)
			return false;
	}
	/* supported_cpuid and feature_msrs are required */
	h->has_kvm = true;
	return k == -1 && (seen & 0x14) == 0x14;
}

static const char *const root_keys[] = {
	"format", "version", "source", "origin", "kernel", "microcode",
	"cpuinfo_flags", "raw_cpuid", "kvm", "kvm_absent",
};

/* 0 the profile is in h; otherwise the jansson reader must read it. */
static int fast_parse(const char *buf, size_t len, vcpuid_host *h)
{
	struct fscan s = { buf, buf + len };
	int k;
	unsigned seen = 0;
	bool kvm_null = false;
	char absent[sizeof(h->kvm_absent)] = "";
	const char *str;
	size_t n;
	int64_t ver;
	if (!f_lit(&s, '{'))
		return -1;
	F_EACH_KEY(&s, root_keys, seen, k) {
		bool ok = true;
		switch (k) {
		case 0:
			ok = f_str(&s, &str, &n) && n == strlen(PROFILE_FORMAT) &&
			     !memcmp(str, PROFILE_FORMAT, n);
			break;
		case 1:
			ok = f_int(&s, &ver) && ver == PROFILE_VERSION;
			break;
		case 2:
			ok = f_text(&s, h->source, sizeof(h->source));
			break;
		case 3:
			ok = f_text(&s, h->origin, sizeof(h->origin));
			break;
		case 4:
			ok = f_text(&s, h->kernel, sizeof(h->kernel));
			break;
		case 5:
			if (!f_null(&s)) {
				ok = f_num(&s, UINT64_MAX, &h->microcode);
				h->has_microcode = true;
			}
			break;
		case 6:
			if (!f_null(&s)) {
				ok = f_str(&s, &str, &n) &&
				     (h->cpuinfo_flags = strndup(str, n));
			}
			break;
		case 7:
			if (!f_null(&s)) {
				ok = f_table(&s, false, &h->raw);
				h->has_raw = true;
			}
			break;
		case 8:
			kvm_null = f_null(&s);
			ok = kvm_null || f_kvm(&s, h);
			break;
		default:
			ok = f_text(&s, absent, sizeof(absent));
			break;
		}
		if (!ok)
			return -1;
	}
	/* format, version, raw_cpuid and kvm are required; kvm_absent too
	 * when kvm is null (and ignored when it is not) */
	if (k != -1 || (seen & 0x183) != 0x183 || (kvm_null && !absent[0]))
		return -1;
	if (kvm_null)
		memcpy(h->kvm_absent, absent, sizeof(absent));
	f_ws(&s);
	return s.p == s.end ? 0 : -1;
}

int vcpuid_profile_parse(const char *buf, size_t len, const char *name,
			 vcpuid_host *h, vcpuid_error *err)
{
	vcpuid_host fast;
	vcpuid_host_init(&fast);
	if (!fast_parse(buf, len, &fast)) {
		*h = fast;
		return 0;
	}
	vcpuid_host_free(&fast);
	json_t *root = vj_parse(buf, len, name, err);
	if (!root)
		return VCPUID_E_PARSE;
	const json_t *fmt = json_object_get(root, "format");
	if (!json_is_object(root) || !json_is_string(fmt) ||
	    strcmp(json_string_value(fmt), PROFILE_FORMAT)) {
		json_decref(root);
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   "%s: not a vcpuid host profile (no \"format\": "
				   "\"" PROFILE_FORMAT "\")", name);
	}
	struct pctx p = { name, err };
	vcpuid_host_init(h);
	int rc = parse_root(&p, root, h);
	json_decref(root);
	if (rc)
		vcpuid_host_free(h);
	return rc;
}
