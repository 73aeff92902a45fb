/* SPDX-License-Identifier: MIT */
/* host/kvm_door.c without /dev/kvm: the device path ($VCPUID_KVM_DEVICE),
 * the VCPUID_E_NOKVM (exit code 6) error for a device that is missing, a
 * directory or not a KVM character device, and the capability table. */
#include <errno.h>
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
#include "host/kvm_door.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/vcpuid-test-kvm-door-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	unsetenv(VCPUID_KVM_DEVICE_ENV);
	return rmdir(dir);
}

static void device_path(void **state)
{
	(void)state;
	assert_string_equal(VCPUID_KVM_DEVICE_ENV, "VCPUID_KVM_DEVICE");
	unsetenv(VCPUID_KVM_DEVICE_ENV);
	assert_string_equal(vp_kvm_device(), "/dev/kvm");
	setenv(VCPUID_KVM_DEVICE_ENV, "", 1);	/* empty: the default */
	assert_string_equal(vp_kvm_device(), "/dev/kvm");
	setenv(VCPUID_KVM_DEVICE_ENV, "/nonexistent/kvm", 1);
	assert_string_equal(vp_kvm_device(), "/nonexistent/kvm");
	unsetenv(VCPUID_KVM_DEVICE_ENV);
}

static void missing_device(void **state)
{
	(void)state;
	char dev[128], want[512];
	snprintf(dev, sizeof(dev), "%s/kvm", dir);
	setenv(VCPUID_KVM_DEVICE_ENV, dev, 1);
	vcpuid_error err = { 0 };
	assert_int_equal(vp_kvm_device_open(&err), -1);
	assert_int_equal(err.code, VCPUID_E_NOKVM);
	assert_int_equal(VCPUID_E_NOKVM, 6);
	snprintf(want, sizeof(want), "%s: cannot open: %s (errno %d; KVM not "
		 "available: load kvm_intel, kvm_amd or kvm_pvm)", dev,
		 strerror(ENOENT), ENOENT);
	assert_string_equal(err.msg, want);
	unsetenv(VCPUID_KVM_DEVICE_ENV);
}

static void directory_device(void **state)
{
	(void)state;
	char want[512];
	setenv(VCPUID_KVM_DEVICE_ENV, dir, 1);
	vcpuid_error err = { 0 };
	assert_int_equal(vp_kvm_device_open(&err), -1);
	assert_int_equal(err.code, VCPUID_E_NOKVM);
	snprintf(want, sizeof(want), "%s: cannot open: %s (errno %d)", dir,
		 strerror(EISDIR), EISDIR);
	assert_string_equal(err.msg, want);
	unsetenv(VCPUID_KVM_DEVICE_ENV);
}

/* A regular file and a character device that is not KVM: both open, and
 * KVM_GET_API_VERSION says what they are not. */
static void not_kvm(void **state)
{
	(void)state;
	char dev[128], want[512];
	snprintf(dev, sizeof(dev), "%s/kvm", dir);
	FILE *f = fopen(dev, "w");
	assert_non_null(f);
	fclose(f);
	const char *devs[] = { dev, "/dev/null" };
	int lowest = dup(0);	/* the lowest free descriptor before */
	assert_true(lowest >= 0);
	close(lowest);
	for (int i = 0; i < 2; i++) {
		setenv(VCPUID_KVM_DEVICE_ENV, devs[i], 1);
		vcpuid_error err = { 0 };
		assert_int_equal(vp_kvm_device_open(&err), -1);
		assert_int_equal(err.code, VCPUID_E_NOKVM);
		snprintf(want, sizeof(want), "%s: not a KVM device: "
			 "KVM_GET_API_VERSION failed: %s (errno %d)", devs[i],
			 strerror(ENOTTY), ENOTTY);
		assert_string_equal(err.msg, want);
	}
	/* no descriptor left open by the failures */
	int fd = dup(0);
	assert_int_equal(fd, lowest);
	close(fd);
	unlink(dev);
	unsetenv(VCPUID_KVM_DEVICE_ENV);
}

/* Whoever loads "live" without a device gets that error and no host, unless
 * the KVM part is optional (a capture). */
static void live_host_without_device(void **state)
{
	(void)state;
	char dev[128];
	snprintf(dev, sizeof(dev), "%s/kvm", dir);
	setenv(VCPUID_KVM_DEVICE_ENV, dev, 1);
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_host_load("live", &h, &err), VCPUID_E_NOKVM);
	assert_non_null(strstr(err.msg, dev));
	assert_non_null(strstr(err.msg, ": cannot open: "));
	assert_null(h.raw.e);
	assert_false(h.has_kvm);

	assert_int_equal(vcpuid_probe_ex(&h, VCPUID_PROBE_KVM_OPTIONAL, &err), 0);
	assert_false(h.has_kvm);
	assert_true(h.has_raw);
	assert_int_equal(h.supported.n, 0);
	char want[200];
	snprintf(want, sizeof(want), "%s: cannot open: %s", dev, strerror(ENOENT));
	assert_true(!strncmp(h.kvm_absent, want, strlen(want)));
	vcpuid_host_free(&h);
	unsetenv(VCPUID_KVM_DEVICE_ENV);
}

/* data/kvm_caps.def read here on its own: every KVM_CAP(name, id) line */
struct cap_line {
	char name[48];
	unsigned id;
};

static size_t read_def(struct cap_line *out, size_t max)
{
	const char *root = getenv("VCPUID_SOURCE_ROOT");
	char path[512];
	snprintf(path, sizeof(path), "%s/src/lib/data/kvm_caps.def",
		 root ? root : ".");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[256];
	size_t n = 0;
	while (fgets(line, sizeof(line), f))
		if (n < max && sscanf(line, "KVM_CAP(%47[A-Z0-9_], %u)",
				      out[n].name, &out[n].id) == 2)
			n++;
	fclose(f);
	return n;
}

static void caps_table(void **state)
{
	(void)state;
	struct cap_line def[256];
	size_t n = read_def(def, 256);
	assert_true(n >= 30);
	vcpuid_host h;
	vcpuid_host_init(&h);
	assert_int_equal(vp_kvm_caps_init(&h), 0);
	assert_int_equal(h.n_caps, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(h.caps[i].name, def[i].name);
		assert_int_equal(h.caps[i].id, def[i].id);
		assert_int_equal(h.caps[i].value, 0);
		assert_ptr_equal(vcpuid_host_cap(&h, def[i].name), &h.caps[i]);
	}
	const vcpuid_kvm_cap *c = vcpuid_host_cap(&h, "KVM_CAP_XSAVE");
	assert_non_null(c);
	assert_int_equal(c->id, 55);
	c = vcpuid_host_cap(&h, "KVM_CAP_GET_TSC_KHZ");
	assert_non_null(c);
	assert_int_equal(c->id, 61);
	vcpuid_host_free(&h);

	/* the signature: FNV-1a of the ids in order, xor the count */
	uint64_t sig = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		sig = (sig ^ def[i].id) * 0x100000001b3ull;
	sig ^= n;
	assert_true(vp_kvm_caps_signature() == sig);
	assert_true(vp_kvm_caps_signature() == vp_kvm_caps_signature());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(device_path),
		cmocka_unit_test(missing_device),
		cmocka_unit_test(directory_device),
		cmocka_unit_test(not_kvm),
		cmocka_unit_test(live_host_without_device),
		cmocka_unit_test(caps_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
