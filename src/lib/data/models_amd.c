/* SPDX-License-Identifier: MIT */
/* The AMD, Hygon and Zhaoxin models: version-1 feature names exactly as QEMU's
 * definition sets them (word by word, in the order of QEMU's source), and
 * the versions: property lists applied in order on top of the base
 * definition (src/lib/data/models.c). */
#include "models.h"

const char vdata_features_opteron_g1[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni syscall nx lm";

const char vdata_features_opteron_g2[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni cx16 syscall nx lm lahf-lm svm";

const char vdata_features_opteron_g3[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni monitor cx16 popcnt syscall nx "
	"rdtscp lm lahf-lm svm abm sse4a misalignsse";

const char vdata_features_opteron_g4[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 cx16 sse4.1 "
	"sse4.2 popcnt aes xsave avx syscall nx pdpe1gb rdtscp lm lahf-lm svm "
	"abm sse4a misalignsse 3dnowprefetch xop fma4 npt nrip-save";

const char vdata_features_opteron_g5[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 sse4.1 "
	"sse4.2 popcnt aes xsave avx f16c syscall nx pdpe1gb rdtscp lm "
	"lahf-lm svm abm sse4a misalignsse 3dnowprefetch xop fma4 tbm npt "
	"nrip-save";

const char vdata_features_epyc[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq monitor ssse3 fma cx16 "
	"sse4.1 sse4.2 movbe popcnt aes xsave avx f16c rdrand syscall nx "
	"mmxext fxsr-opt pdpe1gb rdtscp lm lahf-lm svm cr8legacy abm sse4a "
	"misalignsse 3dnowprefetch osvw topoext fsgsbase bmi1 avx2 smep bmi2 "
	"rdseed adx smap clflushopt sha-ni xsaveopt xsavec xgetbv1 arat npt "
	"nrip-save";

static const vcpuid_prop epyc_v2[] = {
	{ "ibpb", "on" },
	{ "model-id", "AMD EPYC Processor (with IBPB)" },
	{ NULL, NULL }
};
static const vcpuid_prop epyc_v3[] = {
	{ "ibpb", "on" },
	{ "perfctr-core", "on" },
	{ "clzero", "on" },
	{ "xsaveerptr", "on" },
	{ "xsaves", "on" },
	{ "model-id", "AMD EPYC Processor" },
	{ NULL, NULL }
};
static const vcpuid_prop epyc_v4[] = {
	{ "model-id", "AMD EPYC-v4 Processor" },
	{ NULL, NULL }
};
static const vcpuid_prop epyc_v5[] = {
	{ "overflow-recov", "on" },
	{ "succor", "on" },
	{ "lbrv", "on" },
	{ "tsc-scale", "on" },
	{ "vmcb-clean", "on" },
	{ "flushbyasid", "on" },
	{ "pause-filter", "on" },
	{ "pfthreshold", "on" },
	{ "v-vmsave-vmload", "on" },
	{ "vgif", "on" },
	{ "model-id", "AMD EPYC-v5 Processor" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_epyc[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .alias = "EPYC-IBPB", .props = epyc_v2, .qemu_since = 702 },
	{ .version = 3, .props = epyc_v3, .qemu_since = 702 },
	{ .version = 4, .props = epyc_v4, .cache = &vdata_cache_epyc_v4,
	  .qemu_since = 801 },
	{ .version = 5, .props = epyc_v5, .cache = &vdata_cache_epyc_v5,
	  .qemu_since = 1000 },
	{ .version = 0 }
};

const char vdata_features_dhyana[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni monitor ssse3 fma cx16 sse4.1 "
	"sse4.2 movbe popcnt xsave avx f16c rdrand syscall nx mmxext fxsr-opt "
	"pdpe1gb rdtscp lm lahf-lm svm cr8legacy abm sse4a misalignsse "
	"3dnowprefetch osvw topoext ibpb fsgsbase bmi1 avx2 smep bmi2 rdseed "
	"adx smap clflushopt xsaveopt xsavec xgetbv1 arat npt nrip-save";

static const vcpuid_prop dhyana_v2[] = {
	{ "xsaves", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_dhyana[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .note = "XSAVES", .props = dhyana_v2, .qemu_since = 702 },
	{ .version = 0 }
};

const char vdata_features_epyc_rome[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq monitor ssse3 fma cx16 "
	"sse4.1 sse4.2 movbe popcnt aes xsave avx f16c rdrand syscall nx "
	"mmxext fxsr-opt pdpe1gb rdtscp lm lahf-lm svm cr8legacy abm sse4a "
	"misalignsse 3dnowprefetch osvw topoext perfctr-core clzero "
	"xsaveerptr wbnoinvd ibpb amd-stibp fsgsbase bmi1 avx2 smep bmi2 "
	"rdseed adx smap clflushopt clwb sha-ni umip rdpid xsaveopt xsavec "
	"xgetbv1 xsaves arat npt nrip-save";

static const vcpuid_prop epyc_rome_v2[] = {
	{ "ibrs", "on" },
	{ "amd-ssbd", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop epyc_rome_v3[] = {
	{ "model-id", "AMD EPYC-Rome-v3 Processor" },
	{ NULL, NULL }
};
static const vcpuid_prop epyc_rome_v4[] = {
	{ "model-id", "AMD EPYC-Rome-v4 Processor (no XSAVES)" },
	{ "xsaves", "off" },
	{ NULL, NULL }
};
static const vcpuid_prop epyc_rome_v5[] = {
	{ "overflow-recov", "on" },
	{ "succor", "on" },
	{ "lbrv", "on" },
	{ "tsc-scale", "on" },
	{ "vmcb-clean", "on" },
	{ "flushbyasid", "on" },
	{ "pause-filter", "on" },
	{ "pfthreshold", "on" },
	{ "v-vmsave-vmload", "on" },
	{ "vgif", "on" },
	{ "model-id", "AMD EPYC-Rome-v5 Processor" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_epyc_rome[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .props = epyc_rome_v2, .qemu_since = 702 },
	{ .version = 3, .props = epyc_rome_v3, .cache = &vdata_cache_epyc_rome_v3,
	  .qemu_since = 801 },
	{ .version = 4, .props = epyc_rome_v4, .qemu_since = 801 },
	{ .version = 5, .props = epyc_rome_v5, .cache = &vdata_cache_epyc_rome_v5,
	  .qemu_since = 1000 },
	{ .version = 0 }
};

const char vdata_features_epyc_milan[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq monitor ssse3 fma cx16 "
	"pcid sse4.1 sse4.2 movbe popcnt aes xsave avx f16c rdrand syscall nx "
	"mmxext fxsr-opt pdpe1gb rdtscp lm lahf-lm svm cr8legacy abm sse4a "
	"misalignsse 3dnowprefetch osvw topoext perfctr-core clzero "
	"xsaveerptr wbnoinvd ibpb ibrs amd-stibp amd-ssbd fsgsbase bmi1 avx2 "
	"smep bmi2 erms invpcid rdseed adx smap clflushopt clwb sha-ni umip "
	"pku rdpid fsrm xsaveopt xsavec xgetbv1 xsaves arat npt nrip-save "
	"svme-addr-chk";

static const vcpuid_prop epyc_milan_v2[] = {
	{ "model-id", "AMD EPYC-Milan-v2 Processor" },
	{ "vaes", "on" },
	{ "vpclmulqdq", "on" },
	{ "stibp-always-on", "on" },
	{ "amd-psfd", "on" },
	{ "no-nested-data-bp", "on" },
	{ "lfence-always-serializing", "on" },
	{ "null-sel-clr-base", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop epyc_milan_v3[] = {
	{ "overflow-recov", "on" },
	{ "succor", "on" },
	{ "lbrv", "on" },
	{ "tsc-scale", "on" },
	{ "vmcb-clean", "on" },
	{ "flushbyasid", "on" },
	{ "pause-filter", "on" },
	{ "pfthreshold", "on" },
	{ "v-vmsave-vmload", "on" },
	{ "vgif", "on" },
	{ "model-id", "AMD EPYC-Milan-v3 Processor" },
	{ NULL, NULL }
};
/* QEMU 11.1: guest mode execute trap (GMET) for nested paging */
static const vcpuid_prop epyc_milan_v4[] = {
	{ "gmet", "on" },
	{ "model-id", "AMD EPYC-Milan-v4 Processor" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_epyc_milan[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .props = epyc_milan_v2,
	  .cache = &vdata_cache_epyc_milan_v2, .qemu_since = 801 },
	{ .version = 3, .props = epyc_milan_v3,
	  .cache = &vdata_cache_epyc_milan_v3, .qemu_since = 1000 },
	{ .version = 4, .props = epyc_milan_v4, .qemu_since = 1101 },
	{ .version = 0 }
};

const char vdata_features_epyc_genoa[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq monitor ssse3 fma cx16 "
	"pcid sse4.1 sse4.2 movbe popcnt aes xsave avx f16c rdrand syscall nx "
	"mmxext fxsr-opt pdpe1gb rdtscp lm lahf-lm svm cr8legacy abm sse4a "
	"misalignsse 3dnowprefetch osvw topoext perfctr-core clzero "
	"xsaveerptr wbnoinvd ibpb ibrs amd-stibp stibp-always-on amd-ssbd "
	"amd-psfd no-nested-data-bp lfence-always-serializing "
	"null-sel-clr-base auto-ibrs fsgsbase bmi1 avx2 smep bmi2 erms "
	"invpcid avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb "
	"avx512cd sha-ni avx512bw avx512vl avx512vbmi umip pku avx512vbmi2 "
	"gfni vaes vpclmulqdq avx512vnni avx512bitalg avx512-vpopcntdq la57 "
	"rdpid fsrm avx512-bf16 xsaveopt xsavec xgetbv1 xsaves arat npt "
	"nrip-save vnmi svme-addr-chk";

static const vcpuid_prop epyc_genoa_v2[] = {
	{ "overflow-recov", "on" },
	{ "succor", "on" },
	{ "lbrv", "on" },
	{ "tsc-scale", "on" },
	{ "vmcb-clean", "on" },
	{ "flushbyasid", "on" },
	{ "pause-filter", "on" },
	{ "pfthreshold", "on" },
	{ "v-vmsave-vmload", "on" },
	{ "vgif", "on" },
	{ "fs-gs-base-ns", "on" },
	{ "perfmon-v2", "on" },
	{ "model-id", "AMD EPYC-Genoa-v2 Processor" },
	{ NULL, NULL }
};
static const vcpuid_prop epyc_genoa_v3[] = {
	{ "gmet", "on" },
	{ "model-id", "AMD EPYC-Genoa-v3 Processor" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_epyc_genoa[] = {
	{ .version = 1, .qemu_since = 801 },
	{ .version = 2, .props = epyc_genoa_v2,
	  .cache = &vdata_cache_epyc_genoa_v2, .qemu_since = 1000 },
	{ .version = 3, .props = epyc_genoa_v3, .qemu_since = 1101 },
	{ .version = 0 }
};

const char vdata_features_yongfeng[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush acpi mmx fxsr sse sse2 ss pni pclmulqdq monitor ssse3 "
	"fma cx16 pcid sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes "
	"xsave avx f16c rdrand fsgsbase bmi1 avx2 smep bmi2 invpcid rdseed "
	"adx smap sha-ni umip pku rdpid spec-ctrl arch-capabilities syscall "
	"nx pdpe1gb rdtscp lm lahf-lm abm 3dnowprefetch invtsc xstore "
	"xstore-en xcrypt xcrypt-en ace2 phe phe-en pmm pmm-en xsaveopt "
	"rdctl-no skip-l1dfl-vmentry ssb-no mds-no pschange-mc-no "
	"vmx-vintr-pending vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit "
	"vmx-mwait-exit vmx-rdpmc-exit vmx-rdtsc-exit vmx-cr3-load-noexit "
	"vmx-cr3-store-noexit vmx-cr8-load-exit vmx-cr8-store-exit "
	"vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit vmx-io-exit "
	"vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit "
	"vmx-secondary-ctls vmx-apicv-xapic vmx-ept vmx-desc-exit "
	"vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid vmx-wbinvd-exit "
	"vmx-unrestricted-guest vmx-apicv-register vmx-apicv-vid "
	"vmx-rdrand-exit vmx-invpcid-exit vmx-vmfunc vmx-shadow-vmcs vmx-pml "
	"vmx-intr-exit vmx-nmi-exit vmx-vnmi vmx-preemption-timer "
	"vmx-posted-intr vmx-exit-nosave-debugctl "
	"vmx-exit-load-perf-global-ctrl vmx-exit-ack-intr vmx-exit-save-pat "
	"vmx-exit-load-pat vmx-exit-save-efer vmx-exit-load-efer "
	"vmx-exit-save-preemption-timer vmx-entry-noload-debugctl "
	"vmx-entry-ia32e-mode vmx-entry-load-perf-global-ctrl "
	"vmx-entry-load-pat vmx-entry-load-efer vmx-store-lma "
	"vmx-activity-hlt vmx-vmwrite-vmexit-fields vmx-ept-execonly "
	"vmx-page-walk-4 vmx-ept-2mb vmx-ept-1gb vmx-invept vmx-eptad "
	"vmx-invept-single-context vmx-invept-all-context vmx-invvpid "
	"vmx-invvpid-single-addr vmx-invept-single-context "
	"vmx-invvpid-all-context vmx-invept-single-context-noglobals "
	"vmx-ins-outs vmx-true-ctls vmx-eptp-switching VMX_EPT_VPID[14] VMX_EXIT[9]";

/* v2 and v3: the QEMU release is not certain (see docs/models.md). */
static const vcpuid_prop yongfeng_v2[] = {
	{ "model", "0x5b" },
	{ NULL, NULL }
};
static const vcpuid_prop yongfeng_v3[] = {
	{ "x-force-cpuid-0x1f", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_yongfeng[] = {
	{ .version = 1, .qemu_since = 901 },
	{ .version = 2, .note = "with the correct model number",
	  .props = yongfeng_v2, .qemu_since = 1002 },
	{ .version = 3, .note = "with the cache model and 0x1f leaf",
	  .props = yongfeng_v3, .cache = &vdata_cache_yongfeng,
	  .qemu_since = 1002 },
	{ .version = 0 }
};

const char vdata_features_epyc_turin[] =
	"pni pclmulqdq monitor ssse3 fma cx16 pcid sse4.1 sse4.2 movbe popcnt "
	"aes xsave avx f16c rdrand fpu vme de pse tsc msr pae mce cx8 apic "
	"sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 arat "
	"fsgsbase bmi1 avx2 smep bmi2 erms invpcid avx512f avx512dq rdseed "
	"adx smap avx512ifma clflushopt clwb avx512cd sha-ni avx512bw "
	"avx512vl avx512vbmi umip pku avx512vbmi2 gfni vaes vpclmulqdq "
	"avx512vnni avx512bitalg avx512-vpopcntdq la57 rdpid movdiri "
	"movdir64b fsrm avx512-vp2intersect avx-vnni avx512-bf16 lahf-lm svm "
	"cr8legacy abm sse4a misalignsse 3dnowprefetch osvw topoext "
	"perfctr-core syscall nx mmxext fxsr-opt pdpe1gb rdtscp lm "
	"overflow-recov succor clzero xsaveerptr wbnoinvd ibpb ibrs amd-stibp "
	"stibp-always-on amd-ssbd amd-psfd no-nested-data-bp fs-gs-base-ns "
	"lfence-always-serializing null-sel-clr-base auto-ibrs prefetchi sbpb "
	"ibpb-brtype srso-user-kernel-no perfmon-v2 xsaveopt xsavec xgetbv1 "
	"xsaves npt lbrv nrip-save tsc-scale vmcb-clean flushbyasid "
	"pause-filter pfthreshold v-vmsave-vmload vgif vnmi svme-addr-chk";

static const vcpuid_prop epyc_turin_v2[] = {
	{ "gmet", "on" },
	{ "model-id", "AMD EPYC-Turin-v2 Processor" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_epyc_turin[] = {
	{ .version = 1, .qemu_since = 1000 },
	{ .version = 2, .props = epyc_turin_v2, .qemu_since = 1101 },
	{ .version = 0 }
};
