/* SPDX-License-Identifier: MIT */
/* vcpuid explain [FEATURE] --cpu SPEC [--host P|live] [--machine M]
 * [--qemu VERSION] [--json] */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "qemu_opt.h"
#include "qmp_out.h"
#include "vcpuid/fleet.h"

static const char help[] =
	"usage: vcpuid explain [FEATURE] --cpu SPEC [--host P|live] [--machine M]\n"
	"                      [--qemu VERSION] [--smp N,...]\n"
	"                      [--json | --format text|json|libvirt]\n"
	"Explain a feature's fate stage by stage (hardware, kernel, KVM, QEMU's\n"
	"corrections, model, user, dependencies, migratable mask, filter, final).\n"
	"On the live host (the default) the vCPUs are applied to a scratch VM as\n"
	"'vcpuid check' does, and two stages come before final: applied (what\n"
	"vCPU 0 keeps after KVM_SET_CPUID2/KVM_SET_MSRS) and launch (would QEMU\n"
	"start); final is what the applied vCPU keeps when QEMU starts.\n"
	"Without FEATURE: every requested-but-lost feature with its cause.\n"
	"FEATURE x86-64-v1..x86-64-v4: does the guest reach that x86-64 level\n"
	"(glibc's rules), and why not: each missing bit or XCR0 component.\n"
	"  --machine M  machine type (default the newest of the release)\n"
	CLI_QEMU_HELP
	"  --format F   text (default), json (= --json), or libvirt: the CPU as a\n"
	"               libvirt domain <cpu> element, the explanations in an XML\n"
	"               comment before it (docs/libvirt.md)\n"
	"Exit codes: 0, 2 usage, 3 I/O, 4 parse, 5 unknown feature/model/machine\n"
	"type (or one newer than the release), 6 no usable /dev/kvm (live), 7 a\n"
	"KVM ioctl failed.\n";

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

/* explain x86-64-vN: the level reached and, when short, every condition
 * the guest fails with its feature's fate. -1 on error (in *err). */
static int explain_level(const vcpuid_host *h, const vcpuid_cpu *cpu,
			 const vcpuid_verify_result *ap, const char *name,
			 bool json, vcpuid_error *err)
{
	int level = vcpuid_level_parse(name);
	if (level < 0) {
		vcpuid_fail(err, VCPUID_E_UNKNOWN, "unknown x86-64 level '%s' "
			    "(x86-64-v1..x86-64-v%d)", name, VCPUID_LEVEL_MAX);
		return -1;
	}
	int reached;
	vcpuid_level_gap *g;
	size_t n;
	if (vcpuid_level_explain(h, cpu, ap, level, &reached, &g, &n, err))
		return -1;
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o}",
				"need", g[i].need->what, "why", g[i].need->why,
				"cause", g[i].cause, "explanation",
				g[i].why.feature ? to_json(&g[i].why) : json_null()));
		json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}",
			"cpu", cpu->name, "host", h->source, "level",
			vcpuid_level_name(level), "reached", vcpuid_level_name(reached),
			"reaches", reached >= level, "missing", arr);
		cli_print_json(root);
	} else if (reached >= level) {
		printf("%s on %s reaches %s (it is %s)\n", cpu->name, h->source,
		       vcpuid_level_name(level), vcpuid_level_name(reached));
	} else {
		printf("%s on %s does not reach %s (it is %s): it lacks", cpu->name,
		       h->source, vcpuid_level_name(level), vcpuid_level_name(reached));
		for (size_t i = 0; i < n; i++)
			printf(" %s", g[i].need->what);
		printf("\n");
		for (size_t i = 0; i < n; i++)
			printf("  %s\n", g[i].cause);
	}
	free(g);
	return 0;
}

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cpu", required_argument, 0, 'c' },
		{ "host", required_argument, 0, 'H' },
		{ "machine", required_argument, 0, 'm' },
		{ "qemu", required_argument, 0, 'Q' },
		{ "smp", required_argument, 0, 's' },
		{ "json", no_argument, 0, 'j' },
		{ "format", required_argument, 0, 1000 },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 } };
	const char *spec = NULL, *host = "live", *machine = NULL, *smp = NULL;
	const char *qemu = NULL;
	static const char *const formats[] = { "text", "json", "libvirt", NULL };
	const char *format = NULL;
	bool json = false;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "c:H:m:Q:s:jh", opts, NULL)) != -1) {
		switch (o) {
		case 'c': spec = optarg; break;
		case 'H': host = optarg; break;
		case 'm': machine = optarg; break;
		case 'Q': qemu = optarg; break;
		case 's': smp = optarg; break;
		case 'j': json = true; break;
		case 1000: {
			int frc = cli_format_opt("explain", optarg, formats, &format);
			if (frc)
				return frc;
			json = !strcmp(format, "json");
			break;
		}
		case 'h': fputs(help, stdout); return 0;
		default: return cli_getopt_fail("explain", "c:H:m:Q:s:jh", argv);
		}
	}
	if (!spec)
		return cli_usage("explain", "--cpu SPEC is required");
	if (argc - optind > 1)
		return cli_usage("explain", "one FEATURE at most");
	const char *feature = optind < argc ? argv[optind] : NULL;
	char mbuf[96];
	int mrc = cli_machine_arg("explain", machine, qemu, mbuf, sizeof(mbuf),
				  &machine);
	if (mrc)
		return mrc;

	vcpuid_error err = { 0 };
	vcpuid_topology topo, *tp;
	int rc = cli_smp_opt(smp, &topo, &tp);
	if (rc)
		return rc;
	vcpuid_host h;
	rc = cli_load_host(host, &h);
	if (rc)
		return rc;
	vcpuid_cpu cpu;
	rc = vcpuid_cpu_expand(&h, spec, machine, tp, &cpu, &err);
	if (rc && rc != VCPUID_E_ENFORCE) {
		vcpuid_host_free(&h);
		return cli_fail(&err);
	}
	/* On this machine the last word is KVM's: apply the vCPUs as check
	 * does (KVM_SET_CPUID2, KVM_SET_MSRS, read back; no guest code). */
	vcpuid_verify_result applied, *ap = NULL;
	if (!strcmp(host, "live")) {
		vcpuid_vcpu *v = NULL;
		size_t nv = 0;
		vcpuid_verify_opts vo = { .run_guest = false };
		rc = vcpuid_guest_synthesize(&cpu, &h, &v, &nv, &err);
		if (!rc)
			rc = vcpuid_verify(v, nv, &vo, &applied, &err);
		for (size_t i = 0; v && i < nv; i++)
			vcpuid_vcpu_free(&v[i]);
		free(v);
		ap = rc ? NULL : &applied;
	}
	if (!rc && feature && !strncmp(feature, "x86-64-", 7)) {
		rc = explain_level(&h, &cpu, ap, feature, json, &err);
		if (ap)
			vcpuid_verify_result_free(ap);
		vcpuid_cpu_free(&cpu);
		vcpuid_host_free(&h);
		return rc < 0 ? cli_fail(&err) : rc;
	}
	vcpuid_explanation one, *list = &one;
	size_t n = 1;
	if (!rc)
		rc = feature ? vcpuid_explain_applied(&h, &cpu, ap, feature, &one, &err)
			     : vcpuid_explain_lost_applied(&h, &cpu, ap, &list, &n, &err);
	if (rc) {
		if (ap)
			vcpuid_verify_result_free(ap);
		vcpuid_cpu_free(&cpu);
		vcpuid_host_free(&h);
		return cli_fail(&err);
	}
	bool libvirt = format && !strcmp(format, "libvirt");
	if (libvirt) {
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
		cli_print_json(root);
	} else if (!feature && !n && !(ap && ap->launch_failures)) {
		printf("%s on %s: nothing requested was lost\n", cpu.name, h.source);
	} else {
		if (!feature && ap && ap->launch_failures)
			printf("QEMU would not start %s on this host: %s\n", cpu.name,
			       ap->first_launch_failure);
		for (size_t i = 0; i < n; i++)
			feature ? print_one(&list[i]) : (void)printf("%s\n", list[i].cause);
	}
	if (!feature)
		free(list);
	if (ap)
		vcpuid_verify_result_free(ap);
	vcpuid_cpu_free(&cpu);
	vcpuid_host_free(&h);
	return libvirt ? rc : 0;
}
