/* SPDX-License-Identifier: MIT */
/* cpu_object.c: the CPU object's warning list (growth by vo_cap_for, lines
 * kept in order, formatted lines cut at 511 characters) and its release. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "stages.h"

static void cap_for(void **state)
{
	(void)state;
	assert_int_equal(vo_cap_for(0), 8);
	assert_int_equal(vo_cap_for(1), 8);
	assert_int_equal(vo_cap_for(8), 8);
	assert_int_equal(vo_cap_for(9), 16);
	assert_int_equal(vo_cap_for(16), 16);
	assert_int_equal(vo_cap_for(17), 32);
	assert_int_equal(vo_cap_for(1000), 1024);
}

static void warn_lines(void **state)
{
	(void)state;
	vcpuid_cpu cpu;
	memset(&cpu, 0, sizeof(cpu));
	/* past several growths: 8, 16, 32, 64, 128 */
	for (int i = 0; i < 100; i++)
		assert_int_equal(vo_warn(&cpu, "host doesn't support requested "
					 "feature: CPUID.07H:EBX.hle [bit %d]", i), 0);
	assert_int_equal(cpu.nwarnings, 100);
	assert_string_equal(cpu.warnings[0], "host doesn't support requested "
			    "feature: CPUID.07H:EBX.hle [bit 0]");
	assert_string_equal(cpu.warnings[8], "host doesn't support requested "
			    "feature: CPUID.07H:EBX.hle [bit 8]");
	assert_string_equal(cpu.warnings[99], "host doesn't support requested "
			    "feature: CPUID.07H:EBX.hle [bit 99]");
	/* a line handed over is kept as it is */
	char *line = strdup("taken");
	assert_int_equal(vo_warn_line(&cpu, line), 0);
	assert_ptr_equal(cpu.warnings[100], line);
	/* NULL (strdup failed): out of memory, nothing added */
	assert_int_equal(vo_warn_line(&cpu, NULL), VCPUID_E_NOMEM);
	assert_int_equal(cpu.nwarnings, 101);
	vcpuid_cpu_free(&cpu);
	assert_int_equal(cpu.nwarnings, 0);
	assert_null(cpu.warnings);
	/* free twice is harmless, NULL too */
	vcpuid_cpu_free(&cpu);
	vcpuid_cpu_free(NULL);
}

static void warn_truncates(void **state)
{
	(void)state;
	vcpuid_cpu cpu;
	memset(&cpu, 0, sizeof(cpu));
	char big[700];
	memset(big, 'w', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(vo_warn(&cpu, "%s", big), 0);
	assert_int_equal(strlen(cpu.warnings[0]), 511);
	vcpuid_cpu_free(&cpu);
}

/* vcpuid_cpu_free releases the filtered list too and clears the counts. */
static void free_filtered(void **state)
{
	(void)state;
	vcpuid_cpu cpu;
	memset(&cpu, 0, sizeof(cpu));
	cpu.filtered_list = calloc(3, sizeof(*cpu.filtered_list));
	cpu.nfiltered = 3;
	vo_warn(&cpu, "x");
	vcpuid_cpu_free(&cpu);
	assert_null(cpu.filtered_list);
	assert_int_equal(cpu.nfiltered, 0);
	assert_int_equal(cpu.nwarnings, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cap_for),
		cmocka_unit_test(warn_lines),
		cmocka_unit_test(warn_truncates),
		cmocka_unit_test(free_filtered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
