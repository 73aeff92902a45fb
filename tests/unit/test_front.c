/* SPDX-License-Identifier: MIT */
/* front.c: vcpuid_cpu_expand and vcpuid_guest_build take a -cpu string or a
 * libvirt <cpu> element (inline or a file); the element gives the same CPU
 * and the same vCPU tables as the -cpu string libvirt 9.0 builds from it
 * (qemuBuildCpuModelArgStr: MODEL, then NAME=on|off per feature). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "vcpuid.h"

#define M72 "pc-i440fx-7.2"
#define SKL_XML "<cpu mode='custom' match='exact'><model>Skylake-Client</model>" \
		"<feature policy='disable' name='hle'/></cpu>"
#define SKL_SPEC "Skylake-Client,hle=off"

static vcpuid_host icx;

static int setup(void **state)
{
	(void)state;
	vcpuid_error err = { 0 };
	vcpuid_host_init(&icx);
	if (vcpuid_host_load("bundled:fc-intel-icelake-6.1", &icx, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vcpuid_host_free(&icx);
	return 0;
}

static char *spec_of(const char *xml, const vcpuid_host *h)
{
	char *spec = NULL;
	vcpuid_error err = { 0 };
	if (vcpuid_libvirt_cpu_spec(xml, h, M72, &spec, &err))
		fail_msg("%s: %s", xml, err.msg);
	return spec;
}

/* The -cpu strings libvirt builds, worked out from its rules. */
static void libvirt_spec(void **state)
{
	(void)state;
	char *s = spec_of(SKL_XML, &icx);
	assert_string_equal(s, SKL_SPEC);
	free(s);
	s = spec_of("<cpu mode='custom' match='exact'><model>Skylake-Client</model>"
		    "<feature policy='require' name='pcid'/>"
		    "<feature policy='disable' name='rtm'/></cpu>", &icx);
	assert_string_equal(s, "Skylake-Client,pcid=on,rtm=off");
	free(s);
	s = spec_of("<cpu mode='host-passthrough' migratable='off'/>", &icx);
	assert_string_equal(s, "host,migratable=off");
	free(s);
	assert_true(vcpuid_libvirt_is_xml(SKL_XML));
	assert_false(vcpuid_libvirt_is_xml(SKL_SPEC));
}

static void same_cpu(const vcpuid_cpu *a, const vcpuid_cpu *b)
{
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->vendor, b->vendor);
	assert_string_equal(a->model_id, b->model_id);
	assert_int_equal(a->family, b->family);
	assert_int_equal(a->model_num, b->model_num);
	assert_int_equal(a->level, b->level);
	assert_int_equal(a->xlevel, b->xlevel);
	assert_memory_equal(a->features, b->features, sizeof(a->features));
	assert_memory_equal(a->requested, b->requested, sizeof(a->requested));
	assert_memory_equal(a->user_on, b->user_on, sizeof(a->user_on));
	assert_memory_equal(a->user_off, b->user_off, sizeof(a->user_off));
	assert_int_equal(a->nfiltered, b->nfiltered);
	assert_int_equal(a->nwarnings, b->nwarnings);
	for (size_t i = 0; i < a->nwarnings; i++)
		assert_string_equal(a->warnings[i], b->warnings[i]);
}

static void expand_xml_equals_string(void **state)
{
	(void)state;
	vcpuid_cpu x, s;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_cpu_expand(&icx, SKL_XML, M72, NULL, &x, &err), 0);
	assert_int_equal(vcpuid_cpu_expand(&icx, SKL_SPEC, M72, NULL, &s, &err), 0);
	same_cpu(&x, &s);
	assert_string_equal(x.name, "Skylake-Client-v1");
	const vcpuid_feature *hle = vcpuid_feature_lookup("hle", NULL);
	assert_false(x.requested[hle->word] >> hle->bit & 1);
	assert_true(x.user_off[hle->word] >> hle->bit & 1);
	/* the model alone keeps hle: the XML's disable did something */
	vcpuid_cpu plain;
	assert_int_equal(vcpuid_cpu_expand(&icx, "Skylake-Client", M72, NULL,
					   &plain, &err), 0);
	assert_true(plain.requested[hle->word] >> hle->bit & 1);
	vcpuid_cpu_free(&plain);
	vcpuid_cpu_free(&x);
	vcpuid_cpu_free(&s);
}

static void same_guest(const vcpuid_guest *a, const vcpuid_guest *b)
{
	same_cpu(&a->cpu, &b->cpu);
	assert_int_equal(a->nvcpus, b->nvcpus);
	for (size_t i = 0; i < a->nvcpus; i++) {
		const vcpuid_vcpu *va = &a->vcpus[i], *vb = &b->vcpus[i];
		assert_int_equal(va->apic_id, vb->apic_id);
		assert_int_equal(va->cpuid.n, vb->cpuid.n);
		assert_memory_equal(va->cpuid.e, vb->cpuid.e,
				    va->cpuid.n * sizeof(*va->cpuid.e));
		assert_int_equal(va->msrs.n, vb->msrs.n);
		for (size_t k = 0; k < va->msrs.n; k++) {
			assert_int_equal(va->msrs.m[k].index, vb->msrs.m[k].index);
			assert_int_equal(va->msrs.m[k].value, vb->msrs.m[k].value);
		}
	}
}

static void guest_xml_equals_string(void **state)
{
	(void)state;
	vcpuid_topology t;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_topology_parse("4,sockets=1,cores=2,threads=2", &t,
					       &err), 0);
	vcpuid_guest x, s;
	assert_int_equal(vcpuid_guest_build(&icx, SKL_XML, M72, &t, &x, &err), 0);
	assert_int_equal(vcpuid_guest_build(&icx, SKL_SPEC, M72, &t, &s, &err), 0);
	assert_int_equal(x.nvcpus, 4);
	same_guest(&x, &s);
	/* APIC IDs 0..3 for 1 socket x 2 cores x 2 threads; CPUID.1.EBX[31:24] */
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(x.vcpus[i].apic_id, i);
		const vcpuid_cpuid_entry *e = vcpuid_table_find(&x.vcpus[i].cpuid, 1, 0);
		assert_non_null(e);
		assert_int_equal(e->reg[VCPUID_EBX] >> 24, i);
		/* hle (CPUID.7.0:EBX[4]) is off in every vCPU's table */
		e = vcpuid_table_find(&x.vcpus[i].cpuid, 7, 0);
		assert_non_null(e);
		assert_int_equal(e->reg[VCPUID_EBX] >> 4 & 1, 0);
	}
	vcpuid_guest_free(&x);
	vcpuid_guest_free(&s);
}

/* The element in a file named with a '/' or ending in .xml. */
static void xml_file(void **state)
{
	(void)state;
	char path[] = "/tmp/vcpuid-front-XXXXXX.xml";
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "\n  " SKL_XML "\n", strlen(SKL_XML) + 4),
			 (ssize_t)strlen(SKL_XML) + 4);
	close(fd);
	assert_true(vcpuid_libvirt_is_xml(path));
	vcpuid_cpu x, s;
	vcpuid_error err = { 0 };
	int rc = vcpuid_cpu_expand(&icx, path, M72, NULL, &x, &err);
	unlink(path);
	assert_int_equal(rc, 0);
	assert_int_equal(vcpuid_cpu_expand(&icx, SKL_SPEC, M72, NULL, &s, &err), 0);
	same_cpu(&x, &s);
	vcpuid_cpu_free(&x);
	vcpuid_cpu_free(&s);
}

static void errors(void **state)
{
	(void)state;
	vcpuid_cpu cpu;
	vcpuid_guest g;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_cpu_expand(&icx, "<cpu mode='custom'><model>Skylake",
					   M72, NULL, &cpu, &err), VCPUID_E_PARSE);
	assert_int_equal(cpu.nwarnings, 0);
	assert_null(cpu.warnings);
	assert_int_equal(vcpuid_guest_build(&icx, "<cpu mode='custom' match='exact'>"
					    "<model>NoSuchModel</model></cpu>", M72,
					    NULL, &g, &err), VCPUID_E_UNKNOWN);
	assert_int_equal(g.nvcpus, 0);
	assert_null(g.vcpus);
	/* a -cpu string's errors are the expansion's */
	assert_int_equal(vcpuid_cpu_expand(&icx, "NoSuchModel", M72, NULL, &cpu,
					   &err), VCPUID_E_UNKNOWN);
	assert_int_equal(vcpuid_guest_build(&icx, "Skylake-Client,hle=maybe", M72,
					    NULL, &g, &err), VCPUID_E_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(libvirt_spec),
		cmocka_unit_test(expand_xml_equals_string),
		cmocka_unit_test(guest_xml_equals_string),
		cmocka_unit_test(xml_file),
		cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
