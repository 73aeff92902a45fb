/* SPDX-License-Identifier: MIT */
/* Node labels and scheduler traits (docs/labels.md): what KubeVirt's
 * node-labeller and Nova's libvirt driver would publish for a host,
 * computed from vcpuid's own domain capabilities (vcpuid_libvirt_domcaps)
 * by KubeVirt's rules. */
#ifndef VCPUID_LABELS_H
#define VCPUID_LABELS_H

#include <stddef.h>
#include "vcpuid/core.h"

typedef struct vcpuid_label {
	char key[128];		/* "cpu-model.node.kubevirt.io/Skylake-Client" */
	char value[24];		/* "true", or a number */
} vcpuid_label;

typedef struct vcpuid_labels {
	char host_model[64];	/* the host-model's libvirt model */
	char vendor[16];	/* its vendor: "Intel", "AMD", "Hygon", "" */
	char **features;	/* host-model's features (cpu-feature labels:
				 * the model's + required - disabled), libvirt
				 * names, sorted */
	size_t nfeatures;
	char **required;	/* host-model's require features */
	size_t nrequired;
	char **disabled;	/* host-model's disable features */
	size_t ndisabled;
	/* When libvirt's host-model cannot start (live host, or a profile
	 * with kvm.refused_msrs), host_model..disabled are the host-model
	 * that starts and problems say so. */
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
