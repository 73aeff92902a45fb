/* SPDX-License-Identifier: MIT */
/* The QEMU oracle preload's host spec parser (tests/oracle/oracle_spec.c):
 * never crashes, and an error always names a position. */
#include <stdlib.h>
#include <string.h>
#include "../tests/oracle/oracle_spec.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct oracle_spec s;	/* large: not on the stack */
	char err[200] = "";
	if (oracle_spec_parse(&s, (const char *)data, size, err, sizeof(err))) {
		if (!err[0] || err[0] < '1' || err[0] > '9')
			abort();
		return 0;
	}
	if (s.nsup > ORACLE_MAX_CPUID || s.nemu > ORACLE_MAX_CPUID ||
	    s.nraw > ORACLE_MAX_RAW || s.nmsr > ORACLE_MAX_MSRS ||
	    s.nidx > ORACLE_MAX_MSRS || s.ncaps > ORACLE_MAX_CAPS)
		abort();
	return 0;
}
