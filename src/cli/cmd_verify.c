/* SPDX-License-Identifier: MIT */
/* vcpuid verify --cpu SPEC [--host live] [--smp N] [--json] [--strict] */
#include <stdlib.h>
#include <string.h>
#include "cpu_source.h"
#include "qemu_opt.h"

static const char help[] =
	"usage: vcpuid verify --cpu SPEC [--host live] [--machine M] [--qemu VERSION]\n"
	"                     [--smp N] [--json] [--strict] [--timeout MS]\n"
	"Apply the guest CPU's CPUID table and feature MSRs to a scratch KVM VM,\n"
	"run a tiny probe guest on every vCPU, and compare per register what was\n"
	"requested, what KVM kept (KVM_GET_CPUID2) and what the guest observed\n"
	"(CPUID, RDMSR, XGETBV, instruction probes).\n"
	"  --cpu SPEC   a -cpu value, built as QEMU VERSION builds it for the\n"
	"               machine type, or kvm-supported[,-FEAT]\n"
	"  --machine M  machine type (default the newest of the release)\n"
	CLI_QEMU_HELP
	"  --host live  the host to build for (only 'live': this machine's KVM)\n"
	"  --smp TOPO   -smp syntax (default 2)\n"
	"  --json       print the JSON document (docs/verify.md)\n"
	"  --strict     treat overrides (kept != requested) and claimed features\n"
	"               whose instruction faults as errors\n"
	"  --timeout MS per-vCPU time the probe guest gets (default 2000,\n"
	"               1..3600000)\n"
	"Exit: 0 the guest sees what KVM kept; 1 it does not (or --strict and an\n"
	"override); 6 no usable /dev/kvm; 7 a KVM ioctl failed; 8 the guest failed.\n"
	"Env VCPUID_KVM_DEVICE overrides /dev/kvm.\n";

#define MAX_TIMEOUT_MS 3600000u /* an hour */

/* Decimal digits only: no sign, no hex, no wrap-around. */
static int parse_ms(const char *s, unsigned *out)
{
	unsigned long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > MAX_TIMEOUT_MS)
			return -1;
	}
	if (!v)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *cpu = NULL, *host = "live", *smp = NULL, *machine = NULL;
	const char *qemu = NULL;
	bool json = false, strict = false;
	vcpuid_verify_opts opts = { .run_guest = true };
	const struct cli_opt opts_v[] = {
		{ "--cpu", &cpu, NULL },
		{ "--host", &host, NULL },
		{ "--smp", &smp, NULL },
		{ "--machine", &machine, NULL },
		{ "--qemu", &qemu, NULL },
		{ NULL, NULL, NULL } };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--json"))
			json = true;
		else if (!strcmp(a, "--strict"))
			strict = true;
		else if (cli_value_opt(argc, argv, &i, opts_v))
			continue;
		else if (i + 1 < argc && !strcmp(a, "--timeout")) {
			if (parse_ms(argv[++i], &opts.timeout_ms))
				return cli_usage("verify", "--timeout '%s': a number of "
						 "milliseconds, 1..%u", argv[i],
						 MAX_TIMEOUT_MS);
		}
		else if (!strcmp(a, "--x-spin"))	/* test hook: guest never halts */
			opts.probe_flags |= VCPUID_PROBE_SPIN;
		else if (!strcmp(a, "--x-triple-fault")) /* test hook */
			opts.probe_flags |= VCPUID_PROBE_TRIPLE_FAULT;
		else
			return cli_usage("verify", "unexpected argument '%s'", a);
	}
	if (!cpu)
		return cli_usage("verify", "--cpu SPEC is required");
	char mbuf[96];
	int mrc = cli_machine_arg("verify", machine, qemu, mbuf, sizeof(mbuf),
				  &machine);
	if (mrc)
		return mrc;
	if (strcmp(host, "live"))
		return cli_usage("verify", "--host %s: verify runs on this machine's "
				 "KVM, only 'live' is possible", host);
	vcpuid_verify_result r;
	int rc = cli_vcpus_verify(cpu, machine, smp, &opts, &r);
	if (rc)
		return rc;
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
