/* SPDX-License-Identifier: MIT */
/* front: the public entry points that take a CPU as a user gives it.
 * vcpuid_cpu_expand and vcpuid_guest_build accept a QEMU -cpu string or a
 * libvirt <domain>/<cpu> element (inline or as a file); XML is first turned
 * into the -cpu string libvirt 9.0 would build (libvirt_xml_in.c), then the
 * pipeline runs on that string. The stages below the libvirt readers call
 * ve_expand / vs_guest_build, which know only -cpu strings, so no stage
 * depends on the XML reader that depends on them. */
#include <stdlib.h>
#include <string.h>
#include "stages.h"
#include "synth/synth.h"

/* The -cpu string for spec: a copy of the XML's translation in *owned, or
 * spec itself. */
static int to_cpu_string(const vcpuid_host *host, const char *spec,
			 const char *machine, char **owned, const char **out,
			 vcpuid_error *err)
{
	*owned = NULL;
	*out = spec;
	if (!vcpuid_libvirt_is_xml(spec))
		return 0;
	int rc = vcpuid_libvirt_cpu_spec(spec, host, machine, owned, err);
	if (!rc)
		*out = *owned;
	return rc;
}

int vcpuid_cpu_expand(const vcpuid_host *host, const char *spec,
		      const char *machine, const vcpuid_topology *topo,
		      vcpuid_cpu *cpu, vcpuid_error *err)
{
	memset(cpu, 0, sizeof(*cpu));
	char *owned;
	const char *s;
	int rc = to_cpu_string(host, spec, machine, &owned, &s, err);
	if (!rc)
		rc = ve_expand(host, s, machine, topo, cpu, err);
	free(owned);
	return rc;
}

int vcpuid_guest_build(const vcpuid_host *host, const char *spec,
		       const char *machine, const vcpuid_topology *topo,
		       vcpuid_guest *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	char *owned;
	const char *s;
	int rc = to_cpu_string(host, spec, machine, &owned, &s, err);
	if (!rc)
		rc = vs_guest_build(host, s, machine, topo, out, err);
	free(owned);
	return rc;
}
