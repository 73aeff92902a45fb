/* SPDX-License-Identifier: MIT */
/* vcpuid summary [--host P|live]: the host profile summary of a machine. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "summary_json.h"

static const char help[] =
	"usage: vcpuid summary [--host SPEC] [--json]\n"
	"Summarise a host: CPU vendor, family/model/stepping and brand, kernel\n"
	"and microcode, KVM flavour and API version, how many CPUID entries KVM\n"
	"supports and emulates, the feature MSRs with their values,\n"
	"KVM_X86_XCOMP_GUEST_SUPP, and where KVM's supported CPUID differs from\n"
	"the raw CPUID instruction (feature words, with the feature names).\n\n"
	"  --host SPEC  live (default: probe this machine), bundled:NAME, or a\n"
	"               file (host profile, Firecracker fingerprint, cpuid -r...)\n"
	"  --json       print JSON (docs/summary.md; errors too, docs/exit-codes.md)\n"
	"When 'live' has no usable /dev/kvm, the summary shows this machine's raw\n"
	"CPUID and kernel facts, marked 'without KVM', and says why on stderr.\n"
	"Exit codes: 0, 2 usage, 3 I/O, 4 parse error, 5 unknown format,\n"
	"7 a KVM ioctl failed.\n";

static void cpu_line(const char *what, const vcpuid_table *t)
{
	char v[13], b[49];
	summary_vendor(t, v);
	summary_brand(t, b);
	uint32_t fam, mod, step;
	vcpuid_signature(vcpuid_table_reg(t, 1, 0, VCPUID_EAX), v, &fam, &mod, &step);
	printf("CPU (%s): %s family 0x%" PRIx32 " model 0x%" PRIx32
	       " stepping 0x%" PRIx32 "%s%s%s\n",
	       what, v[0] ? v : "?", fam, mod, step, b[0] ? " \"" : "", b,
	       b[0] ? "\"" : "");
}

/* Names of the bits in mask (word w), at most max, then "+N more". */
static void bit_names(enum vcpuid_word w, uint64_t mask, unsigned max)
{
	unsigned shown = 0, more = 0;
	for (unsigned b = 0; b < 64; b++) {
		if (!(mask & (1ull << b)))
			continue;
		if (shown >= max) {
			more++;
			continue;
		}
		const vcpuid_feature *f = vcpuid_feature_at(w, b);
		if (f)
			printf(" %s", f->name);
		else
			printf(" bit%u", b);
		shown++;
	}
	if (more)
		printf(" +%u more", more);
}

/* KVM supported vs raw, one line per differing CPUID feature word. */
static void diff_words(const vcpuid_host *h)
{
	vcpuid_words raw, sup;
	vcpuid_words_from_table(&h->raw, NULL, raw);
	vcpuid_words_from_table(&h->supported, NULL, sup);
	unsigned lines = 0;
	printf("KVM supported vs raw CPUID (feature words that differ):\n");
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		const vcpuid_word_info *wi = vcpuid_word(w);
		if (wi->kind != VCPUID_WORD_CPUID || raw[w] == sup[w])
			continue;
		if (wi->leaf >= 0x40000000 && wi->leaf < 0x50000000)
			continue; /* the outer hypervisor's leaves, not the CPU */
		char loc[40];
		vcpuid_word_location(w, loc, sizeof(loc));
		printf("  %-18s raw 0x%08" PRIx64 " supported 0x%08" PRIx64 "\n",
		       loc, raw[w], sup[w]);
		if (raw[w] & ~sup[w]) {
			printf("    %-8s", "not KVM:");
			bit_names(w, raw[w] & ~sup[w], 10);
			printf("\n");
		}
		if (sup[w] & ~raw[w]) {
			printf("    %-8s", "KVM only:");
			bit_names(w, sup[w] & ~raw[w], 10);
			printf("\n");
		}
		lines++;
	}
	if (!lines)
		printf("  (none)\n");
}

static void summarise(const char *spec, const vcpuid_host *h)
{
	printf("host: %s", spec);
	if (strcmp(spec, h->source))
		printf(" (captured from %s", h->source[0] ? h->source : "?");
	else
		printf(" (");
	printf("%sorigin %s%s)\n", strcmp(spec, h->source) ? ", " : "",
	       h->origin[0] ? h->origin : "?",
	       !strcmp(h->origin, "probe") && !h->has_kvm ? ", without KVM" : "");
	if (h->has_raw)
		cpu_line("raw", &h->raw);
	if (h->has_kvm)
		cpu_line("KVM", &h->supported);
	printf("kernel: %s", h->kernel[0] ? h->kernel : "?");
	if (h->has_microcode)
		printf(", microcode 0x%" PRIx64, h->microcode);
	printf("\n");
	if (!cli_print_kvm(h))
		return;
	printf("  supported CPUID entries: %zu, emulated: %zu\n", h->supported.n,
	       h->emulated.n);
	printf("  feature MSRs: %zu\n", h->feature_msrs.n);
	for (size_t i = 0; i < h->feature_msrs.n; i++)
		printf("    0x%08" PRIx32 " = 0x%016" PRIx64 "\n",
		       h->feature_msrs.m[i].index, h->feature_msrs.m[i].value);
	if (h->has_xcomp_guest_supp)
		printf("  xcomp_guest_supp: 0x%" PRIx64 "\n", h->xcomp_guest_supp);
	else
		printf("  xcomp_guest_supp: unknown\n");
	if (h->has_raw)
		diff_words(h);
	else
		printf("KVM supported vs raw CPUID: no raw CPUID in this profile\n");
}

int cmd_summary(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *spec = "live";
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--host")) {
			if (++i >= argc)
				return cli_usage("summary", "--host needs a SPEC");
			spec = argv[i];
		} else if (!strncmp(argv[i], "--host=", 7)) {
			spec = argv[i] + 7;
		} else {
			return cli_usage("summary", "unknown argument '%s'", argv[i]);
		}
	}
	vcpuid_host h;
	vcpuid_error err = { 0 };
	/* The one case where a live host without KVM is an answer: this
	 * machine as it is, marked so. */
	int rc = vcpuid_host_load_ex(spec, VCPUID_PROBE_KVM_OPTIONAL, &h, &err);
	if (rc)
		return cli_fail(&err);
	if (!strcmp(spec, "live") && !h.has_kvm)
		fprintf(stderr, "vcpuid summary: live KVM unavailable (%s); showing "
			"this machine's raw CPUID and kernel facts, without KVM\n",
			h.kvm_absent);
	if (json) {
		char *s = summary_json(spec, &h);
		rc = s ? cli_output(NULL, s) : VCPUID_E_NOMEM;
		free(s);
	} else {
		summarise(spec, &h);
	}
	vcpuid_host_free(&h);
	return rc;
}
