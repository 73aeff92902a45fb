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
#include "feature_bits.h"

/* Hard bounds: a hypervisor may answer anything. */
#define MAX_RAW_ENTRIES 4096
#define RANGE_SPAN 0xffu /* at most 256 leaves per range */

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
	if (r[VCPUID_ECX] & FB_1_ECX_HYPERVISOR) {
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

/* ---------------- lazily probed live hosts ----------------
 * A host probed with VCPUID_PROBE_LAZY is a cache of this machine: reading
 * it may fill it (a raw leaf, the TSC rate, /proc/cpuinfo), also through a
 * const vcpuid_host * (every stage reads hosts as const). That is by
 * design, and it is done in one honest way: the lazy state, made by the
 * probe while it held the host writable, keeps the one writable pointer to
 * the host it fills (self); the readers below fill through it and never
 * cast const away. A host is filled in place: a copy of the struct (which
 * would share the lazy state) is not filled, it reads what it holds. */

struct vcpuid_host_lazy {
	vcpuid_host *self;	/* the host this state fills */
	bool tsc;		/* tsc_khz not asked yet */
	bool cpuinfo;		/* /proc/cpuinfo not read yet */
	bool raw;		/* raw holds only the leaves asked so far */
	struct ranges ranges;
	uint64_t done[4][(RANGE_SPAN + 1) / 64]; /* leaf asked, per range */
};

static int probe_host(vcpuid_host *h, unsigned flags, vcpuid_error *err);

/* The host to fill when h is a lazily probed host still filling, else
 * NULL (nothing to fetch). */
static vcpuid_host *filling(const vcpuid_host *h)
{
	struct vcpuid_host_lazy *z = h->lazy;
	return z && z->self == h ? z->self : NULL;
}

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
	vcpuid_host *m = filling(h);
	if (!m || !m->lazy->tsc)
		return 0;
	/* A fact about the host, fetched on first use and kept; a failure
	 * is not kept (the next use asks again). */
	int fd = vp_kvm_device_open(err);
	if (fd < 0)
		return err ? err->code : VCPUID_E_NOKVM;
	int rc = vp_kvm_scratch_tsc_khz(fd, h, &m->tsc_khz, err);
	close(fd);
	if (!rc)
		m->lazy->tsc = false;
	*khz = m->tsc_khz;
	return rc;
}

const vcpuid_table *vp_host_raw(const vcpuid_host *h, uint32_t leaf)
{
	vcpuid_host *m = filling(h);
	struct vcpuid_host_lazy *z = m ? m->lazy : NULL;
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
		struct raw_ctx c = { &m->raw, NULL, 0 };
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
	vcpuid_host *m = filling(h);
	if (m)
		complete_raw(m, NULL);
	return &h->raw;
}

const char *vp_host_cpuinfo_flags(const vcpuid_host *h)
{
	vcpuid_host *m = filling(h);
	if (m && m->lazy->cpuinfo) {
		m->lazy->cpuinfo = false;
		probe_cpuinfo(m);
	}
	return h->cpuinfo_flags;
}

int vp_host_fill(const vcpuid_host *h, vcpuid_error *err)
{
	vcpuid_host *m = filling(h);
	return m ? vcpuid_host_complete(m, err) : 0;
}

int vcpuid_host_complete(vcpuid_host *h, vcpuid_error *err)
{
	if (!h->lazy)
		return 0;
	h->lazy->self = h; /* the caller holds this host writable */
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
			vp_kvm_scratch_refused_msrs(fd, h);
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
		h->lazy->self = h;
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
	rc = vp_kvm_probe(fd, h, err);
	if (!rc) {
		h->has_kvm = true;
		if (h->lazy)
			h->lazy->tsc = true;
		else
			rc = vp_kvm_scratch_tsc_khz(fd, h, &h->tsc_khz, err);
		/* a capture (vcpuid probe), never a lazy host: not needed to
		 * compute a guest, and a scratch vCPU costs start-up time */
		if (!rc && !h->lazy)
			vp_kvm_scratch_refused_msrs(fd, h);
	}
	close(fd);
	if (!rc)
		vp_hostcache_store(&cache, h);
	if (rc)
		vcpuid_host_free(h);
	return rc;
}
