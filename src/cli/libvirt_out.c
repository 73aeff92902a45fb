/* SPDX-License-Identifier: MIT */
/* --format libvirt for expand, baseline and explain: the domain <cpu>
 * element of an expanded CPU (vcpuid_libvirt_cpu_xml). */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int cli_libvirt_out(const vcpuid_host *host, const vcpuid_cpu *cpu,
		    const char *comment, const char *out)
{
	vcpuid_error err = { 0 };
	char *xml = NULL, *unnamed = NULL;
	int rc = vcpuid_libvirt_cpu_xml(host, cpu, &xml, &unnamed, &err);
	if (rc)
		return cli_fail(&err);
	if (unnamed)
		fprintf(stderr, "vcpuid: libvirt 9.0 has no name for: %s (left "
			"out of the <cpu> element)\n", unnamed);
	cli_buf b = { 0 };
	if (comment) {
		/* "--" may not appear inside an XML comment */
		cli_bprintf(&b, "<!-- ");
		for (const char *p = comment; *p; p++)
			cli_bprintf(&b, "%c", p[0] == '-' && p[1] == '-' ? '=' : *p);
		cli_bprintf(&b, " -->\n");
	}
	cli_bprintf(&b, "%s", xml);
	rc = b.oom ? VCPUID_E_NOMEM : cli_output(out, b.s);
	free(b.s);
	free(xml);
	free(unnamed);
	return rc;
}
