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
/* check's and verify's run: the vCPUs for SPEC (cli_vcpus_build) applied
 * to a scratch VM with opts (vcpuid_verify) into *r. Prints the error;
 * returns the exit code (0: *r is set, release with
 * vcpuid_verify_result_free). */
int cli_vcpus_verify(const char *spec, const char *machine, const char *smp,
		     const vcpuid_verify_opts *opts, vcpuid_verify_result *r);

#endif
