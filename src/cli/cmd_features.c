/* SPDX-License-Identifier: MIT */
/* vcpuid features [NAME...] [--json]: list the catalog or look names up.
 * Everything printed comes from the catalog (src/lib/data/features.def). */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char help[] =
	"usage: vcpuid features [NAME...] [--json] [-o FILE]\n"
	"\n"
	"List every CPU feature name vcpuid knows (QEMU's names), grouped by\n"
	"feature word, or look up the NAMEs given. Aliases are accepted and '_'\n"
	"equals '-'. A name on two bits (kvmclock) gives one entry per bit.\n"
	"\n"
	"  --json      print JSON (schema in docs/features.md)\n"
	"  -o, --output FILE  write the output to FILE instead of standard output\n"
	"\n"
	"Exit codes: 0 ok, 2 usage, 3 cannot write FILE, 5 unknown feature name.\n";

static const char *const reg_names[] = { "EAX", "EBX", "ECX", "EDX" };



static void flag_text(const vcpuid_feature *f, char *out, size_t len)
{
	static const struct {
		unsigned flag;
		const char *name;
	} names[] = {
		{ VCPUID_F_UNMIGRATABLE, "unmigratable" },
		{ VCPUID_F_NO_AUTOENABLE, "no-autoenable" },
		{ VCPUID_F_LINUX_HIDDEN, "linux-hidden" },
		{ VCPUID_F_AMD_ALIAS, "amd-alias" },
		{ VCPUID_F_COMPUTED, "computed" },
	};
	size_t off = 0;
	out[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((f->flags & names[i].flag) && off < len)
			off += (size_t)snprintf(out + off, len - off, "%s%s",
						off ? "," : "", names[i].name);
	if (!off)
		snprintf(out, len, "-");
}

static void text_row(cli_buf *b, const vcpuid_feature *f, bool with_loc)
{
	char flags[96], loc[40] = "";
	flag_text(f, flags, sizeof(flags));
	if (with_loc)
		vcpuid_word_location(f->word, loc, sizeof(loc));
	cli_bprintf(b, "  %-36s %-*s%sbit %-2u  %-22s %-26s %2u.%-2u %s\n",
		f->name, with_loc ? 20 : 0, loc, with_loc ? " " : "", f->bit,
		*f->linux_name ? f->linux_name : "-", flags,
		f->qemu_since / 100, f->qemu_since % 100, f->desc);
}

static void add_alias(const char *alias, void *ctx)
{
	json_array_append_new(ctx, json_string(alias));
}

static json_t *hexstr(uint64_t v)
{
	char s[24];
	snprintf(s, sizeof(s), "0x%llx", (unsigned long long)v);
	return json_string(s);
}

static json_t *json_feature(const vcpuid_feature *f, const char *query)
{
	const vcpuid_word_info *wi = vcpuid_word(f->word);
	char loc[40];
	vcpuid_word_location(f->word, loc, sizeof(loc));
	json_t *o = json_object();
	json_t *al = json_array();
	vcpuid_feature_aliases_of(f->name, add_alias, al);
	if (query)
		json_object_set_new(o, "query", json_string(query));
	json_object_set_new(o, "name", json_string(f->name));
	json_object_set_new(o, "aliases", al);
	json_object_set_new(o, "word", json_string(wi->id));
	json_object_set_new(o, "location", json_string(loc));
	if (wi->kind == VCPUID_WORD_CPUID) {
		json_object_set_new(o, "leaf", hexstr(wi->leaf));
		json_object_set_new(o, "subleaf", hexstr(wi->subleaf));
		json_object_set_new(o, "register",
				    json_string(reg_names[wi->reg]));
	} else {
		json_object_set_new(o, "msr", hexstr(wi->msr));
	}
	json_object_set_new(o, "bit", json_integer(f->bit));
	json_object_set_new(o, "linux", json_string(f->linux_name));
	json_object_set_new(o, "linux_hidden",
			    json_boolean(f->flags & VCPUID_F_LINUX_HIDDEN));
	json_object_set_new(o, "unmigratable",
			    json_boolean(f->flags & VCPUID_F_UNMIGRATABLE));
	json_object_set_new(o, "no_autoenable",
			    json_boolean(f->flags & VCPUID_F_NO_AUTOENABLE));
	json_object_set_new(o, "amd_alias",
			    json_boolean(f->flags & VCPUID_F_AMD_ALIAS));
	json_object_set_new(o, "computed",
			    json_boolean(f->flags & VCPUID_F_COMPUTED));
	json_object_set_new(o, "qemu_since", json_integer(f->qemu_since));
	json_object_set_new(o, "description", json_string(f->desc));
	return o;
}

static int emit(const char *out, json_t *root, cli_buf *b)
{
	int rc;
	if (root) {
		char *t = cli_json_text(root);
		json_decref(root);
		if (!t)
			return cli_error(VCPUID_E_NOMEM, "out of memory");
		rc = cli_output(out, t);
		free(t);
		return rc;
	}
	if (b->oom) {
		free(b->s);
		return cli_error(VCPUID_E_NOMEM, "out of memory");
	}
	rc = cli_output(out, b->s ? b->s : "");
	free(b->s);
	return rc;
}

static int list_all(bool json, const char *out)
{
	cli_buf b = { 0 };
	json_t *root = json ? json_object() : NULL, *arr = NULL;
	if (json) {
		arr = json_array();
		json_object_set_new(root, "features", arr);
	} else {
		cli_bprintf(&b, "# %-34s %-6s  %-22s %-26s %-5s %s\n", "name",
			"bit", "linux", "flags", "qemu", "description");
	}
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		const vcpuid_feature *fs[64];
		size_t n = vcpuid_word_features(w, fs, 64);
		if (!n)
			continue;
		if (!json) {
			char loc[40];
			vcpuid_word_location(w, loc, sizeof(loc));
			cli_bprintf(&b, "\n%s (%s)\n", loc, vcpuid_word(w)->id);
		}
		for (size_t i = 0; i < n; i++) {
			if (json)
				json_array_append_new(arr, json_feature(fs[i], NULL));
			else
				text_row(&b, fs[i], false);
		}
	}
	return emit(out, root, &b);
}

int cmd_features(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	bool json = false;
	const char *out = NULL;
	const char **names = calloc((size_t)argc, sizeof(*names));
	size_t nn = 0;
	if (!names) {
		return cli_error(VCPUID_E_NOMEM, "out of memory");
	}
	bool opts = true;
	int orc;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (opts && !strcmp(a, "--")) {
			opts = false;
		} else if (opts && !strcmp(a, "--json")) {
			json = true;
		} else if (opts && (orc = cli_output_opt("features", argc, argv,
							   &i, &out)) >= 0) {
			if (orc) {
				free(names);
				return orc;
			}
		} else if (opts && a[0] == '-' && a[1]) {
			free(names);
			return cli_usage("features", "unknown option '%s'", a);
		} else {
			names[nn++] = a;
		}
	}
	if (!nn) {
		free(names);
		return list_all(json, out);
	}

	/* Every name must be known before anything is printed. */
	int rc = 0;
	for (size_t i = 0; i < nn; i++) {
		if (vcpuid_feature_lookup(names[i], NULL))
			continue;
		char sug[160];
		vcpuid_feature_suggest(names[i], sug, sizeof(sug));
		if (*sug)
			rc = cli_error(VCPUID_E_UNKNOWN,
				       "unknown feature '%s' (did you mean: %s?)",
				       names[i], sug);
		else
			rc = cli_error(VCPUID_E_UNKNOWN, "unknown feature '%s'",
				       names[i]);
	}
	if (rc) {
		free(names);
		return rc;
	}

	cli_buf b = { 0 };
	json_t *root = json ? json_object() : NULL, *arr = NULL;
	if (json) {
		arr = json_array();
		json_object_set_new(root, "features", arr);
	}
	for (size_t i = 0; i < nn; i++) {
		size_t nbits = 0;
		const vcpuid_feature *f = vcpuid_feature_lookup(names[i], &nbits);
		for (size_t k = 0; k < nbits; k++) {
			if (json) {
				json_array_append_new(arr,
						      json_feature(&f[k], names[i]));
				continue;
			}
			char norm[64];
			vcpuid_feature_normalize(names[i], norm, sizeof(norm));
			if (k == 0 && strcmp(norm, f->name))
				cli_bprintf(&b, "%s: alias of %s\n", names[i], f->name);
			text_row(&b, &f[k], true);
		}
	}
	free(names);
	return emit(out, root, &b);
}
