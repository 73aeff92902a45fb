/* SPDX-License-Identifier: MIT */
/* fileio.c: vcpuid_read_file takes a regular file or standard input of at
 * most VCPUID_MAX_INPUT_BYTES and refuses the rest with a message naming
 * them; vcpuid_write_file replaces a file whole or not at all. Everything
 * happens in a fresh directory under $TMPDIR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "vcpuid.h"

static char dir[256];

static const char *in_dir(const char *name)
{
	static char p[2][512];
	static int k;
	k ^= 1;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static int setup(void **state)
{
	(void)state;
	const char *t = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/vcpuid-fileio-XXXXXX", t && *t ? t : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			const char *p = in_dir(e->d_name);
			if (unlink(p))
				rmdir(p);
		}
	if (d)
		closedir(d);
	return rmdir(dir);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Entries of the directory other than . and .. */
static int entries(void)
{
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void read_regular(void **state)
{
	(void)state;
	const char *p = in_dir("a.txt");
	put(p, "abc\n");
	char *buf = NULL;
	size_t len = 0;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_read_file(p, &buf, &len, &err), 0);
	assert_int_equal(len, 4);
	assert_string_equal(buf, "abc\n"); /* NUL-terminated */
	free(buf);
	/* an empty file is an empty input */
	put(p, "");
	assert_int_equal(vcpuid_read_file(p, &buf, &len, &err), 0);
	assert_int_equal(len, 0);
	assert_int_equal(buf[0], 0);
	free(buf);
	unlink(p);
}

static void read_refusals(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	vcpuid_error err = { 0 };
	char want[700];

	assert_int_equal(vcpuid_read_file(dir, &buf, &len, &err), VCPUID_E_IO);
	snprintf(want, sizeof(want), "%s: is a directory", dir);
	assert_string_equal(err.msg, want);

	const char *fifo = in_dir("fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* no writer: must not block */
	assert_int_equal(vcpuid_read_file(fifo, &buf, &len, &err), VCPUID_E_IO);
	snprintf(want, sizeof(want), "%s: not a regular file (a FIFO; give it as "
		 "- on standard input)", fifo);
	assert_string_equal(err.msg, want);
	unlink(fifo);

	assert_int_equal(vcpuid_read_file("/dev/null", &buf, &len, &err), VCPUID_E_IO);
	assert_string_equal(err.msg, "/dev/null: not a regular file (a character device)");

	const char *none = in_dir("missing");
	assert_int_equal(vcpuid_read_file(none, &buf, &len, &err), VCPUID_E_IO);
	snprintf(want, sizeof(want), "%s: No such file or directory", none);
	assert_string_equal(err.msg, want);
	assert_null(buf);
}

/* A (sparse) file of limit + 1 bytes is refused from its size; exactly the
 * limit is read. */
static void read_limit(void **state)
{
	(void)state;
	const char *p = in_dir("big");
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)VCPUID_MAX_INPUT_BYTES + 1), 0);
	char *buf = NULL;
	size_t len = 0;
	vcpuid_error err = { 0 };
	char want[700];
	assert_int_equal(vcpuid_read_file(p, &buf, &len, &err), VCPUID_E_LIMIT);
	snprintf(want, sizeof(want),
		 "%s: more than 16777216 bytes (the limit of an input)", p);
	assert_string_equal(err.msg, want);
	assert_null(buf);
	assert_int_equal(ftruncate(fd, (off_t)VCPUID_MAX_INPUT_BYTES), 0);
	close(fd);
	assert_int_equal(vcpuid_read_file(p, &buf, &len, &err), 0);
	assert_int_equal(len, VCPUID_MAX_INPUT_BYTES);
	assert_int_equal(buf[len], 0);
	free(buf);
	unlink(p);
}

/* Run vcpuid_read_file("-") with standard input from path. */
static int read_stdin_from(const char *path, char **buf, size_t *len,
			   vcpuid_error *err)
{
	int saved = dup(STDIN_FILENO);
	int fd = open(path, O_RDONLY);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDIN_FILENO);
	close(fd);
	int rc = vcpuid_read_file("-", buf, len, err);
	dup2(saved, STDIN_FILENO);
	close(saved);
	return rc;
}

static void read_stdin(void **state)
{
	(void)state;
	const char *p = in_dir("in");
	put(p, "{\"x\": 1}");
	char *buf = NULL;
	size_t len = 0;
	vcpuid_error err = { 0 };
	assert_int_equal(read_stdin_from(p, &buf, &len, &err), 0);
	assert_int_equal(len, 8);
	assert_string_equal(buf, "{\"x\": 1}");
	free(buf);
	buf = NULL;
	/* standard input has no size to look at: the limit is counted */
	int fd = open(p, O_WRONLY | O_TRUNC);
	assert_int_equal(ftruncate(fd, (off_t)VCPUID_MAX_INPUT_BYTES + 1), 0);
	close(fd);
	assert_int_equal(read_stdin_from(p, &buf, &len, &err), VCPUID_E_LIMIT);
	assert_string_equal(err.msg, "standard input: more than 16777216 bytes "
			    "(the limit of an input)");
	assert_null(buf);
	unlink(p);
}

static void write_replaces(void **state)
{
	(void)state;
	const char *p = in_dir("out.json");
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_write_file(p, "first\n", 6, &err), 0);
	put(p, "a longer old content\n");
	assert_int_equal(chmod(p, 0600), 0);
	assert_int_equal(vcpuid_write_file(p, "new", 3, &err), 0);
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(vcpuid_read_file(p, &buf, &len, &err), 0);
	assert_int_equal(len, 3);
	assert_string_equal(buf, "new"); /* replaced, not overwritten in place */
	free(buf);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600); /* the owner's mode kept */
	assert_int_equal(entries(), 1);	/* no temporary left */
	unlink(p);
}

/* A symlink at the target is replaced, not followed. */
static void write_symlink(void **state)
{
	(void)state;
	const char *victim = in_dir("victim");
	const char *link = in_dir("link");
	put(victim, "keep");
	assert_int_equal(symlink(victim, link), 0);
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_write_file(link, "data", 4, &err), 0);
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(vcpuid_read_file(victim, &buf, &len, &err), 0);
	assert_string_equal(buf, "keep");
	free(buf);
	unlink(victim);
	unlink(link);
}

/* A write that fails half-way (RLIMIT_FSIZE: EFBIG after 4 KiB) leaves the
 * old file whole and no temporary behind. */
static void write_no_partial(void **state)
{
	(void)state;
	const char *p = in_dir("victim.json");
	put(p, "old");
	size_t n = 64 * 1024;
	char *data = malloc(n);
	memset(data, 'x', n);
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 4096;
	void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	vcpuid_error err = { 0 };
	int rc = vcpuid_write_file(p, data, n, &err);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, prev);
	free(data);
	assert_int_equal(rc, VCPUID_E_IO);
	assert_non_null(strstr(err.msg, "File too large"));
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(vcpuid_read_file(p, &buf, &len, &err), 0);
	assert_string_equal(buf, "old");
	free(buf);
	assert_int_equal(entries(), 1);
	/* a new file that fails is not created at all */
	unlink(p);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 1;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	rc = vcpuid_write_file(p, "0123456789", 10, &err);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, prev);
	assert_int_equal(rc, VCPUID_E_IO);
	assert_int_equal(entries(), 0);
}

static void write_errors(void **state)
{
	(void)state;
	vcpuid_error err = { 0 };
	char want[700];
	assert_int_equal(vcpuid_write_file("", "x", 1, &err), VCPUID_E_USAGE);
	assert_string_equal(err.msg, "empty output file name");
	assert_int_equal(vcpuid_write_file(NULL, "x", 1, &err), VCPUID_E_USAGE);
	const char *p = in_dir("nodir/out");
	assert_int_equal(vcpuid_write_file(p, "x", 1, &err), VCPUID_E_IO);
	snprintf(want, sizeof(want), "%s: No such file or directory", p);
	assert_string_equal(err.msg, want);
	snprintf(want, sizeof(want), "%s/", dir);
	assert_int_equal(vcpuid_write_file(want, "x", 1, &err), VCPUID_E_IO);
	assert_int_equal(entries(), 0);
}

/* "-" is standard output, written as it is. */
static void write_stdout(void **state)
{
	(void)state;
	const char *p = in_dir("stdout");
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	vcpuid_error err = { 0 };
	int rc = vcpuid_write_file("-", "to stdout\n", 10, &err);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	assert_int_equal(rc, 0);
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(vcpuid_read_file(p, &buf, &len, &err), 0);
	assert_string_equal(buf, "to stdout\n");
	free(buf);
	unlink(p);
}

/* A FIFO is written in place (it cannot be renamed over). */
static void write_fifo(void **state)
{
	(void)state;
	const char *fifo = in_dir("pipe");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int rfd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rfd >= 0);
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_write_file(fifo, "hello", 5, &err), 0);
	char b[16] = { 0 };
	assert_int_equal(read(rfd, b, sizeof(b)), 5);
	assert_string_equal(b, "hello");
	close(rfd);
	struct stat st;
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	unlink(fifo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_regular),
		cmocka_unit_test(read_refusals),
		cmocka_unit_test(read_limit),
		cmocka_unit_test(read_stdin),
		cmocka_unit_test(write_replaces),
		cmocka_unit_test(write_symlink),
		cmocka_unit_test(write_no_partial),
		cmocka_unit_test(write_errors),
		cmocka_unit_test(write_stdout),
		cmocka_unit_test(write_fifo),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
