/* SPDX-License-Identifier: MIT */
/* The bounded file I/O every reader and writer uses: a whole input of at
 * most VCPUID_MAX_INPUT_BYTES from a regular file or standard input, and a
 * whole output written atomically (through vp_write_atomic) or to stdout. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

/* Read all of fd, at most VCPUID_MAX_INPUT_BYTES (a NUL after it). */
static int read_bounded(int fd, const char *name, char **buf, size_t *len,
			vcpuid_error *err)
{
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	for (;;) {
		if (!b)
			return vcpuid_fail(err, VCPUID_E_NOMEM, "%s: out of memory",
					   name);
		if (n > VCPUID_MAX_INPUT_BYTES) {
			free(b);
			return vcpuid_fail(err, VCPUID_E_LIMIT,
					   "%s: more than %u bytes (the limit of an "
					   "input)", name, VCPUID_MAX_INPUT_BYTES);
		}
		if (n + 1 == cap) {
			char *nb = realloc(b, cap * 2);
			if (!nb)
				free(b);
			b = nb;
			cap *= 2;
			continue;
		}
		ssize_t got = read(fd, b + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EAGAIN) {
			/* standard input left non-blocking by whoever gave it */
			struct pollfd p = { .fd = fd, .events = POLLIN };
			poll(&p, 1, -1);
			continue;
		}
		if (got < 0) {
			int e = errno;
			free(b);
			return vcpuid_fail(err, VCPUID_E_IO, "%s: %s", name,
					   strerror(e));
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}

int vcpuid_read_file(const char *path, char **buf, size_t *len,
		     vcpuid_error *err)
{
	if (!strcmp(path, "-"))
		return read_bounded(STDIN_FILENO, "standard input", buf, len, err);
	/* A named input is a regular file: a FIFO or a device (/dev/zero)
	 * would block or never end. O_NONBLOCK: opening a FIFO without a
	 * writer does not wait; fstat then refuses it. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return vcpuid_fail(err, VCPUID_E_IO, "%s: %s", path, strerror(errno));
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st))
		rc = vcpuid_fail(err, VCPUID_E_IO, "%s: %s", path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		rc = vcpuid_fail(err, VCPUID_E_IO, "%s: is a directory", path);
	else if (!S_ISREG(st.st_mode))
		rc = vcpuid_fail(err, VCPUID_E_IO, "%s: not a regular file (%s)",
				 path, S_ISFIFO(st.st_mode) ? "a FIFO; give it as - on "
				 "standard input" : S_ISCHR(st.st_mode) ?
				 "a character device" : S_ISBLK(st.st_mode) ?
				 "a block device" : "a socket");
	else if (st.st_size > (off_t)VCPUID_MAX_INPUT_BYTES)
		rc = vcpuid_fail(err, VCPUID_E_LIMIT,
				 "%s: more than %u bytes (the limit of an input)",
				 path, VCPUID_MAX_INPUT_BYTES);
	else
		rc = read_bounded(fd, path, buf, len, err);
	close(fd);
	return rc;
}

int vcpuid_write_file(const char *path, const char *data, size_t len,
		      vcpuid_error *err)
{
	if (path && !strcmp(path, "-")) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
			return vcpuid_fail(err, VCPUID_E_IO, "write error: %s",
					   strerror(errno));
		return 0;
	}
	return vp_write_atomic(path, data, len, -1, 0, err);
}
