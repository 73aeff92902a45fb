/* SPDX-License-Identifier: MIT */
/* fake_kvm: a KVM that takes everything, for machines without a usable
 * /dev/kvm (VCPUID_ORACLE_FAKE_KVM=1 with a host spec).
 *
 * QEMU only builds its vCPUs before the first KVM_RUN (-S), so what it
 * needs from the kernel beyond the host description (answered by
 * kvm_preload.c from the spec) is plumbing: file descriptors it can mmap
 * (memfds), capabilities that enable nothing this backend cannot take, and
 * ioctls that succeed. Every request not listed answers 0; _IOR requests
 * get a zeroed result. KVM_RUN fails with EINTR (QEMU never asks, -S). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "fake_kvm.h"

#define VCPU_MMAP_SIZE (3 * 4096)	/* kvm_run, pio data, spare */
#define MAX_FAKE_FD 4096

static unsigned char fake[MAX_FAKE_FD];

int fake_kvm_fd(int fd)
{
	return fd >= 0 && fd < MAX_FAKE_FD && fake[fd];
}

int fake_kvm_new_fd(size_t size)
{
	int fd = memfd_create("vcpuid-fake-kvm", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if ((size && ftruncate(fd, (off_t)size)) || fd >= MAX_FAKE_FD) {
		int e = fd >= MAX_FAKE_FD ? EMFILE : errno;
		close(fd);
		errno = e;
		return -1;
	}
	fake[fd] = 1;
	return fd;
}

/* Plumbing capabilities: those QEMU 7.2 and 11.1 require (user memory,
 * TSS, MP state, ...) or that pick code paths needing nothing more than
 * ioctls that succeed. Host-describing ones are answered by the spec
 * first (kvm_preload.c); any other is 0. */
static int cap_answer(long cap)
{
	switch (cap) {
	case KVM_CAP_IRQCHIP: case KVM_CAP_HLT: case KVM_CAP_USER_MEMORY:
	case KVM_CAP_SET_TSS_ADDR: case KVM_CAP_EXT_CPUID:
	case KVM_CAP_DESTROY_MEMORY_REGION_WORKS: case KVM_CAP_IRQ_INJECT_STATUS:
	case KVM_CAP_JOIN_MEMORY_REGIONS_WORKS: case KVM_CAP_MP_STATE:
	case KVM_CAP_SYNC_MMU: case KVM_CAP_IRQFD:
	case KVM_CAP_PIT2: case KVM_CAP_PIT_STATE2: case KVM_CAP_IOEVENTFD:
	case KVM_CAP_SET_IDENTITY_MAP_ADDR: case KVM_CAP_INTERNAL_ERROR_DATA:
	case KVM_CAP_VCPU_EVENTS: case KVM_CAP_DEBUGREGS:
	case KVM_CAP_X86_ROBUST_SINGLESTEP: case KVM_CAP_XSAVE: case KVM_CAP_XCRS:
	case KVM_CAP_SET_GUEST_DEBUG: case KVM_CAP_READONLY_MEM:
	case KVM_CAP_SIGNAL_MSI: case KVM_CAP_KVMCLOCK_CTRL:
	case KVM_CAP_IRQFD_RESAMPLE: case KVM_CAP_IOEVENTFD_ANY_LENGTH:
	case KVM_CAP_IMMEDIATE_EXIT: case KVM_CAP_X86_SMM: case KVM_CAP_PCI_2_3:
		return 1;
	case KVM_CAP_IRQ_ROUTING:
		return 4096;		/* GSI routes, as Linux */
	case KVM_CAP_ADJUST_CLOCK:
		return KVM_CLOCK_TSC_STABLE;
	case KVM_CAP_MCE:
		return 32;		/* MCE banks, as Linux */
	case KVM_CAP_NR_VCPUS:
		return 240;
	case KVM_CAP_MAX_VCPUS: case KVM_CAP_MAX_VCPU_ID:
		return 1024;
	case KVM_CAP_NR_MEMSLOTS:
		return 509;
	case KVM_CAP_MULTI_ADDRESS_SPACE:
		return 2;		/* SMM */
	case KVM_CAP_XSAVE2:
		return 4096;		/* the preload raises it to the spec's */
	case KVM_CAP_GET_MSR_FEATURES: case KVM_CAP_SYS_ATTRIBUTES:
		return 1;
	}
	return 0;
}

int fake_kvm_ioctl(int fd, unsigned int req, void *arg)
{
	(void)fd;
	switch (req) {
	case (unsigned int)KVM_GET_API_VERSION:
		return KVM_API_VERSION;
	case (unsigned int)KVM_CREATE_VM:
		return fake_kvm_new_fd(0);
	case (unsigned int)KVM_CREATE_VCPU:
		return fake_kvm_new_fd(VCPU_MMAP_SIZE);
	case (unsigned int)KVM_GET_VCPU_MMAP_SIZE:
		return VCPU_MMAP_SIZE;
	case (unsigned int)KVM_CHECK_EXTENSION:
		return cap_answer((long)(uintptr_t)arg);
	case (unsigned int)KVM_X86_GET_MCE_CAP_SUPPORTED: {
		/* MCG_CTL_P | MCG_CMCI_P | MCG_SER_P | MCG_LMCE_P, 32 banks */
		uint64_t v = (1ull << 8) | (1ull << 10) | (1ull << 24) |
			     (1ull << 27) | 32;
		memcpy(arg, &v, sizeof(v));
		return 0;
	}
	case (unsigned int)KVM_IRQ_LINE_STATUS:
		((struct kvm_irq_level *)arg)->status = 1;
		return 0;
	case (unsigned int)KVM_GET_MSRS: {
		struct kvm_msrs *m = arg;
		for (unsigned i = 0; i < m->nmsrs; i++)
			m->entries[i].data = 0;
		return (int)m->nmsrs;
	}
	case (unsigned int)KVM_SET_MSRS:
		return (int)((struct kvm_msrs *)arg)->nmsrs;
	case (unsigned int)KVM_GET_DEVICE_ATTR:
	case (unsigned int)KVM_HAS_DEVICE_ATTR:
		errno = ENXIO;
		return -1;
	case (unsigned int)KVM_GET_TSC_KHZ:
	case (unsigned int)KVM_RUN:
		errno = req == (unsigned int)KVM_RUN ? EINTR : EIO;
		return -1;
	case (unsigned int)KVM_GET_SUPPORTED_CPUID:
	case (unsigned int)KVM_GET_EMULATED_CPUID:
	case (unsigned int)KVM_GET_MSR_INDEX_LIST:
	case (unsigned int)KVM_GET_MSR_FEATURE_INDEX_LIST:
	case (unsigned int)KVM_GET_SUPPORTED_HV_CPUID:
	case (unsigned int)KVM_GET_NESTED_STATE:
	case (unsigned int)KVM_GET_STATS_FD:
		/* the spec answers the first four; the rest are not offered */
		errno = ENOTTY;
		return -1;
	}
	if (_IOC_DIR(req) == _IOC_READ && arg && _IOC_SIZE(req))
		memset(arg, 0, _IOC_SIZE(req));
	return 0;
}
