/* SPDX-License-Identifier: MIT */
/* The CPU model catalog: pure data, one entry per QEMU model. */
#include "internal.h"

static const vcpuid_model_def models[] = {
	{ .name = "qemu64", .vendor = "AuthenticAMD", .family = 15, .model = 107,
	  .stepping = 1, .level = 0xd, .xlevel = 0x8000000A,
	  .model_id = "QEMU Virtual CPU version 2.5+",
	  .features = "fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 pni cx16 popcnt lahf-lm svm syscall nx lm",
	  .qemu_since = 702 },
};

const vcpuid_model_def *vcpuid_models(size_t *count)
{
	*count = ARRAY_SIZE(models);
	return models;
}
