/* SPDX-License-Identifier: MIT */
/* Helpers shared inside libvcpuid; not part of the public API. */
#ifndef VCPUID_INTERNAL_H
#define VCPUID_INTERNAL_H

#include <jansson.h>
#include "vcpuid.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The QEMU release whose knowledge a machine type gets: feature names,
 * feature words, dependencies, -cpu properties and XSAVE areas. Machine
 * type 7.2: QEMU 7.2's. 8.0 and later: QEMU 11.1's, which runs every one
 * of them with all it knows (no compat property takes a feature name or
 * word away; seen with the 11.1 random differential: host/max on 8.0 ..
 * 10.0 got cet-ss/cet-ibt, tsa-sq-no, its-no... from QEMU 11.1, and it
 * accepts every flag and property of 11.1 there). The CPU models stay
 * those of the machine type's release (docs/models.md). */
#define VC_NEWEST_QEMU 1101
static inline uint16_t vc_known(uint16_t qemu)
{
	return qemu >= 800 ? VC_NEWEST_QEMU : qemu;
}

/* ---- JSON numbers: integers or "0x..." strings (jsonutil.c) ---- */
/* Read an unsigned number from a JSON integer or a hex/decimal string.
 * what names the field in errors; file is the input name. */
int vj_u64(const json_t *v, uint64_t max, uint64_t *out, const char *file,
	   const char *what, vcpuid_error *err);
int vj_get_u32(const json_t *obj, const char *key, bool required,
	       uint32_t *out, const char *file, vcpuid_error *err);
int vj_get_u64(const json_t *obj, const char *key, bool required,
	       uint64_t *out, const char *file, vcpuid_error *err);
/* "0x%08x" / "0x%x" strings. */
json_t *vj_hex32(uint32_t v);
json_t *vj_hex64(uint64_t v);
/* Parse a buffer; a syntax error names file:line:column. */
json_t *vj_parse(const char *buf, size_t len, const char *file,
		 vcpuid_error *err);
/* Dump with vcpuid's stable formatting (indent 2, keys in insertion order). */
char *vj_dump(const json_t *v);

/* ---- host profile reading (profile.c, profile_fast.c) ---- */
#define VCPUID_PROFILE_FORMAT "vcpuid-host-profile"
#define VCPUID_PROFILE_VERSION 1
/* A profile in the plain form vcpuid writes, read straight from the text
 * without jansson: true with the host in h; false (h left initialised, empty)
 * for any other text -- valid or not -- which vcpuid_profile_parse then reads
 * with jansson. It never takes a text that reader rejects or reads
 * differently. */
bool vcpuid_profile_parse_plain(const char *buf, size_t len, vcpuid_host *h);
/* vcpuid_profile_parse and vcpuid_import_firecracker on a text already
 * parsed by vj_parse (vcpuid_host_parse parses a JSON input once). */
int vcpuid_profile_parse_json(const json_t *root, const char *name,
			      vcpuid_host *h, vcpuid_error *err);
int vcpuid_import_firecracker_json(const json_t *root, const char *name,
				   vcpuid_host *h, vcpuid_error *err);

/* ---- the host's CPUID instruction (probe.c) ---- */
/* h->raw, first fetching `leaf` (every subleaf of it) when h is a lazily
 * probed live host (VCPUID_PROBE_LAZY) that has not asked for it yet. Every
 * pipeline stage reads the raw table through this. */
const vcpuid_table *vp_host_raw(const vcpuid_host *h, uint32_t leaf);
/* One register of the host's CPUID instruction as QEMU reads it: the raw
 * table (fetching the leaf on a lazily probed host), or KVM's supported
 * table for hosts recorded without one. */
uint32_t vp_host_insn(const vcpuid_host *h, uint32_t leaf, uint32_t sub,
		      enum vcpuid_reg reg);
/* h->raw complete (a lazily probed host fetches all of it now). */
const vcpuid_table *vp_host_raw_all(const vcpuid_host *h);
/* h->cpuinfo_flags (a lazily probed host reads /proc/cpuinfo now). */
const char *vp_host_cpuinfo_flags(const vcpuid_host *h);

/* The KVM_CHECK_EXTENSION capabilities vcpuid records (probe.c): h->caps
 * allocated with every name and id of data/kvm_caps.def, values 0; and a
 * hash of its ids (a cache written with another table is not used). */
int vp_kvm_caps_init(vcpuid_host *h);
uint64_t vp_kvm_caps_signature(void);

/* The avx10 feature (7.1.EDX[19]) when QEMU release `qemu` (e.g. 1100)
 * has the AVX10 rules that came with it (9.2), else NULL (catalog.c). */
const vcpuid_feature *vc_avx10(uint16_t qemu);

/* ---- the live host's KVM facts, kept for the boot (hostcache.c) ---- */
struct vp_hostcache {
	bool on;		/* a cache directory and a key */
	char dir[256];
	char path[272];
	unsigned char key[512]; /* what the KVM facts were taken from */
	size_t key_len;
};
/* Where the cache of device `dev` is and what its key is now; false (and
 * c->on false) when the cache is off or the key cannot be known. */
bool vp_hostcache_begin(struct vp_hostcache *c, const char *dev);
/* Fill h's KVM part from the cache; 0 on a hit, -1 (h unchanged) else. */
int vp_hostcache_load(const struct vp_hostcache *c, vcpuid_host *h);
/* Write h's KVM part for the next probe (best effort, atomic rename). */
void vp_hostcache_store(const struct vp_hostcache *c, const vcpuid_host *h);
/* The file format itself (also the fuzz target's entry): parse checks the
 * magic, format, key and checksum and fills h's KVM part, or returns -1
 * with h's KVM part empty. serialize gives a malloc'd file image. */
int vp_hostcache_parse(const void *buf, size_t len, const void *key,
		       size_t key_len, vcpuid_host *h);
int vp_hostcache_serialize(const vcpuid_host *h, const void *key,
			   size_t key_len, unsigned char **out, size_t *len);
/* The file's last 8 bytes: this over everything before them. */
uint64_t vp_hostcache_checksum(const void *buf, size_t len);

/* ---- text helpers (util.c) ---- */
/* Parse hex with or without 0x; false on garbage or overflow. */
bool vu_parse_hex(const char *s, size_t len, uint64_t *out);
/* Parse a C-style unsigned number (0x.., decimal). */
bool vu_parse_num(const char *s, uint64_t *out);
/* Levenshtein distance, capped. */
unsigned vu_edit_distance(const char *a, const char *b, unsigned cap);

#endif
