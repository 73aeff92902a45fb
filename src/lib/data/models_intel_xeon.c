/* SPDX-License-Identifier: MIT */
/* The Intel Xeon (Skylake-Server and later) models: version-1 feature names exactly as QEMU's
 * definition sets them (word by word, in the order of QEMU's source), and
 * the versions: property lists applied in order on top of the base
 * definition (src/lib/data/models.c). */
#include "models.h"

const char vdata_features_skylake_server[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx pdpe1gb rdtscp lm lahf-lm abm 3dnowprefetch "
	"fsgsbase bmi1 hle avx2 smep bmi2 erms invpcid rtm avx512f avx512dq "
	"rdseed adx smap clflushopt clwb avx512cd avx512bw avx512vl pku "
	"xsaveopt xsavec xgetbv1 arat vmx-ins-outs vmx-true-ctls "
	"vmx-entry-noload-debugctl vmx-entry-ia32e-mode "
	"vmx-entry-load-perf-global-ctrl vmx-entry-load-pat "
	"vmx-entry-load-efer vmx-ept-execonly vmx-page-walk-4 vmx-ept-2mb "
	"vmx-ept-1gb vmx-invept vmx-eptad vmx-invept-single-context "
	"vmx-invept-all-context vmx-invvpid vmx-invvpid-single-addr "
	"vmx-invept-single-context vmx-invvpid-all-context "
	"vmx-invept-single-context-noglobals vmx-exit-nosave-debugctl "
	"vmx-exit-load-perf-global-ctrl vmx-exit-ack-intr vmx-exit-save-pat "
	"vmx-exit-load-pat vmx-exit-save-efer vmx-exit-load-efer "
	"vmx-exit-save-preemption-timer vmx-store-lma vmx-activity-hlt "
	"vmx-vmwrite-vmexit-fields vmx-intr-exit vmx-nmi-exit vmx-vnmi "
	"vmx-preemption-timer vmx-posted-intr vmx-vintr-pending "
	"vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit vmx-mwait-exit "
	"vmx-rdpmc-exit vmx-rdtsc-exit vmx-cr3-load-noexit "
	"vmx-cr3-store-noexit vmx-cr8-load-exit vmx-cr8-store-exit "
	"vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit vmx-io-exit "
	"vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit "
	"vmx-secondary-ctls vmx-apicv-xapic vmx-ept vmx-desc-exit "
	"vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid vmx-wbinvd-exit "
	"vmx-unrestricted-guest vmx-apicv-register vmx-apicv-vid "
	"vmx-rdrand-exit vmx-invpcid-exit vmx-vmfunc vmx-shadow-vmcs "
	"vmx-rdseed-exit vmx-pml VMX_EPT_VPID[14]";

static const vcpuid_prop skylake_server_v2[] = {
	{ "clflushopt", "off" },
	{ "spec-ctrl", "on" },
	{ "model-id", "Intel Xeon Processor (Skylake, IBRS)" },
	{ NULL, NULL }
};
static const vcpuid_prop skylake_server_v3[] = {
	{ "hle", "off" },
	{ "rtm", "off" },
	{ "model-id", "Intel Xeon Processor (Skylake, IBRS, no TSX)" },
	{ NULL, NULL }
};
static const vcpuid_prop skylake_server_v4[] = {
	{ "vmx-eptp-switching", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop skylake_server_v5[] = {
	{ "xsaves", "on" },
	{ "vmx-xsaves", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop mbec_on[] = {
	{ "vmx-mbec", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_skylake_server[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .alias = "Skylake-Server-IBRS", .props = skylake_server_v2,
	  .qemu_since = 702 },
	{ .version = 3, .alias = "Skylake-Server-noTSX-IBRS",
	  .props = skylake_server_v3, .qemu_since = 702 },
	{ .version = 4, .note = "IBRS, EPT switching, no TSX",
	  .props = skylake_server_v4, .qemu_since = 702 },
	{ .version = 5, .note = "IBRS, XSAVES, EPT switching, no TSX",
	  .props = skylake_server_v5, .qemu_since = 702 },
	{ .version = 6, .note = "with MBEC enabled",
	  .props = mbec_on, .qemu_since = 1101 },
	{ .version = 0 }
};

const char vdata_features_cascadelake_server[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx pdpe1gb rdtscp lm lahf-lm abm 3dnowprefetch "
	"fsgsbase bmi1 hle avx2 smep bmi2 erms invpcid rtm avx512f avx512dq "
	"rdseed adx smap clflushopt clwb avx512cd avx512bw avx512vl pku "
	"avx512vnni spec-ctrl ssbd xsaveopt xsavec xgetbv1 arat vmx-ins-outs "
	"vmx-true-ctls vmx-entry-noload-debugctl vmx-entry-ia32e-mode "
	"vmx-entry-load-perf-global-ctrl vmx-entry-load-pat "
	"vmx-entry-load-efer vmx-ept-execonly vmx-page-walk-4 vmx-ept-2mb "
	"vmx-ept-1gb vmx-invept vmx-eptad vmx-invept-single-context "
	"vmx-invept-all-context vmx-invvpid vmx-invvpid-single-addr "
	"vmx-invept-single-context vmx-invvpid-all-context "
	"vmx-invept-single-context-noglobals vmx-exit-nosave-debugctl "
	"vmx-exit-load-perf-global-ctrl vmx-exit-ack-intr vmx-exit-save-pat "
	"vmx-exit-load-pat vmx-exit-save-efer vmx-exit-load-efer "
	"vmx-exit-save-preemption-timer vmx-store-lma vmx-activity-hlt "
	"vmx-vmwrite-vmexit-fields vmx-intr-exit vmx-nmi-exit vmx-vnmi "
	"vmx-preemption-timer vmx-posted-intr vmx-vintr-pending "
	"vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit vmx-mwait-exit "
	"vmx-rdpmc-exit vmx-rdtsc-exit vmx-cr3-load-noexit "
	"vmx-cr3-store-noexit vmx-cr8-load-exit vmx-cr8-store-exit "
	"vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit vmx-io-exit "
	"vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit "
	"vmx-secondary-ctls vmx-apicv-xapic vmx-ept vmx-desc-exit "
	"vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid vmx-wbinvd-exit "
	"vmx-unrestricted-guest vmx-apicv-register vmx-apicv-vid "
	"vmx-rdrand-exit vmx-invpcid-exit vmx-vmfunc vmx-shadow-vmcs "
	"vmx-rdseed-exit vmx-pml VMX_EPT_VPID[14]";

static const vcpuid_prop cascadelake_server_v2[] = {
	{ "arch-capabilities", "on" },
	{ "rdctl-no", "on" },
	{ "ibrs-all", "on" },
	{ "skip-l1dfl-vmentry", "on" },
	{ "mds-no", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop cascadelake_server_v3[] = {
	{ "hle", "off" },
	{ "rtm", "off" },
	{ NULL, NULL }
};
static const vcpuid_prop cascadelake_server_v4[] = {
	{ "vmx-eptp-switching", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop cascadelake_server_v5[] = {
	{ "xsaves", "on" },
	{ "vmx-xsaves", "on" },
	{ NULL, NULL }
};
/* QEMU 11.1: the mitigation-status bits these parts report */
static const vcpuid_prop mmio_gds_rfds[] = {
	{ "sbdr-ssdp-no", "on" },
	{ "psdp-no", "on" },
	{ "fb-clear", "on" },
	{ "gds-no", "on" },
	{ "rfds-no", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_cascadelake_server[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .note = "ARCH_CAPABILITIES",
	  .props = cascadelake_server_v2, .qemu_since = 702 },
	{ .version = 3, .alias = "Cascadelake-Server-noTSX",
	  .note = "ARCH_CAPABILITIES, no TSX", .props = cascadelake_server_v3,
	  .qemu_since = 702 },
	{ .version = 4, .note = "ARCH_CAPABILITIES, EPT switching, no TSX",
	  .props = cascadelake_server_v4, .qemu_since = 702 },
	{ .version = 5, .note = "ARCH_CAPABILITIES, EPT switching, XSAVES, no TSX",
	  .props = cascadelake_server_v5, .qemu_since = 702 },
	{ .version = 6, .note = "with MMIO/GDS/RFDS mitigation status",
	  .props = mmio_gds_rfds, .qemu_since = 1101 },
	{ .version = 7, .note = "with MBEC enabled", .props = mbec_on,
	  .qemu_since = 1101 },
	{ .version = 0 }
};

const char vdata_features_cooperlake[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx pdpe1gb rdtscp lm lahf-lm abm 3dnowprefetch "
	"fsgsbase bmi1 hle avx2 smep bmi2 erms invpcid rtm avx512f avx512dq "
	"rdseed adx smap clflushopt clwb avx512cd avx512bw avx512vl pku "
	"avx512vnni spec-ctrl stibp arch-capabilities ssbd rdctl-no ibrs-all "
	"skip-l1dfl-vmentry mds-no pschange-mc-no taa-no avx512-bf16 xsaveopt "
	"xsavec xgetbv1 arat vmx-ins-outs vmx-true-ctls "
	"vmx-entry-noload-debugctl vmx-entry-ia32e-mode "
	"vmx-entry-load-perf-global-ctrl vmx-entry-load-pat "
	"vmx-entry-load-efer vmx-ept-execonly vmx-page-walk-4 vmx-ept-2mb "
	"vmx-ept-1gb vmx-invept vmx-eptad vmx-invept-single-context "
	"vmx-invept-all-context vmx-invvpid vmx-invvpid-single-addr "
	"vmx-invept-single-context vmx-invvpid-all-context "
	"vmx-invept-single-context-noglobals vmx-exit-nosave-debugctl "
	"vmx-exit-load-perf-global-ctrl vmx-exit-ack-intr vmx-exit-save-pat "
	"vmx-exit-load-pat vmx-exit-save-efer vmx-exit-load-efer "
	"vmx-exit-save-preemption-timer vmx-store-lma vmx-activity-hlt "
	"vmx-vmwrite-vmexit-fields vmx-intr-exit vmx-nmi-exit vmx-vnmi "
	"vmx-preemption-timer vmx-posted-intr vmx-vintr-pending "
	"vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit vmx-mwait-exit "
	"vmx-rdpmc-exit vmx-rdtsc-exit vmx-cr3-load-noexit "
	"vmx-cr3-store-noexit vmx-cr8-load-exit vmx-cr8-store-exit "
	"vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit vmx-io-exit "
	"vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit "
	"vmx-secondary-ctls vmx-apicv-xapic vmx-ept vmx-desc-exit "
	"vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid vmx-wbinvd-exit "
	"vmx-unrestricted-guest vmx-apicv-register vmx-apicv-vid "
	"vmx-rdrand-exit vmx-invpcid-exit vmx-vmfunc vmx-shadow-vmcs "
	"vmx-rdseed-exit vmx-pml vmx-eptp-switching VMX_EPT_VPID[14]";

static const vcpuid_prop cooperlake_v2[] = {
	{ "xsaves", "on" },
	{ "vmx-xsaves", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_cooperlake[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .note = "XSAVES", .props = cooperlake_v2,
	  .qemu_since = 702 },
	{ .version = 0 }
};

const char vdata_features_icelake_server[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx pdpe1gb rdtscp lm lahf-lm abm 3dnowprefetch "
	"wbnoinvd fsgsbase bmi1 hle avx2 smep bmi2 erms invpcid rtm avx512f "
	"avx512dq rdseed adx smap clflushopt clwb avx512cd avx512bw avx512vl "
	"avx512vbmi umip pku avx512vbmi2 gfni vaes vpclmulqdq avx512vnni "
	"avx512bitalg avx512-vpopcntdq la57 spec-ctrl ssbd xsaveopt xsavec "
	"xgetbv1 arat vmx-ins-outs vmx-true-ctls vmx-entry-noload-debugctl "
	"vmx-entry-ia32e-mode vmx-entry-load-perf-global-ctrl "
	"vmx-entry-load-pat vmx-entry-load-efer vmx-ept-execonly "
	"vmx-page-walk-4 vmx-ept-2mb vmx-ept-1gb vmx-invept vmx-eptad "
	"vmx-invept-single-context vmx-invept-all-context vmx-invvpid "
	"vmx-invvpid-single-addr vmx-invept-single-context "
	"vmx-invvpid-all-context vmx-invept-single-context-noglobals "
	"vmx-exit-nosave-debugctl vmx-exit-load-perf-global-ctrl "
	"vmx-exit-ack-intr vmx-exit-save-pat vmx-exit-load-pat "
	"vmx-exit-save-efer vmx-exit-load-efer vmx-exit-save-preemption-timer "
	"vmx-store-lma vmx-activity-hlt vmx-vmwrite-vmexit-fields "
	"vmx-intr-exit vmx-nmi-exit vmx-vnmi vmx-preemption-timer "
	"vmx-posted-intr vmx-vintr-pending vmx-tsc-offset vmx-hlt-exit "
	"vmx-invlpg-exit vmx-mwait-exit vmx-rdpmc-exit vmx-rdtsc-exit "
	"vmx-cr3-load-noexit vmx-cr3-store-noexit vmx-cr8-load-exit "
	"vmx-cr8-store-exit vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit "
	"vmx-io-exit vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit "
	"vmx-pause-exit vmx-secondary-ctls vmx-apicv-xapic vmx-ept "
	"vmx-desc-exit vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid "
	"vmx-wbinvd-exit vmx-unrestricted-guest vmx-apicv-register "
	"vmx-apicv-vid vmx-rdrand-exit vmx-invpcid-exit vmx-vmfunc "
	"vmx-shadow-vmcs VMX_EPT_VPID[14]";

static const vcpuid_prop icelake_server_v2[] = {
	{ "hle", "off" },
	{ "rtm", "off" },
	{ NULL, NULL }
};
static const vcpuid_prop icelake_server_v3[] = {
	{ "arch-capabilities", "on" },
	{ "rdctl-no", "on" },
	{ "ibrs-all", "on" },
	{ "skip-l1dfl-vmentry", "on" },
	{ "mds-no", "on" },
	{ "pschange-mc-no", "on" },
	{ "taa-no", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop icelake_server_v4[] = {
	{ "sha-ni", "on" },
	{ "avx512ifma", "on" },
	{ "rdpid", "on" },
	{ "fsrm", "on" },
	{ "vmx-rdseed-exit", "on" },
	{ "vmx-pml", "on" },
	{ "vmx-eptp-switching", "on" },
	{ "model", "106" },
	{ NULL, NULL }
};
static const vcpuid_prop icelake_server_v5[] = {
	{ "xsaves", "on" },
	{ "vmx-xsaves", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop icelake_server_v6[] = {
	{ "vmx-page-walk-5", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop icelake_server_v7[] = {
	{ "hle", "on" },
	{ "rtm", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_icelake_server[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .alias = "Icelake-Server-noTSX", .note = "no TSX",
	  .props = icelake_server_v2, .qemu_since = 702 },
	{ .version = 3, .props = icelake_server_v3, .qemu_since = 702 },
	{ .version = 4, .props = icelake_server_v4, .qemu_since = 702 },
	{ .version = 5, .note = "XSAVES", .props = icelake_server_v5,
	  .qemu_since = 702 },
	{ .version = 6, .note = "5-level EPT", .props = icelake_server_v6,
	  .qemu_since = 702 },
	{ .version = 7, .note = "TSX, taa-no", .props = icelake_server_v7,
	  .qemu_since = 900 },
	{ .version = 8, .note = "with MMIO/GDS/RFDS mitigation status",
	  .props = mmio_gds_rfds, .qemu_since = 1101 },
	{ .version = 9, .note = "with MBEC enabled", .props = mbec_on,
	  .qemu_since = 1101 },
	{ .version = 0 }
};

const char vdata_features_sapphirerapids[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx pdpe1gb rdtscp lm lahf-lm abm 3dnowprefetch "
	"wbnoinvd fsgsbase bmi1 hle avx2 smep bmi2 erms invpcid rtm avx512f "
	"avx512dq rdseed adx smap avx512ifma clflushopt clwb avx512cd sha-ni "
	"avx512bw avx512vl avx512vbmi umip pku avx512vbmi2 gfni vaes "
	"vpclmulqdq avx512vnni avx512bitalg avx512-vpopcntdq la57 rdpid "
	"bus-lock-detect fsrm serialize tsx-ldtrk amx-bf16 avx512-fp16 "
	"amx-tile amx-int8 spec-ctrl arch-capabilities ssbd rdctl-no ibrs-all "
	"skip-l1dfl-vmentry mds-no pschange-mc-no taa-no xsaveopt xsavec "
	"xgetbv1 xsaves xfd arat avx-vnni avx512-bf16 fzrm fsrs fsrc "
	"vmx-ins-outs vmx-true-ctls vmx-entry-noload-debugctl "
	"vmx-entry-ia32e-mode vmx-entry-load-perf-global-ctrl "
	"vmx-entry-load-pat vmx-entry-load-efer vmx-ept-execonly "
	"vmx-page-walk-4 vmx-page-walk-5 vmx-ept-2mb vmx-ept-1gb vmx-invept "
	"vmx-eptad vmx-invept-single-context vmx-invept-all-context "
	"vmx-invvpid vmx-invvpid-single-addr vmx-invept-single-context "
	"vmx-invvpid-all-context vmx-invept-single-context-noglobals "
	"vmx-exit-nosave-debugctl vmx-exit-load-perf-global-ctrl "
	"vmx-exit-ack-intr vmx-exit-save-pat vmx-exit-load-pat "
	"vmx-exit-save-efer vmx-exit-load-efer vmx-exit-save-preemption-timer "
	"vmx-store-lma vmx-activity-hlt vmx-vmwrite-vmexit-fields "
	"vmx-intr-exit vmx-nmi-exit vmx-vnmi vmx-preemption-timer "
	"vmx-posted-intr vmx-vintr-pending vmx-tsc-offset vmx-hlt-exit "
	"vmx-invlpg-exit vmx-mwait-exit vmx-rdpmc-exit vmx-rdtsc-exit "
	"vmx-cr3-load-noexit vmx-cr3-store-noexit vmx-cr8-load-exit "
	"vmx-cr8-store-exit vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit "
	"vmx-io-exit vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit "
	"vmx-pause-exit vmx-secondary-ctls vmx-apicv-xapic vmx-ept "
	"vmx-desc-exit vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid "
	"vmx-wbinvd-exit vmx-unrestricted-guest vmx-apicv-register "
	"vmx-apicv-vid vmx-rdrand-exit vmx-invpcid-exit vmx-vmfunc "
	"vmx-shadow-vmcs vmx-rdseed-exit vmx-pml vmx-xsaves "
	"vmx-eptp-switching VMX_EPT_VPID[14]";

static const vcpuid_prop sapphirerapids_v2[] = {
	{ "sbdr-ssdp-no", "on" },
	{ "fbsdp-no", "on" },
	{ "psdp-no", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop sapphirerapids_v3[] = {
	{ "ss", "on" },
	{ "tsc-adjust", "on" },
	{ "cldemote", "on" },
	{ "movdiri", "on" },
	{ "movdir64b", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop sapphirerapids_v4[] = {
	{ "x-force-cpuid-0x1f", "on" },
	{ NULL, NULL }
};
/* QEMU 11.0: shadow stack and IBT (and their VMX controls) */
static const vcpuid_prop cet_on[] = {
	{ "cet-ss", "on" },
	{ "cet-ibt", "on" },
	{ "vmx-exit-save-cet", "on" },
	{ "vmx-entry-load-cet", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop its_no_on[] = {
	{ "its-no", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop gds_rfds_on[] = {
	{ "gds-no", "on" },
	{ "rfds-no", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_sapphirerapids[] = {
	{ .version = 1, .qemu_since = 800 },
	{ .version = 2, .props = sapphirerapids_v2, .qemu_since = 801 },
	{ .version = 3, .props = sapphirerapids_v3, .qemu_since = 901 },
	{ .version = 4, .note = "with spr-sp cache model and 0x1f leaf",
	  .props = sapphirerapids_v4, .cache = &vdata_cache_xeon_spr, .qemu_since = 1002 },
	{ .version = 5, .note = "with cet-ss and cet-ibt", .props = cet_on,
	  .qemu_since = 1100 },
	{ .version = 6, .note = "with its-no", .props = its_no_on,
	  .qemu_since = 1100 },
	{ .version = 7, .note = "with GDS and RFDS mitigation status",
	  .props = gds_rfds_on, .qemu_since = 1101 },
	{ .version = 8, .note = "with MBEC enabled", .props = mbec_on,
	  .qemu_since = 1101 },
	{ .version = 0 }
};

const char vdata_features_graniterapids[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx pdpe1gb rdtscp lm lahf-lm abm 3dnowprefetch "
	"wbnoinvd fsgsbase bmi1 hle avx2 smep bmi2 erms invpcid rtm avx512f "
	"avx512dq rdseed adx smap avx512ifma clflushopt clwb avx512cd sha-ni "
	"avx512bw avx512vl avx512vbmi umip pku avx512vbmi2 gfni vaes "
	"vpclmulqdq avx512vnni avx512bitalg avx512-vpopcntdq la57 rdpid "
	"bus-lock-detect fsrm serialize tsx-ldtrk amx-bf16 avx512-fp16 "
	"amx-tile amx-int8 spec-ctrl arch-capabilities ssbd rdctl-no ibrs-all "
	"skip-l1dfl-vmentry mds-no pschange-mc-no taa-no sbdr-ssdp-no "
	"fbsdp-no psdp-no pbrsb-no xsaveopt xsavec xgetbv1 xsaves xfd arat "
	"avx-vnni avx512-bf16 fzrm fsrs fsrc amx-fp16 prefetchiti mcdt-no "
	"vmx-ins-outs vmx-true-ctls vmx-entry-noload-debugctl "
	"vmx-entry-ia32e-mode vmx-entry-load-perf-global-ctrl "
	"vmx-entry-load-pat vmx-entry-load-efer vmx-ept-execonly "
	"vmx-page-walk-4 vmx-page-walk-5 vmx-ept-2mb vmx-ept-1gb vmx-invept "
	"vmx-eptad vmx-invept-single-context vmx-invept-all-context "
	"vmx-invvpid vmx-invvpid-single-addr vmx-invept-single-context "
	"vmx-invvpid-all-context vmx-invept-single-context-noglobals "
	"vmx-exit-nosave-debugctl vmx-exit-load-perf-global-ctrl "
	"vmx-exit-ack-intr vmx-exit-save-pat vmx-exit-load-pat "
	"vmx-exit-save-efer vmx-exit-load-efer vmx-exit-save-preemption-timer "
	"vmx-store-lma vmx-activity-hlt vmx-vmwrite-vmexit-fields "
	"vmx-intr-exit vmx-nmi-exit vmx-vnmi vmx-preemption-timer "
	"vmx-posted-intr vmx-vintr-pending vmx-tsc-offset vmx-hlt-exit "
	"vmx-invlpg-exit vmx-mwait-exit vmx-rdpmc-exit vmx-rdtsc-exit "
	"vmx-cr3-load-noexit vmx-cr3-store-noexit vmx-cr8-load-exit "
	"vmx-cr8-store-exit vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit "
	"vmx-io-exit vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit "
	"vmx-pause-exit vmx-secondary-ctls vmx-apicv-xapic vmx-ept "
	"vmx-desc-exit vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid "
	"vmx-wbinvd-exit vmx-unrestricted-guest vmx-apicv-register "
	"vmx-apicv-vid vmx-rdrand-exit vmx-invpcid-exit vmx-vmfunc "
	"vmx-shadow-vmcs vmx-rdseed-exit vmx-pml vmx-xsaves "
	"vmx-eptp-switching VMX_EPT_VPID[14]";

static const vcpuid_prop graniterapids_v2[] = {
	{ "ss", "on" },
	{ "tsc-adjust", "on" },
	{ "cldemote", "on" },
	{ "movdiri", "on" },
	{ "movdir64b", "on" },
	{ "avx10", "on" },
	{ "avx10-128", "on" },
	{ "avx10-256", "on" },
	{ "avx10-512", "on" },
	{ "avx10-version", "1" },
	{ "stepping", "1" },
	{ NULL, NULL }
};
static const vcpuid_prop graniterapids_v3[] = {
	{ "x-force-cpuid-0x1f", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_graniterapids[] = {
	{ .version = 1, .qemu_since = 801 },
	{ .version = 2, .props = graniterapids_v2, .qemu_since = 902 },
	{ .version = 3, .note = "with gnr-sp cache model and 0x1f leaf",
	  .props = graniterapids_v3, .cache = &vdata_cache_xeon_gnr, .qemu_since = 1002 },
	{ .version = 4, .note = "with cet-ss and cet-ibt", .props = cet_on,
	  .qemu_since = 1100 },
	{ .version = 5, .note = "with its-no", .props = its_no_on,
	  .qemu_since = 1100 },
	{ .version = 6, .note = "with GDS and RFDS mitigation status",
	  .props = gds_rfds_on, .qemu_since = 1101 },
	{ .version = 7, .note = "with MBEC enabled", .props = mbec_on,
	  .qemu_since = 1101 },
	{ .version = 0 }
};

const char vdata_features_sierraforest[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx pdpe1gb rdtscp lm lahf-lm abm 3dnowprefetch "
	"wbnoinvd fsgsbase bmi1 avx2 smep bmi2 erms invpcid rdseed adx smap "
	"clflushopt clwb sha-ni umip pku gfni vaes vpclmulqdq rdpid "
	"bus-lock-detect fsrm serialize spec-ctrl arch-capabilities ssbd "
	"rdctl-no ibrs-all skip-l1dfl-vmentry mds-no pschange-mc-no "
	"sbdr-ssdp-no fbsdp-no psdp-no pbrsb-no xsaveopt xsavec xgetbv1 "
	"xsaves arat avx-vnni cmpccxadd fsrs avx-ifma avx-vnni-int8 "
	"avx-ne-convert mcdt-no vmx-ins-outs vmx-true-ctls "
	"vmx-entry-noload-debugctl vmx-entry-ia32e-mode "
	"vmx-entry-load-perf-global-ctrl vmx-entry-load-pat "
	"vmx-entry-load-efer vmx-ept-execonly vmx-page-walk-4 vmx-ept-2mb "
	"vmx-ept-1gb vmx-invept vmx-eptad vmx-invept-single-context "
	"vmx-invept-all-context vmx-invvpid vmx-invvpid-single-addr "
	"vmx-invept-single-context vmx-invvpid-all-context "
	"vmx-invept-single-context-noglobals vmx-exit-nosave-debugctl "
	"vmx-exit-load-perf-global-ctrl vmx-exit-ack-intr vmx-exit-save-pat "
	"vmx-exit-load-pat vmx-exit-save-efer vmx-exit-load-efer "
	"vmx-exit-save-preemption-timer vmx-store-lma vmx-activity-hlt "
	"vmx-vmwrite-vmexit-fields vmx-intr-exit vmx-nmi-exit vmx-vnmi "
	"vmx-preemption-timer vmx-posted-intr vmx-vintr-pending "
	"vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit vmx-mwait-exit "
	"vmx-rdpmc-exit vmx-rdtsc-exit vmx-cr3-load-noexit "
	"vmx-cr3-store-noexit vmx-cr8-load-exit vmx-cr8-store-exit "
	"vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit vmx-io-exit "
	"vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit "
	"vmx-secondary-ctls vmx-apicv-xapic vmx-ept vmx-desc-exit "
	"vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid vmx-wbinvd-exit "
	"vmx-unrestricted-guest vmx-apicv-register vmx-apicv-vid "
	"vmx-rdrand-exit vmx-invpcid-exit vmx-vmfunc vmx-shadow-vmcs "
	"vmx-rdseed-exit vmx-pml vmx-xsaves vmx-eptp-switching VMX_EPT_VPID[14]";

static const vcpuid_prop sierraforest_v2[] = {
	{ "ss", "on" },
	{ "tsc-adjust", "on" },
	{ "cldemote", "on" },
	{ "movdiri", "on" },
	{ "movdir64b", "on" },
	{ "gds-no", "on" },
	{ "rfds-no", "on" },
	{ "lam", "on" },
	{ "intel-psfd", "on" },
	{ "ipred-ctrl", "on" },
	{ "rrsba-ctrl", "on" },
	{ "bhi-ctrl", "on" },
	{ "stepping", "3" },
	{ NULL, NULL }
};
static const vcpuid_prop sierraforest_v3[] = {
	{ "x-force-cpuid-0x1f", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_sierraforest[] = {
	{ .version = 1, .qemu_since = 900 },
	{ .version = 2, .props = sierraforest_v2, .qemu_since = 1000 },
	{ .version = 3, .note = "with srf-sp cache model and 0x1f leaf",
	  .props = sierraforest_v3, .cache = &vdata_cache_xeon_srf, .qemu_since = 1002 },
	{ .version = 4, .note = "with cet-ss and cet-ibt", .props = cet_on,
	  .qemu_since = 1100 },
	{ .version = 5, .note = "with its-no", .props = its_no_on,
	  .qemu_since = 1100 },
	{ .version = 6, .note = "with MBEC enabled", .props = mbec_on,
	  .qemu_since = 1101 },
	{ .version = 0 }
};

const char vdata_features_clearwaterforest[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 ss pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx pdpe1gb rdtscp lm lahf-lm abm 3dnowprefetch "
	"wbnoinvd fsgsbase tsc-adjust bmi1 avx2 smep bmi2 erms invpcid rdseed "
	"adx smap clflushopt clwb sha-ni umip pku gfni vaes vpclmulqdq rdpid "
	"bus-lock-detect cldemote movdiri movdir64b fsrm serialize spec-ctrl "
	"arch-capabilities ssbd rdctl-no ibrs-all skip-l1dfl-vmentry mds-no "
	"pschange-mc-no sbdr-ssdp-no fbsdp-no psdp-no bhi-no pbrsb-no gds-no "
	"rfds-no xsaveopt xsavec xgetbv1 xsaves arat sha512 sm3 sm4 avx-vnni "
	"cmpccxadd fsrs avx-ifma lam avx-vnni-int8 avx-ne-convert "
	"avx-vnni-int16 prefetchiti intel-psfd ipred-ctrl rrsba-ctrl ddpd-u "
	"bhi-ctrl mcdt-no vmx-ins-outs vmx-true-ctls "
	"vmx-entry-noload-debugctl vmx-entry-ia32e-mode "
	"vmx-entry-load-perf-global-ctrl vmx-entry-load-pat "
	"vmx-entry-load-efer vmx-ept-execonly vmx-page-walk-4 vmx-ept-2mb "
	"vmx-ept-1gb vmx-invept vmx-eptad vmx-invept-single-context "
	"vmx-invept-all-context vmx-invvpid vmx-invvpid-single-addr "
	"vmx-invept-single-context vmx-invvpid-all-context "
	"vmx-invept-single-context-noglobals vmx-exit-nosave-debugctl "
	"vmx-exit-load-perf-global-ctrl vmx-exit-ack-intr vmx-exit-save-pat "
	"vmx-exit-load-pat vmx-exit-save-efer vmx-exit-load-efer "
	"vmx-exit-save-preemption-timer vmx-store-lma vmx-activity-hlt "
	"vmx-vmwrite-vmexit-fields vmx-intr-exit vmx-nmi-exit vmx-vnmi "
	"vmx-preemption-timer vmx-posted-intr vmx-vintr-pending "
	"vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit vmx-mwait-exit "
	"vmx-rdpmc-exit vmx-rdtsc-exit vmx-cr3-load-noexit "
	"vmx-cr3-store-noexit vmx-cr8-load-exit vmx-cr8-store-exit "
	"vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit vmx-io-exit "
	"vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit "
	"vmx-secondary-ctls vmx-apicv-xapic vmx-ept vmx-desc-exit "
	"vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid vmx-wbinvd-exit "
	"vmx-unrestricted-guest vmx-apicv-register vmx-apicv-vid "
	"vmx-rdrand-exit vmx-invpcid-exit vmx-vmfunc vmx-shadow-vmcs "
	"vmx-rdseed-exit vmx-pml vmx-xsaves vmx-eptp-switching VMX_EPT_VPID[14]";

static const vcpuid_prop clearwaterforest_v3[] = {
	{ "its-no", "on" },
	{ "x-force-cpuid-0x1f", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_clearwaterforest[] = {
	{ .version = 1, .qemu_since = 1000 },
	{ .version = 2, .note = "with cet-ss and cet-ibt", .props = cet_on,
	  .qemu_since = 1100 },
	{ .version = 3, .note = "with its-no, cwf-ap cache model and 0x1f leaf",
	  .props = clearwaterforest_v3, .cache = &vdata_cache_xeon_cwf,
	  .qemu_since = 1100 },
	{ .version = 4, .note = "with MBEC enabled", .props = mbec_on,
	  .qemu_since = 1101 },
	{ .version = 0 }
};
/* DiamondRapids (QEMU 11.0). The base features as QEMU 11.1 expands the
 * model (tests/conformance/golden/qemu-11.1), in catalog order; vme is
 * part of the model (TCG clears it in that expansion), and QEMU sets the
 * unnamed EPT write-back bit VMX_EPT_VPID_CAPS[14]. avx10-128/256/512 are
 * listed as QEMU 11.1 shows them for this avx10-version=2 model. */
const char vdata_features_diamondrapids[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 ss pni pclmulqdq ssse3 fma cx16 "
	"pcid sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx "
	"f16c rdrand fsgsbase tsc-adjust bmi1 hle avx2 fdp-excptn-only smep "
	"bmi2 erms invpcid rtm zero-fcs-fds avx512f avx512dq rdseed adx "
	"smap avx512ifma clflushopt clwb avx512cd sha-ni avx512bw avx512vl "
	"avx512vbmi umip pku avx512vbmi2 cet-ss gfni vaes vpclmulqdq "
	"avx512vnni avx512bitalg avx512-vpopcntdq la57 rdpid "
	"bus-lock-detect cldemote movdiri movdir64b fsrm md-clear serialize "
	"tsx-ldtrk cet-ibt amx-bf16 avx512-fp16 amx-tile amx-int8 spec-ctrl "
	"stibp flush-l1d arch-capabilities ssbd avx-vnni avx512-bf16 "
	"cmpccxadd fzrm fsrs fsrc fred lkgs wrmsrns amx-fp16 avx-ifma lam "
	"movrs syscall nx pdpe1gb rdtscp lm lahf-lm abm 3dnowprefetch "
	"wbnoinvd xsaveopt xsavec xgetbv1 xsaves xfd arat rdctl-no ibrs-all "
	"skip-l1dfl-vmentry mds-no pschange-mc-no taa-no sbdr-ssdp-no "
	"fbsdp-no psdp-no bhi-no pbrsb-no gds-no rfds-no vmx-vintr-pending "
	"vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit vmx-mwait-exit "
	"vmx-rdpmc-exit vmx-rdtsc-exit vmx-cr3-load-noexit "
	"vmx-cr3-store-noexit vmx-cr8-load-exit vmx-cr8-store-exit "
	"vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit vmx-io-exit "
	"vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit "
	"vmx-pause-exit vmx-secondary-ctls vmx-apicv-xapic vmx-ept "
	"vmx-desc-exit vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid "
	"vmx-wbinvd-exit vmx-unrestricted-guest vmx-apicv-register "
	"vmx-apicv-vid vmx-rdrand-exit vmx-invpcid-exit vmx-vmfunc "
	"vmx-shadow-vmcs vmx-rdseed-exit vmx-pml vmx-xsaves vmx-tsc-scaling "
	"vmx-enable-user-wait-pause vmx-intr-exit vmx-nmi-exit vmx-vnmi "
	"vmx-preemption-timer vmx-posted-intr vmx-exit-nosave-debugctl "
	"vmx-exit-load-perf-global-ctrl vmx-exit-ack-intr vmx-exit-save-pat "
	"vmx-exit-load-pat vmx-exit-save-efer vmx-exit-load-efer "
	"vmx-exit-save-preemption-timer vmx-exit-save-cet "
	"vmx-exit-secondary-ctls vmx-entry-noload-debugctl "
	"vmx-entry-ia32e-mode vmx-entry-load-perf-global-ctrl "
	"vmx-entry-load-pat vmx-entry-load-efer vmx-entry-load-cet "
	"vmx-entry-load-fred vmx-store-lma vmx-activity-hlt "
	"vmx-activity-shutdown vmx-activity-wait-sipi "
	"vmx-vmwrite-vmexit-fields vmx-ept-execonly vmx-page-walk-4 "
	"vmx-page-walk-5 vmx-ept-2mb vmx-ept-1gb vmx-invept vmx-eptad "
	"vmx-invept-single-context vmx-invept-all-context vmx-invvpid "
	"vmx-invvpid-single-addr vmx-invept-single-context "
	"vmx-invvpid-all-context vmx-invept-single-context-noglobals "
	"vmx-ins-outs vmx-true-ctls vmx-nested-exception vmx-eptp-switching "
	"avx-vnni-int8 avx-ne-convert amx-complex prefetchiti avx10 apxf "
	"intel-psfd ipred-ctrl rrsba-ctrl ddpd-u bhi-ctrl mcdt-no avx10-128 "
	"avx10-256 avx10-512 apx-nci-ndd-nf amx-int8-alias amx-bf16-alias "
	"amx-complex-alias amx-fp16-alias amx-fp8 amx-tf32 amx-avx512 "
	"amx-movrs avx10-vnni-int VMX_EPT_VPID[14]";

/* The model itself sets the AVX10 version and forces leaf 0x1f. */
static const vcpuid_prop diamondrapids_v1[] = {
	{ "avx10-version", "2" },
	{ "x-force-cpuid-0x1f", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_diamondrapids[] = {
	{ .version = 1, .props = diamondrapids_v1, .qemu_since = 1100 },
	{ .version = 2, .note = "with MBEC enabled", .props = mbec_on,
	  .qemu_since = 1101 },
	{ .version = 0 }
};
