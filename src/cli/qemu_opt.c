/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>
#include "qemu_opt.h"

int cli_machine_arg(const char *cmd, const char *machine, const char *qemu,
		    char *buf, size_t len, const char **out)
{
	*out = NULL;
	if (!machine && !qemu)
		return 0;
	if (machine && strchr(machine, '@'))
		return cli_usage(cmd, "--machine takes a machine type; give "
				 "the QEMU release with --qemu");
	size_t n;
	const uint16_t *r = vcpuid_qemu_releases(&n);
	uint16_t q = qemu ? vcpuid_qemu_release_parse(qemu) : r[n - 1];
	if (!q)
		return cli_usage(cmd, "--qemu: '%s' is not a QEMU release "
				 "vcpuid knows (7.2, 8.0 .. 11.1)", qemu);
	if (!vcpuid_machine_in(machine, q)) {
		const vcpuid_machine *own = vcpuid_machine_find(machine);
		if (own)
			return cli_error(VCPUID_E_UNKNOWN, "machine type '%s' is "
					 "newer than QEMU %u.%u", machine,
					 q / 100, q % 100);
		return cli_error(VCPUID_E_UNKNOWN, "unknown machine type '%s'",
				 machine);
	}
	snprintf(buf, len, "%s@%u.%u", machine ? machine : "pc", q / 100,
		 q % 100);
	*out = buf;
	return 0;
}
