/* SPDX-License-Identifier: MIT */
/* The libvirt domain <cpu> element, out and in (libvirt 9.0's meaning).
 *
 * Out: a named model becomes <cpu mode='custom' match='exact'
 * check='partial'> with the libvirt model name that resolves to the same
 * QEMU model version (else the versioned QEMU name), and require/disable
 * features against QEMU's expansion of that name on the same host and
 * against libvirt's own definition of the model (libvirt's partial check
 * compares with the latter).
 *
 * In (libvirt_xml_in.c): the -cpu value libvirt's qemuBuildCpuModelArgStr builds: the model,
 * then every feature in document order as name=on (force, require) or
 * name=off (disable, forbid); optional features are on where the host
 * supports them (libvirt's update at start) in custom and host-model CPUs
 * and left out of host-passthrough and maximum ones; host-passthrough -> host,
 * maximum -> max, each with migratable=on|off when the attribute is given;
 * host-model -> the domain capabilities' host-model CPU; then the domain
 * features libvirt puts on -cpu (kvm hidden -> kvm=off, pmu), <cache> and
 * <maxphysaddr>, in libvirt's order. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "stages.h"
#include "vcpuid/libvirt.h"

/* ---------------------------------------------------------------- out */

static const char *lv_name_of(int w, unsigned b)
{
	const vcpuid_libvirt_feature *f = vcpuid_libvirt_feature_at(w, b);
	return f ? f->name : NULL;
}

/* Whether two expansions give the guest the same CPU, on the bits libvirt
 * can name (no <cpu> element carries the others). */
static bool same_cpu(const vcpuid_cpu *a, const vcpuid_cpu *b)
{
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		uint64_t d = a->features[w] ^ b->features[w];
		for (unsigned bit = 0; d && bit < 64; bit++)
			if ((d >> bit & 1) && vcpuid_libvirt_feature_at(w, bit))
				return false;
	}
	return
	       !strcmp(a->vendor, b->vendor) && !strcmp(a->model_id, b->model_id) &&
	       a->family == b->family && a->model_num == b->model_num &&
	       a->stepping == b->stepping && a->level == b->level &&
	       a->xlevel == b->xlevel && a->xlevel2 == b->xlevel2 &&
	       a->level_func7 == b->level_func7 &&
	       a->avx10_version == b->avx10_version &&
	       a->phys_bits == b->phys_bits && a->ucode_rev == b->ucode_rev;
}

static void emit_features(FILE *f, const vcpuid_words w, const char *policy,
			  FILE *unnamed, const vcpuid_words seen_out)
{
	size_t n;
	const vcpuid_libvirt_feature *lf = vcpuid_libvirt_features(&n);
	for (size_t i = 0; i < n; i++)
		if (lf[i].word >= 0 && (w[lf[i].word] >> lf[i].bit & 1) &&
		    vcpuid_libvirt_feature_at(lf[i].word, lf[i].bit) == &lf[i])
			fprintf(f, "  <feature policy='%s' name='%s'/>\n", policy,
				lf[i].name);
	for (int wd = 0; wd < VCPUID_NWORDS; wd++)
		for (unsigned b = 0; b < 64; b++) {
			if (!(w[wd] >> b & 1) || lv_name_of(wd, b) ||
			    (seen_out[wd] >> b & 1))
				continue;
			const vcpuid_feature *q = vcpuid_feature_at(wd, b);
			if (q && q->bit != b)
				continue; /* a name on several bits, once */
			if (q)
				fprintf(unnamed, " %s%s", *policy == 'r' ? "+" : "-",
					q->name);
			else
				fprintf(unnamed, " %s%s[%u]", *policy == 'r' ? "+" : "-",
					vcpuid_word(wd)->id, b);
		}
}

/* One candidate: model name `name` (libvirt model lm or NULL) with the
 * features that make QEMU's expansion of it on host equal cpu. */
static int candidate_xml(const vcpuid_host *host, const vcpuid_cpu *cpu,
			 const char *name, const vcpuid_libvirt_model *lm,
			 bool partial, FILE *u, char **xml, vcpuid_error *err)
{
	vcpuid_cpu ref;
	vcpuid_topology topo = cpu->topo;
	int rc = ve_expand(host, name, LV_MACHINE(cpu->machine), &topo, &ref, err);
	if (rc == VCPUID_E_ENFORCE)
		rc = 0;
	if (rc) {
		vcpuid_cpu_free(&ref);
		return rc;
	}
	vcpuid_words lvw = { 0 }, req, dis, none = { 0 };
	if (lm)
		vcpuid_libvirt_model_words(lm, lvw);
	/* final against final (bits QEMU adds after filtering, such as AMD's
	 * 0x80000001.EDX copies, are in both); what the reference asks and
	 * the host filters is disabled too, as is what libvirt's model has
	 * and the CPU lacks (libvirt's check compares with its model) */
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		req[w] = cpu->features[w] & ~ref.features[w];
		dis[w] = (partial ? ref.requested[w] | lvw[w] : 0) | ref.features[w];
		dis[w] &= ~cpu->features[w];
	}
	vcpuid_cpu_free(&ref);
	size_t len = 0;
	FILE *f = open_memstream(xml, &len);
	if (!f)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	fprintf(f, "<cpu mode='custom' match='exact' check='%s'>\n"
		"  <model fallback='forbid'>%s</model>\n",
		partial ? "partial" : "none", name);
	const char *v = vcpuid_libvirt_vendor(cpu->vendor);
	if (v && lm && (!*lm->vendor || !strcmp(lm->vendor, v)))
		fprintf(f, "  <vendor>%s</vendor>\n", v);
	emit_features(f, req, "require", u, none);
	emit_features(f, dis, "disable", u, req);
	fputs("</cpu>\n", f);
	fclose(f);
	return 0;
}

/* A named model: the first candidate whose XML, read back as libvirt
 * builds its -cpu, gives the same CPU. Names: the libvirt model names of
 * the same QEMU model (the exact version's first), then the versioned QEMU
 * name. First with check='partial', disabling what the host filters (so
 * libvirt's check passes); then, where disabling changes the CPU (QEMU
 * raises CPUID levels for requested features before it filters them),
 * with check='none', leaving the filtering to QEMU. */
static int named_xml(const vcpuid_host *host, const vcpuid_cpu *cpu, FILE *u,
		     char **xml, vcpuid_error *err)
{
	size_t n;
	const vcpuid_libvirt_model *lm = vcpuid_libvirt_models(&n);
	for (int partial = 1; partial >= 0; partial--)
		for (int pass = 0; pass < 3; pass++)
			for (size_t i = 0; i < (pass == 2 ? 1 : n); i++) {
				const vcpuid_libvirt_model *m = pass == 2 ? NULL : &lm[i];
				vcpuid_model_ref ref;
				vcpuid_error e = { 0 };
				if (m && (vcpuid_model_resolve(m->name, cpu->machine, &ref, &e) ||
					  ref.def != cpu->model ||
					  (ref.version == cpu->version) != (pass == 0)))
					continue;
				char *cx = NULL, *ub = NULL, *spec = NULL;
				size_t ul = 0;
				FILE *cu = open_memstream(&ub, &ul);
				if (!cu)
					return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
				int rc = candidate_xml(host, cpu, m ? m->name : cpu->name, m,
						       partial, cu, &cx, &e);
				fclose(cu);
				bool same = false;
				if (!rc)
					rc = vcpuid_libvirt_cpu_spec_mem(cx, strlen(cx), host,
									 LV_MACHINE(cpu->machine),
									 &spec, &e);
				if (!rc) {
					vcpuid_cpu rb;
					vcpuid_topology topo = cpu->topo;
					int r2 = vcpuid_cpu_expand(host, spec, LV_MACHINE(cpu->machine),
								   &topo, &rb, &e);
					same = (!r2 || r2 == VCPUID_E_ENFORCE) &&
					       same_cpu(&rb, cpu);
					vcpuid_cpu_free(&rb);
				}
				free(spec);
				if (same) {
					if (ul)
						fputs(ub, u);
					free(ub);
					*xml = cx;
					return 0;
				}
				free(ub);
				free(cx);
			}
	return candidate_xml(host, cpu, cpu->name, NULL, true, u, xml, err);
}

int vcpuid_libvirt_cpu_xml(const vcpuid_host *host, const vcpuid_cpu *cpu,
			   char **xml, char **unnamed, vcpuid_error *err)
{
	*xml = NULL;
	if (unnamed)
		*unnamed = NULL;
	if (cpu->is_base)
		return vcpuid_fail(err, VCPUID_E_UNSUPPORTED,
				   "libvirt has no form of CPU model 'base'");
	char *ubuf = NULL, *buf = NULL;
	size_t ulen = 0, len = 0;
	FILE *u = open_memstream(&ubuf, &ulen);
	FILE *f = u ? open_memstream(&buf, &len) : NULL;
	if (!f) {
		if (u)
			fclose(u);
		free(ubuf);
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	}
	vcpuid_words none = { 0 };
	int rc = 0;
	if (cpu->is_host || cpu->is_max) {
		/* the user's own changes are what the XML can say */
		vcpuid_words on, off;
		for (int w = 0; w < VCPUID_NWORDS; w++) {
			on[w] = cpu->user_on[w] & ~cpu->user_off[w];
			off[w] = cpu->user_off[w];
		}
		fprintf(f, "<cpu mode='%s' check='none' migratable='%s'",
			cpu->is_host ? "host-passthrough" : "maximum",
			cpu->migratable ? "on" : "off");
		bool any = false;
		for (int w = 0; w < VCPUID_NWORDS; w++)
			any |= on[w] || off[w];
		if (!any) {
			fputs("/>\n", f);
		} else {
			fputs(">\n", f);
			emit_features(f, on, "require", u, none);
			emit_features(f, off, "disable", u, on);
			fputs("</cpu>\n", f);
		}
	} else {
		fclose(f);
		free(buf);
		buf = NULL;
		f = NULL;
		rc = named_xml(host, cpu, u, &buf, err);
	}
	if (f)
		fclose(f);
	fclose(u);
	if (rc) {
		free(buf);
		free(ubuf);
		return rc;
	}
	if (ulen && !cpu->is_host && !cpu->is_max) {
		/* say what the element cannot carry, inside it */
		size_t bl = strlen(buf);
		char *nb = malloc(bl + ulen + 64);
		if (!nb) {
			free(buf);
			free(ubuf);
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		}
		sprintf(nb, "%.*s  <!-- libvirt 9.0 has no name for:%s -->\n</cpu>\n",
			(int)(bl - strlen("</cpu>\n")), buf, ubuf);
		free(buf);
		buf = nb;
	}
	*xml = buf;
	if (unnamed && ulen)
		*unnamed = strdup(ubuf + 1);
	free(ubuf);
	return 0;
}
