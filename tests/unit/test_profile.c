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
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "vcpuid.h"

/* profile_fast.c's reader (internal.h): true when it took the text itself. */
bool vcpuid_profile_parse_plain(const char *buf, size_t len, vcpuid_host *h);

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
#define KVM_PRE "\"raw_cpuid\":null,\"kvm\":{\"supported_cpuid\":[],\"feature_msrs\":[],"

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
	{ "{\"format\":\"vcpuid-host-profile\",\"version\":\"0x2\",\"raw_cpuid\":null,"
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
	  VCPUID_E_PARSE, "kvm.feature_msrs[0].value: 0x10000000000000000 is too big" },
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
	/* near the plain form profile_fast.c reads, but not JSON, or not a
	 * profile: each must fall to the jansson reader and its message */
	{ HEAD "\"raw_cpuid\":null," KVM_OK "} x", VCPUID_E_PARSE,
	  "bad.json:1:176: end of file expected" },
	{ HEAD "\"raw_cpuid\":null," KVM_OK ",}", VCPUID_E_PARSE, "bad.json:1:175:" },
	{ HEAD "\"raw_cpuid\":[" E0 ",]," KVM_OK "}", VCPUID_E_PARSE, "bad.json:1:125:" },
	{ HEAD "\"raw_cpuid\":null," KVM_OK, VCPUID_E_PARSE, "bad.json:1:173:" },
	{ HEAD "\"raw_cpuid\":[{\"function\":01,\"index\":0,\"eax\":0,\"ebx\":0,"
	  "\"ecx\":0,\"edx\":0}]," KVM_OK "}", VCPUID_E_PARSE, "bad.json:1:70:" },
	{ HEAD "\"raw_cpuid\":[{\"function\":1.0,\"index\":0,\"eax\":0,\"ebx\":0,"
	  "\"ecx\":0,\"edx\":0}]," KVM_OK "}", VCPUID_E_PARSE,
	  "raw_cpuid[0].function: expected a number" },
	{ HEAD "\"raw_cpuid\":[{\"function\":1e2,\"index\":0,\"eax\":0,\"ebx\":0,"
	  "\"ecx\":0,\"edx\":0}]," KVM_OK "}", VCPUID_E_PARSE,
	  "raw_cpuid[0].function: expected a number" },
	{ HEAD "\"raw_cpuid\":[{\"function\":0,\"index\":0,\"index\":0,\"eax\":0,"
	  "\"ebx\":0,\"ecx\":0,\"edx\":0}]," KVM_OK "}", VCPUID_E_PARSE,
	  "bad.json:1:88: duplicate object key" },
	{ HEAD "\"raw_cpuid\":null," KVM_OK ",\"kvm\":null}", VCPUID_E_PARSE,
	  "duplicate object key" },
	{ HEAD "\"raw_cpuid\":[{\"function\":99999999999999999999,\"index\":0,"
	  "\"eax\":0,\"ebx\":0,\"ecx\":0,\"edx\":0}]," KVM_OK "}", VCPUID_E_PARSE,
	  "bad.json: raw_cpuid[0].function: 99999999999999999999 is too big" },
	{ HEAD "\"source\":\"a\tb\",\"raw_cpuid\":null," KVM_OK "}", VCPUID_E_PARSE,
	  "bad.json:1:55: control character" },
	{ HEAD "\"source\":\"a\xff\",\"raw_cpuid\":null," KVM_OK "}", VCPUID_E_PARSE,
	  "bad.json:1:55:" },
	{ HEAD "\"microcode\":\"\",\"raw_cpuid\":null," KVM_OK "}", VCPUID_E_PARSE,
	  "bad.json: microcode: bad number \"\"" },
	{ HEAD KVM_PRE "\"emulated_cpuid\":null}}", VCPUID_E_PARSE,
	  "kvm.emulated_cpuid: expected an array" },
	{ HEAD KVM_PRE "\"api_version\":null}}", VCPUID_E_PARSE,
	  "kvm.api_version: expected a number" },
	{ HEAD "\"raw_cpuid\":null,\"kvm\":{\"supported_cpuid\":[],\"feature_msrs\":"
	  "[{\"index\":1}]}}", VCPUID_E_PARSE,
	  "kvm.feature_msrs[0].value: missing required key" },
	{ HEAD KVM_PRE "\"capabilities\":[{\"name\":\"\",\"value\":1}]}}",
	  VCPUID_E_PARSE, "kvm.capabilities[0].name: missing required key" },
	{ HEAD KVM_PRE "\"capabilities\":[{\"name\":\"A\"}]}}", VCPUID_E_PARSE,
	  "kvm.capabilities[0].value: missing required key" },
	{ HEAD KVM_PRE "\"capabilities\":[{\"name\":\"A\",\"value\":1.5}]}}",
	  VCPUID_E_PARSE, "kvm.capabilities[0].value: expected a number" },
	{ HEAD KVM_PRE "\"capabilities\":[{\"name\":\"A\",\"value\":\"-1\"}]}}",
	  VCPUID_E_PARSE, "kvm.capabilities[0].value: bad number \"-1\"" },
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
		/* and profile_fast.c's reader did not take it */
		if (vcpuid_profile_parse_plain(bad[i].json, strlen(bad[i].json), &h))
			fail_msg("case %zu: the plain reader took it", i);
	}
}

/* Both readers on text t: the plain reader (if it takes t, or must) and the
 * jansson reader (forced by an unknown key, which it ignores) read the same
 * host. */
static void same_host_both_readers(const char *t, bool plain_must_take)
{
	vcpuid_host a, b;
	vcpuid_error err = { 0 };
	bool took = vcpuid_profile_parse_plain(t, strlen(t), &a);
	if (plain_must_take && !took)
		fail_msg("the plain reader did not take vcpuid's own profile");
	if (!took)
		assert_int_equal(vcpuid_profile_parse(t, strlen(t), "t", &a, &err), 0);
	const char *brace = strchr(t, '{');
	assert_non_null(brace);
	size_t n = strlen(t) + 64;
	char *v = malloc(n);
	assert_non_null(v);
	snprintf(v, n, "%.*s{\"x-not-read\":[0.5,true,\"\\u00e9\"],%s",
		 (int)(brace - t), t, brace + 1);
	assert_false(vcpuid_profile_parse_plain(v, strlen(v), &b));
	assert_int_equal(vcpuid_profile_parse(v, strlen(v), "v", &b, &err), 0);
	char *ja = vcpuid_profile_to_json(&a), *jb = vcpuid_profile_to_json(&b);
	assert_non_null(ja);
	assert_non_null(jb);
	assert_string_equal(ja, jb);
	assert_string_equal(a.source, b.source);
	assert_int_equal(a.has_raw, b.has_raw);
	assert_int_equal(a.has_kvm, b.has_kvm);
	assert_int_equal(a.has_microcode, b.has_microcode);
	assert_int_equal(!a.cpuinfo_flags, !b.cpuinfo_flags);
	assert_int_equal(!a.caps, !b.caps);
	assert_int_equal(!a.msr_index_list, !b.msr_index_list);
	assert_int_equal(a.has_refused_msrs, b.has_refused_msrs);
	assert_int_equal(a.n_refused_msrs, b.n_refused_msrs);
	free(ja);
	free(jb);
	free(v);
	vcpuid_host_free(&a);
	vcpuid_host_free(&b);
}

static void plain_reader_reads_as_jansson_reader(void **state)
{
	(void)state;
	/* vcpuid's own profiles: the bundled one and a live probe's */
	const char *root = getenv("VCPUID_SOURCE_ROOT");
	char path[1024];
	snprintf(path, sizeof(path), "%s/profiles/this-host.json", root ? root : ".");
	char *text;
	size_t len;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_read_file(path, &text, &len, &err), 0);
	same_host_both_readers(text, true);
	free(text);
	vcpuid_host h;
	assert_int_equal(vcpuid_probe(&h, &err), 0);
	text = vcpuid_profile_to_json(&h);
	assert_non_null(text);
	vcpuid_host_free(&h);
	same_host_both_readers(text, true);
	/* the same without newlines or indentation */
	size_t k = 0;
	for (size_t i = 0; text[i]; i++)
		if (text[i] != '\n' && text[i] != ' ')
			text[k++] = text[i];
	text[k] = 0;
	same_host_both_readers(text, true);
	free(text);
	/* other tools' profiles: integers, decimal strings, nulls, -0, no
	 * flags in raw_cpuid, capabilities with negative values, no kvm */
	static const char *const others[] = {
		HEAD "\"raw_cpuid\":[{\"function\":0,\"index\":0,\"eax\":22,"
		"\"ebx\":\"0x756e6547\",\"ecx\":\"0X6C65746E\",\"edx\":\"1231384169\"}],"
		"\"kvm\":{\"flavour\":null,\"api_version\":\"12\",\"supported_cpuid\":["
		"{\"function\":\"0x7\",\"index\":\"0\",\"flags\":1,\"eax\":0,"
		"\"ebx\":\"0xffffffff\",\"ecx\":0,\"edx\":0}],\"emulated_cpuid\":[],"
		"\"feature_msrs\":[{\"value\":\"0xffffffffffffffff\",\"index\":\"0x10a\"}],"
		"\"xcomp_guest_supp\":743,\"tsc_khz\":-0,\"msr_index_list\":[],"
		"\"refused_msrs\":[\"0x10a\",266],"
		"\"capabilities\":[{\"name\":\"B\",\"value\":-5},{\"value\":\"0x7\","
		"\"id\":3,\"name\":\"A\"}]},\"microcode\":null,\"cpuinfo_flags\":\"\"}",
		"\r\n\t " HEAD "\"source\":\"\",\"raw_cpuid\":null,\"kvm\":null,"
		"\"kvm_absent\":\"no kvm\",\"kernel\":null} \n",
		"{\"kvm_absent\":\"x\",\"kvm\":{\"feature_msrs\":[],\"supported_cpuid\":"
		"[],\"capabilities\":[]},\"raw_cpuid\":[],\"version\":1,"
		"\"format\":\"vcpuid-host-profile\"}",
	};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		same_host_both_readers(others[i], true);
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

/* A profile with n raw entries (leaves 0x4fff0000 + i), in the plain form
 * or (an escape in "kernel") for the general reader. */
static char *profile_with_raw(size_t n, bool general)
{
	char *b = malloc(256 + n * 128);
	assert_non_null(b);
	int o = sprintf(b, "{\"format\":\"vcpuid-host-profile\",\"version\":1,"
			"%s\"raw_cpuid\":[", general ? "\"kernel\":\"\\u0036\"," : "");
	for (size_t i = 0; i < n; i++)
		o += sprintf(b + o, "%s{\"function\":\"0x%zx\",\"index\":\"0x0\","
			     "\"eax\":\"0x1\",\"ebx\":\"0x0\",\"ecx\":\"0x0\","
			     "\"edx\":\"0x0\"}", i ? "," : "", 0x4fff0000 + i);
	sprintf(b + o, "],\"kvm\":null,\"kvm_absent\":\"none\"}");
	return b;
}

/* docs/exit-codes.md, "Limits": a raw table of VCPUID_MAX_RAW_ENTRIES is
 * read, one more is VCPUID_E_LIMIT, by both readers alike. */
static void table_limits(void **state)
{
	(void)state;
	for (int general = 0; general < 2; general++) {
		vcpuid_host h;
		vcpuid_error err = { 0 };
		char *t = profile_with_raw(VCPUID_MAX_RAW_ENTRIES, general);
		assert_int_equal(vcpuid_host_parse(t, strlen(t), "max.json", &h, &err), 0);
		assert_int_equal(h.raw.n, VCPUID_MAX_RAW_ENTRIES);
		vcpuid_host_free(&h);
		assert_int_equal(vcpuid_profile_parse_plain(t, strlen(t), &h), !general);
		if (!general)
			vcpuid_host_free(&h);
		free(t);
		t = profile_with_raw(VCPUID_MAX_RAW_ENTRIES + 1, general);
		assert_int_equal(vcpuid_host_parse(t, strlen(t), "big.json", &h, &err),
				 VCPUID_E_LIMIT);
		assert_string_equal(err.msg, "big.json: raw_cpuid: more than 4096 "
					     "CPUID entries (the limit)");
		assert_int_equal(vcpuid_profile_parse(t, strlen(t), "big.json", &h,
						      &err), VCPUID_E_LIMIT);
		assert_false(vcpuid_profile_parse_plain(t, strlen(t), &h));
		free(t);
	}
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* A named input is a regular file, read up to VCPUID_MAX_INPUT_BYTES (JSON
 * up to VCPUID_MAX_JSON_BYTES); "-" is standard input, whatever it is. */
static void input_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/vcpuid-test-inputs-XXXXXX", path[96];
	assert_non_null(mkdtemp(dir));
	vcpuid_host h;
	vcpuid_error err = { 0 };

	assert_int_equal(vcpuid_host_load(dir, &h, &err), VCPUID_E_IO);
	assert_non_null(strstr(err.msg, ": is a directory"));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(vcpuid_host_load(path, &h, &err), VCPUID_E_IO); /* no wait */
	assert_non_null(strstr(err.msg, "/fifo: not a regular file (a FIFO"));
	unlink(path);
	assert_int_equal(vcpuid_host_load("/dev/zero", &h, &err), VCPUID_E_IO);
	assert_string_equal(err.msg, "/dev/zero: not a regular file (a character device)");

	snprintf(path, sizeof(path), "%s/big", dir);
	write_text(path, "");
	assert_int_equal(truncate(path, VCPUID_MAX_INPUT_BYTES + 1), 0);
	assert_int_equal(vcpuid_host_load(path, &h, &err), VCPUID_E_LIMIT);
	assert_non_null(strstr(err.msg, "/big: more than 16777216 bytes (the limit of an input)"));
	unlink(path);

	/* JSON: a small profile padded past 4 MiB with blanks */
	char *t = profile_with_raw(1, false);
	size_t n = strlen(t), len = VCPUID_MAX_JSON_BYTES + 1;
	char *pad = malloc(len + 1);
	assert_non_null(pad);
	memcpy(pad, t, n);
	memset(pad + n, ' ', len - n);
	pad[len] = 0;
	assert_int_equal(vcpuid_host_parse(pad, len, "pad.json", &h, &err), VCPUID_E_LIMIT);
	assert_string_equal(err.msg, "pad.json: more than 4194304 bytes of JSON (the limit)");
	assert_int_equal(vcpuid_host_parse(pad, len - 1, "pad.json", &h, &err), 0);
	vcpuid_host_free(&h);
	free(pad);

	/* standard input: a pipe, non-blocking even */
	int p[2], saved = dup(0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], t, n), (ssize_t)n);
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	dup2(p[0], 0);
	close(p[0]);
	assert_int_equal(vcpuid_host_load("-", &h, &err), 0);
	assert_int_equal(h.raw.n, 1);
	vcpuid_host_free(&h);
	dup2(saved, 0);
	close(saved);
	free(t);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_through_file),
		cmocka_unit_test(numbers_as_integers_or_strings),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(plain_reader_reads_as_jansson_reader),
		cmocka_unit_test(minimal_profile_from_another_tool),
		cmocka_unit_test(table_limits),
		cmocka_unit_test(input_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
