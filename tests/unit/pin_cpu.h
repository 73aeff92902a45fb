/* SPDX-License-Identifier: MIT */
/* For the tests that compare probes: KVM's supported CPUID holds the APIC
 * ID of the CPU the ioctl ran on (leaf 1 EBX, 0xB EDX), and a full probe
 * runs on the lowest CPU the process may use. Pin the test there too, so
 * that every probe it makes answers from the same CPU. */
#ifndef VCPUID_TEST_PIN_CPU_H
#define VCPUID_TEST_PIN_CPU_H

#include <sched.h>

static inline void pin_lowest_cpu(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set)) {
			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
			return;
		}
}

#endif
