/* SPDX-License-Identifier: MIT */
/* vcpuid_write_file: atomic for regular files, in place for anything else
 * (a device or FIFO such as /dev/null must never be renamed over). */
#include <fcntl.h>
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
#include "output.h"

static void fifo_is_written_in_place(void **state)
{
	(void)state;
	char dir[] = "/tmp/vcpuid-test-out-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	int rd = open(path, O_RDWR | O_NONBLOCK); /* a reader: writes do not block */
	assert_true(rd >= 0);
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_write_file(path, "hello", 5, &err), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	char buf[8] = { 0 };
	assert_int_equal(read(rd, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "hello");
	close(rd);
	unlink(path);
	rmdir(dir);
}

static void regular_file_is_replaced_whole(void **state)
{
	(void)state;
	char dir[] = "/tmp/vcpuid-test-out-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/out.json", dir);
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_write_file(path, "first, longer text", 18, &err), 0);
	assert_int_equal(vcpuid_write_file(path, "second", 6, &err), 0);
	char *buf;
	size_t len;
	assert_int_equal(vcpuid_read_file(path, &buf, &len, &err), 0);
	assert_int_equal(len, 6);
	assert_string_equal(buf, "second");
	free(buf);
	/* A directory that does not exist: an error, nothing left behind. */
	char bad[96];
	snprintf(bad, sizeof(bad), "%s/missing/out.json", dir);
	assert_int_equal(vcpuid_write_file(bad, "x", 1, &err), VCPUID_E_IO);
	unlink(path);
	assert_int_equal(rmdir(dir), 0); /* empty: no temporary left */
}

/* A symlink at the target is replaced, never written through; the mode of
 * the caller's own replaced file is kept; nothing is left beside it. */
static void symlink_replaced_mode_kept(void **state)
{
	(void)state;
	char dir[] = "/tmp/vcpuid-test-out-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char victim[64], link[64], file[64];
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(file, sizeof(file), "%s/file", dir);
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_write_file(victim, "secret", 6, &err), 0);
	assert_int_equal(symlink("victim", link), 0);
	assert_int_equal(vcpuid_write_file(link, "new", 3, &err), 0);
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	char *buf;
	size_t len;
	assert_int_equal(vcpuid_read_file(victim, &buf, &len, &err), 0);
	assert_string_equal(buf, "secret");
	free(buf);
	assert_int_equal(vcpuid_write_file(file, "a", 1, &err), 0);
	assert_int_equal(chmod(file, 0640), 0);
	assert_int_equal(vcpuid_write_file(file, "b", 1, &err), 0);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	/* an empty name is refused, a name too long for the directory too */
	assert_int_equal(vcpuid_write_file("", "x", 1, &err), VCPUID_E_USAGE);
	char lng[400];
	snprintf(lng, sizeof(lng), "%s/%0300d", dir, 0);
	assert_int_equal(vcpuid_write_file(lng, "x", 1, &err), VCPUID_E_IO);
	assert_non_null(strstr(err.msg, "too long"));
	unlink(victim);
	unlink(link);
	unlink(file);
	assert_int_equal(rmdir(dir), 0); /* nothing else left */
}

/* The named-temporary path (file systems without O_TMPFILE): the same
 * guarantees, and the temporary never outlives the call. */
static void named_temporary_path(void **state)
{
	(void)state;
	char dir[] = "/tmp/vcpuid-test-out-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char victim[64], out[64];
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	vcpuid_error err = { 0 };
	assert_int_equal(vp_write_atomic(victim, "secret", 6, -1, VP_WRITE_NAMED,
					 &err), 0);
	assert_int_equal(symlink("victim", out), 0);
	assert_int_equal(vp_write_atomic(out, "new", 3, 0640, VP_WRITE_NAMED, &err), 0);
	struct stat st;
	assert_int_equal(lstat(out, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(vp_write_atomic(out, "newer", 5, -1, VP_WRITE_NAMED, &err), 0);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640); /* kept */
	assert_int_equal(st.st_size, 5);
	char *buf;
	size_t len;
	assert_int_equal(vcpuid_read_file(victim, &buf, &len, &err), 0);
	assert_string_equal(buf, "secret");
	free(buf);
	/* a long name: the temporary still fits NAME_MAX */
	char lng[320];
	snprintf(lng, sizeof(lng), "%s/%0250d", dir, 7);
	assert_int_equal(vp_write_atomic(lng, "x", 1, -1, VP_WRITE_NAMED, &err), 0);
	unlink(lng);
	unlink(victim);
	unlink(out);
	assert_int_equal(rmdir(dir), 0); /* no temporary left */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fifo_is_written_in_place),
		cmocka_unit_test(regular_file_is_replaced_whole),
		cmocka_unit_test(symlink_replaced_mode_kept),
		cmocka_unit_test(named_temporary_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
