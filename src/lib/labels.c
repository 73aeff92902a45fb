/* SPDX-License-Identifier: MIT */
/* labels: KubeVirt node labels and Nova traits of a host, from vcpuid's own
 * domain capabilities (vcpuid_libvirt_domcaps: the usable models and the
 * host-model libvirt 9.0 reports), by KubeVirt's node-labeller rules
 * (docs/labels.md). On the live host the host-model is the one QEMU
 * starts (vcpuid_libvirt_domcaps_check); what libvirt's answer gets wrong
 * goes to problems. */
#include <inttypes.h>
#include <cpuid.h>
#include <stdarg.h>
#include <sys/utsname.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "vcpuid/libvirt.h"
#include "vcpuid/apply.h"

static const char *const obsolete[] = {
#define OBSOLETE(m) m,
#include "data/labels.def"
#undef OBSOLETE
};

static const struct {
	const char *feature, *trait;
} nova[] = {
#define NOVA_TRAIT(f, t) { f, t },
#include "data/labels.def"
#undef NOVA_TRAIT
};

static bool is_obsolete(const char *m)
{
	for (size_t i = 0; i < ARRAY_SIZE(obsolete); i++)
		if (!strcmp(obsolete[i], m))
			return true;
	return false;
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


/* ---- libvirt feature names ---- */
/* The libvirt names of the bits of w (the first libvirt name of each bit,
 * as libvirt's x86DataToCPUFeatures lists them) into out. */
static void names_of_words(const vcpuid_words w, strset *out)
{
	size_t n;
	const vcpuid_libvirt_feature *f = vcpuid_libvirt_features(&n);
	for (size_t i = 0; i < n; i++)
		if (f[i].word >= 0 && (w[f[i].word] >> f[i].bit & 1) &&
		    vcpuid_libvirt_feature_at((enum vcpuid_word)f[i].word,
					      f[i].bit) == &f[i])
			set_add(out, f[i].name);
}

/* The space separated names of s into out (or out of it). */
static void names_of_list(const char *s, strset *out, bool remove)
{
	while (s && *s) {
		size_t l = strcspn(s, " ");
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)l, s);
		if (!remove) {
			set_add(out, name);
		} else {
			for (size_t i = 0; i < out->n; i++)
				if (!strcmp(out->s[i], name)) {
					free(out->s[i]);
					out->s[i] = out->s[--out->n];
					break;
				}
		}
		s += l;
		s += strspn(s, " ");
	}
}

/* The features `virsh hypervisor-cpu-baseline --features` lists with
 * policy='require' for a host-model (KubeVirt's supported_features.xml):
 * the model's own plus the required, less the disabled ones. */
static void expanded(const char *model, const strset *req, const strset *dis,
		     strset *out)
{
	const vcpuid_libvirt_model *m = vcpuid_libvirt_model_find(model);
	names_of_list(m ? m->features : NULL, out, false);
	for (size_t i = 0; i < req->n; i++)
		set_add(out, req->s[i]);
	for (size_t i = 0; i < dis->n; i++)
		names_of_list(dis->s[i], out, true);
}

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
	if (s->n) /* qsort's base must not be NULL */
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

static void problemf(strset *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void problemf(strset *p, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	set_add(p, line);
}

/* A host profile (not the live host): the host-model as a -cpu spec under
 * enforce; a feature QEMU filters means it cannot start there. */
static void enforce_check(const vcpuid_host *h, const vcpuid_domcaps *d,
			  const char *machine, strset *problems,
			  vcpuid_words filtered)
{
	char *spec = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&spec, &len);
	if (!f) {
		problems->oom = true;
		return;
	}
	fputs(d->hm_model, f);
	for (int pass = 0; pass < 2; pass++)
		for (int w = 0; w < VCPUID_NWORDS; w++)
			for (unsigned b = 0; b < 64; b++) {
				const vcpuid_feature *q =
					vcpuid_feature_at((enum vcpuid_word)w, b);
				uint64_t m = pass ? d->hm_disable[w] : d->hm_require[w];
				if ((m >> b & 1) && q && q->bit == b)
					fprintf(f, ",%s=%s", q->name,
						pass ? "off" : "on");
			}
	fclose(f);
	if (!spec) {
		problems->oom = true;
		return;
	}
	vcpuid_cpu hm;
	vcpuid_error e2 = { 0 };
	if (!vcpuid_cpu_expand(h, spec, machine, NULL, &hm, &e2)) {
		if (filtered) {
			memcpy(filtered, hm.filtered, sizeof(vcpuid_words));
			vcpuid_cpu_free(&hm);
			free(spec);
			return;
		}
		for (size_t i = 0; i < hm.nfiltered; i++)
			problemf(problems, "host-model %s: %s is filtered on this "
				 "host (%s); a VM with it cannot start under "
				 "enforce", d->hm_model,
				 hm.filtered_list[i].name ?
				 hm.filtered_list[i].name : "a bit",
				 hm.filtered_list[i].reason);
	}
	vcpuid_cpu_free(&hm);
	free(spec);
}

/* A profile that records which feature MSRs KVM_SET_MSRS refuses (a probe
 * under a hypervisor that drops their CPUID bit): a host-model requiring
 * the CPUID bit that gates one cannot start (QEMU writes the MSR and
 * aborts); the host-model that starts disables those bits, as
 * vcpuid_libvirt_domcaps_check finds on the live host. */
static void refused_check(const vcpuid_host *h, vcpuid_domcaps *d,
			  strset *problems)
{
	if (!h->has_refused_msrs)
		return;
	size_t np;
	const vcpuid_msr_probe *p = vcpuid_msr_probes(&np);
	vcpuid_words drop = { 0 };
	char msrs[160] = "";
	size_t ml = 0;
	for (size_t k = 0; k < np; k++) {
		if (!p[k].leaf)
			continue;
		int w = vcpuid_word_for_reg(p[k].leaf, p[k].subleaf, p[k].reg);
		if (w < 0 || !(d->hm_require[w] >> p[k].bit & 1))
			continue;
		for (size_t i = 0; i < h->n_refused_msrs; i++)
			if (h->refused_msrs[i] == p[k].index) {
				drop[w] |= 1ull << p[k].bit;
				if (ml < sizeof(msrs))
					ml += (size_t)snprintf(msrs + ml,
						sizeof(msrs) - ml, "%s0x%x (%s)",
						ml ? ", " : "", p[k].index,
						p[k].name);
			}
	}
	strset names = { 0 };
	names_of_words(drop, &names);
	if (!names.n) {
		set_free(&names);
		return;
	}
	size_t len = 1;
	for (size_t i = 0; i < names.n; i++)
		len += strlen(names.s[i]) + 1;
	char *s = calloc(1, len);
	for (size_t i = 0; s && i < names.n; i++)
		strcat(strcat(s, i ? " " : ""), names.s[i]);
	if (!s) {
		problems->oom = true;
	} else {
		d->hm_starts = false;
		d->hm_drop = s;
		for (int i = 0; i < VCPUID_NWORDS; i++) {
			d->hm_require[i] &= ~drop[i];
			d->hm_disable[i] |= drop[i];
		}
		free(d->hm_why);
		d->hm_why = NULL;
		if (asprintf(&d->hm_why, "KVM_SET_MSRS refuses MSR %s, the "
			     "profile's refused_msrs", msrs) < 0) {
			d->hm_why = NULL;
			problems->oom = true;
		}
	}
	set_free(&names);
}

/* Nova maps names libvirt does not use: those traits never appear. */
static void nova_problems(const strset *features, strset *problems)
{
	for (size_t i = 0; i < ARRAY_SIZE(nova); i++) {
		if (vcpuid_libvirt_feature_find(nova[i].feature))
			continue;
		size_t nb;
		const vcpuid_feature *f = vcpuid_feature_lookup(nova[i].feature, &nb);
		const vcpuid_libvirt_feature *lf =
			f ? vcpuid_libvirt_feature_at(f->word, f->bit) : NULL;
		if (lf && set_has(features, lf->name))
			problemf(problems, "nova: CPU_TRAITS_MAPPING maps %s to "
				 "%s, but libvirt names the host's bit %s: %s is "
				 "never reported", nova[i].feature, nova[i].trait,
				 lf->name, nova[i].trait);
	}
}

/* libvirt reports <counter name='tsc'> (virsh capabilities, which the
 * labeller reads) only when the host CPU has invariant TSC: CPUID
 * 0x80000007 EDX[8] of the CPUID instruction. */
static bool host_invtsc(const vcpuid_host *h)
{
	if (!h->has_raw)
		return true; /* not known: as before, label the rate */
	const vcpuid_cpuid_entry *e = vcpuid_table_find(&h->raw, 0x80000007, 0);
	return e && (e->reg[VCPUID_EDX] >> 8 & 1);
}

/* Whether h is this machine as it runs now (the KVM ioctls of
 * vcpuid_libvirt_domcaps_check answer for it): a probe named "live" whose
 * kernel is the running one and whose CPUID leaves 0 and 1 (vendor,
 * signature) are this CPU's. A profile saved from a probe keeps the name
 * "live", hence the rest. */
static bool is_this_machine(const vcpuid_host *h)
{
	if (strcmp(h->source, "live") || !h->has_kvm)
		return false;
	struct utsname u;
	if (uname(&u) || strcmp(u.release, h->kernel))
		return false;
	static const uint32_t leaves[] = { 0, 1 };
	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++) {
		unsigned a, b, c, d;
		if (!__get_cpuid(leaves[i], &a, &b, &c, &d))
			return false;
		const vcpuid_cpuid_entry *e =
			vcpuid_table_find(&h->supported, leaves[i], 0);
		if (!e)
			return false;
		/* leaf 1: the signature only (EBX holds the APIC id) */
		if (i ? e->reg[VCPUID_EAX] != a :
			e->reg[VCPUID_EBX] != b || e->reg[VCPUID_ECX] != c ||
			e->reg[VCPUID_EDX] != d)
			return false;
	}
	return true;
}

static int kubevirt_labels(const vcpuid_host *h, vcpuid_labels *l,
			   const vcpuid_domcaps *d)
{
	size_t cap = 0;
	int rc = 0;
	for (size_t i = 0; i < l->nfeatures && !rc; i++)
		rc = add_label(l, &cap, "cpu-feature.node.kubevirt.io/",
			       l->features[i], "true");
	/* cpu-model: usable='yes'; cpu-model-migration: every model libvirt
	 * lists (KubeVirt's knownModels); obsolete ones neither */
	for (size_t i = 0; i < d->nmodels && !rc; i++) {
		const vcpuid_domcaps_model *m = &d->models[i];
		if (is_obsolete(m->name))
			continue;
		if (m->usable)
			rc = add_label(l, &cap, "cpu-model.node.kubevirt.io/",
				       m->name, "true");
		if (!rc)
			rc = add_label(l, &cap,
				       "cpu-model-migration.node.kubevirt.io/",
				       m->name, "true");
	}
	if (!rc && is_obsolete(l->host_model))
		rc = add_label(l, &cap, "node-labeller.kubevirt.io/obsolete-host-model",
			       "", "true");
	for (size_t i = 0; i < l->nrequired && !rc; i++)
		rc = add_label(l, &cap,
			       "host-model-required-features.node.kubevirt.io/",
			       l->required[i], "true");
	if (!rc)
		rc = add_label(l, &cap, "host-model-cpu.node.kubevirt.io/",
			       l->host_model, "true");
	if (!rc)
		rc = add_label(l, &cap, "cpu-vendor.node.kubevirt.io/", l->vendor,
			       "true");
	uint32_t khz = h->has_kvm && host_invtsc(h) ? vcpuid_host_tsc_khz(h) : 0;
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
	if (!rc && l->nkubevirt)
		qsort(l->kubevirt, l->nkubevirt, sizeof(*l->kubevirt), cmp_label);
	return rc;
}

int vcpuid_labels_compute(const vcpuid_host *host, const char *machine,
			  vcpuid_labels *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	vcpuid_domcaps d;
	int rc = vcpuid_libvirt_domcaps(host, machine, &d, err);
	if (rc)
		return rc;
	strset problems = { 0 }, req = { 0 }, dis = { 0 }, feats = { 0 },
	       lv_req = { 0 }, lv_dis = { 0 }, lv_feats = { 0 }, models = { 0 };
	/* libvirt's answer, names as it prints them */
	names_of_list(d.hm_require_names, &lv_req, false);
	names_of_list(d.hm_disable_names, &lv_dis, false);
	expanded(d.hm_model, &lv_req, &lv_dis, &lv_feats);
	if (is_this_machine(host)) {
		/* the live host: does QEMU start libvirt's host-model? */
		vcpuid_error ce = { 0 };
		if (vcpuid_libvirt_domcaps_check(&d, host, &ce))
			problemf(&problems, "could not try libvirt's host-model "
				 "on this host's KVM: %s", ce.msg);
	} else {
		refused_check(host, &d, &problems);
	}
	if (!d.hm_starts && d.hm_drop) {
		/* what depends on a dropped bit goes with it (ARCH_CAPABILITIES'
		 * bits with arch-capabilities): QEMU would filter it */
		vcpuid_words dep = { 0 };
		enforce_check(host, &d, machine, &problems, dep);
		for (int i = 0; i < VCPUID_NWORDS; i++) {
			dep[i] &= d.hm_require[i];
			d.hm_require[i] &= ~dep[i];
			d.hm_disable[i] |= dep[i];
		}
		strset dn = { 0 };
		names_of_list(d.hm_drop, &dn, false);
		names_of_words(dep, &dn);
		char list[1024] = "";
		for (size_t i = 0, l = 0; i < dn.n && l < sizeof(list); i++)
			l += (size_t)snprintf(list + l, sizeof(list) - l, "%s%s",
					      i ? " " : "", dn.s[i]);
		problems.oom |= dn.oom;
		set_free(&dn);
		problemf(&problems, "libvirt's host-model %s cannot start on this "
			 "host: QEMU aborts (%s); the labels follow the host-model "
			 "that starts, which disables %s", d.hm_model,
			 d.hm_why ? d.hm_why : "launch failure", list);
	} else if (!d.hm_starts) {
		problemf(&problems, "libvirt's host-model %s cannot start on this "
			 "host: QEMU aborts (%s); no host-model found that starts: "
			 "the labels keep libvirt's", d.hm_model,
			 d.hm_why ? d.hm_why : "launch failure");
	} else {
		enforce_check(host, &d, machine, &problems, NULL);
	}
	if (!d.hm_starts && d.hm_drop) {
		names_of_words(d.hm_require, &req);
		names_of_words(d.hm_disable, &dis);
	} else {
		for (size_t i = 0; i < lv_req.n; i++)
			set_add(&req, lv_req.s[i]);
		for (size_t i = 0; i < lv_dis.n; i++)
			set_add(&dis, lv_dis.s[i]);
	}
	expanded(d.hm_model, &req, &dis, &feats);
	/* what libvirt-based labelling sets that the host-model that starts
	 * does not have */
	for (size_t i = 0; i < lv_feats.n; i++)
		if (!set_has(&feats, lv_feats.s[i]))
			problemf(&problems, "libvirt-based labelling sets "
				 "cpu-feature.node.kubevirt.io/%s%s%s, which no VM "
				 "with host-model has here", lv_feats.s[i],
				 set_has(&lv_req, lv_feats.s[i]) ? " and host-model-"
				 "required-features.node.kubevirt.io/" : "",
				 set_has(&lv_req, lv_feats.s[i]) ? lv_feats.s[i] : "");
	nova_problems(&feats, &problems);
	snprintf(out->host_model, sizeof(out->host_model), "%s", d.hm_model);
	snprintf(out->vendor, sizeof(out->vendor), "%s", d.hm_vendor);
	for (size_t i = 0; i < d.nmodels; i++)
		if (d.models[i].usable && !is_obsolete(d.models[i].name))
			set_add(&models, d.models[i].name);
	bool oom = problems.oom || req.oom || dis.oom || feats.oom ||
		   lv_req.oom || lv_dis.oom || lv_feats.oom || models.oom;
	out->features = take(&feats, &out->nfeatures);
	out->required = take(&req, &out->nrequired);
	out->disabled = take(&dis, &out->ndisabled);
	out->models = take(&models, &out->nmodels);
	out->problems = take(&problems, &out->nproblems);
	if (oom)
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	if (!rc && kubevirt_labels(host, out, &d))
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	if (!rc) {
		size_t nt = 0;
		const strset fs = { out->features, out->nfeatures, 0, false };
		out->traits = calloc(ARRAY_SIZE(nova), sizeof(*out->traits));
		if (!out->traits)
			rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		for (size_t i = 0; !rc && i < ARRAY_SIZE(nova); i++)
			if (set_has(&fs, nova[i].feature))
				out->traits[nt++] = nova[i].trait;
		if (!rc) {
			if (nt)
				qsort(out->traits, nt, sizeof(*out->traits),
				      cmp_cstr);
			out->ntraits = nt;
		}
	}
	set_free(&lv_req);
	set_free(&lv_dis);
	set_free(&lv_feats);
	vcpuid_libvirt_domcaps_free(&d);
	if (rc)
		vcpuid_labels_free(out);
	return rc;
}
