/* SPDX-License-Identifier: MIT */
/* explain, compare, migrate-check, baseline, matrix on bundled profiles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

#define ARCH_CAP 0x10A
#define RSBA (1ull << 2)
#define MDS_NO (1ull << 5)
#define TAA_NO (1ull << 8)
#define SBDR_SSDP_NO (1ull << 13)
#define FBSDP_NO (1ull << 14)
#define PSDP_NO (1ull << 15)
#define FB_CLEAR (1ull << 17)
#define IMMUNE (MDS_NO | TAA_NO | SBDR_SSDP_NO | FBSDP_NO | PSDP_NO)

static void load(const char *name, vcpuid_host *h)
{
	char path[512];
	const char *root = getenv("VCPUID_SOURCE_ROOT");
	snprintf(path, sizeof(path), "%s/profiles/%s.json", root ? root : ".", name);
	vcpuid_error err = { 0 };
	if (vcpuid_host_load(path, h, &err))
		fail_msg("%s", err.msg);
}

static bool has_reason(const vcpuid_comparison *c, enum vcpuid_reason_kind k,
		       const char *what, bool fatal)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->r[i].kind == k && c->r[i].fatal == fatal &&
		    (!what || !strcmp(c->r[i].what, what)))
			return true;
	return false;
}

static void msr_rules(void **state)
{
	(void)state;
	vcpuid_comparison c = { 0 };
	/* *_NO bits must be kept. */
	assert_false(vcpuid_msr_value_ok(ARCH_CAP, MDS_NO, 0, &c));
	assert_true(has_reason(&c, VCPUID_REASON_MSR_VALUE, "mds-no", true));
	vcpuid_comparison_free(&c);
	/* RSBA may be added on the destination: a note only. */
	assert_true(vcpuid_msr_value_ok(ARCH_CAP, MDS_NO, MDS_NO | RSBA, &c));
	assert_true(has_reason(&c, VCPUID_REASON_NOTE, "rsba", false));
	vcpuid_comparison_free(&c);
	/* FB_CLEAR tolerated only on an MDS-immune destination. */
	assert_true(vcpuid_msr_value_ok(ARCH_CAP, FB_CLEAR | MDS_NO, IMMUNE, &c));
	vcpuid_comparison_free(&c);
	assert_false(vcpuid_msr_value_ok(ARCH_CAP, FB_CLEAR | MDS_NO,
					 IMMUNE & ~PSDP_NO, &c));
	assert_true(has_reason(&c, VCPUID_REASON_MSR_VALUE, "fb-clear", true));
	vcpuid_comparison_free(&c);
}

static void compare_vendor_and_features(void **state)
{
	(void)state;
	vcpuid_host intel, amd;
	load("fc-intel-cascadelake-6.1", &intel);
	load("fc-amd-milan-6.1", &amd);
	vcpuid_comparison c;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_compare(&intel, "EPYC-Milan", "pc-i440fx-7.2", &c, &err), 0);
	assert_int_equal(c.verdict, VCPUID_INCOMPATIBLE);
	assert_true(has_reason(&c, VCPUID_REASON_VENDOR, "vendor", true));
	vcpuid_comparison_free(&c);
	/* Milan has no AVX-512. */
	assert_int_equal(vcpuid_compare(&amd, "Cascadelake-Server", "pc-i440fx-7.2", &c, &err), 0);
	assert_int_equal(c.verdict, VCPUID_INCOMPATIBLE);
	assert_true(has_reason(&c, VCPUID_REASON_FEATURE, "avx512f", true));
	vcpuid_comparison_free(&c);
	/* Generic models have no vendor to disagree with. */
	assert_int_equal(vcpuid_compare(&amd, "kvm64", "pc-i440fx-7.2", &c, &err), 0);
	assert_false(has_reason(&c, VCPUID_REASON_VENDOR, NULL, true));
	vcpuid_comparison_free(&c);
	/* A small model runs on either; the host has far more. */
	assert_int_equal(vcpuid_compare(&amd, "EPYC", "pc-i440fx-7.2", &c, &err), 0);
	assert_int_equal(c.verdict, VCPUID_SUPERSET);
	assert_true(c.nextra > 0);
	vcpuid_comparison_free(&c);
	vcpuid_host_free(&intel);
	vcpuid_host_free(&amd);
}

static void migrate(void **state)
{
	(void)state;
	vcpuid_host clx, icx;
	load("fc-intel-cascadelake-6.1", &clx);
	load("fc-intel-icelake-6.1", &icx);
	vcpuid_comparison c;
	vcpuid_error err = { 0 };
	/* Same host: identical. */
	assert_int_equal(vcpuid_migrate_check(&icx, &icx, "Icelake-Server", "pc-i440fx-7.2",
					      NULL, &c, &err), 0);
	assert_int_equal(c.verdict, VCPUID_IDENTICAL);
	vcpuid_comparison_free(&c);
	/* Ice Lake guest to Cascade Lake: Ice Lake features are lost. */
	assert_int_equal(vcpuid_migrate_check(&icx, &clx, "Icelake-Server", "pc-i440fx-7.2",
					      NULL, &c, &err), 0);
	assert_int_equal(c.verdict, VCPUID_INCOMPATIBLE);
	assert_true(has_reason(&c, VCPUID_REASON_FEATURE, "avx512vbmi", true));
	vcpuid_comparison_free(&c);
	/* host: the family/model/features follow the host, so the view changes. */
	assert_int_equal(vcpuid_migrate_check(&clx, &icx, "max", "pc-i440fx-7.2",
					      NULL, &c, &err), 0);
	assert_int_equal(c.verdict, VCPUID_INCOMPATIBLE);
	assert_true(has_reason(&c, VCPUID_REASON_CPUID, NULL, true));
	vcpuid_comparison_free(&c);
	vcpuid_host_free(&clx);
	vcpuid_host_free(&icx);

	/* Same features, different phys-bits: only the table shows it. */
	vcpuid_host milan, genoa;
	load("fc-amd-milan-6.1", &milan);
	load("fc-amd-genoa-6.1", &genoa);
	assert_int_equal(vcpuid_migrate_check(&milan, &genoa, "EPYC-Rome,host-phys-bits=on",
					      "pc-i440fx-7.2", NULL, &c, &err), 0);
	assert_int_equal(c.verdict, VCPUID_INCOMPATIBLE);
	assert_true(has_reason(&c, VCPUID_REASON_CPUID, "0x80000008.0", true));
	vcpuid_comparison_free(&c);
	assert_int_equal(vcpuid_migrate_check(&milan, &genoa, "EPYC-Rome", "pc-i440fx-7.2",
					      NULL, &c, &err), 0);
	assert_int_not_equal(c.verdict, VCPUID_INCOMPATIBLE);
	vcpuid_comparison_free(&c);
	vcpuid_host_free(&milan);
	vcpuid_host_free(&genoa);
}

static void baseline_runs_everywhere(void **state)
{
	(void)state;
	const char *names[] = { "fc-intel-cascadelake-6.1", "fc-intel-icelake-6.1",
				"fc-intel-sapphirerapids-6.1" };
	vcpuid_host hs[3];
	const vcpuid_host *ph[3];
	for (int i = 0; i < 3; i++) {
		load(names[i], &hs[i]);
		ph[i] = &hs[i];
	}
	vcpuid_baseline b;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_baseline_compute(ph, 3, "pc-i440fx-7.2",
						 VCPUID_BASELINE_MIGRATABLE, &b, &err), 0);
	assert_non_null(b.model);
	assert_string_equal(b.vendor, "GenuineIntel");
	/* Every host accepts it with enforce. */
	char spec[2100];
	snprintf(spec, sizeof(spec), "%s,enforce", b.spec);
	for (int i = 0; i < 3; i++) {
		vcpuid_cpu c;
		if (vcpuid_cpu_expand(&hs[i], spec, "pc-i440fx-7.2", NULL, &c, &err))
			fail_msg("%s on %s: %s", b.spec, names[i], err.msg);
		assert_int_equal(c.nfiltered, 0);
		vcpuid_cpu_free(&c);
	}
	/* Nothing all three offer (max, migratable) is missing from it. */
	vcpuid_words common;
	memset(common, 0xff, sizeof(common));
	for (int i = 0; i < 3; i++) {
		vcpuid_cpu c;
		assert_int_equal(vcpuid_cpu_expand(&hs[i], "max,check=off", "pc-i440fx-7.2",
						   NULL, &c, &err), 0);
		for (int w = 0; w < VCPUID_NWORDS; w++)
			common[w] &= c.features[w];
		vcpuid_cpu_free(&c);
	}
	for (int w = 0; w < VCPUID_NWORDS; w++)
		for (unsigned bit = 0; bit < 64; bit++) {
			const vcpuid_feature *f = vcpuid_feature_at(w, bit);
			if (!f || !(common[w] >> bit & 1) || f->qemu_since > 702 ||
			    (f->flags & VCPUID_F_COMPUTED))
				continue;
			if (!(b.features[w] >> bit & 1))
				fail_msg("baseline %s lacks common feature %s", b.spec,
					 f->name);
		}
	/* Mixed vendors: no baseline. */
	vcpuid_host amd;
	load("fc-amd-milan-6.1", &amd);
	const vcpuid_host *mixed[2] = { &hs[0], &amd };
	assert_int_equal(vcpuid_baseline_compute(mixed, 2, "pc-i440fx-7.2", 0, &b, &err),
			 VCPUID_E_NEGATIVE);
	vcpuid_host_free(&amd);
	for (int i = 0; i < 3; i++)
		vcpuid_host_free(&hs[i]);
}

/* Every filtered feature of every model on a host is explained by the
 * filter stage, and the cause agrees with the KVM stage data. */
static void explain_every_filtered(void **state)
{
	(void)state;
	vcpuid_host h;
	load("fc-amd-milan-6.1", &h);
	size_t nm;
	const vcpuid_model_def *m = vcpuid_models(&nm);
	unsigned checked = 0;
	for (size_t i = 0; i < nm; i++) {
		if (m[i].qemu_since > 702)
			continue;
		vcpuid_cpu c;
		vcpuid_error err = { 0 };
		char spec[96];
		snprintf(spec, sizeof(spec), "%s,check=off", m[i].name);
		if (vcpuid_cpu_expand(&h, spec, "pc-i440fx-7.2", NULL, &c, &err))
			fail_msg("%s: %s", m[i].name, err.msg);
		for (size_t k = 0; k < c.nfiltered; k++) {
			if (!c.filtered_list[k].name)
				continue;
			vcpuid_explanation e;
			assert_int_equal(vcpuid_explain(&h, &c, c.filtered_list[k].name,
							&e, &err), 0);
			if (e.decisive != VCPUID_STAGE_FILTER || e.final ||
			    e.at[VCPUID_STAGE_FILTER] != VCPUID_FATE_NO)
				fail_msg("%s/%s: decisive %s", m[i].name, e.feature->name,
					 vcpuid_stage_name(e.decisive));
			if (e.at[VCPUID_STAGE_KVM] == VCPUID_FATE_NO &&
			    !strstr(e.cause, "KVM") && !strstr(e.cause, "CPU"))
				fail_msg("%s: cause '%s' ignores the KVM stage",
					 e.feature->name, e.cause);
			checked++;
		}
		vcpuid_explanation *lost;
		size_t nlost;
		assert_int_equal(vcpuid_explain_lost(&h, &c, &lost, &nlost, &err), 0);
		assert_true(nlost >= c.nfiltered / 2);
		free(lost);
		vcpuid_cpu_free(&c);
	}
	assert_true(checked > 0);
	/* The user's -feat is decisive. */
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	vcpuid_explanation e;
	assert_int_equal(vcpuid_cpu_expand(&h, "EPYC,-sse4.2", "pc-i440fx-7.2", NULL,
					   &c, &err), 0);
	assert_int_equal(vcpuid_explain(&h, &c, "sse4_2", &e, &err), 0);
	assert_int_equal(e.decisive, VCPUID_STAGE_USER);
	assert_false(e.final);
	assert_int_equal(vcpuid_explain(&h, &c, "no-such", &e, &err), VCPUID_E_UNKNOWN);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

static void matrix_pools(void **state)
{
	(void)state;
	vcpuid_host hs[3];
	load("fc-intel-icelake-6.1", &hs[0]);
	load("fc-intel-icelake-6.1", &hs[1]);
	load("fc-amd-milan-6.1", &hs[2]);
	const vcpuid_host *ph[3] = { &hs[0], &hs[1], &hs[2] };
	const char *models[] = { "Icelake-Server-v2", "EPYC-v1", "qemu64" };
	vcpuid_matrix m;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_matrix_compute(ph, 3, models, 3, "pc-i440fx-7.2", &m,
					       &err), 0);
	assert_int_equal(m.nmodels, 3);
	/* Two identical hosts share a pool; Milan is alone. */
	assert_int_equal(m.npools, 2);
	assert_int_equal(m.pools[0].nhosts, 2);
	assert_true(m.cells[0 * 3 + 0].usable);  /* Icelake-Server-v2 (noTSX) */
	assert_false(m.cells[0 * 3 + 2].usable); /* Icelake on Milan */
	assert_false(m.cells[1 * 3 + 0].usable); /* EPYC on Ice Lake */
	assert_true(m.cells[1 * 3 + 2].usable);
	assert_non_null(strstr(m.cells[0 * 3 + 2].missing, "avx512f"));
	assert_true(m.cells[2 * 3 + 0].usable);  /* qemu64 everywhere */
	vcpuid_matrix_free(&m);
	for (int i = 0; i < 3; i++)
		vcpuid_host_free(&hs[i]);
}

/* An empty matrix is no answer. */
static void matrix_refuses_empty(void **state)
{
	(void)state;
	vcpuid_host h;
	load("fc-amd-milan-6.1", &h);
	const vcpuid_host *ph[1] = { &h };
	const char *models[] = { "qemu64" };
	vcpuid_matrix m;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_matrix_compute(ph, 0, models, 1, NULL, &m, &err),
			 VCPUID_E_USAGE);
	assert_non_null(strstr(err.msg, "no hosts"));
	assert_int_equal(vcpuid_matrix_compute(ph, 1, models, 0, NULL, &m, &err),
			 VCPUID_E_USAGE);
	assert_non_null(strstr(err.msg, "no models"));
	vcpuid_baseline b;
	assert_int_equal(vcpuid_baseline_compute(ph, 0, NULL, 0, &b, &err),
			 VCPUID_E_USAGE);
	vcpuid_host_free(&h);
}

/* A baseline of one host always exists and expands there with enforce,
 * whatever XSAVE components KVM lacks: the feature enabling a missing
 * component is turned off (pku for PKRU, avx for YMM, avx512f...). */
static void baseline_of_one_host_exists(void **state)
{
	(void)state;
	static const char *const names[] = {
		"fc-amd-milan-6.1", "fc-amd-genoa-6.1", "fc-intel-cascadelake-6.1",
		"fc-intel-icelake-6.1", "fc-intel-sapphirerapids-6.1",
		"fc-intel-graniterapids-6.1",
	};
	static const uint64_t xcomp[] = { 0x3, 0x7, 0xe7, 0x207, 0x2e7 };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		for (size_t x = 0; x < sizeof(xcomp) / sizeof(*xcomp); x++) {
			vcpuid_host h;
			load(names[i], &h);
			h.has_xcomp_guest_supp = true;
			h.xcomp_guest_supp = xcomp[x];
			const vcpuid_host *ph[1] = { &h };
			vcpuid_baseline b;
			vcpuid_error err = { 0 };
			if (vcpuid_baseline_compute(ph, 1, "pc-i440fx-7.2", 0, &b, &err))
				fail_msg("%s, xcomp 0x%llx: %s", names[i],
					 (unsigned long long)xcomp[x], err.msg);
			char spec[2100];
			snprintf(spec, sizeof(spec), "%s,enforce", b.spec);
			vcpuid_cpu c;
			if (vcpuid_cpu_expand(&h, spec, "pc-i440fx-7.2", NULL, &c, &err))
				fail_msg("%s on %s: %s", b.spec, names[i], err.msg);
			assert_int_equal(c.nfiltered, 0);
			/* PKRU missing: pku is off; present: kept when named */
			if (!(xcomp[x] >> 9 & 1))
				assert_false(c.features[VCPUID_W_7_0_ECX] >> 3 & 1);
			vcpuid_cpu_free(&c);
			vcpuid_host_free(&h);
		}
}

/* explain with check's answer: what vCPU 0 kept and whether QEMU starts
 * decide final, whatever the filter said. A made-up apply result: the
 * hypervisor dropped arch-capabilities (7.0.EDX[29]) and KVM_SET_MSRS
 * refused MSR 0x10A. */
static void explain_applied_has_the_last_word(void **state)
{
	(void)state;
	vcpuid_host h;
	load("fc-intel-icelake-6.1", &h);
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_cpu_expand(&h, "Icelake-Server,+arch-capabilities,+sse4.2",
					   "pc-i440fx-7.2", NULL, &c, &err), 0);
	vcpuid_explanation e;
	assert_int_equal(vcpuid_explain(&h, &c, "arch-capabilities", &e, &err), 0);
	assert_true(e.final); /* the filter's answer */
	assert_int_equal(e.at[VCPUID_STAGE_APPLIED], VCPUID_FATE_NA);

	vcpuid_guest g;
	assert_int_equal(vcpuid_guest_build(&h, "Icelake-Server,+arch-capabilities,+sse4.2",
					    "pc-i440fx-7.2", NULL, &g, &err), 0);
	vcpuid_verify_result r;
	memset(&r, 0, sizeof(r));
	r.first.cpuid_set = true;
	assert_int_equal(vcpuid_table_copy(&r.first.requested, &g.vcpus[0].cpuid), 0);
	assert_int_equal(vcpuid_table_copy(&r.first.kept, &g.vcpus[0].cpuid), 0);
	vcpuid_cpuid_entry *l7 = vcpuid_table_find_mut(&r.first.kept, 7, 0);
	assert_non_null(l7);
	assert_true(l7->reg[VCPUID_EDX] >> 29 & 1);
	l7->reg[VCPUID_EDX] &= ~(1u << 29);
	vcpuid_msr_apply refused = { .index = 0x10A, .value = 0x69 };
	r.first.msrs = &refused;
	r.first.nmsrs = 1;
	r.launch_failures = 1;
	snprintf(r.first_launch_failure, sizeof(r.first_launch_failure),
		 "vCPU 0: QEMU 7.2 would abort: \"failed to set MSR 0x10a to 0x69\"");

	assert_int_equal(vcpuid_explain_applied(&h, &c, &r, "arch-capabilities",
						&e, &err), 0);
	assert_false(e.final);
	assert_int_equal(e.at[VCPUID_STAGE_FILTER], VCPUID_FATE_YES);
	assert_int_equal(e.at[VCPUID_STAGE_APPLIED], VCPUID_FATE_NO);
	assert_int_equal(e.at[VCPUID_STAGE_LAUNCH], VCPUID_FATE_NO);
	assert_int_equal(e.at[VCPUID_STAGE_FINAL], VCPUID_FATE_NO);
	assert_int_equal(e.decisive, VCPUID_STAGE_APPLIED);
	assert_non_null(strstr(e.cause, "lost when applied"));
	/* an arch-capabilities MSR bit: the refused MSR */
	assert_int_equal(vcpuid_explain_applied(&h, &c, &r, "mds-no", &e, &err), 0);
	assert_false(e.final);
	assert_non_null(strstr(e.note[VCPUID_STAGE_APPLIED], "refused MSR 0x10a"));
	/* kept, but QEMU would not start */
	assert_int_equal(vcpuid_explain_applied(&h, &c, &r, "sse4.2", &e, &err), 0);
	assert_int_equal(e.at[VCPUID_STAGE_APPLIED], VCPUID_FATE_YES);
	assert_false(e.final);
	assert_int_equal(e.decisive, VCPUID_STAGE_LAUNCH);
	assert_non_null(strstr(e.cause, "failed to set MSR 0x10a"));
	/* the lost list names what was lost when applied, not every feature
	 * QEMU would not start with */
	vcpuid_explanation *lost;
	size_t nlost;
	assert_int_equal(vcpuid_explain_lost_applied(&h, &c, &r, &lost, &nlost, &err), 0);
	bool arch = false;
	for (size_t i = 0; i < nlost; i++) {
		assert_int_not_equal(lost[i].decisive, VCPUID_STAGE_LAUNCH);
		arch |= !strcmp(lost[i].feature->name, "arch-capabilities");
	}
	assert_true(arch);
	free(lost);
	/* QEMU starts and the hypervisor adds a bit the table lacked */
	r.launch_failures = 0;
	r.first.nmsrs = 0;
	r.first_launch_failure[0] = 0;
	vcpuid_cpuid_entry *l1 = vcpuid_table_find_mut(&r.first.kept, 1, 0);
	assert_non_null(l1);
	l1->reg[VCPUID_ECX] |= 1u << 3; /* monitor, not in Icelake-Server */
	assert_int_equal(vcpuid_explain_applied(&h, &c, &r, "monitor", &e, &err), 0);
	assert_true(e.final);
	assert_int_equal(e.decisive, VCPUID_STAGE_APPLIED);
	assert_non_null(strstr(e.cause, "the hypervisor adds it"));

	r.first.msrs = NULL;
	vcpuid_verify_result_free(&r);
	vcpuid_guest_free(&g);
	vcpuid_cpu_free(&c);
	vcpuid_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msr_rules),
		cmocka_unit_test(compare_vendor_and_features),
		cmocka_unit_test(migrate),
		cmocka_unit_test(baseline_runs_everywhere),
		cmocka_unit_test(explain_every_filtered),
		cmocka_unit_test(matrix_pools),
		cmocka_unit_test(matrix_refuses_empty),
		cmocka_unit_test(baseline_of_one_host_exists),
		cmocka_unit_test(explain_applied_has_the_last_word),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
