/* SPDX-License-Identifier: MIT */
/* Knowing the host: probing this machine, host profiles (JSON), and
 * importing other tools' dumps. */
#ifndef VCPUID_HOST_H
#define VCPUID_HOST_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Probe this machine (probe.c). Without usable /dev/kvm the raw part is
 * still filled and h->kvm_absent says why; that is not an error. */
int vcpuid_probe(vcpuid_host *h, vcpuid_error *err);
/* Only the raw CPUID instruction, with full subleaf enumeration. */
int vcpuid_probe_raw(vcpuid_table *t, vcpuid_error *err);

/* Host profile JSON (profile.c). Returns a malloc'd string. */
char *vcpuid_profile_to_json(const vcpuid_host *h);
int vcpuid_profile_parse(const char *buf, size_t len, const char *name,
			 vcpuid_host *h, vcpuid_error *err);

/* Other tools' formats (import_*.c). Each returns VCPUID_E_UNKNOWN when the
 * buffer is not in its format at all (so the next importer may try), and
 * VCPUID_E_PARSE for a broken file of its format. */
int vcpuid_import_firecracker(const char *buf, size_t len, const char *name,
			      vcpuid_host *h, vcpuid_error *err);
int vcpuid_import_text(const char *buf, size_t len, const char *name,
		       vcpuid_host *h, vcpuid_error *err);

/* Write a file atomically: a temporary beside it, then rename.
 * path "-" writes standard output. */
int vcpuid_write_file(const char *path, const char *data, size_t len,
		      vcpuid_error *err);
/* Read a whole file ("-" = stdin); *buf is malloc'd and NUL terminated. */
int vcpuid_read_file(const char *path, char **buf, size_t *len,
		     vcpuid_error *err);

#ifdef __cplusplus
}
#endif
#endif
