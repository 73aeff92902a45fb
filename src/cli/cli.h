/* SPDX-License-Identifier: MIT */
/* The thin CLI: shared option handling and output. */
#ifndef VCPUID_CLI_H
#define VCPUID_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "vcpuid.h"

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* Print "vcpuid: <msg>" to stderr, return the error's code. */
int cli_fail(const vcpuid_error *err);
/* Errors as data (cli_error.c): main.c hands the command's arguments to
 * cli_errors_init(); with --json or --format json|qmp among them the first
 * error noted is also printed on standard output, as a JSON object, by
 * cli_exit(). cli_fail(), cli_usage() and cli_error() note theirs. */
void cli_errors_init(int argc, char **argv);
bool cli_json_errors(void);
void cli_error_note(int code, const char *msg);
void cli_error_emit(int rc);
/* Print "vcpuid: <fmt...>" to stderr, note it, return code. */
int cli_error(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print a usage error for cmd and return VCPUID_E_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* root as the commands print JSON: indented by 2, keys in their order, a
 * newline at the end; free() it. NULL when out of memory. */
struct json_t;
char *cli_json_text(const struct json_t *root);
/* Print root and a newline on standard output (indented by 2, keys in
 * their order), then release root (json_decref). */
void cli_print_json(struct json_t *root);
/* Write text to path (NULL or "-" = stdout) atomically. */
int cli_output(const char *path, const char *text);
/* If argv[*i] is -o FILE, --output FILE or --output=FILE: take FILE into
 * *out (moving *i past it) and return 0, or a usage error (no FILE, an
 * empty one, a second -o). -1 when argv[*i] is another argument. */
int cli_output_opt(const char *cmd, int argc, char **argv, int *i,
		   const char **out);
/* Take val as the -o FILE (usage error if empty or already given). */
int cli_set_output(const char *cmd, const char *val, const char **out);
/* One of a command's options for cli_parse_opts()/cli_value_opt():
 * "NAME VALUE" stores VALUE in *dst; with flag set, "NAME" alone stores
 * flag there (and with dst NULL it is taken and changes nothing). A list
 * ends with a NULL name. */
struct cli_opt {
	const char *name;
	const char **dst;
	const char *flag;
};
/* Parse all of argv[1..]: -o FILE (cli_output_opt) and opts; a usage error
 * for anything else ("unknown option '%s'") or an option at the end
 * without its value ("%s needs a value"). */
int cli_parse_opts(const char *cmd, int argc, char **argv,
		   const struct cli_opt *opts, const char **out);
/* If argv[*i] is one of the value options of opts and a value follows it:
 * take it (moving *i past it) and return true. */
bool cli_value_opt(int argc, char **argv, int *i, const struct cli_opt *opts);
/* cli_output() for a command's text (NULL: it ran out of memory, the
 * error "CMD: out of memory"); frees text; returns the exit code. */
int cli_output_text(const char *cmd, const char *out, char *text);
/* Flush and close standard output at exit; a failed write is reported
 * and turns rc 0/1 into VCPUID_E_IO. */
int cli_exit(int rc);
/* The usage error for what getopt_long() just refused (main.c turns
 * getopt's own messages off): an unknown option or one missing its value. */
int cli_getopt_fail(const char *cmd, const char *optstring, char **argv);
/* True when argv has -h/--help; prints help text then. */
bool cli_help(int argc, char **argv, const char *help);

/* A growing text buffer for a command's output; oom is set (and the text
 * left short) when memory runs out. Release s with free(). */
typedef struct cli_buf {
	char *s;
	size_t n, cap;
	bool oom;
} cli_buf;
void cli_bprintf(cli_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The text of b, to free() (empty when nothing was printed); NULL, with
 * b's memory released, when it ran out of memory. */
char *cli_buf_take(cli_buf *b);

/* Load a host ("live", "bundled:NAME" or a file), named by spec when spec
 * is a file (cli_label_host); prints the error. */
int cli_load_host(const char *spec, vcpuid_host *h);
/* Load a host with vcpuid_host_load_ex()'s probe flags; prints the error
 * (and then h holds nothing to free). */
int cli_load_host_ex(const char *spec, unsigned probe_flags, vcpuid_host *h);
/* --smp TOPO: *tp NULL without smp (the library's default), else topo as
 * parsed. Prints the error; returns the exit code. */
int cli_smp_opt(const char *smp, vcpuid_topology *topo, vcpuid_topology **tp);
/* Name h by spec when spec is a file (its path), for the fleet commands. */
void cli_label_host(vcpuid_host *h, const char *spec);
/* Load every host named: files, or every file of a directory (sorted). */
int cli_load_hosts(char **specs, size_t nspecs, vcpuid_host **hosts,
		   size_t *nhosts);
void cli_free_hosts(vcpuid_host *hosts, size_t n);
/* probe's and summary's "KVM:" line: absent and why, or the flavour and
 * API version. False when h has no KVM part. */
bool cli_print_kvm(const vcpuid_host *h);
/* Load spec and decode its raw (or KVM supported) table (cmd_decode.c,
 * also for diff). *kvm is set when the KVM table was decoded: asked for,
 * or the input has no raw table (Firecracker fingerprints). */
int cli_decode_host(const char *spec, bool *kvm, vcpuid_host *h,
		    vcpuid_decoded *d, vcpuid_error *err);
/* decode's and diff's options in a: "--" (only inputs after it, as
 * *opts_done says), --json, --kvm: 0, or the usage error for another
 * option; -1 when a is an input. */
int cli_decode_opt(const char *cmd, const char *a, bool *opts_done,
		   bool *json, bool *kvm);

/* --format libvirt (libvirt_out.c): print cpu's domain <cpu> element to out
 * (NULL = stdout), after an XML comment when comment is not NULL. */
int cli_libvirt_out(const vcpuid_host *host, const vcpuid_cpu *cpu,
		    const char *comment, const char *out);

#endif
