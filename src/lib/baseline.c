/* SPDX-License-Identifier: MIT */
/* baseline: the CPU every given host can run with the most features, as a
 * QEMU -cpu spec: the best named model plus common extras minus what some
 * host lacks, proven by expanding it on every host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stages.h"
#include "vcpuid/fleet.h"
#include "vcpuid/level.h"

static unsigned popcount_named(const vcpuid_words w)
{
	unsigned n = 0;
	for (int i = 0; i < VCPUID_NWORDS; i++)
		n += (unsigned)__builtin_popcountll(w[i]);
	return n;
}

/* Keep only bits a user can name in a -cpu spec on this machine type. */
static void mask_nameable(vcpuid_words w, unsigned qemu)
{
	for (int i = 0; i < VCPUID_NWORDS; i++)
		for (unsigned b = 0; b < 64; b++) {
			const vcpuid_feature *f = vcpuid_feature_at(i, b);
			if (!f || (f->flags & VCPUID_F_COMPUTED) ||
			    f->qemu_since > qemu)
				w[i] &= ~(1ull << b);
		}
}

static int append(char *buf, size_t len, const char *sign, const vcpuid_words w)
{
	size_t off = strlen(buf);
	for (int i = 0; i < VCPUID_NWORDS; i++)
		for (unsigned b = 0; b < 64; b++) {
			if (!(w[i] >> b & 1))
				continue;
			const vcpuid_feature *f = vcpuid_feature_at(i, b);
			/* A name on several bits is written once. */
			if (f->bit != b)
				continue;
			int n = snprintf(buf + off, len - off, ",%s%s", sign, f->name);
			if (n < 0 || (size_t)n >= len - off)
				return VCPUID_E_LIMIT;
			off += (size_t)n;
		}
	return 0;
}

/* Which feature turns each XSAVE component on (data/xsave.def): the
 * component words have no names a spec can turn off, the feature has. */
struct xsave_area {
	unsigned comp;
	enum vcpuid_word w;
	unsigned bit;
	bool xss;
	uint16_t since, until;
};
static const struct xsave_area xsave_areas[] = {
#define XCR0 false
#define XSS true
#define XSAVE_AREA(c, w, b, k, m, s, u) { c, VCPUID_W_##w, b, k, s, u },
#include "data/xsave.def"
#undef XCR0
#undef XSS
};

/* A filtered bit no name turns off: when it is an XSAVE component (KVM's
 * XCR0/XSS lacks it), turn off what enables it on this machine type, as
 * far as `requested` has it. False when nothing names it. */
static bool drop_component(int w, unsigned b, unsigned qemu,
			   const vcpuid_words requested, vcpuid_words plus,
			   vcpuid_words minus)
{
	bool xss = w == VCPUID_W_XSAVE_XSS_LO || w == VCPUID_W_XSAVE_XSS_HI;
	bool hi = w == VCPUID_W_XSAVE_XCR0_HI || w == VCPUID_W_XSAVE_XSS_HI;
	if (!xss && !hi && w != VCPUID_W_XSAVE_XCR0_LO)
		return false;
	unsigned comp = b + (hi ? 32 : 0);
	bool dropped = false;
	for (size_t i = 0; i < sizeof(xsave_areas) / sizeof(xsave_areas[0]); i++) {
		const struct xsave_area *a = &xsave_areas[i];
		if (a->comp != comp || a->xss != xss || qemu < a->since ||
		    qemu >= a->until || !(requested[a->w] >> a->bit & 1) ||
		    !vcpuid_feature_at(a->w, a->bit))
			continue;
		plus[a->w] &= ~(1ull << a->bit);
		minus[a->w] |= 1ull << a->bit;
		dropped = true;
	}
	return dropped;
}

/* What the model asks for on host h (expanded, not filtered). */
static int model_request(const vcpuid_host *h, const char *name,
			 const char *machine, vcpuid_words out)
{
	char spec[128];
	snprintf(spec, sizeof(spec), "%.100s,check=off", name);
	vcpuid_cpu c;
	int rc = vcpuid_cpu_expand(h, spec, machine, NULL, &c, NULL);
	if (rc)
		return rc;
	memcpy(out, c.requested, sizeof(vcpuid_words));
	vcpuid_cpu_free(&c);
	return 0;
}

int vcpuid_baseline_compute(const vcpuid_host *const *hosts, size_t nhosts,
			    const char *machine, unsigned flags,
			    vcpuid_baseline *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!nhosts)
		return vcpuid_fail(err, VCPUID_E_USAGE, "baseline: no hosts given");
	const vcpuid_machine *mt = vcpuid_machine_find(machine);
	if (!mt)
		return vcpuid_fail(err, VCPUID_E_UNKNOWN, "unknown machine type '%s'",
				   machine);
	vcpuid_host_vendor(hosts[0], out->vendor);
	bool cross = flags & VCPUID_BASELINE_CROSS_VENDOR;
	for (size_t i = 1; i < nhosts; i++) {
		char v[13];
		vcpuid_host_vendor(hosts[i], v);
		if (cross && strcmp(v, out->vendor))
			snprintf(out->vendor, sizeof(out->vendor), "mixed");
		else if (strcmp(v, out->vendor))
			return vcpuid_fail(err, VCPUID_E_NEGATIVE,
					   "baseline: %s is %s but %s is %s: no CPU "
					   "runs on both", hosts[0]->source,
					   *out->vendor ? out->vendor : "(no vendor: no CPUID leaf 0)",
					   hosts[i]->source,
					   *v ? v : "(no vendor: no CPUID leaf 0)");
	}

	/* 1. What every host offers: what QEMU counts as supported there (KVM
	 * with QEMU's corrections, feature MSRs included), intersected. That is
	 * more than "max" turns on by itself (e.g. topoext), but not what max
	 * withholds for the vendor (arch-capabilities for AMD guests, which
	 * QEMU hides from them on purpose). */
	vcpuid_words common;
	memset(common, 0xff, sizeof(common));
	for (size_t i = 0; i < nhosts; i++) {
		vcpuid_cpu c;
		int rc = ve_expand(hosts[i], "max,check=off", machine, NULL,
					   &c, err);
		if (rc)
			return rc;
		for (int w = 0; w < VCPUID_NWORDS; w++)
			common[w] &= c.supported[w] & ~c.max_withheld[w];
		vcpuid_cpu_free(&c);
	}
	mask_nameable(common, mt->qemu);
	if (flags & VCPUID_BASELINE_MIGRATABLE)
		for (int w = 0; w < VCPUID_NWORDS; w++)
			for (unsigned b = 0; b < 64; b++) {
				const vcpuid_feature *f = vcpuid_feature_at(w, b);
				if (f && (f->flags & VCPUID_F_UNMIGRATABLE))
					common[w] &= ~(1ull << b);
			}

	/* 2. The named model closest to it: most common features kept, each
	 * feature to disable costs two; later (newer) wins ties. */
	size_t nm;
	const vcpuid_model_def *models = vcpuid_models(&nm);
	long best_score = -1;
	vcpuid_words best_req;
	for (size_t i = 0; i < nm; i++) {
		const vcpuid_model_def *m = &models[i];
		if ((!m->generic && (cross || strcmp(m->vendor, out->vendor))) ||
		    m->qemu_since > mt->qemu)
			continue;
		int nv = 1;
		while (m->versions && m->versions[nv].version)
			nv++;
		for (int v = 1; v <= nv; v++) {
			if (m->versions && m->versions[v - 1].qemu_since > mt->qemu)
				continue;
			char name[96];
			snprintf(name, sizeof(name), "%s-v%d", m->name, v);
			vcpuid_words req, have, miss;
			if (model_request(hosts[0], name, machine, req))
				continue;
			mask_nameable(req, mt->qemu);
			for (int w = 0; w < VCPUID_NWORDS; w++) {
				have[w] = req[w] & common[w];
				miss[w] = req[w] & ~common[w];
			}
			long score = (long)popcount_named(have) -
				     2 * (long)popcount_named(miss);
			if (score >= best_score) {
				best_score = score;
				out->model = m;
				out->version = v;
				memcpy(best_req, req, sizeof(req));
			}
		}
	}

	/* 3. The spec, then proof on every host; what a host still filters
	 * (defaults differ between hosts) is disabled and we try again. */
	/* Never-auto-enabled bits (topoext, kvm-hint-dedicated...) are
	 * configuration choices, not capabilities: kept when the model has them
	 * and every host supports them, never added as extras. */
	vcpuid_words extras;
	memcpy(extras, common, sizeof(common));
	for (int w = 0; w < VCPUID_NWORDS; w++)
		for (unsigned b = 0; b < 64; b++) {
			const vcpuid_feature *f = vcpuid_feature_at(w, b);
			if (f && (f->flags & VCPUID_F_NO_AUTOENABLE))
				extras[w] &= ~(1ull << b);
		}
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		out->plus[w] = extras[w] & ~(out->model ? best_req[w] : 0);
		out->minus[w] = out->model ? best_req[w] & ~common[w] : 0;
	}
	for (int round = 0; round < 4; round++) {
		if (out->model)
			snprintf(out->spec, sizeof(out->spec), "%s-v%d",
				 out->model->name, out->version);
		else
			snprintf(out->spec, sizeof(out->spec), "base");
		if (append(out->spec, sizeof(out->spec), "+", out->plus) ||
		    append(out->spec, sizeof(out->spec), "-", out->minus))
			return vcpuid_fail(err, VCPUID_E_LIMIT,
					   "baseline: the spec is too long");
		bool clean = true;
		for (size_t i = 0; i < nhosts; i++) {
			vcpuid_cpu c;
			char spec[sizeof(out->spec) + 16];
			snprintf(spec, sizeof(spec), "%s,check=off", out->spec);
			int rc = vcpuid_cpu_expand(hosts[i], spec, machine, NULL, &c, err);
			if (rc)
				return rc;
			if (i == 0)
				memcpy(out->features, c.features, sizeof(c.features));
			for (int w = 0; w < VCPUID_NWORDS; w++) {
				uint64_t lost = c.filtered[w];
				if (i != 0)
					out->features[w] &= c.features[w];
				if (!lost)
					continue;
				clean = false;
				uint64_t named = lost;
				for (unsigned b = 0; b < 64; b++) {
					if (!(named >> b & 1) || vcpuid_feature_at(w, b))
						continue;
					named &= ~(1ull << b);
					if (!drop_component(w, b, mt->qemu, c.requested,
							    out->plus, out->minus)) {
						vcpuid_cpu_free(&c);
						return vcpuid_fail(err, VCPUID_E_NEGATIVE,
							"baseline: %s filters bit %u of "
							"feature word %s, which no feature "
							"name turns off (spec %s)",
							hosts[i]->source, b,
							vcpuid_word(w)->id, out->spec);
					}
				}
				uint64_t was_plus = out->plus[w] & lost;
				out->plus[w] &= ~lost;
				out->minus[w] |= named & ~was_plus;
			}
			vcpuid_cpu_free(&c);
		}
		if (clean) {
			out->level = vcpuid_level_of(out->features);
			return 0;
		}
	}
	return vcpuid_fail(err, VCPUID_E_NEGATIVE,
			   "baseline: no spec found that every host accepts (last "
			   "try: %s)", out->spec);
}
