/* SPDX-License-Identifier: MIT */
/* probe: capture this machine (raw CPUID, KVM, kernel). */
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

/* Hard bounds: a hypervisor may answer anything. */
#define MAX_RAW_ENTRIES 4096
#define RANGE_SPAN 0xffu /* at most 256 leaves per range */
#define KVM_MAX_NENT 4096
#define KVM_MAX_MSRS 16384

/* ---------------- raw CPUID ---------------- */

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid"
			 : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(leaf), "c"(sub));
	r[0] = a;
	r[1] = b;
	r[2] = c;
	r[3] = d;
}

enum sub_rule { UNTIL_ZERO, MAX_EAX0, BITS0, XSAVE };

struct sub_spec {
	uint32_t leaf;
	enum sub_rule rule;
	enum vcpuid_reg reg;
	unsigned shift;
	uint32_t mask;
	unsigned first, max;
};

static const struct sub_spec sub_specs[] = {
#define SUBLEAF(l, rule, reg, shift, mask, first, max) \
	{ l, rule, reg, shift, mask, first, max },
#include "data/subleaves.def"
#undef SUBLEAF
};

static const struct sub_spec *find_spec(uint32_t leaf)
{
	for (size_t i = 0; i < ARRAY_SIZE(sub_specs); i++)
		if (sub_specs[i].leaf == leaf)
			return &sub_specs[i];
	return NULL;
}

struct raw_ctx {
	vcpuid_table *t;
	vcpuid_error *err;
	int rc;
};

static bool add(struct raw_ctx *c, uint32_t leaf, uint32_t sub, uint32_t flags,
		const uint32_t r[4])
{
	if (c->rc)
		return false;
	if (c->t->n >= MAX_RAW_ENTRIES) {
		c->rc = vcpuid_fail(c->err, VCPUID_E_LIMIT,
				    "probe: more than %d CPUID entries",
				    MAX_RAW_ENTRIES);
		return false;
	}
	if (!vcpuid_table_add(c->t, leaf, sub, flags, r[0], r[1], r[2], r[3])) {
		c->rc = vcpuid_fail(c->err, VCPUID_E_NOMEM, "probe: out of memory");
		return false;
	}
	return true;
}

static void add_sub(struct raw_ctx *c, uint32_t leaf, uint32_t sub)
{
	uint32_t r[4];
	cpuid(leaf, sub, r);
	add(c, leaf, sub, VCPUID_FLAG_SIGNIFICANT_INDEX, r);
}

static void probe_indexed(struct raw_ctx *c, const struct sub_spec *s)
{
	uint32_t r0[4], r[4];
	cpuid(s->leaf, 0, r0);
	switch (s->rule) {
	case UNTIL_ZERO:
		for (unsigned i = 0; i <= s->max && !c->rc; i++) {
			cpuid(s->leaf, i, r);
			add(c, s->leaf, i, VCPUID_FLAG_SIGNIFICANT_INDEX, r);
			if (i >= s->first && !((r[s->reg] >> s->shift) & s->mask))
				break;
		}
		break;
	case MAX_EAX0: {
		uint32_t last = r0[VCPUID_EAX] < s->max ? r0[VCPUID_EAX] : s->max;
		for (uint32_t i = 0; i <= last && !c->rc; i++)
			add_sub(c, s->leaf, i);
		break;
	}
	case BITS0: {
		for (unsigned i = 0; i < s->first; i++)
			add_sub(c, s->leaf, i);
		uint32_t bits = (r0[s->reg] >> s->shift) & s->mask;
		for (unsigned i = s->first; i <= s->max && i < 32; i++)
			if (bits & (1u << i))
				add_sub(c, s->leaf, i);
		break;
	}
	case XSAVE: {
		uint32_t r1[4];
		cpuid(s->leaf, 1, r1);
		add(c, s->leaf, 0, VCPUID_FLAG_SIGNIFICANT_INDEX, r0);
		add(c, s->leaf, 1, VCPUID_FLAG_SIGNIFICANT_INDEX, r1);
		uint64_t mask = ((uint64_t)r0[VCPUID_EDX] << 32 | r0[VCPUID_EAX]) |
				((uint64_t)r1[VCPUID_EDX] << 32 | r1[VCPUID_ECX]);
		for (unsigned i = s->first; i <= s->max && i < 64; i++)
			if (mask & (1ull << i))
				add_sub(c, s->leaf, i);
		break;
	}
	}
}

/* One leaf: plain, or every subleaf its rule enumerates. */
static void probe_leaf(struct raw_ctx *c, uint32_t leaf)
{
	const struct sub_spec *s = find_spec(leaf);
	if (s) {
		probe_indexed(c, s);
	} else {
		uint32_t r[4];
		cpuid(leaf, 0, r);
		add(c, leaf, 0, 0, r);
	}
}

/* The four ranges (basic, hypervisor, extended, Centaur) a capture
 * enumerates: range i starts at i << 30 and ends at last[i] (at most
 * RANGE_SPAN leaves on); has[i] false = not enumerated at all. */
struct ranges {
	bool has[4];
	uint32_t last[4];
};

/* The leaves find_ranges reads to find the ranges (at most five). */
struct seen {
	unsigned n;
	struct {
		uint32_t leaf, r[4];
	} l[5];
};

static void saw(struct seen *s, uint32_t leaf, const uint32_t r[4])
{
	s->l[s->n].leaf = leaf;
	memcpy(s->l[s->n++].r, r, sizeof(s->l[0].r));
}

static void find_ranges(struct ranges *g, struct seen *seen)
{
	uint32_t r[4], vendor[3];
	memset(g, 0, sizeof(*g));
	seen->n = 0;
	cpuid(0, 0, r);
	saw(seen, 0, r);
	vendor[0] = r[VCPUID_EBX];
	vendor[1] = r[VCPUID_EDX];
	vendor[2] = r[VCPUID_ECX];
	g->has[0] = true;
	g->last[0] = r[VCPUID_EAX];

	/* Hypervisor range only when leaf 1 says there is one: bare metal
	 * answers 0x40000000 with the last basic leaf. */
	cpuid(1, 0, r);
	saw(seen, 1, r);
	if (r[VCPUID_ECX] & (1u << 31)) {
		cpuid(0x40000000, 0, r);
		saw(seen, 0x40000000, r);
		uint32_t last = r[VCPUID_EAX];
		if (last < 0x40000000 || last > 0x400000ff)
			last = 0x40000001; /* old KVM answers 0 */
		g->has[1] = true;
		g->last[1] = last;
	}

	cpuid(0x80000000, 0, r);
	saw(seen, 0x80000000, r);
	if (r[VCPUID_EAX] >= 0x80000000 && r[VCPUID_EAX] <= 0x800000ff) {
		g->has[2] = true;
		g->last[2] = r[VCPUID_EAX];
	}

	/* Centaur range: only the vendors that define it. */
	char v[13];
	memcpy(v, vendor, 12);
	v[12] = 0;
	if (!strcmp(v, "CentaurHauls") || !strcmp(v, "  Shanghai  ")) {
		cpuid(0xc0000000, 0, r);
		saw(seen, 0xc0000000, r);
		if (r[VCPUID_EAX] >= 0xc0000000 && r[VCPUID_EAX] <= 0xc00000ff) {
			g->has[3] = true;
			g->last[3] = r[VCPUID_EAX];
		}
	}
	for (int i = 0; i < 4; i++) {
		uint32_t base = (uint32_t)i << 30;
		if (g->has[i] && g->last[i] - base > RANGE_SPAN)
			g->last[i] = base + RANGE_SPAN;
	}
}

/* Is leaf one a capture holds? (Within its range's enumerated part.) */
static bool in_ranges(const struct ranges *g, uint32_t leaf)
{
	unsigned i = leaf >> 30;
	return g->has[i] && leaf <= g->last[i];
}

static void probe_all_ranges(struct raw_ctx *c)
{
	struct ranges g;
	struct seen seen;
	find_ranges(&g, &seen);
	for (unsigned i = 0; i < 4; i++)
		for (uint32_t leaf = (uint32_t)i << 30;
		     g.has[i] && leaf <= g.last[i] && !c->rc; leaf++)
			probe_leaf(c, leaf);
}

/* Run on one CPU (the lowest this process may use) so that every leaf,
 * including the per-CPU APIC IDs in 1.EBX, 0xB and 0x1F (which KVM's
 * supported CPUID also copies from the CPU it runs on), comes from the same
 * logical CPU and a capture is reproducible. Returns true when *old must be
 * restored. */
static bool pin_lowest_cpu(cpu_set_t *old)
{
	if (sched_getaffinity(0, sizeof(*old), old))
		return false;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, old))
			continue;
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		return !sched_setaffinity(0, sizeof(one), &one);
	}
	return false;
}

static void unpin(bool pinned, const cpu_set_t *old)
{
	if (pinned)
		sched_setaffinity(0, sizeof(*old), old);
}

int vcpuid_probe_raw(vcpuid_table *t, vcpuid_error *err)
{
	struct raw_ctx c = { t, err, 0 };
	cpu_set_t old;
	bool pinned = pin_lowest_cpu(&old);
	probe_all_ranges(&c);
	unpin(pinned, &old);
	return c.rc;
}


/* ---------------- system facts ---------------- */

/* First "key : value" line of /proc/cpuinfo; malloc'd value or NULL. */
static char *cpuinfo_value(const char *text, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = text; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t ll = eol ? (size_t)(eol - p) : strlen(p);
		if (ll > kl && !strncmp(p, key, kl) &&
		    (p[kl] == ' ' || p[kl] == '\t' || p[kl] == ':')) {
			const char *colon = memchr(p, ':', ll);
			if (colon) {
				const char *s = colon + 1;
				while (*s == ' ' || *s == '\t')
					s++;
				size_t n = (size_t)(p + ll - s);
				char *out = malloc(n + 1);
				if (out) {
					memcpy(out, s, n);
					out[n] = 0;
				}
				return out;
			}
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

/* /proc/cpuinfo: what the kernel says of the CPU (costly to generate: the
 * kernel asks every CPU for its frequency). */
static void probe_cpuinfo(vcpuid_host *h)
{
	char *text;
	size_t len;
	if (!vcpuid_read_file("/proc/cpuinfo", &text, &len, NULL)) {
		char *mc = cpuinfo_value(text, "microcode");
		if (mc && vu_parse_num(mc, &h->microcode))
			h->has_microcode = true;
		free(mc);
		h->cpuinfo_flags = cpuinfo_value(text, "flags");
		free(text);
	}
}

static void probe_system(vcpuid_host *h)
{
	struct utsname u;
	if (!uname(&u))
		snprintf(h->kernel, sizeof(h->kernel), "%s", u.release);

	static const char *const flavours[] = { "kvm_pvm", "kvm_intel",
						"kvm_amd" };
	for (size_t i = 0; i < ARRAY_SIZE(flavours); i++) {
		char p[64];
		snprintf(p, sizeof(p), "/sys/module/%s", flavours[i]);
		if (!access(p, F_OK)) {
			snprintf(h->kvm_flavour, sizeof(h->kvm_flavour), "%s",
				 flavours[i]);
			break;
		}
	}
}

/* ---------------- KVM ---------------- */

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
static int scratch_tsc_khz(int fd, const vcpuid_host *h, uint32_t *khz,
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
static void scratch_refused_msrs(int fd, vcpuid_host *h)
{
	int vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm < 0)
		return;
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + h->supported.n *
				      sizeof(struct kvm_cpuid_entry2));
	uint32_t *out = calloc(h->feature_msrs.n ? h->feature_msrs.n : 1,
			       sizeof(uint32_t));
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
	for (size_t i = 0; i < h->feature_msrs.n; i++) {
		struct {
			struct kvm_msrs m;
			struct kvm_msr_entry e;
		} one = { .m.nmsrs = 1 };
		one.e.index = h->feature_msrs.m[i].index;
		one.e.data = h->feature_msrs.m[i].value;
		if (one.e.data && ioctl(vcpu, KVM_SET_MSRS, &one) != 1)
			out[n++] = one.e.index;
	}
	h->refused_msrs = out;
	h->n_refused_msrs = n;
	h->has_refused_msrs = true;
	out = NULL;
done:
	free(out);
	free(c);
	if (vcpu >= 0)
		close(vcpu);
	close(vm);
}

static int probe_kvm(int fd, vcpuid_host *h, vcpuid_error *err)
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

/* ---------------- lazily probed live hosts ---------------- */

struct vcpuid_host_lazy {
	bool tsc;		/* tsc_khz not asked yet */
	bool cpuinfo;		/* /proc/cpuinfo not read yet */
	bool raw;		/* raw holds only the leaves asked so far */
	struct ranges ranges;
	uint64_t done[4][(RANGE_SPAN + 1) / 64]; /* leaf asked, per range */
};

static int probe_host(vcpuid_host *h, unsigned flags, vcpuid_error *err);

int vcpuid_probe_ex(vcpuid_host *h, unsigned flags, vcpuid_error *err)
{
	if (flags & VCPUID_PROBE_LAZY)
		return probe_host(h, flags, err);
	/* A capture: every leaf from the same logical CPU. */
	cpu_set_t old;
	bool pinned = pin_lowest_cpu(&old);
	int rc = probe_host(h, flags, err);
	unpin(pinned, &old);
	return rc;
}

int vcpuid_probe(vcpuid_host *h, vcpuid_error *err)
{
	return vcpuid_probe_ex(h, VCPUID_PROBE_KVM_OPTIONAL, err);
}

int vp_host_tsc_khz(const vcpuid_host *h, uint32_t *khz, vcpuid_error *err)
{
	*khz = h->tsc_khz;
	if (!h->lazy || !h->lazy->tsc)
		return 0;
	/* A fact about the host, fetched on first use and kept; a failure
	 * is not kept (the next use asks again). */
	vcpuid_host *m = (vcpuid_host *)h;
	int fd = vp_kvm_device_open(err);
	if (fd < 0)
		return err ? err->code : VCPUID_E_NOKVM;
	int rc = scratch_tsc_khz(fd, h, &m->tsc_khz, err);
	close(fd);
	if (!rc)
		m->lazy->tsc = false;
	*khz = m->tsc_khz;
	return rc;
}

uint32_t vcpuid_host_tsc_khz(const vcpuid_host *h)
{
	uint32_t khz;
	return vp_host_tsc_khz(h, &khz, NULL) ? 0 : khz;
}

const vcpuid_table *vp_host_raw(const vcpuid_host *h, uint32_t leaf)
{
	struct vcpuid_host_lazy *z = h->lazy;
	if (!z || !z->raw)
		return &h->raw;
	unsigned i = leaf >> 30;
	uint32_t off = leaf & 0x3fffffffu;
	if (off > RANGE_SPAN || (z->done[i][off / 64] >> (off % 64) & 1))
		return &h->raw;
	z->done[i][off / 64] |= 1ull << (off % 64);
	if (in_ranges(&z->ranges, leaf)) {
		/* A cache of the CPUID instruction: on failure (out of
		 * memory) the leaf reads as absent, as in a failed capture. */
		struct raw_ctx c = { (vcpuid_table *)&h->raw, NULL, 0 };
		probe_leaf(&c, leaf);
	}
	return &h->raw;
}

/* Replace the leaves asked so far with a full capture. */
static int complete_raw(vcpuid_host *h, vcpuid_error *err)
{
	struct vcpuid_host_lazy *z = h->lazy;
	if (!z || !z->raw)
		return 0;
	vcpuid_table full;
	vcpuid_table_init(&full);
	int rc = vcpuid_probe_raw(&full, err);
	if (rc) {
		vcpuid_table_free(&full);
		return rc;
	}
	vcpuid_table_free(&h->raw);
	h->raw = full;
	z->raw = false;
	return 0;
}

uint32_t vp_host_insn(const vcpuid_host *h, uint32_t leaf, uint32_t sub,
		      enum vcpuid_reg reg)
{
	const vcpuid_table *t = h->has_raw ? vp_host_raw(h, leaf) : &h->supported;
	return vcpuid_table_reg(t, leaf, sub, reg);
}

const vcpuid_table *vp_host_raw_all(const vcpuid_host *h)
{
	/* On failure (out of memory) the leaves asked so far remain. */
	complete_raw((vcpuid_host *)h, NULL);
	return &h->raw;
}

const char *vp_host_cpuinfo_flags(const vcpuid_host *h)
{
	if (h->lazy && h->lazy->cpuinfo) {
		h->lazy->cpuinfo = false;
		probe_cpuinfo((vcpuid_host *)h);
	}
	return h->cpuinfo_flags;
}

int vcpuid_host_complete(vcpuid_host *h, vcpuid_error *err)
{
	if (!h->lazy)
		return 0;
	int rc = complete_raw(h, err);
	uint32_t khz;
	if (!rc)
		rc = vp_host_tsc_khz(h, &khz, err);
	if (rc)
		return rc;
	vp_host_cpuinfo_flags(h);
	if (h->has_kvm && !h->has_refused_msrs) {
		int fd = vp_kvm_device_open(NULL); /* best effort */
		if (fd >= 0) {
			scratch_refused_msrs(fd, h);
			close(fd);
		}
	}
	free(h->lazy);
	h->lazy = NULL;
	return 0;
}

/* A lazy host's ranges; the leaves read to find them are kept as asked
 * (each is a VM exit), when they are plain leaves of a range. */
static void keep_first_leaves(vcpuid_host *h)
{
	struct vcpuid_host_lazy *z = h->lazy;
	struct seen seen;
	find_ranges(&z->ranges, &seen);
	struct raw_ctx c = { &h->raw, NULL, 0 };
	for (unsigned k = 0; k < seen.n; k++) {
		uint32_t leaf = seen.l[k].leaf, off = leaf & 0x3fffffffu;
		if (!in_ranges(&z->ranges, leaf) || find_spec(leaf))
			continue;
		add(&c, leaf, 0, 0, seen.l[k].r);
		z->done[leaf >> 30][off / 64] |= 1ull << (off % 64);
	}
}

static int probe_host(vcpuid_host *h, unsigned flags, vcpuid_error *err)
{
	vcpuid_host_init(h);
	snprintf(h->source, sizeof(h->source), "live");
	snprintf(h->origin, sizeof(h->origin), "probe");
	int rc;
	if (flags & VCPUID_PROBE_LAZY) {
		h->lazy = calloc(1, sizeof(*h->lazy));
		if (!h->lazy)
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		h->lazy->raw = true;
		h->lazy->cpuinfo = true;
		keep_first_leaves(h);
	} else if ((rc = vcpuid_probe_raw(&h->raw, err))) {
		vcpuid_host_free(h);
		return rc;
	}
	h->has_raw = true;
	probe_system(h);
	if (!h->lazy)
		probe_cpuinfo(h);

	const char *dev = vp_kvm_device();
	/* The KVM facts an earlier probe of this boot kept, for a device
	 * this process may open. */
	struct vp_hostcache cache = { .on = false };
	if (h->lazy && (flags & VCPUID_PROBE_CACHE) &&
	    vp_hostcache_begin(&cache, dev) &&
	    !faccessat(AT_FDCWD, dev, R_OK | W_OK, AT_EACCESS) &&
	    !vp_hostcache_load(&cache, h)) {
		h->has_kvm = true;
		h->lazy->tsc = true;
		return 0;
	}
	/* No usable device: a capture records why; a host to compute a
	 * guest for is an error (an empty KVM table would be a wrong guest). */
	vcpuid_error kerr = { 0 };
	int fd = vp_kvm_device_open(&kerr);
	if (fd < 0) {
		snprintf(h->kvm_absent, sizeof(h->kvm_absent), "%.*s",
			 (int)sizeof(h->kvm_absent) - 1, kerr.msg);
		if (flags & VCPUID_PROBE_KVM_OPTIONAL)
			return 0;
		vcpuid_host_free(h);
		if (err)
			*err = kerr;
		return kerr.code;
	}
	rc = probe_kvm(fd, h, err);
	if (!rc) {
		h->has_kvm = true;
		if (h->lazy)
			h->lazy->tsc = true;
		else
			rc = scratch_tsc_khz(fd, h, &h->tsc_khz, err);
		/* a capture (vcpuid probe), never a lazy host: not needed to
		 * compute a guest, and a scratch vCPU costs start-up time */
		if (!rc && !h->lazy)
			scratch_refused_msrs(fd, h);
	}
	close(fd);
	if (!rc)
		vp_hostcache_store(&cache, h);
	if (rc)
		vcpuid_host_free(h);
	return rc;
}
