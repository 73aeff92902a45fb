/* SPDX-License-Identifier: MIT */
/* vcpuid diff A B [--kvm] [--json] */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char help[] =
	"usage: vcpuid diff A B [--kvm] [--json]\n"
	"Compare two CPUs: the features only one of them has (grouped by feature\n"
	"word, MSR words included when the inputs carry feature MSRs) and the\n"
	"fields that differ (vendor, brand, family/model/stepping, maximum leaves,\n"
	"hypervisor, address bits, leaf 7 max subleaf, XCR0/XSS and XSAVE sizes).\n"
	"A and B are anything `vcpuid decode` reads: files ('-' = stdin, for one\n"
	"of them), 'live' or 'bundled:NAME'.\n"
	"  --kvm   compare the KVM supported tables instead of the raw ones\n"
	"  --json  machine-readable output (docs/diff.md)\n"
	"Exit codes: 0 identical, 1 different, 2 usage, 3 I/O, 4 parse error,\n"
	"5 unknown format.\n";

/* Fields shown as hex strings in JSON / hex in text. */
static bool hex_field(const char *f)
{
	return !strncmp(f, "max_", 4) || !strcmp(f, "xcr0") || !strcmp(f, "xss");
}

static json_t *field_value(const vcpuid_diff_field *f, bool a)
{
	if (f->is_string)
		return json_string(a ? f->sa : f->sb);
	uint64_t v = a ? f->a : f->b;
	if (hex_field(f->field)) {
		char b[24];
		snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
		return json_string(b);
	}
	return json_integer((json_int_t)v);
}

static void feature_label(const vcpuid_diff_feature *f, char *buf, size_t n)
{
	if (f->name)
		snprintf(buf, n, "%s", f->name);
	else
		snprintf(buf, n, "[%u]", f->bit);
}

static json_t *side_json(const vcpuid_diff *df, bool in_a)
{
	json_t *o = json_object();
	for (size_t i = 0; i < df->nfeat; i++) {
		const vcpuid_diff_feature *f = &df->feat[i];
		if (f->in_a != in_a)
			continue;
		const char *id = vcpuid_word(f->word)->id;
		json_t *arr = json_object_get(o, id);
		if (!arr) {
			arr = json_array();
			json_object_set_new(o, id, arr);
		}
		char lbl[64];
		feature_label(f, lbl, sizeof(lbl));
		json_array_append_new(arr, json_string(lbl));
	}
	return o;
}

static void side_text(const vcpuid_diff *df, bool in_a, const char *title)
{
	bool any = false;
	int cur = -1;
	for (size_t i = 0; i < df->nfeat; i++) {
		const vcpuid_diff_feature *f = &df->feat[i];
		if (f->in_a != in_a)
			continue;
		if (!any) {
			printf("%s:\n", title);
			any = true;
		}
		if ((int)f->word != cur) {
			char loc[48];
			vcpuid_word_location(f->word, loc, sizeof(loc));
			printf("%s  %-15s %-18s", cur < 0 ? "" : "\n",
			       vcpuid_word(f->word)->id, loc);
			cur = (int)f->word;
		}
		char lbl[64];
		feature_label(f, lbl, sizeof(lbl));
		printf(" %s", lbl);
	}
	if (any)
		printf("\n");
}

int cmd_diff(int argc, char **argv)
{
	if (cli_help(argc, argv, help))
		return 0;
	const char *spec[2] = { NULL, NULL };
	int nspec = 0;
	bool json = false, kvm = false, opts_done = false;
	for (int i = 1; i < argc; i++) {
		int orc = cli_decode_opt("diff", argv[i], &opts_done, &json, &kvm);
		if (orc >= 0) {
			if (orc)
				return orc;
		} else if (nspec == 2)
			return cli_usage("diff", "more than two inputs ('%s')", argv[i]);
		else
			spec[nspec++] = argv[i];
	}
	if (nspec != 2)
		return cli_usage("diff", "needs two inputs A and B");
	if (!strcmp(spec[0], "-") && !strcmp(spec[1], "-"))
		return cli_usage("diff", "only one input can be '-'");
	vcpuid_host h[2];
	vcpuid_decoded d[2];
	vcpuid_error err = { 0 };
	bool kvm_used[2] = { kvm, kvm };
	if (cli_decode_host(spec[0], &kvm_used[0], &h[0], &d[0], &err))
		return cli_fail(&err);
	if (cli_decode_host(spec[1], &kvm_used[1], &h[1], &d[1], &err)) {
		vcpuid_host_free(&h[0]);
		return cli_fail(&err);
	}
	vcpuid_diff df;
	int rc = vcpuid_diff_decoded(&d[0], &d[1], &df, &err);
	vcpuid_host_free(&h[0]);
	vcpuid_host_free(&h[1]);
	if (rc)
		return cli_fail(&err);
	bool same = !df.nfeat && !df.nfield;
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "a", json_string(spec[0]));
		json_object_set_new(o, "b", json_string(spec[1]));
		json_object_set_new(o, "table_a", json_string(kvm_used[0] ? "kvm_supported" : "raw"));
		json_object_set_new(o, "table_b", json_string(kvm_used[1] ? "kvm_supported" : "raw"));
		json_object_set_new(o, "identical", json_boolean(same));
		json_t *fields = json_array();
		for (size_t i = 0; i < df.nfield; i++)
			json_array_append_new(fields, json_pack("{s:s, s:o, s:o}",
				"field", df.field[i].field, "a", field_value(&df.field[i], true),
				"b", field_value(&df.field[i], false)));
		json_object_set_new(o, "fields", fields);
		json_object_set_new(o, "only_a", side_json(&df, true));
		json_object_set_new(o, "only_b", side_json(&df, false));
		char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (s) {
			printf("%s\n", s);
			free(s);
		}
	} else {
		printf("--- A: %s%s\n+++ B: %s%s\n", spec[0],
		       kvm_used[0] ? " (KVM supported table)" : "", spec[1],
		       kvm_used[1] ? " (KVM supported table)" : "");
		for (size_t i = 0; i < df.nfield; i++) {
			const vcpuid_diff_field *f = &df.field[i];
			if (f->is_string)
				printf("%-19s A \"%s\"  B \"%s\"\n", f->field, f->sa, f->sb);
			else if (hex_field(f->field))
				printf("%-19s A 0x%llx  B 0x%llx\n", f->field,
				       (unsigned long long)f->a, (unsigned long long)f->b);
			else
				printf("%-19s A %llu  B %llu\n", f->field,
				       (unsigned long long)f->a, (unsigned long long)f->b);
		}
		side_text(&df, true, "only in A");
		side_text(&df, false, "only in B");
		if (same)
			printf("identical\n");
		else
			printf("%zu field(s) and %zu feature bit(s) differ\n", df.nfield,
			       df.nfeat);
	}
	vcpuid_diff_free(&df);
	return same ? 0 : VCPUID_E_NEGATIVE;
}
