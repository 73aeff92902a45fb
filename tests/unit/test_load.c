/* SPDX-License-Identifier: MIT */
/* host/load.c: a host from bundled:NAME, a profile file, a libcpuid dump, a
 * Firecracker fingerprint or CPU template; the errors for a missing file,
 * a bad or unknown bundled name, an input of no known format; where the
 * bundled profiles are looked for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "vcpuid.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/vcpuid-test-load-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static void put(const char *name, const char *text, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static bool is_empty(const vcpuid_host *h)
{
	static const vcpuid_host zero;
	return !memcmp(h, &zero, sizeof(zero));
}

static const char sr_b[] = "GenuineIntel";

static void bundled_by_name(void **state)
{
	(void)state;
	unsetenv("VCPUID_PROFILE_DIR");
	vcpuid_host h, f;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_host_load("bundled:intel-sapphirerapids-pvm", &h,
					  &err), 0);
	assert_true(h.has_kvm);
	assert_string_equal(h.kvm_flavour, "kvm_pvm");
	char v[13];
	vcpuid_host_vendor(&h, v);
	assert_string_equal(v, sr_b);
	/* the same host as the file itself */
	assert_int_equal(vcpuid_host_load(VCPUID_BUILD_PROFILE_DIR
					  "/intel-sapphirerapids-pvm.json", &f, &err), 0);
	assert_int_equal(h.raw.n, f.raw.n);
	assert_int_equal(h.supported.n, f.supported.n);
	assert_int_equal(h.feature_msrs.n, f.feature_msrs.n);
	assert_memory_equal(h.supported.e, f.supported.e,
			    h.supported.n * sizeof(*h.supported.e));
	vcpuid_host_free(&h);
	vcpuid_host_free(&f);

	/* a Firecracker-derived bundled profile: its origin survives */
	assert_int_equal(vcpuid_host_load("bundled:fc-amd-milan-6.1", &h, &err), 0);
	assert_string_equal(h.origin, "firecracker");
	assert_false(h.has_raw);
	assert_true(h.has_kvm);
	assert_string_equal(h.kvm_flavour, "kvm_amd");
	vcpuid_host_free(&h);
}

static void bad_bundled_names(void **state)
{
	(void)state;
	static const char *names[] = {
		"bundled:", "bundled:../profiles/this-host", "bundled:.hidden",
		"bundled:a/b", "bundled:/etc/passwd",
		"bundled:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		vcpuid_host h;
		vcpuid_error err = { 0 };
		char want[256];
		snprintf(want, sizeof(want), "%s: not a bundled profile name (a plain "
			 "name such as bundled:this-host)", names[i]);
		assert_int_equal(vcpuid_host_load(names[i], &h, &err), VCPUID_E_UNKNOWN);
		assert_int_equal(err.code, VCPUID_E_UNKNOWN);
		assert_string_equal(err.msg, want);
		assert_true(is_empty(&h));
	}
}

static void unknown_bundled_name(void **state)
{
	(void)state;
	unsetenv("VCPUID_PROFILE_DIR");
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_host_load("bundled:no-such-cpu", &h, &err),
			 VCPUID_E_UNKNOWN);
	assert_string_equal(err.msg, "bundled:no-such-cpu: no such bundled profile "
			    "(in " VCPUID_BUILD_PROFILE_DIR ")");
	assert_true(is_empty(&h));
	/* 64 characters is still a name (then not found) */
	assert_int_equal(vcpuid_host_load("bundled:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
					  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &h, &err),
			 VCPUID_E_UNKNOWN);
	assert_non_null(strstr(err.msg, ": no such bundled profile (in "));
}

static void profile_dir_resolution(void **state)
{
	(void)state;
	unsetenv("VCPUID_PROFILE_DIR");
	/* the build tree's profiles/ exists for tests */
	assert_string_equal(vcpuid_profile_dir(), VCPUID_BUILD_PROFILE_DIR);
	setenv("VCPUID_PROFILE_DIR", "", 1);
	assert_string_equal(vcpuid_profile_dir(), VCPUID_BUILD_PROFILE_DIR);
	setenv("VCPUID_PROFILE_DIR", dir, 1);
	assert_string_equal(vcpuid_profile_dir(), dir);

	/* bundled:NAME is NAME.json in that directory */
	char *text;
	size_t len;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_read_file(VCPUID_BUILD_PROFILE_DIR
					  "/fc-intel-icelake-6.1.json", &text, &len,
					  &err), 0);
	char path[256];
	put("mine.json", text, path, sizeof(path));
	free(text);
	vcpuid_host h;
	assert_int_equal(vcpuid_host_load("bundled:mine", &h, &err), 0);
	assert_string_equal(h.kvm_flavour, "kvm_intel");
	vcpuid_host_free(&h);
	/* and a name of the build tree is not found there */
	char want[256];
	snprintf(want, sizeof(want), "bundled:this-host: no such bundled profile "
		 "(in %s)", dir);
	assert_int_equal(vcpuid_host_load("bundled:this-host", &h, &err),
			 VCPUID_E_UNKNOWN);
	assert_string_equal(err.msg, want);
	unlink(path);
	unsetenv("VCPUID_PROFILE_DIR");
}

static void missing_file(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/absent.json", dir);
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_host_load(path, &h, &err), VCPUID_E_IO);
	char want[192];
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err.msg, want);
	assert_true(is_empty(&h));
	/* a directory is no host either */
	assert_int_equal(vcpuid_host_load(dir, &h, &err), VCPUID_E_IO);
	snprintf(want, sizeof(want), "%s: is a directory", dir);
	assert_string_equal(err.msg, want);
}

static void no_known_format(void **state)
{
	(void)state;
	char path[128], want[512];
	vcpuid_host h;
	vcpuid_error err = { 0 };

	put("notes.txt", "hello, this is not a CPUID dump\n", path, sizeof(path));
	assert_int_equal(vcpuid_host_load(path, &h, &err), VCPUID_E_UNKNOWN);
	snprintf(want, sizeof(want), "%s: unknown format (expected a host profile, "
		 "Firecracker fingerprint, cpuid -r, AIDA64 or libcpuid dump)", path);
	assert_string_equal(err.msg, want);
	assert_true(is_empty(&h));
	unlink(path);

	put("other.json", "{\"name\": \"not a CPU\", \"list\": [1, 2]}\n", path,
	    sizeof(path));
	assert_int_equal(vcpuid_host_load(path, &h, &err), VCPUID_E_UNKNOWN);
	snprintf(want, sizeof(want), "%s: JSON, but neither a vcpuid host profile, "
		 "a Firecracker fingerprint or CPU template, nor a Cloud "
		 "Hypervisor CPU profile", path);
	assert_string_equal(err.msg, want);
	assert_true(is_empty(&h));
	unlink(path);

	put("blank.txt", " \n\t\r\n", path, sizeof(path));
	assert_int_equal(vcpuid_host_load(path, &h, &err), VCPUID_E_PARSE);
	snprintf(want, sizeof(want), "%s: empty input", path);
	assert_string_equal(err.msg, want);
	unlink(path);

	/* in memory, the name given is the one in the message */
	assert_int_equal(vcpuid_host_parse("", 0, "mem", &h, &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "mem: empty input");
}

static void libcpuid_dump(void **state)
{
	(void)state;
	static const char lc[] =
		"basic_cpuid[0]=00000001 756e6547 6c65746e 49656e69\n"
		"basic_cpuid[1]=000906ea 00100800 7ffafbbf bfebfbff\n"
		"ext_cpuid[0]=80000001 00000000 00000000 00000000\n"
		"ext_cpuid[1]=00000000 00000000 00000121 2c100800\n";
	char path[128];
	put("dump.txt", lc, path, sizeof(path));
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_host_load(path, &h, &err), 0);
	assert_string_equal(h.origin, "libcpuid");
	assert_string_equal(h.source, path);
	assert_true(h.has_raw);
	assert_false(h.has_kvm);
	assert_int_equal(h.raw.n, 4);
	assert_int_equal(vcpuid_table_reg(&h.raw, 1, 0, VCPUID_EAX), 0x906ea);
	assert_int_equal(vcpuid_table_reg(&h.raw, 0x80000001, 0, VCPUID_EDX),
			 0x2c100800);
	char v[13];
	vcpuid_host_vendor(&h, v);
	assert_string_equal(v, "GenuineIntel");
	vcpuid_host_free(&h);
	unlink(path);
}

static void firecracker_fingerprint(void **state)
{
	(void)state;
	const char *root = getenv("VCPUID_SOURCE_ROOT");
	char path[512];
	snprintf(path, sizeof(path), "%s/tests/data/firecracker/"
		 "fingerprint_INTEL_CASCADELAKE_6.1host.json", root ? root : ".");
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_host_load(path, &h, &err), 0);
	assert_string_equal(h.origin, "firecracker");
	assert_true(h.has_kvm);
	assert_string_equal(h.kernel, "6.1.172-216.329.amzn2023.x86_64");
	assert_true(h.has_microcode);
	assert_true(h.microcode == 0x5003901);
	char v[13];
	vcpuid_host_vendor(&h, v);
	assert_string_equal(v, "GenuineIntel");
	vcpuid_host_free(&h);
}

static void firecracker_template(void **state)
{
	(void)state;
	/* a CPU template: the guest it describes, as a host */
	const char *j =
		"{\"cpuid_modifiers\":[{\"leaf\":\"0x0\",\"subleaf\":\"0x0\","
		"\"flags\":0,\"modifiers\":["
		"{\"register\":\"eax\",\"bitmap\":\"0b00000000000000000000000000001101\"},"
		"{\"register\":\"ebx\",\"bitmap\":\"0b01110101011011100110010101000111\"},"
		"{\"register\":\"ecx\",\"bitmap\":\"0b01101100011001010111010001101110\"},"
		"{\"register\":\"edx\",\"bitmap\":\"0b01001001011001010110111001101001\"}]},"
		"{\"leaf\":\"0x7\",\"subleaf\":\"0x0\",\"flags\":1,\"modifiers\":["
		"{\"register\":\"ebx\",\"bitmap\":\"0b00000000000000000000000000001001\"}]}],"
		"\"msr_modifiers\":[{\"addr\":\"0x10a\",\"bitmap\":"
		"\"0b0000000000000000000000000000000000000000000000000000000000001000\"}]}";
	char path[128];
	put("tmpl.json", j, path, sizeof(path));
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_host_load(path, &h, &err), 0);
	assert_string_equal(h.origin, "firecracker-template");
	assert_true(h.has_kvm);
	/* no cpu_vendor in a Firecracker template (Cloud Hypervisor's has
	 * one), so no KVM flavour is made up */
	assert_string_equal(h.kvm_flavour, "");
	assert_int_equal(vcpuid_table_reg(&h.supported, 0, 0, VCPUID_EAX), 0xd);
	assert_int_equal(vcpuid_table_reg(&h.supported, 7, 0, VCPUID_EBX), 0x9);
	uint64_t v = 0;
	assert_true(vcpuid_msr_list_get(&h.feature_msrs, 0x10a, &v));
	assert_true(v == 0x8);
	vcpuid_host_free(&h);
	unlink(path);
}

/* A Cloud Hypervisor profile names its vendor; a broken template is a
 * parse error of its format, not an unknown one. */
static void cloud_hypervisor_and_broken_template(void **state)
{
	(void)state;
	char path[128], want[256];
	vcpuid_host h;
	vcpuid_error err = { 0 };
	put("ch.json", "{\"cpu_vendor\": \"AMD\", \"adjustments\": []}", path,
	    sizeof(path));
	assert_int_equal(vcpuid_host_load(path, &h, &err), 0);
	assert_string_equal(h.origin, "cloud-hypervisor-profile");
	assert_string_equal(h.kvm_flavour, "kvm_amd");
	assert_true(h.has_kvm);
	vcpuid_host_free(&h);
	unlink(path);

	put("bad.json", "{\"cpuid_modifiers\": {}}", path, sizeof(path));
	assert_int_equal(vcpuid_host_load(path, &h, &err), VCPUID_E_PARSE);
	snprintf(want, sizeof(want), "%s: cpuid_modifiers: expected an array", path);
	assert_string_equal(err.msg, want);
	assert_true(is_empty(&h));
	unlink(path);
}

static int remove_dir(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bundled_by_name),
		cmocka_unit_test(bad_bundled_names),
		cmocka_unit_test(unknown_bundled_name),
		cmocka_unit_test(profile_dir_resolution),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(no_known_format),
		cmocka_unit_test(libcpuid_dump),
		cmocka_unit_test(firecracker_fingerprint),
		cmocka_unit_test(firecracker_template),
		cmocka_unit_test(cloud_hypervisor_and_broken_template),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
