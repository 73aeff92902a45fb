/* SPDX-License-Identifier: MIT */
/* import_text: cpuid -r, AIDA64 and libcpuid dumps, and their errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

static int parse(const char *text, vcpuid_host *h, vcpuid_error *err)
{
	vcpuid_host_init(h);
	memset(err, 0, sizeof(*err));
	int rc = vcpuid_host_parse(text, strlen(text), "t.txt", h, err);
	return rc;
}

static uint32_t r(const vcpuid_host *h, uint32_t leaf, uint32_t sub, enum vcpuid_reg reg)
{
	const vcpuid_cpuid_entry *e = vcpuid_table_find(&h->raw, leaf, sub);
	assert_non_null(e);
	return e->reg[reg];
}

static uint32_t flags(const vcpuid_host *h, uint32_t leaf, uint32_t sub)
{
	const vcpuid_cpuid_entry *e = vcpuid_table_find(&h->raw, leaf, sub);
	assert_non_null(e);
	return e->flags;
}

#define VENDOR_INTEL "ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69"

static const char cpuid_r[] =
	"CPU 0:\n"
	"   0x00000000 0x00: eax=0x00000007 " VENDOR_INTEL "\n"
	"   0x00000001 0x00: eax=0x000906ea ebx=0x00100800 ecx=0x7ffafbbf edx=0xbfebfbff\n"
	"   0x00000004 0x00: eax=0x1c004121 ebx=0x01c0003f ecx=0x0000003f edx=0x00000000\n"
	"   0x00000004 0x01: eax=0x1c004122 ebx=0x01c0003f ecx=0x0000003f edx=0x00000000\n"
	"   0x00000007 0x00: eax=0x00000000 ebx=0x029c6fbf ecx=0x40000000 edx=0xbc002e00\n"
	"   0x80000000 0x00: eax=0x80000008 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	"CPU 1:\n"
	"   0x00000000 0x00: eax=0x00000007 " VENDOR_INTEL "\n"
	"   0x00000001 0x00: eax=0x000906ea ebx=0x01100800 ecx=0x7ffafbbf edx=0xbfebfbff\n";

static void cpuid_r_first_cpu(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_error err;
	assert_int_equal(parse(cpuid_r, &h, &err), 0);
	assert_string_equal(h.origin, "cpuid-r");
	assert_true(h.has_raw);
	assert_int_equal(h.raw.n, 6);
	assert_int_equal(r(&h, 1, 0, VCPUID_EBX), 0x00100800); /* CPU 0, not CPU 1 */
	assert_int_equal(r(&h, 4, 1, VCPUID_EAX), 0x1c004122);
	assert_int_equal(flags(&h, 4, 0), VCPUID_FLAG_SIGNIFICANT_INDEX);
	assert_int_equal(flags(&h, 7, 0), VCPUID_FLAG_SIGNIFICANT_INDEX);
	assert_int_equal(flags(&h, 1, 0), 0);
	assert_string_equal(h.source, "t.txt");
	vcpuid_host_free(&h);
}

static void cpuid_1_r(void **state)
{
	(void)state;
	static const char one[] =
		"CPU:\n"
		"   0x00000000 0x00: eax=0x00000001 " VENDOR_INTEL "\r\n"
		"   0x00000001 0x00: eax=0x000a0678 ebx=0x01020800 ecx=0xfffa3203 edx=0x1f8bfbff\r\n"
		"   0x0000001b 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
		"   0x0000001b 0x01: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n";
	vcpuid_host h;
	vcpuid_error err;
	assert_int_equal(parse(one, &h, &err), 0);
	assert_int_equal(h.raw.n, 4);
	assert_int_equal(r(&h, 1, 0, VCPUID_EAX), 0x000a0678);
	/* a leaf listed with several subleaves is indexed even if not in the list */
	assert_int_equal(flags(&h, 0x1b, 0), VCPUID_FLAG_SIGNIFICANT_INDEX);
	vcpuid_host_free(&h);
}

static void aida64(void **state)
{
	(void)state;
	static const char aida[] =
		"------[ CPUID Registers / Logical CPU #0 ]------\n"
		"CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69 [GenuineIntel]\n"
		"CPUID 00000001: 000206A7-00100800-1FBAE3FF-BFEBFBFF\n"
		"CPUID 00000004: 1C004121-01C0003F-0000003F-00000000\n"
		"CPUID 00000004: 1C004122-01C0003F-0000003F-00000000\n"
		"CPUID 00000007: 00000001-F1BF97A9-00405FCE-10000010 [SL 00]\n"
		"CPUID 00000007: 00000000-00000000-00000000-00000000 [SL 01]\n"
		"CPUID 0000000D: 00000007-00000340-00000340-00000000\n"
		"CPUID 0000000D: 00000001-00000000-00000000-00000000\n"
		"CPUID 0000000D: 00000100-00000240-00000000-00000000\n"
		"CPUID 80000000  \t80000008-00000000-00000000-00000000\n"
		"CPUID 80000006: 00000000-00000000-01006040-00000000 [L2: 256 KB] / L3: 0 KB]\n"
		"CPUID 80000006: 00000000-00000000-01006040-00000000 [L2: 256 KB] / L3: 0 KB]\n"
		"\n"
		"------[ CPUID Registers / Logical CPU #1 ]------\n"
		"CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69 [GenuineIntel]\n"
		"CPUID 00000001: 000206A7-01100800-1FBAE3FF-BFEBFBFF\n"
		"--------------------------------------------------------------------------------\n"
		"x86\n";
	vcpuid_host h;
	vcpuid_error err;
	assert_int_equal(parse(aida, &h, &err), 0);
	assert_string_equal(h.origin, "aida64");
	assert_int_equal(r(&h, 1, 0, VCPUID_EBX), 0x00100800);
	assert_int_equal(r(&h, 7, 0, VCPUID_EBX), 0xF1BF97A9);
	assert_int_equal(r(&h, 7, 1, VCPUID_EBX), 0);
	/* repeated lines without [SL]: subleaves in order; 0xD skips to XCR0 bits */
	assert_int_equal(r(&h, 4, 1, VCPUID_EAX), 0x1C004122);
	assert_int_equal(r(&h, 0xD, 1, VCPUID_EAX), 1);
	assert_int_equal(r(&h, 0xD, 2, VCPUID_EAX), 0x100);
	assert_int_equal(r(&h, 0x80000000, 0, VCPUID_EAX), 0x80000008);
	/* an identical repeated line is kept once */
	assert_int_equal(h.raw.n, 11);
	vcpuid_host_free(&h);
}

static void libcpuid(void **state)
{
	(void)state;
	static const char lc[] =
		"basic_cpuid[0]=00000004 68747541 444d4163 69746e65\n"
		"basic_cpuid[1]=00860f81 0f100800 7ed8320b 178bfbff\n"
		"basic_cpuid[4]=11111111 22222222 33333333 44444444\n"
		"basic_cpuid[5]=00000040 00000040 00000003 00000011\n"
		"basic_cpuid[6]=00000000 00000000 00000000 00000000\n"
		"ext_cpuid[0]=80000001 68747541 444d4163 69746e65\n"
		"ext_cpuid[1]=00860f81 00000000 75c237ff 2fd3fbff\n"
		"ext_cpuid[2]=00000000 00000000 00000000 00000000\n"
		"intel_fn4[0]=00004121 01c0003f 0000003f 00000000\n"
		"intel_fn4[1]=00000000 00000000 00000000 00000000\n"
		"amd_fn8000001dh[0]=00004121 01c0003f 0000003f 00000000\n"
		"--------------------------------------------------------------------------------\n"
		"x86\nbasic_cpuid[0]=garbage after the dashes is not read\n";
	vcpuid_host h;
	vcpuid_error err;
	assert_int_equal(parse(lc, &h, &err), 0);
	assert_string_equal(h.origin, "libcpuid");
	/* leaf 4 from intel_fn4, basic_cpuid[4] superseded; 5, 6 past max 4 and
	 * ext 2 past max 0x80000001 dropped, 0x8000001D too */
	assert_int_equal(r(&h, 4, 0, VCPUID_EAX), 0x4121);
	assert_int_equal(r(&h, 4, 1, VCPUID_EAX), 0);
	assert_null(vcpuid_table_find(&h.raw, 5, 0));
	assert_null(vcpuid_table_find(&h.raw, 0x80000002, 0));
	assert_null(vcpuid_table_find(&h.raw, 0x8000001D, 0));
	assert_int_equal(h.raw.n, 6);
	assert_int_equal(r(&h, 0x80000001, 0, VCPUID_EDX), 0x2fd3fbff);
	vcpuid_host_free(&h);
}

/* An error: code, and the message starts with "t.txt:LINE:" (and COL when given). */
static void expect_error(const char *text, int code, const char *where)
{
	vcpuid_host h;
	vcpuid_error err;
	int rc = parse(text, &h, &err);
	if (rc != code || strncmp(err.msg, where, strlen(where)))
		print_error("rc %d msg '%s' (wanted %d, '%s...')\n", rc, err.msg, code, where);
	assert_int_equal(rc, code);
	assert_memory_equal(err.msg, where, strlen(where));
	assert_null(strchr(err.msg, '\n'));
	vcpuid_host_free(&h);
}

static void errors(void **state)
{
	(void)state;
	/* bad hex */
	expect_error("CPU:\n   0x00000000 0x00: eax=0xZZ " VENDOR_INTEL "\n",
		     VCPUID_E_PARSE, "t.txt:2:27: bad hex for EAX");
	expect_error("CPUID 00000000: 0000000D-756E6G47-6C65746E-49656E69\n",
		     VCPUID_E_PARSE, "t.txt:1:26: bad hex for EBX");
	expect_error("basic_cpuid[0]=0000000d 756e6547 6c65746e 1234567890\n",
		     VCPUID_E_PARSE, "t.txt:1:43: bad hex for EDX");
	/* truncated lines */
	expect_error("CPU:\n   0x00000000 0x00: eax=0x00000001 ebx=0x756e6547 ecx=0x6c",
		     VCPUID_E_PARSE, "t.txt:2:");
	expect_error("CPUID 00000000: 0000000D-756E6547\n", VCPUID_E_PARSE,
		     "t.txt:1:34: truncated line");
	expect_error("basic_cpuid[0]=0000000d 756e6547\n", VCPUID_E_PARSE,
		     "t.txt:1:33: truncated line");
	/* duplicates with different values */
	expect_error("CPU:\n"
		     "   0x00000000 0x00: eax=0x00000001 " VENDOR_INTEL "\n"
		     "   0x00000001 0x00: eax=0x1 ebx=0x0 ecx=0x0 edx=0x0\n"
		     "   0x00000001 0x00: eax=0x2 ebx=0x0 ecx=0x0 edx=0x0\n",
		     VCPUID_E_PARSE, "t.txt:4:1: duplicate entry for leaf 0x1 subleaf 0x0");
	expect_error("basic_cpuid[0]=00000001 0 0 0\nbasic_cpuid[0]=00000002 0 0 0\n",
		     VCPUID_E_PARSE, "t.txt:2:1: duplicate");
	/* garbage in a dump, mixed formats, unknown libcpuid key */
	expect_error("CPU:\n   0x00000000 0x00: eax=0x1 ebx=0x0 ecx=0x0 edx=0x0 extra\n",
		     VCPUID_E_PARSE, "t.txt:2:53: unexpected text 'extra'");
	expect_error("CPU:\nhello\n", VCPUID_E_PARSE, "t.txt:2:1: expected a CPUID line");
	expect_error("CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\n"
		     "   0x00000001 0x00: eax=0x1 ebx=0x0 ecx=0x0 edx=0x0\n",
		     VCPUID_E_PARSE, "t.txt:2:4: expected a aida64 line");
	expect_error("bogus_cpuid[0]=0 0 0 0\n", VCPUID_E_PARSE,
		     "t.txt:1:1: unknown libcpuid key");
	expect_error("CPU 0:\n", VCPUID_E_PARSE, "t.txt:1: no CPUID entries");
	/* not a dump at all: the loader's message */
	expect_error("hello world\n", VCPUID_E_UNKNOWN, "t.txt: unknown format");
	expect_error("-----------------\nx86\n", VCPUID_E_UNKNOWN, "t.txt: unknown format");
	/* empty input */
	expect_error("", VCPUID_E_PARSE, "t.txt: empty input");
	expect_error(" \n\n", VCPUID_E_PARSE, "t.txt: empty input");
}

static void direct_unknown(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	vcpuid_host_init(&h);
	assert_int_equal(vcpuid_import_text("", 0, "e", &h, &err), VCPUID_E_UNKNOWN);
	assert_int_equal(vcpuid_import_text("foo\n", 4, "e", &h, &err), VCPUID_E_UNKNOWN);
	/* NUL bytes are garbage, not the end */
	static const char nul[] = "CPU:\n   0x0\0000000000 0x00:";
	assert_int_equal(vcpuid_import_text(nul, sizeof(nul) - 1, "e", &h, &err),
			 VCPUID_E_PARSE);
	vcpuid_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpuid_r_first_cpu),
		cmocka_unit_test(cpuid_1_r),
		cmocka_unit_test(aida64),
		cmocka_unit_test(libcpuid),
		cmocka_unit_test(errors),
		cmocka_unit_test(direct_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
