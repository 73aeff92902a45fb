/* SPDX-License-Identifier: MIT */
/* Turning --cpu SPEC into vCPU tables for verify and check. */
#ifndef VCPUID_CLI_CPU_SOURCE_H
#define VCPUID_CLI_CPU_SOURCE_H

#include "cli.h"

/* Build the vCPU tables for SPEC on the live host: any -cpu value through
 * the guest builder (as QEMU 7.2 computes it), or "kvm-supported" (the raw
 * KVM_GET_SUPPORTED_CPUID table with every feature MSR) optionally followed
 * by ",-FEATURE" / ",FEATURE=off" items. smp uses -smp syntax (NULL = 2).
 * *vcpus is malloc'd; release with cli_vcpus_free. */
int cli_vcpus_build(const char *spec, const char *machine, const char *smp,
		    vcpuid_vcpu **vcpus, size_t *n, vcpuid_error *err);
void cli_vcpus_free(vcpuid_vcpu *vcpus, size_t n);

#endif
