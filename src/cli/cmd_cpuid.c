/* SPDX-License-Identifier: MIT */
/* vcpuid cpuid: the KVM_SET_CPUID2 table and feature MSRs of each vCPU,
 * as QEMU 7.2 would hand them to KVM (docs/cpuid.md). */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "qemu_opt.h"

static const char help[] =
	"usage: vcpuid cpuid --cpu SPEC [--host PROFILE|live] [--machine M]\n"
	"                    [--qemu VERSION]\n"
	"                    [--smp N[,sockets=S][,dies=D][,cores=C][,threads=T]]\n"
	"                    [--vcpu N|all] [--format table|raw|json|c] [--json] [-o FILE]\n"
	"Compute, for each vCPU, the CPUID table (KVM_SET_CPUID2) and feature MSRs\n"
	"(KVM_SET_MSRS) QEMU gives KVM for '-cpu SPEC' on the host, as QEMU\n"
	"VERSION runs machine type M.\n"
	"  --cpu SPEC      a -cpu value: model[,+feat][,-feat][,prop=value]...\n"
	"  --host P        host profile file, bundled:NAME, or live (default)\n"
	"  --machine M     machine type (default: the newest of the release)\n"
	CLI_QEMU_HELP
	"  --smp TOPO      -smp syntax (default 1)\n"
	"  --vcpu N|all    which vCPUs to print (default all)\n"
	"  --format F      table (decoded, default), raw (cpuid -r style),\n"
	"                  json, c (kvm_cpuid_entry2 / kvm_msr_entry initializers)\n"
	"  --json          --format json\n"
	"  -o, --output FILE  write to FILE atomically instead of stdout\n"
	"On the live host, KVM's answers are kept for the boot in\n"
	"/run/vcpuid/kvm-host.bin (root) or $XDG_RUNTIME_DIR/vcpuid/;\n"
	"VCPUID_HOST_CACHE=DIR moves it, =off turns it off (docs/host-cache.md).\n";



static const char *reg_name[] = { "eax", "ebx", "ecx", "edx" };

static void decode_reg(cli_buf *b, const vcpuid_cpuid_entry *e, int reg)
{
	int w = vcpuid_word_for_reg(e->function, e->index, (enum vcpuid_reg)reg);
	uint32_t v = e->reg[reg];
	if (w < 0 || !v)
		return;
	cli_bprintf(b, "      %s:", reg_name[reg]);
	for (unsigned bit = 0; bit < 32; bit++) {
		if (!(v & (1u << bit)))
			continue;
		const vcpuid_field *fd = vcpuid_field_at((enum vcpuid_word)w, bit);
		if (fd) { /* a number (the AVX10 version), not flags */
			uint32_t m = fd->width >= 32 ? ~0u : (1u << fd->width) - 1;
			cli_bprintf(b, " %s=%u", fd->name, (v >> fd->shift) & m);
			bit = fd->shift + fd->width - 1u;
			continue;
		}
		const vcpuid_feature *f = vcpuid_feature_at((enum vcpuid_word)w, bit);
		if (f)
			cli_bprintf(b, " %s", f->name);
		else
			cli_bprintf(b, " [%u]", bit);
	}
	cli_bprintf(b, "\n");
}

static void fmt_table(cli_buf *b, const vcpuid_vcpu *v)
{
	cli_bprintf(b, "CPU %u (APIC ID %u): %zu CPUID entries, %zu MSRs, %s\n",
		v->index, v->apic_id, v->cpuid.n, v->msrs.n,
		vcpuid_level_name(vcpuid_level_of_table(&v->cpuid)));
	for (size_t i = 0; i < v->cpuid.n; i++) {
		const vcpuid_cpuid_entry *e = &v->cpuid.e[i];
		cli_bprintf(b, "   0x%08x 0x%02x %s eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n",
			e->function, e->index,
			e->flags & VCPUID_FLAG_SIGNIFICANT_INDEX ? "idx"
			: e->flags & VCPUID_FLAG_STATEFUL_FUNC  ? "sta"
								 : "   ",
			e->reg[0], e->reg[1], e->reg[2], e->reg[3]);
		for (int r = 0; r < 4; r++)
			decode_reg(b, e, r);
	}
	for (size_t i = 0; i < v->msrs.n; i++) {
		const vcpuid_msr *m = &v->msrs.m[i];
		cli_bprintf(b, "   MSR 0x%08x = 0x%016llx\n", m->index,
			(unsigned long long)m->value);
		int w = vcpuid_word_for_msr(m->index);
		if (w >= 0 && m->value) {
			cli_bprintf(b, "      ");
			for (unsigned bit = 0; bit < 64; bit++) {
				if (!(m->value & (1ull << bit)))
					continue;
				const vcpuid_feature *f =
					vcpuid_feature_at((enum vcpuid_word)w, bit);
				if (f)
					cli_bprintf(b, " %s", f->name);
				else
					cli_bprintf(b, " [%u]", bit);
			}
			cli_bprintf(b, "\n");
		}
	}
}

static void fmt_raw(cli_buf *b, const vcpuid_vcpu *v)
{
	cli_bprintf(b, "CPU %u:\n", v->index);
	for (size_t i = 0; i < v->cpuid.n; i++) {
		const vcpuid_cpuid_entry *e = &v->cpuid.e[i];
		cli_bprintf(b, "   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n",
			e->function, e->index, e->reg[0], e->reg[1], e->reg[2],
			e->reg[3]);
	}
}

static void fmt_c(cli_buf *b, const vcpuid_vcpu *v)
{
	cli_bprintf(b, "/* vCPU %u, APIC ID %u: for KVM_SET_CPUID2 */\n"
		   "static const struct kvm_cpuid_entry2 vcpu%u_cpuid[%zu] = {\n",
		v->index, v->apic_id, v->index, v->cpuid.n);
	for (size_t i = 0; i < v->cpuid.n; i++) {
		const vcpuid_cpuid_entry *e = &v->cpuid.e[i];
		cli_bprintf(b, "\t{ .function = 0x%08x, .index = 0x%x, .flags = 0x%x,\n"
			   "\t  .eax = 0x%08x, .ebx = 0x%08x, .ecx = 0x%08x, .edx = 0x%08x },\n",
			e->function, e->index, e->flags, e->reg[0], e->reg[1],
			e->reg[2], e->reg[3]);
	}
	cli_bprintf(b, "};\n/* vCPU %u: for KVM_SET_MSRS, after KVM_SET_CPUID2 */\n"
		   "static const struct kvm_msr_entry vcpu%u_msrs[%zu] = {\n",
		v->index, v->index, v->msrs.n ? v->msrs.n : 1);
	for (size_t i = 0; i < v->msrs.n; i++)
		cli_bprintf(b, "\t{ .index = 0x%08x, .data = 0x%016llxull },\n",
			v->msrs.m[i].index, (unsigned long long)v->msrs.m[i].value);
	cli_bprintf(b, "};\n");
}

static json_t *hex(uint64_t v, bool wide)
{
	char s[24];
	snprintf(s, sizeof(s), wide ? "0x%llx" : "0x%08llx", (unsigned long long)v);
	return json_string(s);
}

static json_t *json_vcpu(const vcpuid_vcpu *v)
{
	json_t *o = json_object(), *cpuid = json_array(), *msrs = json_array();
	json_object_set_new(o, "index", json_integer(v->index));
	json_object_set_new(o, "apic_id", json_integer(v->apic_id));
	json_object_set_new(o, "x86_64_level",
			    json_string(vcpuid_level_name(vcpuid_level_of_table(&v->cpuid))));
	for (size_t i = 0; i < v->cpuid.n; i++) {
		const vcpuid_cpuid_entry *e = &v->cpuid.e[i];
		json_t *x = json_object();
		json_object_set_new(x, "function", hex(e->function, false));
		json_object_set_new(x, "index", hex(e->index, true));
		json_object_set_new(x, "flags", hex(e->flags, true));
		for (int r = 0; r < 4; r++)
			json_object_set_new(x, reg_name[r], hex(e->reg[r], false));
		json_array_append_new(cpuid, x);
	}
	for (size_t i = 0; i < v->msrs.n; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "index", hex(v->msrs.m[i].index, true));
		json_object_set_new(x, "value", hex(v->msrs.m[i].value, true));
		json_array_append_new(msrs, x);
	}
	json_object_set_new(o, "cpuid", cpuid);
	json_object_set_new(o, "msrs", msrs);
	return o;
}

static json_t *json_filtered(const vcpuid_cpu *cpu)
{
	json_t *a = json_array();
	for (size_t i = 0; i < cpu->nfiltered; i++) {
		const vcpuid_filtered *f = &cpu->filtered_list[i];
		char loc[48] = "";
		vcpuid_word_location(f->word, loc, sizeof(loc));
		json_t *x = json_object();
		json_object_set_new(x, "name", f->name ? json_string(f->name) : json_null());
		json_object_set_new(x, "word", json_string(vcpuid_word(f->word)->id));
		json_object_set_new(x, "location", json_string(loc));
		json_object_set_new(x, "bit", json_integer(f->bit));
		json_object_set_new(x, "reason", json_string(f->reason));
		json_array_append_new(a, x);
	}
	return a;
}

static int parse_vcpu(const char *s, long *out)
{
	if (!strcmp(s, "all")) {
		*out = -1;
		return 0;
	}
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (errno || *end || end == s || v < 0 || v > 65535)
		return -1;
	*out = v;
	return 0;
}

int cmd_cpuid(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *spec = NULL, *hostspec = "live", *machine = NULL;
	const char *qemu = NULL;
	const char *smp = NULL, *format = "table", *out = NULL, *vcpu_s = "all";
	const struct cli_opt opts[] = {
		{ "--json", &format, "json" },
		{ "--cpu", &spec, NULL },
		{ "--host", &hostspec, NULL },
		{ "--machine", &machine, NULL },
		{ "--qemu", &qemu, NULL },
		{ "--smp", &smp, NULL },
		{ "--format", &format, NULL },
		{ "--vcpu", &vcpu_s, NULL },
		{ NULL, NULL, NULL } };
	int prc = cli_parse_opts("cpuid", argc, argv, opts, &out);
	if (prc)
		return prc;
	if (!spec)
		return cli_usage("cpuid", "--cpu is required");
	enum { F_TABLE, F_RAW, F_JSON, F_C } fmt;
	if (!strcmp(format, "table"))
		fmt = F_TABLE;
	else if (!strcmp(format, "raw"))
		fmt = F_RAW;
	else if (!strcmp(format, "json"))
		fmt = F_JSON;
	else if (!strcmp(format, "c"))
		fmt = F_C;
	else
		return cli_usage("cpuid", "unknown format '%s' (table, raw, json, c)",
				 format);
	long only;
	if (parse_vcpu(vcpu_s, &only))
		return cli_usage("cpuid", "bad --vcpu '%s' (a number or all)", vcpu_s);

	char mbuf[96];
	int mrc = cli_machine_arg("cpuid", machine, qemu, mbuf, sizeof(mbuf),
				  &machine);
	if (mrc)
		return mrc;
	vcpuid_error err = { 0 };
	vcpuid_topology topo = { .cpus = 1, .sockets = 1, .dies = 1,
				 .modules = 1, .cores = 1, .threads = 1 };
	if (smp && vcpuid_topology_parse(smp, &topo, &err))
		return cli_fail(&err);
	if (only >= 0 && (unsigned long)only >= topo.cpus)
		return cli_usage("cpuid", "--vcpu %ld: the guest has %u vCPUs", only,
				 topo.cpus);
	vcpuid_host host;
	int rc = cli_load_host_ex(hostspec, VCPUID_PROBE_LAZY | VCPUID_PROBE_CACHE,
				  &host);
	if (rc)
		return rc;
	vcpuid_guest g;
	rc = vcpuid_guest_build(&host, spec, machine, &topo, &g, &err);
	vcpuid_host_free(&host);
	if (rc)
		return cli_fail(&err);

	cli_buf b = { 0 };
	char *text = NULL;
	if (fmt == F_JSON) {
		json_t *root = json_object(), *vcpus = json_array();
		json_object_set_new(root, "cpu", json_string(g.cpu.name));
		json_object_set_new(root, "machine",
				    g.cpu.machine ? json_string(g.cpu.machine->name)
						  : json_null());
		if (g.cpu.machine)
			json_object_set_new(root, "qemu", json_sprintf("%u.%u",
					    g.cpu.machine->qemu / 100,
					    g.cpu.machine->qemu % 100));
		for (size_t i = 0; i < g.nvcpus; i++)
			if (only < 0 || (size_t)only == i)
				json_array_append_new(vcpus, json_vcpu(&g.vcpus[i]));
		json_object_set_new(root, "vcpus", vcpus);
		json_object_set_new(root, "filtered", json_filtered(&g.cpu));
		text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(root);
		if (text) {
			size_t n = strlen(text);
			char *t = realloc(text, n + 2);
			if (t) {
				t[n] = '\n';
				t[n + 1] = 0;
				text = t;
			}
		}
	} else {
		if (fmt == F_C)
			cli_bprintf(&b, "/* vcpuid cpuid --cpu %s: %s */\n#include <linux/kvm.h>\n\n",
				spec, g.cpu.name);
		for (size_t i = 0; i < g.nvcpus; i++) {
			if (only >= 0 && (size_t)only != i)
				continue;
			if (fmt == F_TABLE)
				fmt_table(&b, &g.vcpus[i]);
			else if (fmt == F_RAW)
				fmt_raw(&b, &g.vcpus[i]);
			else
				fmt_c(&b, &g.vcpus[i]);
		}
		if (fmt == F_TABLE)
			for (size_t i = 0; i < g.cpu.nwarnings; i++)
				fprintf(stderr, "%s\n", g.cpu.warnings[i]);
		text = cli_buf_take(&b);
	}
	vcpuid_guest_free(&g);
	return cli_output_text("cpuid", out, text);
}
