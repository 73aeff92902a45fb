/* SPDX-License-Identifier: MIT */
/* The one output writer: every file libvcpuid and the vcpuid command write
 * (-o/--output, profiles, the host cache) goes through vp_write_atomic().
 *
 * A regular file is replaced whole or not at all, and nothing another user
 * plants in the directory is ever followed or reused:
 *  - the data goes to an unnamed O_TMPFILE in the target's directory, which
 *    is linked in (linkat) only when complete; where O_TMPFILE is missing it
 *    goes to a new name made with O_CREAT|O_EXCL|O_NOFOLLOW (never an
 *    existing file or a symlink), at most NAME_MAX long;
 *  - every write, fsync and close is checked; on any failure the temporary
 *    is removed and the target left as it was;
 *  - renameat() puts it in place: a symlink at the target is replaced, not
 *    followed;
 *  - the new file keeps the mode of the file it replaces when that file is
 *    the caller's own, else gets the caller's default (0666 & ~umask) or the
 *    mode asked for;
 *  - SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGXFSZ are held (in the calling
 *    thread) while a named temporary exists, so an interrupted command dies
 *    after the temporary is gone: it never leaves one behind.
 * A FIFO, character device or socket of the caller's or root's (a pipe,
 * /dev/null) is written in place: it cannot be renamed over. The caller's
 * own descriptors (/dev/stdout, /dev/fd/N) are written through. A block
 * device is refused. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A random name for the temporary: ".BASE." and 8 random characters,
 * BASE cut so the whole stays within NAME_MAX. */
static void temp_name(char out[NAME_MAX + 1], const char *base)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	unsigned char r[8];
	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		unsigned long x = (unsigned long)ts.tv_nsec ^
				  ((unsigned long)getpid() << 16) ^ (unsigned long)rand();
		for (size_t i = 0; i < sizeof(r); i++, x >>= 4)
			r[i] = (unsigned char)x;
	}
	int keep = NAME_MAX - 2 - (int)sizeof(r) - 1;
	int n = snprintf(out, NAME_MAX + 1, ".%.*s.", keep, base);
	for (size_t i = 0; i < sizeof(r); i++)
		out[n + (int)i] = digits[r[i] % 36];
	out[n + (int)sizeof(r)] = 0;
}

static int in_place(int dfd, const char *base, const char *path,
		    const void *data, size_t len, vcpuid_error *err)
{
	int fd = openat(dfd, base, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return vcpuid_fail(err, VCPUID_E_IO, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) || S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
		close(fd);
		return -1; /* changed under us: not written in place */
	}
	int e = write_all(fd, data, len);
	if (close(fd) && !e && errno != EINTR)
		e = errno;
	if (e)
		return vcpuid_fail(err, VCPUID_E_IO, "%s: write error: %s", path,
				   strerror(e));
	return 0;
}

/* Write the data to fd and give it its final mode; 0 or an errno. */
static int fill(int fd, const void *data, size_t len, mode_t mode)
{
	int e = write_all(fd, data, len);
	if (!e && fchmod(fd, mode))
		e = errno;
	if (!e && fsync(fd) && errno != EINVAL && errno != EROFS)
		e = errno;
	return e;
}

/* The O_TMPFILE way: 0 done, an errno, or -1 "not available here". */
static int via_tmpfile(int dfd, const char *base, const void *data,
		       size_t len, mode_t mode, bool exists)
{
	int fd = openat(dfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL ||
			errno == ENOENT) ? -1 : errno;
	int e = fill(fd, data, len, mode);
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	/* A new target is linked straight in (linkat never replaces). */
	if (!e && !exists) {
		if (!linkat(fd, "", dfd, base, AT_EMPTY_PATH) ||
		    !linkat(AT_FDCWD, proc, dfd, base, AT_SYMLINK_FOLLOW)) {
			close(fd);
			return 0;
		}
		if (errno != EEXIST && errno != ENOENT && errno != EPERM &&
		    errno != EACCES)
			e = errno;
	}
	/* Else under a fresh name, then renamed over the target. */
	char tmp[NAME_MAX + 1];
	int tries = 0;
	while (!e) {
		temp_name(tmp, base);
		if (!linkat(fd, "", dfd, tmp, AT_EMPTY_PATH) ||
		    !linkat(AT_FDCWD, proc, dfd, tmp, AT_SYMLINK_FOLLOW))
			break;
		if (errno == EEXIST && ++tries < 100)
			continue;
		e = errno == ENOENT || errno == EPERM || errno == EACCES ? -1 : errno;
	}
	if (!e && renameat(dfd, tmp, dfd, base)) {
		e = errno;
		unlinkat(dfd, tmp, 0);
	}
	if (close(fd) && !e && errno != EINTR)
		e = errno;
	return e;
}

/* The portable way: a new name made with O_EXCL|O_NOFOLLOW. */
static int via_name(int dfd, const char *base, const void *data, size_t len,
		    mode_t mode)
{
	char tmp[NAME_MAX + 1];
	int fd = -1, tries = 0;
	while (fd < 0) {
		temp_name(tmp, base);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				      O_CLOEXEC, 0600);
		if (fd < 0 && (errno != EEXIST || ++tries >= 100))
			return errno;
	}
	int e = fill(fd, data, len, mode);
	if (close(fd) && !e && errno != EINTR)
		e = errno;
	if (!e && renameat(dfd, tmp, dfd, base))
		e = errno;
	if (e)
		unlinkat(dfd, tmp, 0);
	return e;
}

/* The caller's own open file named by path (/dev/stdout, /dev/stderr,
 * /dev/fd/N, /proc/self/fd/N): its descriptor, else -1. Such a name is
 * written through the descriptor: replacing the entry would replace the
 * system's /dev/stdout link (or /proc's), and reopening it would lose the
 * descriptor's append mode and offset. */
static int own_fd(const char *path)
{
	if (!strcmp(path, "/dev/stdout"))
		return STDOUT_FILENO;
	if (!strcmp(path, "/dev/stderr"))
		return STDERR_FILENO;
	const char *n = !strncmp(path, "/dev/fd/", 8) ? path + 8 :
			!strncmp(path, "/proc/self/fd/", 14) ? path + 14 : NULL;
	if (!n || !*n || strlen(n) > 9 || n[strspn(n, "0123456789")])
		return -1;
	return atoi(n);
}

int vp_write_atomic(const char *path, const void *data, size_t len,
		    int new_mode, unsigned flags, vcpuid_error *err)
{
	if (!path || !*path)
		return vcpuid_fail(err, VCPUID_E_USAGE, "empty output file name");
	int ofd = own_fd(path);
	if (ofd >= 0) {
		int e = fcntl(ofd, F_GETFL) < 0 ? errno : write_all(ofd, data, len);
		if (e)
			return vcpuid_fail(err, VCPUID_E_IO, "%s: write error: %s",
					   path, strerror(e));
		return 0;
	}
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return vcpuid_fail(err, VCPUID_E_IO, "%s: Is a directory", path);
	if (strlen(base) > NAME_MAX)
		return vcpuid_fail(err, VCPUID_E_IO, "%s: %s", path,
				   strerror(ENAMETOOLONG));
	char *dir = slash ? strndup(path, (size_t)(slash - path) + 1) : strdup(".");
	if (!dir)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int e = errno;
	free(dir);
	if (dfd < 0)
		return vcpuid_fail(err, VCPUID_E_IO, "%s: %s", path, strerror(e));

	/* What is there now decides: nothing or a regular file (or a symlink
	 * to one) is replaced; a device, FIFO or socket that is ours or root's
	 * is written in place, reached through a symlink only if the link is
	 * ours or root's too. Anyone else's link or FIFO is replaced, never
	 * followed or written (a planted FIFO would hang). */
	struct stat lst, st;
	bool exists = !fstatat(dfd, base, &lst, AT_SYMLINK_NOFOLLOW);
	st = lst;
	if (exists && S_ISLNK(lst.st_mode) &&
	    (lst.st_uid == geteuid() || lst.st_uid == 0) && fstatat(dfd, base, &st, 0))
		st = lst;
	if (exists && S_ISDIR(st.st_mode)) {
		close(dfd);
		return vcpuid_fail(err, VCPUID_E_IO, "%s: Is a directory", path);
	}
	if (exists && S_ISBLK(st.st_mode)) {
		close(dfd);
		return vcpuid_fail(err, VCPUID_E_IO, "%s: is a block device, "
				   "not written", path);
	}
	if (exists && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode) &&
	    (st.st_uid == geteuid() || st.st_uid == 0) &&
	    !(flags & VP_WRITE_REPLACE)) {
		int rc = in_place(dfd, base, path, data, len, err);
		if (rc >= 0) {
			close(dfd);
			return rc;
		}
	}

	mode_t mode;
	if (new_mode >= 0) {
		mode = (mode_t)new_mode;
	} else if (exists && S_ISREG(lst.st_mode) && lst.st_uid == geteuid()) {
		mode = lst.st_mode & 0777;
	} else {
		/* the umask: umask() has no read-only form, so it is set and
		 * put back at once (not safe against another thread's umask) */
		mode = umask(022);
		umask(mode);
		mode = 0666 & ~mode;
	}

	sigset_t hold, old;
	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGQUIT);
	sigaddset(&hold, SIGXFSZ);
	pthread_sigmask(SIG_BLOCK, &hold, &old);
	e = flags & VP_WRITE_NAMED ? -1 : via_tmpfile(dfd, base, data, len, mode,
						       exists);
	if (e < 0)
		e = via_name(dfd, base, data, len, mode);
	/* A file size limit was reported as EFBIG: its SIGXFSZ is consumed,
	 * not delivered; any other held signal takes effect now. */
	if (e == EFBIG && !sigismember(&old, SIGXFSZ)) {
		sigset_t xfsz;
		sigemptyset(&xfsz);
		sigaddset(&xfsz, SIGXFSZ);
		struct timespec zero = { 0, 0 };
		sigtimedwait(&xfsz, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(dfd);
	if (e)
		return vcpuid_fail(err, VCPUID_E_IO, "%s: %s", path, strerror(e));
	return 0;
}
