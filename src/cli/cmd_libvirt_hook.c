/* SPDX-License-Identifier: MIT */
/* vcpuid libvirt-hook NAME OPERATION SUB-OPERATION EXTRA  (domain XML on
 * stdin): libvirt's `qemu` hook (docs/libvirt.md, "The hook"). */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char help[] =
	"usage: vcpuid libvirt-hook NAME OPERATION SUB-OPERATION [EXTRA]\n"
	"libvirt's qemu hook (install: docs/libvirt.md). The domain XML comes on\n"
	"stdin; nothing is written to stdout (libvirt would take it as XML).\n"
	"  prepare begin  refuse (exit 1, the reason on stderr, which libvirt\n"
	"                 shows) a domain whose CPU QEMU would abort on, or would\n"
	"                 give fewer features than the domain asks (unless\n"
	"                 <cpu check='none'>), as `vcpuid check` on this host\n"
	"  migrate begin  with a profile configured, refuse a guest CPU that\n"
	"                 `vcpuid migrate-check` says cannot move\n"
	"  anything else  exit 0\n"
	"Configuration: /etc/vcpuid/libvirt-hook.conf (VCPUID_HOOK_CONF), lines\n"
	"'key = value': migrate-from = PROFILE (the source host; the hook runs on\n"
	"the destination, which is this host), migrate-to = PROFILE (the\n"
	"destination; the source is then this host), default-machine = M (for\n"
	"machine types vcpuid does not know), off = yes (allow everything).\n";

typedef struct hook_conf {
	char migrate_from[512], migrate_to[512], default_machine[64];
	bool off;
} hook_conf;

static void read_conf(hook_conf *c)
{
	memset(c, 0, sizeof(*c));
	const char *path = getenv("VCPUID_HOOK_CONF");
	FILE *f = fopen(path && *path ? path : "/etc/vcpuid/libvirt-hook.conf", "r");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " \t");
		if (*p == '#' || !strchr(p, '='))
			continue;
		char *eq = strchr(p, '='), *v = eq + 1;
		char *ke = eq;
		while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		*ke = 0;
		v += strspn(v, " \t");
		v[strcspn(v, "\r\n")] = 0;
		size_t vl = strlen(v);
		while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			v[--vl] = 0;
		if (!strcmp(p, "migrate-from"))
			snprintf(c->migrate_from, sizeof(c->migrate_from), "%s", v);
		else if (!strcmp(p, "migrate-to"))
			snprintf(c->migrate_to, sizeof(c->migrate_to), "%s", v);
		else if (!strcmp(p, "default-machine"))
			snprintf(c->default_machine, sizeof(c->default_machine), "%s", v);
		else if (!strcmp(p, "off"))
			c->off = !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1");
	}
	fclose(f);
}

static char *read_stdin(size_t *len)
{
	size_t cap = 65536, n = 0;
	char *b = malloc(cap);
	while (b) {
		size_t r = fread(b + n, 1, cap - n, stdin);
		n += r;
		if (n < cap) {
			if (r == 0 || feof(stdin) || ferror(stdin))
				break;
			continue;
		}
		if (cap >= ((size_t)64 << 20)) {
			free(b);
			return NULL;
		}
		char *nb = realloc(b, cap * 2);
		if (!nb) {
			free(b);
			return NULL;
		}
		b = nb;
		cap *= 2;
	}
	*len = n;
	return b;
}

static int refuse(const char *name, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "vcpuid: domain '%s': ", name);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return VCPUID_E_NEGATIVE;
}

static const char *pick_machine(const vcpuid_libvirt_domain *d,
				const hook_conf *c)
{
	if (d->machine[0] && vcpuid_machine_find(d->machine))
		return d->machine;
	return c->default_machine[0] ? c->default_machine : NULL;
}

static int prepare(const char *xml, size_t len, const vcpuid_libvirt_domain *d,
		   const hook_conf *c)
{
	vcpuid_error err = { 0 };
	vcpuid_host host;
	vcpuid_host_init(&host);
	const char *machine = pick_machine(d, c);
	char *spec = NULL;
	int rc = vcpuid_host_load_ex("live", VCPUID_PROBE_LAZY | VCPUID_PROBE_CACHE,
				     &host, &err);
	if (!rc)
		rc = vcpuid_libvirt_cpu_spec_mem(xml, len, &host, machine, &spec, &err);
	vcpuid_guest g;
	memset(&g, 0, sizeof(g));
	vcpuid_topology topo = { 1, 1, 1, 1, 1, 1 };
	if (!rc)
		rc = vcpuid_guest_build(&host, spec, machine, &topo, &g, &err);
	if (rc == VCPUID_E_ENFORCE)
		rc = 0;
	vcpuid_host_free(&host);
	if (rc) {
		int r = refuse(d->name, "cannot compute its CPU: %s%s", err.msg, "");
		free(spec);
		return r;
	}
	/* fewer features than asked (libvirt's check='partial'/'full') */
	if (g.cpu.nfiltered && strcmp(d->check, "none")) {
		char miss[1024] = "";
		size_t ml = 0;
		for (size_t i = 0; i < g.cpu.nfiltered && ml + 64 < sizeof(miss); i++) {
			const vcpuid_filtered *fl = &g.cpu.filtered_list[i];
			const vcpuid_libvirt_feature *lf =
				vcpuid_libvirt_feature_at(fl->word, fl->bit);
			ml += (size_t)snprintf(miss + ml, sizeof(miss) - ml, "%s%s",
					       ml ? " " : "",
					       lf ? lf->name : fl->name ? fl->name : "?");
		}
		int r = refuse(d->name, "QEMU would give the guest a different CPU "
			       "than asked (-cpu %s): this host cannot give: %s",
			       spec, miss);
		vcpuid_guest_free(&g);
		free(spec);
		return r;
	}
	vcpuid_verify_opts o = { .run_guest = false };
	vcpuid_verify_result vr;
	rc = vcpuid_verify(g.vcpus, g.nvcpus, &o, &vr, &err);
	vcpuid_guest_free(&g);
	if (rc) {
		/* no KVM to try it on: libvirt will find out itself */
		fprintf(stderr, "vcpuid: domain '%s': not checked: %s\n", d->name,
			err.msg);
		free(spec);
		return 0;
	}
	int r = 0;
	if (vr.launch_failures) {
		const char *p = strstr(vr.text, "REFUSED");
		char why[400];
		snprintf(why, sizeof(why), "%.*s", p ? (int)strcspn(p, "\n") : 0,
			 p ? p : "");
		r = refuse(d->name, "QEMU would abort with -cpu %s: %s", spec,
			   *why ? why : "a launch failure (vcpuid check)");
	}
	vcpuid_verify_result_free(&vr);
	free(spec);
	return r;
}

static int migrate(const char *xml, size_t len, const vcpuid_libvirt_domain *d,
		   const hook_conf *c)
{
	if (!c->migrate_from[0] && !c->migrate_to[0])
		return 0;
	vcpuid_error err = { 0 };
	vcpuid_host from, to;
	vcpuid_host_init(&from);
	vcpuid_host_init(&to);
	const char *machine = pick_machine(d, c);
	int rc = vcpuid_host_load_ex(c->migrate_from[0] ? c->migrate_from : "live",
				     VCPUID_PROBE_LAZY | VCPUID_PROBE_CACHE, &from, &err);
	if (!rc)
		rc = vcpuid_host_load_ex(c->migrate_to[0] ? c->migrate_to : "live",
					 VCPUID_PROBE_LAZY | VCPUID_PROBE_CACHE, &to, &err);
	char *spec = NULL;
	if (!rc)
		rc = vcpuid_libvirt_cpu_spec_mem(xml, len, &from, machine, &spec, &err);
	vcpuid_comparison cmp;
	memset(&cmp, 0, sizeof(cmp));
	if (!rc)
		rc = vcpuid_migrate_check(&from, &to, spec, machine, NULL, &cmp, &err);
	int r = 0;
	if (rc) {
		r = refuse(d->name, "cannot check the migration: %s%s", err.msg, "");
	} else if (cmp.verdict == VCPUID_INCOMPATIBLE) {
		char why[600] = "";
		size_t wl = 0;
		for (size_t i = 0; i < cmp.n && wl + 210 < sizeof(why); i++)
			if (cmp.r[i].fatal)
				wl += (size_t)snprintf(why + wl, sizeof(why) - wl, "%s%s",
						       wl ? "; " : "", cmp.r[i].text);
		r = refuse(d->name, "the guest CPU cannot move (migrate-check "
			   "-cpu %s): %s", spec, why);
	}
	vcpuid_comparison_free(&cmp);
	free(spec);
	vcpuid_host_free(&from);
	vcpuid_host_free(&to);
	return r;
}

int cmd_libvirt_hook(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	if (argc < 4)
		return cli_usage("libvirt-hook", "libvirt passes NAME OPERATION "
				 "SUB-OPERATION EXTRA");
	const char *op = argv[2], *sub = argv[3];
	bool is_prepare = !strcmp(op, "prepare") && !strcmp(sub, "begin");
	bool is_migrate = !strcmp(op, "migrate") && !strcmp(sub, "begin");
	if (!is_prepare && !is_migrate)
		return 0;
	hook_conf c;
	read_conf(&c);
	size_t len = 0;
	char *xml = read_stdin(&len);
	if (!xml)
		return cli_error(VCPUID_E_IO, "libvirt-hook: cannot read the domain XML");
	if (c.off) {
		free(xml);
		return 0;
	}
	vcpuid_libvirt_domain d;
	vcpuid_error err = { 0 };
	int rc = vcpuid_libvirt_domain_info(xml, len, &d, &err);
	if (rc) {
		free(xml);
		return cli_fail(&err);
	}
	if (!d.name[0])
		snprintf(d.name, sizeof(d.name), "%s", argv[1]);
	rc = is_prepare ? prepare(xml, len, &d, &c) : migrate(xml, len, &d, &c);
	free(xml);
	return rc;
}
