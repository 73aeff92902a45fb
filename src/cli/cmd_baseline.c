/* SPDX-License-Identifier: MIT */
/* vcpuid baseline P1 P2 ... [--migratable] [--features] [--machine M]
 * [--qemu VERSION] [--json] */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "qemu_opt.h"
#include "vcpuid/fleet.h"
#include "qmp_out.h"

static const char help[] =
	"usage: vcpuid baseline P1 [P2 ...] [--migratable] [--features] [--machine M]\n"
	"                       [--qemu VERSION]\n"
	"                       [--json | --format text|json|qmp|libvirt]\n"
	"The CPU that runs on every given host with the most features, as a QEMU\n"
	"-cpu spec: the closest named model plus common extra features minus what\n"
	"some host lacks, checked by expanding it on every host (MSR words too).\n"
	"Arguments may be profile files or directories of them.\n"
	"  --migratable  leave out features that block live migration\n"
	"  --features    also list every feature of the result\n"
	"  --format F    text (default), json (= --json), qmp: the answer of\n"
	"                QMP's query-cpu-model-baseline in s390x's shape (docs/qmp.md),\n"
	"                or libvirt: the result as a libvirt domain <cpu> element\n"
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
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 } };
	static const char *const formats[] = { "text", "json", "qmp", "libvirt",
					       NULL };
	const char *format = NULL;
	bool json = false, features = false;
	unsigned flags = 0;
	const char *machine = NULL, *qemu = NULL;
	int o, rc;
	optind = 1;
	while ((o = getopt_long(argc, argv, "MFm:Q:jh", opts, NULL)) != -1) {
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
		case 'h': fputs(help, stdout); return 0;
		default: return cli_getopt_fail("baseline", "MFm:Q:jh", argv);
		}
	}
	if (optind >= argc)
		return cli_usage("baseline", "name at least one host profile");
	char mbuf[96];
	int mrc = cli_machine_arg("baseline", machine, qemu, mbuf, sizeof(mbuf),
				  &machine);
	if (mrc)
		return mrc;
	vcpuid_host *hs;
	size_t n;
	rc = cli_load_hosts(argv + optind, (size_t)(argc - optind), &hs, &n);
	if (rc)
		return rc;
	const vcpuid_host **ph = calloc(n ? n : 1, sizeof(*ph));
	for (size_t i = 0; ph && i < n; i++)
		ph[i] = &hs[i];
	vcpuid_baseline b;
	vcpuid_error err = { 0 };
	rc = ph ? vcpuid_baseline_compute(ph, n, machine, flags, &b, &err)
		: vcpuid_fail(&err, VCPUID_E_NOMEM, "out of memory");
	free(ph);
	if (rc) {
		cli_free_hosts(hs, n);
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
		cli_free_hosts(hs, n);
		return rc;
	}
	if (format && !strcmp(format, "qmp")) {
		rc = cli_qmp_baseline(&b);
	} else if (json) {
		json_t *root = json_pack("{s:s, s:s?, s:i, s:s, s:I, s:o, s:o}",
			"spec", b.spec, "model", b.model ? b.model->name : NULL,
			"version", b.version, "vendor", b.vendor,
			"hosts", (json_int_t)n, "plus", names(b.plus),
			"minus", names(b.minus));
		if (features)
			json_object_set_new(root, "features", names(b.features));
		char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
		json_decref(root);
	} else {
		printf("%s\n", b.spec);
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
	cli_free_hosts(hs, n);
	return rc;
}
