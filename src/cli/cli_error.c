/* SPDX-License-Identifier: MIT */
/* Errors as data: with --json (or --format json|qmp) the error that ended a
 * command is also printed on standard output as one JSON object,
 *   {"error": {"class", "code", "message", "file", "line", "column"}}
 * (docs/exit-codes.md, docs/schema/error.schema.json). Every error line the
 * CLI prints goes through cli_error_note(); cli_exit() prints the object. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"

static struct {
	bool json;		/* the command was asked for JSON output */
	int argc;		/* its arguments, to tell a file name in a message */
	char **argv;
	int code;		/* the first error noted (0: none) */
	char msg[1024];
} st;

/* The value of --format in argv[i] ("--format V" or "--format=V"). */
static const char *format_value(int argc, char **argv, int i)
{
	if (!strcmp(argv[i], "--format"))
		return i + 1 < argc ? argv[i + 1] : NULL;
	if (!strncmp(argv[i], "--format=", 9))
		return argv[i] + 9;
	return NULL;
}

void cli_errors_init(int argc, char **argv)
{
	st.argc = argc;
	st.argv = argv;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		const char *f = format_value(argc, argv, i);
		if (!strcmp(argv[i], "--json") ||
		    (f && (!strcmp(f, "json") || !strcmp(f, "qmp"))))
			st.json = true;
	}
}

bool cli_json_errors(void)
{
	return st.json;
}

void cli_error_note(int code, const char *msg)
{
	if (st.code || code < 2)
		return; /* the first error is the cause; later ones follow it */
	st.code = code;
	snprintf(st.msg, sizeof(st.msg), "%s", msg);
}

int cli_error(int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "vcpuid: %s\n", msg);
	cli_error_note(code, msg);
	return code;
}

/* A decimal number of 1..9 digits at *p, moving *p past it; -1 if none. */
static long number(const char **p)
{
	const char *s = *p;
	long v = 0;
	int n = 0;
	while (isdigit((unsigned char)*s) && n < 9) {
		v = v * 10 + (*s++ - '0');
		n++;
	}
	if (!n || isdigit((unsigned char)*s))
		return -1;
	*p = s;
	return v;
}

/* Is name[0..len) one of the command's arguments (or the value of an
 * --option=VALUE), and not an option itself? Then it names the input. */
static bool is_argument(const char *name, size_t len)
{
	for (int i = 1; i < st.argc; i++) {
		const char *a = st.argv[i];
		if (a[0] == '-' && a[1] == '-' && strchr(a, '='))
			a = strchr(a, '=') + 1;
		else if (a[0] == '-' && a[1])
			continue;
		if (strlen(a) == len && !memcmp(a, name, len))
			return true;
	}
	return false;
}

/* Split "FILE:LINE:COLUMN: what", "FILE:LINE: what" or, when FILE is one of
 * the command's arguments, "FILE: what" into the object's fields. */
static void locate(json_t *o, const char *msg)
{
	for (const char *c = strchr(msg, ':'); c; c = strchr(c + 1, ':')) {
		const char *p = c + 1;
		long line = number(&p), col = -1;
		if (line >= 0 && *p == ':' && p[1] != ' ') {
			p++;
			col = number(&p);
			if (col < 0)
				continue;
		}
		if (line >= 0 && p[0] == ':' && p[1] == ' ' && c > msg) {
			json_object_set_new(o, "message", json_string(p + 2));
			json_object_set_new(o, "file", json_stringn(msg, (size_t)(c - msg)));
			json_object_set_new(o, "line", json_integer(line));
			if (col >= 0)
				json_object_set_new(o, "column", json_integer(col));
			return;
		}
	}
	const char *c = strstr(msg, ": ");
	for (; c; c = strstr(c + 1, ": ")) {
		if (c > msg && is_argument(msg, (size_t)(c - msg))) {
			json_object_set_new(o, "message", json_string(c + 2));
			json_object_set_new(o, "file", json_stringn(msg, (size_t)(c - msg)));
			return;
		}
	}
	json_object_set_new(o, "message", json_string(msg));
}

void cli_error_emit(int rc)
{
	if (!st.json || rc < 2)
		return;
	/* A command that answered with its document and a code (expand's
	 * enforce, verify's failed guest) noted no error: nothing to add,
	 * except for running out of memory, which no command can word. */
	if (!st.code && rc != VCPUID_E_NOMEM)
		return;
	json_t *o = json_object(), *root = json_object();
	if (!o || !root)
		goto out;
	json_object_set_new(o, "class", json_string(vcpuid_status_name(rc)));
	json_object_set_new(o, "code", json_integer(rc));
	if (st.code)
		locate(o, st.msg);
	json_object_set_new(root, "error", o);
	o = NULL;
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
out:
	json_decref(o);
	json_decref(root);
}
