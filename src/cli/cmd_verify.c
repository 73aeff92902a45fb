/* SPDX-License-Identifier: MIT */
/* vcpuid verify --cpu SPEC [--host live] [--smp N] [--json] [--strict] */
#include <stdlib.h>
#include <string.h>
#include "cpu_source.h"

static const char help[] =
	"usage: vcpuid verify --cpu SPEC [--host live] [--machine M] [--smp N] [--json]\n"
	"                     [--strict] [--timeout MS]\n"
	"Apply the guest CPU's CPUID table and feature MSRs to a scratch KVM VM,\n"
	"run a tiny probe guest on every vCPU, and compare per register what was\n"
	"requested, what KVM kept (KVM_GET_CPUID2) and what the guest observed\n"
	"(CPUID, RDMSR, XGETBV, instruction probes).\n"
	"  --cpu SPEC   a -cpu value, built as the machine type's QEMU release\n"
	"               builds it, or kvm-supported[,-FEAT]\n"
	"  --machine M  machine type, and with it the QEMU release (default the\n"
	"               newest: pc-i440fx-11.1, QEMU 11.1)\n"
	"  --host live  the host to build for (only 'live': this machine's KVM)\n"
	"  --smp TOPO   -smp syntax (default 2)\n"
	"  --json       print the JSON document (docs/verify.md)\n"
	"  --strict     treat overrides (kept != requested) and claimed features\n"
	"               whose instruction faults as errors\n"
	"Exit: 0 the guest sees what KVM kept; 1 it does not (or --strict and an\n"
	"override); 6 no usable /dev/kvm; 7 a KVM ioctl failed; 8 the guest failed.\n"
	"Env VCPUID_KVM_DEVICE overrides /dev/kvm.\n";

int cmd_verify(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *cpu = NULL, *host = "live", *smp = NULL, *machine = NULL;
	bool json = false, strict = false;
	vcpuid_verify_opts opts = { .run_guest = true };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--json"))
			json = true;
		else if (!strcmp(a, "--strict"))
			strict = true;
		else if (i + 1 < argc && !strcmp(a, "--cpu"))
			cpu = argv[++i];
		else if (i + 1 < argc && !strcmp(a, "--host"))
			host = argv[++i];
		else if (i + 1 < argc && !strcmp(a, "--smp"))
			smp = argv[++i];
		else if (i + 1 < argc && !strcmp(a, "--machine"))
			machine = argv[++i];
		else if (i + 1 < argc && !strcmp(a, "--timeout"))
			opts.timeout_ms = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(a, "--x-spin"))	/* test hook: guest never halts */
			opts.probe_flags |= VCPUID_PROBE_SPIN;
		else if (!strcmp(a, "--x-triple-fault")) /* test hook */
			opts.probe_flags |= VCPUID_PROBE_TRIPLE_FAULT;
		else
			return cli_usage("verify", "unexpected argument '%s'", a);
	}
	if (!cpu)
		return cli_usage("verify", "--cpu SPEC is required");
	if (strcmp(host, "live"))
		return cli_usage("verify", "--host %s: verify runs on this machine's "
				 "KVM, only 'live' is possible", host);
	vcpuid_error err = { 0 };
	vcpuid_vcpu *v = NULL;
	size_t n = 0;
	int rc = cli_vcpus_build(cpu, machine, smp, &v, &n, &err);
	if (rc)
		return cli_fail(&err);
	vcpuid_verify_result r;
	rc = vcpuid_verify(v, n, &opts, &r, &err);
	cli_vcpus_free(v, n);
	if (rc)
		return cli_fail(&err);
	if (json)
		rc = cli_output(NULL, r.json);
	else
		fputs(r.text, stdout);
	if (!rc) {
		if (r.guest_error)
			rc = r.guest_error;
		else if (r.mismatches || r.msr_mismatches)
			rc = VCPUID_E_NEGATIVE;
		else if (strict && (r.overrides || r.msr_refused || r.insn_faults))
			rc = VCPUID_E_NEGATIVE;
	}
	if (r.guest_error && !json)
		fprintf(stderr, "vcpuid: verify: the probe guest failed (see above)\n");
	vcpuid_verify_result_free(&r);
	return rc;
}
