/* SPDX-License-Identifier: MIT */
/* vcpuid decode [FILE|-] [--kvm] [--json] */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char help[] =
	"usage: vcpuid decode [FILE|-|live|bundled:NAME] [--kvm] [--json]\n"
	"Decode a CPUID table as a person reads it: vendor, family/model/stepping,\n"
	"brand, maximum leaves, every named feature by word, caches, topology,\n"
	"XSAVE and hypervisor leaves.\n"
	"FILE is a host profile, a Firecracker fingerprint, `cpuid -r` or\n"
	"`cpuid -1 -r` output, an AIDA64/InstLatx64 dump or a libcpuid raw dump;\n"
	"'-' reads standard input; without FILE the live host is probed.\n"
	"  --kvm   decode the host's KVM_GET_SUPPORTED_CPUID table instead of the\n"
	"          raw CPUID table (host profiles and live only; inputs without a\n"
	"          raw table, like Firecracker fingerprints, always decode it)\n"
	"  --json  machine-readable output (docs/decode.md)\n"
	"Exit codes: 0 ok, 2 usage, 3 I/O, 4 parse error, 5 unknown format,\n"
	"6 --kvm of the live host without a usable /dev/kvm, 7 a KVM ioctl failed.\n";

int cli_decode_host(const char *spec, bool *kvm, vcpuid_host *h,
		    vcpuid_decoded *d, vcpuid_error *err)
{
	/* The raw table needs no KVM; --kvm on the live host does. */
	int rc = vcpuid_host_load_ex(spec, *kvm ? 0 : VCPUID_PROBE_KVM_OPTIONAL,
				     h, err);
	if (rc)
		return rc;
	const vcpuid_table *t = &h->raw;
	if (!h->has_raw && h->has_kvm && h->supported.n)
		*kvm = true;
	if (*kvm) {
		if (!h->has_kvm || !h->supported.n) {
			rc = vcpuid_fail(err, VCPUID_E_UNSUPPORTED,
					 "%s: no KVM supported CPUID table%s%s", spec,
					 h->kvm_absent[0] ? ": " : "", h->kvm_absent);
			vcpuid_host_free(h);
			return rc;
		}
		t = &h->supported;
	} else if (!h->has_raw) {
		rc = vcpuid_fail(err, VCPUID_E_UNSUPPORTED,
				 "%s: no CPUID table", spec);
		vcpuid_host_free(h);
		return rc;
	}
	rc = vcpuid_decode(t, &h->feature_msrs, d, err);
	if (rc)
		vcpuid_host_free(h);
	return rc;
}

static json_t *hex(uint64_t v, int width)
{
	char b[24];
	snprintf(b, sizeof(b), "0x%0*llx", width, (unsigned long long)v);
	return json_string(b);
}

static json_t *hex_or_null(uint32_t v)
{
	return v ? hex(v, 8) : json_null();
}

static const char *word_loc(int w, char *buf, size_t n)
{
	vcpuid_word_location((enum vcpuid_word)w, buf, n);
	return buf;
}

/* ---- text ---- */

static void print_features(const vcpuid_decoded *d)
{
	printf("features:\n");
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		if (!d->words[w])
			continue;
		char loc[48];
		printf("  %-15s %-18s", vcpuid_word((enum vcpuid_word)w)->id,
		       word_loc(w, loc, sizeof(loc)));
		for (unsigned b = 0; b < 64; b++) {
			if (!(d->words[w] >> b & 1))
				continue;
			const vcpuid_field *fd = vcpuid_field_at((enum vcpuid_word)w, b);
			if (fd) { /* a number (the AVX10 version), not flags */
				printf(" %s=%llu", fd->name, (unsigned long long)
				       (d->words[w] >> fd->shift &
					((1ull << fd->width) - 1)));
				b = fd->shift + fd->width - 1u;
				continue;
			}
			const vcpuid_feature *f = vcpuid_feature_at((enum vcpuid_word)w, b);
			if (f)
				printf(" %s", f->name);
			else
				printf(" [%u]", b);
		}
		printf("\n");
	}
}

static void print_text(const vcpuid_host *h, const vcpuid_decoded *d,
		       const vcpuid_table *t, bool kvm)
{
	printf("source:    %s (%s)%s\n", h->source, h->origin[0] ? h->origin : "?",
	       kvm ? ", KVM supported table" : "");
	printf("vendor:    %s\n", d->vendor);
	printf("family:    %u (0x%x)  model: %u (0x%x)  stepping: %u (0x%x)\n",
	       d->family, d->family, d->model, d->model, d->stepping, d->stepping);
	printf("signature: 0x%08x (base family 0x%x, ext family 0x%x, base model 0x%x, "
	       "ext model 0x%x)\n", d->signature, d->base_family, d->ext_family,
	       d->base_model, d->ext_model);
	printf("brand:     %s\n", d->brand[0] ? d->brand : "(none)");
	printf("max leaves: basic 0x%x, extended 0x%x", d->max_basic, d->max_ext);
	if (d->max_centaur)
		printf(", centaur 0x%x", d->max_centaur);
	if (d->hypervisor[0])
		printf(", hypervisor 0x%x (\"%s\")", d->max_hypervisor, d->hypervisor);
	printf("\n");
	if (d->phys_bits)
		printf("address bits: physical %u, virtual %u\n", d->phys_bits, d->virt_bits);
	if (d->max_basic >= 7)
		printf("leaf 7 max subleaf: %u\n", d->max_leaf7_subleaf);
	printf("APIC id %u, logical processors per package %u\n", d->apic_id,
	       d->logical_per_package);
	print_features(d);
	if (d->ncache) {
		printf("caches (from %s):\n", d->cache_source);
		for (unsigned i = 0; i < d->ncache; i++) {
			const vcpuid_cache_summary *c = &d->cache[i];
			printf("  L%u %-11s %6u KB", c->level, c->type, c->size_kb);
			if (c->ways)
				printf(", %u-way", c->ways);
			else
				printf(", fully associative");
			printf(", %u B lines, %u sets", c->line, c->sets);
			if (c->sharing)
				printf(", shared by %u", c->sharing);
			printf("\n");
		}
	}
	if (d->ntopo) {
		printf("topology (leaf 0x%X):\n", d->topo_leaf);
		for (unsigned i = 0; i < d->ntopo; i++)
			printf("  %-7s x2APIC shift %u, %u logical processors\n",
			       vcpuid_topo_level_name(d->topo[i].level_type),
			       d->topo[i].shift, d->topo[i].count);
	}
	if (d->xcr0 | d->xss) {
		printf("xsave: XCR0 0x%llx, XSS 0x%llx; size %u (enabled), %u (max), "
		       "%u (XCR0|XSS)\n", (unsigned long long)d->xcr0,
		       (unsigned long long)d->xss, d->xsave_size_enabled,
		       d->xsave_size_max, d->xsave_size_xss);
		for (unsigned i = 0; i < d->nxsave; i++) {
			const vcpuid_xsave_comp *c = &d->xsave[i];
			printf("  %2u %-10s size %5u offset %5u%s%s\n", c->index,
			       vcpuid_xsave_name(c->index), c->size, c->offset,
			       c->supervisor ? " supervisor" : "",
			       c->aligned ? " aligned" : "");
		}
	}
	if (d->hypervisor[0]) {
		printf("hypervisor leaves:\n");
		for (size_t i = 0; i < t->n; i++) {
			const vcpuid_cpuid_entry *e = &t->e[i];
			if (e->function < 0x40000000 || e->function > d->max_hypervisor)
				continue;
			printf("  0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n",
			       e->function, e->index, e->reg[0], e->reg[1], e->reg[2], e->reg[3]);
		}
	}
}

/* ---- JSON ---- */

static json_t *features_json(const vcpuid_decoded *d)
{
	json_t *o = json_object();
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		if (!d->words[w])
			continue;
		char loc[48];
		json_t *names = json_array(), *unnamed = json_array();
		json_t *fields = NULL;
		for (unsigned b = 0; b < 64; b++) {
			if (!(d->words[w] >> b & 1))
				continue;
			const vcpuid_field *fd = vcpuid_field_at((enum vcpuid_word)w, b);
			if (fd) { /* a number, not flags: "fields": {name: value} */
				if (!fields)
					fields = json_object();
				json_object_set_new(fields, fd->name, json_integer(
					(json_int_t)(d->words[w] >> fd->shift &
						     ((1ull << fd->width) - 1))));
				b = fd->shift + fd->width - 1u;
				continue;
			}
			const vcpuid_feature *f = vcpuid_feature_at((enum vcpuid_word)w, b);
			if (f)
				json_array_append_new(names, json_string(f->name));
			else
				json_array_append_new(unnamed, json_integer(b));
		}
		const vcpuid_word_info *wi = vcpuid_word((enum vcpuid_word)w);
		json_object_set_new(o, wi->id, json_pack("{s:s, s:o, s:o, s:o}",
			"location", word_loc(w, loc, sizeof(loc)),
			"value", hex(d->words[w], wi->kind == VCPUID_WORD_MSR ? 16 : 8),
			"names", names, "unnamed_bits", unnamed));
		if (fields)
			json_object_set_new(json_object_get(o, wi->id), "fields",
					    fields);
	}
	return o;
}

static json_t *to_json(const vcpuid_host *h, const vcpuid_decoded *d,
		       const vcpuid_table *t, bool kvm)
{
	json_t *o = json_object();
	json_object_set_new(o, "source", json_string(h->source));
	json_object_set_new(o, "origin", json_string(h->origin));
	json_object_set_new(o, "table", json_string(kvm ? "kvm_supported" : "raw"));
	json_object_set_new(o, "vendor", json_string(d->vendor));
	json_object_set_new(o, "brand", json_string(d->brand));
	json_object_set_new(o, "signature", hex(d->signature, 8));
	json_object_set_new(o, "family", json_integer(d->family));
	json_object_set_new(o, "model", json_integer(d->model));
	json_object_set_new(o, "stepping", json_integer(d->stepping));
	json_object_set_new(o, "base_family", json_integer(d->base_family));
	json_object_set_new(o, "ext_family", json_integer(d->ext_family));
	json_object_set_new(o, "base_model", json_integer(d->base_model));
	json_object_set_new(o, "ext_model", json_integer(d->ext_model));
	json_object_set_new(o, "max_leaves", json_pack("{s:o, s:o, s:o, s:o}",
		"basic", hex(d->max_basic, 8), "extended", hex_or_null(d->max_ext),
		"centaur", hex_or_null(d->max_centaur),
		"hypervisor", hex_or_null(d->max_hypervisor)));
	json_object_set_new(o, "hypervisor", d->hypervisor[0] ?
			    json_string(d->hypervisor) : json_null());
	json_object_set_new(o, "phys_bits", json_integer(d->phys_bits));
	json_object_set_new(o, "virt_bits", json_integer(d->virt_bits));
	json_object_set_new(o, "leaf7_max_subleaf", json_integer(d->max_leaf7_subleaf));
	json_object_set_new(o, "apic_id", json_integer(d->apic_id));
	json_object_set_new(o, "logical_per_package", json_integer(d->logical_per_package));
	json_object_set_new(o, "features", features_json(d));
	json_t *caches = json_array();
	for (unsigned i = 0; i < d->ncache; i++) {
		const vcpuid_cache_summary *c = &d->cache[i];
		json_array_append_new(caches, json_pack("{s:i, s:s, s:i, s:i, s:i, s:i, s:i}",
			"level", (int)c->level, "type", c->type, "size_kb", (int)c->size_kb,
			"ways", (int)c->ways, "line", (int)c->line, "sets", (int)c->sets,
			"sharing", (int)c->sharing));
	}
	json_object_set_new(o, "cache_source", d->cache_source[0] ?
			    json_string(d->cache_source) : json_null());
	json_object_set_new(o, "caches", caches);
	json_t *levels = json_array();
	for (unsigned i = 0; i < d->ntopo; i++)
		json_array_append_new(levels, json_pack("{s:s, s:i, s:i, s:i}",
			"type", vcpuid_topo_level_name(d->topo[i].level_type),
			"type_id", (int)d->topo[i].level_type, "shift", (int)d->topo[i].shift,
			"count", (int)d->topo[i].count));
	json_object_set_new(o, "topology", json_pack("{s:o, s:o}", "leaf",
		d->topo_leaf ? hex(d->topo_leaf, 8) : json_null(), "levels", levels));
	json_t *comps = json_array();
	for (unsigned i = 0; i < d->nxsave; i++) {
		const vcpuid_xsave_comp *c = &d->xsave[i];
		json_array_append_new(comps, json_pack("{s:i, s:s, s:i, s:i, s:b, s:b}",
			"index", (int)c->index, "name", vcpuid_xsave_name(c->index),
			"size", (int)c->size, "offset", (int)c->offset,
			"supervisor", c->supervisor, "aligned", c->aligned));
	}
	json_object_set_new(o, "xsave", json_pack("{s:o, s:o, s:i, s:i, s:i, s:o}",
		"xcr0", hex(d->xcr0, 16), "xss", hex(d->xss, 16),
		"size_enabled", (int)d->xsave_size_enabled,
		"size_max", (int)d->xsave_size_max, "size_xss", (int)d->xsave_size_xss,
		"components", comps));
	json_t *hv = json_array();
	for (size_t i = 0; d->hypervisor[0] && i < t->n; i++) {
		const vcpuid_cpuid_entry *e = &t->e[i];
		if (e->function < 0x40000000 || e->function > d->max_hypervisor)
			continue;
		json_array_append_new(hv, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
			"leaf", hex(e->function, 8), "subleaf", hex(e->index, 1),
			"eax", hex(e->reg[0], 8), "ebx", hex(e->reg[1], 8),
			"ecx", hex(e->reg[2], 8), "edx", hex(e->reg[3], 8)));
	}
	json_object_set_new(o, "hypervisor_leaves", hv);
	return o;
}

int cli_decode_opt(const char *cmd, const char *a, bool *opts_done,
		   bool *json, bool *kvm)
{
	if (*opts_done)
		return -1;
	if (!strcmp(a, "--"))
		*opts_done = true;
	else if (!strcmp(a, "--json"))
		*json = true;
	else if (!strcmp(a, "--kvm"))
		*kvm = true;
	else if (a[0] == '-' && a[1])
		return cli_usage(cmd, "unknown option '%s'", a);
	else
		return -1;
	return 0;
}

int cmd_decode(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *spec = NULL;
	bool json = false, kvm = false, opts_done = false;
	for (int i = 1; i < argc; i++) {
		int orc = cli_decode_opt("decode", argv[i], &opts_done, &json, &kvm);
		if (orc >= 0) {
			if (orc)
				return orc;
		} else if (spec)
			return cli_usage("decode", "more than one input ('%s')", argv[i]);
		else
			spec = argv[i];
	}
	vcpuid_host h;
	vcpuid_decoded d;
	vcpuid_error err = { 0 };
	if (cli_decode_host(spec ? spec : "live", &kvm, &h, &d, &err))
		return cli_fail(&err);
	const vcpuid_table *t = kvm ? &h.supported : &h.raw;
	int rc = 0;
	if (json) {
		json_t *o = to_json(&h, &d, t, kvm);
		char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (!s) {
			vcpuid_host_free(&h);
			return VCPUID_E_NOMEM;
		}
		size_t n = strlen(s);
		char *s2 = realloc(s, n + 2);
		if (s2) {
			s = s2;
			s[n] = '\n';
			s[n + 1] = 0;
		}
		rc = cli_output(NULL, s);
		free(s);
	} else {
		print_text(&h, &d, t, kvm);
	}
	vcpuid_host_free(&h);
	return rc;
}
