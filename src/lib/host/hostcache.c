/* SPDX-License-Identifier: MIT */
/* hostcache: the KVM facts of the live host, kept for the rest of the boot.
 *
 * Asking KVM costs a VM start ~0.2 ms here: KVM_GET_SUPPORTED_CPUID runs
 * the CPUID instruction in the kernel for every leaf, and under a
 * hypervisor each one is a VM exit. The answers change only when the KVM
 * module is loaded again (a new /dev/kvm), the machine reboots (a new
 * boot_id) or microcode is loaded late. A lazily probed live host with
 * VCPUID_PROBE_CACHE reads them from a file the first such probe of the
 * boot wrote. The file names what it was taken from (the key); any other
 * key, a damaged file, or a file or directory another user could have
 * written is ignored, and the probe asks KVM as before.
 *
 * File (native byte order; it never leaves the machine):
 *   "VCPUIDHC", u32 format, u32 key length, key, u32 payload length,
 *   payload, u64 vp_hostcache_checksum() of everything before it.
 * Key: boot_id, device path, the device's st_dev/st_ino/st_rdev/st_ctime,
 * cpu0's microcode version, the library version and the capability table.
 * Payload: API version, capabilities (id, value), supported and emulated
 * CPUID, feature MSRs, MSR index list, XCOMP_GUEST_SUPP. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

#define HC_MAGIC "VCPUIDHC"
#define HC_FORMAT 1u
#define HC_FILE "kvm-host.bin"
#define HC_MAX_FILE (1u << 20)
/* Counts past these are damage (vp_host_check holds the contents to the
 * limits of core.h afterwards, as it does every profile). */
#define HC_MAX_TABLE VCPUID_MAX_KVM_ENTRIES
#define HC_MAX_MSRS VCPUID_MAX_MSRS

/* ---------------- bytes in, bytes out ---------------- */

struct wbuf {
	unsigned char *p;
	size_t n, cap;
	bool fixed; /* p is the caller's buffer of cap bytes: never grown */
	bool oom;
};

static void put(struct wbuf *w, const void *src, size_t len)
{
	if (w->oom)
		return;
	if (w->n + len > w->cap) {
		if (w->fixed) {
			w->oom = true;
			return;
		}
		size_t cap = w->cap ? w->cap * 2 : 4096;
		while (cap < w->n + len)
			cap *= 2;
		unsigned char *p = realloc(w->p, cap);
		if (!p) {
			w->oom = true;
			return;
		}
		w->p = p;
		w->cap = cap;
	}
	memcpy(w->p + w->n, src, len);
	w->n += len;
}

static void put32(struct wbuf *w, uint32_t v) { put(w, &v, sizeof(v)); }
static void put64(struct wbuf *w, uint64_t v) { put(w, &v, sizeof(v)); }

/* A string in a fixed-size, NUL-padded field. */
static void put_str(struct wbuf *w, const char *s, size_t field)
{
	char buf[256] = { 0 };
	if (field > sizeof(buf))
		field = sizeof(buf);
	snprintf(buf, field, "%s", s);
	put(w, buf, field);
}

struct rbuf {
	const unsigned char *p;
	size_t n, off;
	bool bad;
};

static void get(struct rbuf *r, void *dst, size_t len)
{
	if (r->bad || r->n - r->off < len) {
		r->bad = true;
		memset(dst, 0, len);
		return;
	}
	memcpy(dst, r->p + r->off, len);
	r->off += len;
}

static uint32_t get32(struct rbuf *r)
{
	uint32_t v;
	get(r, &v, sizeof(v));
	return v;
}

static uint64_t get64(struct rbuf *r)
{
	uint64_t v;
	get(r, &v, sizeof(v));
	return v;
}

/* A count followed by that many records of rec_size bytes. */
static uint32_t get_count(struct rbuf *r, uint32_t max, size_t rec_size)
{
	uint32_t n = get32(r);
	if (n > max || (r->n - r->off) / rec_size < n)
		r->bad = true;
	return r->bad ? 0 : n;
}

/* The file's checksum: FNV-1a over 64-bit words (a damaged or cut file,
 * not an attacker: the file's owner and mode are checked for that). */
uint64_t vp_hostcache_checksum(const void *buf, size_t n)
{
	const unsigned char *p = buf;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* ---------------- the payload: a host's KVM part ---------------- */

static void put_table(struct wbuf *w, const vcpuid_table *t)
{
	put32(w, (uint32_t)t->n);
	for (size_t i = 0; i < t->n; i++) {
		const vcpuid_cpuid_entry *e = &t->e[i];
		put32(w, e->function);
		put32(w, e->index);
		put32(w, e->flags);
		for (int k = 0; k < 4; k++)
			put32(w, e->reg[k]);
	}
}

static void get_table(struct rbuf *r, vcpuid_table *t)
{
	uint32_t n = get_count(r, HC_MAX_TABLE, 7 * sizeof(uint32_t));
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		uint32_t v[7];
		for (int k = 0; k < 7; k++)
			v[k] = get32(r);
		if (!vcpuid_table_add(t, v[0], v[1], v[2], v[3], v[4], v[5], v[6]))
			r->bad = true;
	}
}

static void put_payload(struct wbuf *w, const vcpuid_host *h)
{
	put32(w, (uint32_t)h->kvm_api_version);
	put32(w, (uint32_t)h->n_caps);
	for (size_t i = 0; i < h->n_caps; i++) {
		put32(w, h->caps[i].id);
		put64(w, (uint64_t)h->caps[i].value);
	}
	put_table(w, &h->supported);
	put_table(w, &h->emulated);
	put32(w, (uint32_t)h->feature_msrs.n);
	for (size_t i = 0; i < h->feature_msrs.n; i++) {
		put32(w, h->feature_msrs.m[i].index);
		put64(w, h->feature_msrs.m[i].value);
	}
	put32(w, (uint32_t)h->n_msr_index_list);
	for (size_t i = 0; i < h->n_msr_index_list; i++)
		put32(w, h->msr_index_list[i]);
	put32(w, h->has_xcomp_guest_supp);
	put64(w, h->xcomp_guest_supp);
}

/* Fill h's KVM part (h is initialized, without one). */
static void get_payload(struct rbuf *r, vcpuid_host *h)
{
	uint32_t api = get32(r);
	if (api > 0x7fffffffu)
		r->bad = true;
	h->kvm_api_version = (int)api;
	if (vp_kvm_caps_init(h)) {
		r->bad = true;
		return;
	}
	if (get32(r) != h->n_caps)
		r->bad = true;
	for (size_t i = 0; i < h->n_caps && !r->bad; i++) {
		if (get32(r) != h->caps[i].id)
			r->bad = true;
		h->caps[i].value = (int64_t)get64(r);
	}
	get_table(r, &h->supported);
	get_table(r, &h->emulated);
	uint32_t n = get_count(r, HC_MAX_MSRS, 12);
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		uint32_t index = get32(r);
		if (vcpuid_msr_list_add(&h->feature_msrs, index, get64(r)))
			r->bad = true;
	}
	n = get_count(r, HC_MAX_MSRS, 4);
	if (!r->bad) {
		h->msr_index_list = malloc((n ? n : 1) * sizeof(uint32_t));
		if (!h->msr_index_list)
			r->bad = true;
	}
	for (uint32_t i = 0; i < n && !r->bad; i++)
		h->msr_index_list[h->n_msr_index_list++] = get32(r);
	uint32_t has_xcomp = get32(r);
	if (has_xcomp > 1)
		r->bad = true;
	h->has_xcomp_guest_supp = has_xcomp;
	h->xcomp_guest_supp = get64(r);
}

/* Drop a half-filled KVM part. */
static void clear_kvm(vcpuid_host *h)
{
	vcpuid_table_free(&h->supported);
	vcpuid_table_free(&h->emulated);
	vcpuid_msr_list_free(&h->feature_msrs);
	free(h->msr_index_list);
	h->msr_index_list = NULL;
	h->n_msr_index_list = 0;
	free(h->caps);
	h->caps = NULL;
	h->n_caps = 0;
	h->kvm_api_version = 0;
	h->has_xcomp_guest_supp = false;
	h->xcomp_guest_supp = 0;
}

int vp_hostcache_parse(const void *buf, size_t len, const void *key,
		       size_t key_len, vcpuid_host *h)
{
	struct rbuf r = { buf, len, 0, false };
	char magic[8];
	get(&r, magic, sizeof(magic));
	if (r.bad || memcmp(magic, HC_MAGIC, sizeof(magic)) ||
	    get32(&r) != HC_FORMAT || get32(&r) != key_len ||
	    len - r.off < key_len || memcmp(r.p + r.off, key, key_len))
		return -1;
	r.off += key_len;
	uint32_t payload = get32(&r);
	if (r.bad || len - r.off < sizeof(uint64_t) ||
	    len - r.off - sizeof(uint64_t) != payload)
		return -1;
	uint64_t sum;
	memcpy(&sum, r.p + len - sizeof(sum), sizeof(sum));
	if (sum != vp_hostcache_checksum(r.p, len - sizeof(sum)))
		return -1;
	r.n = len - sizeof(sum);
	get_payload(&r, h);
	/* what the profile readers refuse is no cache either */
	if (r.bad || r.off != r.n || vp_host_check(h, "", NULL)) {
		clear_kvm(h);
		return -1;
	}
	return 0;
}

int vp_hostcache_serialize(const vcpuid_host *h, const void *key,
			   size_t key_len, unsigned char **out, size_t *len)
{
	struct wbuf w = { 0 };
	put(&w, HC_MAGIC, 8);
	put32(&w, HC_FORMAT);
	put32(&w, (uint32_t)key_len);
	put(&w, key, key_len);
	size_t at = w.n;
	put32(&w, 0); /* payload length, below */
	put_payload(&w, h);
	if (w.oom) {
		free(w.p);
		return -1;
	}
	uint32_t payload = (uint32_t)(w.n - at - sizeof(uint32_t));
	memcpy(w.p + at, &payload, sizeof(payload));
	put64(&w, vp_hostcache_checksum(w.p, w.n));
	if (w.oom) {
		free(w.p);
		return -1;
	}
	*out = w.p;
	*len = w.n;
	return 0;
}

/* ---------------- where, and for what ---------------- */

/* The first line of a small file, or "" when it cannot be read. */
static void read_line(const char *path, char *out, size_t n)
{
	out[0] = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t r = read(fd, out, n - 1);
	close(fd);
	out[r > 0 ? r : 0] = 0;
	out[strcspn(out, "\n")] = 0;
}

/* The cache directory, or false when the cache is off:
 * $VCPUID_HOST_CACHE ("off" turns it off), /run/vcpuid for root,
 * $XDG_RUNTIME_DIR/vcpuid for others. */
static bool cache_dir(char *out, size_t n)
{
	const char *env = getenv("VCPUID_HOST_CACHE");
	int w;
	if (env && !strcmp(env, "off"))
		return false;
	if (env && *env)
		w = snprintf(out, n, "%s", env);
	else if (geteuid() == 0)
		w = snprintf(out, n, "/run/vcpuid");
	else if ((env = getenv("XDG_RUNTIME_DIR")) && *env == '/')
		w = snprintf(out, n, "%s/vcpuid", env);
	else
		return false;
	return w > 0 && (size_t)w < n;
}

/* A directory only this user can write to. */
static bool trusted_dir(const char *dir)
{
	struct stat st;
	return !lstat(dir, &st) && S_ISDIR(st.st_mode) &&
	       st.st_uid == geteuid() && !(st.st_mode & 022);
}

bool vp_hostcache_begin(struct vp_hostcache *c, const char *dev)
{
	memset(c, 0, sizeof(*c));
	char dir[sizeof(c->dir)];
	if (strlen(dev) >= 200 || !cache_dir(dir, sizeof(dir)))
		return false;
	struct stat st;
	if (stat(dev, &st) || !S_ISCHR(st.st_mode))
		return false;
	char boot_id[40], microcode[24];
	read_line("/proc/sys/kernel/random/boot_id", boot_id, sizeof(boot_id));
	if (!boot_id[0])
		return false;
	read_line("/sys/devices/system/cpu/cpu0/microcode/version", microcode,
		  sizeof(microcode));

	struct wbuf k = { c->key, 0, sizeof(c->key), true, false };
	put_str(&k, boot_id, sizeof(boot_id));
	put_str(&k, dev, 200);
	put64(&k, (uint64_t)st.st_dev);
	put64(&k, (uint64_t)st.st_ino);
	put64(&k, (uint64_t)st.st_rdev);
	put64(&k, (uint64_t)st.st_ctim.tv_sec);
	put64(&k, (uint64_t)st.st_ctim.tv_nsec);
	put_str(&k, microcode, sizeof(microcode));
	put_str(&k, VCPUID_VERSION, 16);
	put64(&k, vp_kvm_caps_signature());
	if (k.oom) /* the key outgrew its buffer */
		return false;
	c->key_len = k.n;
	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	snprintf(c->path, sizeof(c->path), "%s/" HC_FILE, dir);
	c->on = true;
	return true;
}

int vp_hostcache_load(const struct vp_hostcache *c, vcpuid_host *h)
{
	if (!c->on || !trusted_dir(c->dir))
		return -1;
	/* O_NONBLOCK: a FIFO planted as the file must not hang the open;
	 * fstat below takes a regular file only */
	int fd = open(c->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	unsigned char *buf = NULL;
	int rc = -1;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    !(st.st_mode & 022) && st.st_size > 0 && st.st_size <= HC_MAX_FILE &&
	    (buf = malloc((size_t)st.st_size))) {
		size_t len = (size_t)st.st_size;
		if (read(fd, buf, len) == (ssize_t)len)
			rc = vp_hostcache_parse(buf, len, c->key, c->key_len, h);
	}
	free(buf);
	close(fd);
	return rc;
}

void vp_hostcache_store(const struct vp_hostcache *c, const vcpuid_host *h)
{
	if (!c->on)
		return;
	if (mkdir(c->dir, 0700) && errno != EEXIST)
		return;
	if (!trusted_dir(c->dir))
		return;
	unsigned char *data;
	size_t len;
	if (vp_hostcache_serialize(h, c->key, c->key_len, &data, &len))
		return;
	/* never in place: a FIFO or device at the path is replaced too */
	vp_write_atomic(c->path, data, len, 0600, VP_WRITE_REPLACE, NULL);
	free(data);
}
