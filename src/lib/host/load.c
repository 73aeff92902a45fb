/* SPDX-License-Identifier: MIT */
/* Loading a host from any input (live, bundled:NAME, a file of any format
 * vcpuid reads), and the bounded file I/O every reader uses. */
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

const char *vcpuid_profile_dir(void)
{
	const char *env = getenv("VCPUID_PROFILE_DIR");
	if (env && *env)
		return env;
	if (!access(VCPUID_BUILD_PROFILE_DIR, R_OK))
		return VCPUID_BUILD_PROFILE_DIR;
	return VCPUID_INSTALL_PROFILE_DIR;
}

int vcpuid_host_parse(const char *buf, size_t len, const char *name,
		      vcpuid_host *h, vcpuid_error *err)
{
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
			   buf[i] == '\n'))
		i++;
	if (i == len)
		return vcpuid_fail(err, VCPUID_E_PARSE, "%s: empty input", name);
	int rc;
	if (buf[i] == '<') {
		/* libvirt: <cpudata arch='x86'> or virsh domcapabilities */
		snprintf(h->source, sizeof(h->source), "%s", name);
		rc = vcpuid_libvirt_host_load_mem(buf, len, h, NULL, err);
	} else if (buf[i] == '{') {
		/* vcpuid's own plain form without jansson; else the text is
		 * parsed once, for the profile reader then Firecracker's */
		json_t *root = NULL;
		rc = vp_profile_parse_plain(buf, len, name, h, err);
		if (rc < 0 && !(rc = vj_parse(buf, len, name, &root, err)))
			rc = vcpuid_profile_parse_json(root, name, h, err);
		if (rc == VCPUID_E_UNKNOWN)
			rc = vcpuid_import_firecracker_json(root, name, h, err);
		if (rc == VCPUID_E_UNKNOWN) {
			/* a Firecracker template or Cloud Hypervisor profile:
			 * the guest it describes (vmm.c) */
			vcpuid_template t;
			rc = vcpuid_template_parse_json(root, name, &t, err);
			if (!rc) {
				rc = vcpuid_template_to_host(&t, name, h, err);
				vcpuid_template_free(&t);
			}
		}
		json_decref(root);
		if (rc == VCPUID_E_UNKNOWN)
			rc = vcpuid_fail(err, VCPUID_E_UNKNOWN,
					 "%s: JSON, but neither a vcpuid host profile, "
					 "a Firecracker fingerprint or CPU template, nor "
					 "a Cloud Hypervisor CPU profile", name);
	} else {
		rc = vcpuid_import_text(buf, len, name, h, err);
		if (rc == VCPUID_E_UNKNOWN)
			rc = vcpuid_fail(err, VCPUID_E_UNKNOWN,
					 "%s: unknown format (expected a host profile, "
					 "Firecracker fingerprint, cpuid -r, AIDA64 or "
					 "libcpuid dump)", name);
	}
	if (!rc && !h->source[0])
		snprintf(h->source, sizeof(h->source), "%s", name);
	return rc;
}

int vcpuid_host_load(const char *spec, vcpuid_host *h, vcpuid_error *err)
{
	return vcpuid_host_load_ex(spec, 0, h, err);
}

int vcpuid_host_load_ex(const char *spec, unsigned probe_flags,
			vcpuid_host *h, vcpuid_error *err)
{
	vcpuid_host_init(h);
	if (!strcmp(spec, "live"))
		return vcpuid_probe_ex(h, probe_flags, err);
	char path[512];
	const char *file = spec;
	if (!strncmp(spec, "bundled:", 8)) {
		/* a plain name: nothing that leaves the profile directory */
		const char *name = spec + 8;
		if (!*name || *name == '.' || strchr(name, '/') ||
		    strlen(name) > 64)
			return vcpuid_fail(err, VCPUID_E_UNKNOWN,
					   "%s: not a bundled profile name (a plain "
					   "name such as bundled:this-host)", spec);
		snprintf(path, sizeof(path), "%s/%s.json", vcpuid_profile_dir(),
			 name);
		file = path;
		if (access(path, F_OK) && errno == ENOENT)
			return vcpuid_fail(err, VCPUID_E_UNKNOWN,
					   "%s: no such bundled profile (in %s)", spec,
					   vcpuid_profile_dir());
	}
	char *buf;
	size_t len;
	int rc = vcpuid_read_file(file, &buf, &len, err);
	if (rc)
		return rc;
	rc = vcpuid_host_parse(buf, len, file, h, err);
	free(buf);
	if (rc)
		vcpuid_host_free(h);
	return rc;
}
