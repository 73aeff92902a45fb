/* SPDX-License-Identifier: MIT */
/* vcpuid template: a Firecracker custom CPU template or Cloud Hypervisor
 * CPU profile giving that VMM's guest what QEMU's model gives on the host
 * (docs/template.md). */
#include <stdlib.h>
#include <string.h>
#include "qemu_opt.h"

static const char help[] =
	"usage: vcpuid template --cpu SPEC [--host PROFILE|live] [--machine M]\n"
	"                       [--qemu VERSION] --format firecracker|cloud-hypervisor\n"
	"                       [--json] [-o FILE]\n"
	"Write a Firecracker custom CPU template or a Cloud Hypervisor CPU profile\n"
	"under which that VMM's guest on the host sees the CPUID values and\n"
	"feature MSRs QEMU gives '-cpu SPEC' there, except the bits the VMM sets\n"
	"itself (APIC ids, topology, caches, brand: docs/template.md).\n"
	"  --cpu SPEC      a -cpu value: model[,+feat][,-feat][,prop=value]...\n"
	"  --host P        host profile file, bundled:NAME, or live (default)\n"
	"  --machine M     machine type (default: the newest of the release)\n"
	CLI_QEMU_HELP
	"  --format F      firecracker or cloud-hypervisor (required)\n"
	"  --json          errors as JSON objects too (the output is JSON)\n"
	"  -o, --output FILE  write to FILE atomically instead of stdout\n";

int cmd_template(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *spec = NULL, *hostspec = "live", *machine = NULL;
	const char *qemu = NULL, *format = NULL, *out = NULL;
	const struct cli_opt opts[] = {
		{ "--json", NULL, "json" }, /* the output is JSON; errors too then */
		{ "--cpu", &spec, NULL },
		{ "--host", &hostspec, NULL },
		{ "--machine", &machine, NULL },
		{ "--qemu", &qemu, NULL },
		{ "--format", &format, NULL },
		{ NULL, NULL, NULL } };
	int rc = cli_parse_opts("template", argc, argv, opts, &out);
	if (rc)
		return rc;
	if (!spec)
		return cli_usage("template", "--cpu is required");
	if (!format)
		return cli_usage("template", "--format is required (firecracker, "
			"cloud-hypervisor)");
	vcpuid_vmm vmm;
	if (!strcmp(format, "firecracker"))
		vmm = VCPUID_VMM_FIRECRACKER;
	else if (!strcmp(format, "cloud-hypervisor"))
		vmm = VCPUID_VMM_CLOUD_HYPERVISOR;
	else
		return cli_usage("template", "unknown format '%s' (firecracker, "
				 "cloud-hypervisor)", format);
	char mbuf[96];
	rc = cli_machine_arg("template", machine, qemu, mbuf, sizeof(mbuf),
				 &machine);
	if (rc)
		return rc;
	vcpuid_error err = { 0 };
	vcpuid_host host;
	rc = cli_load_host_ex(hostspec, VCPUID_PROBE_LAZY | VCPUID_PROBE_CACHE,
			      &host);
	if (rc)
		return rc;
	vcpuid_guest g;
	rc = vcpuid_guest_build(&host, spec, machine, NULL, &g, &err);
	if (rc) {
		vcpuid_host_free(&host);
		return cli_fail(&err);
	}
	vcpuid_template t;
	rc = vcpuid_template_build(vmm, &g, &host, &t, &err);
	vcpuid_host_free(&host);
	if (rc) {
		vcpuid_guest_free(&g);
		return cli_fail(&err);
	}
	for (size_t i = 0; i < g.cpu.nwarnings; i++)
		fprintf(stderr, "%s\n", g.cpu.warnings[i]);
	if (t.nskipped)
		fprintf(stderr, "vcpuid: template: %zu CPUID entries of the guest are "
			"not in the host's KVM table; %s cannot set them\n",
			t.nskipped, vmm == VCPUID_VMM_FIRECRACKER ? "Firecracker"
			: "Cloud Hypervisor");
	vcpuid_guest_free(&g);
	char *text = vcpuid_template_to_json(&t);
	vcpuid_template_free(&t);
	return cli_output_text("template", out, text);
}
