/* SPDX-License-Identifier: MIT */
/* import_firecracker.c: the bundled test fingerprint, all 18 shared
 * fingerprints when the shared data directory is there, and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

static const char *root(void)
{
	const char *r = getenv("VCPUID_SOURCE_ROOT");
	return r ? r : ".";
}

static int load(const char *path, vcpuid_host *h, vcpuid_error *err)
{
	char *buf;
	size_t len;
	int rc = vcpuid_read_file(path, &buf, &len, err);
	if (rc)
		return rc;
	rc = vcpuid_import_firecracker(buf, len, path, h, err);
	free(buf);
	return rc;
}

static void cascadelake(void **state)
{
	(void)state;
	char path[1024];
	snprintf(path, sizeof(path),
		 "%s/tests/data/firecracker/fingerprint_INTEL_CASCADELAKE_6.1host.json",
		 root());
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_host_load(path, &h, &err), 0);
	assert_string_equal(h.origin, "firecracker");
	assert_true(h.has_kvm);
	assert_false(h.has_raw);
	const vcpuid_cpuid_entry *e = vcpuid_table_find(&h.supported, 0, 0);
	assert_non_null(e);
	char v[13];
	memcpy(v, &e->reg[VCPUID_EBX], 4);
	memcpy(v + 4, &e->reg[VCPUID_EDX], 4);
	memcpy(v + 8, &e->reg[VCPUID_ECX], 4);
	v[12] = 0;
	assert_string_equal(v, "GenuineIntel");
	assert_int_equal(e->reg[VCPUID_EAX], 0x16);
	/* leaf 1 EAX 0x50657: family 6 model 0x55 (Cascade Lake) */
	assert_int_equal(vcpuid_table_reg(&h.supported, 1, 0, VCPUID_EAX), 0x50657);
	/* indexed leaves keep Firecracker's flags */
	e = vcpuid_table_find(&h.supported, 7, 0);
	assert_non_null(e);
	assert_int_equal(e->flags, VCPUID_FLAG_SIGNIFICANT_INDEX);
	assert_string_equal(h.kernel, "6.1.172-216.329.amzn2023.x86_64");
	assert_true(h.has_microcode);
	assert_int_equal(h.microcode, 0x5003901);
	assert_string_equal(h.kvm_flavour, "kvm_intel");
	uint64_t val = 0;
	assert_true(vcpuid_msr_list_get(&h.feature_msrs, 0x10a, &val));
	assert_int_equal(val, 0xc0aa0eb);
	/* non-feature MSRs only join the index list */
	assert_false(vcpuid_msr_list_get(&h.feature_msrs, 0x174, &val));
	assert_int_equal(h.n_msr_index_list, 33);
	assert_true(h.has_xcomp_guest_supp);
	assert_int_equal(h.xcomp_guest_supp,
			 vcpuid_table_reg(&h.supported, 0xd, 0, VCPUID_EAX));
	vcpuid_host_free(&h);
}

static void all_shared_fingerprints(void **state)
{
	(void)state;
	const char *cands[] = { "../shared/data/firecracker-fingerprints",
				"../../shared/data/firecracker-fingerprints" };
	char dir[1024];
	DIR *d = NULL;
	for (size_t i = 0; i < 2 && !d; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", root(), cands[i]);
		d = opendir(dir);
	}
	if (!d) {
		print_message("shared fingerprints not found next to %s\n", root());
		skip();
	}
	struct dirent *de;
	unsigned n = 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "fingerprint_", 12))
			continue;
		char path[2048];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		vcpuid_host h;
		vcpuid_error err = { 0 };
		int rc = load(path, &h, &err);
		if (rc)
			fail_msg("%s: %s", de->d_name, err.msg);
		assert_true(h.supported.n > 40);
		assert_true(h.n_msr_index_list > 30);
		bool intel = strstr(de->d_name, "INTEL") != NULL;
		const vcpuid_cpuid_entry *e = vcpuid_table_find(&h.supported, 0, 0);
		assert_non_null(e);
		assert_int_equal(e->reg[VCPUID_EBX], intel ? 0x756e6547 : 0x68747541);
		assert_string_equal(h.kvm_flavour, intel ? "kvm_intel" : "kvm_amd");
		/* and back through the profile format */
		char *j = vcpuid_profile_to_json(&h);
		assert_non_null(j);
		vcpuid_host b;
		assert_int_equal(vcpuid_profile_parse(j, strlen(j), "x", &b, &err), 0);
		char *j2 = vcpuid_profile_to_json(&b);
		assert_string_equal(j, j2);
		free(j);
		free(j2);
		vcpuid_host_free(&b);
		vcpuid_host_free(&h);
		n++;
	}
	closedir(d);
	assert_int_equal(n, 18);
}

static const struct bad {
	const char *json;
	int code;
	const char *fragment;
} bad[] = {
	{ "{\"a\":1}", VCPUID_E_UNKNOWN, "not a Firecracker fingerprint" },
	{ "{\"guest_cpu_config\":{}}", VCPUID_E_UNKNOWN, "not a Firecracker" },
	{ "{\"guest_cpu_config\":{\"cpuid_modifiers\":[{\"leaf\":\"0x0\","
	  "\"subleaf\":\"0x0\",\"flags\":0,\"modifiers\":[{\"register\":\"eax\","
	  "\"bitmap\":\"0b1_0000000000000000000000000000000_0\"}]}]}}",
	  VCPUID_E_PARSE, "f.json: guest_cpu_config.cpuid_modifiers[0]."
	  "modifiers[0].bitmap: more than 32 digits" },
	{ "{\"guest_cpu_config\":{\"cpuid_modifiers\":[{\"leaf\":\"0xq\","
	  "\"subleaf\":\"0x0\",\"modifiers\":[]}]}}", VCPUID_E_PARSE,
	  "guest_cpu_config.cpuid_modifiers[0].leaf: bad number" },
	{ "{\"guest_cpu_config\":{\"cpuid_modifiers\":[{\"leaf\":1,\"subleaf\":0,"
	  "\"modifiers\":[{\"register\":\"esi\",\"bitmap\":\"0b0\"}]}]}}",
	  VCPUID_E_PARSE, "modifiers[0].register: expected eax" },
	{ "{\"guest_cpu_config\":{\"cpuid_modifiers\":[{\"leaf\":1,\"subleaf\":0,"
	  "\"modifiers\":[]},{\"leaf\":1,\"subleaf\":0,\"modifiers\":[]}]}}",
	  VCPUID_E_PARSE, "cpuid_modifiers[1]: duplicate leaf 0x1 subleaf 0x0" },
	{ "{\"guest_cpu_config\":{\"cpuid_modifiers\":[],\"msr_modifiers\":[{\"addr\":"
	  "\"0x10a\",\"bitmap\":\"0b12\"}]}}", VCPUID_E_PARSE,
	  "msr_modifiers[0].bitmap: bad bitmap character '2' at 3" },
	{ "{\"guest_cpu_config\":{\"cpuid_modifiers\":[]}", VCPUID_E_PARSE, "f.json:1:" },
};

static void bad_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vcpuid_host h;
		vcpuid_error err = { 0 };
		vcpuid_host_init(&h);
		int rc = vcpuid_import_firecracker(bad[i].json, strlen(bad[i].json),
						   "f.json", &h, &err);
		if (rc != bad[i].code || !strstr(err.msg, bad[i].fragment))
			fail_msg("case %zu: got %d \"%s\", want %d \"...%s...\"", i,
				 rc, err.msg, bad[i].code, bad[i].fragment);
		vcpuid_host_free(&h);
	}
}

static void x_bits_read_as_zero(void **state)
{
	(void)state;
	const char *j =
		"{\"guest_cpu_config\":{\"cpuid_modifiers\":[{\"leaf\":\"0x1\","
		"\"subleaf\":\"0x0\",\"flags\":0,\"modifiers\":[{\"register\":\"ecx\","
		"\"bitmap\":\"0b1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1\"}]}],"
		"\"msr_modifiers\":[{\"addr\":\"0x10a\",\"bitmap\":\"0bxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1\"}]}}";
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_import_firecracker(j, strlen(j), "x.json", &h, &err), 0);
	assert_int_equal(vcpuid_table_reg(&h.supported, 1, 0, VCPUID_ECX), 0x80000001);
	uint64_t v = 0;
	assert_true(vcpuid_msr_list_get(&h.feature_msrs, 0x10a, &v));
	assert_int_equal(v, 1);
	vcpuid_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cascadelake),
		cmocka_unit_test(all_shared_fingerprints),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(x_bits_read_as_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
