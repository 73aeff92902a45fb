/* SPDX-License-Identifier: MIT */
/* model: finding machine types, resolving -cpu model names to a model
 * definition and version, stacking version properties, and the
 * `-cpu help` view of every CPU type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <threads.h>
#include <ctype.h>
#include "internal.h"

/* The special types QEMU registers besides the models, with their
 * `-cpu help` description and the ordering QEMU sorts them by. */
static const struct special {
	const char *name, *desc;
	int ordering;
} specials[] = {
	{ "base", "base CPU model type with no features enabled", 8 },
	{ "host", "processor with all supported host features ", 8 },
	{ "max", "Enables all features supported by the accelerator in the "
		 "current host", 9 },
};

/* QEMU looks types up by exact (case-sensitive) name. */
const vcpuid_model_def *vcpuid_model_find(const char *name)
{
	size_t n;
	const vcpuid_model_def *m = vcpuid_models(&n);
	for (size_t i = 0; name && i < n; i++)
		if (!strcmp(m[i].name, name))
			return &m[i];
	return NULL;
}

static const vcpuid_machine *newest_of(const char *prefix)
{
	size_t n;
	const vcpuid_machine *m = vcpuid_machines(&n);
	for (size_t i = n; i-- > 0;)
		if (!strncmp(m[i].name, prefix, strlen(prefix)))
			return &m[i];
	return NULL;
}

static const vcpuid_machine *find_own(const char *name)
{
	size_t n;
	const vcpuid_machine *m = vcpuid_machines(&n);
	if (!name)
		return &m[n - 1];
	if (!strcmp(name, "pc"))
		return newest_of("pc-i440fx-");
	if (!strcmp(name, "q35"))
		return newest_of("pc-q35-");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(m[i].name, name))
			return &m[i];
	return NULL;
}

const vcpuid_machine *vcpuid_machine_find(const char *name)
{
	const char *at = name ? strchr(name, '@') : NULL;
	if (!at)
		return find_own(name);
	char type[64];
	size_t len = (size_t)(at - name);
	if (len >= sizeof(type))
		return NULL;
	memcpy(type, name, len);
	type[len] = 0;
	uint16_t q = vcpuid_qemu_release_parse(at + 1);
	return q ? vcpuid_machine_in(len ? type : NULL, q) : NULL;
}

/* One or two digits: their value, *s moved past them; -1 otherwise. */
static int small_number(const char **s)
{
	int v = -1;
	for (int n = 0; n < 2 && isdigit((unsigned char)**s); n++, (*s)++)
		v = (v < 0 ? 0 : v * 10) + (**s - '0');
	return v;
}

uint16_t vcpuid_qemu_release_parse(const char *s)
{
	if (!s)
		return 0;
	int major = small_number(&s);
	if (major < 0 || *s++ != '.')
		return 0;
	int minor = small_number(&s);
	if (minor < 0 || *s)
		return 0;
	size_t n;
	const uint16_t *r = vcpuid_qemu_releases(&n);
	for (size_t i = 0; i < n; i++)
		if (r[i] == major * 100 + minor)
			return r[i];
	return 0;
}

/* ---- a machine type as a newer QEMU runs it ---- */
/* The rows of data/pc_compat.def, newest array first. */
static const struct { uint16_t array; vcpuid_compat c; } pc_compat[] = {
#define PC_COMPAT(a, d, p, v) { a, { d, p, v } },
#include "data/pc_compat.def"
};
#define MAX_MACHINES 64
#define MAX_RELEASES 16
#define NCOMPAT (sizeof(pc_compat) / sizeof(pc_compat[0]))

/* One slot per (machine type, release): filled once, read-only after. */
static struct {
	vcpuid_machine m[MAX_MACHINES][MAX_RELEASES];
	vcpuid_compat compat[MAX_MACHINES][MAX_RELEASES][NCOMPAT + 1];
} pairs;
static once_flag pairs_once = ONCE_FLAG_INIT;

static void pairs_fill(void)
{
	size_t nm, nr;
	const vcpuid_machine *m = vcpuid_machines(&nm);
	const uint16_t *r = vcpuid_qemu_releases(&nr);
	for (size_t i = 0; i < nm && i < MAX_MACHINES; i++)
		for (size_t j = 0; j < nr && j < MAX_RELEASES; j++) {
			vcpuid_compat *c = pairs.compat[i][j];
			size_t k = 0;
			for (size_t row = 0; row < NCOMPAT; row++)
				if (m[i].type <= pc_compat[row].array &&
				    pc_compat[row].array < r[j])
					c[k++] = pc_compat[row].c;
			c[k] = (vcpuid_compat){ NULL, NULL, NULL };
			pairs.m[i][j] = m[i];
			pairs.m[i][j].qemu = r[j];
			pairs.m[i][j].compat = c;
		}
}

const vcpuid_machine *vcpuid_machine_in(const char *name, uint16_t qemu)
{
	size_t nm, nr;
	const vcpuid_machine *m = vcpuid_machines(&nm);
	const uint16_t *r = vcpuid_qemu_releases(&nr);
	const vcpuid_machine *own = NULL;
	if (!name || !strcmp(name, "pc") || !strcmp(name, "q35")) {
		const char *prefix = name && !strcmp(name, "q35") ? "pc-q35-"
								  : "pc-i440fx-";
		if (!qemu)
			return find_own(name);
		for (size_t i = 0; i < nm; i++) /* the newest type <= qemu */
			if (!strncmp(m[i].name, prefix, strlen(prefix)) &&
			    m[i].type <= qemu &&
			    (!own || m[i].type >= own->type))
				own = &m[i];
	} else {
		own = find_own(name);
	}
	if (!own)
		return NULL;
	if (!qemu || qemu == own->type)
		return own;
	if (qemu < own->type || nm > MAX_MACHINES || nr > MAX_RELEASES)
		return NULL;
	call_once(&pairs_once, pairs_fill);
	for (size_t j = 0; j < nr; j++)
		if (r[j] == qemu)
			return &pairs.m[own - m][j];
	return NULL;
}

/* ---- versions ---- */
static const vcpuid_model_version only_v1[] = {
	{ .version = 1, .qemu_since = 0 }, { .version = 0 }
};

static const vcpuid_model_version *versions_of(const vcpuid_model_def *def)
{
	return def->versions ? def->versions : only_v1;
}

const vcpuid_model_version *vcpuid_model_version_get(const vcpuid_model_def *def,
						     int version)
{
	for (const vcpuid_model_version *v = versions_of(def); v->version; v++)
		if (v->version == version)
			return v;
	return NULL;
}

int vcpuid_model_latest_version(const vcpuid_model_def *def)
{
	int last = 1;
	for (const vcpuid_model_version *v = versions_of(def); v->version; v++)
		if (v->version > last)
			last = v->version;
	return last;
}

int vcpuid_model_version_props(const vcpuid_model_def *def, int version,
			       vcpuid_prop_fn fn, void *ctx)
{
	if (!vcpuid_model_version_get(def, version))
		return VCPUID_E_UNKNOWN;
	for (const vcpuid_model_version *v = versions_of(def);
	     v->version && v->version <= version; v++)
		for (const vcpuid_prop *p = v->props; p && p->name; p++) {
			int r = fn(p, v->version, ctx);
			if (r)
				return r;
		}
	return 0;
}

const vcpuid_cache_set *vcpuid_model_cache_in(const vcpuid_model_def *def,
					      int version, uint16_t qemu)
{
	const vcpuid_cache_set *c = qemu >= def->cache_since ? def->cache : NULL;
	for (const vcpuid_model_version *v = versions_of(def);
	     v->version && v->version <= version; v++)
		if (v->cache)
			c = v->cache;
	return c;
}

const vcpuid_cache_set *vcpuid_model_version_cache(const vcpuid_model_def *def,
						   int version)
{
	return vcpuid_model_cache_in(def, version, UINT16_MAX);
}

static int take_model_id(const vcpuid_prop *p, int version, void *ctx)
{
	(void)version;
	if (!strcmp(p->name, "model-id"))
		*(const char **)ctx = p->value;
	return 0;
}

const char *vcpuid_model_version_model_id(const vcpuid_model_def *def,
					  int version)
{
	const char *id = def->model_id;
	vcpuid_model_version_props(def, version, take_model_id, &id);
	return id;
}

/* ---- resolving names ---- */
static bool available(const vcpuid_machine *mc, uint16_t since)
{
	return !mc || since <= mc->qemu;
}

static void fill_ref(vcpuid_model_ref *ref, const vcpuid_model_def *def,
		     const vcpuid_model_version *ver, enum vcpuid_type_kind kind,
		     const char *name)
{
	memset(ref, 0, sizeof(*ref));
	ref->def = def;
	ref->ver = ver;
	ref->version = ver ? ver->version : 0;
	ref->kind = kind;
	snprintf(ref->name, sizeof(ref->name), "%s", name);
}

/* Resolve ignoring availability; returns false when the name is unknown. */
static bool lookup(const char *name, const vcpuid_machine *mc,
		   vcpuid_model_ref *ref)
{
	for (size_t i = 0; i < ARRAY_SIZE(specials); i++)
		if (!strcmp(name, specials[i].name)) {
			fill_ref(ref, NULL, NULL, VCPUID_TYPE_SPECIAL, name);
			return true;
		}
	size_t n;
	const vcpuid_model_def *m = vcpuid_models(&n);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(m[i].name);
		if (!strcmp(name, m[i].name)) {
			int want = mc->default_cpu_version;
			if (want < 1)
				want = want < 0 ? vcpuid_model_latest_version(&m[i]) : 1;
			const vcpuid_model_version *v =
				vcpuid_model_version_get(&m[i], want);
			if (!v)
				v = vcpuid_model_version_get(&m[i], 1);
			fill_ref(ref, &m[i], v, VCPUID_TYPE_AUTO, name);
			return true;
		}
		if (!strncmp(name, m[i].name, len) && !strncmp(name + len, "-v", 2)) {
			const char *num = name + len + 2;
			uint64_t ver;
			if (num[0] >= '1' && num[0] <= '9' && vu_parse_num(num, &ver) &&
			    ver < 1000) {
				const vcpuid_model_version *v =
					vcpuid_model_version_get(&m[i], (int)ver);
				if (v) {
					fill_ref(ref, &m[i], v, VCPUID_TYPE_VERSIONED, name);
					return true;
				}
			}
		}
		for (const vcpuid_model_version *v = versions_of(&m[i]); v->version; v++)
			if (v->alias && !strcmp(v->alias, name)) {
				fill_ref(ref, &m[i], v, VCPUID_TYPE_ALIAS, name);
				return true;
			}
	}
	return false;
}

static bool ref_available(const vcpuid_model_ref *r, const vcpuid_machine *mc)
{
	if (!r->def)
		return true;
	return available(mc, r->def->qemu_since) && available(mc, r->ver->qemu_since);
}

/* Close names: every type name within a small edit distance, case folded,
 * nearest first (ties in catalog order), at most four. */
#define SUGGEST_MAX 4
struct suggest_ctx {
	char lname[64];
	unsigned cap;
	char best[SUGGEST_MAX][64];
	unsigned dist[SUGGEST_MAX];
	size_t found;
};

static void fold(const char *in, char *out, size_t len)
{
	size_t k = 0;
	for (; in[k] && k < len - 1; k++)
		out[k] = (char)(in[k] >= 'A' && in[k] <= 'Z' ? in[k] + 32 : in[k]);
	out[k] = 0;
}

static void consider(struct suggest_ctx *c, const char *name)
{
	char cand[64];
	fold(name, cand, sizeof(cand));
	unsigned d = vu_edit_distance(c->lname, cand, c->cap);
	if (d >= c->cap)
		return;
	/* insert sorted by distance, stable */
	size_t pos = c->found;
	while (pos > 0 && c->dist[pos - 1] > d)
		pos--;
	if (pos >= SUGGEST_MAX)
		return;
	size_t last = c->found < SUGGEST_MAX ? c->found : SUGGEST_MAX - 1;
	for (size_t i = last; i > pos; i--) {
		memcpy(c->best[i], c->best[i - 1], sizeof(c->best[0]));
		c->dist[i] = c->dist[i - 1];
	}
	snprintf(c->best[pos], sizeof(c->best[0]), "%s", name);
	c->dist[pos] = d;
	if (c->found < SUGGEST_MAX)
		c->found++;
}

static void suggest(const char *name, const vcpuid_machine *mc, char *buf,
		    size_t len)
{
	struct suggest_ctx c = { .found = 0 };
	size_t n;
	const vcpuid_model_def *m = vcpuid_models(&n);
	char vname[80];
	buf[0] = 0;
	if (strlen(name) >= sizeof(c.lname))
		return;
	fold(name, c.lname, sizeof(c.lname));
	c.cap = strlen(c.lname) < 6 ? 2 : 4;
	for (size_t i = 0; i < ARRAY_SIZE(specials); i++)
		consider(&c, specials[i].name);
	for (size_t i = 0; i < n; i++) {
		if (!available(mc, m[i].qemu_since))
			continue;
		consider(&c, m[i].name);
		for (const vcpuid_model_version *v = versions_of(&m[i]); v->version;
		     v++) {
			if (!available(mc, v->qemu_since))
				continue;
			snprintf(vname, sizeof(vname), "%s-v%d", m[i].name, v->version);
			consider(&c, vname);
			if (v->alias)
				consider(&c, v->alias);
		}
	}
	for (size_t i = 0; i < c.found; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", i ? ", " : "", c.best[i]);
	}
}

int vcpuid_model_resolve(const char *name, const vcpuid_machine *machine,
			 vcpuid_model_ref *ref, vcpuid_error *err)
{
	const vcpuid_machine *mc = machine ? machine : vcpuid_machine_find(NULL);
	if (!name || !*name)
		return vcpuid_fail(err, VCPUID_E_UNKNOWN, "-cpu:1:1: empty CPU model name");
	if (lookup(name, mc, ref)) {
		if (ref_available(ref, mc))
			return 0;
		uint16_t since = ref->def->qemu_since > ref->ver->qemu_since
				 ? ref->def->qemu_since : ref->ver->qemu_since;
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   "-cpu:1:1: CPU model '%s' appeared in QEMU %u.%u; "
				   "machine type %s emulates QEMU %u.%u",
				   name, since / 100, since % 100, mc->name,
				   mc->qemu / 100, mc->qemu % 100);
	}
	char sugg[160];
	suggest(name, mc, sugg, sizeof(sugg));
	return vcpuid_fail(err, VCPUID_E_UNKNOWN,
			   "-cpu:1:1: unable to find CPU model '%s'%s%s%s", name,
			   sugg[0] ? " (did you mean: " : "", sugg,
			   sugg[0] ? ")" : "");
}

/* ---- the -cpu help view ---- */
static void describe(vcpuid_cpu_type *t)
{
	const vcpuid_model_ref *r = &t->ref;
	if (r->kind == VCPUID_TYPE_AUTO) {
		snprintf(t->description, sizeof(t->description),
			 "(alias configured by machine type)");
	} else if (r->kind == VCPUID_TYPE_ALIAS) {
		snprintf(t->alias_of, sizeof(t->alias_of), "%s-v%d", r->def->name,
			 r->version);
		snprintf(t->description, sizeof(t->description), "(alias of %s)",
			 t->alias_of);
	} else {
		const char *id = vcpuid_model_version_model_id(r->def, r->version);
		if (r->ver->note)
			snprintf(t->description, sizeof(t->description), "%s [%s]",
				 id, r->ver->note);
		else
			snprintf(t->description, sizeof(t->description), "%s", id);
	}
}

static int ordering(const vcpuid_cpu_type *t)
{
	if (t->ref.kind == VCPUID_TYPE_SPECIAL)
		for (size_t i = 0; i < ARRAY_SIZE(specials); i++)
			if (!strcmp(specials[i].name, t->ref.name))
				return specials[i].ordering;
	return 0;
}

static int type_cmp(const void *a, const void *b)
{
	const vcpuid_cpu_type *x = a, *y = b;
	int ox = ordering(x), oy = ordering(y);
	if (ox != oy)
		return ox - oy;
	return strcmp(x->ref.name, y->ref.name);
}

static bool push(vcpuid_cpu_type **arr, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		vcpuid_cpu_type *p = realloc(*arr, nc * sizeof(**arr));
		if (!p)
			return false;
		*arr = p;
		*cap = nc;
	}
	memset(&(*arr)[*n], 0, sizeof(**arr));
	(*n)++;
	return true;
}

int vcpuid_cpu_types(const vcpuid_machine *machine, bool with_special,
		     vcpuid_cpu_type **out, size_t *count, vcpuid_error *err)
{
	const vcpuid_machine *mc = machine ? machine : vcpuid_machine_find(NULL);
	vcpuid_cpu_type *arr = NULL;
	size_t n = 0, cap = 0, nm;
	const vcpuid_model_def *m = vcpuid_models(&nm);
	char name[64];

	for (size_t i = 0; i < nm; i++) {
		if (!available(mc, m[i].qemu_since))
			continue;
		if (!push(&arr, &n, &cap))
			goto oom;
		lookup(m[i].name, mc, &arr[n - 1].ref);
		for (const vcpuid_model_version *v = versions_of(&m[i]); v->version; v++) {
			if (!available(mc, v->qemu_since))
				continue;
			snprintf(name, sizeof(name), "%s-v%d", m[i].name, v->version);
			if (!push(&arr, &n, &cap))
				goto oom;
			fill_ref(&arr[n - 1].ref, &m[i], v, VCPUID_TYPE_VERSIONED, name);
			if (!v->alias)
				continue;
			if (!push(&arr, &n, &cap))
				goto oom;
			fill_ref(&arr[n - 1].ref, &m[i], v, VCPUID_TYPE_ALIAS, v->alias);
		}
	}
	for (size_t i = 0; with_special && i < ARRAY_SIZE(specials); i++) {
		if (!push(&arr, &n, &cap))
			goto oom;
		fill_ref(&arr[n - 1].ref, NULL, NULL, VCPUID_TYPE_SPECIAL,
			 specials[i].name);
		snprintf(arr[n - 1].description, sizeof(arr[n - 1].description),
			 "%s", specials[i].desc);
	}
	for (size_t i = 0; i < n; i++)
		if (arr[i].ref.kind != VCPUID_TYPE_SPECIAL)
			describe(&arr[i]);
	qsort(arr, n, sizeof(*arr), type_cmp);
	*out = arr;
	*count = n;
	return 0;
oom:
	free(arr);
	return vcpuid_fail(err, VCPUID_E_NOMEM, "model.c: out of memory listing CPU types");
}
