/* SPDX-License-Identifier: MIT */
/* Answering the CPUID instruction executed by the QEMU executable from a
 * host spec's raw table, with Linux CPUID faulting (docs/testing.md). */
#ifndef VCPUID_ORACLE_CPUID_FAULT_H
#define VCPUID_ORACLE_CPUID_FAULT_H

#include <stddef.h>
#include "oracle_spec.h"

/* Turn CPUID faulting on for the calling thread (threads it creates later
 * inherit it) and install the SIGSEGV handler. s must stay valid. Returns
 * the number of executable segments of the main program, or -1 with a
 * message in err. */
int oracle_cpuid_fault_start(const struct oracle_spec *s, char *err,
			     size_t errlen);

#endif
