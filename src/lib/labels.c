/* SPDX-License-Identifier: MIT */
/* labels: KubeVirt node labels and Nova traits of a host, from vcpuid's own
 * expansion of host and of every model (docs/labels.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static const char *const obsolete[] = {
#define OBSOLETE(m) m,
#include "data/labels.def"
#undef OBSOLETE
};

static const struct {
	const char *qemu, *libvirt;
} renames[] = {
#define LIBVIRT_NAME(q, l) { q, l },
#include "data/labels.def"
#undef LIBVIRT_NAME
};

static const struct {
	const char *feature, *trait;
} nova[] = {
#define NOVA_TRAIT(f, t) { f, t },
#include "data/labels.def"
#undef NOVA_TRAIT
};

static const char *libvirt_name(const char *qemu)
{
	for (size_t i = 0; i < ARRAY_SIZE(renames); i++)
		if (!strcmp(renames[i].qemu, qemu))
			return renames[i].libvirt;
	return qemu;
}

static bool is_obsolete(const char *m)
{
	for (size_t i = 0; i < ARRAY_SIZE(obsolete); i++)
		if (!strcmp(obsolete[i], m))
			return true;
	return false;
}

/* The words whose features libvirt names in its cpu_map: the CPUID
 * feature words and ARCH_CAPABILITIES; not KVM's paravirtual words, the
 * XSAVE component masks or the VMX capability MSRs. */
static bool labelled_word(enum vcpuid_word w)
{
	const vcpuid_word_info *wi = vcpuid_word(w);
	if (wi->kind == VCPUID_WORD_MSR)
		return !strcmp(wi->id, "ARCH_CAP");
	return strncmp(wi->id, "KVM", 3) && strncmp(wi->id, "XSAVE_X", 7);
}

/* ---- a sorted set of strings ---- */
typedef struct {
	char **s;
	size_t n, cap;
	bool oom;
} strset;

static bool set_has(const strset *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->s[i], x))
			return true;
	return false;
}

static void set_add(strset *s, const char *x)
{
	if (s->oom || set_has(s, x))
		return;
	if (s->n == s->cap) {
		size_t n = s->cap ? s->cap * 2 : 32;
		char **p = realloc(s->s, n * sizeof(*p));
		if (!p) {
			s->oom = true;
			return;
		}
		s->s = p;
		s->cap = n;
	}
	if (!(s->s[s->n] = strdup(x)))
		s->oom = true;
	else
		s->n++;
}

static void set_free(strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->s[i]);
	free(s->s);
	memset(s, 0, sizeof(*s));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The libvirt names of the features in words (labelled words only;
 * migratable ones when migratable_only). */
static void feature_names(const vcpuid_words words, bool migratable_only,
			  strset *out)
{
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		if (!labelled_word((enum vcpuid_word)w))
			continue;
		for (unsigned b = 0; b < 64; b++) {
			if (!(words[w] >> b & 1))
				continue;
			const vcpuid_feature *f =
				vcpuid_feature_at((enum vcpuid_word)w, b);
			if (!f || (f->flags & VCPUID_F_COMPUTED) ||
			    (migratable_only && (f->flags & VCPUID_F_UNMIGRATABLE)))
				continue;
			set_add(out, libvirt_name(f->name));
		}
	}
}

static bool subset(const strset *a, const strset *b)
{
	for (size_t i = 0; i < a->n; i++)
		if (!set_has(b, a->s[i]))
			return false;
	return true;
}

struct candidate {
	char name[64];
	bool usable, same_vendor;
	size_t cost;
	strset features;
};

static int add_label(vcpuid_labels *l, size_t *cap, const char *prefix,
		     const char *name, const char *value)
{
	if (l->nkubevirt == *cap) {
		size_t n = *cap ? *cap * 2 : 64;
		vcpuid_label *p = realloc(l->kubevirt, n * sizeof(*p));
		if (!p)
			return -1;
		l->kubevirt = p;
		*cap = n;
	}
	vcpuid_label *x = &l->kubevirt[l->nkubevirt];
	snprintf(x->key, sizeof(x->key), "%s%s", prefix, name);
	snprintf(x->value, sizeof(x->value), "%s", value);
	for (size_t i = 0; i < l->nkubevirt; i++)
		if (!strcmp(l->kubevirt[i].key, x->key))
			return 0;
	l->nkubevirt++;
	return 0;
}

static int cmp_label(const void *a, const void *b)
{
	return strcmp(((const vcpuid_label *)a)->key,
		      ((const vcpuid_label *)b)->key);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char **take(strset *s, size_t *n)
{
	qsort(s->s, s->n, sizeof(*s->s), cmp_str);
	*n = s->n;
	char **r = s->s;
	memset(s, 0, sizeof(*s));
	return r;
}

void vcpuid_labels_free(vcpuid_labels *l)
{
	if (!l)
		return;
	char **lists[] = { l->features, l->required, l->models, l->problems,
			   l->disabled };
	size_t ns[] = { l->nfeatures, l->nrequired, l->nmodels, l->nproblems,
			l->ndisabled };
	for (size_t k = 0; k < 5; k++) {
		for (size_t i = 0; i < ns[k]; i++)
			free(lists[k][i]);
		free(lists[k]);
	}
	free(l->kubevirt);
	free(l->traits);
	memset(l, 0, sizeof(*l));
}

static const char *short_vendor(const char *v)
{
	return !strcmp(v, "GenuineIntel") ? "Intel" :
	       !strcmp(v, "AuthenticAMD") ? "AMD" :
	       !strcmp(v, "HygonGenuine") ? "Hygon" : v;
}

/* host-model as libvirt forms it: the named model of the host's vendor
 * that needs the fewest features listed (required: the host's beyond the
 * model; disabled: the model's the host lacks). Candidates: every model
 * and version alias (libvirt's cpu_map names). */
static int compute(const vcpuid_host *h, const char *machine,
		   vcpuid_labels *l, struct candidate *c, size_t nc,
		   strset *hostf, vcpuid_error *err)
{
	vcpuid_cpu hc;
	int rc = vcpuid_cpu_expand(h, "host", machine, NULL, &hc, err);
	if (rc)
		return rc;
	/* unmigratable ones too: libvirt's host-model requires invtsc */
	feature_names(hc.features, false, hostf);
	snprintf(l->vendor, sizeof(l->vendor), "%s", short_vendor(hc.vendor));
	char vendor[13];
	snprintf(vendor, sizeof(vendor), "%s", hc.vendor);
	vcpuid_cpu_free(&hc);

	size_t best = nc;
	for (size_t i = 0; i < nc; i++) {
		vcpuid_cpu mc;
		vcpuid_error e2 = { 0 };
		if (vcpuid_cpu_expand(h, c[i].name, machine, NULL, &mc, &e2))
			continue; /* not in this machine type's release */
		c[i].usable = mc.nfiltered == 0;
		/* the model's own vendor: QEMU 10.1+ gives every CPU type the
		 * host's under KVM */
		c[i].same_vendor = !strcmp(mc.model ? mc.model->vendor : mc.vendor,
					   vendor);
		feature_names(mc.requested, false, &c[i].features);
		vcpuid_cpu_free(&mc);
		/* libvirt picks obsolete models too (KubeVirt then says the
		 * host-model is obsolete) */
		if (!c[i].same_vendor)
			continue;
		/* libvirt's choice: the fewest features to list (required
		 * ones the model lacks, disabled ones the host lacks), then
		 * the model with more features */
		c[i].cost = 0;
		for (size_t k = 0; k < hostf->n; k++)
			c[i].cost += !set_has(&c[i].features, hostf->s[k]);
		for (size_t k = 0; k < c[i].features.n; k++)
			c[i].cost += !set_has(hostf, c[i].features.s[k]);
		if (best == nc || c[i].cost < c[best].cost ||
		    (c[i].cost == c[best].cost &&
		     c[i].features.n > c[best].features.n))
			best = i;
	}
	strset req = { 0 }, models = { 0 }, problems = { 0 };
	if (best < nc) {
		snprintf(l->host_model, sizeof(l->host_model), "%s", c[best].name);
		for (size_t i = 0; i < hostf->n; i++)
			if (!set_has(&c[best].features, hostf->s[i]))
				set_add(&req, hostf->s[i]);
	}
	for (size_t i = 0; i < nc; i++)
		if (c[i].usable && !is_obsolete(c[i].name))
			set_add(&models, c[i].name);

	/* what libvirt-based labelling gets wrong: a host-model QEMU would
	 * refuse under enforce (features the host's KVM cannot give): the
	 * model, +required, -disabled (the model's the host lacks) */
	strset dis = { 0 };
	if (best < nc)
		for (size_t i = 0; i < c[best].features.n; i++)
			if (!set_has(hostf, c[best].features.s[i]))
				set_add(&dis, c[best].features.s[i]);
	if (best < nc) {
		size_t len = strlen(l->host_model) + 16;
		for (size_t i = 0; i < req.n; i++)
			len += strlen(req.s[i]) + 2;
		for (size_t i = 0; i < dis.n; i++)
			len += strlen(dis.s[i]) + 2;
		char *spec = malloc(len);
		if (spec) {
			char *p = spec + sprintf(spec, "%s", l->host_model);
			for (size_t i = 0; i < req.n; i++) {
				const char *q = req.s[i];
				for (size_t k = 0; k < ARRAY_SIZE(renames); k++)
					if (!strcmp(renames[k].libvirt, q))
						q = renames[k].qemu;
				p += sprintf(p, ",+%s", q);
			}
			for (size_t i = 0; i < dis.n; i++) {
				const char *q = dis.s[i];
				for (size_t k = 0; k < ARRAY_SIZE(renames); k++)
					if (!strcmp(renames[k].libvirt, q))
						q = renames[k].qemu;
				p += sprintf(p, ",-%s", q);
			}
			vcpuid_cpu hm;
			vcpuid_error e2 = { 0 };
			if (!vcpuid_cpu_expand(h, spec, machine, NULL, &hm, &e2)) {
				for (size_t i = 0; i < hm.nfiltered; i++) {
					char line[200];
					snprintf(line, sizeof(line),
						 "host-model %s: %s is filtered on "
						 "this host (%s); a VM with it cannot "
						 "start under enforce",
						 l->host_model,
						 hm.filtered_list[i].name ?
						 hm.filtered_list[i].name : "a bit",
						 hm.filtered_list[i].reason);
					set_add(&problems, line);
				}
				vcpuid_cpu_free(&hm);
			}
			free(spec);
		} else {
			problems.oom = true;
		}
	}
	/* Nova maps names libvirt does not use: those traits never appear */
	for (size_t i = 0; i < ARRAY_SIZE(nova); i++) {
		size_t nb;
		const vcpuid_feature *f = vcpuid_feature_lookup(nova[i].feature, &nb);
		if (f && strcmp(libvirt_name(f->name), nova[i].feature) &&
		    set_has(hostf, libvirt_name(f->name))) {
			char line[200];
			snprintf(line, sizeof(line), "nova: CPU_TRAITS_MAPPING "
				 "maps %s to %s, but libvirt names the host's bit "
				 "%s: %s is never reported", nova[i].feature,
				 nova[i].trait, libvirt_name(f->name),
				 nova[i].trait);
			set_add(&problems, line);
		}
	}
	bool oom = req.oom || models.oom || problems.oom || hostf->oom ||
		   dis.oom;
	l->disabled = take(&dis, &l->ndisabled);
	l->required = take(&req, &l->nrequired);
	l->models = take(&models, &l->nmodels);
	l->problems = take(&problems, &l->nproblems);
	return oom ? vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory") : 0;
}

static int kubevirt_labels(const vcpuid_host *h, vcpuid_labels *l,
			   const struct candidate *c, size_t nc,
			   const strset *hostf)
{
	size_t cap = 0;
	int rc = 0;
	for (size_t i = 0; i < hostf->n && !rc; i++)
		rc = add_label(l, &cap, "cpu-feature.node.kubevirt.io/",
			       hostf->s[i], "true");
	/* a usable model is labelled when every feature of it is a feature
	 * label (shouldAddCPUModelLabel), or it is host-model's */
	for (size_t i = 0; i < l->nmodels && !rc; i++) {
		const struct candidate *m = NULL;
		for (size_t k = 0; k < nc; k++)
			if (!strcmp(c[k].name, l->models[i]))
				m = &c[k];
		if (strcmp(l->models[i], l->host_model) &&
		    (!m || !subset(&m->features, hostf)))
			continue;
		rc = add_label(l, &cap, "cpu-model.node.kubevirt.io/",
			       l->models[i], "true");
		if (!rc)
			rc = add_label(l, &cap,
				       "cpu-model-migration.node.kubevirt.io/",
				       l->models[i], "true");
	}
	if (!rc && l->host_model[0] && !is_obsolete(l->host_model))
		rc = add_label(l, &cap, "cpu-model-migration.node.kubevirt.io/",
			       l->host_model, "true");
	for (size_t i = 0; i < l->nrequired && !rc; i++)
		rc = add_label(l, &cap,
			       "host-model-required-features.node.kubevirt.io/",
			       l->required[i], "true");
	if (!rc && l->host_model[0])
		rc = add_label(l, &cap, "host-model-cpu.node.kubevirt.io/",
			       l->host_model, "true");
	if (!rc && l->vendor[0])
		rc = add_label(l, &cap, "cpu-vendor.node.kubevirt.io/", l->vendor,
			       "true");
	uint32_t khz = h->has_kvm ? vcpuid_host_tsc_khz(h) : 0;
	if (!rc && khz) {
		char v[24];
		snprintf(v, sizeof(v), "%" PRIu64, (uint64_t)khz * 1000);
		rc = add_label(l, &cap, "cpu-timer.node.kubevirt.io/",
			       "tsc-frequency", v);
		bool scalable = false;
		for (size_t i = 0; i < h->n_caps; i++)
			if (!strcmp(h->caps[i].name, "KVM_CAP_TSC_CONTROL"))
				scalable = h->caps[i].value > 0;
		if (!rc)
			rc = add_label(l, &cap, "cpu-timer.node.kubevirt.io/",
				       "tsc-scalable", scalable ? "true" : "false");
	}
	if (!rc)
		qsort(l->kubevirt, l->nkubevirt, sizeof(*l->kubevirt), cmp_label);
	return rc;
}

int vcpuid_labels_compute(const vcpuid_host *host, const char *machine,
			  vcpuid_labels *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	size_t nm, nc = 0;
	const vcpuid_model_def *m = vcpuid_models(&nm);
	size_t cap = nm;
	for (size_t i = 0; i < nm; i++)
		for (const vcpuid_model_version *v = m[i].versions; v && v->version;
		     v++)
			cap += v->alias != NULL;
	struct candidate *c = calloc(cap ? cap : 1, sizeof(*c));
	if (!c)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	for (size_t i = 0; i < nm; i++) {
		snprintf(c[nc++].name, sizeof(c->name), "%s", m[i].name);
		for (const vcpuid_model_version *v = m[i].versions; v && v->version;
		     v++)
			if (v->alias)
				snprintf(c[nc++].name, sizeof(c->name), "%s", v->alias);
	}
	strset hostf = { 0 };
	int rc = compute(host, machine, out, c, nc, &hostf, err);
	if (!rc && kubevirt_labels(host, out, c, nc, &hostf))
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	if (!rc) {
		size_t nt = 0;
		out->traits = calloc(ARRAY_SIZE(nova), sizeof(*out->traits));
		if (!out->traits)
			rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		for (size_t i = 0; !rc && i < ARRAY_SIZE(nova); i++)
			if (set_has(&hostf, nova[i].feature))
				out->traits[nt++] = nova[i].trait;
		if (!rc) {
			qsort(out->traits, nt, sizeof(*out->traits), cmp_cstr);
			out->ntraits = nt;
		}
	}
	if (!rc)
		out->features = take(&hostf, &out->nfeatures);
	set_free(&hostf);
	for (size_t i = 0; i < nc; i++)
		set_free(&c[i].features);
	free(c);
	if (rc)
		vcpuid_labels_free(out);
	return rc;
}
