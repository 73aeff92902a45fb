/* SPDX-License-Identifier: MIT */
/* The AMD, Hygon and Zhaoxin models: version-1 feature names exactly as QEMU's
 * definition sets them (word by word, in the order of QEMU's source), and
 * the versions: property lists applied in order on top of the base
 * definition (src/lib/data/models.c). */
#include "models.h"

const char vcpuid_features_opteron_g1[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni syscall nx lm";

const char vcpuid_features_opteron_g2[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni cx16 syscall nx lm lahf-lm svm";

const char vcpuid_features_opteron_g3[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni monitor cx16 popcnt syscall nx "
	"rdtscp lm lahf-lm svm abm sse4a misalignsse";

const char vcpuid_features_opteron_g4[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 cx16 sse4.1 "
	"sse4.2 popcnt aes xsave avx syscall nx pdpe1gb rdtscp lm lahf-lm svm "
	"abm sse4a misalignsse 3dnowprefetch xop fma4 npt nrip-save";

const char vcpuid_features_opteron_g5[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq ssse3 fma cx16 sse4.1 "
	"sse4.2 popcnt aes xsave avx f16c syscall nx pdpe1gb rdtscp lm "
	"lahf-lm svm abm sse4a misalignsse 3dnowprefetch xop fma4 tbm npt "
	"nrip-save";

const char vcpuid_features_epyc[] =
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
const vcpuid_model_version vcpuid_versions_epyc[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .alias = "EPYC-IBPB", .props = epyc_v2, .qemu_since = 702 },
	{ .version = 3, .props = epyc_v3, .qemu_since = 702 },
	{ .version = 0 }
};

const char vcpuid_features_dhyana[] =
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
const vcpuid_model_version vcpuid_versions_dhyana[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .note = "XSAVES", .props = dhyana_v2, .qemu_since = 702 },
	{ .version = 0 }
};

const char vcpuid_features_epyc_rome[] =
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
const vcpuid_model_version vcpuid_versions_epyc_rome[] = {
	{ .version = 1, .qemu_since = 702 },
	{ .version = 2, .props = epyc_rome_v2, .qemu_since = 702 },
	{ .version = 0 }
};

const char vcpuid_features_epyc_milan[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni pclmulqdq monitor ssse3 fma cx16 "
	"pcid sse4.1 sse4.2 movbe popcnt aes xsave avx f16c rdrand syscall nx "
	"mmxext fxsr-opt pdpe1gb rdtscp lm lahf-lm svm cr8legacy abm sse4a "
	"misalignsse 3dnowprefetch osvw topoext perfctr-core clzero "
	"xsaveerptr wbnoinvd ibpb ibrs amd-stibp amd-ssbd fsgsbase bmi1 avx2 "
	"smep bmi2 erms invpcid rdseed adx smap clflushopt clwb sha-ni umip "
	"pku rdpid fsrm xsaveopt xsavec xgetbv1 xsaves arat npt nrip-save "
	"svme-addr-chk";
