/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include "cli.h"

int cli_fail(const vcpuid_error *err)
{
	fprintf(stderr, "vcpuid: %s\n", err->msg);
	return err->code ? err->code : VCPUID_E_USAGE;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "vcpuid %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'vcpuid %s --help')\n", cmd);
	return VCPUID_E_USAGE;
}

int cli_output(const char *path, const char *text)
{
	vcpuid_error err = { 0 };
	if (vcpuid_write_file(path ? path : "-", text, strlen(text), &err))
		return cli_fail(&err);
	return 0;
}

bool cli_help(int argc, char **argv, const char *help)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(help, stdout);
			return true;
		}
	}
	return false;
}

int cli_load_host(const char *spec, vcpuid_host *h)
{
	vcpuid_error err = { 0 };
	if (vcpuid_host_load(spec, h, &err))
		return cli_fail(&err);
	return 0;
}

/* Fleet commands name each host by the file it was read from: a profile's
 * own "source" is where it was captured ("live" for every probe), which
 * does not tell two profiles apart. */
void cli_label_host(vcpuid_host *h, const char *spec)
{
	struct stat st;
	if (!stat(spec, &st) && S_ISREG(st.st_mode))
		snprintf(h->source, sizeof(h->source), "%s", spec);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cli_load_hosts(char **specs, size_t nspecs, vcpuid_host **hosts,
		   size_t *nhosts)
{
	size_t cap = 16, n = 0;
	vcpuid_host *hs = calloc(cap, sizeof(*hs));
	if (!hs)
		return VCPUID_E_NOMEM;
	for (size_t i = 0; i < nspecs; i++) {
		char **files = NULL;
		size_t nfiles = 0;
		struct stat st;
		bool dir = !stat(specs[i], &st) && S_ISDIR(st.st_mode);
		if (dir) {
			DIR *d = opendir(specs[i]);
			struct dirent *de;
			while (d && (de = readdir(d))) {
				if (de->d_name[0] == '.')
					continue;
				char **nf = realloc(files, (nfiles + 1) * sizeof(*nf));
				if (!nf)
					break;
				files = nf;
				size_t len = strlen(specs[i]) + strlen(de->d_name) + 2;
				files[nfiles] = malloc(len);
				if (files[nfiles])
					snprintf(files[nfiles++], len, "%s/%s", specs[i],
						 de->d_name);
			}
			if (d)
				closedir(d);
			if (nfiles)
				qsort(files, nfiles, sizeof(*files), cmp_str);
		} else {
			files = malloc(sizeof(*files));
			if (files && (files[0] = strdup(specs[i])))
				nfiles = 1;
		}
		int rc = 0;
		size_t before = n;
		for (size_t f = 0; f < nfiles; f++) {
			if (!rc && n == cap) {
				vcpuid_host *nh = realloc(hs, 2 * cap * sizeof(*nh));
				if (!nh)
					rc = VCPUID_E_NOMEM;
				else {
					hs = nh;
					cap *= 2;
				}
			}
			vcpuid_error err = { 0 };
			struct stat fst;
			/* In a directory, what is not a host (a README, a
			 * subdirectory) is skipped and said so; a broken host
			 * file is still an error. */
			if (!rc && dir && (stat(files[f], &fst) || !S_ISREG(fst.st_mode))) {
				free(files[f]);
				continue;
			}
			if (!rc && (rc = vcpuid_host_load(files[f], &hs[n], &err))) {
				vcpuid_host_free(&hs[n]);
				if (dir && rc == VCPUID_E_UNKNOWN) {
					fprintf(stderr, "vcpuid: skipping %s: not a host "
						"profile or dump\n", files[f]);
					rc = 0;
				} else {
					rc = cli_fail(&err);
				}
			} else if (!rc) {
				cli_label_host(&hs[n++], files[f]);
			}
			free(files[f]);
		}
		free(files);
		/* A directory named as hosts that holds none is not an empty
		 * fleet that passes every question (exit 3, docs/exit-codes.md). */
		if (!rc && dir && n == before) {
			fprintf(stderr, "vcpuid: %s: no host profile or dump in this "
				"directory\n", specs[i]);
			rc = VCPUID_E_IO;
		}
		if (rc) {
			cli_free_hosts(hs, n);
			return rc;
		}
	}
	*hosts = hs;
	*nhosts = n;
	return 0;
}

void cli_free_hosts(vcpuid_host *hosts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vcpuid_host_free(&hosts[i]);
	free(hosts);
}

void cli_bprintf(cli_buf *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	/* Format once into the room left; only a line that does not fit is
	 * formatted again, after growing the buffer. */
	for (int pass = 0; pass < 2; pass++) {
		size_t room = b->cap - b->n;
		va_list ap;
		va_start(ap, fmt);
		int need = vsnprintf(room ? b->s + b->n : NULL, room, fmt, ap);
		va_end(ap);
		if (need < 0)
			break;
		if ((size_t)need < room) {
			b->n += (size_t)need;
			return;
		}
		size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)need;
		char *s = realloc(b->s, cap);
		if (!s)
			break;
		b->s = s;
		b->cap = cap;
	}
	b->oom = true;
}
