/* SPDX-License-Identifier: MIT */
/* hostcache.c: the file format (a round trip; every damaged byte, every
 * truncation and any other key is refused) and, on real /dev/kvm, the cache
 * a lazily probed host reads: a hit gives what KVM gives, and a file or
 * directory others could write, a symlink, or another device node is not
 * read. The live part exits 77 (skip) only when /dev/kvm does not exist. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>
#include "vcpuid.h"
#include "pin_cpu.h"
#include "host/hostcache.h"
#include "host/kvm_door.h"

static char dir[64];
static char file[128];

/* A host whose KVM part has something in every field. */
static void sample_host(vcpuid_host *h)
{
	vcpuid_error err = { 0 };
	vcpuid_host_init(h);
	if (vcpuid_host_load("bundled:fc-intel-sapphirerapids-6.1", h, &err))
		fail_msg("%s", err.msg);
	free(h->caps);
	h->caps = NULL;
	h->n_caps = 0;
	assert_int_equal(vp_kvm_caps_init(h), 0);
	for (size_t i = 0; i < h->n_caps; i++)
		h->caps[i].value = (int64_t)(i * 3) - 1;
	assert_int_equal(vcpuid_table_add(&h->emulated, 7, 0, 1, 1, 2, 3, 4) != NULL, 1);
	/* IA32_VMX_BASIC: not among the fingerprint's feature MSRs (the same
	 * MSR twice is refused, as by the profile reader) */
	assert_int_equal(vcpuid_msr_list_add(&h->feature_msrs, 0x480, 0xabcdef), 0);
	free(h->msr_index_list);
	h->msr_index_list = calloc(3, sizeof(uint32_t));
	h->msr_index_list[0] = 0x10;
	h->msr_index_list[1] = 0xc0000080;
	h->msr_index_list[2] = 0x3a;
	h->n_msr_index_list = 3;
	h->kvm_api_version = 12;
	h->has_xcomp_guest_supp = true;
	h->xcomp_guest_supp = 0x602e7;
}

/* The KVM part alone, as profile JSON (what the cache must reproduce). */
static char *kvm_json(const vcpuid_host *h)
{
	vcpuid_host k;
	vcpuid_host_init(&k);
	k.has_kvm = true;
	k.kvm_api_version = h->kvm_api_version;
	vcpuid_table_copy(&k.supported, &h->supported);
	vcpuid_table_copy(&k.emulated, &h->emulated);
	for (size_t i = 0; i < h->feature_msrs.n; i++)
		vcpuid_msr_list_add(&k.feature_msrs, h->feature_msrs.m[i].index,
				    h->feature_msrs.m[i].value);
	k.msr_index_list = calloc(h->n_msr_index_list + 1, sizeof(uint32_t));
	memcpy(k.msr_index_list, h->msr_index_list,
	       h->n_msr_index_list * sizeof(uint32_t));
	k.n_msr_index_list = h->n_msr_index_list;
	k.caps = calloc(h->n_caps + 1, sizeof(*k.caps));
	memcpy(k.caps, h->caps, h->n_caps * sizeof(*k.caps));
	k.n_caps = h->n_caps;
	k.has_xcomp_guest_supp = h->has_xcomp_guest_supp;
	k.xcomp_guest_supp = h->xcomp_guest_supp;
	char *j = vcpuid_profile_to_json(&k);
	vcpuid_host_free(&k);
	assert_non_null(j);
	return j;
}

static const char key[] = "a key: boot, device, microcode";

/* sample_host() as a cache file with `key`. */
static unsigned char *sample_file(vcpuid_host *h, size_t *len)
{
	unsigned char *img;
	sample_host(h);
	assert_int_equal(vp_hostcache_serialize(h, key, sizeof(key), &img, len), 0);
	return img;
}

static void format_round_trip(void **state)
{
	(void)state;
	vcpuid_host h, back;
	size_t len;
	unsigned char *img = sample_file(&h, &len);
	vcpuid_host_init(&back);
	assert_int_equal(vp_hostcache_parse(img, len, key, sizeof(key), &back), 0);
	char *a = kvm_json(&h), *b = kvm_json(&back);
	assert_string_equal(a, b);
	free(a);
	free(b);
	vcpuid_host_free(&back);
	vcpuid_host_free(&h);
	free(img);
}

/* h as a cache file read back (0) or refused (-1); and the same KVM part
 * as a profile, which the profile reader must refuse or take alike. */
static int cache_and_profile_agree(const vcpuid_host *h)
{
	unsigned char *img;
	size_t len;
	vcpuid_host back;
	vcpuid_error err = { 0 };
	assert_int_equal(vp_hostcache_serialize(h, key, sizeof(key), &img, &len), 0);
	vcpuid_host_init(&back);
	int rc = vp_hostcache_parse(img, len, key, sizeof(key), &back);
	free(img);
	vcpuid_host_free(&back);
	char *j = kvm_json(h);
	int prc = vcpuid_host_parse(j, strlen(j), "cache.json", &back, &err);
	free(j);
	if (!prc)
		vcpuid_host_free(&back);
	if ((rc == 0) != (prc == 0))
		fail_msg("the cache reader %s, the profile reader %s (%s)",
			 rc ? "refuses" : "accepts", prc ? "refuses" : "accepts",
			 err.msg);
	return rc;
}

/* What the profile reader refuses, the cache reader refuses (vp_host_check):
 * a CPUID entry twice, a feature MSR twice, more entries than KVM gives. */
static void held_to_the_profile_rules(void **state)
{
	(void)state;
	vcpuid_host h;
	sample_host(&h);
	assert_int_equal(cache_and_profile_agree(&h), 0);

	const vcpuid_cpuid_entry e = h.supported.e[1];
	assert_non_null(vcpuid_table_add(&h.supported, e.function, e.index, e.flags,
					 1, 2, 3, 4));
	assert_int_equal(cache_and_profile_agree(&h), -1);
	h.supported.n--;
	assert_non_null(vcpuid_table_add(&h.emulated, 7, 0, 1, 5, 6, 7, 8));
	assert_int_equal(cache_and_profile_agree(&h), -1);
	h.emulated.n--;
	assert_int_equal(cache_and_profile_agree(&h), 0);

	assert_int_equal(vcpuid_msr_list_add(&h.feature_msrs,
					     h.feature_msrs.m[0].index, 1), 0);
	assert_int_equal(cache_and_profile_agree(&h), -1);
	h.feature_msrs.n--;

	/* KVM's CPUID tables hold at most VCPUID_MAX_KVM_ENTRIES entries */
	for (uint32_t i = 0; h.supported.n < VCPUID_MAX_KVM_ENTRIES; i++)
		assert_non_null(vcpuid_table_add(&h.supported, 0x4fff0000 + i, 0,
						 0, i, 0, 0, 0));
	assert_int_equal(cache_and_profile_agree(&h), 0);
	assert_non_null(vcpuid_table_add(&h.supported, 0x4ffeffff, 0, 0, 0, 0,
					 0, 0));
	assert_int_equal(cache_and_profile_agree(&h), -1);
	h.supported.n = 0;
	for (uint32_t i = 0; i <= VCPUID_MAX_KVM_ENTRIES; i++)
		assert_non_null(vcpuid_table_add(&h.emulated, 0x4fff0000 + i, 0,
						 0, i, 0, 0, 0));
	assert_int_equal(cache_and_profile_agree(&h), -1);
	vcpuid_host_free(&h);
}

static void damage_is_refused(void **state)
{
	(void)state;
	vcpuid_host h, back;
	size_t len;
	unsigned char *img = sample_file(&h, &len);
	vcpuid_host_free(&h);
	vcpuid_host_init(&back);
	for (size_t i = 0; i < len; i++) {
		img[i] ^= 0x40;
		if (!vp_hostcache_parse(img, len, key, sizeof(key), &back))
			fail_msg("byte %zu of %zu damaged and accepted", i, len);
		img[i] ^= 0x40;
		if (!vp_hostcache_parse(img, i, key, sizeof(key), &back))
			fail_msg("cut to %zu of %zu bytes and accepted", i, len);
	}
	/* nothing was left behind by the refusals */
	assert_int_equal(back.supported.n, 0);
	assert_null(back.caps);
	char other[sizeof(key)];
	memcpy(other, key, sizeof(key));
	other[0] ^= 1;
	assert_int_equal(vp_hostcache_parse(img, len, other, sizeof(other), &back), -1);
	assert_int_equal(vp_hostcache_parse(img, len, key, sizeof(key) - 1, &back), -1);
	unsigned char *longer = malloc(len + 1);
	memcpy(longer, img, len);
	longer[len] = 0;
	assert_int_equal(vp_hostcache_parse(longer, len + 1, key, sizeof(key), &back), -1);
	free(longer);
	assert_int_equal(vp_hostcache_parse(img, len, key, sizeof(key), &back), 0);
	vcpuid_host_free(&back);
	free(img);
}

/* ---------------- live ---------------- */

static bool have_kvm(void)
{
	return access("/dev/kvm", R_OK | W_OK) == 0;
}

static void probe_cached(vcpuid_host *h)
{
	vcpuid_error err = { 0 };
	if (vcpuid_probe_ex(h, VCPUID_PROBE_LAZY | VCPUID_PROBE_CACHE, &err))
		fail_msg("%s", err.msg);
	assert_true(h->has_kvm);
}

/* Write a cache file for `dev` whose XCOMP_GUEST_SUPP is `mark`, with the
 * key the probe computes now: a probe that reads the file shows the mark. */
static void plant(const char *dev, const vcpuid_host *real, uint64_t mark)
{
	struct vp_hostcache c;
	assert_true(vp_hostcache_begin(&c, dev));
	vcpuid_host h;
	vcpuid_host_init(&h);
	h.has_kvm = true;
	vcpuid_table_copy(&h.supported, &real->supported);
	assert_int_equal(vp_kvm_caps_init(&h), 0);
	for (size_t i = 0; i < h.n_caps; i++)
		h.caps[i].value = real->caps[i].value;
	h.kvm_api_version = real->kvm_api_version;
	h.has_xcomp_guest_supp = true;
	h.xcomp_guest_supp = mark;
	unsigned char *img;
	size_t len;
	assert_int_equal(vp_hostcache_serialize(&h, c.key, c.key_len, &img, &len), 0);
	unlink(c.path);
	int fd = open(c.path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, img, len), (ssize_t)len);
	close(fd);
	free(img);
	vcpuid_host_free(&h);
}

static uint64_t probed_xcomp(void)
{
	vcpuid_host h;
	probe_cached(&h);
	uint64_t v = h.xcomp_guest_supp;
	vcpuid_host_free(&h);
	return v;
}

static void cached_probe_equals_kvm(void **state)
{
	(void)state;
	if (!have_kvm())
		skip();
	vcpuid_host fresh, first, second;
	vcpuid_error err = { 0 };
	setenv("VCPUID_HOST_CACHE", "off", 1);
	assert_int_equal(vcpuid_probe_ex(&fresh, VCPUID_PROBE_LAZY, &err), 0);
	setenv("VCPUID_HOST_CACHE", dir, 1);
	unlink(file);
	probe_cached(&first); /* asks KVM, writes the file */
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	probe_cached(&second); /* reads it */
	char *a = kvm_json(&fresh), *b = kvm_json(&first), *c = kvm_json(&second);
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	free(a);
	free(b);
	free(c);
	/* and a completed cached host is the full capture */
	vcpuid_host full;
	assert_int_equal(vcpuid_probe(&full, &err), 0);
	assert_int_equal(vcpuid_host_complete(&second, &err), 0);
	a = vcpuid_profile_to_json(&full);
	b = vcpuid_profile_to_json(&second);
	assert_string_equal(a, b);
	free(a);
	free(b);
	vcpuid_host_free(&full);
	vcpuid_host_free(&fresh);
	vcpuid_host_free(&first);
	vcpuid_host_free(&second);
}

static void untrusted_files_are_not_read(void **state)
{
	(void)state;
	if (!have_kvm())
		skip();
	vcpuid_host real;
	vcpuid_error err = { 0 };
	setenv("VCPUID_HOST_CACHE", "off", 1);
	assert_int_equal(vcpuid_probe_ex(&real, VCPUID_PROBE_LAZY, &err), 0);
	setenv("VCPUID_HOST_CACHE", dir, 1);
	const uint64_t mark = 0x5a5a0000ull, truth = real.xcomp_guest_supp;
	assert_true(truth != mark);

	plant("/dev/kvm", &real, mark);
	assert_true(probed_xcomp() == mark); /* the file is read */
	assert_true(probed_xcomp() == mark);

	plant("/dev/kvm", &real, mark);
	chmod(file, 0620);
	assert_true(probed_xcomp() == truth); /* group-writable: KVM asked */
	assert_true(probed_xcomp() == truth); /* and the file replaced */

	plant("/dev/kvm", &real, mark);
	chmod(dir, 0777);
	assert_true(probed_xcomp() == truth); /* a directory others write */
	chmod(dir, 0700);

	char link[160];
	snprintf(link, sizeof(link), "%s/elsewhere", dir);
	plant("/dev/kvm", &real, mark);
	rename(file, link);
	assert_int_equal(symlink(link, file), 0);
	assert_true(probed_xcomp() == truth); /* a symlink */
	unlink(link);

	/* a FIFO as the file: not opened for good (no hang), not read */
	unlink(file);
	assert_int_equal(mkfifo(file, 0600), 0);
	assert_true(probed_xcomp() == truth);
	assert_true(probed_xcomp() == truth);

	plant("/dev/kvm", &real, mark);
	setenv("VCPUID_HOST_CACHE", "off", 1);
	assert_true(probed_xcomp() == truth); /* the cache turned off */
	setenv("VCPUID_HOST_CACHE", dir, 1);
	assert_true(probed_xcomp() == mark);
	vcpuid_host_free(&real);
}

/* The key names the device node: a KVM module loaded again makes a new
 * /dev/kvm (new inode and ctime), and a cache of the old one is not read.
 * A second node of the same device (root only: mknod) stands for it. */
static void another_device_node_is_another_key(void **state)
{
	(void)state;
	struct stat kvm;
	if (!have_kvm() || stat("/dev/kvm", &kvm))
		skip();
	char node[160];
	snprintf(node, sizeof(node), "%s/kvm", dir);
	int fd = -1;
	if (mknod(node, S_IFCHR | 0600, kvm.st_rdev) ||
	    (fd = open(node, O_RDWR)) < 0) {
		printf("skip: a second node of /dev/kvm: %s\n", strerror(errno));
		unlink(node);
		skip();
	}
	close(fd);
	setenv("VCPUID_HOST_CACHE", dir, 1);
	vcpuid_host real;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_probe_ex(&real, VCPUID_PROBE_LAZY, &err), 0);
	const uint64_t mark = 0x5a5a0000ull, truth = real.xcomp_guest_supp;

	plant("/dev/kvm", &real, mark);
	setenv("VCPUID_KVM_DEVICE", node, 1);
	assert_true(probed_xcomp() == truth);
	/* the file is now the node's, and read as long as the node stays */
	plant(node, &real, mark);
	assert_true(probed_xcomp() == mark);
	chmod(node, 0660); /* a new ctime, as a node made again has */
	chmod(node, 0600);
	assert_true(probed_xcomp() == truth);
	unsetenv("VCPUID_KVM_DEVICE");
	unlink(node);
	vcpuid_host_free(&real);
}

int main(void)
{
	pin_lowest_cpu();
	snprintf(dir, sizeof(dir), "/tmp/vcpuid-hostcache-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(file, sizeof(file), "%s/kvm-host.bin", dir);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_round_trip),
		cmocka_unit_test(damage_is_refused),
		cmocka_unit_test(held_to_the_profile_rules),
		cmocka_unit_test(cached_probe_equals_kvm),
		cmocka_unit_test(untrusted_files_are_not_read),
		cmocka_unit_test(another_device_node_is_another_key),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		rc = rc ? rc : 1;
	return rc;
}
