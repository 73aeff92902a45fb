/* SPDX-License-Identifier: MIT */
/* --cpu SPEC for verify/check: the vCPU tables to apply, built for the live
 * host by the guest builder exactly as QEMU 7.2 would; or "kvm-supported":
 * everything this host's KVM supports, unfiltered, with optional
 * "-feat"/"feat=off" items resolved through the catalog. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpu_source.h"

void cli_vcpus_free(vcpuid_vcpu *vcpus, size_t n)
{
	for (size_t i = 0; vcpus && i < n; i++) {
		vcpuid_table_free(&vcpus[i].cpuid);
		vcpuid_msr_list_free(&vcpus[i].msrs);
	}
	free(vcpus);
}

/* Clear a feature in every vCPU; drop the MSRs whose gate it was. */
static int clear_feature(const char *name, vcpuid_vcpu *v, size_t n,
			 vcpuid_error *err)
{
	size_t nb = 0;
	const vcpuid_feature *f = vcpuid_feature_lookup(name, &nb);
	if (!f) {
		char sug[200] = "";
		vcpuid_feature_suggest(name, sug, sizeof(sug));
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   "--cpu: unknown feature '%s'%s%s", name,
				   *sug ? "; did you mean: " : "", sug);
	}
	for (size_t b = 0; b < nb; b++) {
		const vcpuid_word_info *w = vcpuid_word(f[b].word);
		if (w->kind != VCPUID_WORD_CPUID)
			continue;
		for (size_t i = 0; i < n; i++) {
			vcpuid_cpuid_entry *e = vcpuid_table_find_mut(&v[i].cpuid,
								      w->leaf, w->subleaf);
			if (e)
				e->reg[w->reg] &= ~(1u << f[b].bit);
			size_t np;
			const vcpuid_msr_probe *p = vcpuid_msr_probes(&np);
			for (size_t k = 0; k < np; k++) {
				if (!p[k].leaf || p[k].leaf != w->leaf ||
				    p[k].subleaf != w->subleaf || p[k].reg != w->reg ||
				    p[k].bit != f[b].bit)
					continue;
				vcpuid_msr_list *l = &v[i].msrs;
				for (size_t j = 0; j < l->n; j++)
					if (l->m[j].index == p[k].index) {
						memmove(&l->m[j], &l->m[j + 1],
							(l->n - j - 1) * sizeof(l->m[0]));
						l->n--;
						j--;
					}
			}
		}
	}
	return 0;
}

static int build_supported(const char *spec, const vcpuid_topology *topo,
			   vcpuid_vcpu **vcpus, size_t *n, vcpuid_error *err)
{
	char *s = strdup(spec);
	if (!s)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	char *save = NULL;
	strtok_r(s, ",", &save);
	vcpuid_vm vm;
	int rc = vcpuid_kvm_open(&vm, err);
	if (rc) {
		free(s);
		return rc;
	}
	vcpuid_table sup;
	vcpuid_msr_list msrs;
	vcpuid_table_init(&sup);
	rc = vcpuid_vm_supported(&vm, &sup, &msrs, err);
	vcpuid_vm_destroy(&vm);
	if (rc) {
		vcpuid_table_free(&sup);
		free(s);
		return rc;
	}
	*vcpus = calloc(topo->cpus, sizeof(**vcpus));
	if (!*vcpus)
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	for (unsigned i = 0; !rc && i < topo->cpus; i++) {
		rc = vcpuid_vcpu_from_supported(&sup, &msrs, i,
						vcpuid_apic_id(topo, i),
						&(*vcpus)[i], err);
		*n = i + 1;
	}
	for (char *item = strtok_r(NULL, ",", &save); !rc && item;
	     item = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(item);
		if (item[0] == '-')
			rc = clear_feature(item + 1, *vcpus, *n, err);
		else if (len > 4 && !strcmp(item + len - 4, "=off")) {
			item[len - 4] = 0;
			rc = clear_feature(item, *vcpus, *n, err);
		} else
			rc = vcpuid_fail(err, VCPUID_E_UNSUPPORTED,
					 "--cpu: '%s': kvm-supported takes only -feature "
					 "and feature=off items", item);
	}
	vcpuid_table_free(&sup);
	vcpuid_msr_list_free(&msrs);
	free(s);
	return rc;
}

static int build_model(const char *spec, const char *machine,
		       const vcpuid_topology *topo, vcpuid_vcpu **vcpus,
		       size_t *n, vcpuid_error *err)
{
	/* without usable KVM the live host is VCPUID_E_NOKVM (host.h) */
	vcpuid_host host;
	int rc = vcpuid_host_load_ex("live", VCPUID_PROBE_LAZY | VCPUID_PROBE_CACHE,
				     &host, err);
	vcpuid_guest g;
	memset(&g, 0, sizeof(g));
	if (!rc)
		rc = vcpuid_guest_build(&host, spec, machine, topo, &g, err);
	vcpuid_host_free(&host);
	if (rc)
		return rc;
	for (size_t i = 0; i < g.cpu.nwarnings; i++)
		fprintf(stderr, "qemu-system-x86_64: warning: %s\n", g.cpu.warnings[i]);
	*vcpus = g.vcpus;
	*n = g.nvcpus;
	g.vcpus = NULL;
	g.nvcpus = 0;
	vcpuid_guest_free(&g);
	return 0;
}

int cli_vcpus_verify(const char *spec, const char *machine, const char *smp,
		     const vcpuid_verify_opts *opts, vcpuid_verify_result *r)
{
	vcpuid_error err = { 0 };
	vcpuid_vcpu *v = NULL;
	size_t n = 0;
	int rc = cli_vcpus_build(spec, machine, smp, &v, &n, &err);
	if (rc)
		return cli_fail(&err);
	rc = vcpuid_verify(v, n, opts, r, &err);
	cli_vcpus_free(v, n);
	if (rc)
		return cli_fail(&err);
	return 0;
}

int cli_vcpus_build(const char *spec, const char *machine, const char *smp,
		    vcpuid_vcpu **vcpus, size_t *n, vcpuid_error *err)
{
	*vcpus = NULL;
	*n = 0;
	vcpuid_topology topo;
	int rc = vcpuid_topology_parse(smp ? smp : "2", &topo, err);
	if (rc)
		return rc;
	if (topo.cpus < 1 || topo.cpus > VCPUID_MAX_VCPUS)
		return vcpuid_fail(err, VCPUID_E_LIMIT, "--smp: %u vCPUs; the scratch VM takes "
				   "1..%d", topo.cpus, VCPUID_MAX_VCPUS);
	/* the -cpu syntax before the host: a malformed item is a parse error
	 * (4) and an unknown feature name unknown (5) on both paths, with or
	 * without KVM */
	vcpuid_spec *parsed = malloc(sizeof(*parsed));
	if (!parsed)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	rc = vcpuid_spec_parse(spec, parsed, err);
	free(parsed);
	if (rc)
		return rc;
	size_t ml = strcspn(spec, ",");
	if (ml == strlen("kvm-supported") && !strncmp(spec, "kvm-supported", ml))
		rc = build_supported(spec, &topo, vcpus, n, err);
	else
		rc = build_model(spec, machine, &topo, vcpus, n, err);
	if (rc) {
		cli_vcpus_free(*vcpus, *n);
		*vcpus = NULL;
		*n = 0;
	}
	return rc;
}
