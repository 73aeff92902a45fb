/* SPDX-License-Identifier: MIT */
/* vcpuid upgrade-check --cpu SPEC --machine M --from-qemu A --to-qemu B
 * [--host P] [--smp S] [--json]: what the guest would see change when QEMU
 * A is replaced by QEMU B under the same machine type. */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "qemu_opt.h"

static const char help[] =
	"usage: vcpuid upgrade-check --cpu SPEC [--machine M] --from-qemu A\n"
	"                            --to-qemu B [--host P] [--smp S] [--json]\n"
	"Every CPUID entry, register, flag and feature MSR that differs between\n"
	"what QEMU A and QEMU B hand KVM for the same -cpu SPEC on machine type M\n"
	"(each release applying M's compat properties), with the QEMU change\n"
	"behind each difference (docs/upgrade-check.md).\n"
	"  --cpu SPEC       a -cpu value\n"
	"  --machine M      machine type (default the newest of release A); it\n"
	"                   must exist in both releases\n"
	"  --from-qemu A    the QEMU release the guest runs on now (7.2 .. 11.1)\n"
	"  --to-qemu B      the QEMU release after the upgrade (default 11.1)\n"
	"  --host P         host profile, bundled:NAME or live (default)\n"
	"  --smp S          -smp syntax (default 1)\n"
	"  --json           the list as JSON (docs/upgrade-check.md)\n"
	"Differences only KVM sees (entry flags and order, all-zero entries, the\n"
	"index of a non-indexed leaf) are listed and marked.\n"
	"Exit: 0 the guest would see no difference, 1 it would, >= 2 error.\n";

static const char *kind_name(enum vcpuid_diff_kind k)
{
	static const char *const n[] = { "register", "flags", "entry", "order",
					 "msr" };
	return n[k];
}

static const char *const regs[] = { "eax", "ebx", "ecx", "edx" };

static void rel(char *buf, size_t len, uint16_t q)
{
	snprintf(buf, len, "%u.%u", q / 100, q % 100);
}

static json_t *vcpu_list(uint64_t set)
{
	json_t *a = json_array();
	for (unsigned i = 0; i < 64; i++)
		if (set >> i & 1)
			json_array_append_new(a, json_integer(i));
	return a;
}

static json_t *diff_json(const vcpuid_upgrade_diff *d)
{
	json_t *o = json_object();
	char b[32];
	json_object_set_new(o, "kind", json_string(kind_name(d->kind)));
	json_object_set_new(o, "visible", json_boolean(d->visible));
	json_object_set_new(o, "vcpus", vcpu_list(d->vcpus));
	if (d->kind == VCPUID_DIFF_MSR) {
		json_object_set_new(o, "msr", json_sprintf("0x%x", d->msr));
	} else if (d->kind != VCPUID_DIFF_ORDER) {
		json_object_set_new(o, "function",
				    json_sprintf("0x%08x", d->function));
		json_object_set_new(o, "index", json_sprintf("0x%x", d->index));
	}
	if (d->kind == VCPUID_DIFF_REG)
		json_object_set_new(o, "register", json_string(regs[d->reg]));
	bool num = d->kind != VCPUID_DIFF_ORDER && d->kind != VCPUID_DIFF_ENTRY;
	const char *fmt = d->kind == VCPUID_DIFF_MSR ? "0x%llx" : "0x%08llx";
	json_object_set_new(o, "from", num && d->in_from
			    ? json_sprintf(fmt, (unsigned long long)d->from)
			    : json_boolean(d->in_from));
	json_object_set_new(o, "to", num && d->in_to
			    ? json_sprintf(fmt, (unsigned long long)d->to)
			    : json_boolean(d->in_to));
	json_t *bits = json_array();
	char tmp[sizeof(d->bits)];
	snprintf(tmp, sizeof(tmp), "%s", d->bits);
	for (char *sv, *t = strtok_r(tmp, " ", &sv); t; t = strtok_r(NULL, " ", &sv))
		json_array_append_new(bits, json_string(t));
	json_object_set_new(o, "bits", bits);
	json_t *cs = json_array();
	for (size_t i = 0; i < d->ncauses; i++) {
		const vcpuid_qemu_change *c = d->causes[i].change;
		rel(b, sizeof(b), d->causes[i].qemu);
		json_array_append_new(cs, json_pack("{s:s, s:s?, s:s?, s:s?}",
			"qemu", b, "change", c ? c->id : NULL,
			"what", c ? c->what : NULL, "source", c ? c->source : NULL));
	}
	json_object_set_new(o, "changes", cs);
	return o;
}

static void vcpus_text(uint64_t set, size_t n, char *buf, size_t len)
{
	uint64_t all = n >= 64 ? ~0ull : (1ull << n) - 1;
	if ((set & all) == all) {
		snprintf(buf, len, "all vCPUs");
		return;
	}
	size_t k = (size_t)snprintf(buf, len, "vCPU");
	for (unsigned i = 0; i < 64 && k < len; i++)
		if (set >> i & 1)
			k += (size_t)snprintf(buf + k, len - k, " %u", i);
}

static void diff_text(const vcpuid_upgrade_diff *d, size_t nvcpus)
{
	char where[64], v[200];
	vcpus_text(d->vcpus, nvcpus, v, sizeof(v));
	switch (d->kind) {
	case VCPUID_DIFF_MSR:
		snprintf(where, sizeof(where), "MSR 0x%x", d->msr);
		break;
	case VCPUID_DIFF_ORDER:
		snprintf(where, sizeof(where), "entry order");
		break;
	default:
		snprintf(where, sizeof(where), "0x%08x.0x%x%s%s", d->function,
			 d->index, d->kind == VCPUID_DIFF_REG ? " " : "",
			 d->kind == VCPUID_DIFF_REG ? regs[d->reg] :
			 d->kind == VCPUID_DIFF_FLAGS ? " flags" : "");
	}
	const char *inv = d->visible ? "" : " [not seen by the guest]";
	if (d->kind == VCPUID_DIFF_ORDER)
		printf("  %s: changed (%s)%s\n", where, v, inv);
	else if (d->kind == VCPUID_DIFF_ENTRY || d->in_from != d->in_to)
		printf("  %s: %s (%s)%s\n", where, d->in_to ? "added" : "removed",
		       v, inv);
	else
		printf(d->kind == VCPUID_DIFF_MSR ? "  %s: 0x%llx -> 0x%llx%s%s (%s)%s\n"
					      : "  %s: 0x%08llx -> 0x%08llx%s%s (%s)%s\n",
		       where, (unsigned long long)d->from,
		       (unsigned long long)d->to, d->bits[0] ? "  " : "", d->bits,
		       v, inv);
	for (size_t i = 0; i < d->ncauses; i++) {
		const vcpuid_qemu_change *c = d->causes[i].change;
		char b[16];
		rel(b, sizeof(b), d->causes[i].qemu);
		if (c)
			printf("      QEMU %s %s: %s [%s]\n", b, c->id, c->what,
			       c->source);
		else
			printf("      QEMU %s: no recorded change matches\n", b);
	}
}

int cmd_upgrade_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cpu", required_argument, 0, 'c' },
		{ "host", required_argument, 0, 'H' },
		{ "machine", required_argument, 0, 'm' },
		{ "from-qemu", required_argument, 0, 'f' },
		{ "to-qemu", required_argument, 0, 't' },
		{ "smp", required_argument, 0, 's' },
		{ "json", no_argument, 0, 'j' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 } };
	const char *spec = NULL, *host = "live", *machine = NULL, *smp = NULL;
	const char *from = NULL, *to = "11.1";
	bool json = false;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "c:H:m:f:t:s:jh", opts, NULL)) != -1) {
		switch (o) {
		case 'c': spec = optarg; break;
		case 'H': host = optarg; break;
		case 'm': machine = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 's': smp = optarg; break;
		case 'j': json = true; break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_getopt_fail("upgrade-check", "c:H:m:f:t:s:jh", argv);
		}
	}
	if (optind < argc)
		return cli_usage("upgrade-check", "unexpected argument '%s'",
				 argv[optind]);
	if (!spec || !from)
		return cli_usage("upgrade-check",
				 "--cpu SPEC and --from-qemu A are required");
	uint16_t qa = vcpuid_qemu_release_parse(from);
	uint16_t qb = vcpuid_qemu_release_parse(to);
	if (!qa || !qb)
		return cli_usage("upgrade-check", "'%s' is not a QEMU release "
				 "vcpuid knows (7.2, 8.0 .. 11.1)", qa ? to : from);
	if (machine && strchr(machine, '@'))
		return cli_usage("upgrade-check", "--machine takes a machine type");
	vcpuid_error err = { 0 };
	vcpuid_topology topo, *tp;
	int rc = cli_smp_opt(smp, &topo, &tp);
	if (rc)
		return rc;
	vcpuid_host h;
	rc = cli_load_host(host, &h);
	if (rc)
		return rc;
	vcpuid_upgrade u;
	rc = vcpuid_upgrade_check(&h, spec, machine, qa, qb, tp, &u, &err);
	if (rc) {
		vcpuid_host_free(&h);
		return cli_fail(&err);
	}
	size_t nvcpus = tp ? tp->cpus : 1;
	char fa[16], fb[16];
	rel(fa, sizeof(fa), qa);
	rel(fb, sizeof(fb), qb);
	if (json) {
		json_t *ds = json_array();
		for (size_t i = 0; i < u.n; i++)
			json_array_append_new(ds, diff_json(&u.d[i]));
		json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:o}",
			"cpu", spec, "type", u.cpu, "machine", u.from->name,
			"host", h.source, "from_qemu", fa, "to_qemu", fb,
			"identical", u.n == 0, "guest_sees_difference",
			u.nvisible > 0, "differences", ds);
		char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(root);
		rc = s ? cli_output(NULL, s) : VCPUID_E_NOMEM;
		if (s)
			fputc('\n', stdout);
		free(s);
	} else {
		printf("-cpu %s (%s) on %s, %s: QEMU %s -> %s: %s\n", spec, u.cpu,
		       u.from->name, h.source, fa, fb,
		       u.nvisible ? "the guest would see differences"
		       : u.n ? "KVM gets another table, the guest sees no difference"
			     : "no difference");
		for (size_t i = 0; i < u.n; i++)
			diff_text(&u.d[i], nvcpus);
	}
	if (!rc && u.nvisible)
		rc = VCPUID_E_NEGATIVE;
	vcpuid_upgrade_free(&u);
	vcpuid_host_free(&h);
	return rc;
}
