/* SPDX-License-Identifier: MIT */
/* Loading a host from any input (live, bundled:NAME, a file of any format
 * vcpuid reads). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

const char *vcpuid_profile_dir(void)
{
	const char *env = getenv("VCPUID_PROFILE_DIR");
	if (env && *env)
		return env;
	if (!access(VCPUID_BUILD_PROFILE_DIR, R_OK))
		return VCPUID_BUILD_PROFILE_DIR;
	return VCPUID_INSTALL_PROFILE_DIR;
}

int vcpuid_host_parse(const char *buf, size_t len, const char *name,
		      vcpuid_host *h, vcpuid_error *err)
{
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
			   buf[i] == '\n'))
		i++;
	if (i == len)
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s: empty input", name);
	int rc;
	if (buf[i] == '<') {
		/* libvirt: <cpudata arch='x86'> or virsh domcapabilities */
		snprintf(h->source, sizeof(h->source), "%s", name);
		rc = vcpuid_libvirt_host_load_mem(buf, len, h, NULL, err);
	} else if (buf[i] == '{') {
		/* vcpuid's own plain form without jansson; else the text is
		 * parsed once, for the profile reader then Firecracker's */
		json_t *root = NULL;
		rc = vp_profile_parse_plain(buf, len, name, h, err);
		if (rc < 0 && !(rc = vj_parse(buf, len, name, &root, err)))
			rc = vcpuid_profile_parse_json(root, name, h, err);
		if (rc == VCPUID_E_UNKNOWN)
			rc = vcpuid_import_firecracker_json(root, name, h, err);
		if (rc == VCPUID_E_UNKNOWN) {
			/* a Firecracker template or Cloud Hypervisor profile:
			 * the guest it describes (vmm.c) */
			vcpuid_template t;
			rc = vcpuid_template_parse_json(root, name, &t, err);
			if (!rc) {
				rc = vcpuid_template_to_host(&t, name, h, err);
				vcpuid_template_free(&t);
			}
		}
		json_decref(root);
		if (rc == VCPUID_E_UNKNOWN)
			rc = vcpuid_fail(err, VCPUID_E_UNKNOWN,
					 "%s: JSON, but neither a vcpuid host profile, "
					 "a Firecracker fingerprint or CPU template, nor "
					 "a Cloud Hypervisor CPU profile", name);
	} else {
		rc = vcpuid_import_text(buf, len, name, h, err);
		if (rc == VCPUID_E_UNKNOWN)
			rc = vcpuid_fail(err, VCPUID_E_UNKNOWN,
					 "%s: unknown format (expected a host profile, "
					 "Firecracker fingerprint, cpuid -r, AIDA64 or "
					 "libcpuid dump)", name);
	}
	if (!rc && !h->source[0])
		snprintf(h->source, sizeof(h->source), "%s", name);
	return rc;
}

int vcpuid_host_load(const char *spec, vcpuid_host *h, vcpuid_error *err)
{
	return vcpuid_host_load_ex(spec, 0, h, err);
}

int vcpuid_host_load_ex(const char *spec, unsigned probe_flags,
			vcpuid_host *h, vcpuid_error *err)
{
	vcpuid_host_init(h);
	if (!strcmp(spec, "live"))
		return vcpuid_probe_ex(h, probe_flags, err);
	char path[512];
	const char *file = spec;
	if (!strncmp(spec, "bundled:", 8)) {
		/* a plain name: nothing that leaves the profile directory */
		const char *name = spec + 8;
		if (!*name || *name == '.' || strchr(name, '/') ||
		    strlen(name) > 64)
			return vcpuid_fail(err, VCPUID_E_UNKNOWN,
					   "%s: not a bundled profile name (a plain "
					   "name such as bundled:this-host)", spec);
		snprintf(path, sizeof(path), "%s/%s.json", vcpuid_profile_dir(),
			 name);
		file = path;
		if (access(path, F_OK) && errno == ENOENT)
			return vcpuid_fail(err, VCPUID_E_UNKNOWN,
					   "%s: no such bundled profile (in %s)", spec,
					   vcpuid_profile_dir());
	}
	char *buf;
	size_t len;
	int rc = vcpuid_read_file(file, &buf, &len, err);
	if (rc)
		return rc;
	rc = vcpuid_host_parse(buf, len, file, h, err);
	free(buf);
	if (rc)
		vcpuid_host_free(h);
	return rc;
}
