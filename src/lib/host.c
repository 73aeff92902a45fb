/* SPDX-License-Identifier: MIT */
/* The host container, file I/O, and loading a host from any input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

void vcpuid_host_init(vcpuid_host *h)
{
	memset(h, 0, sizeof(*h));
}

void vcpuid_host_free(vcpuid_host *h)
{
	vcpuid_table_free(&h->raw);
	vcpuid_table_free(&h->supported);
	vcpuid_table_free(&h->emulated);
	vcpuid_msr_list_free(&h->feature_msrs);
	free(h->msr_index_list);
	free(h->caps);
	free(h->cpuinfo_flags);
	free(h->lazy);
	vcpuid_host_init(h);
}

const vcpuid_kvm_cap *vcpuid_host_cap(const vcpuid_host *h, const char *name)
{
	for (size_t i = 0; i < h->n_caps; i++)
		if (!strcmp(h->caps[i].name, name))
			return &h->caps[i];
	return NULL;
}

void vcpuid_host_vendor(const vcpuid_host *h, char out[13])
{
	const vcpuid_table *t = h->has_kvm ? &h->supported : &h->raw;
	uint32_t r[3] = { vcpuid_table_reg(t, 0, 0, VCPUID_EBX),
			  vcpuid_table_reg(t, 0, 0, VCPUID_EDX),
			  vcpuid_table_reg(t, 0, 0, VCPUID_ECX) };
	memcpy(out, r, 12);
	out[12] = 0;
}

int vcpuid_read_file(const char *path, char **buf, size_t *len,
		     vcpuid_error *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return vcpuid_fail(err, VCPUID_E_IO, "%s: %s", path, strerror(errno));
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	while (b) {
		size_t got = fread(b + n, 1, cap - n - 1, f);
		n += got;
		if (n + 1 < cap)
			break;
		char *nb = realloc(b, cap * 2);
		if (!nb) {
			free(b);
			b = NULL;
			break;
		}
		b = nb;
		cap *= 2;
	}
	int rerr = ferror(f);
	if (f != stdin)
		fclose(f);
	if (!b)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "%s: out of memory", path);
	if (rerr) {
		free(b);
		return vcpuid_fail(err, VCPUID_E_IO, "%s: read error", path);
	}
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}

int vcpuid_write_file(const char *path, const char *data, size_t len,
		      vcpuid_error *err)
{
	if (!strcmp(path, "-")) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
			return vcpuid_fail(err, VCPUID_E_IO, "stdout: write error");
		return 0;
	}
	/* Only a regular file (or a new one) is replaced atomically; a device
	 * or FIFO (/dev/null, /dev/stdout, a pipe) is written in place, never
	 * renamed over. */
	struct stat st;
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		FILE *df = fopen(path, "wb");
		if (!df)
			return vcpuid_fail(err, VCPUID_E_IO, "%s: %s", path,
					   strerror(errno));
		bool ok = fwrite(data, 1, len, df) == len;
		if ((fclose(df) != 0) | !ok)
			return vcpuid_fail(err, VCPUID_E_IO, "%s: write error", path);
		return 0;
	}
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 32);
	if (!tmp)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		int e = errno;
		free(tmp);
		return vcpuid_fail(err, VCPUID_E_IO, "%s: %s", path, strerror(e));
	}
	bool ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path)) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return vcpuid_fail(err, VCPUID_E_IO, "%s: %s", path,
				   ok ? strerror(e) : "write error");
	}
	free(tmp);
	return 0;
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
		if (vcpuid_profile_parse_plain(buf, len, h))
			rc = 0;
		else if (!(root = vj_parse(buf, len, name, err)))
			rc = VCPUID_E_PARSE;
		else
			rc = vcpuid_profile_parse_json(root, name, h, err);
		if (rc == VCPUID_E_UNKNOWN)
			rc = vcpuid_import_firecracker_json(root, name, h, err);
		json_decref(root);
		if (rc == VCPUID_E_UNKNOWN)
			rc = vcpuid_fail(err, VCPUID_E_UNKNOWN,
					 "%s: JSON, but neither a vcpuid host profile "
					 "nor a Firecracker fingerprint", name);
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
		snprintf(path, sizeof(path), "%s/%s.json", vcpuid_profile_dir(),
			 spec + 8);
		file = path;
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
