/* SPDX-License-Identifier: MIT */
/* A fleet's host files read once: in parallel, identical files (by
 * content) folded into one host that says how many files it stands for
 * (hostset.c). The fleet commands (baseline, compare, matrix) compute on
 * the distinct hosts only. */
#ifndef VCPUID_HOSTSET_H
#define VCPUID_HOSTSET_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VCPUID_HOSTSET_SKIPPED ((size_t)-1)

typedef struct vcpuid_hostset {
	size_t nfiles;		/* files given */
	size_t n;		/* distinct hosts, in the order of their first file */
	vcpuid_host *hosts;	/* n hosts, each named by its first file */
	size_t *covers;		/* n: how many files each host stands for */
	size_t *of;		/* nfiles: each file's host, or VCPUID_HOSTSET_SKIPPED */
	size_t nskipped;
} vcpuid_hostset;

typedef struct vcpuid_hostset_opts {
	unsigned jobs;		/* reader threads; 0 = the online CPUs (at most 8) */
	/* [nfiles] or NULL: a file that is in no format vcpuid reads
	 * (VCPUID_E_UNKNOWN, e.g. a README in a directory of profiles) is
	 * skipped instead of failing the whole set */
	const bool *skippable;
	/* called now and then, from any reader thread (calls may overlap),
	 * with the number of files read so far, and once at the end */
	void (*progress)(size_t done, size_t total, void *ctx);
	void *ctx;
} vcpuid_hostset_opts;

/* Read and parse files[0..nfiles): every file is read (and hashed), each
 * distinct content parsed once. The first failing file in list order
 * decides the error. opts may be NULL. On error *out is empty. */
int vcpuid_hostset_load(const char *const *files, size_t nfiles,
			const vcpuid_hostset_opts *opts, vcpuid_hostset *out,
			vcpuid_error *err);
void vcpuid_hostset_free(vcpuid_hostset *s);

#ifdef __cplusplus
}
#endif
#endif
