/* SPDX-License-Identifier: MIT */
/* One lookup rule for profile entries (KVM's: an entry without
 * SIGNIFICANT_INDEX matches any index): a host whose flagless entries carry
 * any index reads, for every reader (decode, expand and its filter,
 * synthesize, compare, baseline, explain), as the same host with index 0. */
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

/* Give every flagless entry of t with function `leaf` index `index`. */
static unsigned reindex(vcpuid_table *t, uint32_t leaf, uint32_t index)
{
	unsigned n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].function == leaf &&
		    !(t->e[i].flags & VCPUID_FLAG_SIGNIFICANT_INDEX)) {
			t->e[i].index = index;
			n++;
		}
	return n;
}

static void same_guest(const vcpuid_host *a, const vcpuid_host *b,
		       const char *spec)
{
	vcpuid_guest ga, gb;
	vcpuid_error err = { 0 };
	vcpuid_topology topo;
	assert_int_equal(vcpuid_topology_parse("2", &topo, &err), 0);
	if (vcpuid_guest_build(a, spec, "pc-i440fx-7.2", &topo, &ga, &err))
		fail_msg("%s: %s", spec, err.msg);
	if (vcpuid_guest_build(b, spec, "pc-i440fx-7.2", &topo, &gb, &err))
		fail_msg("%s: %s", spec, err.msg);
	assert_memory_equal(ga.cpu.features, gb.cpu.features, sizeof(ga.cpu.features));
	assert_memory_equal(ga.cpu.filtered, gb.cpu.filtered, sizeof(ga.cpu.filtered));
	assert_int_equal(ga.nvcpus, gb.nvcpus);
	for (size_t v = 0; v < ga.nvcpus; v++) {
		const vcpuid_table *x = &ga.vcpus[v].cpuid, *y = &gb.vcpus[v].cpuid;
		if (x->n != y->n)
			fail_msg("%s: vCPU %zu: %zu vs %zu entries", spec, v, x->n, y->n);
		for (size_t i = 0; i < x->n; i++)
			if (memcmp(&x->e[i], &y->e[i], sizeof(x->e[i])))
				fail_msg("%s: vCPU %zu: leaf 0x%x.%u differs", spec, v,
					 x->e[i].function, x->e[i].index);
	}
	vcpuid_guest_free(&ga);
	vcpuid_guest_free(&gb);
}

static void flagless_entries_match_any_index(void **state)
{
	(void)state;
	static const char *const names[] = { "fc-amd-milan-6.1",
					     "fc-intel-icelake-6.1", "this-host" };
	static const char *const specs[] = { "qemu64", "max", "host,+invtsc",
					     "Skylake-Server", "EPYC-v3" };
	static const uint32_t leaves[] = { 1, 0x80000001, 0x80000007, 0x80000008,
					   0x40000001, 6 };
	for (size_t n = 0; n < sizeof(names) / sizeof(*names); n++) {
		vcpuid_host orig, edit;
		load(names[n], &orig);
		load(names[n], &edit);
		unsigned moved = 0;
		for (size_t l = 0; l < sizeof(leaves) / sizeof(*leaves); l++) {
			moved += reindex(&edit.supported, leaves[l], 0xffffffffu);
			moved += reindex(&edit.raw, leaves[l], 7);
		}
		assert_true(moved >= 5);
		/* decode (it always read so) */
		vcpuid_decoded da, db;
		vcpuid_error err = { 0 };
		assert_int_equal(vcpuid_decode(&orig.supported, &orig.feature_msrs,
					       &da, &err), 0);
		assert_int_equal(vcpuid_decode(&edit.supported, &edit.feature_msrs,
					       &db, &err), 0);
		assert_int_equal(da.signature, db.signature);
		assert_memory_equal(da.words, db.words, sizeof(da.words));
		/* expand, filter, synthesize */
		for (size_t s = 0; s < sizeof(specs) / sizeof(*specs); s++)
			same_guest(&orig, &edit, specs[s]);
		/* compare and baseline */
		vcpuid_comparison ca, cb;
		assert_int_equal(vcpuid_compare(&orig, "qemu64", "pc-i440fx-7.2",
						&ca, &err), 0);
		assert_int_equal(vcpuid_compare(&edit, "qemu64", "pc-i440fx-7.2",
						&cb, &err), 0);
		assert_int_equal(ca.verdict, cb.verdict);
		assert_int_equal(ca.n, cb.n);
		vcpuid_comparison_free(&ca);
		vcpuid_comparison_free(&cb);
		const vcpuid_host *pa[1] = { &orig }, *pb[1] = { &edit };
		vcpuid_baseline ba, bb;
		assert_int_equal(vcpuid_baseline_compute(pa, 1, "pc-i440fx-7.2", 0,
							 &ba, &err), 0);
		assert_int_equal(vcpuid_baseline_compute(pb, 1, "pc-i440fx-7.2", 0,
							 &bb, &err), 0);
		assert_string_equal(ba.spec, bb.spec);
		vcpuid_host_free(&orig);
		vcpuid_host_free(&edit);
	}
}

/* The rule itself: first match wins; a flagged entry needs its index. */
static void the_rule(void **state)
{
	(void)state;
	vcpuid_table t;
	vcpuid_table_init(&t);
	assert_non_null(vcpuid_table_add(&t, 1, 0xffffffffu, 0, 1, 2, 3, 4));
	assert_non_null(vcpuid_table_add(&t, 7, 0, VCPUID_FLAG_SIGNIFICANT_INDEX,
					 5, 6, 7, 8));
	assert_int_equal(vcpuid_table_reg(&t, 1, 0, VCPUID_EBX), 2);
	assert_int_equal(vcpuid_table_reg(&t, 1, 5, VCPUID_EDX), 4);
	assert_non_null(vcpuid_table_lookup(&t, 7, 0));
	assert_null(vcpuid_table_lookup(&t, 7, 1));
	assert_null(vcpuid_table_lookup(&t, 2, 0));
	vcpuid_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_rule),
		cmocka_unit_test(flagless_entries_match_any_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
