/* SPDX-License-Identifier: MIT */
/* -cpu spec and -smp parsing: every error path, precedence, spellings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

static const vcpuid_feature *feat(const char *name)
{
	const vcpuid_feature *f = vcpuid_feature_lookup(name, NULL);
	if (!f)
		fail_msg("catalog lacks %s", name);
	return f;
}

static bool has(const vcpuid_words w, const char *name)
{
	const vcpuid_feature *f = feat(name);
	return w[f->word] >> f->bit & 1;
}

/* Parse must fail with code and a message containing each of the strings. */
static void expect_fail(const char *s, int code, const char *m1, const char *m2)
{
	vcpuid_spec spec;
	vcpuid_error err = { 0 };
	int rc = vcpuid_spec_parse(s, &spec, &err);
	if (rc != code)
		fail_msg("'%s': rc %d, expected %d (%s)", s ? s : "(null)", rc,
			 code, err.msg);
	assert_int_equal(err.code, code);
	if (m1 && !strstr(err.msg, m1))
		fail_msg("'%s': message '%s' lacks '%s'", s, err.msg, m1);
	if (m2 && !strstr(err.msg, m2))
		fail_msg("'%s': message '%s' lacks '%s'", s, err.msg, m2);
	assert_null(strchr(err.msg, '\n'));
}

static void parse_ok(const char *s, vcpuid_spec *spec)
{
	vcpuid_error err = { 0 };
	int rc = vcpuid_spec_parse(s, spec, &err);
	if (rc)
		fail_msg("'%s': %s", s, err.msg);
}

static void empty_and_model_errors(void **state)
{
	(void)state;
	expect_fail(NULL, VCPUID_E_PARSE, "cannot be empty", NULL);
	expect_fail("", VCPUID_E_PARSE, "cannot be empty", NULL);
	expect_fail(",pni", VCPUID_E_UNKNOWN, "empty CPU model", ":1:1:");
	expect_fail("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		    VCPUID_E_UNKNOWN, "unknown CPU model", NULL);
}

static void unknown_names(void **state)
{
	(void)state;
	/* column of the name, after the '+' */
	expect_fail("qemu64,+pnii", VCPUID_E_UNKNOWN, "unknown feature 'pnii'",
		    ":1:9:");
	expect_fail("qemu64,+pnii", VCPUID_E_UNKNOWN, "did you mean", "pni");
	expect_fail("qemu64,xyzzy=on", VCPUID_E_UNKNOWN, "'xyzzy'", ":1:8:");
	expect_fail("qemu64,-", VCPUID_E_PARSE, "without a feature name", ":1:8:");
	expect_fail("qemu64,+", VCPUID_E_PARSE, "without a feature name", NULL);
	expect_fail("qemu64,=on", VCPUID_E_PARSE, "empty property name", NULL);
	/* names are case sensitive, and +/- take them literally */
	expect_fail("qemu64,+PNI", VCPUID_E_UNKNOWN, "'PNI'", NULL);
	expect_fail("qemu64,PNI=on", VCPUID_E_UNKNOWN, "'PNI'", NULL);
	expect_fail("qemu64,+tsc_deadline", VCPUID_E_UNKNOWN, "tsc_deadline",
		    NULL);
}

static void bad_values(void **state)
{
	(void)state;
	expect_fail("qemu64,pni=1", VCPUID_E_PARSE, "bad value '1' for 'pni'",
		    ":1:8:");
	expect_fail("qemu64,pni=on=off", VCPUID_E_PARSE, "bad value", NULL);
	expect_fail("qemu64,family=abc", VCPUID_E_PARSE,
		    "bad value 'abc' for 'family'", ":1:8:");
	expect_fail("qemu64,pni,family=271", VCPUID_E_PARSE, "out of range",
		    ":1:12:");
	expect_fail("qemu64,family=-1", VCPUID_E_PARSE, "out of range", NULL);
	expect_fail("qemu64,model=256", VCPUID_E_PARSE, "out of range", NULL);
	expect_fail("qemu64,stepping=16", VCPUID_E_PARSE, "out of range", NULL);
	expect_fail("qemu64,phys-bits=999", VCPUID_E_PARSE, "'phys-bits'",
		    ":1:8:");
	expect_fail("qemu64,level=-1", VCPUID_E_PARSE, "'level'", NULL);
	expect_fail("qemu64,level=0x100000000", VCPUID_E_PARSE, "'level'", NULL);
	expect_fail("qemu64,xlevel=12abc", VCPUID_E_PARSE, "'xlevel'", NULL);
	expect_fail("qemu64,vendor=abc", VCPUID_E_PARSE, "'vendor'", NULL);
	expect_fail("qemu64,enforce=maybe", VCPUID_E_PARSE, "'enforce'", NULL);
	expect_fail("qemu64,tsc-freq=abc", VCPUID_E_PARSE, "tsc-freq", NULL);
	expect_fail("qemu64,tsc-freq=2X", VCPUID_E_PARSE, "tsc-freq", NULL);
	expect_fail("qemu64,+level", VCPUID_E_PARSE, "not a boolean", NULL);
}

static void unsupported_and_model_specific(void **state)
{
	(void)state;
	expect_fail("qemu64,hv-relaxed", VCPUID_E_UNSUPPORTED, "'hv-relaxed'",
		    ":1:8:");
	expect_fail("qemu64,lbr-fmt=5", VCPUID_E_UNSUPPORTED, "lbr-fmt", NULL);
	expect_fail("qemu64,migratable=off", VCPUID_E_UNKNOWN, "max and host",
		    NULL);
	expect_fail("Haswell,host-cache-info=on", VCPUID_E_UNKNOWN,
		    "host-cache-info", NULL);
	vcpuid_spec spec;
	parse_ok("max,migratable=off,host-cache-info=on", &spec);
	parse_ok("host,migratable=no", &spec);
}

static void limits(void **state)
{
	(void)state;
	char big[4096] = "qemu64";
	for (int i = 0; i < 70; i++)
		strcat(big, ",level=1");
	expect_fail(big, VCPUID_E_LIMIT, "more than", NULL);
	char longtok[400] = "qemu64,model-id=";
	memset(longtok + strlen(longtok), 'a', 300);
	expect_fail(longtok, VCPUID_E_PARSE, "too long", NULL);
}

static void precedence(void **state)
{
	(void)state;
	vcpuid_spec s;
	/* +feat / -feat are kept apart from feat=on|off: expand applies them
	 * last, '-' after '+' */
	parse_ok("qemu64,+pni,pni=off", &s);
	assert_true(has(s.plus, "pni"));
	assert_true(has(s.off, "pni"));
	parse_ok("qemu64,pni=on,pni=off,lm=off,lm", &s);
	assert_false(has(s.on, "pni"));
	assert_true(has(s.off, "pni"));
	assert_true(has(s.on, "lm"));
	assert_false(has(s.off, "lm"));
	parse_ok("qemu64,+pni,-pni", &s);
	assert_true(has(s.plus, "pni"));
	assert_true(has(s.minus, "pni"));
	/* bool properties given as +prop/-prop come after every prop=value */
	parse_ok("qemu64,-enforce,enforce=on,+check", &s);
	assert_string_equal(s.props[s.nprops - 2].name, "check");
	assert_string_equal(s.props[s.nprops - 2].value, "on");
	assert_string_equal(s.props[s.nprops - 1].name, "enforce");
	assert_string_equal(s.props[s.nprops - 1].value, "off");
}

static void spellings(void **state)
{
	(void)state;
	vcpuid_spec s;
	parse_ok("qemu64,pni=yes,ssse3=true,cx16=y,lm=no,nx=false,syscall=n", &s);
	assert_true(has(s.on, "pni") && has(s.on, "ssse3") && has(s.on, "cx16"));
	assert_true(has(s.off, "lm") && has(s.off, "nx") && has(s.off, "syscall"));
	/* aliases: '_' and '-' with feat=, registered aliases with +/- */
	parse_ok("qemu64,sse4_1=on,+sse4_2,+lahf_lm,sse3,+xd,tsc_deadline=on", &s);
	assert_true(has(s.on, "sse4.1") && has(s.plus, "sse4.2"));
	assert_true(has(s.plus, "lahf-lm") && has(s.on, "pni"));
	assert_true(has(s.plus, "nx") && has(s.on, "tsc-deadline"));
	/* a name on two bits sets both */
	parse_ok("qemu64,-kvmclock", &s);
	size_t nb = 0;
	const vcpuid_feature *kc = vcpuid_feature_lookup("kvmclock", &nb);
	assert_int_equal(nb, 2);
	for (size_t i = 0; i < nb; i++)
		assert_true(s.minus[kc[i].word] >> kc[i].bit & 1);
	/* stray commas are skipped, as QEMU's strtok does; ",," is no escape */
	parse_ok("qemu64,,,pni,,", &s);
	assert_string_equal(s.model, "qemu64");
	assert_true(has(s.on, "pni"));
	expect_fail("qemu64,model-id=a,,b", VCPUID_E_UNKNOWN, "'b'", NULL);
	/* numbers: C syntax like strtoull base 0; tsc-freq takes suffixes */
	parse_ok("qemu64,level=010,xlevel=0x80000008,model_id=X Y,tsc-freq=2.5G", &s);
	assert_string_equal(s.props[0].name, "level");
	assert_string_equal(s.props[0].value, "0x8");
	assert_string_equal(s.props[2].name, "model-id");
	assert_string_equal(s.props[2].value, "X Y");
	assert_string_equal(s.props[3].name, "tsc-frequency");
	assert_string_equal(s.props[3].value, "2500000000");
	parse_ok("qemu64,vendor=AuthenticAMD,phys-bits=46,+pmu,kvm=off", &s);
	assert_int_equal(s.nprops, 4);
}

static void expect_topo(const char *s, unsigned cpus, unsigned sockets,
			unsigned dies, unsigned cores, unsigned threads)
{
	vcpuid_topology t;
	vcpuid_error err = { 0 };
	if (vcpuid_topology_parse(s, &t, &err))
		fail_msg("-smp '%s': %s", s, err.msg);
	if (t.cpus != cpus || t.sockets != sockets || t.dies != dies ||
	    t.cores != cores || t.threads != threads)
		fail_msg("-smp '%s': got %u,%u,%u,%u,%u", s, t.cpus, t.sockets,
			 t.dies, t.cores, t.threads);
}

static void smp(void **state)
{
	(void)state;
	expect_topo("", 1, 1, 1, 1, 1);
	expect_topo("4", 4, 1, 1, 4, 1);		/* cores preferred */
	expect_topo("8,sockets=2", 8, 2, 1, 4, 1);
	expect_topo("8,cores=2", 8, 4, 1, 2, 1);
	expect_topo("8,sockets=2,cores=2", 8, 2, 1, 2, 2);
	expect_topo("sockets=2,cores=3,threads=2", 12, 2, 1, 3, 2);
	expect_topo("8,dies=2,threads=2", 8, 1, 2, 2, 2);
	expect_topo("2,maxcpus=4", 2, 1, 1, 4, 1);
	expect_topo("cpus=0x4", 4, 1, 1, 4, 1);
	vcpuid_topology t;
	vcpuid_error err = { 0 };
	/* a zero is refused, as QEMU 9.0 and later do (7.2 warned) */
	assert_int_equal(vcpuid_topology_parse("4,cores=0", &t, &err),
			 VCPUID_E_PARSE);
	assert_non_null(strstr(err.msg, "greater than zero"));
	assert_int_equal(vcpuid_topology_parse("0", &t, &err), VCPUID_E_PARSE);
	assert_int_equal(vcpuid_topology_parse("8,sockets=3", &t, &err),
			 VCPUID_E_PARSE);
	assert_non_null(strstr(err.msg, "product of the hierarchy"));
	assert_int_equal(vcpuid_topology_parse("4,maxcpus=2", &t, &err),
			 VCPUID_E_PARSE);
	assert_int_equal(vcpuid_topology_parse("4,clusters=2", &t, &err),
			 VCPUID_E_UNSUPPORTED);
	assert_int_equal(vcpuid_topology_parse("4,bogus=1", &t, &err),
			 VCPUID_E_UNKNOWN);
	assert_non_null(strstr(err.msg, "'bogus'"));
	assert_int_equal(vcpuid_topology_parse("4,cores", &t, &err),
			 VCPUID_E_PARSE);
	assert_int_equal(vcpuid_topology_parse("abc", &t, &err), VCPUID_E_PARSE);
	assert_int_equal(vcpuid_topology_parse(",4", &t, &err), VCPUID_E_PARSE);
	assert_int_equal(vcpuid_topology_parse("1000", &t, &err), VCPUID_E_LIMIT);
	assert_int_equal(vcpuid_topology_parse("99999999999", &t, &err),
			 VCPUID_E_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_and_model_errors),
		cmocka_unit_test(unknown_names),
		cmocka_unit_test(bad_values),
		cmocka_unit_test(unsupported_and_model_specific),
		cmocka_unit_test(limits),
		cmocka_unit_test(precedence),
		cmocka_unit_test(spellings),
		cmocka_unit_test(smp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
