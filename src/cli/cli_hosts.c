/* SPDX-License-Identifier: MIT */
/* The fleet commands' hosts: files and directories of them read as one
 * vcpuid_hostset (parallel, identical files folded), with progress on a
 * terminal; "live" and "bundled:NAME" are loaded one by one. */
#include <dirent.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli_hosts.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

struct progress {
	double start;
	atomic_bool shown;
	atomic_llong last_ms;	/* when the line was last written */
};

/* On a terminal, once the reading has taken a second, ten times a second. */
static void show(size_t done, size_t total, void *ctx)
{
	struct progress *p = ctx;
	double t = now() - p->start;
	long long ms = (long long)(t * 1000), last = atomic_load(&p->last_ms);
	if (done < total && (t < 1.0 || ms - last < 100 ||
			     !atomic_compare_exchange_strong(&p->last_ms, &last, ms)))
		return;
	if (done == total && !atomic_load(&p->shown))
		return;
	atomic_store(&p->shown, true);
	fprintf(stderr, "\rvcpuid: read %zu of %zu host files%s", done, total,
		done == total ? "\n" : "");
}

/* Old path, for live/bundled: every host loaded, none folded. */
static int load_plain(char **specs, size_t nspecs, vcpuid_hostset *out)
{
	vcpuid_host *hs;
	size_t n;
	int rc = cli_load_hosts(specs, nspecs, &hs, &n);
	if (rc)
		return rc;
	out->hosts = hs;
	out->n = out->nfiles = n;
	out->covers = malloc((n ? n : 1) * sizeof(size_t));
	out->of = malloc((n ? n : 1) * sizeof(size_t));
	if (!out->covers || !out->of) {
		vcpuid_hostset_free(out);
		return VCPUID_E_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		out->covers[i] = 1, out->of[i] = i;
	return 0;
}

int cli_load_hostset(char **specs, size_t nspecs, unsigned jobs,
		     vcpuid_hostset *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < nspecs; i++) {
		struct stat st;
		if (stat(specs[i], &st) || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
			return load_plain(specs, nspecs, out);
	}
	char **files = NULL;
	bool *skippable = NULL;
	size_t n = 0, cap = 0;
	size_t *first = calloc(nspecs + 1, sizeof(size_t));
	int rc = first ? 0 : VCPUID_E_NOMEM;
	for (size_t i = 0; !rc && i < nspecs; i++) {
		first[i] = n;
		struct stat st;
		bool dir = !stat(specs[i], &st) && S_ISDIR(st.st_mode);
		DIR *d = dir ? opendir(specs[i]) : NULL;
		if (dir && !d) {
			fprintf(stderr, "vcpuid: %s: cannot read the directory\n", specs[i]);
			rc = VCPUID_E_IO;
			break;
		}
		size_t from = n;
		struct dirent *de = NULL;
		while (!rc && (dir ? (de = readdir(d)) != NULL : n == from)) {
			if (dir && de->d_name[0] == '.')
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				char **nf = realloc(files, cap * sizeof(*nf));
				bool *ns = nf ? realloc(skippable, cap * sizeof(*ns)) : NULL;
				if (nf)
					files = nf;
				if (!ns) {
					rc = VCPUID_E_NOMEM;
					break;
				}
				skippable = ns;
			}
			size_t len = strlen(specs[i]) + (dir ? strlen(de->d_name) + 2 : 1);
			if (!(files[n] = malloc(len))) {
				rc = VCPUID_E_NOMEM;
				break;
			}
			if (dir)
				snprintf(files[n], len, "%s/%s", specs[i], de->d_name);
			else
				snprintf(files[n], len, "%s", specs[i]);
			/* in a directory, what is not a regular file is left out
			 * (readdir's d_type says so without a stat, mostly) */
			struct stat fst;
			if (dir && de->d_type != DT_REG &&
			    (stat(files[n], &fst) || !S_ISREG(fst.st_mode))) {
				free(files[n]);
				continue;
			}
			skippable[n++] = dir;
		}
		if (d)
			closedir(d);
		if (dir && n > from)
			qsort(files + from, n - from, sizeof(*files), cmp_str);
	}
	if (first)
		first[nspecs] = n;
	if (!rc) {
		struct progress p = { .start = now() };
		vcpuid_hostset_opts o = { .jobs = jobs, .skippable = skippable };
		if (isatty(STDERR_FILENO)) {
			o.progress = show;
			o.ctx = &p;
		}
		vcpuid_error err = { 0 };
		rc = vcpuid_hostset_load((const char *const *)files, n, &o, out, &err);
		if (rc)
			cli_fail(&err);
	}
	/* What was skipped is said; a directory without any host is an error
	 * (exit 3, docs/exit-codes.md), as with cli_load_hosts. */
	for (size_t i = 0; !rc && i < nspecs; i++) {
		size_t hosts = 0;
		for (size_t f = first[i]; f < first[i + 1]; f++) {
			if (out->of[f] != VCPUID_HOSTSET_SKIPPED)
				hosts++;
			else
				fprintf(stderr, "vcpuid: skipping %s: not a host "
					"profile or dump\n", files[f]);
		}
		struct stat st;
		if (!hosts && !stat(specs[i], &st) && S_ISDIR(st.st_mode)) {
			fprintf(stderr, "vcpuid: %s: no host profile or dump in this "
				"directory\n", specs[i]);
			rc = VCPUID_E_IO;
		}
	}
	/* each host is named by its first file */
	for (size_t f = 0, k = 0; !rc && f < n && k < out->n; f++)
		if (out->of[f] == k)
			cli_label_host(&out->hosts[k++], files[f]);
	for (size_t f = 0; f < n; f++)
		free(files[f]);
	free(files);
	free(skippable);
	free(first);
	if (rc)
		vcpuid_hostset_free(out);
	return rc;
}

int cli_jobs(const char *cmd, const char *arg, unsigned *jobs)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end || v < 1 || v > 64)
		return cli_usage(cmd, "--jobs '%s': a number of threads, 1..64", arg);
	*jobs = (unsigned)v;
	return 0;
}
