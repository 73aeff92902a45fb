/* SPDX-License-Identifier: MIT */
/* vcpuid models [--machine M] [--host P|live] [--all] [--json] */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "qmp_out.h"
#include "qemu_opt.h"

/* The expansion stage may not be linked in yet: reference it weakly and
 * report "unsupported" while it is absent. */
#pragma weak vcpuid_cpu_expand
#pragma weak vcpuid_cpu_free

static const char help[] =
	"usage: vcpuid models [--machine M] [--qemu VERSION] [--host P|live] [--all]\n"
	"                     [--json | --format text|json|qmp]\n"
	"       vcpuid models --show NAME [--machine M] [--qemu VERSION]\n"
	"       vcpuid models --machines [--json]\n"
	"List the CPU models of machine type M (default: the newest; 'pc' and\n"
	"'q35' name the newest of each family) with their description exactly as\n"
	"QEMU's `-cpu help` prints it. The QEMU release (--qemu) decides which\n"
	"models exist; the machine type which version a bare name resolves to.\n"
	"  --machine M   machine type (see 'vcpuid models --machines')\n"
	CLI_QEMU_HELP
	"  --machines    list the machine types instead\n"
	"  --host P      also tell, for host P (a profile, dump or 'live'), whether\n"
	"                each model is usable and which features it would lose\n"
	"  --all         include host, max and base\n"
	"  --json        JSON output (schema: docs/models.md)\n"
	"  --format F    text (default), json (= --json), or qmp: QMP's\n"
	"                query-cpu-definitions answer, every type (docs/qmp.md)\n"
	"  --show NAME   print the definition NAME resolves to (JSON): base\n"
	"                features, the stacked version properties, the cache\n";

struct usability {
	int status;		/* 0 usable/unusable known, else an error code */
	bool usable;
	json_t *lost;		/* array of feature names */
};

static void check_host(const vcpuid_host *host, const char *machine,
		       const vcpuid_cpu_type *t, struct usability *u)
{
	u->lost = json_array();
	u->usable = false;
	if (!vcpuid_cpu_expand) {
		u->status = VCPUID_E_UNSUPPORTED;
		return;
	}
	vcpuid_cpu cpu;
	vcpuid_error err = { 0 };
	memset(&cpu, 0, sizeof(cpu));
	int r = vcpuid_cpu_expand(host, t->ref.name, machine, NULL, &cpu, &err);
	if (r && r != VCPUID_E_ENFORCE) {
		u->status = r;
		if (vcpuid_cpu_free)
			vcpuid_cpu_free(&cpu);
		return;
	}
	u->status = 0;
	u->usable = cpu.nfiltered == 0;
	for (size_t i = 0; i < cpu.nfiltered; i++) {
		char name[48];
		if (cpu.filtered_list[i].name)
			snprintf(name, sizeof(name), "%s", cpu.filtered_list[i].name);
		else
			snprintf(name, sizeof(name), "%s[%u]",
				 vcpuid_word(cpu.filtered_list[i].word)->id,
				 cpu.filtered_list[i].bit);
		json_array_append_new(u->lost, json_string(name));
	}
	if (vcpuid_cpu_free)
		vcpuid_cpu_free(&cpu);
}

static json_t *type_json(const vcpuid_cpu_type *t, const struct usability *u)
{
	json_t *o = json_object();
	const vcpuid_model_def *d = t->ref.def;
	json_object_set_new(o, "name", json_string(t->ref.name));
	json_object_set_new(o, "alias_of", t->alias_of[0] ? json_string(t->alias_of)
							    : json_null());
	if (d) {
		json_object_set_new(o, "version", json_integer(t->ref.version));
		json_object_set_new(o, "vendor", json_string(d->vendor));
		json_object_set_new(o, "family", json_integer(d->family));
		json_object_set_new(o, "model", json_integer(d->model));
		json_object_set_new(o, "stepping", json_integer(d->stepping));
		json_object_set_new(o, "model_id", json_string(
			vcpuid_model_version_model_id(d, t->ref.version)));
	} else {
		json_object_set_new(o, "version", json_null());
		json_object_set_new(o, "vendor", json_null());
		json_object_set_new(o, "family", json_null());
		json_object_set_new(o, "model", json_null());
		json_object_set_new(o, "stepping", json_null());
		json_object_set_new(o, "model_id", json_null());
	}
	json_object_set_new(o, "description", json_string(t->description));
	if (u && !u->status) {
		json_object_set_new(o, "usable", json_boolean(u->usable));
		json_object_set_new(o, "unavailable_features", json_incref(u->lost));
	} else {
		json_object_set_new(o, "usable", json_null());
		json_object_set_new(o, "unavailable_features", json_null());
	}
	return o;
}

static int print_json(const json_t *v)
{
	char *s = cli_json_text(v);
	if (!s)
		return VCPUID_E_NOMEM;
	int r = cli_output(NULL, s);
	free(s);
	return r;
}

static json_t *hex(uint32_t v)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "0x%x", v);
	return json_string(buf);
}

static json_t *cache_json(const vcpuid_cache *c)
{
	static const char *const types[] = { "none", "data", "instruction", "unified" };
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string(types[c->type & 3]));
	json_object_set_new(o, "level", json_integer(c->level));
	json_object_set_new(o, "size", json_integer(c->size));
	json_object_set_new(o, "line_size", json_integer(c->line_size));
	json_object_set_new(o, "associativity", json_integer(c->associativity));
	json_object_set_new(o, "partitions", json_integer(c->partitions));
	json_object_set_new(o, "sets", json_integer(c->sets));
	json_object_set_new(o, "lines_per_tag", json_integer(c->lines_per_tag));
	json_object_set_new(o, "self_init", json_boolean(c->self_init));
	json_object_set_new(o, "no_invd_sharing", json_boolean(c->no_invd_sharing));
	json_object_set_new(o, "inclusive", json_boolean(c->inclusive));
	json_object_set_new(o, "complex_indexing", json_boolean(c->complex_indexing));
	json_object_set_new(o, "share_level", json_integer(c->share_level));
	return o;
}

static int add_prop(const vcpuid_prop *p, int version, void *ctx)
{
	json_t *e = json_array();
	json_array_append_new(e, json_string(p->name));
	json_array_append_new(e, json_string(p->value));
	json_array_append_new(e, json_integer(version));
	json_array_append_new(ctx, e);
	return 0;
}

static int show_model(const char *name, const vcpuid_machine *mc)
{
	vcpuid_model_ref ref;
	vcpuid_error err = { 0 };
	if (vcpuid_model_resolve(name, mc, &ref, &err))
		return cli_fail(&err);
	json_t *o = json_object();
	json_object_set_new(o, "machine", json_string(mc->name));
	json_object_set_new(o, "name", json_string(ref.name));
	if (!ref.def) {
		json_object_set_new(o, "special", json_true());
		int r = print_json(o);
		json_decref(o);
		return r;
	}
	const vcpuid_model_def *d = ref.def;
	json_object_set_new(o, "model_name", json_string(d->name));
	json_object_set_new(o, "version", json_integer(ref.version));
	json_object_set_new(o, "vendor", json_string(d->vendor));
	json_object_set_new(o, "family", json_integer(d->family));
	json_object_set_new(o, "model", json_integer(d->model));
	json_object_set_new(o, "stepping", json_integer(d->stepping));
	json_object_set_new(o, "level", hex(d->level));
	json_object_set_new(o, "xlevel", hex(d->xlevel));
	json_object_set_new(o, "xlevel2", hex(d->xlevel2));
	json_object_set_new(o, "model_id", json_string(d->model_id));
	json_t *f = json_array();
	char word[64];
	for (const char *p = d->features; *p;) {
		size_t len = strcspn(p, " ");
		if (len && len < sizeof(word)) {
			memcpy(word, p, len);
			word[len] = 0;
			json_array_append_new(f, json_string(word));
		}
		p += len;
		p += strspn(p, " ");
	}
	json_object_set_new(o, "features", f);
	json_t *props = json_array();
	vcpuid_model_version_props(d, ref.version, add_prop, props);
	json_object_set_new(o, "props", props);
	const vcpuid_cache_set *c = vcpuid_model_cache_in(d, ref.version, mc->qemu);
	if (c) {
		json_t *cs = json_object();
		json_object_set_new(cs, "l1d", cache_json(&c->l1d));
		json_object_set_new(cs, "l1i", cache_json(&c->l1i));
		json_object_set_new(cs, "l2", cache_json(&c->l2));
		json_object_set_new(cs, "l3", cache_json(&c->l3));
		json_object_set_new(o, "cache", cs);
	} else {
		json_object_set_new(o, "cache", json_null());
	}
	json_object_set_new(o, "qemu_since", json_integer(
		d->qemu_since > ref.ver->qemu_since ? d->qemu_since : ref.ver->qemu_since));
	int r = print_json(o);
	json_decref(o);
	return r;
}

static int list_machines(bool as_json)
{
	size_t n;
	const vcpuid_machine *m = vcpuid_machines(&n);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (as_json) {
			json_t *o = json_object();
			json_object_set_new(o, "name", json_string(m[i].name));
			json_object_set_new(o, "qemu", json_integer(m[i].qemu));
			json_object_set_new(o, "default_cpu_version",
					    json_integer(m[i].default_cpu_version));
			json_t *c = json_array();
			for (const vcpuid_compat *p = m[i].compat; p->driver; p++) {
				json_t *e = json_object();
				json_object_set_new(e, "driver", json_string(p->driver));
				json_object_set_new(e, "property", json_string(p->prop));
				json_object_set_new(e, "value", json_string(p->value));
				json_array_append_new(c, e);
			}
			json_object_set_new(o, "compat", c);
			json_array_append_new(arr, o);
		} else {
			printf("%-18s QEMU %u.%u%s\n", m[i].name, m[i].qemu / 100,
			       m[i].qemu % 100, i == n - 1 ? " (default)" : "");
		}
	}
	int r = as_json ? print_json(arr) : 0;
	json_decref(arr);
	return r;
}

int cmd_models(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *machine = NULL, *hostspec = NULL, *show = NULL, *qemu = NULL;
	bool as_json = false, all = false, machines = false;
	static const char *const formats[] = { "text", "json", "qmp", NULL };
	const char *format = NULL;
	for (int i = 1; i < argc; i++) {
		const char *fv = !strcmp(argv[i], "--format") && i + 1 < argc ? argv[++i]
			: !strncmp(argv[i], "--format=", 9) ? argv[i] + 9 : NULL;
		int frc = fv ? cli_format_opt("models", fv, formats, &format) : 0;
		if (frc)
			return frc;
		if (fv)
			as_json = !strcmp(format, "json");
		else if (!strcmp(argv[i], "--json"))
			as_json = true;
		else if (!strcmp(argv[i], "--all"))
			all = true;
		else if (!strcmp(argv[i], "--machines"))
			machines = true;
		else if (!strcmp(argv[i], "--machine") && i + 1 < argc)
			machine = argv[++i];
		else if (!strncmp(argv[i], "--machine=", 10))
			machine = argv[i] + 10;
		else if (!strcmp(argv[i], "--qemu") && i + 1 < argc)
			qemu = argv[++i];
		else if (!strncmp(argv[i], "--qemu=", 7))
			qemu = argv[i] + 7;
		else if (!strcmp(argv[i], "--show") && i + 1 < argc)
			show = argv[++i];
		else if (!strcmp(argv[i], "--host") && i + 1 < argc)
			hostspec = argv[++i];
		else if (!strncmp(argv[i], "--host=", 7))
			hostspec = argv[i] + 7;
		else
			return cli_usage("models", "unexpected argument '%s'", argv[i]);
	}
	bool qmp = format && !strcmp(format, "qmp");
	if (qmp && (machines || show))
		return cli_usage("models", "--format qmp lists the CPU types; not "
				 "with --machines or --show");
	if (machines)
		return list_machines(as_json);
	char mbuf[96];
	int mrc = cli_machine_arg("models", machine, qemu, mbuf, sizeof(mbuf),
				  &machine);
	if (mrc)
		return mrc;
	const vcpuid_machine *mc = vcpuid_machine_find(machine);
	if (!mc) {
		return cli_error(VCPUID_E_UNKNOWN, "unknown machine type '%s'",
				 machine);
	}
	if (show)
		return show_model(show, mc);

	vcpuid_error err = { 0 };
	vcpuid_host host;
	bool have_host = false;
	if (hostspec) {
		vcpuid_host_init(&host);
		if (vcpuid_host_load(hostspec, &host, &err)) {
			vcpuid_host_free(&host);
			return cli_fail(&err);
		}
		have_host = true;
	}
	if (qmp) {
		int r = cli_qmp_models(have_host ? &host : NULL, mc->name);
		if (have_host)
			vcpuid_host_free(&host);
		return r;
	}

	vcpuid_cpu_type *t;
	size_t n;
	if (vcpuid_cpu_types(mc, all, &t, &n, &err)) {
		if (have_host)
			vcpuid_host_free(&host);
		return cli_fail(&err);
	}
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "machine", json_string(mc->name));
	json_object_set_new(root, "qemu", json_sprintf("%u.%u", mc->qemu / 100,
						       mc->qemu % 100));
	bool unsupported = false;
	for (size_t i = 0; i < n; i++) {
		struct usability u = { .status = VCPUID_E_UNSUPPORTED };
		if (have_host)
			check_host(&host, machine, &t[i], &u);
		if (have_host && u.status == VCPUID_E_UNSUPPORTED)
			unsupported = true;
		if (as_json) {
			json_array_append_new(arr, type_json(&t[i], have_host ? &u : NULL));
		} else if (have_host && !u.status) {
			printf("%-20s  %-3s  %s", t[i].ref.name, u.usable ? "yes" : "no",
			       t[i].description);
			size_t k;
			json_t *v;
			json_array_foreach(u.lost, k, v)
				printf("%s%s", k ? " " : "  [lost: ", json_string_value(v));
			printf("%s\n", json_array_size(u.lost) ? "]" : "");
		} else {
			printf("%-20s  %s\n", t[i].ref.name, t[i].description);
		}
		json_decref(u.lost);
	}
	json_object_set_new(root, "models", arr);
	int r = as_json ? print_json(root) : 0;
	if (unsupported) {
		fprintf(stderr, "vcpuid models: host usability needs the expansion "
				"stage, not available in this build\n");
		if (!r)
			r = VCPUID_E_UNSUPPORTED;
	}
	json_decref(root);
	free(t);
	if (have_host)
		vcpuid_host_free(&host);
	return r;
}
