/* SPDX-License-Identifier: MIT */
/* vcpuid baseline P1 P2 ... [--migratable] [--features] [--machine M]
 * [--qemu VERSION] [--json] */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "cli_hosts.h"
#include "qemu_opt.h"
#include "vcpuid/fleet.h"
#include "vcpuid/level.h"
#include "qmp_out.h"

static const char help[] =
	"usage: vcpuid baseline P1 [P2 ...] [--migratable] [--features] [--machine M]\n"
	"                       [--qemu VERSION] [--json | --format text|json|qmp|libvirt]\n"
	"                       [--level x86-64-vN] [--cross-vendor] [--jobs N]\n"
	"The CPU that runs on every given host with the most features, as a QEMU\n"
	"-cpu spec: the closest named model plus common extra features minus what\n"
	"some host lacks, checked by expanding it on every host (MSR words too).\n"
	"Arguments may be profile files or directories of them.\n"
	"  --migratable  leave out features that block live migration\n"
	"  --features    also list every feature of the result\n"
	"  --format F    text (default), json (= --json), qmp: the answer of\n"
	"                QMP's query-cpu-model-baseline in s390x's shape (docs/qmp.md),\n"
	"                or libvirt: the result as a libvirt domain <cpu> element\n"
	"  --level L     the CPU must reach x86-64 level L (x86-64-v1..v4) on every\n"
	"                host; else exit 1 naming the hosts that cannot\n"
	"  --jobs N      read the host files with N threads (default: the CPUs);\n"
	"                identical files count once (JSON: hosts, distinct)\n"
	"  --cross-vendor  hosts of several vendors (Intel and AMD): a vendor-neutral\n"
	"                base model (qemu64, kvm64...) plus the common features\n"
	"  --machine M   machine type (default the newest of the release)\n"
	CLI_QEMU_HELP;

static json_t *names(const vcpuid_words w)
{
	json_t *a = json_array();
	for (int i = 0; i < VCPUID_NWORDS; i++)
		for (unsigned b = 0; b < 64; b++) {
			const vcpuid_feature *f = vcpuid_feature_at(i, b);
			if ((w[i] >> b & 1) && f && f->bit == b)
				json_array_append_new(a, json_string(f->name));
		}
	return a;
}

int cmd_baseline(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "migratable", no_argument, 0, 'M' },
		{ "features", no_argument, 0, 'F' },
		{ "machine", required_argument, 0, 'm' },
		{ "qemu", required_argument, 0, 'Q' },
		{ "json", no_argument, 0, 'j' },
		{ "format", required_argument, 0, 1000 },
		{ "level", required_argument, 0, 'L' },
		{ "cross-vendor", no_argument, 0, 'X' },
		{ "jobs", required_argument, 0, 'J' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 } };
	static const char *const formats[] = { "text", "json", "qmp", "libvirt",
					       NULL };
	const char *format = NULL;
	bool json = false, features = false;
	unsigned flags = 0;
	const char *machine = NULL, *qemu = NULL;
	int o, rc, level = 0;
	unsigned jobs = 0;
	optind = 1;
	while ((o = getopt_long(argc, argv, "MFm:Q:jhL:XJ:", opts, NULL)) != -1) {
		switch (o) {
		case 'M': flags |= VCPUID_BASELINE_MIGRATABLE; break;
		case 'F': features = true; break;
		case 'm': machine = optarg; break;
		case 'Q': qemu = optarg; break;
		case 'j': json = true; break;
		case 1000:
			if ((rc = cli_format_opt("baseline", optarg, formats, &format)))
				return rc;
			json = !strcmp(format, "json");
			break;
		case 'L':
			if ((level = vcpuid_level_parse(optarg)) < 0)
				return cli_usage("baseline", "--level '%s': not an x86-64 "
						 "level (x86-64-v1..x86-64-v4)", optarg);
			break;
		case 'X': flags |= VCPUID_BASELINE_CROSS_VENDOR; break;
		case 'J':
			if (cli_jobs("baseline", optarg, &jobs))
				return VCPUID_E_USAGE;
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_getopt_fail("baseline", "MFm:Q:jhL:XJ:", argv);
		}
	}
	if (optind >= argc)
		return cli_usage("baseline", "name at least one host profile");
	char mbuf[96];
	int mrc = cli_machine_arg("baseline", machine, qemu, mbuf, sizeof(mbuf),
				  &machine);
	if (mrc)
		return mrc;
	vcpuid_hostset set;
	rc = cli_load_hostset(argv + optind, (size_t)(argc - optind), jobs, &set);
	if (rc)
		return rc;
	vcpuid_host *hs = set.hosts;
	size_t n = set.n;
	const vcpuid_host **ph = calloc(n ? n : 1, sizeof(*ph));
	for (size_t i = 0; ph && i < n; i++)
		ph[i] = &hs[i];
	vcpuid_baseline b;
	vcpuid_error err = { 0 };
	rc = !ph ? vcpuid_fail(&err, VCPUID_E_NOMEM, "out of memory")
	     : level ? vcpuid_baseline_for_level(ph, n, machine, flags, level, &b, &err)
		     : vcpuid_baseline_compute(ph, n, machine, flags, &b, &err);
	free(ph);
	if (rc) {
		vcpuid_hostset_free(&set);
		return cli_fail(&err);
	}
	if (format && !strcmp(format, "libvirt")) {
		/* the spec as the first host's QEMU builds it, in libvirt's terms */
		vcpuid_cpu cpu;
		rc = vcpuid_cpu_expand(&hs[0], b.spec, machine, NULL, &cpu, &err);
		if (rc == VCPUID_E_ENFORCE)
			rc = 0;
		rc = rc ? cli_fail(&err) : cli_libvirt_out(&hs[0], &cpu, NULL, NULL);
		vcpuid_cpu_free(&cpu);
		vcpuid_hostset_free(&set);
		return rc;
	}
	if (format && !strcmp(format, "qmp")) {
		rc = cli_qmp_baseline(&b);
	} else if (json) {
		json_t *root = json_pack("{s:s, s:s?, s:i, s:s, s:I, s:o, s:o}",
			"spec", b.spec, "model", b.model ? b.model->name : NULL,
			"version", b.version, "vendor", b.vendor,
			"hosts", (json_int_t)(set.nfiles - set.nskipped), "plus", names(b.plus),
			"minus", names(b.minus));
		json_object_set_new(root, "level", json_string(vcpuid_level_name(b.level)));
		json_object_set_new(root, "distinct", json_integer((json_int_t)n));
		if (features)
			json_object_set_new(root, "features", names(b.features));
		cli_print_json(root);
	} else {
		printf("%s\n", b.spec);
		/* for a person at a terminal: the level and what it covers
		 * (the spec alone stays on stdout for scripts) */
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "vcpuid: %s, %s; %zu host file(s), %zu distinct\n",
				vcpuid_level_name(b.level), b.vendor,
				set.nfiles - set.nskipped, n);
		if (features) {
			json_t *a = names(b.features);
			size_t i;
			json_t *v;
			json_array_foreach(a, i, v)
				printf("%s%s", i ? " " : "", json_string_value(v));
			printf("\n");
			json_decref(a);
		}
	}
	vcpuid_hostset_free(&set);
	return rc;
}
