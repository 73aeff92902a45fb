/* SPDX-License-Identifier: MIT */
/* The QEMU release axis: machine types as a release runs them (the
 * pc_compat rows applied), "M@X.Y", release parsing, and
 * vcpuid_upgrade_check on bundled profiles of both vendors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

static void load(const char *name, vcpuid_host *h)
{
	char path[512];
	const char *root = getenv("VCPUID_SOURCE_ROOT");
	snprintf(path, sizeof(path), "%s/profiles/%s.json", root ? root : ".", name);
	vcpuid_error err = { 0 };
	if (vcpuid_host_load(path, h, &err))
		fail_msg("%s", err.msg);
}

static size_t ncompat(const vcpuid_machine *m)
{
	size_t n = 0;
	while (m->compat && m->compat[n].driver)
		n++;
	return n;
}

static const char *compat_value(const vcpuid_machine *m, const char *prop)
{
	for (size_t i = 0; m->compat && m->compat[i].driver; i++)
		if (!strcmp(m->compat[i].prop, prop))
			return m->compat[i].value;
	return NULL;
}

static void test_releases(void **state)
{
	(void)state;
	size_t n;
	const uint16_t *r = vcpuid_qemu_releases(&n);
	assert_int_equal(n, 12);
	assert_int_equal(r[0], 702);
	assert_int_equal(r[n - 1], 1101);
	assert_int_equal(vcpuid_qemu_release_parse("7.2"), 702);
	assert_int_equal(vcpuid_qemu_release_parse("11.1"), 1101);
	assert_int_equal(vcpuid_qemu_release_parse("10.0"), 1000);
	assert_int_equal(vcpuid_qemu_release_parse("7.1"), 0);
	assert_int_equal(vcpuid_qemu_release_parse("11"), 0);
	assert_int_equal(vcpuid_qemu_release_parse("11.1x"), 0);
	assert_int_equal(vcpuid_qemu_release_parse(" 8.0"), 0);
	assert_int_equal(vcpuid_qemu_release_parse(NULL), 0);
}

static void test_machine_in(void **state)
{
	(void)state;
	/* a type run by its own release: the plain entry, no compat */
	const vcpuid_machine *own = vcpuid_machine_find("pc-i440fx-7.2");
	assert_non_null(own);
	assert_ptr_equal(vcpuid_machine_in("pc-i440fx-7.2", 702), own);
	assert_ptr_equal(vcpuid_machine_in("pc-i440fx-7.2", 0), own);
	assert_int_equal(ncompat(own), 0);

	/* QEMU 11.1 running 7.2: pc_compat_9_0 and 10_0 */
	const vcpuid_machine *m = vcpuid_machine_in("pc-i440fx-7.2", 1101);
	assert_non_null(m);
	assert_string_equal(m->name, "pc-i440fx-7.2");
	assert_int_equal(m->qemu, 1101);
	assert_int_equal(m->type, 702);
	assert_int_equal(ncompat(m), 8);
	assert_string_equal(compat_value(m, "x-l1-cache-per-thread"), "false");
	assert_string_equal(compat_value(m, "x-arch-cap-always-on"), "true");
	assert_ptr_equal(vcpuid_machine_find("pc-i440fx-7.2@11.1"), m);

	/* 9.1 .. 10.0 on 11.1: only pc_compat_10_0 */
	m = vcpuid_machine_in("pc-q35-9.1", 1101);
	assert_int_equal(ncompat(m), 4);
	assert_null(compat_value(m, "legacy-multi-node"));
	/* 9.0 on 9.1: pc_compat_9_0 only; on 9.0 itself none */
	assert_int_equal(ncompat(vcpuid_machine_in("pc-i440fx-9.0", 901)), 4);
	assert_int_equal(ncompat(vcpuid_machine_in("pc-i440fx-9.0", 900)), 0);
	/* 10.1 .. 11.1 on 11.1: none */
	assert_int_equal(ncompat(vcpuid_machine_in("pc-i440fx-10.1", 1101)), 0);

	/* newest type of a release */
	m = vcpuid_machine_in(NULL, 801);
	assert_string_equal(m->name, "pc-i440fx-8.1");
	assert_int_equal(m->qemu, 801);
	assert_string_equal(vcpuid_machine_find("q35@9.2")->name, "pc-q35-9.2");
	assert_string_equal(vcpuid_machine_find("@10.2")->name, "pc-i440fx-10.2");

	/* a type newer than the release, unknown names and releases */
	assert_null(vcpuid_machine_in("pc-i440fx-9.0", 801));
	assert_null(vcpuid_machine_in("pc-i440fx-1.0", 1101));
	assert_null(vcpuid_machine_in("pc-i440fx-7.2", 703));
	assert_null(vcpuid_machine_find("pc-i440fx-7.2@7.3"));
	assert_null(vcpuid_machine_find("pc-i440fx-7.2@"));
}

/* The release decides the models: QEMU 11.1 offers every model on
 * pc-i440fx-7.2, QEMU 7.2 does not know SapphireRapids. */
static void test_models_by_release(void **state)
{
	(void)state;
	vcpuid_model_ref ref;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_model_resolve("SapphireRapids",
		vcpuid_machine_find("pc-i440fx-7.2@11.1"), &ref, &err), 0);
	assert_int_equal(vcpuid_model_resolve("SapphireRapids",
		vcpuid_machine_find("pc-i440fx-7.2@7.2"), &ref, &err),
		VCPUID_E_UNKNOWN);
}

static const vcpuid_upgrade_diff *find(const vcpuid_upgrade *u,
				       enum vcpuid_diff_kind k, uint32_t fn,
				       uint32_t idx, enum vcpuid_reg reg)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->d[i].kind == k && u->d[i].function == fn &&
		    u->d[i].index == idx &&
		    (k != VCPUID_DIFF_REG || u->d[i].reg == reg))
			return &u->d[i];
	return NULL;
}

static void test_upgrade_pentium2(void **state)
{
	(void)state;
	vcpuid_host h;
	load("fc-intel-cascadelake-6.1", &h);
	vcpuid_topology t;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_topology_parse("8,sockets=1,dies=2,cores=2,threads=2",
					       &t, &err), 0);
	vcpuid_upgrade u;
	assert_int_equal(vcpuid_upgrade_check(&h, "pentium2", "pc-i440fx-7.2",
					      702, 1101, &t, &u, &err), 0);
	assert_int_equal(u.from->qemu, 702);
	assert_int_equal(u.to->qemu, 1101);
	assert_true(u.nvisible > 0);
	/* the pentium cache table: QEMU 10.1 */
	const vcpuid_upgrade_diff *d = find(&u, VCPUID_DIFF_REG, 4, 2, VCPUID_EBX);
	assert_non_null(d);
	assert_true(d->visible);
	assert_int_equal(d->from, 0x03c0003f);
	assert_int_equal(d->to, 0x01c0003f);
	assert_int_equal(d->vcpus, 0xff);
	assert_int_equal(d->ncauses, 1);
	assert_int_equal(d->causes[0].qemu, 1001);
	assert_string_equal(d->causes[0].change->id, "LEGACY_CPUID2_CACHE_MODEL");
	/* leaf 2's flags: KVM only */
	d = find(&u, VCPUID_DIFF_FLAGS, 2, 0, VCPUID_EAX);
	assert_non_null(d);
	assert_false(d->visible);
	assert_string_equal(d->causes[0].change->id, "LEAF2_FLAGS_IF_REPEATED");
	for (size_t i = 0; i < u.n; i++)
		for (size_t k = 0; k < u.d[i].ncauses; k++)
			assert_non_null(u.d[i].causes[k].change);
	vcpuid_upgrade_free(&u);

	/* the same release: nothing; a downgrade: the same locations */
	assert_int_equal(vcpuid_upgrade_check(&h, "pentium2", "pc-i440fx-7.2",
					      1101, 1101, &t, &u, &err), 0);
	assert_int_equal(u.n, 0);
	vcpuid_upgrade_free(&u);
	assert_int_equal(vcpuid_upgrade_check(&h, "pentium2", "pc-i440fx-7.2",
					      1101, 702, &t, &u, &err), 0);
	d = find(&u, VCPUID_DIFF_REG, 4, 2, VCPUID_EBX);
	assert_non_null(d);
	assert_int_equal(d->from, 0x01c0003f);
	assert_int_equal(d->causes[0].qemu, 1001);
	vcpuid_upgrade_free(&u);
	vcpuid_host_free(&h);
}

static void test_upgrade_errors(void **state)
{
	(void)state;
	vcpuid_host h;
	load("fc-amd-genoa-6.1", &h);
	vcpuid_upgrade u;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_upgrade_check(&h, "EPYC", "pc-i440fx-9.0", 800,
					      1101, NULL, &u, &err),
			 VCPUID_E_UNKNOWN);
	assert_int_equal(vcpuid_upgrade_check(&h, "SapphireRapids",
					      "pc-i440fx-7.2", 702, 1101, NULL,
					      &u, &err), VCPUID_E_UNKNOWN);
	/* 486 with threads on an AMD host: cmp-legacy as a feature (10.0) */
	vcpuid_topology t;
	assert_int_equal(vcpuid_topology_parse("4,sockets=1,cores=2,threads=2",
					       &t, &err), 0);
	assert_int_equal(vcpuid_upgrade_check(&h, "486", "pc-i440fx-7.2", 702,
					      1101, &t, &u, &err), 0);
	bool smt = false;
	for (size_t i = 0; i < u.n; i++)
		for (size_t k = 0; k < u.d[i].ncauses; k++)
			smt |= !strcmp(u.d[i].causes[k].change->id,
				       "SMT_FEATURES") &&
			       u.d[i].causes[k].qemu == 1000;
	assert_true(smt);
	vcpuid_upgrade_free(&u);
	vcpuid_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_releases),
		cmocka_unit_test(test_machine_in),
		cmocka_unit_test(test_models_by_release),
		cmocka_unit_test(test_upgrade_pentium2),
		cmocka_unit_test(test_upgrade_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
