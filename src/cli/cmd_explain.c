/* SPDX-License-Identifier: MIT */
/* vcpuid explain [FEATURE] --cpu SPEC [--host P|live] [--machine M] [--json] */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "vcpuid/fleet.h"

static const char help[] =
	"usage: vcpuid explain [FEATURE] --cpu SPEC [--host P|live] [--machine M]\n"
	"                      [--smp N,...] [--json | --format libvirt]\n"
	"Explain a feature's fate stage by stage (hardware, kernel, KVM, QEMU's\n"
	"corrections, model, user, dependencies, migratable mask, filter, final).\n"
	"Without FEATURE: every requested-but-lost feature with its cause.\n"
	"--format libvirt prints the CPU as a libvirt domain <cpu> element, the\n"
	"explanations in an XML comment before it.\n";

static const char *fate(enum vcpuid_fate f)
{
	return f == VCPUID_FATE_YES ? "yes" : f == VCPUID_FATE_NO ? "no" : "-";
}

static json_t *to_json(const vcpuid_explanation *e)
{
	json_t *stages = json_array();
	for (int s = 0; s < VCPUID_NSTAGES; s++) {
		if (!e->note[s][0])
			continue;
		json_array_append_new(stages, json_pack("{s:s, s:s, s:s}",
			"stage", vcpuid_stage_name(s), "value", fate(e->at[s]),
			"note", e->note[s]));
	}
	return json_pack("{s:s, s:b, s:b, s:s, s:s, s:o}",
			 "feature", e->feature->name, "wanted", e->wanted,
			 "final", e->final, "decisive", vcpuid_stage_name(e->decisive),
			 "cause", e->cause, "stages", stages);
}

static void print_one(const vcpuid_explanation *e)
{
	printf("%s\n", e->cause);
	for (int s = 0; s < VCPUID_NSTAGES; s++)
		if (e->note[s][0])
			printf("  %-17s %-3s %s%s\n", vcpuid_stage_name(s), fate(e->at[s]),
			       e->note[s], s == (int)e->decisive ? "   <= decisive" : "");
}

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cpu", required_argument, 0, 'c' },
		{ "host", required_argument, 0, 'H' },
		{ "machine", required_argument, 0, 'm' },
		{ "smp", required_argument, 0, 's' },
		{ "json", no_argument, 0, 'j' },
		{ "format", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 } };
	const char *spec = NULL, *host = "live", *machine = NULL, *smp = NULL;
	const char *format = NULL;
	bool json = false;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "c:H:m:s:jf:h", opts, NULL)) != -1) {
		switch (o) {
		case 'c': spec = optarg; break;
		case 'H': host = optarg; break;
		case 'm': machine = optarg; break;
		case 's': smp = optarg; break;
		case 'j': json = true; break;
		case 'f': format = optarg; break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("explain", "bad option");
		}
	}
	if (!spec)
		return cli_usage("explain", "--cpu SPEC is required");
	if (format && strcmp(format, "libvirt"))
		return cli_usage("explain", "--format: '%s' is not 'libvirt'", format);
	if (argc - optind > 1)
		return cli_usage("explain", "one FEATURE at most");
	const char *feature = optind < argc ? argv[optind] : NULL;

	vcpuid_error err = { 0 };
	vcpuid_topology topo, *tp = NULL;
	if (smp) {
		if (vcpuid_topology_parse(smp, &topo, &err))
			return cli_fail(&err);
		tp = &topo;
	}
	vcpuid_host h;
	int rc = cli_load_host(host, &h);
	if (rc)
		return rc;
	cli_label_host(&h, host);
	vcpuid_cpu cpu;
	rc = vcpuid_cpu_expand(&h, spec, machine, tp, &cpu, &err);
	if (rc && rc != VCPUID_E_ENFORCE) {
		vcpuid_host_free(&h);
		return cli_fail(&err);
	}
	vcpuid_explanation one, *list = &one;
	size_t n = 1;
	rc = feature ? vcpuid_explain(&h, &cpu, feature, &one, &err)
		     : vcpuid_explain_lost(&h, &cpu, &list, &n, &err);
	if (rc) {
		vcpuid_cpu_free(&cpu);
		vcpuid_host_free(&h);
		return cli_fail(&err);
	}
	if (format) {
		cli_buf c = { 0 };
		cli_bprintf(&c, "%s on %s:", cpu.name, h.source);
		for (size_t i = 0; i < n; i++)
			cli_bprintf(&c, " %s.", list[i].cause);
		if (!feature && !n)
			cli_bprintf(&c, " nothing requested was lost");
		rc = c.oom ? VCPUID_E_NOMEM : cli_libvirt_out(&h, &cpu, c.s, NULL);
		free(c.s);
	} else if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, to_json(&list[i]));
		json_t *root = json_pack("{s:s, s:s, s:o}", "cpu", cpu.name,
					 "host", h.source, "explanations", arr);
		char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
		json_decref(root);
	} else if (!feature && !n) {
		printf("%s on %s: nothing requested was lost\n", cpu.name, h.source);
	} else {
		for (size_t i = 0; i < n; i++)
			feature ? print_one(&list[i]) : (void)printf("%s\n", list[i].cause);
	}
	if (!feature)
		free(list);
	vcpuid_cpu_free(&cpu);
	vcpuid_host_free(&h);
	return format ? rc : 0;
}
