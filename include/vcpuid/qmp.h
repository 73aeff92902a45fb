/* SPDX-License-Identifier: MIT */
/* QEMU's QMP answers about CPU models, computed (src/lib/qmp.c): the return
 * values of query-cpu-definitions and query-cpu-model-expansion as x86 QEMU
 * gives them, and of query-cpu-model-comparison and -baseline in the shape
 * QEMU uses on s390x (x86 QEMU has neither). Each is JSON text ending in a
 * newline, malloc'd (release with free()). docs/qmp.md. */
#ifndef VCPUID_QMP_H
#define VCPUID_QMP_H

#include "core.h"
#include "host.h"
#include "fleet.h"

#ifdef __cplusplus
extern "C" {
#endif

/* [CpuDefinitionInfo]: every CPU type of the machine type's QEMU release,
 * in `-cpu help` order. With a host, each carries unavailable-features
 * as QEMU under KVM on that host lists them; without one (no accelerator
 * modelled) the optional member is left out. */
int vcpuid_qmp_cpu_definitions(const vcpuid_host *host, const char *machine,
			       char **json, vcpuid_error *err);

enum vcpuid_qmp_expansion {
	VCPUID_QMP_STATIC,	/* "base" and the static properties */
	VCPUID_QMP_FULL		/* the model's name and every property */
};
/* CpuModelExpansionInfo {"model": {"name", "props"}} of the -cpu spec
 * (a model and its options, as QMP's model name and props) under KVM on
 * host: expanded, not filtered, as QEMU's query-cpu-model-expansion. */
int vcpuid_qmp_cpu_model_expansion(const vcpuid_host *host, const char *spec,
				   const char *machine,
				   enum vcpuid_qmp_expansion type, char **json,
				   vcpuid_error *err);

/* CpuModelCompareInfo {"result", "responsible-properties"} of a compare
 * verdict: identical, superset (the host offers more) or incompatible,
 * with the names of the features and properties that decided it. */
int vcpuid_qmp_cpu_model_comparison(const vcpuid_comparison *c, char **json,
				    vcpuid_error *err);

/* CpuModelBaselineInfo {"model": {"name", "props"}} of a baseline: the
 * versioned model, its +feat as true and -feat as false. */
int vcpuid_qmp_cpu_model_baseline(const vcpuid_baseline *b, char **json,
				  vcpuid_error *err);

#ifdef __cplusplus
}
#endif
#endif
