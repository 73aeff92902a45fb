/* SPDX-License-Identifier: MIT */
/* APIC-ID layout (synth/apicid.c) against QEMU's include/hw/i386/topology.h:
 * each level's field is ceil(log2(count)) bits, packages above the dies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"
#include "synth/synth.h"

static void bits_for_count(void **state)
{
	(void)state;
	assert_int_equal(vs_bits_for_count(0), 0);
	assert_int_equal(vs_bits_for_count(1), 0);
	assert_int_equal(vs_bits_for_count(2), 1);
	assert_int_equal(vs_bits_for_count(3), 2);
	assert_int_equal(vs_bits_for_count(4), 2);
	assert_int_equal(vs_bits_for_count(5), 3);
	assert_int_equal(vs_bits_for_count(8), 3);
	assert_int_equal(vs_bits_for_count(9), 4);
	assert_int_equal(vs_bits_for_count(255), 8);
	assert_int_equal(vs_bits_for_count(256), 8);
	assert_int_equal(vs_bits_for_count(257), 9);
}

/* 2 sockets x 2 dies x 3 cores x 2 threads: SMT 1 bit, core 2 bits
 * (3 -> ceil(log2 3) = 2), die 1 bit; core offset 1, die 3, package 4. */
static const vs_topo T2232 = { .dies = 2, .cores = 3, .threads = 2 };

static void offsets(void **state)
{
	(void)state;
	assert_int_equal(vs_core_offset(&T2232), 1);
	assert_int_equal(vs_die_offset(&T2232), 3);
	assert_int_equal(vs_pkg_offset(&T2232), 4);
	vs_topo one = { 1, 1, 1 };
	assert_int_equal(vs_pkg_offset(&one), 0);
	assert_int_equal(vs_apic_id(&one, 5), 5);
}

static void apic_ids(void **state)
{
	(void)state;
	/* index = ((pkg*2 + die)*3 + core)*2 + smt */
	static const uint32_t want[24] = {
		/* pkg 0 die 0: cores 0..2, smt 0/1 */
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
		/* pkg 0 die 1 (bit 3) */
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
		/* pkg 1 (bit 4) die 0 */
		0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
		/* pkg 1 die 1 */
		0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d,
	};
	for (unsigned i = 0; i < 24; i++)
		assert_int_equal(vs_apic_id(&T2232, i), want[i]);
	/* the 25th CPU would be package 2 */
	assert_int_equal(vs_apic_id(&T2232, 24), 0x20);
	/* the public entry takes a -smp topology (NULL: one vCPU) */
	vcpuid_topology in = { .cpus = 24, .sockets = 2, .dies = 2, .modules = 1,
			       .cores = 3, .threads = 2 };
	assert_int_equal(vcpuid_apic_id(&in, 13), 0x11);
	assert_int_equal(vcpuid_apic_id(&in, 23), 0x1d);
	assert_int_equal(vcpuid_apic_id(NULL, 0), 0);
}

static void ids_back(void **state)
{
	(void)state;
	vs_topo_ids ids;
	vs_ids_from_apic_id(&T2232, 0x1b, &ids); /* pkg 1, die 1, core 1, smt 1 */
	assert_int_equal(ids.pkg, 1);
	assert_int_equal(ids.die, 1);
	assert_int_equal(ids.core, 1);
	assert_int_equal(ids.smt, 1);
	vs_ids_from_apic_id(&T2232, 0x0c, &ids); /* pkg 0, die 1, core 2, smt 0 */
	assert_int_equal(ids.pkg, 0);
	assert_int_equal(ids.die, 1);
	assert_int_equal(ids.core, 2);
	assert_int_equal(ids.smt, 0);
	/* every index round-trips */
	for (unsigned i = 0; i < 24; i++) {
		vs_ids_from_apic_id(&T2232, vs_apic_id(&T2232, i), &ids);
		unsigned back = ((ids.pkg * 2 + ids.die) * 3 + ids.core) * 2 + ids.smt;
		assert_int_equal(back, i);
	}
}

/* Non-power-of-two threads: 3 threads take 2 bits, so ids skip 3. */
static void three_threads(void **state)
{
	(void)state;
	vs_topo t = { .dies = 1, .cores = 2, .threads = 3 };
	assert_int_equal(vs_core_offset(&t), 2);
	assert_int_equal(vs_pkg_offset(&t), 3);
	assert_int_equal(vs_apic_id(&t, 2), 2);
	assert_int_equal(vs_apic_id(&t, 3), 4);
	assert_int_equal(vs_apic_id(&t, 5), 6);
	assert_int_equal(vs_apic_id(&t, 6), 8);
}

static void topo_from(void **state)
{
	(void)state;
	vs_topo t;
	vs_topo_from(NULL, &t);
	assert_int_equal(t.dies, 1);
	assert_int_equal(t.cores, 1);
	assert_int_equal(t.threads, 1);
	vcpuid_topology in = { .cpus = 24, .sockets = 2, .dies = 2, .cores = 3,
			       .threads = 2 };
	vs_topo_from(&in, &t);
	assert_int_equal(t.dies, 2);
	assert_int_equal(t.cores, 3);
	assert_int_equal(t.threads, 2);
	vcpuid_topology zero = { 0 };
	vs_topo_from(&zero, &t);
	assert_int_equal(t.dies, 1);
	assert_int_equal(t.cores, 1);
	assert_int_equal(t.threads, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bits_for_count),
		cmocka_unit_test(offsets),
		cmocka_unit_test(apic_ids),
		cmocka_unit_test(ids_back),
		cmocka_unit_test(three_threads),
		cmocka_unit_test(topo_from),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
