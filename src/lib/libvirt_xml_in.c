/* SPDX-License-Identifier: MIT */
/* The libvirt domain <cpu> element in (libvirt 9.0's meaning; out is
 * libvirt_xml.c): the -cpu value libvirt's qemuBuildCpuModelArgStr builds
 * from it (the whole rule in libvirt_xml.c's opening comment). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "stages.h"
#include "libvirt_dom.h"
#include "vcpuid/libvirt.h"

bool vcpuid_libvirt_is_xml(const char *s)
{
	if (!s)
		return false;
	const char *p = s + strspn(s, " \t\r\n");
	if (*p == '<')
		return true;
	/* a file only when it looks like a path: no model name has a '/' or
	 * ends in ".xml" (and ordinary specs cost no stat) */
	size_t len = strlen(s);
	if (!strchr(s, '/') && !(len > 4 && !strcmp(s + len - 4, ".xml")))
		return false;
	struct stat st;
	if (stat(s, &st) || !S_ISREG(st.st_mode))
		return false;
	FILE *f = fopen(s, "r");
	if (!f)
		return false;
	int c;
	while ((c = fgetc(f)) != EOF && isspace(c))
		;
	fclose(f);
	return c == '<';
}

/* attribute value or NULL; the caller frees with xmlFree */
static char *attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp((xmlNode *)n, (const xmlChar *)name);
}

static bool attr_is(const xmlNode *n, const char *name, const char *value)
{
	char *v = attr(n, name);
	bool r = v && !strcmp(v, value);
	xmlFree(v);
	return r;
}

typedef struct lv_spec {
	char *s;
	size_t len;
	FILE *f;
} lv_spec;

/* one of the allowed values (NULL ends the list), else an error */
static int check_enum(const xmlNode *n, const char *what, const char *const *ok,
		      char **out, vcpuid_error *err)
{
	char *v = attr(n, what);
	*out = v;
	if (!v)
		return 0;
	for (size_t i = 0; ok[i]; i++)
		if (!strcmp(ok[i], v))
			return 0;
	int rc = vcpuid_fail(err, VCPUID_E_PARSE, "libvirt XML: <%s %s='%s'>: "
			     "not a value libvirt accepts", (const char *)n->name,
			     what, v);
	xmlFree(v);
	*out = NULL;
	return rc;
}

/* Whether the host's KVM supports (word, bit), as QEMU counts it. */
static bool host_supports(const vcpuid_host *host, const char *machine,
			  int w, unsigned b)
{
	if (!host)
		return false;
	vcpuid_cpu c;
	vcpuid_error e = { 0 };
	int rc = ve_expand(host, "max,migratable=off", machine, NULL, &c, &e);
	bool r = (!rc || rc == VCPUID_E_ENFORCE) && (c.supported[w] >> b & 1);
	vcpuid_cpu_free(&c);
	return r;
}

/* passthrough: host-passthrough or maximum, where libvirt leaves optional
 * features out of -cpu (its start-up update resolves them for custom and
 * host-model CPUs only) */
static int add_features(const xmlNode *cpu, const vcpuid_host *host,
			const char *machine, bool passthrough, FILE *f,
			vcpuid_error *err)
{
	static const char *const policies[] = { "force", "require", "optional",
		"disable", "forbid", NULL };
	for (const xmlNode *c = cpu->children; c; c = c->next) {
		if (!lx_is(c, "feature"))
			continue;
		char *pol, *name = attr(c, "name");
		int rc = check_enum(c, "policy", policies, &pol, err);
		if (!rc && !name)
			rc = vcpuid_fail(err, VCPUID_E_PARSE,
					 "libvirt XML: <feature> without a name");
		const vcpuid_libvirt_feature *lf = rc ? NULL :
			vcpuid_libvirt_feature_find(name);
		if (!rc && !lf)
			rc = vcpuid_fail(err, VCPUID_E_UNKNOWN,
					 "libvirt XML: unknown CPU feature '%s' (not in "
					 "libvirt 9.0's x86_features.xml)", name);
		if (!rc && !(passthrough && pol && !strcmp(pol, "optional"))) {
			bool on;
			if (!pol || !strcmp(pol, "require") || !strcmp(pol, "force"))
				on = true;
			else if (!strcmp(pol, "optional"))
				/* against libvirt's migratable host CPU */
				on = lf->word >= 0 &&
				     !(lf->flags & VCPUID_LV_UNMIGRATABLE) &&
				     host_supports(host, machine, lf->word, lf->bit);
			else
				on = false;
			/* libvirt hands QEMU its own name for bits QEMU has no
			 * name for; QEMU then refuses it, as vcpuid does */
			fprintf(f, ",%s=%s", lf->qemu ? lf->qemu : lf->name,
				on ? "on" : "off");
		}
		xmlFree(pol);
		xmlFree(name);
		if (rc)
			return rc;
	}
	return 0;
}

/* libvirt starts host-model (and match='minimum') with the migratable
 * host CPU: no feature libvirt marks migratable='no' (invtsc) */
static bool lv_migratable(int w, unsigned b)
{
	const vcpuid_libvirt_feature *lf = vcpuid_libvirt_feature_at(w, b);
	return !lf || !(lf->flags & VCPUID_LV_UNMIGRATABLE);
}

static int cpu_to_spec(const xmlNode *dom, const xmlNode *cpu,
		       const vcpuid_host *host, const char *machine, FILE *f,
		       vcpuid_error *err)
{
	static const char *const modes[] = { "custom", "host-model",
		"host-passthrough", "maximum", NULL };
	static const char *const matches[] = { "minimum", "exact", "strict", NULL };
	static const char *const checks[] = { "none", "partial", "full", NULL };
	static const char *const onoff[] = { "on", "off", NULL };
	static const char *const fallbacks[] = { "allow", "forbid", NULL };
	char *mode = NULL, *match = NULL, *check = NULL, *migr = NULL;
	char *fallback = NULL, *model = NULL, *vendor_id = NULL;
	const xmlNode *mn = lx_child(cpu, "model");
	int rc = 0;
	if (cpu) {
		if (!rc)
			rc = check_enum(cpu, "mode", modes, &mode, err);
		if (!rc)
			rc = check_enum(cpu, "match", matches, &match, err);
		if (!rc)
			rc = check_enum(cpu, "check", checks, &check, err);
		if (!rc)
			rc = check_enum(cpu, "migratable", onoff, &migr, err);
	}
	if (!rc && mn) {
		rc = check_enum(mn, "fallback", fallbacks, &fallback, err);
		model = (char *)xmlNodeGetContent(mn);
		vendor_id = attr(mn, "vendor_id");
	}
	if (rc)
		goto out;
	bool custom = !mode || !strcmp(mode, "custom");
	/* match='minimum': libvirt 9.0 starts the host-model in place of the
	 * model, the domain's features on top */
	bool minimum = custom && match && !strcmp(match, "minimum") && host;
	if (!cpu || (!mode && !model)) {
		/* no <cpu>, or one with only topology: QEMU's default CPU */
		fputs("qemu64", f);
	} else if (custom && !minimum) {
		const char *m = model;
		while (m && isspace((unsigned char)*m))
			m++;
		if (!m || !*m) {
			rc = vcpuid_fail(err, VCPUID_E_PARSE, "libvirt XML: "
					 "mode='custom' needs a <model>");
			goto out;
		}
		size_t ml = strlen(m);
		while (ml && isspace((unsigned char)m[ml - 1]))
			ml--;
		/* a model name, never a path or more -cpu options */
		for (size_t k = 0; k < ml; k++)
			if (!isalnum((unsigned char)m[k]) && !strchr("._-", m[k])) {
				rc = vcpuid_fail(err, VCPUID_E_UNKNOWN, "libvirt XML: "
						 "'%.*s' is not a CPU model name",
						 (int)(ml > 64 ? 64 : ml), m);
				goto out;
			}
		fprintf(f, "%.*s", (int)ml, m);
	} else if (minimum || !strcmp(mode, "host-model")) {
		if (!host) {
			rc = vcpuid_fail(err, VCPUID_E_USAGE, "libvirt XML: "
					 "mode='host-model' needs a host");
			goto out;
		}
		vcpuid_domcaps dc;
		if ((rc = vcpuid_libvirt_domcaps(host, machine, &dc, err)))
			goto out;
		fputs(dc.hm_model, f);
		for (int pass = 0; pass < 2; pass++)
			for (int w = 0; w < VCPUID_NWORDS; w++)
				for (unsigned b = 0; b < 64; b++) {
					const vcpuid_feature *q = vcpuid_feature_at(w, b);
					uint64_t m = pass ? dc.hm_disable[w] : dc.hm_require[w];
					if ((m >> b & 1) && q && q->bit == b &&
					    (pass || lv_migratable(w, b)))
						fprintf(f, ",%s=%s", q->name, pass ? "off" : "on");
				}
		vcpuid_libvirt_domcaps_free(&dc);
	} else {
		fputs(!strcmp(mode, "maximum") ? "max" : "host", f);
		if (migr)
			fprintf(f, ",migratable=%s", migr);
	}
	if (vendor_id) {
		/* libvirt: exactly 12 characters; no ',' to start another option */
		bool ok = strlen(vendor_id) == 12 && !strchr(vendor_id, ',');
		for (size_t k = 0; ok && k < 12; k++)
			ok = isprint((unsigned char)vendor_id[k]);
		if (!ok) {
			rc = vcpuid_fail(err, VCPUID_E_PARSE, "libvirt XML: "
					 "vendor_id must be 12 printable characters");
			goto out;
		}
		fprintf(f, ",vendor=%s", vendor_id);
	}
	bool passthrough = mode && (!strcmp(mode, "host-passthrough") ||
				    !strcmp(mode, "maximum"));
	if (cpu && (rc = add_features(cpu, host, machine, passthrough, f, err)))
		goto out;
	/* domain features libvirt puts on -cpu */
	const xmlNode *feats = lx_child(dom, "features");
	const xmlNode *kvm = lx_child(feats, "kvm");
	if (attr_is(lx_child(kvm, "hidden"), "state", "on"))
		fputs(",kvm=off", f);
	const xmlNode *pmu = lx_child(feats, "pmu");
	if (pmu) {
		char *st = attr(pmu, "state");
		fprintf(f, ",pmu=%s", st && !strcmp(st, "off") ? "off" : "on");
		xmlFree(st);
	}
	if (lx_child(feats, "hyperv")) {
		rc = vcpuid_fail(err, VCPUID_E_UNSUPPORTED, "libvirt XML: Hyper-V "
				 "enlightenments (<features><hyperv>) are not "
				 "implemented");
		goto out;
	}
	const xmlNode *cache = lx_child(cpu, "cache");
	if (cache) {
		char *cm = attr(cache, "mode"), *lvl = attr(cache, "level");
		if (cm && !strcmp(cm, "passthrough"))
			fputs(",host-cache-info=on", f);
		else if (cm && !strcmp(cm, "emulate") && lvl && !strcmp(lvl, "3"))
			fputs(",l3-cache=on", f);
		else if (cm && !strcmp(cm, "disable"))
			fputs(",l3-cache=off", f);
		xmlFree(cm);
		xmlFree(lvl);
	}
	const xmlNode *mpa = lx_child(cpu, "maxphysaddr");
	if (mpa) {
		/* emulate takes bits=, passthrough an optional limit= */
		char *pm = attr(mpa, "mode"), *lim = attr(mpa, "limit");
		char *bits = attr(mpa, "bits");
		if (pm && !strcmp(pm, "passthrough"))
			fputs(",host-phys-bits=on", f);
		else if (pm && !strcmp(pm, "emulate") && bits) {
			char *end;
			unsigned long v = strtoul(bits, &end, 10);
			if (*end || end == bits || v > 64)
				rc = vcpuid_fail(err, VCPUID_E_PARSE, "libvirt XML: "
						 "<maxphysaddr bits='%.16s'>: not a "
						 "number of bits", bits);
			else
				fprintf(f, ",phys-bits=%lu", v);
		}
		if (pm && !strcmp(pm, "passthrough") && lim)
			rc = vcpuid_fail(err, VCPUID_E_UNSUPPORTED, "libvirt XML: "
					 "<maxphysaddr limit=> with passthrough "
					 "(host-phys-bits-limit) is not implemented");
		xmlFree(pm);
		xmlFree(lim);
		xmlFree(bits);
		if (rc)
			goto out;
	}
out:
	xmlFree(mode);
	xmlFree(match);
	xmlFree(check);
	xmlFree(migr);
	xmlFree(fallback);
	xmlFree(model);
	xmlFree(vendor_id);
	return rc;
}

static void copy_attr(const xmlNode *n, const char *name, char *out, size_t len)
{
	char *v = attr(n, name);
	snprintf(out, len, "%s", v ? v : "");
	xmlFree(v);
}

int vcpuid_libvirt_domain_info(const char *buf, size_t len,
			       vcpuid_libvirt_domain *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	out->vcpus = 1;
	xmlDoc *doc;
	int rd = lx_read(buf, len, "cpu.xml", &doc, err);
	if (rd)
		return rd;
	const xmlNode *root = xmlDocGetRootElement(doc);
	int rc = 0;
	if (!lx_is(root, "domain")) {
		rc = vcpuid_fail(err, VCPUID_E_UNKNOWN, "libvirt XML: not a <domain>");
	} else {
		char *nm = (char *)xmlNodeGetContent((xmlNode *)lx_child(root, "name"));
		snprintf(out->name, sizeof(out->name), "%s", nm ? nm : "");
		xmlFree(nm);
		copy_attr(lx_child(lx_child(root, "os"), "type"), "machine", out->machine,
			  sizeof(out->machine));
		const xmlNode *cpu = lx_child(root, "cpu");
		if (cpu) {
			copy_attr(cpu, "check", out->check, sizeof(out->check));
			copy_attr(cpu, "mode", out->mode, sizeof(out->mode));
			if (!out->mode[0])
				snprintf(out->mode, sizeof(out->mode), "custom");
		}
		char *vc = (char *)xmlNodeGetContent((xmlNode *)lx_child(root, "vcpu"));
		if (vc) {
			unsigned long v = strtoul(vc, NULL, 10);
			if (v >= 1 && v <= 4096)
				out->vcpus = (unsigned)v;
		}
		xmlFree(vc);
	}
	xmlFreeDoc(doc);
	return rc;
}

int vcpuid_libvirt_cpu_spec_mem(const char *buf, size_t len,
				const vcpuid_host *host, const char *machine,
				char **spec, vcpuid_error *err)
{
	*spec = NULL;
	xmlDoc *doc;
	int rd = lx_read(buf, len, "cpu.xml", &doc, err);
	if (rd)
		return rd;
	const xmlNode *root = xmlDocGetRootElement(doc);
	const xmlNode *dom = NULL, *cpu = NULL;
	int rc = 0;
	if (lx_is(root, "domain")) {
		dom = root;
		cpu = lx_child(root, "cpu");
	} else if (lx_is(root, "cpu")) {
		cpu = root;
	} else {
		rc = vcpuid_fail(err, VCPUID_E_UNKNOWN, "libvirt XML: root <%s> is "
				 "neither <domain> nor <cpu>",
				 root ? (const char *)root->name : "");
	}
	char *s = NULL;
	size_t slen = 0;
	FILE *f = rc ? NULL : open_memstream(&s, &slen);
	if (!rc && !f)
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	if (!rc)
		rc = cpu_to_spec(dom, cpu, host, machine, f, err);
	if (f)
		fclose(f);
	xmlFreeDoc(doc);
	if (rc) {
		free(s);
		return rc;
	}
	*spec = s;
	return 0;
}

int vcpuid_libvirt_cpu_spec(const char *xml_or_file, const vcpuid_host *host,
			    const char *machine, char **spec, vcpuid_error *err)
{
	const char *p = xml_or_file + strspn(xml_or_file, " \t\r\n");
	if (*p == '<')
		return vcpuid_libvirt_cpu_spec_mem(xml_or_file, strlen(xml_or_file),
						   host, machine, spec, err);
	char *buf = NULL;
	size_t len = 0;
	int rc = vcpuid_read_file(xml_or_file, &buf, &len, err);
	if (!rc)
		rc = vcpuid_libvirt_cpu_spec_mem(buf, len, host, machine, spec, err);
	if (rc && err && err->msg[0] && !strstr(err->msg, xml_or_file)) {
		/* name the file: "FILE: libvirt XML:..." */
		size_t fl = strlen(xml_or_file), ml = strlen(err->msg);
		if (fl + 2 + ml < sizeof(err->msg)) {
			memmove(err->msg + fl + 2, err->msg, ml + 1);
			memcpy(err->msg, xml_or_file, fl);
			memcpy(err->msg + fl, ": ", 2);
		}
	}
	free(buf);
	return rc;
}
