/* SPDX-License-Identifier: MIT */
/* The Intel client and Atom models: version-1 feature names exactly as QEMU's
 * definition sets them (word by word, in the order of QEMU's source), and
 * the versions: property lists applied in order on top of the base
 * definition (src/lib/data/models.c). */
#include "models.h"

const char vdata_features_nehalem[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni ssse3 cx16 sse4.1 sse4.2 popcnt "
	"syscall nx lm lahf-lm vmx-ins-outs vmx-true-ctls "
	"vmx-entry-noload-debugctl vmx-entry-ia32e-mode "
	"vmx-entry-load-perf-global-ctrl vmx-entry-load-pat "
	"vmx-entry-load-efer vmx-ept-execonly vmx-page-walk-4 vmx-ept-2mb "
	"vmx-ept-1gb vmx-invept vmx-invept-single-context "
	"vmx-invept-all-context vmx-invvpid vmx-invvpid-single-addr "
	"vmx-invept-single-context vmx-invvpid-all-context "
	"vmx-invept-single-context-noglobals vmx-exit-nosave-debugctl "
	"vmx-exit-load-perf-global-ctrl vmx-exit-ack-intr vmx-exit-save-pat "
	"vmx-exit-load-pat vmx-exit-save-efer vmx-exit-load-efer "
	"vmx-exit-save-preemption-timer vmx-activity-hlt vmx-intr-exit "
	"vmx-nmi-exit vmx-vnmi vmx-preemption-timer vmx-vintr-pending "
	"vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit vmx-mwait-exit "
	"vmx-rdpmc-exit vmx-rdtsc-exit vmx-cr3-load-noexit "
	"vmx-cr3-store-noexit vmx-cr8-load-exit vmx-cr8-store-exit "
	"vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit vmx-io-exit "
	"vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit "
	"vmx-secondary-ctls vmx-apicv-xapic vmx-ept vmx-desc-exit "
	"vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid vmx-wbinvd-exit VMX_EPT_VPID[14]";

static const vcpuid_prop nehalem_v2[] = {
	{ "spec-ctrl", "on" },
	{ "model-id", "Intel Core i7 9xx (Nehalem Core i7, IBRS update)" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_nehalem[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .alias = "Nehalem-IBRS", .props = nehalem_v2,
	  .qemu_since = 702 },
	{ .version = 0 }
};

const char vdata_features_westmere[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 cx16 sse4.1 "
	"sse4.2 popcnt aes syscall nx lm lahf-lm arat vmx-ins-outs "
	"vmx-true-ctls vmx-entry-noload-debugctl vmx-entry-ia32e-mode "
	"vmx-entry-load-perf-global-ctrl vmx-entry-load-pat "
	"vmx-entry-load-efer vmx-ept-execonly vmx-page-walk-4 vmx-ept-2mb "
	"vmx-ept-1gb vmx-invept vmx-invept-single-context "
	"vmx-invept-all-context vmx-invvpid vmx-invvpid-single-addr "
	"vmx-invept-single-context vmx-invvpid-all-context "
	"vmx-invept-single-context-noglobals vmx-exit-nosave-debugctl "
	"vmx-exit-load-perf-global-ctrl vmx-exit-ack-intr vmx-exit-save-pat "
	"vmx-exit-load-pat vmx-exit-save-efer vmx-exit-load-efer "
	"vmx-exit-save-preemption-timer vmx-store-lma vmx-activity-hlt "
	"vmx-intr-exit vmx-nmi-exit vmx-vnmi vmx-preemption-timer "
	"vmx-vintr-pending vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit "
	"vmx-mwait-exit vmx-rdpmc-exit vmx-rdtsc-exit vmx-cr3-load-noexit "
	"vmx-cr3-store-noexit vmx-cr8-load-exit vmx-cr8-store-exit "
	"vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit vmx-io-exit "
	"vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit "
	"vmx-secondary-ctls vmx-apicv-xapic vmx-ept vmx-desc-exit "
	"vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid vmx-wbinvd-exit "
	"vmx-unrestricted-guest VMX_EPT_VPID[14]";

static const vcpuid_prop westmere_v2[] = {
	{ "spec-ctrl", "on" },
	{ "model-id", "Westmere E56xx/L56xx/X56xx (IBRS update)" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_westmere[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .alias = "Westmere-IBRS", .props = westmere_v2,
	  .qemu_since = 702 },
	{ .version = 0 }
};

const char vdata_features_sandybridge[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 cx16 sse4.1 "
	"sse4.2 x2apic popcnt tsc-deadline aes xsave avx syscall nx rdtscp lm "
	"lahf-lm xsaveopt arat vmx-ins-outs vmx-true-ctls "
	"vmx-entry-noload-debugctl vmx-entry-ia32e-mode "
	"vmx-entry-load-perf-global-ctrl vmx-entry-load-pat "
	"vmx-entry-load-efer vmx-ept-execonly vmx-page-walk-4 vmx-ept-2mb "
	"vmx-ept-1gb vmx-invept vmx-invept-single-context "
	"vmx-invept-all-context vmx-invvpid vmx-invvpid-single-addr "
	"vmx-invept-single-context vmx-invvpid-all-context "
	"vmx-invept-single-context-noglobals vmx-exit-nosave-debugctl "
	"vmx-exit-load-perf-global-ctrl vmx-exit-ack-intr vmx-exit-save-pat "
	"vmx-exit-load-pat vmx-exit-save-efer vmx-exit-load-efer "
	"vmx-exit-save-preemption-timer vmx-store-lma vmx-activity-hlt "
	"vmx-intr-exit vmx-nmi-exit vmx-vnmi vmx-preemption-timer "
	"vmx-vintr-pending vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit "
	"vmx-mwait-exit vmx-rdpmc-exit vmx-rdtsc-exit vmx-cr3-load-noexit "
	"vmx-cr3-store-noexit vmx-cr8-load-exit vmx-cr8-store-exit "
	"vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit vmx-io-exit "
	"vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit "
	"vmx-secondary-ctls vmx-apicv-xapic vmx-ept vmx-desc-exit "
	"vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid vmx-wbinvd-exit "
	"vmx-unrestricted-guest VMX_EPT_VPID[14]";

static const vcpuid_prop sandybridge_v2[] = {
	{ "spec-ctrl", "on" },
	{ "model-id", "Intel Xeon E312xx (Sandy Bridge, IBRS update)" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_sandybridge[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .alias = "SandyBridge-IBRS", .props = sandybridge_v2,
	  .qemu_since = 702 },
	{ .version = 0 }
};

const char vdata_features_ivybridge[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 cx16 sse4.1 "
	"sse4.2 x2apic popcnt tsc-deadline aes xsave avx f16c rdrand fsgsbase "
	"smep erms syscall nx rdtscp lm lahf-lm xsaveopt arat vmx-ins-outs "
	"vmx-true-ctls vmx-entry-noload-debugctl vmx-entry-ia32e-mode "
	"vmx-entry-load-perf-global-ctrl vmx-entry-load-pat "
	"vmx-entry-load-efer vmx-ept-execonly vmx-page-walk-4 vmx-ept-2mb "
	"vmx-ept-1gb vmx-invept vmx-invept-single-context "
	"vmx-invept-all-context vmx-invvpid vmx-invvpid-single-addr "
	"vmx-invept-single-context vmx-invvpid-all-context "
	"vmx-invept-single-context-noglobals vmx-exit-nosave-debugctl "
	"vmx-exit-load-perf-global-ctrl vmx-exit-ack-intr vmx-exit-save-pat "
	"vmx-exit-load-pat vmx-exit-save-efer vmx-exit-load-efer "
	"vmx-exit-save-preemption-timer vmx-store-lma vmx-activity-hlt "
	"vmx-intr-exit vmx-nmi-exit vmx-vnmi vmx-preemption-timer "
	"vmx-posted-intr vmx-vintr-pending vmx-tsc-offset vmx-hlt-exit "
	"vmx-invlpg-exit vmx-mwait-exit vmx-rdpmc-exit vmx-rdtsc-exit "
	"vmx-cr3-load-noexit vmx-cr3-store-noexit vmx-cr8-load-exit "
	"vmx-cr8-store-exit vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit "
	"vmx-io-exit vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit "
	"vmx-pause-exit vmx-secondary-ctls vmx-apicv-xapic vmx-ept "
	"vmx-desc-exit vmx-rdtscp-exit vmx-apicv-x2apic vmx-vpid "
	"vmx-wbinvd-exit vmx-unrestricted-guest vmx-apicv-register "
	"vmx-apicv-vid vmx-rdrand-exit VMX_EPT_VPID[14]";

static const vcpuid_prop ivybridge_v2[] = {
	{ "spec-ctrl", "on" },
	{ "model-id", "Intel Xeon E3-12xx v2 (Ivy Bridge, IBRS)" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_ivybridge[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .alias = "IvyBridge-IBRS", .props = ivybridge_v2,
	  .qemu_since = 702 },
	{ .version = 0 }
};

const char vdata_features_haswell[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx rdtscp lm lahf-lm abm fsgsbase bmi1 hle avx2 smep "
	"bmi2 erms invpcid rtm xsaveopt arat vmx-ins-outs vmx-true-ctls "
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
	"vmx-eptp-switching VMX_EPT_VPID[14]";

static const vcpuid_prop haswell_v2[] = {
	{ "hle", "off" },
	{ "rtm", "off" },
	{ "stepping", "1" },
	{ "model-id", "Intel Core Processor (Haswell, no TSX)" },
	{ NULL, NULL }
};
static const vcpuid_prop haswell_v3[] = {
	{ "hle", "on" },
	{ "rtm", "on" },
	{ "stepping", "4" },
	{ "spec-ctrl", "on" },
	{ "model-id", "Intel Core Processor (Haswell, IBRS)" },
	{ NULL, NULL }
};
static const vcpuid_prop haswell_v4[] = {
	{ "hle", "off" },
	{ "rtm", "off" },
	{ "stepping", "1" },
	{ "model-id", "Intel Core Processor (Haswell, no TSX, IBRS)" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_haswell[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .alias = "Haswell-noTSX", .props = haswell_v2,
	  .qemu_since = 702 },
	{ .version = 3, .alias = "Haswell-IBRS", .props = haswell_v3,
	  .qemu_since = 702 },
	{ .version = 4, .alias = "Haswell-noTSX-IBRS", .props = haswell_v4,
	  .qemu_since = 702 },
	{ .version = 0 }
};

const char vdata_features_broadwell[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx rdtscp lm lahf-lm abm 3dnowprefetch fsgsbase bmi1 "
	"hle avx2 smep bmi2 erms invpcid rtm rdseed adx smap xsaveopt arat "
	"vmx-ins-outs vmx-true-ctls vmx-entry-noload-debugctl "
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
	"vmx-shadow-vmcs vmx-rdseed-exit vmx-pml vmx-eptp-switching VMX_EPT_VPID[14]";

static const vcpuid_prop broadwell_v2[] = {
	{ "hle", "off" },
	{ "rtm", "off" },
	{ "model-id", "Intel Core Processor (Broadwell, no TSX)" },
	{ NULL, NULL }
};
static const vcpuid_prop broadwell_v3[] = {
	{ "hle", "on" },
	{ "rtm", "on" },
	{ "spec-ctrl", "on" },
	{ "model-id", "Intel Core Processor (Broadwell, IBRS)" },
	{ NULL, NULL }
};
static const vcpuid_prop broadwell_v4[] = {
	{ "hle", "off" },
	{ "rtm", "off" },
	{ "model-id", "Intel Core Processor (Broadwell, no TSX, IBRS)" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_broadwell[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .alias = "Broadwell-noTSX", .props = broadwell_v2,
	  .qemu_since = 702 },
	{ .version = 3, .alias = "Broadwell-IBRS", .props = broadwell_v3,
	  .qemu_since = 702 },
	{ .version = 4, .alias = "Broadwell-noTSX-IBRS", .props = broadwell_v4,
	  .qemu_since = 702 },
	{ .version = 0 }
};

const char vdata_features_skylake_client[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx rdtscp lm lahf-lm abm 3dnowprefetch fsgsbase bmi1 "
	"hle avx2 smep bmi2 erms invpcid rtm rdseed adx smap xsaveopt xsavec "
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
	"vmx-vintr-pending vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit "
	"vmx-mwait-exit vmx-rdpmc-exit vmx-rdtsc-exit vmx-cr3-load-noexit "
	"vmx-cr3-store-noexit vmx-cr8-load-exit vmx-cr8-store-exit "
	"vmx-flexpriority vmx-vnmi-pending vmx-movdr-exit vmx-io-exit "
	"vmx-io-bitmap vmx-mtf vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit "
	"vmx-secondary-ctls vmx-apicv-xapic vmx-ept vmx-desc-exit "
	"vmx-rdtscp-exit vmx-vpid vmx-wbinvd-exit vmx-unrestricted-guest "
	"vmx-rdrand-exit vmx-invpcid-exit vmx-vmfunc vmx-shadow-vmcs "
	"vmx-rdseed-exit vmx-pml vmx-eptp-switching VMX_EPT_VPID[14]";

static const vcpuid_prop skylake_client_v2[] = {
	{ "spec-ctrl", "on" },
	{ "model-id", "Intel Core Processor (Skylake, IBRS)" },
	{ NULL, NULL }
};
static const vcpuid_prop skylake_client_v3[] = {
	{ "hle", "off" },
	{ "rtm", "off" },
	{ "model-id", "Intel Core Processor (Skylake, IBRS, no TSX)" },
	{ NULL, NULL }
};
static const vcpuid_prop skylake_client_v4[] = {
	{ "xsaves", "on" },
	{ "vmx-xsaves", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_skylake_client[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .alias = "Skylake-Client-IBRS", .props = skylake_client_v2,
	  .qemu_since = 702 },
	{ .version = 3, .alias = "Skylake-Client-noTSX-IBRS",
	  .props = skylake_client_v3, .qemu_since = 702 },
	{ .version = 4, .note = "IBRS, XSAVES, no TSX", .props = skylake_client_v4,
	  .qemu_since = 702 },
	{ .version = 0 }
};

const char vdata_features_denverton[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq monitor ssse3 cx16 "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave rdrand "
	"syscall nx pdpe1gb rdtscp lm lahf-lm 3dnowprefetch fsgsbase smep "
	"erms mpx rdseed smap clflushopt sha-ni spec-ctrl arch-capabilities "
	"ssbd xsaveopt xsavec xgetbv1 arat rdctl-no skip-l1dfl-vmentry "
	"vmx-ins-outs vmx-true-ctls vmx-entry-noload-debugctl "
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
	"vmx-shadow-vmcs vmx-rdseed-exit vmx-pml vmx-eptp-switching VMX_EPT_VPID[14]";

static const vcpuid_prop denverton_v2[] = {
	{ "monitor", "off" },
	{ "mpx", "off" },
	{ NULL, NULL }
};
static const vcpuid_prop denverton_v3[] = {
	{ "xsaves", "on" },
	{ "vmx-xsaves", "on" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_denverton[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .note = "no MPX, no MONITOR", .props = denverton_v2,
	  .qemu_since = 702 },
	{ .version = 3, .note = "XSAVES, no MPX, no MONITOR",
	  .props = denverton_v3, .qemu_since = 702 },
	{ .version = 0 }
};

const char vdata_features_snowridge[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq monitor ssse3 cx16 "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave rdrand "
	"syscall nx pdpe1gb rdtscp lm lahf-lm 3dnowprefetch fsgsbase smep "
	"erms mpx rdseed smap clflushopt clwb sha-ni umip gfni cldemote "
	"movdiri movdir64b spec-ctrl arch-capabilities core-capability ssbd "
	"split-lock-detect xsaveopt xsavec xgetbv1 arat vmx-ins-outs "
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
	"vmx-rdseed-exit vmx-pml vmx-eptp-switching VMX_EPT_VPID[14]";

static const vcpuid_prop snowridge_v2[] = {
	{ "mpx", "off" },
	{ "model-id", "Intel Atom Processor (Snowridge, no MPX)" },
	{ NULL, NULL }
};
static const vcpuid_prop snowridge_v3[] = {
	{ "xsaves", "on" },
	{ "vmx-xsaves", "on" },
	{ NULL, NULL }
};
static const vcpuid_prop snowridge_v4[] = {
	{ "split-lock-detect", "off" },
	{ "core-capability", "off" },
	{ NULL, NULL }
};
const vcpuid_model_version vdata_versions_snowridge[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .props = snowridge_v2, .qemu_since = 702 },
	{ .version = 3, .note = "XSAVES, no MPX", .props = snowridge_v3,
	  .qemu_since = 702 },
	{ .version = 4, .note = "no split lock detect, no core-capability",
	  .props = snowridge_v4, .qemu_since = 702 },
	{ .version = 0 }
};

const char vdata_features_knightsmill[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 ss pni pclmulqdq ssse3 fma cx16 "
	"sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave avx f16c "
	"rdrand syscall nx pdpe1gb rdtscp lm lahf-lm abm 3dnowprefetch "
	"fsgsbase bmi1 avx2 smep bmi2 erms avx512f rdseed adx avx512pf "
	"avx512er avx512cd avx512-vpopcntdq avx512-4vnniw avx512-4fmaps "
	"xsaveopt arat";
