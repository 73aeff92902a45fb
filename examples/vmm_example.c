/* SPDX-License-Identifier: MIT */
/* vmm_example: what a VMM does with libvcpuid, in one page. Copy freely.
 *
 *   vmm_example [-cpu SPEC] [-smp TOPOLOGY] [-host PROFILE|live]
 *
 * 1. vcpuid_guest_build(): expand `-cpu SPEC` for this host the way QEMU 7.2
 *    does and synthesize every vCPU's CPUID table and feature MSRs.
 * 2. Create a KVM VM and its vCPUs; for each vCPU: KVM_SET_CPUID2 with the
 *    table, then KVM_SET_MSRS with the feature MSRs (this order: KVM checks
 *    MSR writes against the vCPU's CPUID), before its first KVM_RUN.
 * Build: cc vmm_example.c $(pkg-config --cflags --libs vcpuid)
 * Exit: 0 success, else the vcpuid error code or 1 for a KVM failure. */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vcpuid.h>

int main(int argc, char **argv)
{
	const char *spec = "Skylake-Client-v1", *smp = "1", *hostspec = "live";
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-cpu"))
			spec = argv[i + 1];
		else if (!strcmp(argv[i], "-smp"))
			smp = argv[i + 1];
		else if (!strcmp(argv[i], "-host"))
			hostspec = argv[i + 1];
	}

	/* 1. the guest CPU: host description, topology, then build */
	vcpuid_error err = { 0 };
	vcpuid_host host;
	vcpuid_topology topo;
	vcpuid_guest guest;
	vcpuid_host_init(&host);
	if (vcpuid_host_load(hostspec, &host, &err) ||
	    vcpuid_topology_parse(smp, &topo, &err) ||
	    vcpuid_guest_build(&host, spec, NULL, &topo, &guest, &err)) {
		fprintf(stderr, "vmm_example: %s\n", err.msg);
		vcpuid_host_free(&host);
		return err.code;
	}
	vcpuid_host_free(&host);
	printf("-cpu %s -> %s, %zu vCPUs, %zu features filtered\n", spec,
	       guest.cpu.name, guest.nvcpus, guest.cpu.nfiltered);

	/* 2. KVM: one VM, one vCPU per table */
	int rc = 1;
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int vm = kvm < 0 ? -1 : ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		perror("vmm_example: /dev/kvm");
		goto out;
	}
	for (size_t i = 0; i < guest.nvcpus; i++) {
		const vcpuid_vcpu *v = &guest.vcpus[i];
		/* QEMU uses the APIC ID as the KVM vCPU id */
		int fd = ioctl(vm, KVM_CREATE_VCPU, (unsigned long)v->apic_id);
		struct kvm_cpuid2 *cpuid = vcpuid_vcpu_to_kvm_cpuid(v);
		struct kvm_msrs *msrs = vcpuid_vcpu_to_kvm_msrs(v);
		int set = -1;
		if (fd < 0 || !cpuid || !msrs ||
		    ioctl(fd, KVM_SET_CPUID2, cpuid) < 0) {
			perror("vmm_example: KVM_CREATE_VCPU/KVM_SET_CPUID2");
		} else {
			set = ioctl(fd, KVM_SET_MSRS, msrs);
			/* KVM_SET_MSRS returns how many MSRs it set */
			if (set != (int)msrs->nmsrs)
				fprintf(stderr, "vmm_example: vCPU %zu: KVM refused "
						"MSR 0x%x (set %d of %u)\n", i,
					set >= 0 && (unsigned)set < msrs->nmsrs
						? msrs->entries[set].index : 0,
					set, msrs->nmsrs);
			else
				printf("vCPU %zu (APIC ID %u): %u CPUID entries, "
				       "%u MSRs set\n", i, v->apic_id,
				       cpuid->nent, msrs->nmsrs);
		}
		free(cpuid);
		free(msrs);
		if (fd >= 0)
			close(fd);
		if (set < 0 || (msrs && set != (int)v->msrs.n))
			goto out;
	}
	rc = 0;
out:
	if (vm >= 0)
		close(vm);
	if (kvm >= 0)
		close(kvm);
	vcpuid_guest_free(&guest);
	return rc;
}
