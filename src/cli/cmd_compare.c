/* SPDX-License-Identifier: MIT */
/* vcpuid compare --cpu SPEC --host P [--host P2 ...] [--json]
 * vcpuid migrate-check --cpu SPEC --from P1 --to P2 [--machine M]
 *     [--qemu V | --from-qemu A --to-qemu B] [--json]
 * Exit: 0 every host usable, 1 some host incompatible, >= 2 error. */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cli_hosts.h"
#include "qmp_out.h"
#include "qemu_opt.h"
#include "vcpuid/fleet.h"
#include "vcpuid/level.h"

static const char help_compare[] =
	"usage: vcpuid compare --cpu SPEC|TEMPLATE.json --host P [--host P2 ...]\n"
	"                      [--machine M] [--qemu VERSION] [--json] [--jobs N]\n"
	"Per host: IDENTICAL, SUPERSET or INCOMPATIBLE, with every reason (missing\n"
	"feature bits, vendor, numbers that must not grow, feature-MSR value rules).\n"
	"A --host may be a directory of profiles. Exit 0: every host can run the\n"
	"CPU; 1: some host is incompatible; 2 or more: error (see vcpuid(1)).\n"
	"A --cpu naming a file (a '/' in it or ending in .json) is a Firecracker\n"
	"CPU template or Cloud Hypervisor CPU profile: can it run on each host,\n"
	"as cpu-template-helper template verify decides (docs/template.md).\n"
	"--format text|json|qmp: --json is json; qmp prints the answer of QMP's\n"
	"query-cpu-model-comparison in s390x's shape, per host (docs/qmp.md).\n"
	"Identical host files are compared once: the answer says how many it\n"
	"covers. --jobs N reads the files with N threads (default: the CPUs).\n"
	"  --machine M  machine type (default the newest of the release)\n"
	CLI_QEMU_HELP;
static const char help_migrate[] =
	"usage: vcpuid migrate-check --cpu SPEC --from P1 --to P2 [--machine M]\n"
	"                            [--qemu V | --from-qemu A --to-qemu B]\n"
	"                            [--smp N,...] [--json | --format text|json|qmp]\n"
	"Can a guest started on P1 with SPEC move to P2 and keep an identical\n"
	"CPUID and feature-MSR view? With --from-qemu/--to-qemu the destination\n"
	"runs another QEMU release (the same machine type): every difference is\n"
	"listed, and notes name the QEMU change behind each one the upgrade\n"
	"makes (see vcpuid upgrade-check). Exit 0 yes, 1 no, >= 2 error.\n"
	"  --machine M  machine type (default the newest of the release)\n"
	CLI_QEMU_HELP
	"  --from-qemu A, --to-qemu B  the releases on the source and the\n"
	"               destination (default --qemu's, else the newest)\n";

static const char *kind_name(enum vcpuid_reason_kind k)
{
	static const char *const n[] = { "feature", "vendor", "numeric",
					 "msr-value", "cpuid", "note" };
	return (unsigned)k < sizeof(n) / sizeof(n[0]) ? n[k] : "?";
}

static json_t *cmp_json(const char *host, const vcpuid_comparison *c)
{
	json_t *rs = json_array();
	for (size_t i = 0; i < c->n; i++)
		json_array_append_new(rs, json_pack("{s:s, s:b, s:s, s:s}",
			"kind", kind_name(c->r[i].kind), "fatal", c->r[i].fatal,
			"what", c->r[i].what, "text", c->r[i].text));
	return json_pack("{s:s, s:s, s:I, s:o}", "host", host,
			 "verdict", vcpuid_verdict_name(c->verdict),
			 "extra_features", (json_int_t)c->nextra, "reasons", rs);
}

static void cmp_print(const char *host, const vcpuid_comparison *c)
{
	printf("%s: %s", host, vcpuid_verdict_name(c->verdict));
	if (c->verdict == VCPUID_SUPERSET)
		printf(" (%zu more features than the guest)", c->nextra);
	printf("\n");
	for (size_t i = 0; i < c->n; i++)
		printf("  %s %s\n", c->r[i].fatal ? "-" : "note:", c->r[i].text);
}

struct args {
	const char *spec, *machine, *smp, *from, *to;
	const char *qemu, *from_qemu, *to_qemu;
	char **hosts;
	size_t nhosts;
	bool json;
	bool qmp;	/* --format qmp */
	unsigned jobs;
};

static int parse(int argc, char **argv, const char *cmd, const char *help,
		 struct args *a)
{
	static const struct option opts[] = {
		{ "cpu", required_argument, 0, 'c' },
		{ "host", required_argument, 0, 'H' },
		{ "from", required_argument, 0, 'f' },
		{ "to", required_argument, 0, 't' },
		{ "machine", required_argument, 0, 'm' },
		{ "qemu", required_argument, 0, 'Q' },
		{ "from-qemu", required_argument, 0, 'A' },
		{ "to-qemu", required_argument, 0, 'B' },
		{ "smp", required_argument, 0, 's' },
		{ "json", no_argument, 0, 'j' },
		{ "format", required_argument, 0, 1000 },
		{ "jobs", required_argument, 0, 'J' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 } };
	static const char *const formats[] = { "text", "json", "qmp", NULL };
	const char *format;
	int o, rc;
	optind = 1;
	a->hosts = calloc((size_t)argc, sizeof(char *));
	if (!a->hosts)
		return VCPUID_E_NOMEM;
	while ((o = getopt_long(argc, argv, "c:H:f:t:m:Q:A:B:s:jhJ:", opts, NULL)) != -1) {
		switch (o) {
		case 'c': a->spec = optarg; break;
		case 'H': a->hosts[a->nhosts++] = optarg; break;
		case 'f': a->from = optarg; break;
		case 't': a->to = optarg; break;
		case 'm': a->machine = optarg; break;
		case 'Q': a->qemu = optarg; break;
		case 'A': a->from_qemu = optarg; break;
		case 'B': a->to_qemu = optarg; break;
		case 's': a->smp = optarg; break;
		case 'j': a->json = true; break;
		case 1000:
			if ((rc = cli_format_opt(cmd, optarg, formats, &format)))
				return rc;
			a->json = !strcmp(format, "json");
			a->qmp = !strcmp(format, "qmp");
			break;
		case 'J':
			if (cli_jobs(cmd, optarg, &a->jobs))
				return VCPUID_E_USAGE;
			break;
		case 'h': fputs(help, stdout); return -1;
		default: return cli_getopt_fail(cmd, "c:H:f:t:m:Q:A:B:s:jhJ:", argv);
		}
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if (!a->spec)
		return cli_usage(cmd, "--cpu SPEC is required");
	return 0;
}

/* A --cpu naming a file (a '/' in it, or ending in .json) is a template,
 * unless the file is XML: a libvirt domain or <cpu> element, which the
 * library reads as a -cpu spec (docs/libvirt.md). */
static int template_arg(const char *spec, bool qmp, vcpuid_template *t,
			bool *is)
{
	size_t n = strlen(spec);
	*is = strchr(spec, '/') || (n > 5 && !strcmp(spec + n - 5, ".json"));
	if (!*is)
		return 0;
	if (qmp)
		return cli_usage("compare", "--format qmp compares -cpu specs, "
				 "not templates (%s)", spec);
	vcpuid_error err = { 0 };
	char *buf;
	size_t len;
	int rc = vcpuid_read_file(spec, &buf, &len, &err);
	if (!rc) {
		size_t i = strspn(buf, " \t\r\n");
		if (buf[i] == '<') {
			free(buf);
			*is = false;
			return 0;
		}
		rc = vcpuid_template_parse(buf, len, spec, t, &err);
		free(buf);
	}
	if (rc) {
		*is = false;
		return cli_fail(&err);
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct args a = { 0 };
	int rc = parse(argc, argv, "compare", help_compare, &a);
	if (rc || !a.nhosts) {
		free(a.hosts);
		return rc < 0 ? 0 : rc ? rc : cli_usage("compare", "--host P is required");
	}
	char mbuf[96];
	if (a.from_qemu || a.to_qemu) {
		free(a.hosts);
		return cli_usage("compare", "--from-qemu/--to-qemu are for "
				 "migrate-check; give --qemu");
	}
	if ((rc = cli_machine_arg("compare", a.machine, a.qemu, mbuf,
				  sizeof(mbuf), &a.machine))) {
		free(a.hosts);
		return rc;
	}
	vcpuid_hostset set;
	rc = cli_load_hostset(a.hosts, a.nhosts, a.jobs, &set);
	free(a.hosts);
	if (rc)
		return rc;
	vcpuid_host *hs = set.hosts;
	size_t n = set.n;
	/* --cpu FILE.json: a Firecracker template or Cloud Hypervisor
	 * profile instead of a -cpu spec (docs/template.md) */
	vcpuid_template tpl;
	bool is_tpl = false;
	if ((rc = template_arg(a.spec, a.qmp, &tpl, &is_tpl))) {
		vcpuid_hostset_free(&set);
		return rc;
	}
	json_t *arr = json_array();
	cli_buf qb = { 0 };
	bool all_ok = true;
	for (size_t i = 0; i < n && !rc; i++) {
		vcpuid_comparison c;
		vcpuid_error err = { 0 };
		if ((rc = is_tpl ? vcpuid_template_compare(&tpl, &hs[i], &c, &err)
				 : vcpuid_compare(&hs[i], a.spec, a.machine, &c,
						  &err))) {
			rc = cli_fail(&err);
			break;
		}
		all_ok &= c.verdict != VCPUID_INCOMPATIBLE;
		if (a.qmp) {
			/* one host: QEMU's object; several: an array of them */
			cli_bprintf(&qb, "%s", i ? "," : n > 1 ? "[\n" : "");
			rc = cli_qmp_comparison(&c, &qb);
		} else if (a.json) {
			json_t *j = cmp_json(hs[i].source, &c);
			json_object_set_new(j, "covers", json_integer((json_int_t)set.covers[i]));
			json_object_set_new(j, "x86_64_level", json_pack("{s:s, s:s}",
				"guest", vcpuid_level_name(c.level), "here",
				vcpuid_level_name(c.level_here)));
			json_array_append_new(arr, j);
		} else {
			if (set.covers[i] > 1) {
				char name[sizeof(hs[i].source) + 48];
				snprintf(name, sizeof(name), "%s (and %zu identical)",
					 hs[i].source, set.covers[i] - 1);
				cmp_print(name, &c);
			} else {
				cmp_print(hs[i].source, &c);
			}
			if (c.level_here < c.level)
				printf("  - x86-64 level: the guest is %s as written, "
				       "%s on this host\n", vcpuid_level_name(c.level),
				       vcpuid_level_name(c.level_here));
			else
				printf("  x86-64 level: %s\n", vcpuid_level_name(c.level));
		}
		vcpuid_comparison_free(&c);
	}
	if (!rc && a.qmp) {
		cli_bprintf(&qb, "%s", n > 1 ? "]\n" : "");
		rc = qb.oom ? VCPUID_E_NOMEM : cli_output(NULL, qb.s ? qb.s : "");
	}
	free(qb.s);
	if (!rc && a.json)
		cli_print_json(json_pack("{s:s, s:o}", "cpu", a.spec, "hosts",
					 json_incref(arr)));
	json_decref(arr);
	vcpuid_hostset_free(&set);
	if (is_tpl)
		vcpuid_template_free(&tpl);
	return rc ? rc : all_ok ? 0 : VCPUID_E_NEGATIVE;
}

int cmd_migrate_check(int argc, char **argv)
{
	struct args a = { 0 };
	int rc = parse(argc, argv, "migrate-check", help_migrate, &a);
	free(a.hosts);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!a.from || !a.to)
		return cli_usage("migrate-check", "--from P1 and --to P2 are required");
	if (a.qemu && (a.from_qemu || a.to_qemu))
		return cli_usage("migrate-check", "--qemu or --from-qemu/--to-qemu, "
				 "not both");
	/* the source picks the type (the newest of its release by default);
	 * the destination runs that same type */
	char mfrom[96], mto[96];
	const char *from_m, *to_m;
	rc = cli_machine_arg("migrate-check", a.machine,
			     a.from_qemu ? a.from_qemu : a.qemu, mfrom,
			     sizeof(mfrom), &from_m);
	if (rc)
		return rc;
	const vcpuid_machine *src = vcpuid_machine_find(from_m);
	rc = cli_machine_arg("migrate-check", src ? src->name : a.machine,
			     a.to_qemu ? a.to_qemu : a.qemu, mto, sizeof(mto),
			     &to_m);
	if (rc)
		return rc;
	vcpuid_error err = { 0 };
	vcpuid_topology topo, *tp;
	if ((rc = cli_smp_opt(a.smp, &topo, &tp)))
		return rc;
	vcpuid_host from, to;
	if ((rc = cli_load_host(a.from, &from)))
		return rc;
	if ((rc = cli_load_host(a.to, &to))) {
		vcpuid_host_free(&from);
		return rc;
	}
	vcpuid_comparison c;
	rc = vcpuid_migrate_check_qemu(&from, &to, a.spec, from_m, to_m, tp, &c,
				       &err);
	if (rc) {
		rc = cli_fail(&err);
	} else {
		bool ok = c.verdict != VCPUID_INCOMPATIBLE;
		cli_buf qb = { 0 };
		if (a.qmp) {
			if (!(rc = cli_qmp_comparison(&c, &qb)))
				rc = qb.oom ? VCPUID_E_NOMEM : cli_output(NULL, qb.s);
			free(qb.s);
		} else if (a.json) {
			json_t *j = cmp_json(to.source, &c);
			json_object_set_new(j, "from", json_string(from.source));
			json_object_set_new(j, "to", json_string(to.source));
			json_object_set_new(j, "cpu", json_string(a.spec));
			json_object_set_new(j, "migratable", json_boolean(ok));
			cli_print_json(j);
		} else {
			printf("%s -> %s with -cpu %s: %s\n", from.source, to.source,
			       a.spec, ok ? "can migrate (identical view)"
					  : "CANNOT migrate");
			for (size_t i = 0; i < c.n; i++)
				printf("  %s %s\n", c.r[i].fatal ? "-" : "note:",
				       c.r[i].text);
		}
		if (!rc)
			rc = ok ? 0 : VCPUID_E_NEGATIVE;
		vcpuid_comparison_free(&c);
	}
	vcpuid_host_free(&from);
	vcpuid_host_free(&to);
	return rc;
}
