/* SPDX-License-Identifier: MIT */
/* Node labels and scheduler traits (docs/labels.md): what KubeVirt's
 * node-labeller and Nova's libvirt driver would publish for a host,
 * computed from vcpuid's own answers. */
#ifndef VCPUID_LABELS_H
#define VCPUID_LABELS_H

#include <stddef.h>
#include "vcpuid/core.h"

typedef struct vcpuid_label {
	char key[128];		/* "cpu-model.node.kubevirt.io/Skylake-Client" */
	char value[24];		/* "true", or a number */
} vcpuid_label;

typedef struct vcpuid_labels {
	char host_model[64];	/* the named model host-model starts from */
	char vendor[16];	/* "Intel", "AMD", "Hygon", "" */
	char **features;	/* host-model's features, libvirt names, sorted */
	size_t nfeatures;
	char **required;	/* those beyond host_model's own */
	size_t nrequired;
	char **disabled;	/* host_model's own the host lacks */
	size_t ndisabled;
	char **models;		/* usable models, not obsolete (KubeVirt) */
	size_t nmodels;
	vcpuid_label *kubevirt;	/* sorted by key */
	size_t nkubevirt;
	const char **traits;	/* Nova traits, sorted (static strings) */
	size_t ntraits;
	char **problems;	/* what libvirt-based labelling gets wrong here */
	size_t nproblems;
} vcpuid_labels;

/* The labels of host for machine type `machine` (NULL = newest). */
int vcpuid_labels_compute(const vcpuid_host *host, const char *machine,
			  vcpuid_labels *out, vcpuid_error *err);
void vcpuid_labels_free(vcpuid_labels *l);

#endif
