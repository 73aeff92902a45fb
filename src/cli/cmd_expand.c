/* SPDX-License-Identifier: MIT */
/* vcpuid expand --cpu SPEC [--host P|live|none] [--machine M] [--qemu V]
 * [--smp S] [--json] */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "qmp_out.h"
#include "qemu_opt.h"
#include "cli_level.h"

static const char help[] =
	"usage: vcpuid expand --cpu SPEC [--host P|live|none] [--machine M]\n"
	"                     [--qemu VERSION] [--smp S]\n"
	"                     [--json | --format text|json|qmp|libvirt]\n"
	"                     [--expansion static|full] [-o FILE]\n"
	"Decide the guest CPU QEMU would build for `-cpu SPEC` under KVM on host P:\n"
	"the resolved model, vendor, family/model/stepping, CPUID levels, the final\n"
	"named features per feature word and the features the host cannot give.\n"
	"QEMU's warning lines go to stderr exactly as QEMU prints them.\n"
	"  --cpu SPEC     MODEL[,+feat][,-feat][,feat=on|off][,prop=value]...\n"
	"  --host P       host profile, dump, 'bundled:NAME' or 'live' (default);\n"
	"                 'none' expands without a host (no KVM, no filtering)\n"
	"  --machine M    machine type (default: the newest of the release)\n"
	CLI_QEMU_HELP
	"  --smp S        -smp syntax: N[,sockets=S][,dies=D][,cores=C][,threads=T]\n"
	"  --json         JSON output (schema: docs/expand.md)\n"
	"  --format F     text (default), json (= --json), qmp: QMP's\n"
	"                 query-cpu-model-expansion answer (expanded, not\n"
	"                 filtered; docs/qmp.md), or libvirt: the libvirt domain\n"
	"                 <cpu> element (docs/libvirt.md)\n"
	"  --expansion T  with --format qmp: full (default) or static\n"
	"  --cpu also takes a libvirt domain XML or <cpu> element file\n"
	"  -o, --output FILE  write the output to FILE (atomically; a failed\n"
	"                 expand leaves FILE as it was)\n"
	"Exit: 0, 9 when enforce refuses, other codes per docs/exit-codes.md.\n";

/* A name on several bits (kvmclock) is listed once, at its first bit. */
static bool seen_before(const vcpuid_cpu *cpu, int w, unsigned bit,
			const char *name)
{
	for (unsigned b = 0; b < bit; b++) {
		const vcpuid_feature *f = vcpuid_feature_at(w, b);
		if ((cpu->features[w] >> b & 1) && f && !strcmp(f->name, name))
			return true;
	}
	return false;
}

static json_t *features_json(const vcpuid_cpu *cpu)
{
	json_t *o = json_object();
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		const vcpuid_word_info *wi = vcpuid_word(w);
		if (wi->qemu_since > cpu->machine->qemu)
			continue;
		json_t *e = json_object();
		char hex[24];
		snprintf(hex, sizeof(hex), "0x%llx",
			 (unsigned long long)cpu->features[w]);
		json_object_set_new(e, "value", json_string(hex));
		json_t *names = json_array();
		for (unsigned b = 0; b < 64; b++) {
			if (!(cpu->features[w] >> b & 1))
				continue;
			const vcpuid_feature *f = vcpuid_feature_at(w, b);
			if (f && f->qemu_since <= cpu->machine->qemu &&
			    !seen_before(cpu, w, b, f->name))
				json_array_append_new(names, json_string(f->name));
		}
		json_object_set_new(e, "names", names);
		json_object_set_new(o, wi->id, e);
	}
	return o;
}

static json_t *cpu_json(const vcpuid_cpu *cpu)
{
	json_t *root = json_object(), *c = json_object();
	char hex[24];
	json_object_set_new(c, "name", json_string(cpu->name));
	json_object_set_new(c, "model", cpu->model ? json_string(cpu->model->name)
						   : json_null());
	json_object_set_new(c, "version", cpu->model ? json_integer(cpu->version)
						     : json_null());
	json_object_set_new(c, "machine", json_string(cpu->machine->name));
	json_object_set_new(c, "qemu", json_sprintf("%u.%u",
			    cpu->machine->qemu / 100, cpu->machine->qemu % 100));
	json_object_set_new(c, "vendor", json_string(cpu->vendor));
	json_object_set_new(c, "family", json_integer(cpu->family));
	json_object_set_new(c, "model_num", json_integer(cpu->model_num));
	json_object_set_new(c, "stepping", json_integer(cpu->stepping));
	snprintf(hex, sizeof(hex), "0x%x", cpu->level);
	json_object_set_new(c, "level", json_string(hex));
	snprintf(hex, sizeof(hex), "0x%x", cpu->xlevel);
	json_object_set_new(c, "xlevel", json_string(hex));
	snprintf(hex, sizeof(hex), "0x%x", cpu->xlevel2);
	json_object_set_new(c, "xlevel2", json_string(hex));
	snprintf(hex, sizeof(hex), "0x%x", cpu->level_func7);
	json_object_set_new(c, "level_func7", json_string(hex));
	json_object_set_new(c, "model_id", json_string(cpu->model_id));
	json_object_set_new(c, "phys_bits", json_integer(cpu->phys_bits));
	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)cpu->ucode_rev);
	json_object_set_new(c, "ucode_rev", json_string(hex));
	json_object_set_new(c, "pmu", json_boolean(cpu->pmu));
	json_object_set_new(c, "migratable", json_boolean(cpu->migratable));
	json_object_set_new(c, "avx10_version", json_integer(cpu->avx10_version));
	json_object_set_new(c, "avx10_filtered", json_boolean(cpu->avx10_filtered));
	json_object_set_new(c, "x86_64_level", cli_level_json(cpu->features));
	json_object_set_new(root, "cpu", c);
	json_object_set_new(root, "features", features_json(cpu));
	json_t *fl = json_array();
	for (size_t i = 0; i < cpu->nfiltered; i++) {
		const vcpuid_filtered *f = &cpu->filtered_list[i];
		json_t *e = json_object();
		char loc[48];
		vcpuid_word_location(f->word, loc, sizeof(loc));
		json_object_set_new(e, "name", f->name ? json_string(f->name)
						      : json_null());
		json_object_set_new(e, "word", json_string(vcpuid_word(f->word)->id));
		json_object_set_new(e, "location", json_string(loc));
		json_object_set_new(e, "bit", json_integer(f->bit));
		json_object_set_new(e, "reason", json_string(f->reason));
		json_array_append_new(fl, e);
	}
	json_object_set_new(root, "filtered", fl);
	json_t *wl = json_array();
	for (size_t i = 0; i < cpu->nwarnings; i++)
		json_array_append_new(wl, json_string(cpu->warnings[i]));
	json_object_set_new(root, "warnings", wl);
	return root;
}

static char *text_out(const vcpuid_cpu *cpu)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "cpu        %s", cpu->name);
	if (cpu->model)
		fprintf(f, " (model %s, version %d)", cpu->model->name,
			cpu->version);
	fprintf(f, "\nmachine    %s (QEMU %u.%u)\nvendor     %s\n",
		cpu->machine->name, cpu->machine->qemu / 100,
		cpu->machine->qemu % 100, cpu->vendor);
	fprintf(f, "family     %u  model %u  stepping %u\n", cpu->family,
		cpu->model_num, cpu->stepping);
	fprintf(f, "model-id   %s\n", cpu->model_id);
	fprintf(f, "level      0x%x  xlevel 0x%x  xlevel2 0x%x\n", cpu->level,
		cpu->xlevel, cpu->xlevel2);
	fprintf(f, "phys-bits  %u  ucode-rev 0x%llx\n", cpu->phys_bits,
		(unsigned long long)cpu->ucode_rev);
	char lv[512];
	cli_level_text(cpu->features, lv, sizeof(lv));
	fprintf(f, "x86-64     %s\n", lv);
	if (cpu->avx10_version || cpu->avx10_filtered)
		fprintf(f, "avx10      version %u%s\n", cpu->avx10_version,
			cpu->avx10_filtered ? " (lowered or dropped: the host "
			"offers less)" : "");
	fputs("features:\n", f);
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		if (!cpu->features[w])
			continue;
		char loc[48];
		vcpuid_word_location(w, loc, sizeof(loc));
		fprintf(f, "  %-16s %-18s 0x%08llx ", vcpuid_word(w)->id, loc,
			(unsigned long long)cpu->features[w]);
		for (unsigned b = 0; b < 64; b++) {
			if (!(cpu->features[w] >> b & 1))
				continue;
			const vcpuid_feature *ft = vcpuid_feature_at(w, b);
			if (ft && ft->qemu_since <= cpu->machine->qemu) {
				if (!seen_before(cpu, w, b, ft->name))
					fprintf(f, " %s", ft->name);
			} else
				fprintf(f, " [%u]", b);
		}
		fputc('\n', f);
	}
	if (cpu->nfiltered)
		fprintf(f, "filtered:\n");
	for (size_t i = 0; i < cpu->nfiltered; i++) {
		const vcpuid_filtered *ft = &cpu->filtered_list[i];
		char loc[48];
		vcpuid_word_location(ft->word, loc, sizeof(loc));
		fprintf(f, "  %-24s %s [bit %u]: %s\n", ft->name ? ft->name : "-",
			loc, ft->bit, ft->reason);
	}
	fclose(f);
	return buf;
}

int cmd_expand(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *spec = NULL, *hostspec = "live", *machine = NULL;
	const char *smp = NULL, *out = NULL, *fv = NULL, *expansion = NULL;
	const char *qemu = NULL;
	static const char *const formats[] = { "text", "json", "qmp", "libvirt",
					       NULL };
	const char *format = NULL;
	bool as_json = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
#define OPT(flag, var) \
	if (!strcmp(a, flag) && i + 1 < argc) { \
		var = argv[++i]; \
		continue; \
	} \
	if (!strncmp(a, flag "=", sizeof(flag))) { \
		var = a + sizeof(flag); \
		continue; \
	}
		OPT("--cpu", spec)
		OPT("--host", hostspec)
		OPT("--machine", machine)
		OPT("--qemu", qemu)
		OPT("--smp", smp)
		OPT("--expansion", expansion)
		OPT("--format", fv)
#undef OPT
		int orc = cli_output_opt("expand", argc, argv, &i, &out);
		if (orc > 0)
			return orc;
		if (!orc)
			continue;
		if (!strcmp(a, "--json")) {
			as_json = true;
			continue;
		}
		return cli_usage("expand", "unknown option '%s'", a);
	}
	if (fv) {
		int frc = cli_format_opt("expand", fv, formats, &format);
		if (frc)
			return frc;
		as_json = !strcmp(format, "json");
	}
	bool qmp = format && !strcmp(format, "qmp");
	bool libvirt = format && !strcmp(format, "libvirt");
	if (expansion && !qmp)
		return cli_usage("expand", "--expansion goes with --format qmp");
	if (!spec)
		return cli_usage("expand", "--cpu SPEC is required");
	char mbuf[96];
	int mrc = cli_machine_arg("expand", machine, qemu, mbuf, sizeof(mbuf),
				  &machine);
	if (mrc)
		return mrc;
	vcpuid_error err = { 0 };
	vcpuid_topology topo, *tp;
	int rc = cli_smp_opt(smp, &topo, &tp);
	if (rc)
		return rc;
	vcpuid_host host;
	vcpuid_host_init(&host);
	bool have_host = strcmp(hostspec, "none") != 0;
	if (have_host &&
	    (rc = cli_load_host_ex(hostspec, VCPUID_PROBE_LAZY | VCPUID_PROBE_CACHE,
				   &host)))
		return rc;
	if (qmp) {
		int r = cli_qmp_expand(have_host ? &host : NULL, spec, machine,
				       expansion, out);
		vcpuid_host_free(&host);
		return r;
	}
	vcpuid_cpu cpu;
	rc = vcpuid_cpu_expand(have_host ? &host : NULL, spec, machine, tp,
				   &cpu, &err);
	for (size_t i = 0; i < cpu.nwarnings; i++)
		fprintf(stderr, "qemu-system-x86_64: warning: %s\n",
			cpu.warnings[i]);
	if (rc && rc != VCPUID_E_ENFORCE) {
		vcpuid_cpu_free(&cpu);
		vcpuid_host_free(&host);
		return cli_fail(&err);
	}
	if (libvirt) {
		int lrc = cli_libvirt_out(have_host ? &host : NULL, &cpu, NULL, out);
		if (rc == VCPUID_E_ENFORCE)
			fprintf(stderr, "qemu-system-x86_64: %s\n", err.msg);
		vcpuid_cpu_free(&cpu);
		vcpuid_host_free(&host);
		return rc ? rc : lrc;
	}
	char *text = NULL;
	if (as_json) {
		json_t *j = cpu_json(&cpu);
		text = cli_json_text(j);
		json_decref(j);
	} else {
		text = text_out(&cpu);
	}
	/* A failed command (enforce) prints what it found but leaves an
	 * existing output file as it was. */
	int orc = !text ? VCPUID_E_NOMEM : rc && out ? 0 : cli_output(out, text);
	free(text);
	if (rc == VCPUID_E_ENFORCE)
		fprintf(stderr, "qemu-system-x86_64: %s\n", err.msg);
	vcpuid_cpu_free(&cpu);
	vcpuid_host_free(&host);
	return rc ? rc : orc;
}
