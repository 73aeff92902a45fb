/* SPDX-License-Identifier: MIT */
/* libvirt_xml_in.c and libvirt_xml.c: a domain's <cpu> element to the QEMU
 * -cpu libvirt 9.0 builds (each mode and feature policy, the errors), a
 * CPU to a <cpu> element, and back again, on a bundled profile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>
#include "vcpuid.h"
#include "vcpuid/libvirt.h"

/* A Cascade Lake host as Firecracker recorded it (its KVM without TSX) */
static vcpuid_host host;

static int load(void **state)
{
	(void)state;
	vcpuid_error err = { 0 };
	unsetenv("VCPUID_PROFILE_DIR");
	return vcpuid_host_load("bundled:fc-intel-cascadelake-6.1", &host, &err);
}

static int unload(void **state)
{
	(void)state;
	vcpuid_host_free(&host);
	return 0;
}

/* spec of xml on h (NULL: no host), which must succeed */
static void spec_is(const vcpuid_host *h, const char *xml, const char *want)
{
	char *spec = NULL;
	vcpuid_error err = { 0 };
	int rc = vcpuid_libvirt_cpu_spec_mem(xml, strlen(xml), h, NULL, &spec, &err);
	if (rc)
		fail_msg("%s: %d %s", xml, rc, err.msg);
	assert_string_equal(spec, want);
	free(spec);
}

static void spec_fails(const vcpuid_host *h, const char *xml, int code,
		       const char *msg)
{
	char *spec = NULL;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_libvirt_cpu_spec_mem(xml, strlen(xml), h, NULL,
						     &spec, &err), code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg, msg);
	assert_null(spec);
}

static void custom_policies(void **state)
{
	(void)state;
	/* require/force on, disable/forbid off, no policy = require; libvirt
	 * names become QEMU's; optional is decided against the host: on for a
	 * bit KVM has, off for an unmigratable one (invtsc) and for one
	 * outside QEMU's words, whose libvirt name QEMU then refuses */
	spec_is(&host,
		"<cpu mode='custom' match='exact'>"
		"<model fallback='forbid'>Skylake-Client-IBRS</model>"
		"<feature policy='require' name='pclmuldq'/>"
		"<feature policy='disable' name='tsc_adjust'/>"
		"<feature policy='forbid' name='hle'/>"
		"<feature policy='force' name='pni'/>"
		"<feature name='lahf_lm'/>"
		"<feature policy='optional' name='avx512f'/>"
		"<feature policy='optional' name='invtsc'/>"
		"<feature policy='optional' name='mbm_total'/>"
		"</cpu>",
		"Skylake-Client-IBRS,pclmulqdq=on,tsc-adjust=off,hle=off,pni=on,"
		"lahf-lm=on,avx512f=on,invtsc=off,mbm_total=off");
	/* without a host, optional is off */
	spec_is(NULL,
		"<cpu><model>Haswell</model>"
		"<feature policy='optional' name='avx512f'/></cpu>",
		"Haswell,avx512f=off");
	/* optional for a bit this host's KVM lacks (TSX), and one it has */
	spec_is(&host,
		"<cpu mode='custom'><model>Haswell</model>"
		"<feature policy='optional' name='hle'/>"
		"<feature policy='optional' name='mpx'/></cpu>",
		"Haswell,hle=off,mpx=on");
	/* whitespace around the model name is libvirt's, not QEMU's */
	spec_is(NULL, "<cpu><model>  Haswell\n</model></cpu>", "Haswell");
}

static void passthrough_and_maximum(void **state)
{
	(void)state;
	/* optional left to libvirt's start-up, others on -cpu */
	spec_is(&host,
		"<cpu mode='host-passthrough' migratable='off'>"
		"<feature policy='optional' name='avx512f'/>"
		"<feature policy='disable' name='hle'/></cpu>",
		"host,migratable=off,hle=off");
	spec_is(&host, "<cpu mode='host-passthrough'/>", "host");
	spec_is(&host, "<cpu mode='maximum' migratable='on'/>", "max,migratable=on");
	spec_is(NULL, "<cpu mode='maximum'/>", "max");
}

static void host_model(void **state)
{
	(void)state;
	/* the host-model of vcpuid's domcapabilities for this host: Cascade
	 * Lake with what it adds (the unmigratable invtsc never) and TSX off */
	spec_is(&host, "<cpu mode='host-model'/>",
		"Cascadelake-Server,ss=on,hypervisor=on,tsc-adjust=on,umip=on,"
		"pku=on,md-clear=on,stibp=on,arch-capabilities=on,ibpb=on,ibrs=on,"
		"amd-stibp=on,amd-ssbd=on,rdctl-no=on,ibrs-all=on,"
		"skip-l1dfl-vmentry=on,mds-no=on,pschange-mc-no=on,tsx-ctrl=on,"
		"hle=off,rtm=off");
	spec_fails(NULL, "<cpu mode='host-model'/>", VCPUID_E_USAGE,
		   "libvirt XML: mode='host-model' needs a host");
}

static void domain_and_defaults(void **state)
{
	(void)state;
	spec_is(NULL,
		"<domain type='kvm'><name>d</name>"
		"<cpu mode='custom'><model vendor_id='GenuineIntel'>Haswell</model></cpu>"
		"<features><kvm><hidden state='on'/></kvm><pmu state='off'/></features>"
		"</domain>",
		"Haswell,vendor=GenuineIntel,kvm=off,pmu=off");
	/* no <cpu>, or only a topology: QEMU's default */
	spec_is(NULL, "<domain type='kvm'><name>d</name></domain>", "qemu64");
	spec_is(NULL, "<cpu><topology sockets='1' cores='2' threads='1'/></cpu>",
		"qemu64");
	spec_is(NULL, "<cpu><model>Haswell</model><cache mode='passthrough'/></cpu>",
		"Haswell,host-cache-info=on");
}

static void bad_xml(void **state)
{
	(void)state;
	spec_fails(&host, "<cpu mode='custom'><model>Haswell</model></cpu",
		   VCPUID_E_PARSE, "libvirt XML:1: expected '>'");
	spec_fails(&host, "<cpu mode='bogus'><model>Haswell</model></cpu>",
		   VCPUID_E_PARSE,
		   "libvirt XML: <cpu mode='bogus'>: not a value libvirt accepts");
	spec_fails(&host, "<cpu><model>Haswell</model>"
		   "<feature policy='maybe' name='avx'/></cpu>", VCPUID_E_PARSE,
		   "libvirt XML: <feature policy='maybe'>: not a value libvirt "
		   "accepts");
	spec_fails(&host, "<cpu><model>Haswell</model>"
		   "<feature policy='require'/></cpu>", VCPUID_E_PARSE,
		   "libvirt XML: <feature> without a name");
	/* QEMU's name where libvirt has its own */
	spec_fails(&host, "<cpu><model>Haswell</model>"
		   "<feature policy='require' name='sse3'/></cpu>", VCPUID_E_UNKNOWN,
		   "libvirt XML: unknown CPU feature 'sse3' (not in libvirt 9.0's "
		   "x86_features.xml)");
	/* no more -cpu options smuggled in the model */
	spec_fails(&host, "<cpu><model>Haswell,+avx</model></cpu>", VCPUID_E_UNKNOWN,
		   "libvirt XML: 'Haswell,+avx' is not a CPU model name");
	spec_fails(&host, "<cpu mode='custom'></cpu>", VCPUID_E_PARSE,
		   "libvirt XML: mode='custom' needs a <model>");
	spec_fails(&host, "<cpu><model vendor_id='Intel'>Haswell</model></cpu>",
		   VCPUID_E_PARSE,
		   "libvirt XML: vendor_id must be 12 printable characters");
	spec_fails(&host, "<foo/>", VCPUID_E_UNKNOWN,
		   "libvirt XML: root <foo> is neither <domain> nor <cpu>");
	spec_fails(&host, "<domain><features><hyperv/></features>"
		   "<cpu><model>Haswell</model></cpu></domain>",
		   VCPUID_E_UNSUPPORTED,
		   "libvirt XML: Hyper-V enlightenments (<features><hyperv>) are "
		   "not implemented");
}

static void is_xml(void **state)
{
	(void)state;
	assert_true(vcpuid_libvirt_is_xml("<cpu/>"));
	assert_false(vcpuid_libvirt_is_xml("Haswell,+avx"));
	assert_false(vcpuid_libvirt_is_xml("no-such-file.xml"));
	/* blanks before the '<' too, as in a file */
	assert_true(vcpuid_libvirt_is_xml(" \n<cpu/>"));
	assert_false(vcpuid_libvirt_is_xml(NULL));
	char path[] = "/tmp/vcpuid-test-lvxml-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "\n  <cpu/>\n", 10), 10);
	close(fd);
	assert_true(vcpuid_libvirt_is_xml(path));	/* has a '/' */
	/* and the spec of the file is the spec of its text */
	char *spec = NULL;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_libvirt_cpu_spec(path, NULL, NULL, &spec, &err), 0);
	assert_string_equal(spec, "qemu64");
	free(spec);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "Haswell\n", 8), 8);
	close(fd);
	assert_false(vcpuid_libvirt_is_xml(path));
	unlink(path);
}

static char *xml_of(const char *spec, char **unnamed)
{
	vcpuid_cpu c;
	vcpuid_error err = { 0 };
	if (vcpuid_cpu_expand(&host, spec, NULL, NULL, &c, &err))
		fail_msg("%s: %s", spec, err.msg);
	char *xml = NULL;
	if (vcpuid_libvirt_cpu_xml(&host, &c, &xml, unnamed, &err))
		fail_msg("%s: %s", spec, err.msg);
	vcpuid_cpu_free(&c);
	return xml;
}

static void cpu_out(void **state)
{
	(void)state;
	char *unnamed = (char *)1;
	char *x = xml_of("Skylake-Client-IBRS", &unnamed);
	assert_string_equal(x,
		"<cpu mode='custom' match='exact' check='partial'>\n"
		"  <model fallback='forbid'>Skylake-Client-IBRS</model>\n"
		"  <vendor>Intel</vendor>\n"
		"  <feature policy='disable' name='hle'/>\n"
		"  <feature policy='disable' name='rtm'/>\n"
		"  <feature policy='disable' name='mpx'/>\n"
		"</cpu>\n");
	assert_null(unnamed);
	free(x);
	x = xml_of("host", NULL);
	assert_string_equal(x, "<cpu mode='host-passthrough' check='none' "
			    "migratable='on'/>\n");
	free(x);
	x = xml_of("max", NULL);
	assert_string_equal(x, "<cpu mode='maximum' check='none' migratable='on'/>\n");
	free(x);
	/* AVX-512's XSAVE components have no libvirt name: said, not lost */
	x = xml_of("Haswell,-hle,+avx512f", &unnamed);
	assert_string_equal(x,
		"<cpu mode='custom' match='exact' check='partial'>\n"
		"  <model fallback='forbid'>Haswell</model>\n"
		"  <vendor>Intel</vendor>\n"
		"  <feature policy='require' name='avx512f'/>\n"
		"  <feature policy='disable' name='hle'/>\n"
		"  <feature policy='disable' name='rtm'/>\n"
		"  <!-- libvirt 9.0 has no name for: +XSAVE_XCR0_LO[5] "
		"+XSAVE_XCR0_LO[6] +XSAVE_XCR0_LO[7] -->\n"
		"</cpu>\n");
	assert_non_null(unnamed);
	assert_string_equal(unnamed, "+XSAVE_XCR0_LO[5] +XSAVE_XCR0_LO[6] "
			    "+XSAVE_XCR0_LO[7]");
	free(unnamed);
	free(x);
}

/* A CPU, its <cpu> element, the -cpu libvirt builds from it: the same
 * features. */
static void round_trip(void **state)
{
	(void)state;
	static const char *specs[] = {
		"Skylake-Client-IBRS", "Cascadelake-Server,-avx512vnni,+invpcid",
		"Haswell,-hle,+avx512f", "EPYC", "qemu64,+avx2", "host", "max",
	};
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		vcpuid_cpu a, b;
		vcpuid_error err = { 0 };
		assert_int_equal(vcpuid_cpu_expand(&host, specs[i], NULL, NULL, &a,
						   &err), 0);
		char *xml = NULL, *spec = NULL;
		assert_int_equal(vcpuid_libvirt_cpu_xml(&host, &a, &xml, NULL, &err), 0);
		if (vcpuid_libvirt_cpu_spec_mem(xml, strlen(xml), &host, NULL, &spec,
						&err))
			fail_msg("%s: %s\n%s", specs[i], err.msg, xml);
		if (vcpuid_cpu_expand(&host, spec, NULL, NULL, &b, &err))
			fail_msg("%s -> %s: %s", specs[i], spec, err.msg);
		for (int w = 0; w < VCPUID_NWORDS; w++)
			if (a.features[w] != b.features[w])
				fail_msg("%s -> %s: word %d: %#llx != %#llx", specs[i],
					 spec, w, (unsigned long long)a.features[w],
					 (unsigned long long)b.features[w]);
		assert_string_equal(a.vendor, b.vendor);
		assert_int_equal(a.family, b.family);
		assert_int_equal(a.model_num, b.model_num);
		vcpuid_cpu_free(&a);
		vcpuid_cpu_free(&b);
		free(xml);
		free(spec);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(custom_policies),
		cmocka_unit_test(passthrough_and_maximum),
		cmocka_unit_test(host_model),
		cmocka_unit_test(domain_and_defaults),
		cmocka_unit_test(bad_xml),
		cmocka_unit_test(is_xml),
		cmocka_unit_test(cpu_out),
		cmocka_unit_test(round_trip),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
