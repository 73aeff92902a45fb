/* SPDX-License-Identifier: MIT */
/* The <cpu> part of `virsh domcapabilities --virttype kvm`, as libvirt 9.0
 * computes it from QEMU's answers:
 *
 * - custom: every libvirt model (data/libvirt_models.def) QEMU's release
 *   knows, in reverse name order, usable='yes' when
 *   QEMU's expansion of it on the host filters nothing (QEMU's
 *   unavailable-features of query-cpu-definitions), vendor= libvirt's vendor
 *   of the model or 'unknown';
 * - host-model: QEMU's expansion of `host,migratable=off` (what libvirt's
 *   query-cpu-model-expansion of host gives it) in libvirt's names, decoded
 *   as libvirt's x86Decode does (guest type): every libvirt model QEMU knows,
 *   newest first, of the host's vendor or none, with decode guest='on';
 *   features = host - model (require) and model - host (disable), in
 *   libvirt's feature order; a model whose signatures match the host's
 *   family/model wins over one whose do not, else the smaller count wins,
 *   each disabled feature counting 2, 3, 4, ... (libvirt's penalty);
 *   broken TSX (Intel family 6 model 60/69/70, 63 stepping < 4) dropped
 *   first. */
#include <stdlib.h>
#include <string.h>
#include "stages.h"
#include "synth/synth.h"
#include "vcpuid/libvirt.h"
#include "vcpuid/guest.h"
#include "vcpuid/verify.h"
#include "vcpuid/apply.h"

void vcpuid_libvirt_domcaps_free(vcpuid_domcaps *d)
{
	for (size_t i = 0; d->models && i < d->nmodels; i++)
		free(d->models[i].blockers);
	free(d->models);
	free(d->hm_require_names);
	free(d->hm_disable_names);
	free(d->hm_why);
	free(d->hm_drop);
	memset(d, 0, sizeof(*d));
}

/* libvirt names of the bits of w, in libvirt's order, space separated */
static char *lv_names(const vcpuid_words w)
{
	size_t n, len = 0, cap = 1;
	const vcpuid_libvirt_feature *f = vcpuid_libvirt_features(&n);
	for (size_t i = 0; i < n; i++)
		cap += strlen(f[i].name) + 1;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = 0;
	for (size_t i = 0; i < n; i++)
		if (f[i].word >= 0 && (w[f[i].word] >> f[i].bit & 1) &&
		    vcpuid_libvirt_feature_at(f[i].word, f[i].bit) == &f[i])
			len += (size_t)sprintf(s + len, "%s%s", len ? " " : "", f[i].name);
	return s;
}

/* the libvirt-named bits only */
static void lv_mask(vcpuid_words w)
{
	for (int i = 0; i < VCPUID_NWORDS; i++)
		for (unsigned b = 0; b < 64; b++)
			if ((w[i] >> b & 1) && !vcpuid_libvirt_feature_at(i, b))
				w[i] &= ~(1ull << b);
}

static size_t popcount_words(const vcpuid_words w)
{
	size_t n = 0;
	for (int i = 0; i < VCPUID_NWORDS; i++)
		n += (size_t)__builtin_popcountll(w[i]);
	return n;
}

/* libvirt's count of a candidate: enabled features plus a growing penalty
 * (2, 3, ...) per disabled one */
static size_t lv_cost(const vcpuid_words req, const vcpuid_words dis,
		      size_t *disabled_cost)
{
	size_t nd = popcount_words(dis), pen = 0;
	for (size_t i = 0; i < nd; i++)
		pen += 2 + i;
	*disabled_cost = pen;
	return popcount_words(req) + pen;
}

static int host_model(const vcpuid_host *host, vcpuid_domcaps *d,
		      vcpuid_error *err)
{
	vcpuid_cpu hc;
	int rc = ve_expand(host, "host,migratable=off", LV_MACHINE(d->machine),
				   NULL, &hc, err);
	if (rc == VCPUID_E_ENFORCE)
		rc = 0;
	if (rc) {
		vcpuid_cpu_free(&hc);
		return rc;
	}
	vcpuid_words data;
	memcpy(data, hc.features, sizeof(data));
	lv_mask(data);
	const char *vendor = vcpuid_libvirt_vendor(hc.vendor);
	snprintf(d->hm_vendor, sizeof(d->hm_vendor), "%s", vendor ? vendor : "");
	unsigned fam = hc.family, mod = hc.model_num, step = hc.stepping;
	vcpuid_cpu_free(&hc);
	if (vendor && !strcmp(vendor, "Intel") && fam == 6 &&
	    ((mod == 63 && step < 4) || mod == 60 || mod == 69 || mod == 70)) {
		enum vcpuid_word w;
		uint64_t m = vcpuid_feature_mask("hle", &w);
		data[w] &= ~m;
		m = vcpuid_feature_mask("rtm", &w);
		data[w] &= ~m;
	}
	size_t n;
	const vcpuid_libvirt_model *lm = vcpuid_libvirt_models(&n);
	const vcpuid_libvirt_model *best = NULL;
	size_t best_cost = 0, best_dis = 0;
	bool best_sig = false;
	for (size_t i = n; i-- > 0;) {
		vcpuid_model_ref ref;
		vcpuid_error e = { 0 };
		if (vcpuid_model_resolve(lm[i].name, d->machine, &ref, &e))
			continue;
		if (vendor && *lm[i].vendor && strcmp(vendor, lm[i].vendor))
			continue;
		if (!(lm[i].decode & VCPUID_LV_DECODE_GUEST))
			continue;
		vcpuid_words mw, req, dis;
		vcpuid_libvirt_model_words(&lm[i], mw);
		for (int w = 0; w < VCPUID_NWORDS; w++) {
			req[w] = data[w] & ~mw[w];
			dis[w] = mw[w] & ~data[w];
		}
		size_t dcost, cost = lv_cost(req, dis, &dcost);
		bool sig = vcpuid_libvirt_model_signature(&lm[i], fam, mod, step);
		bool take;
		if (!best)
			take = true;
		else if (best_sig && !sig)
			take = false;
		else if (!best_sig && sig)
			take = true;
		else
			take = cost < best_cost || (cost == best_cost && dcost < best_dis);
		if (take) {
			best = &lm[i];
			best_cost = cost;
			best_dis = dcost;
			best_sig = sig;
			memcpy(d->hm_require, req, sizeof(req));
			memcpy(d->hm_disable, dis, sizeof(dis));
		}
	}
	if (!best)
		return vcpuid_fail(err, VCPUID_E_UNKNOWN, "domcapabilities: no libvirt "
				   "model fits this host (libvirt: Cannot find "
				   "suitable CPU model for given data)");
	d->hm_model = best->name;
	d->hm_require_names = lv_names(d->hm_require);
	d->hm_disable_names = lv_names(d->hm_disable);
	if (!d->hm_require_names || !d->hm_disable_names)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	d->hm_starts = true;
	return 0;
}

static int by_name_desc(const void *a, const void *b)
{
	return strcmp(((const vcpuid_domcaps_model *)b)->name,
		      ((const vcpuid_domcaps_model *)a)->name);
}

int vcpuid_libvirt_domcaps(const vcpuid_host *host, const char *machine,
			   vcpuid_domcaps *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	out->machine = vcpuid_machine_find(machine);
	if (!out->machine)
		return vcpuid_fail(err, VCPUID_E_UNKNOWN, "unknown machine type '%s'",
				   machine);
	if (!host || !host->has_kvm)
		return vcpuid_fail(err, VCPUID_E_NOKVM, "domcapabilities --virttype "
				   "kvm needs a host with KVM%s%s",
				   host && *host->kvm_absent ? ": " : "",
				   host ? host->kvm_absent : "");
	int rc = host_model(host, out, err);
	size_t n;
	const vcpuid_libvirt_model *lm = vcpuid_libvirt_models(&n);
	if (!rc && !(out->models = calloc(n ? n : 1, sizeof(*out->models))))
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	for (size_t i = n; !rc && i-- > 0;) {
		vcpuid_model_ref ref;
		vcpuid_error e = { 0 };
		if (vcpuid_model_resolve(lm[i].name, out->machine, &ref, &e))
			continue;
		vcpuid_cpu c;
		rc = ve_expand(host, lm[i].name, LV_MACHINE(out->machine), NULL,
				       &c, err);
		if (rc == VCPUID_E_ENFORCE)
			rc = 0;
		if (!rc) {
			vcpuid_domcaps_model *m = &out->models[out->nmodels++];
			m->name = lm[i].name;
			m->vendor = *lm[i].vendor ? lm[i].vendor : "unknown";
			m->usable = c.nfiltered == 0 && !c.avx10_filtered;
			vcpuid_words fw;
			memcpy(fw, c.filtered, sizeof(fw));
			m->blockers = lv_names(fw);
			if (!m->blockers)
				rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		}
		vcpuid_cpu_free(&c);
	}
	/* libvirt 9.0 lists them in reverse strcmp order of their names (seen
	 * in `virsh domcapabilities` with QEMU 7.2; tests/libvirt checks it) */
	if (!rc && out->nmodels)
		qsort(out->models, out->nmodels, sizeof(*out->models), by_name_desc);
	if (rc)
		vcpuid_libvirt_domcaps_free(out);
	return rc;
}

/* the host-model as a -cpu spec, less the features of drop */
static char *hm_spec(const vcpuid_domcaps *d, const vcpuid_words drop)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	if (!f)
		return NULL;
	fputs(d->hm_model, f);
	for (int pass = 0; pass < 2; pass++)
		for (int w = 0; w < VCPUID_NWORDS; w++)
			for (unsigned b = 0; b < 64; b++) {
				const vcpuid_feature *q = vcpuid_feature_at(w, b);
				uint64_t m = pass ? d->hm_disable[w] | drop[w]
						  : d->hm_require[w] & ~drop[w];
				if ((m >> b & 1) && q && q->bit == b)
					fprintf(f, ",%s=%s", q->name, pass ? "off" : "on");
			}
	fclose(f);
	return s;
}

/* 0 and *fails set: whether QEMU would abort on the live host */
static int live_fails(const vcpuid_host *live, const char *spec,
		      const char *machine, bool *fails, char **why,
		      vcpuid_error *err)
{
	vcpuid_guest g;
	vcpuid_topology topo = { 1, 1, 1, 1, 1, 1 };
	int rc = vs_guest_build(live, spec, machine, &topo, &g, err);
	if (rc)
		return rc;
	vcpuid_verify_opts o = { .run_guest = false };
	vcpuid_verify_result r;
	rc = vcpuid_verify(g.vcpus, g.nvcpus, &o, &r, err);
	vcpuid_guest_free(&g);
	if (rc)
		return rc;
	*fails = r.launch_failures > 0;
	if (why && *fails) {
		/* the report's first REFUSED/launch line */
		const char *p = strstr(r.text, "REFUSED");
		if (!p)
			p = r.text;
		size_t l = strcspn(p, "\n");
		*why = strndup(p, l);
	}
	vcpuid_verify_result_free(&r);
	return 0;
}

int vcpuid_libvirt_domcaps_check(vcpuid_domcaps *d, const vcpuid_host *live,
				 vcpuid_error *err)
{
	vcpuid_words none = { 0 };
	char *spec = hm_spec(d, none);
	if (!spec)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	bool fails = false;
	int rc = live_fails(live, spec, LV_MACHINE(d->machine), &fails, &d->hm_why, err);
	free(spec);
	if (rc || !fails)
		return rc;
	d->hm_starts = false;
	/* The feature MSRs QEMU writes are gated by CPUID bits (verify's
	 * probe table): drop a required gate, one at a time, then all. */
	size_t np;
	const vcpuid_msr_probe *p = vcpuid_msr_probes(&np);
	vcpuid_words gates = { 0 };
	for (size_t k = 0; k < np; k++) {
		if (!p[k].leaf)
			continue;
		int w = vcpuid_word_for_reg(p[k].leaf, p[k].subleaf, p[k].reg);
		if (w >= 0 && (d->hm_require[w] >> p[k].bit & 1))
			gates[w] |= 1ull << p[k].bit;
	}
	/* candidates: each gate alone, then all of them */
	size_t ng = popcount_words(gates);
	for (size_t c = 0; c <= ng; c++) {
		vcpuid_words drop = { 0 };
		if (c == ng) {
			if (ng < 2)
				break;
			memcpy(drop, gates, sizeof(drop));
		} else {
			size_t k = 0;
			for (int w = 0; w < VCPUID_NWORDS; w++)
				for (unsigned b = 0; b < 64; b++)
					if ((gates[w] >> b & 1) && k++ == c)
						drop[w] = 1ull << b;
		}
		if (!(spec = hm_spec(d, drop)))
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		rc = live_fails(live, spec, LV_MACHINE(d->machine), &fails, NULL, err);
		free(spec);
		if (rc)
			return rc;
		if (!fails) {
			if (!(d->hm_drop = lv_names(drop)))
				return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
			for (int i = 0; i < VCPUID_NWORDS; i++) {
				d->hm_require[i] &= ~drop[i];
				d->hm_disable[i] |= drop[i];
			}
			return 0;
		}
	}
	return 0;
}

int vcpuid_libvirt_domcaps_xml(const vcpuid_domcaps *d, bool blockers,
			       char **xml, vcpuid_error *err)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	if (!f)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	fputs("  <cpu>\n"
	      "    <mode name='host-passthrough' supported='yes'>\n"
	      "      <enum name='hostPassthroughMigratable'>\n"
	      "        <value>on</value>\n"
	      "        <value>off</value>\n"
	      "      </enum>\n"
	      "    </mode>\n"
	      "    <mode name='maximum' supported='yes'>\n"
	      "      <enum name='maximumMigratable'>\n"
	      "        <value>on</value>\n"
	      "        <value>off</value>\n"
	      "      </enum>\n"
	      "    </mode>\n", f);
	fprintf(f, "    <mode name='host-model' supported='yes'>\n"
		"      <model fallback='forbid'>%s</model>\n", d->hm_model);
	if (*d->hm_vendor)
		fprintf(f, "      <vendor>%s</vendor>\n", d->hm_vendor);
	for (int pass = 0; pass < 2; pass++) {
		const char *p = pass ? d->hm_disable_names : d->hm_require_names;
		while (p && *p) {
			size_t l = strcspn(p, " ");
			fprintf(f, "      <feature policy='%s' name='%.*s'/>\n",
				pass ? "disable" : "require", (int)l, p);
			p += l;
			p += strspn(p, " ");
		}
	}
	fputs("    </mode>\n    <mode name='custom' supported='yes'>\n", f);
	for (size_t i = 0; i < d->nmodels; i++) {
		const vcpuid_domcaps_model *m = &d->models[i];
		fprintf(f, "      <model usable='%s' vendor='%s'>%s</model>\n",
			m->usable ? "yes" : "no", m->vendor, m->name);
	}
	for (size_t i = 0; blockers && i < d->nmodels; i++) {
		const vcpuid_domcaps_model *m = &d->models[i];
		if (m->usable || !*m->blockers)
			continue;
		fprintf(f, "      <blockers model='%s'>\n", m->name);
		const char *p = m->blockers;
		while (*p) {
			size_t l = strcspn(p, " ");
			fprintf(f, "        <feature name='%.*s'/>\n", (int)l, p);
			p += l;
			p += strspn(p, " ");
		}
		fputs("      </blockers>\n", f);
	}
	fputs("    </mode>\n  </cpu>\n", f);
	fclose(f);
	*xml = s;
	return 0;
}
