/* SPDX-License-Identifier: MIT */
/* vcpuid matrix --hosts DIR|FILES [--models all|LIST] [--format table|json|html] */
#include <getopt.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "qemu_opt.h"
#include "cli_hosts.h"
#include "vcpuid/fleet.h"
#include "vcpuid/level.h"

static const char help[] =
	"usage: vcpuid matrix --hosts DIR|FILE [--hosts ...] [--models all|M1,M2,...]\n"
	"                     [--machine M] [--qemu VERSION]\n"
	"                     [--format table|json|html] [--json] [-o|--output FILE]\n"
	"                     [--cross-vendor] [--jobs N]\n"
	"Which CPU models every host can run (the missing features of each cell\n"
	"on hover in HTML, in JSON), and the hosts grouped into pools that can run\n"
	"the same models, each with its baseline -cpu spec. --json is --format json.\n"
	"  --cross-vendor  pool the hosts across vendors (Intel and AMD) by the\n"
	"                x86-64 level they offer, each pool with a vendor-neutral\n"
	"                baseline (as 'vcpuid baseline --cross-vendor')\n"
	"  --jobs N      read the host files with N threads (default: the CPUs);\n"
	"                identical files are one column that says how many it covers\n"
	"  --machine M   machine type (default the newest of the release)\n"
	CLI_QEMU_HELP;

static void put_html(cli_buf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': cli_bprintf(b, "&lt;"); break;
		case '>': cli_bprintf(b, "&gt;"); break;
		case '&': cli_bprintf(b, "&amp;"); break;
		case '"': cli_bprintf(b, "&quot;"); break;
		default: cli_bprintf(b, "%c", *s);
		}
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The level a model gets where it is usable: "v3", "v2-v3" when hosts
 * differ, "-" when usable nowhere. */
static const char *row_level(const vcpuid_matrix *m, size_t i, char *buf, size_t len)
{
	int lo = 99, hi = -1;
	for (size_t h = 0; h < m->nhosts; h++) {
		const vcpuid_matrix_cell *c = &m->cells[i * m->nhosts + h];
		if (!c->usable)
			continue;
		lo = c->level < lo ? c->level : lo;
		hi = c->level > hi ? c->level : hi;
	}
	if (hi < 0)
		snprintf(buf, len, "-");
	else if (lo == hi)
		snprintf(buf, len, "%s", vcpuid_level_name(lo) + 7);
	else
		snprintf(buf, len, "%s-%s", vcpuid_level_name(lo) + 7,
			 vcpuid_level_name(hi) + 7);
	return buf;
}

static const char *pool_level(int l)
{
	return l < 0 ? "" : vcpuid_level_name(l);
}

static void as_table(const vcpuid_matrix *m, const vcpuid_host *hs,
		     const size_t *covers, cli_buf *b)
{
	char lv[16];
	cli_bprintf(b, "%-34s %-6s", "model", "level");
	for (size_t h = 0; h < m->nhosts; h++)
		cli_bprintf(b, " H%-3zu", h + 1);
	cli_bprintf(b, "\n");
	for (size_t i = 0; i < m->nmodels; i++) {
		cli_bprintf(b, "%-34s %-6s", m->models[i], row_level(m, i, lv, sizeof(lv)));
		for (size_t h = 0; h < m->nhosts; h++)
			cli_bprintf(b, " %-4s", m->cells[i * m->nhosts + h].usable ? "yes" : "-");
		cli_bprintf(b, "\n");
	}
	cli_bprintf(b, "\nhosts:\n");
	for (size_t h = 0; h < m->nhosts; h++)
		if (covers[h] > 1)
			cli_bprintf(b, "  H%-3zu %s (and %zu identical)\n", h + 1,
				    hs[h].source, covers[h] - 1);
		else
			cli_bprintf(b, "  H%-3zu %s\n", h + 1, hs[h].source);
	cli_bprintf(b, "pools:\n");
	for (size_t p = 0; p < m->npools; p++) {
		size_t cov = 0;
		for (size_t i = 0; i < m->pools[p].nhosts; i++)
			cov += covers[m->pools[p].hosts[i]];
		cli_bprintf(b, "  pool %zu (%zu host%s):", p + 1, cov, cov == 1 ? "" : "s");
		for (size_t i = 0; i < m->pools[p].nhosts; i++)
			cli_bprintf(b, " H%zu", m->pools[p].hosts[i] + 1);
		cli_bprintf(b, "\n    baseline: %s%s%s\n",
		    m->pools[p].baseline ? m->pools[p].baseline : "(none)",
		    m->pools[p].level >= 0 ? "  " : "", pool_level(m->pools[p].level));
	}
}

static void as_json(const vcpuid_matrix *m, const vcpuid_host *hs,
		    const size_t *covers, cli_buf *b)
{
	json_t *hosts = json_array(), *models = json_array(), *pools = json_array();
	json_t *cov = json_array();
	for (size_t h = 0; h < m->nhosts; h++) {
		json_array_append_new(hosts, json_string(hs[h].source));
		json_array_append_new(cov, json_integer((json_int_t)covers[h]));
	}
	for (size_t i = 0; i < m->nmodels; i++) {
		json_t *cells = json_array();
		for (size_t h = 0; h < m->nhosts; h++) {
			const vcpuid_matrix_cell *c = &m->cells[i * m->nhosts + h];
			json_t *miss = json_array();
			char *dup = strdup(c->missing ? c->missing : "");
			for (char *sv, *t = strtok_r(dup, " ", &sv); t;
			     t = strtok_r(NULL, " ", &sv))
				json_array_append_new(miss, json_string(t));
			free(dup);
			json_array_append_new(cells, json_pack("{s:b, s:o, s:s}",
				"usable", c->usable, "missing", miss, "level",
				vcpuid_level_name(c->level)));
		}
		char lv[16];
		row_level(m, i, lv, sizeof(lv));
		json_array_append_new(models, json_pack("{s:s, s:s?, s:o}", "name",
			m->models[i], "level", strcmp(lv, "-") ? lv : NULL,
			"hosts", cells));
	}
	for (size_t p = 0; p < m->npools; p++) {
		json_t *members = json_array();
		for (size_t i = 0; i < m->pools[p].nhosts; i++)
			json_array_append_new(members, json_integer(
				(json_int_t)m->pools[p].hosts[i]));
		json_array_append_new(pools, json_pack("{s:o, s:s?, s:s?}", "hosts",
			members, "baseline", m->pools[p].baseline, "level",
			m->pools[p].level >= 0 ? vcpuid_level_name(m->pools[p].level)
					       : NULL));
	}
	json_t *root = json_pack("{s:o, s:o, s:o, s:o}", "hosts", hosts, "covers",
				 cov, "models", models, "pools", pools);
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	cli_bprintf(b, "%s\n", s);
	free(s);
	json_decref(root);
}

static void as_html(const vcpuid_matrix *m, const vcpuid_host *hs,
		    const size_t *covers, cli_buf *b)
{
	cli_bprintf(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	       "<title>vcpuid: CPU models x hosts</title>\n<style>\n"
	       "body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}\n"
	       "td,th{border:1px solid #bbb;padding:2px 6px;font-size:13px}\n"
	       "th.h{writing-mode:vertical-rl;transform:rotate(180deg)}\n"
	       "td.y{background:#b7e1b0;text-align:center}"
	       "td.n{background:#f3b6b0;text-align:center;cursor:help}\n"
	       "code{background:#eee;padding:1px 3px}\n</style></head><body>\n"
	       "<h1>CPU models &times; hosts</h1>\n"
	       "<p>Green: the host can run the model with nothing filtered. Red: "
	       "hover for the features the host lacks.</p>\n<table><tr><th>model</th>"
	       "<th>x86-64 level</th>");
	for (size_t h = 0; h < m->nhosts; h++) {
		cli_bprintf(b, "<th class=\"h\" title=\"");
		put_html(b, hs[h].source);
		cli_bprintf(b, "\">");
		put_html(b, base(hs[h].source));
		if (covers[h] > 1)
			cli_bprintf(b, " (x%zu)", covers[h]);
		cli_bprintf(b, "</th>");
	}
	cli_bprintf(b, "</tr>\n");
	for (size_t i = 0; i < m->nmodels; i++) {
		cli_bprintf(b, "<tr><td>");
		put_html(b, m->models[i]);
		char lv[16];
		cli_bprintf(b, "</td><td>%s</td>", row_level(m, i, lv, sizeof(lv)));
		for (size_t h = 0; h < m->nhosts; h++) {
			const vcpuid_matrix_cell *c = &m->cells[i * m->nhosts + h];
			if (c->usable) {
				cli_bprintf(b, "<td class=\"y\">&#10003;</td>");
				continue;
			}
			cli_bprintf(b, "<td class=\"n\" title=\"missing: ");
			put_html(b, c->missing ? c->missing : "");
			cli_bprintf(b, "\">&#10007;</td>");
		}
		cli_bprintf(b, "</tr>\n");
	}
	cli_bprintf(b, "</table>\n<h2>Pools</h2>\n<ol>\n");
	for (size_t p = 0; p < m->npools; p++) {
		cli_bprintf(b, "<li>");
		for (size_t i = 0; i < m->pools[p].nhosts; i++) {
			cli_bprintf(b, "%s", i ? ", " : "");
			put_html(b, base(hs[m->pools[p].hosts[i]].source));
		}
		cli_bprintf(b, "<br>baseline: <code>");
		put_html(b, m->pools[p].baseline ? m->pools[p].baseline : "(none)");
		cli_bprintf(b, "</code> %s</li>\n", pool_level(m->pools[p].level));
	}
	cli_bprintf(b, "</ol>\n</body></html>\n");
}

int cmd_matrix(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "hosts", required_argument, 0, 'H' },
		{ "models", required_argument, 0, 'M' },
		{ "machine", required_argument, 0, 'm' },
		{ "qemu", required_argument, 0, 'Q' },
		{ "format", required_argument, 0, 'f' },
		{ "json", no_argument, 0, 'j' },
		{ "output", required_argument, 0, 'o' },
		{ "cross-vendor", no_argument, 0, 'X' },
		{ "jobs", required_argument, 0, 'J' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 } };
	char **specs = calloc((size_t)argc + 1, sizeof(char *));
	size_t nspecs = 0;
	const char *models = "all", *machine = NULL, *format = "table", *outp = NULL;
	const char *qemu = NULL;
	int o, rc;
	unsigned mflags = 0, jobs = 0;
	optind = 1;
	if (!specs)
		return VCPUID_E_NOMEM;
	while ((o = getopt_long(argc, argv, "H:M:m:Q:f:o:hXJ:", opts, NULL)) != -1) {
		switch (o) {
		case 'H': specs[nspecs++] = optarg; break;
		case 'M': models = optarg; break;
		case 'm': machine = optarg; break;
		case 'Q': qemu = optarg; break;
		case 'f': format = optarg; break;
		case 'j': format = "json"; break;
		case 'X': mflags |= VCPUID_MATRIX_CROSS_VENDOR; break;
		case 'J':
			if (cli_jobs("matrix", optarg, &jobs)) {
				free(specs);
				return VCPUID_E_USAGE;
			}
			break;
		case 'o':
			if ((rc = cli_set_output("matrix", optarg, &outp))) {
				free(specs);
				return rc;
			}
			break;
		case 'h': fputs(help, stdout); free(specs); return 0;
		default: free(specs); return cli_getopt_fail("matrix", "H:M:m:Q:f:o:hXJ:", argv);
		}
	}
	while (optind < argc)
		specs[nspecs++] = argv[optind++];
	if (!nspecs) {
		free(specs);
		return cli_usage("matrix", "--hosts DIR|FILE is required");
	}
	char mbuf[96];
	int mrc = cli_machine_arg("matrix", machine, qemu, mbuf, sizeof(mbuf),
				  &machine);
	if (mrc) {
		free(specs);
		return mrc;
	}
	if (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "html")) {
		free(specs);
		return cli_usage("matrix", "unknown --format '%s' (table, json, html)", format);
	}
	if (strcmp(models, "all") && !models[strspn(models, ",")]) {
		free(specs);
		return cli_usage("matrix", "--models '%s' names no model", models);
	}
	vcpuid_hostset set;
	rc = cli_load_hostset(specs, nspecs, jobs, &set);
	free(specs);
	if (rc)
		return rc;
	vcpuid_host *hs = set.hosts;
	size_t n = set.n;
	char *list = strcmp(models, "all") ? strdup(models) : NULL;
	const char *names[512];
	size_t nnames = 0;
	for (char *sv, *t = list ? strtok_r(list, ",", &sv) : NULL; t && nnames < 512;
	     t = strtok_r(NULL, ",", &sv))
		names[nnames++] = t;
	const vcpuid_host **ph = calloc(n ? n : 1, sizeof(*ph));
	for (size_t i = 0; ph && i < n; i++)
		ph[i] = &hs[i];
	vcpuid_matrix m;
	vcpuid_error err = { 0 };
	rc = ph ? vcpuid_matrix_compute_ex(ph, n, list ? names : NULL, nnames, machine,
					   mflags,
					&m, &err)
		: vcpuid_fail(&err, VCPUID_E_NOMEM, "out of memory");
	free(ph);
	if (rc) {
		free(list);
		vcpuid_hostset_free(&set);
		return cli_fail(&err);
	}
	cli_buf b = { 0 };
	if (!strcmp(format, "json"))
		as_json(&m, hs, set.covers, &b);
	else if (!strcmp(format, "html"))
		as_html(&m, hs, set.covers, &b);
	else
		as_table(&m, hs, set.covers, &b);
	rc = b.s ? cli_output(outp, b.s) : VCPUID_E_NOMEM;
	free(b.s);
	free(list);
	vcpuid_matrix_free(&m);
	vcpuid_hostset_free(&set);
	return rc;
}
