/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"

int cli_fail(const vcpuid_error *err)
{
	int code = err->code ? err->code : VCPUID_E_USAGE;
	fprintf(stderr, "vcpuid: %s\n", err->msg);
	cli_error_note(code, err->msg);
	return code;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = snprintf(msg, sizeof(msg), "%s: ", cmd);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "vcpuid %s (see 'vcpuid %s --help')\n", msg, cmd);
	cli_error_note(VCPUID_E_USAGE, msg);
	return VCPUID_E_USAGE;
}

/* The errno of the first failed write to standard output, for cli_exit():
 * by exit time stdio may hold nothing more to flush, and errno is gone. */
static int stdout_errno;

int cli_output(const char *path, const char *text)
{
	/* Standard output is checked once, at exit (main.c). */
	if (!path || !strcmp(path, "-")) {
		if (fputs(text, stdout) == EOF && !stdout_errno)
			stdout_errno = errno;
		return 0;
	}
	vcpuid_error err = { 0 };
	if (vcpuid_write_file(path, text, strlen(text), &err))
		return cli_fail(&err);
	return 0;
}

int cli_output_opt(const char *cmd, int argc, char **argv, int *i,
		   const char **out)
{
	const char *a = argv[*i], *val;
	if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
		if (*i + 1 >= argc)
			return cli_usage(cmd, "%s needs a FILE", a);
		val = argv[++*i];
	} else if (!strncmp(a, "--output=", 9)) {
		val = a + 9;
	} else {
		return -1;
	}
	return cli_set_output(cmd, val, out);
}

int cli_set_output(const char *cmd, const char *val, const char **out)
{
	if (*out)
		return cli_usage(cmd, "-o/--output given twice ('%s', then '%s')",
				 *out, val);
	if (!*val)
		return cli_usage(cmd, "-o/--output: the file name is empty");
	*out = val;
	return 0;
}

char *cli_json_text(const json_t *root)
{
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *t = realloc(s, n + 2);
	if (!t) {
		free(s);
		return NULL;
	}
	memcpy(t + n, "\n", 2);
	return t;
}

void cli_print_json(json_t *root)
{
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("%s\n", s);
	free(s);
	json_decref(root);
}

int cli_output_text(const char *cmd, const char *out, char *text)
{
	if (!text)
		return cli_error(VCPUID_E_NOMEM, "%s: out of memory", cmd);
	int rc = cli_output(out, text);
	free(text);
	return rc;
}

static const struct cli_opt *find_opt(const struct cli_opt *opts,
				      const char *a)
{
	for (; opts->name; opts++)
		if (!strcmp(a, opts->name))
			return opts;
	return NULL;
}

int cli_parse_opts(const char *cmd, int argc, char **argv,
		   const struct cli_opt *opts, const char **out)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int orc = cli_output_opt(cmd, argc, argv, &i, out);
		if (orc >= 0) {
			if (orc)
				return orc;
			continue;
		}
		const struct cli_opt *o = find_opt(opts, a);
		if (!o)
			return cli_usage(cmd, "unknown option '%s'", a);
		if (o->flag) {
			if (o->dst)
				*o->dst = o->flag;
			continue;
		}
		if (i + 1 >= argc)
			return cli_usage(cmd, "%s needs a value", a);
		*o->dst = argv[++i];
	}
	return 0;
}

bool cli_value_opt(int argc, char **argv, int *i, const struct cli_opt *opts)
{
	const struct cli_opt *o = find_opt(opts, argv[*i]);
	if (!o || o->flag || *i + 1 >= argc)
		return false;
	*o->dst = argv[++*i];
	return true;
}

int cli_exit(int rc)
{
	/* Every byte for standard output went through stdio: one check here
	 * makes a failed write (a full disk, /dev/full, a closed pipe) an I/O
	 * error for every command and --help. A command that already failed
	 * keeps its code; an answer (0 or 1) nobody could read becomes 3. */
	cli_error_emit(rc);
	errno = 0;
	int e = fflush(stdout) ? errno : 0;
	if (stdout_errno)
		e = stdout_errno;
	bool bad = e || ferror(stdout);
	if (fclose(stdout) && !e && errno != EBADF) {
		e = errno;
		bad = true;
	}
	if (!bad)
		return rc;
	if (e)
		fprintf(stderr, "vcpuid: write error: %s\n", strerror(e));
	else
		fprintf(stderr, "vcpuid: write error on standard output\n");
	return rc == 0 || rc == VCPUID_E_NEGATIVE ? VCPUID_E_IO : rc;
}

int cli_getopt_fail(const char *cmd, const char *optstring, char **argv)
{
	const char *a = argv[optind - 1];
	if (!optopt) /* an unknown or ambiguous long option */
		return cli_usage(cmd, "unknown option '%s'", a);
	const char *k = strchr(optstring, optopt);
	if (!k || optopt == ':')
		return cli_usage(cmd, "unknown option '-%c'", optopt);
	if (a[0] == '-' && a[1] == '-')
		return cli_usage(cmd, "option '%s' needs a value", a);
	return cli_usage(cmd, "option '-%c' needs a value", optopt);
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
	cli_label_host(h, spec);
	return 0;
}

int cli_load_host_ex(const char *spec, unsigned probe_flags, vcpuid_host *h)
{
	vcpuid_error err = { 0 };
	vcpuid_host_init(h);
	if (vcpuid_host_load_ex(spec, probe_flags, h, &err)) {
		vcpuid_host_free(h);
		return cli_fail(&err);
	}
	return 0;
}

int cli_smp_opt(const char *smp, vcpuid_topology *topo, vcpuid_topology **tp)
{
	*tp = NULL;
	if (!smp)
		return 0;
	vcpuid_error err = { 0 };
	if (vcpuid_topology_parse(smp, topo, &err))
		return cli_fail(&err);
	*tp = topo;
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

bool cli_print_kvm(const vcpuid_host *h)
{
	if (!h->has_kvm) {
		printf("KVM: absent (%s)\n", h->kvm_absent[0] ? h->kvm_absent :
		       "not in this profile");
		return false;
	}
	printf("KVM: %s, API version %d\n",
	       h->kvm_flavour[0] ? h->kvm_flavour : "unknown flavour",
	       h->kvm_api_version);
	return true;
}

void cli_free_hosts(vcpuid_host *hosts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vcpuid_host_free(&hosts[i]);
	free(hosts);
}

char *cli_buf_take(cli_buf *b)
{
	if (b->oom) {
		free(b->s);
		return NULL;
	}
	return b->s ? b->s : strdup("");
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
