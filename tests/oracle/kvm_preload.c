/* SPDX-License-Identifier: MIT */
/*
 * kvm_preload: an LD_PRELOAD library that turns QEMU into a test oracle.
 *
 * It wraps ioctl() and
 *  - records, as JSON lines appended to $VCPUID_ORACLE_OUT, what QEMU hands
 *    to KVM per vCPU (KVM_SET_CPUID2, every KVM_SET_MSRS, up to the vCPU's
 *    first KVM_RUN) and what it learnt from KVM (supported CPUID, feature
 *    MSRs, XCOMP_GUEST_SUPP, MSR index list);
 *  - with $VCPUID_ORACLE_HOST (a host spec written by qemu_oracle.py, format
 *    in docs/testing.md) answers everything QEMU learns about the host from
 *    that file instead of the real KVM: the host-describing ioctls, the
 *    KVM_CHECK_EXTENSION answers that shape the guest CPU, the vCPU's TSC
 *    rate, which feature MSRs KVM_SET_MSRS refuses, the AMX permission
 *    (arch_prctl(ARCH_REQ_XCOMP_GUEST_PERM), via syscall()), and the CPUID
 *    instruction executed by the QEMU executable itself (cpuid_fault.c);
 *  - with a host spec and $VCPUID_ORACLE_FAKE_KVM=1, opening /dev/kvm gives
 *    a KVM that takes everything (fake_kvm.c) instead of the real one, so
 *    QEMU builds its vCPUs on machines without a usable /dev/kvm.
 *
 * QEMU passes ioctl requests as a sign-extended int: requests are compared
 * as (unsigned int).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/kvm.h>

#include "cpuid_fault.h"
#include "fake_kvm.h"
#include "oracle_spec.h"

#define MAX_MSRS ORACLE_MAX_MSRS
#define MAX_FD 4096

enum fd_kind { FD_UNKNOWN, FD_SYS, FD_VM, FD_VCPU };

static int (*real_ioctl)(int, unsigned long, ...);
static long (*real_syscall)(long, ...);
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct oracle_spec *spec;	/* NULL: record only */
static int out_fd = -1;
static unsigned long seq;
static unsigned char fd_kind[MAX_FD];
static int vcpu_id[MAX_FD];
static int vcpu_msr_calls[MAX_FD];
static int vcpu_cpuid_calls[MAX_FD];
static int vcpu_ran[MAX_FD];
/* MSRs the real KVM refused while faking, per vCPU fd: KVM_GET_MSRS
 * answers them with the value QEMU last wrote. */
struct shadow_msr { int fd; uint32_t index; uint64_t value; };
#define MAX_SHADOW 1024
static struct shadow_msr shadow[MAX_SHADOW];
static unsigned nshadow;
static int insn_faking_on;
static int fake_kvm_wanted;	/* $VCPUID_ORACLE_FAKE_KVM=1 (with a spec) */

/* The kernel's ioctl, or the fake KVM's for its fds. */
static int kioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (fake_kvm_fd(fd))
		return fake_kvm_ioctl(fd, (unsigned int)req, arg);
	return real_ioctl(fd, req, arg);
}

static void die(const char *fmt, ...)
{
	va_list ap;
	char b[512];
	int n = snprintf(b, sizeof(b), "vcpuid-oracle preload: ");
	va_start(ap, fmt);
	n += vsnprintf(b + n, sizeof(b) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(b) - 2)
		n = (int)sizeof(b) - 2;
	b[n++] = '\n';
	if (write(2, b, (size_t)n) < 0) {
		/* nothing more to do */
	}
	_exit(97);
}

/* ---- a growable output buffer ---- */
struct buf { char *p; size_t n, cap; };

static void bput(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void bput(struct buf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->p ? b->p + b->n : NULL,
				  b->p ? b->cap - b->n : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->p && b->n + (size_t)n < b->cap) {
			b->n += (size_t)n;
			return;
		}
		size_t nc = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
		char *np = realloc(b->p, nc);
		if (!np)
			die("out of memory");
		b->p = np;
		b->cap = nc;
	}
}

/* Start a record: {"op":OP,"seq":N ...; the caller holds the lock. */
static void rec_begin(struct buf *b, const char *op)
{
	bput(b, "{\"op\":\"%s\",\"seq\":%lu", op, seq++);
}

static void rec_end(struct buf *b)
{
	bput(b, "}\n");
	if (out_fd >= 0) {
		size_t off = 0;
		while (off < b->n) {
			ssize_t w = write(out_fd, b->p + off, b->n - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
	}
	free(b->p);
}

static void put_cpuid_entries(struct buf *b, const char *key,
			      const struct kvm_cpuid_entry2 *e, unsigned n)
{
	bput(b, ",\"%s\":[", key);
	for (unsigned i = 0; i < n; i++)
		bput(b, "%s{\"function\":\"0x%08x\",\"index\":\"0x%08x\","
		     "\"flags\":\"0x%08x\",\"eax\":\"0x%08x\",\"ebx\":\"0x%08x\","
		     "\"ecx\":\"0x%08x\",\"edx\":\"0x%08x\"}", i ? "," : "",
		     e[i].function, e[i].index, e[i].flags, e[i].eax, e[i].ebx,
		     e[i].ecx, e[i].edx);
	bput(b, "]");
}

static void put_msr_entries(struct buf *b, const char *key,
			    const struct kvm_msr_entry *e, unsigned n)
{
	bput(b, ",\"%s\":[", key);
	for (unsigned i = 0; i < n; i++)
		bput(b, "%s{\"index\":\"0x%" PRIx32 "\",\"value\":\"0x%llx\"}",
		     i ? "," : "", e[i].index, (unsigned long long)e[i].data);
	bput(b, "]");
}

static void put_ret(struct buf *b, int ret, int err)
{
	bput(b, ",\"ret\":%d", ret);
	if (ret < 0)
		bput(b, ",\"errno\":%d,\"error\":\"%s\"", err, strerrorname_np(err)
		     ? strerrorname_np(err) : "?");
}

/* Start the record of a KVM call: its op, whether the answer was faked
 * and what it returned. */
static void rec_call(struct buf *b, const char *op, int faked, int ret,
		     int err)
{
	rec_begin(b, op);
	bput(b, ",\"faked\":%s", faked ? "true" : "false");
	put_ret(b, ret, err);
}

/* ---- the host spec ---- */
static void load_spec(const char *path)
{
	char err[200];
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: cannot open: %s", path, strerror(errno));
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				die("out of memory");
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0)
			die("%s: %s", path, strerror(errno));
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	spec = malloc(sizeof(*spec));
	if (!spec)
		die("out of memory");
	if (oracle_spec_parse(spec, buf, len, err, sizeof(err)))
		die("%s:%s", path, err);
	free(buf);
}

static int spec_msr(uint32_t index, uint64_t *value)
{
	for (unsigned i = 0; i < spec->nmsr; i++)
		if (spec->msr_idx[i] == index) {
			*value = spec->msr_val[i];
			return 1;
		}
	return 0;
}

/* MSRs whose presence in KVM_GET_MSR_INDEX_LIST follows the feature MSR
 * list (Linux lists them in both when it supports them). */
static int is_feature_msr_index(uint32_t i)
{
	return i == 0x10a || i == 0xcf || i == 0x345 || i == 0x8b ||
	       (i >= 0x480 && i <= 0x491);
}

/* Called with the lock held, from the thread doing the first /dev/kvm
 * ioctl (QEMU's main thread, before it creates the CPUs and their threads,
 * which inherit the faulting mode). */
static void start_insn_faking(void)
{
	char err[200];
	struct buf b = { 0 };
	insn_faking_on = 1;
	int n = oracle_cpuid_fault_start(spec, err, sizeof(err));
	if (n < 0)
		die("%s", err);
	rec_begin(&b, "fake_cpuid_insn");
	bput(&b, ",\"exe_segments\":%d", n);
	rec_end(&b);
}

/* ---- per-ioctl handlers; all run with the lock held ---- */
static void mark(int fd, enum fd_kind k)
{
	if (fd >= 0 && fd < MAX_FD && fd_kind[fd] == FD_UNKNOWN)
		fd_kind[fd] = (unsigned char)k;
}

static int kind(int fd)
{
	return fd >= 0 && fd < MAX_FD ? fd_kind[fd] : FD_UNKNOWN;
}

static int fake_cpuid_list(const char *op, struct kvm_cpuid2 *c,
			   const struct kvm_cpuid_entry2 *e, unsigned n)
{
	struct buf b = { 0 };
	rec_begin(&b, op);
	bput(&b, ",\"faked\":true,\"nent_in\":%u", c->nent);
	if (c->nent < n) {
		put_ret(&b, -1, E2BIG);
		rec_end(&b);
		errno = E2BIG;
		return -1;
	}
	memcpy(c->entries, e, n * sizeof(*e));
	c->nent = n;
	put_ret(&b, 0, 0);
	rec_end(&b);
	return 0;
}

static void record_cpuid_list(const char *op, const struct kvm_cpuid2 *c,
			      int ret, int err)
{
	struct buf b = { 0 };
	rec_begin(&b, op);
	bput(&b, ",\"faked\":false,\"nent_in\":%u", c->nent);
	put_ret(&b, ret, err);
	if (ret == 0)
		put_cpuid_entries(&b, "entries", c->entries, c->nent);
	rec_end(&b);
}

static int do_msr_list(int fd, unsigned int req, struct kvm_msr_list *l)
{
	const int feat = req == (unsigned int)KVM_GET_MSR_FEATURE_INDEX_LIST;
	const char *op = feat ? "get_msr_feature_index_list" : "get_msr_index_list";
	uint32_t have[MAX_MSRS];
	unsigned n = 0;
	struct buf b = { 0 };
	int faked = 0;

	if (spec && feat) {
		for (unsigned i = 0; i < spec->nmsr; i++)
			have[n++] = spec->msr_idx[i];
		faked = 1;
	} else if (spec && spec->has_idx_list) {
		for (unsigned i = 0; i < spec->nidx; i++)
			have[n++] = spec->idx_list[i];
		faked = 1;
	} else if (spec) {
		/* no list in the profile: the feature MSRs QEMU looks for in
		 * it (never the real KVM's list, which differs per machine) */
		for (unsigned i = 0; i < spec->nmsr && n < MAX_MSRS; i++)
			if (is_feature_msr_index(spec->msr_idx[i]))
				have[n++] = spec->msr_idx[i];
		faked = 1;
	} else {
		struct kvm_msr_list *tmp = calloc(1, sizeof(*tmp) + MAX_MSRS * 4);
		if (!tmp)
			die("out of memory");
		tmp->nmsrs = MAX_MSRS;
		int r = kioctl(fd, req, tmp);
		int err = errno;
		if (r < 0) {
			free(tmp);
			rec_call(&b, op, 0, r, err);
			rec_end(&b);
			errno = err;
			return r;
		}
		for (unsigned i = 0; i < tmp->nmsrs && i < MAX_MSRS; i++)
			have[n++] = tmp->indices[i];
		free(tmp);
	}
	rec_begin(&b, op);
	bput(&b, ",\"faked\":%s,\"nmsrs_in\":%u", faked ? "true" : "false",
	     l->nmsrs);
	if (l->nmsrs < n) {
		l->nmsrs = n;
		put_ret(&b, -1, E2BIG);
		rec_end(&b);
		errno = E2BIG;
		return -1;
	}
	memcpy(l->indices, have, n * sizeof(uint32_t));
	l->nmsrs = n;
	put_ret(&b, 0, 0);
	bput(&b, ",\"indices\":[");
	for (unsigned i = 0; i < n; i++)
		bput(&b, "%s\"0x%x\"", i ? "," : "", have[i]);
	bput(&b, "]");
	rec_end(&b);
	return 0;
}

/* KVM_GET_MSRS on the /dev/kvm fd: feature MSR values. */
static int do_sys_get_msrs(int fd, unsigned int req, struct kvm_msrs *m)
{
	struct buf b = { 0 };
	int r, err = 0;
	if (spec) {
		unsigned i;
		for (i = 0; i < m->nmsrs; i++) {
			uint64_t v;
			if (!spec_msr(m->entries[i].index, &v))
				break;
			m->entries[i].data = v;
		}
		r = (int)i;
	} else {
		r = kioctl(fd, req, m);
		err = errno;
	}
	rec_call(&b, "get_feature_msrs", spec != NULL, r, err);
	put_msr_entries(&b, "msrs", m->entries, r > 0 ? (unsigned)r : 0);
	rec_end(&b);
	errno = err;
	return r;
}

static int do_device_attr(int fd, unsigned int req, struct kvm_device_attr *a)
{
	struct buf b = { 0 };
	int r, err = 0;
	if (a->group != 0 || a->attr != KVM_X86_XCOMP_GUEST_SUPP)
		return kioctl(fd, req, a);
	if (spec) {
		if (spec->has_xcomp) {
			memcpy((void *)(uintptr_t)a->addr, &spec->xcomp, 8);
			r = 0;
		} else {
			r = -1;
			err = ENXIO;
		}
	} else {
		r = kioctl(fd, req, a);
		err = errno;
	}
	rec_call(&b, "get_xcomp_guest_supp", spec != NULL, r, err);
	if (r == 0) {
		uint64_t v;
		memcpy(&v, (void *)(uintptr_t)a->addr, 8);
		bput(&b, ",\"value\":\"0x%llx\"", (unsigned long long)v);
	}
	rec_end(&b);
	errno = err;
	return r;
}

/* KVM_CAP_XSAVE2 sizes QEMU's XSAVE buffer, which must hold the described
 * host's XSAVE area (0xD.0 ECX, asserted by QEMU) and what the real KVM
 * writes into it: the largest of the three. */
static int xsave2_size(int real)
{
	int v = real;
	for (unsigned i = 0; i < spec->ncaps; i++)
		if (spec->caps[i].id == KVM_CAP_XSAVE2 && spec->caps[i].value > v)
			v = (int)spec->caps[i].value;
	for (unsigned i = 0; i < spec->nsup; i++)
		if (spec->sup[i].function == 0xd && spec->sup[i].index == 0 &&
		    (int)spec->sup[i].ecx > v)
			v = (int)spec->sup[i].ecx;
	return v;
}

static int faked_extension(int fd, unsigned int req, long cap)
{
	if (cap == KVM_CAP_XSAVE2) {
		int real = kioctl(fd, req, cap);
		return real > 0 ? xsave2_size(real) : real;
	}
	for (unsigned i = 0; i < spec->ncaps; i++)
		if (spec->caps[i].id == (uint32_t)cap)
			return (int)spec->caps[i].value;
	if (cap == KVM_CAP_GET_MSR_FEATURES)
		return spec->nmsr > 0;
	if (cap == KVM_CAP_SYS_ATTRIBUTES && spec->has_xcomp)
		return 1;
	return kioctl(fd, req, cap);
}

/* Faked answers that differ from the real ones are recorded. */
static int do_check_extension(int fd, unsigned int req, long cap)
{
	if (!spec)
		return kioctl(fd, req, cap);
	int real = kioctl(fd, req, cap);
	int r = faked_extension(fd, req, cap);
	if (r != real) {
		struct buf b = { 0 };
		rec_begin(&b, "check_extension");
		bput(&b, ",\"fd\":%d,\"cap\":%ld,\"faked\":true,\"ret\":%d,"
		     "\"real_ret\":%d", fd, cap, r, real);
		rec_end(&b);
	}
	return r;
}

static int do_set_cpuid2(int fd, unsigned int req, struct kvm_cpuid2 *c)
{
	int r = kioctl(fd, req, c);
	int err = errno;
	int id = fd < MAX_FD ? vcpu_id[fd] : -1;
	if (fd < MAX_FD && !vcpu_ran[fd]) {
		struct buf b = { 0 };
		rec_begin(&b, "set_cpuid2");
		bput(&b, ",\"vcpu_fd\":%d,\"vcpu_id\":%d,\"call\":%d,\"nent\":%u",
		     fd, id, vcpu_cpuid_calls[fd]++, c->nent);
		put_ret(&b, r, err);
		if (r < 0 && spec)
			bput(&b, ",\"faked_success\":true");
		put_cpuid_entries(&b, "entries", c->entries, c->nent);
		rec_end(&b);
	}
	if (r < 0 && spec)
		return 0;	/* the described host would take it */
	errno = err;
	return r;
}

static struct shadow_msr *shadow_find(int fd, uint32_t index, int add)
{
	for (unsigned i = 0; i < nshadow; i++)
		if (shadow[i].fd == fd && shadow[i].index == index)
			return &shadow[i];
	if (!add || nshadow >= MAX_SHADOW)
		return NULL;
	shadow[nshadow].fd = fd;
	shadow[nshadow].index = index;
	return &shadow[nshadow++];
}

/* KVM_GET_MSRS or KVM_SET_MSRS (req) again for the entries of m after
 * entry bad, the one the real KVM stopped at; with read_back the values
 * read are copied into m. Returns what the ioctl returned, errno kept. */
static int msrs_after(int fd, unsigned int req, struct kvm_msrs *m,
		      unsigned bad, int read_back)
{
	unsigned rest = m->nmsrs - bad - 1;
	struct kvm_msrs *t = malloc(sizeof(*t) + rest * sizeof(t->entries[0]));
	if (!t)
		die("out of memory");
	t->nmsrs = rest;
	t->pad = 0;
	memcpy(t->entries, &m->entries[bad + 1], rest * sizeof(t->entries[0]));
	int r = kioctl(fd, req, t);
	int err = errno;
	if (read_back)
		memcpy(&m->entries[bad + 1], t->entries, rest * sizeof(t->entries[0]));
	free(t);
	errno = err;
	return r;
}

/* KVM_GET_MSRS on a vCPU while faking: MSRs the real KVM lacks read back
 * as QEMU wrote them (0 if never written). */
static int do_vcpu_get_msrs(int fd, unsigned int req, struct kvm_msrs *m)
{
	int r = kioctl(fd, req, m);
	while (spec && r >= 0 && (unsigned)r < m->nmsrs) {
		unsigned bad = (unsigned)r;
		struct shadow_msr *sh = shadow_find(fd, m->entries[bad].index, 0);
		m->entries[bad].data = sh ? sh->value : 0;
		if (bad + 1 == m->nmsrs)
			return (int)m->nmsrs;
		int r2 = msrs_after(fd, req, m, bad, 1);
		if (r2 < 0)
			return r2;
		r = (int)(bad + 1) + r2;
	}
	return r;
}

/* The described host's KVM_SET_MSRS refuses a non-zero value of these
 * (e.g. 0x10A on a PVM host, whose hypervisor drops arch-capabilities
 * from the vCPU's CPUID): the first such entry ends the call, as KVM's
 * count of MSRs set. */
static unsigned spec_msrs_limit(const struct kvm_msrs *m)
{
	for (unsigned i = 0; i < m->nmsrs; i++)
		for (unsigned k = 0; k < spec->nrefused; k++)
			if (spec->refused[k] == m->entries[i].index &&
			    m->entries[i].data)
				return i;
	return m->nmsrs;
}

static int do_set_msrs(int fd, unsigned int req, struct kvm_msrs *m)
{
	const unsigned all = m->nmsrs;
	const unsigned limit = spec ? spec_msrs_limit(m) : all;
	m->nmsrs = limit;
	int r = limit ? kioctl(fd, req, m) : 0;
	int err = errno;
	int result = r;
	struct buf b = { 0 };
	uint32_t rejected[64];
	unsigned nrej = 0;

	/* Faking: MSRs the real KVM refuses (the described host would take
	 * them: feature MSRs it has, MSRs of its index list) are skipped, the
	 * rest of the list up to the first MSR the described host refuses is
	 * written, and QEMU is told KVM's count of the described host. */
	while (spec && result >= 0 && (unsigned)result < m->nmsrs &&
	       nrej < 64) {
		unsigned bad = (unsigned)result;
		struct shadow_msr *sh = shadow_find(fd, m->entries[bad].index, 1);
		if (sh)
			sh->value = m->entries[bad].data;
		rejected[nrej++] = m->entries[bad].index;
		if (bad + 1 == m->nmsrs) {
			result = (int)m->nmsrs;
			break;
		}
		int r2 = msrs_after(fd, req, m, bad, 0);
		if (r2 < 0) {
			err = errno;
			result = r2;
			break;
		}
		result = (int)(bad + 1) + r2;
	}
	m->nmsrs = all;
	if (fd < MAX_FD && !vcpu_ran[fd]) {
		rec_begin(&b, "set_msrs");
		bput(&b, ",\"vcpu_fd\":%d,\"vcpu_id\":%d,\"call\":%d,"
		     "\"after_cpuid\":%s,\"nmsrs\":%u", fd, vcpu_id[fd],
		     vcpu_msr_calls[fd]++, vcpu_cpuid_calls[fd] ? "true" : "false",
		     m->nmsrs);
		put_ret(&b, result, err);
		if (result != r)
			bput(&b, ",\"real_ret\":%d", r);
		if (nrej) {
			bput(&b, ",\"rejected\":[");
			for (unsigned i = 0; i < nrej; i++)
				bput(&b, "%s\"0x%x\"", i ? "," : "", rejected[i]);
			bput(&b, "]");
		}
		if (limit < all)
			bput(&b, ",\"refused\":\"0x%x\"",
			     m->entries[limit].index);
		put_msr_entries(&b, "msrs", m->entries, m->nmsrs);
		rec_end(&b);
	}
	errno = err;
	return result;
}

/* ---- the wrapper ---- */
int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	const unsigned int req = (unsigned int)request;
	int r, err, k;

	if (!real_ioctl) {
		real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
		if (!real_ioctl)
			die("dlsym(ioctl): %s", dlerror());
	}
	/* the hot path: a running vCPU */
	if (req == (unsigned int)KVM_RUN) {
		if (fd >= 0 && fd < MAX_FD &&
		    !__atomic_load_n(&vcpu_ran[fd], __ATOMIC_ACQUIRE)) {
			pthread_mutex_lock(&lock);
			if (!vcpu_ran[fd]) {
				struct buf b = { 0 };
				rec_begin(&b, "run");
				bput(&b, ",\"vcpu_fd\":%d,\"vcpu_id\":%d", fd,
				     vcpu_id[fd]);
				rec_end(&b);
				__atomic_store_n(&vcpu_ran[fd], 1, __ATOMIC_RELEASE);
			}
			pthread_mutex_unlock(&lock);
		}
		return kioctl(fd, request, arg);
	}
	if ((req >> 8 & 0xff) != KVMIO)
		return kioctl(fd, request, arg);

	pthread_mutex_lock(&lock);
	switch (req) {
	case (unsigned int)KVM_GET_API_VERSION:
	case (unsigned int)KVM_GET_VCPU_MMAP_SIZE:
	case (unsigned int)KVM_GET_SUPPORTED_CPUID:
	case (unsigned int)KVM_GET_EMULATED_CPUID:
	case (unsigned int)KVM_GET_MSR_INDEX_LIST:
	case (unsigned int)KVM_GET_MSR_FEATURE_INDEX_LIST:
		mark(fd, FD_SYS);
		break;
	case (unsigned int)KVM_CREATE_VM:
		mark(fd, FD_SYS);
		break;
	}
	if (kind(fd) == FD_SYS && spec && spec->fake_insn && !insn_faking_on)
		start_insn_faking();
	k = kind(fd);
	switch (req) {
	case (unsigned int)KVM_CREATE_VM:
		r = kioctl(fd, request, arg);
		err = errno;
		mark(r, FD_VM);
		break;
	case (unsigned int)KVM_CREATE_VCPU: {
		struct buf b = { 0 };
		r = kioctl(fd, request, arg);
		err = errno;
		if (r >= 0 && r < MAX_FD) {
			fd_kind[r] = FD_VCPU;
			vcpu_id[r] = (int)(uintptr_t)arg;
		}
		rec_begin(&b, "create_vcpu");
		bput(&b, ",\"vm_fd\":%d,\"vcpu_id\":%d,\"vcpu_fd\":%d", fd,
		     (int)(uintptr_t)arg, r);
		rec_end(&b);
		break;
	}
	case (unsigned int)KVM_GET_SUPPORTED_CPUID:
	case (unsigned int)KVM_GET_EMULATED_CPUID: {
		const int sup = req == (unsigned int)KVM_GET_SUPPORTED_CPUID;
		const char *op = sup ? "get_supported_cpuid" : "get_emulated_cpuid";
		if (spec && (sup || spec->has_emu)) {
			r = sup ? fake_cpuid_list(op, arg, spec->sup, spec->nsup)
				: fake_cpuid_list(op, arg, spec->emu, spec->nemu);
			err = errno;
		} else {
			r = kioctl(fd, request, arg);
			err = errno;
			record_cpuid_list(op, arg, r, err);
		}
		break;
	}
	case (unsigned int)KVM_GET_MSR_INDEX_LIST:
	case (unsigned int)KVM_GET_MSR_FEATURE_INDEX_LIST:
		r = do_msr_list(fd, req, arg);
		err = errno;
		break;
	case (unsigned int)KVM_GET_MSRS:
		if (k == FD_SYS)
			r = do_sys_get_msrs(fd, req, arg);
		else if (k == FD_VCPU)
			r = do_vcpu_get_msrs(fd, req, arg);
		else
			r = kioctl(fd, request, arg);
		err = errno;
		break;
	case (unsigned int)KVM_GET_DEVICE_ATTR:
		r = k == FD_SYS ? do_device_attr(fd, req, arg)
				: kioctl(fd, request, arg);
		err = errno;
		break;
	case (unsigned int)KVM_CHECK_EXTENSION:
		r = do_check_extension(fd, req, (long)(uintptr_t)arg);
		err = errno;
		break;
	case (unsigned int)KVM_GET_TSC_KHZ:
		if (k == FD_VCPU && spec) {
			/* unknown rate: fails (QEMU keeps 0, as vcpuid) */
			struct buf b = { 0 };
			r = spec->tsc_khz ? (int)spec->tsc_khz : -1;
			err = spec->tsc_khz ? 0 : EIO;
			rec_begin(&b, "get_tsc_khz");
			bput(&b, ",\"vcpu_fd\":%d,\"ret\":%d,\"faked\":true", fd, r);
			rec_end(&b);
		} else {
			r = kioctl(fd, request, arg);
			err = errno;
		}
		break;
	case (unsigned int)KVM_SET_TSC_KHZ:
		/* QEMU asks only with KVM_CAP_TSC_CONTROL (faked): the
		 * described host scales, whatever this machine does */
		if (k == FD_VCPU && spec) {
			struct buf b = { 0 };
			r = 0;
			err = 0;
			rec_begin(&b, "set_tsc_khz");
			bput(&b, ",\"vcpu_fd\":%d,\"khz\":%lu,\"ret\":0,"
			     "\"faked\":true", fd, (unsigned long)(uintptr_t)arg);
			rec_end(&b);
		} else {
			r = kioctl(fd, request, arg);
			err = errno;
		}
		break;
	case (unsigned int)KVM_ENABLE_CAP:
		/* kvm-pv-enforce-cpuid=on: only checked when the guest runs;
		 * the faked KVM_CAP_ENFORCE_PV_FEATURE_CPUID decides */
		if (k == FD_VCPU && spec &&
		    ((struct kvm_enable_cap *)arg)->cap ==
		    KVM_CAP_ENFORCE_PV_FEATURE_CPUID) {
			r = 0;
			err = 0;
		} else {
			r = kioctl(fd, request, arg);
			err = errno;
		}
		break;
	case (unsigned int)KVM_SET_CPUID2:
		r = do_set_cpuid2(fd, req, arg);
		err = errno;
		break;
	case (unsigned int)KVM_SET_MSRS:
		if (k == FD_VCPU) {
			r = do_set_msrs(fd, req, arg);
		} else {
			r = kioctl(fd, request, arg);
		}
		err = errno;
		break;
	default:
		r = kioctl(fd, request, arg);
		err = errno;
		break;
	}
	pthread_mutex_unlock(&lock);
	errno = err;
	return r;
}

/* ---- arch_prctl(ARCH_{GET,REQ}_XCOMP_GUEST_PERM), which QEMU issues
 * through syscall(2) to get the AMX state for its guests ---- */
#define ORACLE_ARCH_GET_XCOMP_GUEST_PERM 0x1024
#define ORACLE_ARCH_REQ_XCOMP_GUEST_PERM 0x1025
#define ORACLE_XTILE_DATA 18
static uint64_t xperm_granted;

/* The components the described host grants on request: the spec's
 * xcomp-perm (KVM_X86_XCOMP_GUEST_SUPP, else the supported 0xD.0). */
static uint64_t spec_xperm(void)
{
	if (spec->has_xperm)
		return spec->xperm;
	if (spec->has_xcomp)
		return spec->xcomp;
	for (unsigned i = 0; i < spec->nsup; i++)
		if (spec->sup[i].function == 0xd && spec->sup[i].index == 0)
			return spec->sup[i].eax |
			       (uint64_t)spec->sup[i].edx << 32;
	return 0;
}

static long fake_xperm(long op, long arg)
{
	struct buf b = { 0 };
	long r = 0;
	int err = 0;
	const uint64_t can = spec_xperm();
	pthread_mutex_lock(&lock);
	if (op == ORACLE_ARCH_GET_XCOMP_GUEST_PERM) {
		/* every component but the dynamic ones until requested */
		uint64_t v = (can & ~(1ull << ORACLE_XTILE_DATA)) | xperm_granted;
		memcpy((void *)(uintptr_t)arg, &v, sizeof(v));
	} else if (arg < 0 || arg > 63 || !(can >> arg & 1)) {
		r = -1;
		err = arg < 0 || arg > 63 ? EINVAL : EOPNOTSUPP;
	} else {
		xperm_granted |= 1ull << arg;
	}
	rec_begin(&b, "xcomp_guest_perm");
	bput(&b, ",\"request\":\"%s\",\"arg\":%ld,\"faked\":true",
	     op == ORACLE_ARCH_GET_XCOMP_GUEST_PERM ? "get" : "req",
	     op == ORACLE_ARCH_GET_XCOMP_GUEST_PERM ? 0L : arg);
	put_ret(&b, (int)r, err);
	rec_end(&b);
	pthread_mutex_unlock(&lock);
	errno = err;
	return r;
}

long syscall(long nr, ...)
{
	va_list ap;
	long a[6];
	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_arch_prctl && spec &&
	    (a[0] == ORACLE_ARCH_GET_XCOMP_GUEST_PERM ||
	     a[0] == ORACLE_ARCH_REQ_XCOMP_GUEST_PERM))
		return fake_xperm(a[0], a[1]);
	if (!real_syscall) {
		real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
		if (!real_syscall)
			die("dlsym(syscall): %s", dlerror());
	}
	return real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* ---- /dev/kvm opened while a fake KVM is wanted: one of its fds ---- */
static int open_fake_kvm(const char *path)
{
	if (!fake_kvm_wanted || !path || strcmp(path, "/dev/kvm"))
		return -2;
	int fd = fake_kvm_new_fd(0);
	struct buf b = { 0 };
	pthread_mutex_lock(&lock);
	rec_begin(&b, "fake_kvm");
	bput(&b, ",\"fd\":%d,\"faked\":true", fd);
	rec_end(&b);
	pthread_mutex_unlock(&lock);
	return fd;
}

/* What open and openat do alike: read the mode when flags create a file,
 * hand out a fake KVM fd for /dev/kvm, else call the real function (fn,
 * looked up once, of type fn_type) with args and the mode. */
#define OPEN_BODY(fn, fn_type, ...)					\
	static fn_type real;						\
	mode_t mode = 0;						\
	if (flags & (O_CREAT | O_TMPFILE)) {				\
		va_list ap;						\
		va_start(ap, flags);					\
		mode = (mode_t)va_arg(ap, int);				\
		va_end(ap);						\
	}								\
	int fd = open_fake_kvm(path);					\
	if (fd != -2)							\
		return fd;						\
	if (!real)							\
		real = (fn_type)dlsym(RTLD_NEXT, #fn);			\
	return real(__VA_ARGS__, mode);

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);

/* Defined under their symbol names (asm labels): with
 * _FILE_OFFSET_BITS=64 the C name open already stands for open64. */
#define OPEN_WRAPPER(ident, name)					\
int ident(const char *path, int flags, ...) __asm__(#name);		\
int ident(const char *path, int flags, ...)				\
{									\
	OPEN_BODY(name, open_fn, path, flags)				\
}
OPEN_WRAPPER(oracle_open, open)
OPEN_WRAPPER(oracle_open64, open64)

#define OPENAT_WRAPPER(ident, name)					\
int ident(int dirfd, const char *path, int flags, ...) __asm__(#name);	\
int ident(int dirfd, const char *path, int flags, ...)			\
{									\
	OPEN_BODY(name, openat_fn, dirfd, path, flags)			\
}
OPENAT_WRAPPER(oracle_openat, openat)
OPENAT_WRAPPER(oracle_openat64, openat64)

__attribute__((constructor)) static void preload_init(void)
{
	const char *out = getenv("VCPUID_ORACLE_OUT");
	const char *host = getenv("VCPUID_ORACLE_HOST");
	if (out && *out) {
		out_fd = open(out, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (out_fd < 0)
			die("%s: %s", out, strerror(errno));
	}
	if (host && *host)
		load_spec(host);
	const char *fk = getenv("VCPUID_ORACLE_FAKE_KVM");
	fake_kvm_wanted = spec && fk && !strcmp(fk, "1");
	struct buf b = { 0 };
	pthread_mutex_lock(&lock);
	rec_begin(&b, "start");
	bput(&b, ",\"pid\":%d,\"faking\":%s", (int)getpid(),
	     spec ? "true" : "false");
	rec_end(&b);
	pthread_mutex_unlock(&lock);
}
