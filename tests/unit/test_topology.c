/* SPDX-License-Identifier: MIT */
/* -smp parsing (synth/topology.c) by QEMU 7.2's machine_parse_smp_config
 * for pc machines: cores preferred over sockets, dies yes, clusters no. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

static vcpuid_topology parse_ok(const char *s)
{
	vcpuid_topology t;
	vcpuid_error err = { 0 };
	int rc = vcpuid_topology_parse(s, &t, &err);
	if (rc)
		fail_msg("-smp %s: %d %s", s ? s : "(none)", rc, err.msg);
	assert_int_equal(t.modules, 1);
	return t;
}

static void expect(const char *s, unsigned cpus, unsigned sockets,
		   unsigned dies, unsigned cores, unsigned threads)
{
	vcpuid_topology t = parse_ok(s);
	if (t.cpus != cpus || t.sockets != sockets || t.dies != dies ||
	    t.cores != cores || t.threads != threads)
		fail_msg("-smp %s: got %u,%u,%u,%u,%u want %u,%u,%u,%u,%u",
			 s ? s : "(none)",
			 t.cpus, t.sockets, t.dies, t.cores, t.threads, cpus,
			 sockets, dies, cores, threads);
}

static void expect_err(const char *s, int code, const char *msg)
{
	vcpuid_topology t;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_topology_parse(s, &t, &err), code);
	assert_int_equal(err.code, code);
	if (msg && strcmp(err.msg, msg))
		fail_msg("-smp %s: message\n  %s\nwant\n  %s", s, err.msg, msg);
}

static void completion(void **state)
{
	(void)state;
	/* only cpus: all of them cores of one socket */
	expect("4", 4, 1, 1, 4, 1);
	expect("cpus=4", 4, 1, 1, 4, 1);
	/* sockets given: cores = cpus / (sockets * dies * threads) */
	expect("8,sockets=2", 8, 2, 1, 4, 1);
	expect("4,threads=2", 4, 1, 1, 2, 2);
	/* cores given, sockets not: sockets = cpus / (dies * cores * threads) */
	expect("8,cores=2", 8, 4, 1, 2, 1);
	expect("8,cores=2,threads=2", 8, 2, 1, 2, 2);
	expect("24,sockets=2,dies=2,cores=3,threads=2", 24, 2, 2, 3, 2);
	expect("12,dies=2,cores=3", 12, 2, 2, 3, 1);
	/* both sockets and cores: threads are what is left */
	expect("8,sockets=2,cores=2", 8, 2, 1, 2, 2);
	expect("16,sockets=2,dies=2,cores=2", 16, 2, 2, 2, 2);
	/* no cpus, no maxcpus: missing levels are 1, cpus the product */
	expect("sockets=2,cores=2", 4, 2, 1, 2, 1);
	expect("", 1, 1, 1, 1, 1);
	expect(NULL, 1, 1, 1, 1, 1);
	/* maxcpus sizes the topology, cpus only the CPUs present */
	expect("4,maxcpus=8", 4, 1, 1, 8, 1);
	expect("maxcpus=8,sockets=2", 8, 2, 1, 4, 1);
	/* numbers as QEMU's option parser (base 0) reads them */
	expect("0x10", 16, 1, 1, 16, 1);
	/* a trailing comma is allowed; clusters=1 is no cluster */
	expect("4,", 4, 1, 1, 4, 1);
	expect("4,clusters=1", 4, 1, 1, 4, 1);
	/* the largest pc-q35 guest */
	expect("288", 288, 1, 1, 288, 1);
}

static void errors(void **state)
{
	(void)state;
	expect_err("6,sockets=4", VCPUID_E_PARSE,
		   "-smp: Invalid CPU topology: product of the hierarchy must "
		   "match maxcpus: sockets (4) * dies (1) * cores (1) * threads "
		   "(1) != maxcpus (6)");
	expect_err("8,maxcpus=4", VCPUID_E_PARSE,
		   "-smp: Invalid CPU topology: maxcpus (4) < smp_cpus (8)");
	expect_err("4,sockets=2,cores=3", VCPUID_E_PARSE, NULL);
	/* cores computed as 2 / 4 = 0: refused, not divided by */
	expect_err("2,sockets=4", VCPUID_E_PARSE,
		   "-smp: Invalid CPU topology: product of the hierarchy must "
		   "match maxcpus: sockets (4) * dies (1) * cores (0) * threads "
		   "(1) != maxcpus (2)");
	expect_err("4,foo=1", VCPUID_E_UNKNOWN,
		   "-smp:1:3: invalid parameter 'foo'");
	expect_err("4,2", VCPUID_E_PARSE, "-smp:1:3: '2' needs a value (KEY=N)");
	expect_err(",4", VCPUID_E_PARSE, "-smp:1:1: empty option");
	expect_err("4,,cores=2", VCPUID_E_PARSE, "-smp:1:3: empty option");
	expect_err("cores=x", VCPUID_E_PARSE,
		   "-smp:1:1: parameter 'cores' expects a number, got 'x'");
	expect_err("4,cores=-2", VCPUID_E_PARSE, NULL);
	expect_err("4,cores=2k", VCPUID_E_PARSE, NULL);
	expect_err("4,threads=0", VCPUID_E_PARSE,
		   "-smp:1:3: 'threads=0': CPU topology parameters must be "
		   "greater than zero");
	expect_err("4,clusters=2", VCPUID_E_UNSUPPORTED, NULL);
	expect_err("289", VCPUID_E_LIMIT, "-smp: Invalid SMP CPUs 289: at most 288");
	expect_err("5000", VCPUID_E_LIMIT, "-smp: 'cpus=5000' is too large");
	expect_err("4,sockets=99999999999", VCPUID_E_PARSE, NULL);
}

/* The output is cleared before anything is parsed. */
static void cleared_on_error(void **state)
{
	(void)state;
	vcpuid_topology t;
	memset(&t, 0xff, sizeof(t));
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_topology_parse("4,foo=1", &t, &err), VCPUID_E_UNKNOWN);
	assert_int_equal(t.cpus, 0);
	assert_int_equal(t.sockets, 0);
	/* NULL err is allowed */
	assert_int_equal(vcpuid_topology_parse("0", &t, NULL), VCPUID_E_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(completion),
		cmocka_unit_test(errors),
		cmocka_unit_test(cleared_on_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
