/* SPDX-License-Identifier: MIT */
/* vmm.c: Firecracker templates and Cloud Hypervisor profiles of every model
 * on every bundled profile read back to the same registers and masks; the
 * reader's rules (shortened and '_' bitmaps, errors). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

static const char *root(void)
{
	const char *r = getenv("VCPUID_SOURCE_ROOT");
	return r ? r : ".";
}

/* t and back hold the same registers and MSRs with the same masks */
static void same(const vcpuid_template *t, const vcpuid_template *back,
		 const char *what)
{
	if (back->nregs != t->nregs || back->nmsrs != t->nmsrs ||
	    back->ncaps != t->ncaps)
		fail_msg("%s: %zu/%zu registers, %zu/%zu MSRs, %zu/%zu caps read back",
			 what, back->nregs, t->nregs, back->nmsrs, t->nmsrs,
			 back->ncaps, t->ncaps);
	for (size_t i = 0; i < t->nregs; i++) {
		const vcpuid_template_reg *a = &t->regs[i], *b = &back->regs[i];
		if (a->leaf != b->leaf || a->first != b->first || a->last != b->last ||
		    a->reg != b->reg || a->value != b->value || a->mask != b->mask ||
		    (t->vmm == VCPUID_VMM_FIRECRACKER && a->flags != b->flags))
			fail_msg("%s: leaf 0x%x.0x%x reg %d: 0x%08x/0x%08x read back "
				 "as 0x%08x/0x%08x", what, a->leaf, a->first, a->reg,
				 a->value, a->mask, b->value, b->mask);
	}
	for (size_t i = 0; i < t->nmsrs; i++)
		if (t->msrs[i].index != back->msrs[i].index ||
		    t->msrs[i].value != back->msrs[i].value ||
		    t->msrs[i].mask != back->msrs[i].mask)
			fail_msg("%s: MSR 0x%x differs read back", what,
				 t->msrs[i].index);
	for (size_t i = 0; i < t->ncaps; i++)
		assert_int_equal(t->caps[i], back->caps[i]);
}

static unsigned one(const vcpuid_host *h, const char *model, const char *what)
{
	vcpuid_guest g;
	vcpuid_error err = { 0 };
	if (vcpuid_guest_build(h, model, NULL, NULL, &g, &err))
		return 0; /* a model the library refuses here (none today) */
	bool amd = !strcmp(h->kvm_flavour, "kvm_amd");
	for (int vmm = 0; vmm < 2; vmm++) {
		vcpuid_template t, back;
		if (vcpuid_template_build((vcpuid_vmm)vmm, &g, h, &t, &err))
			fail_msg("%s %s: %s", what, model, err.msg);
		for (size_t i = 0; i < t.nregs; i++) {
			const vcpuid_template_reg *r = &t.regs[i];
			/* every bit but the VMM's own is set, to the guest's */
			uint32_t own = vcpuid_vmm_owned((vcpuid_vmm)vmm, amd, r->leaf,
						       r->first, r->reg);
			const vcpuid_cpuid_entry *e =
				vcpuid_table_lookup(&g.vcpus[0].cpuid, r->leaf,
						    r->first);
			if (r->mask != ~own ||
			    r->value != ((e ? e->reg[r->reg] : 0) & ~own))
				fail_msg("%s %s: leaf 0x%x.0x%x reg %d", what, model,
					 r->leaf, r->first, r->reg);
		}
		char *json = vcpuid_template_to_json(&t);
		assert_non_null(json);
		if (vcpuid_template_parse(json, strlen(json), what, &back, &err))
			fail_msg("%s %s: %s", what, model, err.msg);
		assert_int_equal(back.vmm, vmm);
		same(&t, &back, model);
		/* and as a host: the fixed bits in its KVM table */
		vcpuid_host th;
		if (vcpuid_host_parse(json, strlen(json), what, &th, &err))
			fail_msg("%s %s as a host: %s", what, model, err.msg);
		for (size_t i = 0; i < t.nregs; i++)
			assert_int_equal(vcpuid_table_reg(&th.supported, t.regs[i].leaf,
							  t.regs[i].first,
							  t.regs[i].reg),
					 t.regs[i].value);
		vcpuid_host_free(&th);
		free(json);
		vcpuid_template_free(&back);
		vcpuid_template_free(&t);
	}
	vcpuid_guest_free(&g);
	return 1;
}

static void every_model_every_profile(void **state)
{
	(void)state;
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/profiles", root());
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	unsigned nprof = 0, ndone = 0;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".json"))
			continue;
		char path[1400];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		vcpuid_host h;
		vcpuid_error err = { 0 };
		if (vcpuid_host_load(path, &h, &err))
			fail_msg("%s", err.msg);
		size_t nm;
		const vcpuid_model_def *m = vcpuid_models(&nm);
		for (size_t i = 0; i < nm; i++) {
			ndone += one(&h, m[i].name, de->d_name);
			for (const vcpuid_model_version *v = m[i].versions;
			     v && v->version; v++) {
				char name[128];
				snprintf(name, sizeof(name), "%s-v%d", m[i].name,
					 v->version);
				ndone += one(&h, name, de->d_name);
			}
		}
		vcpuid_host_free(&h);
		nprof++;
	}
	closedir(d);
	assert_true(nprof >= 8);
	assert_true(ndone > nprof * 100);
}

static void shortened_bitmaps(void **state)
{
	(void)state;
	const char *j =
		"{\"cpuid_modifiers\":[{\"leaf\":\"0x7\",\"subleaf\":\"0x0\","
		"\"flags\":1,\"modifiers\":[{\"register\":\"ebx\",\"bitmap\":"
		"\"0b1_0x1\"}]}],\"msr_modifiers\":[{\"addr\":\"0x10a\","
		"\"bitmap\":\"0b1xxx_0000\"}],\"kvm_capabilities\":[\"!56\",\"208\"]}";
	vcpuid_template t;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_template_parse(j, strlen(j), "t.json", &t, &err), 0);
	assert_int_equal(t.vmm, VCPUID_VMM_FIRECRACKER);
	assert_int_equal(t.nregs, 1);
	assert_int_equal(t.regs[0].value, 0x9);
	assert_int_equal(t.regs[0].mask, 0xd);
	assert_int_equal(t.regs[0].flags, 1);
	assert_int_equal(t.nmsrs, 1);
	assert_int_equal(t.msrs[0].value, 0x80);
	assert_int_equal(t.msrs[0].mask, 0x8f);
	assert_int_equal(t.ncaps, 2);
	assert_int_equal(t.caps[0], -56);
	assert_int_equal(t.caps[1], 208);
	vcpuid_template_free(&t);
}

static const struct bad {
	const char *json;
	int code;
	const char *fragment;
} bad[] = {
	{ "{\"a\":1}", VCPUID_E_UNKNOWN, "neither a Firecracker CPU template" },
	{ "{\"cpuid_modifiers\":{}}", VCPUID_E_PARSE,
	  "t.json: cpuid_modifiers: expected an array" },
	{ "{\"cpuid_modifiers\":[{\"leaf\":\"0x1\",\"subleaf\":\"0x0\","
	  "\"modifiers\":[{\"register\":\"eax\",\"bitmap\":\"1010\"}]}]}",
	  VCPUID_E_PARSE, "cpuid_modifiers[0].modifiers[0].bitmap: expected" },
	{ "{\"cpuid_modifiers\":[{\"leaf\":\"0x1\",\"subleaf\":\"0x0\","
	  "\"modifiers\":[{\"register\":\"eax\",\"bitmap\":\"0b10_2\"}]}]}",
	  VCPUID_E_PARSE, "bad bitmap character '2' at 5" },
	{ "{\"cpuid_modifiers\":[{\"leaf\":\"0x1\",\"subleaf\":\"0x0\","
	  "\"modifiers\":[{\"register\":\"eax\",\"bitmap\":\"0b1\"},"
	  "{\"register\":\"eax\",\"bitmap\":\"0b0\"}]}]}", VCPUID_E_PARSE,
	  "modifiers[1].bitmap: leaf 0x1 subleaf 0x0 eax given twice" },
	{ "{\"msr_modifiers\":[{\"addr\":\"0x10a\",\"bitmap\":\"0b"
	  "11111111111111111111111111111111111111111111111111111111111111111\"}]}",
	  VCPUID_E_PARSE, "msr_modifiers[0].bitmap: more than 64 digits" },
	{ "{\"cpuid_modifiers\":[],\"kvm_capabilities\":[56]}", VCPUID_E_PARSE,
	  "kvm_capabilities[0]: expected a string" },
	{ "{\"hypervisor\":\"Kvm\",\"cpu_vendor\":\"Via\",\"adjustments\":[]}",
	  VCPUID_E_PARSE, "cpu_vendor: expected" },
	{ "{\"hypervisor\":\"Kvm\",\"cpu_vendor\":\"AMD\",\"adjustments\":[[{\"leaf\":"
	  "\"0x1\",\"sub_leaf\":{\"start\":2,\"end\":1},\"register\":\"EAX\"},"
	  "{\"replacements\":\"0x0\",\"mask\":\"0x0\"}]]}", VCPUID_E_PARSE,
	  "adjustments[0][0].sub_leaf: start 0x2 after end 0x1" },
	{ "{\"hypervisor\":\"Kvm\",\"cpu_vendor\":\"AMD\",\"adjustments\":[[{\"leaf\":"
	  "\"0x4\",\"sub_leaf\":{\"start\":0,\"end\":9},\"register\":\"EAX\"},"
	  "{\"replacements\":\"0x0\",\"mask\":\"0x0\"}],[{\"leaf\":\"0x4\","
	  "\"sub_leaf\":{\"start\":5,\"end\":5},\"register\":\"EAX\"},"
	  "{\"replacements\":\"0x0\",\"mask\":\"0x0\"}]]}", VCPUID_E_PARSE,
	  "adjustments[1]: leaf 0x4 EAX overlaps" },
	{ "{\"cpuid_modifiers\":[", VCPUID_E_PARSE, "t.json:1:" },
};

static void bad_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vcpuid_template t;
		vcpuid_error err = { 0 };
		int rc = vcpuid_template_parse(bad[i].json, strlen(bad[i].json),
					       "t.json", &t, &err);
		if (rc != bad[i].code || !strstr(err.msg, bad[i].fragment))
			fail_msg("case %zu: got %d \"%s\", want %d \"...%s...\"", i,
				 rc, err.msg, bad[i].code, bad[i].fragment);
		vcpuid_template_free(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shortened_bitmaps),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(every_model_every_profile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
