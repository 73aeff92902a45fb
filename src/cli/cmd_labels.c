/* SPDX-License-Identifier: MIT */
/* vcpuid labels: KubeVirt node labels and Nova traits of a host
 * (docs/labels.md). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "qemu_opt.h"

static const char help[] =
	"usage: vcpuid labels [--host PROFILE|live] [--machine M] [--qemu VERSION]\n"
	"                     [--format kubevirt|nova|json] [--json] [-o FILE]\n"
	"The node labels KubeVirt's node-labeller would set for the host and the\n"
	"Nova CPU traits, from vcpuid's own answers (usable models, host-model,\n"
	"features), and what libvirt-based labelling gets wrong there (on\n"
	"standard error, and under \"problems\" in json).\n"
	"  --host P        host profile file, bundled:NAME, or live (default)\n"
	"  --machine M     machine type (default: the newest of the release)\n"
	CLI_QEMU_HELP
	"  --format F      kubevirt (key=value lines, default), nova (one trait a\n"
	"                  line) or json (both, with host-model and problems)\n"
	"  --json          --format json\n"
	"  -o, --output FILE  write to FILE atomically instead of stdout\n";

static json_t *strings(char **s, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(s[i]));
	return a;
}

static char *as_json(const vcpuid_labels *l, const char *host)
{
	json_t *root = json_object(), *kv = json_object(), *tr = json_array();
	json_object_set_new(root, "host", json_string(host));
	json_object_set_new(root, "vendor", json_string(l->vendor));
	json_t *hm = json_object();
	json_object_set_new(hm, "name", json_string(l->host_model));
	json_object_set_new(hm, "required_features",
			    strings(l->required, l->nrequired));
	json_object_set_new(hm, "disabled_features",
			    strings(l->disabled, l->ndisabled));
	json_object_set_new(root, "host_model", hm);
	json_object_set_new(root, "features", strings(l->features, l->nfeatures));
	json_object_set_new(root, "usable_models", strings(l->models, l->nmodels));
	for (size_t i = 0; i < l->nkubevirt; i++)
		json_object_set_new(kv, l->kubevirt[i].key,
				    json_string(l->kubevirt[i].value));
	json_object_set_new(root, "kubevirt", kv);
	for (size_t i = 0; i < l->ntraits; i++)
		json_array_append_new(tr, json_string(l->traits[i]));
	json_object_set_new(root, "nova", tr);
	json_object_set_new(root, "problems", strings(l->problems, l->nproblems));
	char *s = cli_json_text(root);
	json_decref(root);
	return s;
}

int cmd_labels(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *hostspec = "live", *machine = NULL, *qemu = NULL;
	const char *format = "kubevirt", *out = NULL;
	const struct cli_opt opts[] = {
		{ "--json", &format, "json" },
		{ "--host", &hostspec, NULL },
		{ "--machine", &machine, NULL },
		{ "--qemu", &qemu, NULL },
		{ "--format", &format, NULL },
		{ NULL, NULL, NULL } };
	int rc = cli_parse_opts("labels", argc, argv, opts, &out);
	if (rc)
		return rc;
	enum { F_KUBEVIRT, F_NOVA, F_JSON } fmt;
	if (!strcmp(format, "kubevirt"))
		fmt = F_KUBEVIRT;
	else if (!strcmp(format, "nova"))
		fmt = F_NOVA;
	else if (!strcmp(format, "json"))
		fmt = F_JSON;
	else
		return cli_usage("labels", "unknown format '%s' (kubevirt, nova, "
				 "json)", format);
	char mbuf[96];
	rc = cli_machine_arg("labels", machine, qemu, mbuf, sizeof(mbuf),
				 &machine);
	if (rc)
		return rc;
	vcpuid_error err = { 0 };
	vcpuid_host host;
	rc = cli_load_host_ex(hostspec, VCPUID_PROBE_CACHE, &host);
	if (rc)
		return rc;
	vcpuid_labels l;
	rc = vcpuid_labels_compute(&host, machine, &l, &err);
	if (rc) {
		vcpuid_host_free(&host);
		return cli_fail(&err);
	}
	char *text = NULL;
	if (fmt == F_JSON) {
		text = as_json(&l, host.source);
	} else {
		cli_buf b = { 0 };
		if (fmt == F_KUBEVIRT)
			for (size_t i = 0; i < l.nkubevirt; i++)
				cli_bprintf(&b, "%s=%s\n", l.kubevirt[i].key,
					    l.kubevirt[i].value);
		else
			for (size_t i = 0; i < l.ntraits; i++)
				cli_bprintf(&b, "%s\n", l.traits[i]);
		for (size_t i = 0; i < l.nproblems; i++)
			fprintf(stderr, "vcpuid: labels: %s\n", l.problems[i]);
		text = cli_buf_take(&b);
	}
	vcpuid_labels_free(&l);
	vcpuid_host_free(&host);
	return cli_output_text("labels", out, text);
}
