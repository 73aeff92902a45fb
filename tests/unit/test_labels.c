/* SPDX-License-Identifier: MIT */
/* labels.c: KubeVirt's node labels and Nova's traits for bundled and
 * recorded hosts (never the machine the test runs on). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"
#include "vcpuid/labels.h"

static void compute(const char *spec, vcpuid_labels *l)
{
	vcpuid_host h;
	vcpuid_error err = { 0 };
	char path[512];
	if (strncmp(spec, "bundled:", 8)) {
		const char *root = getenv("VCPUID_SOURCE_ROOT");
		snprintf(path, sizeof(path), "%s/%s", root ? root : ".", spec);
		spec = path;
	}
	unsetenv("VCPUID_PROFILE_DIR");
	if (vcpuid_host_load(spec, &h, &err))
		fail_msg("%s: %s", spec, err.msg);
	if (vcpuid_labels_compute(&h, NULL, l, &err))
		fail_msg("%s: %s", spec, err.msg);
	vcpuid_host_free(&h);
}

static bool has(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static const char *label(const vcpuid_labels *l, const char *key)
{
	for (size_t i = 0; i < l->nkubevirt; i++)
		if (!strcmp(l->kubevirt[i].key, key))
			return l->kubevirt[i].value;
	return NULL;
}

static void sorted(char *const *list, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(list[i - 1], list[i]) >= 0)
			fail_msg("not sorted or repeated: %s, %s", list[i - 1], list[i]);
}

/* KubeVirt's labels are what the lists say, and nothing else */
static void labels_match_lists(const vcpuid_labels *l)
{
	for (size_t i = 1; i < l->nkubevirt; i++)
		assert_true(strcmp(l->kubevirt[i - 1].key, l->kubevirt[i].key) < 0);
	size_t nfeat = 0, nmodel = 0, nreq = 0;
	for (size_t i = 0; i < l->nkubevirt; i++) {
		const char *k = l->kubevirt[i].key, *s;
		if ((s = strchr(k, '/')))
			s++;
		if (!strncmp(k, "cpu-feature.node.kubevirt.io/", 29)) {
			assert_true(has(l->features, l->nfeatures, s));
			nfeat++;
		} else if (!strncmp(k, "cpu-model.node.kubevirt.io/", 27)) {
			assert_true(has(l->models, l->nmodels, s));
			nmodel++;
		} else if (!strncmp(k, "host-model-required-features.", 29)) {
			assert_true(has(l->required, l->nrequired, s));
			nreq++;
		}
	}
	assert_int_equal(nfeat, l->nfeatures);
	assert_int_equal(nmodel, l->nmodels);
	assert_int_equal(nreq, l->nrequired);
	sorted(l->features, l->nfeatures);
	sorted(l->required, l->nrequired);
	sorted(l->disabled, l->ndisabled);
	sorted(l->models, l->nmodels);
	for (size_t i = 1; i < l->ntraits; i++)
		assert_true(strcmp(l->traits[i - 1], l->traits[i]) < 0);
}

static void intel_cascadelake(void **state)
{
	(void)state;
	vcpuid_labels l;
	compute("bundled:fc-intel-cascadelake-6.1", &l);
	labels_match_lists(&l);
	assert_string_equal(l.host_model, "Cascadelake-Server");
	assert_string_equal(l.vendor, "Intel");
	/* KVM without TSX */
	assert_int_equal(l.ndisabled, 2);
	assert_string_equal(l.disabled[0], "hle");
	assert_string_equal(l.disabled[1], "rtm");
	assert_false(has(l.features, l.nfeatures, "hle"));
	assert_false(has(l.features, l.nfeatures, "rtm"));
	assert_int_equal(l.nfeatures, 92);
	assert_true(has(l.features, l.nfeatures, "avx512vnni"));	/* the model's */
	assert_true(has(l.features, l.nfeatures, "pni"));	/* libvirt's name */
	assert_false(has(l.features, l.nfeatures, "sse3"));
	assert_int_equal(l.nrequired, 20);
	assert_true(has(l.required, l.nrequired, "tsc_adjust"));
	assert_true(has(l.required, l.nrequired, "invtsc"));
	assert_true(has(l.required, l.nrequired, "md-clear"));
	/* usable models: the TSX-free ones, none obsolete */
	static const char *const models[] = {
		"Broadwell-noTSX", "Broadwell-noTSX-IBRS", "Cascadelake-Server-noTSX",
		"Haswell-noTSX", "Haswell-noTSX-IBRS", "IvyBridge", "IvyBridge-IBRS",
		"Nehalem", "Nehalem-IBRS", "Penryn", "SandyBridge", "SandyBridge-IBRS",
		"Skylake-Client-noTSX-IBRS", "Skylake-Server-noTSX-IBRS", "Westmere",
		"Westmere-IBRS",
	};
	assert_int_equal(l.nmodels, sizeof(models) / sizeof(models[0]));
	for (size_t i = 0; i < l.nmodels; i++)
		assert_string_equal(l.models[i], models[i]);
	/* labels */
	assert_string_equal(label(&l, "host-model-cpu.node.kubevirt.io/"
				  "Cascadelake-Server"), "true");
	assert_string_equal(label(&l, "cpu-vendor.node.kubevirt.io/Intel"), "true");
	assert_string_equal(label(&l, "cpu-feature.node.kubevirt.io/avx512f"), "true");
	assert_string_equal(label(&l, "cpu-model.node.kubevirt.io/IvyBridge"), "true");
	assert_string_equal(label(&l, "host-model-required-features.node.kubevirt.io/"
				  "umip"), "true");
	/* a model libvirt knows but this host cannot run: migration only */
	assert_null(label(&l, "cpu-model.node.kubevirt.io/Cascadelake-Server"));
	assert_string_equal(label(&l, "cpu-model-migration.node.kubevirt.io/"
				  "Cascadelake-Server"), "true");
	/* obsolete models get neither */
	assert_null(label(&l, "cpu-model.node.kubevirt.io/qemu64"));
	assert_null(label(&l, "cpu-model-migration.node.kubevirt.io/qemu64"));
	assert_null(label(&l, "cpu-model-migration.node.kubevirt.io/486"));
	assert_null(label(&l, "node-labeller.kubevirt.io/obsolete-host-model"));
	/* no TSC rate recorded: no cpu-timer labels */
	assert_null(label(&l, "cpu-timer.node.kubevirt.io/tsc-frequency"));
	assert_int_equal(l.nkubevirt, 167);
	/* Nova */
	assert_int_equal(l.ntraits, 22);
	assert_string_equal(l.traits[0], "HW_CPU_X86_ABM");
	assert_string_equal(l.traits[l.ntraits - 1], "HW_CPU_X86_SSSE3");
	bool clmul = false, sse3 = false, svm = false;
	for (size_t i = 0; i < l.ntraits; i++) {
		clmul |= !strcmp(l.traits[i], "HW_CPU_X86_CLMUL");	/* pclmuldq */
		sse3 |= !strcmp(l.traits[i], "HW_CPU_X86_SSE3");
		svm |= !strcmp(l.traits[i], "HW_CPU_X86_SVM");
	}
	assert_true(clmul);
	assert_false(sse3);
	assert_false(svm);
	/* ... and why SSE3 is missing */
	assert_int_equal(l.nproblems, 1);
	assert_string_equal(l.problems[0], "nova: CPU_TRAITS_MAPPING maps sse3 to "
			    "HW_CPU_X86_SSE3, but libvirt names the host's bit pni: "
			    "HW_CPU_X86_SSE3 is never reported");
	vcpuid_labels_free(&l);
	/* freed and empty */
	assert_null(l.features);
	assert_int_equal(l.nkubevirt, 0);
}

static void amd_genoa(void **state)
{
	(void)state;
	vcpuid_labels l;
	compute("bundled:fc-amd-genoa-6.1", &l);
	labels_match_lists(&l);
	/* libvirt 9.0 has no Genoa: Milan plus what Genoa adds */
	assert_string_equal(l.host_model, "EPYC-Milan");
	assert_string_equal(l.vendor, "AMD");
	assert_true(has(l.required, l.nrequired, "avx512f"));
	assert_true(has(l.required, l.nrequired, "la57"));
	/* Firecracker's KVM: no nested SVM */
	assert_int_equal(l.ndisabled, 4);
	assert_true(has(l.disabled, l.ndisabled, "svm"));
	assert_true(has(l.disabled, l.ndisabled, "npt"));
	assert_false(has(l.features, l.nfeatures, "svm"));
	assert_true(has(l.models, l.nmodels, "EPYC-Milan"));
	assert_true(has(l.models, l.nmodels, "EPYC-Rome"));
	assert_false(has(l.models, l.nmodels, "Cascadelake-Server"));
	assert_string_equal(label(&l, "cpu-vendor.node.kubevirt.io/AMD"), "true");
	assert_null(label(&l, "cpu-vendor.node.kubevirt.io/Intel"));
	assert_string_equal(label(&l, "host-model-cpu.node.kubevirt.io/EPYC-Milan"),
			    "true");
	bool f512 = false, svm = false;
	for (size_t i = 0; i < l.ntraits; i++) {
		f512 |= !strcmp(l.traits[i], "HW_CPU_X86_AVX512F");
		svm |= !strcmp(l.traits[i], "HW_CPU_X86_AMD_SVM");
	}
	assert_true(f512);
	assert_false(svm);
	vcpuid_labels_free(&l);
}

/* A PVM guest's KVM as recorded by vcpuid probe: an obsolete host-model and
 * the TSC labels (invariant TSC in the raw CPUID, rate known) */
static void amd_pvm_probe(void **state)
{
	(void)state;
	vcpuid_labels l;
	compute("tests/data/hosts/amd-epyc-f19m11-pvm.json", &l);
	labels_match_lists(&l);
	assert_string_equal(l.host_model, "kvm64");
	assert_string_equal(l.vendor, "AMD");
	assert_int_equal(l.nmodels, 0);
	assert_int_equal(l.ndisabled, 1);
	assert_string_equal(l.disabled[0], "pni");
	assert_string_equal(label(&l, "node-labeller.kubevirt.io/obsolete-host-model"),
			    "true");
	assert_string_equal(label(&l, "cpu-timer.node.kubevirt.io/tsc-frequency"),
			    "2596144000");
	assert_string_equal(label(&l, "cpu-timer.node.kubevirt.io/tsc-scalable"),
			    "false");
	assert_int_equal(l.ntraits, 3);
	assert_string_equal(l.traits[0], "HW_CPU_X86_MMX");
	assert_string_equal(l.traits[1], "HW_CPU_X86_SSE");
	assert_string_equal(l.traits[2], "HW_CPU_X86_SSE2");
	vcpuid_labels_free(&l);
}

static void unknown_machine(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	unsetenv("VCPUID_PROFILE_DIR");
	assert_int_equal(vcpuid_host_load("bundled:fc-intel-icelake-6.1", &h, &err), 0);
	vcpuid_labels l;
	assert_int_equal(vcpuid_labels_compute(&h, "pc-q35-0.1", &l, &err),
			 VCPUID_E_UNKNOWN);
	assert_int_equal(err.code, VCPUID_E_UNKNOWN);
	assert_null(l.features);
	assert_int_equal(l.nkubevirt, 0);
	vcpuid_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intel_cascadelake),
		cmocka_unit_test(amd_genoa),
		cmocka_unit_test(amd_pvm_probe),
		cmocka_unit_test(unknown_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
