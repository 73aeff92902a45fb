/* SPDX-License-Identifier: MIT */
/* --format qmp: QEMU's QMP answers (include/vcpuid/qmp.h, docs/qmp.md),
 * printed for models, expand, compare and baseline. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "qmp_out.h"

int cli_format_opt(const char *cmd, const char *val, const char *const *allowed,
		   const char **out)
{
	for (const char *const *a = allowed; *a; a++)
		if (!strcmp(val, *a)) {
			*out = *a;
			return 0;
		}
	char list[128] = "";
	for (const char *const *a = allowed; *a; a++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 a == allowed ? "" : ", ", *a);
	return cli_usage(cmd, "unknown --format '%s' (%s)", val, list);
}

static int print(int rc, char *json, const vcpuid_error *err, const char *out)
{
	if (rc)
		return cli_fail(err);
	rc = cli_output(out, json);
	free(json);
	return rc;
}

int cli_qmp_models(const vcpuid_host *host, const char *machine)
{
	vcpuid_error err = { 0 };
	char *json = NULL;
	int rc = vcpuid_qmp_cpu_definitions(host, machine, &json, &err);
	return print(rc, json, &err, NULL);
}

int cli_qmp_expand(const vcpuid_host *host, const char *spec,
		   const char *machine, const char *expansion, const char *out)
{
	enum vcpuid_qmp_expansion type;
	if (!expansion || !strcmp(expansion, "full"))
		type = VCPUID_QMP_FULL;
	else if (!strcmp(expansion, "static"))
		type = VCPUID_QMP_STATIC;
	else
		return cli_usage("expand", "unknown --expansion '%s' (static, full)",
				 expansion);
	vcpuid_error err = { 0 };
	char *json = NULL;
	int rc = vcpuid_qmp_cpu_model_expansion(host, spec, machine, type, &json,
						&err);
	return print(rc, json, &err, out);
}

int cli_qmp_comparison(const vcpuid_comparison *c, cli_buf *b)
{
	vcpuid_error err = { 0 };
	char *json = NULL;
	int rc = vcpuid_qmp_cpu_model_comparison(c, &json, &err);
	if (rc)
		return cli_fail(&err);
	cli_bprintf(b, "%s", json);
	free(json);
	return 0;
}

int cli_qmp_baseline(const vcpuid_baseline *bl)
{
	vcpuid_error err = { 0 };
	char *json = NULL;
	int rc = vcpuid_qmp_cpu_model_baseline(bl, &json, &err);
	return print(rc, json, &err, NULL);
}
