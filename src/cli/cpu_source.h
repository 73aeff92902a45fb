/* SPDX-License-Identifier: MIT */
/* Turning --cpu SPEC into vCPU tables for verify and check. */
#ifndef VCPUID_CLI_CPU_SOURCE_H
#define VCPUID_CLI_CPU_SOURCE_H

#include "cli.h"

/* Build n vCPU tables for SPEC ("host" or "max", optionally followed by
 * ",-FEATURE" / ",FEATURE=off" items) from this host's KVM. *vcpus is
 * malloc'd; release with cli_vcpus_free. */
int cli_vcpus_build(const char *spec, const char *smp, vcpuid_vcpu **vcpus,
		    size_t *n, vcpuid_error *err);
void cli_vcpus_free(vcpuid_vcpu *vcpus, size_t n);

#endif
