/* SPDX-License-Identifier: MIT */
/* vcpuid check --cpu SPEC [--smp N] [--json]: predict launch failures. */
#include <stdlib.h>
#include <string.h>
#include "cpu_source.h"
#include "qemu_opt.h"

static const char help[] =
	"usage: vcpuid check --cpu SPEC [--machine M] [--qemu VERSION] [--smp N]\n"
	"                    [--json]\n"
	"Preflight: apply the guest CPU's CPUID table and feature MSRs to a\n"
	"scratch KVM VM exactly in QEMU's order (KVM_SET_CPUID2, KVM_SET_MSRS)\n"
	"and report what would make QEMU abort at start (a table KVM refuses, a\n"
	"feature MSR KVM_SET_MSRS refuses, e.g. MSR 0x10A once the hypervisor\n"
	"drops CPUID.07H.0:EDX[29]) and where the kept table differs from the\n"
	"requested one. No guest code runs.\n"
	"  --cpu SPEC   a -cpu value, built as QEMU VERSION builds it for the\n"
	"               machine type, or kvm-supported[,-FEAT]\n"
	"  --machine M  machine type (default the newest of the release)\n"
	CLI_QEMU_HELP
	"  --smp TOPO   -smp syntax (default 2)\n"
	"  --json       print the JSON document (docs/check.md)\n"
	"Exit: 0 QEMU would start; 1 it would abort; 6 no usable /dev/kvm;\n"
	"7 a KVM ioctl failed. Env VCPUID_KVM_DEVICE overrides /dev/kvm.\n";

int cmd_check(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *cpu = NULL, *smp = NULL, *machine = NULL, *qemu = NULL;
	bool json = false;
	const struct cli_opt opts_v[] = {
		{ "--cpu", &cpu, NULL },
		{ "--smp", &smp, NULL },
		{ "--machine", &machine, NULL },
		{ "--qemu", &qemu, NULL },
		{ NULL, NULL, NULL } };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--json"))
			json = true;
		else if (!cli_value_opt(argc, argv, &i, opts_v))
			return cli_usage("check", "unexpected argument '%s'", a);
	}
	if (!cpu)
		return cli_usage("check", "--cpu SPEC is required");
	char mbuf[96];
	int mrc = cli_machine_arg("check", machine, qemu, mbuf, sizeof(mbuf),
				  &machine);
	if (mrc)
		return mrc;
	vcpuid_verify_opts opts = { .run_guest = false };
	vcpuid_verify_result r;
	int rc = cli_vcpus_verify(cpu, machine, smp, &opts, &r);
	if (rc)
		return rc;
	if (json) {
		rc = cli_output(NULL, r.json);
	} else {
		fputs(r.text, stdout);
		printf("%s\n", r.launch_failures ?
		       "check: QEMU would FAIL to start this CPU on this host" :
		       "check: QEMU would start this CPU on this host");
	}
	if (!rc && r.launch_failures)
		rc = VCPUID_E_NEGATIVE;
	vcpuid_verify_result_free(&r);
	return rc;
}
