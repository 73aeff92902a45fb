/* SPDX-License-Identifier: MIT */
/* matrix: models x hosts usability, and hosts grouped into pools that can
 * run the same models (each pool with its baseline). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stages.h"
#include "vcpuid/fleet.h"
#include "vcpuid/level.h"

void vcpuid_matrix_free(vcpuid_matrix *m)
{
	for (size_t i = 0; i < m->nmodels; i++)
		free(m->models[i]);
	for (size_t i = 0; i < m->nmodels * m->nhosts; i++)
		free(m->cells[i].missing);
	for (size_t i = 0; i < m->npools; i++) {
		free(m->pools[i].hosts);
		free(m->pools[i].baseline);
	}
	free(m->models);
	free(m->cells);
	free(m->pools);
	memset(m, 0, sizeof(*m));
}

/* Every "Model-vN" the machine type knows, in catalog order. */
static int all_models(const vcpuid_machine *mt, char ***out, size_t *n)
{
	size_t nm, cap = 0;
	const vcpuid_model_def *m = vcpuid_models(&nm);
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < nm; i++) {
		if (m[i].qemu_since > mt->qemu)
			continue;
		int nv = 1;
		while (m[i].versions && m[i].versions[nv].version)
			nv++;
		for (int v = 1; v <= nv; v++) {
			if (m[i].versions && m[i].versions[v - 1].qemu_since > mt->qemu)
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				char **nl = realloc(*out, cap * sizeof(*nl));
				if (!nl)
					return VCPUID_E_NOMEM;
				*out = nl;
			}
			char name[96];
			snprintf(name, sizeof(name), "%s-v%d", m[i].name, v);
			if (!((*out)[(*n)++] = strdup(name)))
				return VCPUID_E_NOMEM;
		}
	}
	return 0;
}

static char *missing_names(const vcpuid_cpu *c)
{
	size_t len = 1 + 24; /* + " avx10-version" */
	for (size_t i = 0; i < c->nfiltered; i++)
		len += (c->filtered_list[i].name ? strlen(c->filtered_list[i].name)
						 : 24) + 1;
	char *s = malloc(len), *p = s;
	if (!s)
		return NULL;
	*p = 0;
	for (size_t i = 0; i < c->nfiltered; i++) {
		const vcpuid_filtered *f = &c->filtered_list[i];
		if (f->name)
			p += sprintf(p, "%s%s", p == s ? "" : " ", f->name);
		else
			p += sprintf(p, "%s%s[%u]", p == s ? "" : " ",
				     vcpuid_word(f->word)->id, f->bit);
	}
	if (c->avx10_filtered) /* the AVX10 version, a filtered feature too */
		sprintf(p, "%savx10-version", p == s ? "" : " ");
	return s;
}

int vcpuid_matrix_compute(const vcpuid_host *const *hosts, size_t nhosts,
			  const char *const *models, size_t nmodels,
			  const char *machine, vcpuid_matrix *out,
			  vcpuid_error *err)
{
	return vcpuid_matrix_compute_ex(hosts, nhosts, models, nmodels, machine,
					0, out, err);
}

/* The pool key of host h: its usable-model column, or across vendors the
 * level its `max` reaches. */
static int best_level(const vcpuid_host *h, const char *machine,
		      vcpuid_error *err)
{
	vcpuid_cpu c;
	int rc = ve_expand(h, "max,check=off", machine, NULL, &c, err);
	if (rc)
		return -rc;
	int l = vcpuid_level_of(c.features);
	vcpuid_cpu_free(&c);
	return l;
}

static bool same_pool(const vcpuid_matrix *out, const int *lv, size_t h,
		      size_t first)
{
	if (lv)
		return lv[h] == lv[first];
	for (size_t m = 0; m < out->nmodels; m++)
		if (out->cells[m * out->nhosts + h].usable !=
		    out->cells[m * out->nhosts + first].usable)
			return false;
	return true;
}

int vcpuid_matrix_compute_ex(const vcpuid_host *const *hosts, size_t nhosts,
			     const char *const *models, size_t nmodels,
			     const char *machine, unsigned flags,
			     vcpuid_matrix *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	/* An empty matrix is no answer: say so rather than print nothing. */
	if (!nhosts)
		return vcpuid_fail(err, VCPUID_E_USAGE, "matrix: no hosts given");
	if (models && !nmodels)
		return vcpuid_fail(err, VCPUID_E_USAGE, "matrix: no models given");
	const vcpuid_machine *mt = vcpuid_machine_find(machine);
	if (!mt)
		return vcpuid_fail(err, VCPUID_E_UNKNOWN, "unknown machine type '%s'",
				   machine);
	int rc = 0;
	if (models) {
		out->models = calloc(nmodels ? nmodels : 1, sizeof(char *));
		for (size_t i = 0; out->models && i < nmodels; i++)
			if (!(out->models[out->nmodels++] = strdup(models[i])))
				rc = VCPUID_E_NOMEM;
		if (!out->models)
			rc = VCPUID_E_NOMEM;
	} else {
		rc = all_models(mt, &out->models, &out->nmodels);
	}
	out->nhosts = nhosts;
	out->cells = calloc(out->nmodels * nhosts + 1, sizeof(*out->cells));
	if (rc || !out->cells) {
		vcpuid_matrix_free(out);
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	}
	for (size_t m = 0; m < out->nmodels; m++)
		for (size_t h = 0; h < nhosts; h++) {
			char spec[128];
			snprintf(spec, sizeof(spec), "%s,check=off", out->models[m]);
			vcpuid_cpu c;
			rc = vcpuid_cpu_expand(hosts[h], spec, machine, NULL, &c, err);
			if (rc) {
				vcpuid_matrix_free(out);
				return rc;
			}
			vcpuid_matrix_cell *cell = &out->cells[m * nhosts + h];
			cell->usable = c.nfiltered == 0 && !c.avx10_filtered;
			cell->missing = missing_names(&c);
			cell->level = vcpuid_level_of(c.features);
			vcpuid_cpu_free(&c);
		}

	/* Pools: hosts whose usable-model column is the same; across
	 * vendors, hosts whose best x86-64 level is the same. */
	bool cross = flags & VCPUID_MATRIX_CROSS_VENDOR;
	int *lv = cross ? calloc(nhosts, sizeof(int)) : NULL;
	out->pools = calloc(nhosts + 1, sizeof(*out->pools));
	if (!out->pools || (cross && !lv)) {
		free(lv);
		vcpuid_matrix_free(out);
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	}
	for (size_t h = 0; cross && h < nhosts; h++)
		if ((lv[h] = best_level(hosts[h], machine, err)) < 0) {
			rc = -lv[h];
			free(lv);
			vcpuid_matrix_free(out);
			return rc;
		}
	for (size_t h = 0; h < nhosts; h++) {
		size_t p;
		for (p = 0; p < out->npools; p++)
			if (same_pool(out, lv, h, out->pools[p].hosts[0]))
				break;
		if (p == out->npools) {
			out->pools[p].hosts = calloc(nhosts, sizeof(size_t));
			if (!out->pools[p].hosts) {
				free(lv);
				vcpuid_matrix_free(out);
				return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
			}
			out->npools++;
		}
		out->pools[p].hosts[out->pools[p].nhosts++] = h;
	}
	free(lv);
	for (size_t p = 0; p < out->npools; p++) {
		const vcpuid_host **ph = calloc(out->pools[p].nhosts, sizeof(*ph));
		if (!ph)
			continue;
		for (size_t i = 0; i < out->pools[p].nhosts; i++)
			ph[i] = hosts[out->pools[p].hosts[i]];
		vcpuid_baseline b;
		vcpuid_error e2;
		out->pools[p].level = -1;
		if (!vcpuid_baseline_compute(ph, out->pools[p].nhosts, machine,
					     VCPUID_BASELINE_MIGRATABLE |
					     (cross ? VCPUID_BASELINE_CROSS_VENDOR : 0),
					     &b, &e2)) {
			out->pools[p].baseline = strdup(b.spec);
			out->pools[p].level = b.level;
		}
		free(ph);
	}
	return 0;
}
