/* SPDX-License-Identifier: MIT */
/* Sizes and field offsets of the public structs the Python binding mirrors
 * (vcpuid/_ffi.py), as JSON: {"struct": {"size": N, "fields": {"f": off}}}.
 * test_layout.py compares them with ctypes. A field renamed or removed in
 * include/ breaks this file's build; one added changes a size or an offset:
 * update vcpuid/_ffi.py and the list below together. */
#include <stddef.h>
#include <stdio.h>
#include <vcpuid.h>

static int first_struct = 1, first_field;

static void begin(const char *name, size_t size)
{
	printf("%s\"%s\": {\"size\": %zu, \"fields\": {", first_struct ? "" : ",\n",
	       name, size);
	first_struct = 0;
	first_field = 1;
}

static void field(const char *name, size_t off)
{
	printf("%s\"%s\": %zu", first_field ? "" : ", ", name, off);
	first_field = 0;
}

static void end(void)
{
	printf("}}");
}

#define S(t) begin(#t, sizeof(t))
#define F(t, f) field(#f, offsetof(t, f))

int main(void)
{
	printf("{\n");
	S(vcpuid_error); F(vcpuid_error, code); F(vcpuid_error, msg); end();
	S(vcpuid_cpuid_entry); F(vcpuid_cpuid_entry, function);
	F(vcpuid_cpuid_entry, index); F(vcpuid_cpuid_entry, flags);
	F(vcpuid_cpuid_entry, reg); end();
	S(vcpuid_table); F(vcpuid_table, e); F(vcpuid_table, n);
	F(vcpuid_table, cap); end();
	S(vcpuid_msr); F(vcpuid_msr, index); F(vcpuid_msr, value); end();
	S(vcpuid_msr_list); F(vcpuid_msr_list, m); F(vcpuid_msr_list, n);
	F(vcpuid_msr_list, cap); end();
	S(vcpuid_kvm_cap); F(vcpuid_kvm_cap, name); F(vcpuid_kvm_cap, id);
	F(vcpuid_kvm_cap, value); end();

	S(vcpuid_host);
	F(vcpuid_host, source); F(vcpuid_host, origin); F(vcpuid_host, raw);
	F(vcpuid_host, has_raw); F(vcpuid_host, has_kvm);
	F(vcpuid_host, kvm_absent); F(vcpuid_host, kvm_api_version);
	F(vcpuid_host, supported); F(vcpuid_host, emulated);
	F(vcpuid_host, feature_msrs); F(vcpuid_host, msr_index_list);
	F(vcpuid_host, n_msr_index_list); F(vcpuid_host, caps);
	F(vcpuid_host, n_caps); F(vcpuid_host, has_xcomp_guest_supp);
	F(vcpuid_host, xcomp_guest_supp); F(vcpuid_host, tsc_khz);
	F(vcpuid_host, lazy); F(vcpuid_host, kernel); F(vcpuid_host, kvm_flavour);
	F(vcpuid_host, has_microcode); F(vcpuid_host, microcode);
	F(vcpuid_host, cpuinfo_flags);
	end();

	S(vcpuid_topology); F(vcpuid_topology, cpus); F(vcpuid_topology, sockets);
	F(vcpuid_topology, dies); F(vcpuid_topology, modules);
	F(vcpuid_topology, cores); F(vcpuid_topology, threads); end();
	S(vcpuid_machine); F(vcpuid_machine, name); F(vcpuid_machine, qemu);
	F(vcpuid_machine, default_cpu_version); F(vcpuid_machine, compat);
	F(vcpuid_machine, type); end();
	S(vcpuid_model_def); F(vcpuid_model_def, name); end();
	S(vcpuid_word_info); F(vcpuid_word_info, id); end();
	S(vcpuid_feature); F(vcpuid_feature, name); F(vcpuid_feature, word);
	F(vcpuid_feature, bit); F(vcpuid_feature, flags);
	F(vcpuid_feature, qemu_since); F(vcpuid_feature, linux_name);
	F(vcpuid_feature, desc); end();
	S(vcpuid_filtered); F(vcpuid_filtered, word); F(vcpuid_filtered, bit);
	F(vcpuid_filtered, name); F(vcpuid_filtered, reason); end();

	S(vcpuid_cpu);
	F(vcpuid_cpu, machine); F(vcpuid_cpu, model); F(vcpuid_cpu, version);
	F(vcpuid_cpu, name); F(vcpuid_cpu, is_host); F(vcpuid_cpu, is_max);
	F(vcpuid_cpu, is_base); F(vcpuid_cpu, vendor); F(vcpuid_cpu, family);
	F(vcpuid_cpu, model_num); F(vcpuid_cpu, stepping); F(vcpuid_cpu, level);
	F(vcpuid_cpu, xlevel); F(vcpuid_cpu, xlevel2); F(vcpuid_cpu, min_level);
	F(vcpuid_cpu, min_xlevel); F(vcpuid_cpu, min_xlevel2);
	F(vcpuid_cpu, level_func7); F(vcpuid_cpu, min_level_func7);
	F(vcpuid_cpu, model_id); F(vcpuid_cpu, features);
	F(vcpuid_cpu, requested); F(vcpuid_cpu, filtered); F(vcpuid_cpu, user_on);
	F(vcpuid_cpu, user_off); F(vcpuid_cpu, supported);
	F(vcpuid_cpu, max_withheld); F(vcpuid_cpu, migratable);
	F(vcpuid_cpu, enforce); F(vcpuid_cpu, check); F(vcpuid_cpu, kvm);
	F(vcpuid_cpu, pmu); F(vcpuid_cpu, l3_cache); F(vcpuid_cpu, host_cache_info);
	F(vcpuid_cpu, host_phys_bits); F(vcpuid_cpu, full_cpuid_auto_level);
	F(vcpuid_cpu, vendor_cpuid_only); F(vcpuid_cpu, cpuid_0xb_off);
	F(vcpuid_cpu, vmware_cpuid_freq_off); F(vcpuid_cpu, force_cpuid_0x1f);
	F(vcpuid_cpu, kvm_pv_enforce_cpuid); F(vcpuid_cpu, compat_knobs);
	F(vcpuid_cpu, phys_bits);
	F(vcpuid_cpu, ucode_rev); F(vcpuid_cpu, tsc_khz);
	F(vcpuid_cpu, avx10_version); F(vcpuid_cpu, avx10_max_subleaf);
	F(vcpuid_cpu, avx10_filtered); F(vcpuid_cpu, avx10_asked);
	F(vcpuid_cpu, cache); F(vcpuid_cpu, topo); F(vcpuid_cpu, nfiltered);
	F(vcpuid_cpu, filtered_list); F(vcpuid_cpu, warnings);
	F(vcpuid_cpu, nwarnings);
	end();

	S(vcpuid_vcpu); F(vcpuid_vcpu, index); F(vcpuid_vcpu, apic_id);
	F(vcpuid_vcpu, cpuid); F(vcpuid_vcpu, msrs); end();
	S(vcpuid_guest); F(vcpuid_guest, cpu); F(vcpuid_guest, nvcpus);
	F(vcpuid_guest, vcpus); end();
	S(vcpuid_explanation); F(vcpuid_explanation, feature);
	F(vcpuid_explanation, at); F(vcpuid_explanation, note);
	F(vcpuid_explanation, decisive); F(vcpuid_explanation, wanted);
	F(vcpuid_explanation, final); F(vcpuid_explanation, cause); end();
	S(vcpuid_reason); F(vcpuid_reason, kind); F(vcpuid_reason, fatal);
	F(vcpuid_reason, what); F(vcpuid_reason, text); end();
	S(vcpuid_comparison); F(vcpuid_comparison, verdict);
	F(vcpuid_comparison, n); F(vcpuid_comparison, r);
	F(vcpuid_comparison, nextra); F(vcpuid_comparison, level);
	F(vcpuid_comparison, level_here); end();
	S(vcpuid_baseline); F(vcpuid_baseline, spec); F(vcpuid_baseline, model);
	F(vcpuid_baseline, version); F(vcpuid_baseline, features);
	F(vcpuid_baseline, plus); F(vcpuid_baseline, minus);
	F(vcpuid_baseline, vendor); F(vcpuid_baseline, level); end();
	printf("\n}\n");
	return 0;
}
