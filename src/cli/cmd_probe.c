/* SPDX-License-Identifier: MIT */
/* vcpuid probe [-o FILE] [--json]: capture this machine as a host profile. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char help[] =
	"usage: vcpuid probe [-o FILE] [--json] [--from SPEC]\n"
	"Capture this machine: the raw CPUID instruction (every leaf and\n"
	"subleaf), and from /dev/kvm the supported and emulated CPUID, feature\n"
	"MSRs and their values, the MSR index list, capabilities and\n"
	"KVM_X86_XCOMP_GUEST_SUPP; plus kernel release, microcode and\n"
	"/proc/cpuinfo flags. Without a usable /dev/kvm the profile says why\n"
	"(that is not an error).\n\n"
	"  (default)  print a short summary of what was captured\n"
	"  --json     print the host profile JSON (docs/host-profile.md)\n"
	"  -o, --output FILE  write the host profile JSON to FILE (atomically)\n"
	"  --from SPEC  do not probe: load SPEC (bundled:NAME, a host profile,\n"
	"             Firecracker fingerprint, cpuid -r dump...) and show or\n"
	"             write it as a host profile (a converter)\n"
	"Environment: VCPUID_KVM_DEVICE overrides the device path (/dev/kvm).\n"
	"Exit codes: 0, 2 usage, 3 I/O, 7 a KVM ioctl failed, 11 no memory.\n";

static void range(const vcpuid_table *t, uint32_t base, const char *name)
{
	uint32_t lo = 0, hi = 0;
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++) {
		uint32_t f = t->e[i].function;
		if ((f & 0xffff0000u) != base)
			continue;
		if (!n++ || f < lo)
			lo = f;
		if (f > hi)
			hi = f;
	}
	if (n)
		printf("  %-11s 0x%08" PRIx32 "..0x%08" PRIx32 " (%zu entries)\n",
		       name, lo, hi, n);
}

static void summary(const vcpuid_host *h)
{
	printf("source: %s (%s)\n", h->source, h->origin);
	printf("kernel: %s", h->kernel[0] ? h->kernel : "?");
	if (h->has_microcode)
		printf(", microcode 0x%" PRIx64, h->microcode);
	printf("\n");
	if (h->has_raw) {
		printf("raw CPUID: %zu entries\n", h->raw.n);
		range(&h->raw, 0x00000000, "basic");
		range(&h->raw, 0x40000000, "hypervisor");
		range(&h->raw, 0x80000000, "extended");
		range(&h->raw, 0xc0000000, "centaur");
	} else {
		printf("raw CPUID: none\n");
	}
	if (!cli_print_kvm(h))
		return;
	printf("  supported CPUID: %zu entries, emulated CPUID: %zu entries\n",
	       h->supported.n, h->emulated.n);
	printf("  feature MSRs: %zu", h->feature_msrs.n);
	for (size_t i = 0; i < h->feature_msrs.n; i++)
		printf("%s0x%" PRIx32, i ? " " : " (", h->feature_msrs.m[i].index);
	printf("%s\n", h->feature_msrs.n ? ")" : "");
	printf("  MSR index list: %zu MSRs, capabilities: %zu recorded\n",
	       h->n_msr_index_list, h->n_caps);
	if (h->has_xcomp_guest_supp)
		printf("  xcomp_guest_supp: 0x%" PRIx64 "\n", h->xcomp_guest_supp);
	else
		printf("  xcomp_guest_supp: not available\n");
}

int cmd_probe(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *out = NULL;
	const char *from = NULL;
	bool json = false;
	int orc;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if ((orc = cli_output_opt("probe", argc, argv, &i, &out)) >= 0) {
			if (orc)
				return orc;
		} else if (!strcmp(argv[i], "--from")) {
			if (++i >= argc)
				return cli_usage("probe", "--from needs a SPEC");
			from = argv[i];
		} else {
			return cli_usage("probe", "unknown argument '%s'", argv[i]);
		}
	}
	vcpuid_host h;
	vcpuid_error err = { 0 };
	int rc = vcpuid_host_load_ex(from ? from : "live",
				     VCPUID_PROBE_KVM_OPTIONAL, &h, &err);
	if (rc)
		return cli_fail(&err);
	if (out || json) {
		char *s = vcpuid_profile_to_json(&h);
		if (!s) {
			vcpuid_host_free(&h);
			err.code = VCPUID_E_NOMEM;
			snprintf(err.msg, sizeof(err.msg), "out of memory");
			return cli_fail(&err);
		}
		if (out)
			rc = cli_output(out, s);
		if (!rc && json)
			rc = cli_output(NULL, s);
		free(s);
	} else {
		summary(&h);
	}
	vcpuid_host_free(&h);
	return rc;
}
