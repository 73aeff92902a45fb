/* SPDX-License-Identifier: MIT */
/* profile.c: round trip through a file, and every class of bad input with
 * its code and message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "vcpuid.h"

static void round_trip_through_file(void **state)
{
	(void)state;
	vcpuid_host h, back;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_probe(&h, &err), 0);
	char *a = vcpuid_profile_to_json(&h);
	assert_non_null(a);
	char path[] = "/tmp/vcpuid-test-profile-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(vcpuid_write_file(path, a, strlen(a), &err), 0);
	assert_int_equal(vcpuid_host_load(path, &back, &err), 0);
	unlink(path);
	char *b = vcpuid_profile_to_json(&back);
	assert_non_null(b);
	assert_string_equal(a, b);
	/* the structure survived, not only the text */
	assert_int_equal(back.raw.n, h.raw.n);
	assert_int_equal(back.has_kvm, h.has_kvm);
	assert_int_equal(back.supported.n, h.supported.n);
	assert_int_equal(back.feature_msrs.n, h.feature_msrs.n);
	assert_int_equal(back.n_caps, h.n_caps);
	assert_int_equal(back.has_xcomp_guest_supp, h.has_xcomp_guest_supp);
	assert_int_equal(back.xcomp_guest_supp, h.xcomp_guest_supp);
	assert_int_equal(back.tsc_khz, h.tsc_khz);
	free(a);
	free(b);
	vcpuid_host_free(&h);
	vcpuid_host_free(&back);
}

static void numbers_as_integers_or_strings(void **state)
{
	(void)state;
	const char *j =
		"{\"format\":\"vcpuid-host-profile\",\"version\":1,"
		"\"raw_cpuid\":[{\"function\":0,\"index\":0,\"eax\":22,"
		"\"ebx\":\"0x756e6547\",\"ecx\":\"0x6c65746e\",\"edx\":\"1231384169\"}],"
		"\"kvm\":{\"supported_cpuid\":[{\"function\":\"0x7\",\"index\":\"0\","
		"\"flags\":1,\"eax\":0,\"ebx\":\"0xffffffff\",\"ecx\":0,\"edx\":0}],"
		"\"feature_msrs\":[{\"index\":\"0x10a\",\"value\":\"0xffffffffffffffff\"}],"
		"\"xcomp_guest_supp\":743,\"tsc_khz\":\"0x1b7740\"}}";
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_profile_parse(j, strlen(j), "n.json", &h, &err), 0);
	assert_true(h.has_raw);
	assert_int_equal(vcpuid_table_reg(&h.raw, 0, 0, VCPUID_EAX), 22);
	assert_int_equal(vcpuid_table_reg(&h.raw, 0, 0, VCPUID_EDX), 0x49656e69);
	assert_int_equal(vcpuid_table_reg(&h.supported, 7, 0, VCPUID_EBX), 0xffffffff);
	assert_int_equal(h.supported.e[0].flags, 1);
	uint64_t v = 0;
	assert_true(vcpuid_msr_list_get(&h.feature_msrs, 0x10a, &v));
	assert_true(v == UINT64_MAX);
	assert_true(h.has_xcomp_guest_supp);
	assert_int_equal(h.xcomp_guest_supp, 743);
	assert_int_equal(h.tsc_khz, 1800000);
	vcpuid_host_free(&h);
}

#define HEAD "{\"format\":\"vcpuid-host-profile\",\"version\":1,"
#define E0 "{\"function\":0,\"index\":0,\"flags\":0,\"eax\":0,\"ebx\":0,\"ecx\":0,\"edx\":0}"
#define E1 "{\"function\":1,\"index\":0,\"flags\":0,\"eax\":0,\"ebx\":0,\"ecx\":0,\"edx\":0}"
#define KVM_OK "\"kvm\":{\"supported_cpuid\":[" E0 "],\"feature_msrs\":[]}"

static const struct bad {
	const char *json;
	int code;
	const char *fragment;
} bad[] = {
	{ "{\"format\":\"vcpuid-host-profile\",\n\"version\":1,,}", VCPUID_E_PARSE,
	  "bad.json:2:" },
	{ "{\"format\":\"vcpuid-host-profile\" \"version\":1}", VCPUID_E_PARSE,
	  "bad.json:1:" },
	{ "", VCPUID_E_PARSE, "bad.json:" },
	{ "[1,2]", VCPUID_E_UNKNOWN, "not a vcpuid host profile" },
	{ "{\"format\":\"something-else\",\"version\":1}", VCPUID_E_UNKNOWN,
	  "not a vcpuid host profile" },
	{ HEAD "\"raw_cpuid\":null}", VCPUID_E_PARSE, "bad.json: kvm: missing required key" },
	{ "{\"format\":\"vcpuid-host-profile\",\"raw_cpuid\":null,\"kvm\":null}",
	  VCPUID_E_PARSE, "bad.json: version: missing required key" },
	{ "{\"format\":\"vcpuid-host-profile\",\"version\":2,\"raw_cpuid\":null,"
	  "\"kvm\":null,\"kvm_absent\":\"x\"}", VCPUID_E_PARSE,
	  "bad.json: version: unsupported host profile version" },
	{ "{\"format\":\"vcpuid-host-profile\",\"version\":\"1\",\"raw_cpuid\":null,"
	  "\"kvm\":null,\"kvm_absent\":\"x\"}", VCPUID_E_PARSE, "version: unsupported" },
	{ HEAD "\"kvm\":null,\"kvm_absent\":\"x\"}", VCPUID_E_PARSE,
	  "bad.json: raw_cpuid: missing required key" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":null}", VCPUID_E_PARSE,
	  "bad.json: kvm_absent: missing required key" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":{\"feature_msrs\":[]}}", VCPUID_E_PARSE,
	  "bad.json: kvm.supported_cpuid: missing required key" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":{\"supported_cpuid\":[]}}", VCPUID_E_PARSE,
	  "bad.json: kvm.feature_msrs: missing required key" },
	{ HEAD "\"raw_cpuid\":[{\"function\":0,\"index\":0,\"eax\":0,\"ebx\":0,\"ecx\":0}],"
	  KVM_OK "}", VCPUID_E_PARSE, "bad.json: raw_cpuid[0].edx: missing required key" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":{\"supported_cpuid\":[" E0 "," E1 ","
	  "{\"function\":2,\"index\":0,\"flags\":0,\"eax\":0,\"ebx\":0,\"ecx\":0,"
	  "\"edx\":0},{\"function\":3,\"index\":0,\"flags\":0,\"eax\":\"0xZZ\","
	  "\"ebx\":0,\"ecx\":0,\"edx\":0}],\"feature_msrs\":[]}}", VCPUID_E_PARSE,
	  "bad.json: kvm.supported_cpuid[3].eax: bad number \"0xZZ\"" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":{\"supported_cpuid\":[" E0 "," E1 "," E0
	  "],\"feature_msrs\":[]}}", VCPUID_E_PARSE,
	  "bad.json: kvm.supported_cpuid[2]: duplicate entry for function 0x0 index 0x0" },
	{ HEAD "\"raw_cpuid\":[" E1 "," E1 "]," KVM_OK "}", VCPUID_E_PARSE,
	  "bad.json: raw_cpuid[1]: duplicate entry" },
	{ HEAD "\"raw_cpuid\":[{\"function\":0,\"index\":0,\"eax\":\"0x100000000\","
	  "\"ebx\":0,\"ecx\":0,\"edx\":0}]," KVM_OK "}", VCPUID_E_PARSE,
	  "bad.json: raw_cpuid[0].eax: 0x100000000 out of range" },
	{ HEAD "\"raw_cpuid\":[{\"function\":0,\"index\":4294967296,\"eax\":0,"
	  "\"ebx\":0,\"ecx\":0,\"edx\":0}]," KVM_OK "}", VCPUID_E_PARSE,
	  "raw_cpuid[0].index: 0x100000000 out of range" },
	{ HEAD "\"raw_cpuid\":[{\"function\":-1,\"index\":0,\"eax\":0,"
	  "\"ebx\":0,\"ecx\":0,\"edx\":0}]," KVM_OK "}", VCPUID_E_PARSE,
	  "raw_cpuid[0].function: negative number" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":{\"supported_cpuid\":[],\"feature_msrs\":"
	  "[{\"index\":\"0x10a\",\"value\":1},{\"index\":266,\"value\":2}]}}",
	  VCPUID_E_PARSE, "bad.json: kvm.feature_msrs[1]: duplicate MSR 0x10a" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":{\"supported_cpuid\":[],\"feature_msrs\":"
	  "[{\"index\":\"0x10a\",\"value\":\"0x10000000000000000\"}]}}",
	  VCPUID_E_PARSE, "kvm.feature_msrs[0].value: bad number" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":{\"supported_cpuid\":[],\"feature_msrs\":"
	  "[],\"xcomp_guest_supp\":true}}", VCPUID_E_PARSE,
	  "kvm.xcomp_guest_supp: expected a number" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":{\"supported_cpuid\":[],\"feature_msrs\":"
	  "[],\"tsc_khz\":\"0x100000000\"}}", VCPUID_E_PARSE, "kvm.tsc_khz" },
	{ HEAD "\"raw_cpuid\":{},\"kvm\":null,\"kvm_absent\":\"x\"}", VCPUID_E_PARSE,
	  "raw_cpuid: expected an array or null" },
	{ HEAD "\"raw_cpuid\":[7]," KVM_OK "}", VCPUID_E_PARSE,
	  "raw_cpuid[0]: expected an object" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":[]}", VCPUID_E_PARSE,
	  "kvm: expected an object or null" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":{\"supported_cpuid\":[],\"feature_msrs\":[],"
	  "\"capabilities\":[{\"name\":\"A\",\"id\":1,\"value\":1},{\"name\":\"A\","
	  "\"id\":1,\"value\":1}]}}", VCPUID_E_PARSE,
	  "kvm.capabilities[1]: duplicate capability A" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":{\"supported_cpuid\":[],\"feature_msrs\":[],"
	  "\"msr_index_list\":[\"0x10\",\"zz\"]}}", VCPUID_E_PARSE,
	  "kvm.msr_index_list[1]: bad number \"zz\"" },
	{ HEAD "\"version\":1}", VCPUID_E_PARSE, "bad.json:1:" }, /* duplicate key */
};

static void bad_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vcpuid_host h;
		vcpuid_error err = { 0 };
		vcpuid_host_init(&h);
		int rc = vcpuid_profile_parse(bad[i].json, strlen(bad[i].json),
					      "bad.json", &h, &err);
		if (rc != bad[i].code || !strstr(err.msg, bad[i].fragment))
			fail_msg("case %zu: got %d \"%s\", want %d \"...%s...\"", i,
				 rc, err.msg, bad[i].code, bad[i].fragment);
		assert_null(strchr(err.msg, '\n'));
		vcpuid_host_free(&h);
	}
}

static void minimal_profile_from_another_tool(void **state)
{
	(void)state;
	const char *j = HEAD "\"raw_cpuid\":null,\"kvm\":null,\"kvm_absent\":\"no kvm\"}";
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_host_parse(j, strlen(j), "m.json", &h, &err), 0);
	assert_false(h.has_raw);
	assert_false(h.has_kvm);
	assert_string_equal(h.kvm_absent, "no kvm");
	assert_string_equal(h.source, "m.json");
	vcpuid_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_through_file),
		cmocka_unit_test(numbers_as_integers_or_strings),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(minimal_profile_from_another_tool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
