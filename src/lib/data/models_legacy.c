/* SPDX-License-Identifier: MIT */
/* The legacy models: version-1 feature names exactly as QEMU's
 * definition sets them (word by word, in the order of QEMU's source), and
 * the versions: property lists applied in order on top of the base
 * definition (src/lib/data/models.c). */
#include "models.h"

const char vdata_features_qemu64[] =
	"fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
	"clflush mmx fxsr sse sse2 pni cx16 syscall nx lm lahf-lm svm";

const char vdata_features_phenom[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni monitor cx16 popcnt syscall nx "
	"mmxext fxsr-opt pdpe1gb rdtscp lm 3dnowext 3dnow lahf-lm svm abm "
	"sse4a npt";

const char vdata_features_core2duo[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush acpi mmx fxsr sse sse2 ss pni monitor ssse3 cx16 "
	"syscall nx lm lahf-lm vmx-ins-outs vmx-entry-ia32e-mode "
	"vmx-exit-ack-intr vmx-activity-hlt vmx-intr-exit vmx-nmi-exit "
	"vmx-vnmi vmx-vintr-pending vmx-tsc-offset vmx-hlt-exit "
	"vmx-invlpg-exit vmx-mwait-exit vmx-rdpmc-exit vmx-rdtsc-exit "
	"vmx-cr8-load-exit vmx-cr8-store-exit vmx-flexpriority "
	"vmx-vnmi-pending vmx-movdr-exit vmx-io-exit vmx-io-bitmap "
	"vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit vmx-secondary-ctls "
	"vmx-apicv-xapic";

const char vdata_features_kvm64[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni cx16 syscall nx lm "
	"vmx-entry-ia32e-mode vmx-exit-ack-intr vmx-activity-hlt "
	"vmx-intr-exit vmx-nmi-exit vmx-vintr-pending vmx-tsc-offset "
	"vmx-hlt-exit vmx-invlpg-exit vmx-mwait-exit vmx-rdpmc-exit "
	"vmx-rdtsc-exit vmx-cr8-load-exit vmx-cr8-store-exit vmx-flexpriority "
	"vmx-movdr-exit vmx-io-exit vmx-io-bitmap vmx-monitor-exit "
	"vmx-pause-exit";

const char vdata_features_qemu32[] =
	"fpu de pse tsc msr pae mce cx8 apic sep pge cmov pat mmx fxsr sse "
	"sse2 pni";

const char vdata_features_kvm32[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni vmx-entry-ia32e-mode "
	"vmx-exit-ack-intr vmx-activity-hlt vmx-intr-exit vmx-nmi-exit "
	"vmx-vintr-pending vmx-tsc-offset vmx-hlt-exit vmx-invlpg-exit "
	"vmx-mwait-exit vmx-rdpmc-exit vmx-rdtsc-exit vmx-movdr-exit "
	"vmx-io-exit vmx-io-bitmap vmx-msr-bitmap vmx-monitor-exit "
	"vmx-pause-exit";

const char vdata_features_coreduo[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"clflush acpi mmx fxsr sse sse2 ss pni monitor nx "
	"vmx-entry-ia32e-mode vmx-exit-ack-intr vmx-activity-hlt "
	"vmx-intr-exit vmx-nmi-exit vmx-vintr-pending vmx-tsc-offset "
	"vmx-hlt-exit vmx-invlpg-exit vmx-mwait-exit vmx-rdpmc-exit "
	"vmx-rdtsc-exit vmx-movdr-exit vmx-io-exit vmx-io-bitmap "
	"vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit";

const char vdata_features_m_486[] =
	"fpu vme pse";

const char vdata_features_pentium[] =
	"fpu vme de pse tsc msr mce cx8 apic mmx";

const char vdata_features_pentium2[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 mmx fxsr";

const char vdata_features_pentium3[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 mmx fxsr sse";

const char vdata_features_athlon[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 mmx fxsr sse sse2 mmxext 3dnowext 3dnow";

const char vdata_features_n270[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"clflush acpi mmx fxsr sse sse2 ss pni monitor ssse3 movbe nx lahf-lm";

const char vdata_features_conroe[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni ssse3 syscall nx lm lahf-lm "
	"vmx-ins-outs vmx-entry-ia32e-mode vmx-exit-ack-intr vmx-activity-hlt "
	"vmx-intr-exit vmx-nmi-exit vmx-vnmi vmx-vintr-pending vmx-tsc-offset "
	"vmx-hlt-exit vmx-invlpg-exit vmx-mwait-exit vmx-rdpmc-exit "
	"vmx-rdtsc-exit vmx-cr8-load-exit vmx-cr8-store-exit vmx-flexpriority "
	"vmx-vnmi-pending vmx-movdr-exit vmx-io-exit vmx-io-bitmap "
	"vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit vmx-secondary-ctls "
	"vmx-apicv-xapic";

const char vdata_features_penryn[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 pni ssse3 cx16 sse4.1 syscall nx lm "
	"lahf-lm vmx-ins-outs vmx-entry-ia32e-mode "
	"vmx-entry-load-perf-global-ctrl vmx-exit-load-perf-global-ctrl "
	"vmx-exit-ack-intr vmx-activity-hlt vmx-intr-exit vmx-nmi-exit "
	"vmx-vnmi vmx-vintr-pending vmx-tsc-offset vmx-hlt-exit "
	"vmx-invlpg-exit vmx-mwait-exit vmx-rdpmc-exit vmx-rdtsc-exit "
	"vmx-cr8-load-exit vmx-cr8-store-exit vmx-flexpriority "
	"vmx-vnmi-pending vmx-movdr-exit vmx-io-exit vmx-io-bitmap "
	"vmx-msr-bitmap vmx-monitor-exit vmx-pause-exit vmx-secondary-ctls "
	"vmx-apicv-xapic vmx-wbinvd-exit";
