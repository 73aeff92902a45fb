/* SPDX-License-Identifier: MIT */
/* The KVM door: /dev/kvm opened the one way, KVM's supported CPUID, its
 * feature MSRs and capabilities asked, and the scratch VM that tells the
 * TSC rate and the MSRs KVM refuses. The host capture (probe.c) calls it. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "internal.h"

#define KVM_MAX_NENT 4096
#define KVM_MAX_MSRS 16384

static int get_cpuid2(int fd, unsigned long req, const char *what,
		      vcpuid_table *t, vcpuid_error *err)
{
	/* KVM's own limit is 256 entries (KVM_MAX_CPUID_ENTRIES): one call
	 * (each try enumerates the leaves again, ~0.1 ms under PVM). */
	for (uint32_t nent = 256; nent <= KVM_MAX_NENT; nent *= 2) {
		size_t sz = sizeof(struct kvm_cpuid2) +
			    nent * sizeof(struct kvm_cpuid_entry2);
		struct kvm_cpuid2 *c = calloc(1, sz);
		if (!c)
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		c->nent = nent;
		if (ioctl(fd, req, c) < 0) {
			int e = errno;
			free(c);
			if (e == E2BIG)
				continue; /* nent is not written back */
			return vcpuid_fail(err, VCPUID_E_KVM, "%s: %s", what,
					   strerror(e));
		}
		for (uint32_t i = 0; i < c->nent && i < nent; i++) {
			const struct kvm_cpuid_entry2 *e = &c->entries[i];
			if (!vcpuid_table_add(t, e->function, e->index, e->flags,
					      e->eax, e->ebx, e->ecx, e->edx)) {
				free(c);
				return vcpuid_fail(err, VCPUID_E_NOMEM,
						   "out of memory");
			}
		}
		free(c);
		return 0;
	}
	return vcpuid_fail(err, VCPUID_E_LIMIT, "%s: more than %d entries",
			   what, KVM_MAX_NENT);
}

/* KVM_GET_MSR_INDEX_LIST / KVM_GET_MSR_FEATURE_INDEX_LIST: nmsrs is written
 * back on E2BIG. *out is malloc'd. */
static int get_msr_list(int fd, unsigned long req, const char *what,
			uint32_t **out, size_t *n, vcpuid_error *err)
{
	uint32_t want = 8; /* small on purpose: the E2BIG path runs */
	for (int tries = 0; tries < 8; tries++) {
		if (want > KVM_MAX_MSRS)
			break;
		struct kvm_msr_list *l =
			calloc(1, sizeof(*l) + want * sizeof(uint32_t));
		if (!l)
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		l->nmsrs = want;
		if (ioctl(fd, req, l) < 0) {
			int e = errno;
			uint32_t asked = l->nmsrs;
			free(l);
			if (e == E2BIG) {
				want = asked > want ? asked : want * 2;
				continue;
			}
			return vcpuid_fail(err, VCPUID_E_KVM, "%s: %s", what,
					   strerror(e));
		}
		size_t cnt = l->nmsrs < want ? l->nmsrs : want;
		uint32_t *v = malloc((cnt ? cnt : 1) * sizeof(uint32_t));
		if (!v) {
			free(l);
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		}
		memcpy(v, l->indices, cnt * sizeof(uint32_t));
		free(l);
		*out = v;
		*n = cnt;
		return 0;
	}
	return vcpuid_fail(err, VCPUID_E_LIMIT, "%s: list too long", what);
}

/* Values of the feature MSRs through KVM_GET_MSRS on the system fd. It
 * returns how many it read and stops at the first failure: skip a failing
 * index and go on with the next. */
static int get_feature_msrs(int fd, const uint32_t *idx, size_t n,
			    vcpuid_msr_list *out, vcpuid_error *err)
{
	if (!n)
		return 0;
	struct kvm_msrs *m = calloc(1, sizeof(*m) + n * sizeof(struct kvm_msr_entry));
	if (!m)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	size_t start = 0;
	while (start < n) {
		memset(m, 0, sizeof(*m) + n * sizeof(struct kvm_msr_entry));
		m->nmsrs = (uint32_t)(n - start);
		for (size_t i = start; i < n; i++)
			m->entries[i - start].index = idx[i];
		int r = ioctl(fd, KVM_GET_MSRS, m);
		if (r < 0) {
			int e = errno;
			free(m);
			return vcpuid_fail(err, VCPUID_E_KVM,
					   "KVM_GET_MSRS (feature MSRs): %s",
					   strerror(e));
		}
		if ((size_t)r > n - start)
			r = (int)(n - start);
		for (int i = 0; i < r; i++)
			if (vcpuid_msr_list_add(out, m->entries[i].index,
						m->entries[i].data)) {
				free(m);
				return vcpuid_fail(err, VCPUID_E_NOMEM,
						   "out of memory");
			}
		start += (size_t)r + 1; /* skip the one that failed */
	}
	free(m);
	return 0;
}

static const struct {
	const char *name;
	uint32_t id;
} kvm_caps[] = {
#define KVM_CAP(name, id) { #name, id },
#include "data/kvm_caps.def"
#undef KVM_CAP
};

int vp_kvm_caps_init(vcpuid_host *h)
{
	h->caps = calloc(ARRAY_SIZE(kvm_caps), sizeof(*h->caps));
	if (!h->caps)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(kvm_caps); i++) {
		vcpuid_kvm_cap *c = &h->caps[h->n_caps++];
		snprintf(c->name, sizeof(c->name), "%s", kvm_caps[i].name);
		c->id = kvm_caps[i].id;
	}
	return 0;
}

uint64_t vp_kvm_caps_signature(void)
{
	/* The ids in order (names come from the table when read). */
	uint64_t sig = 0xcbf29ce484222325ull; /* FNV-1a */
	for (size_t i = 0; i < ARRAY_SIZE(kvm_caps); i++)
		sig = (sig ^ kvm_caps[i].id) * 0x100000001b3ull;
	return sig ^ ARRAY_SIZE(kvm_caps);
}

/* The TSC rate a new vCPU gets (what QEMU asks with KVM_GET_TSC_KHZ when
 * no tsc-frequency is set): a scratch VM with one vCPU. *khz = 0 when KVM
 * cannot say (no KVM_CAP_GET_TSC_KHZ); a scratch VM that fails is an
 * error, never a silent 0: the guest's 0x40000010 leaf depends on it. */
int vp_kvm_scratch_tsc_khz(int fd, const vcpuid_host *h, uint32_t *khz,
			   vcpuid_error *err)
{
	*khz = 0;
	const vcpuid_kvm_cap *c = vcpuid_host_cap(h, "KVM_CAP_GET_TSC_KHZ");
	if (!c || c->value <= 0)
		return 0;
	const char *what = "KVM_CREATE_VM";
	int vm = ioctl(fd, KVM_CREATE_VM, 0), vcpu = -1, r = -1;
	if (vm >= 0) {
		what = "KVM_CREATE_VCPU";
		vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	}
	if (vcpu >= 0) {
		what = "KVM_GET_TSC_KHZ";
		r = ioctl(vcpu, KVM_GET_TSC_KHZ, 0);
	}
	int e = errno;
	if (vcpu >= 0)
		close(vcpu);
	if (vm >= 0)
		close(vm);
	if (r <= 0)
		return vcpuid_fail(err, VCPUID_E_KVM,
				   "kvm: %s (scratch VM for the TSC rate of a "
				   "new vCPU) failed: %s (errno %d)", what,
				   r == 0 ? "rate 0" : strerror(e), r == 0 ? 0 : e);
	*khz = (uint32_t)r;
	return 0;
}

/* The feature MSRs a vCPU's KVM_SET_MSRS refuses to set to their value
 * after KVM_SET_CPUID2 of the supported table, as QEMU writes them after
 * giving the vCPU its table (e.g. 0x10A on a PVM host, whose hypervisor
 * drops arch-capabilities from the table it keeps: QEMU then aborts).
 * MSRs whose value is 0 are not tried (KVM accepts a host write of 0).
 * Best effort: unknown (has_refused_msrs false) when the scratch vCPU
 * cannot be made or given the table. */
void vp_kvm_scratch_refused_msrs(int fd, vcpuid_host *h)
{
	int vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm < 0)
		return;
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + h->supported.n *
				      sizeof(struct kvm_cpuid_entry2));
	uint32_t *out = calloc(h->feature_msrs.n ? h->feature_msrs.n : 1,
			       sizeof(uint32_t));
	struct kvm_msrs *one = NULL;
	if (vcpu < 0 || !c || !out)
		goto done;
	c->nent = (uint32_t)h->supported.n;
	for (size_t i = 0; i < h->supported.n; i++) {
		const vcpuid_cpuid_entry *e = &h->supported.e[i];
		struct kvm_cpuid_entry2 *k = &c->entries[i];
		k->function = e->function;
		k->index = e->index;
		k->flags = e->flags;
		k->eax = e->reg[VCPUID_EAX];
		k->ebx = e->reg[VCPUID_EBX];
		k->ecx = e->reg[VCPUID_ECX];
		k->edx = e->reg[VCPUID_EDX];
	}
	if (ioctl(vcpu, KVM_SET_CPUID2, c))
		goto done;
	size_t n = 0;
	/* one MSR at a time: a kvm_msrs header and its one entry */
	one = calloc(1, sizeof(*one) + sizeof(struct kvm_msr_entry));
	if (!one)
		goto done;
	one->nmsrs = 1;
	for (size_t i = 0; i < h->feature_msrs.n; i++) {
		one->entries[0].index = h->feature_msrs.m[i].index;
		one->entries[0].data = h->feature_msrs.m[i].value;
		if (one->entries[0].data && ioctl(vcpu, KVM_SET_MSRS, one) != 1)
			out[n++] = one->entries[0].index;
	}
	h->refused_msrs = out;
	h->n_refused_msrs = n;
	h->has_refused_msrs = true;
	out = NULL;
done:
	free(one);
	free(out);
	free(c);
	if (vcpu >= 0)
		close(vcpu);
	close(vm);
}

int vp_kvm_probe(int fd, vcpuid_host *h, vcpuid_error *err)
{
	int rc;
	int api = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (api < 0)
		return vcpuid_fail(err, VCPUID_E_KVM, "KVM_GET_API_VERSION: %s",
				   strerror(errno));
	h->kvm_api_version = api;

	if (vp_kvm_caps_init(h))
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	for (size_t i = 0; i < h->n_caps; i++) {
		vcpuid_kvm_cap *c = &h->caps[i];
		int v = ioctl(fd, KVM_CHECK_EXTENSION, (unsigned long)c->id);
		c->value = v < 0 ? 0 : v;
	}

	rc = get_cpuid2(fd, KVM_GET_SUPPORTED_CPUID, "KVM_GET_SUPPORTED_CPUID",
			&h->supported, err);
	if (rc)
		return rc;
	const vcpuid_kvm_cap *emul = vcpuid_host_cap(h, "KVM_CAP_EXT_EMUL_CPUID");
	if (emul && emul->value > 0) {
		rc = get_cpuid2(fd, KVM_GET_EMULATED_CPUID,
				"KVM_GET_EMULATED_CPUID", &h->emulated, err);
		if (rc)
			return rc;
	}

	const vcpuid_kvm_cap *feat = vcpuid_host_cap(h, "KVM_CAP_GET_MSR_FEATURES");
	if (feat && feat->value > 0) {
		uint32_t *idx = NULL;
		size_t n = 0;
		rc = get_msr_list(fd, KVM_GET_MSR_FEATURE_INDEX_LIST,
				  "KVM_GET_MSR_FEATURE_INDEX_LIST", &idx, &n, err);
		if (rc)
			return rc;
		rc = get_feature_msrs(fd, idx, n, &h->feature_msrs, err);
		free(idx);
		if (rc)
			return rc;
	}

	rc = get_msr_list(fd, KVM_GET_MSR_INDEX_LIST, "KVM_GET_MSR_INDEX_LIST",
			  &h->msr_index_list, &h->n_msr_index_list, err);
	if (rc)
		return rc;

	uint64_t xcomp = 0;
	struct kvm_device_attr attr = {
		.group = 0 /* KVM_X86_GRP_CPU */,
		.attr = KVM_X86_XCOMP_GUEST_SUPP,
		.addr = (uint64_t)(uintptr_t)&xcomp,
	};
	if (!ioctl(fd, KVM_GET_DEVICE_ATTR, &attr)) {
		h->has_xcomp_guest_supp = true;
		h->xcomp_guest_supp = xcomp;
	}
	return 0;
}

const char *vp_kvm_device(void)
{
	const char *env = getenv(VCPUID_KVM_DEVICE_ENV);
	return env && *env ? env : "/dev/kvm";
}

int vp_kvm_device_open(vcpuid_error *err)
{
	const char *dev = vp_kvm_device();
	int fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		vcpuid_fail(err, VCPUID_E_NOKVM, "%s: cannot open: %s (errno %d%s)",
			    dev, strerror(e), e,
			    e == EACCES || e == EPERM ?
			    "; no permission: join group kvm or run as root" :
			    e == ENOENT ? "; KVM not available: load kvm_intel, "
			    "kvm_amd or kvm_pvm" : "");
		return -1;
	}
	int v = ioctl(fd, KVM_GET_API_VERSION, 0);
	int e = errno;
	if (v == KVM_API_VERSION)
		return fd;
	close(fd);
	if (v < 0)
		vcpuid_fail(err, VCPUID_E_NOKVM, "%s: not a KVM device: "
			    "KVM_GET_API_VERSION failed: %s (errno %d)", dev,
			    strerror(e), e);
	else
		vcpuid_fail(err, VCPUID_E_NOKVM, "%s: KVM API version %d, vcpuid "
			    "needs %d", dev, v, KVM_API_VERSION);
	return -1;
}

