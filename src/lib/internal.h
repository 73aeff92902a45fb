/* SPDX-License-Identifier: MIT */
/* Helpers shared inside libvcpuid; not part of the public API. */
#ifndef VCPUID_INTERNAL_H
#define VCPUID_INTERNAL_H

#include <jansson.h>
#include "vcpuid.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
/* Parse a buffer into *root: 0, VCPUID_E_PARSE (a syntax error names
 * file:line:column) or VCPUID_E_LIMIT (more than VCPUID_MAX_JSON_BYTES). */
int vj_parse(const char *buf, size_t len, const char *file, json_t **root,
	     vcpuid_error *err);
/* Dump with vcpuid's stable formatting (indent 2, keys in insertion order). */
char *vj_dump(const json_t *v);

/* ---- the one output writer (output.c) ---- */
/* Replace the file at path with data, atomically, never following or
 * reusing what another user planted (see output.c). new_mode is the mode of
 * the new file (-1: keep the replaced file's mode if it is the caller's, else
 * 0666 & ~umask). A FIFO, character device or socket at path is written in
 * place unless flags has VP_WRITE_REPLACE. Errors are VCPUID_E_IO with the
 * errno text, VCPUID_E_USAGE for an empty path. */
#define VP_WRITE_REPLACE 1u
/* Use the named temporary, as where the file system has no O_TMPFILE. */
#define VP_WRITE_NAMED 2u
int vp_write_atomic(const char *path, const void *data, size_t len,
		    int new_mode, unsigned flags, vcpuid_error *err);

/* ---- host profile reading (profile.c, profile_fast.c) ---- */
#define VCPUID_PROFILE_FORMAT "vcpuid-host-profile"
#define VCPUID_PROFILE_VERSION 1
/* A profile in the plain form vcpuid writes, read straight from the text
 * without jansson: true with the host in h; false (h left initialised, empty)
 * for any other text -- valid or not -- which vcpuid_profile_parse then reads
 * with jansson. It never takes a text that reader rejects or reads
 * differently. */
bool vcpuid_profile_parse_plain(const char *buf, size_t len, vcpuid_host *h);
/* The same, telling a plain text with a table past its limit (VCPUID_E_LIMIT,
 * err filled, naming `name`: refused without reading the rest) from one it
 * does not take (-1); 0 when taken. */
int vp_profile_parse_plain(const char *buf, size_t len, const char *name,
			   vcpuid_host *h, vcpuid_error *err);
/* vcpuid_profile_parse and vcpuid_import_firecracker on a text already
 * parsed by vj_parse (vcpuid_host_parse parses a JSON input once). */
int vcpuid_profile_parse_json(const json_t *root, const char *name,
			      vcpuid_host *h, vcpuid_error *err);
int vcpuid_import_firecracker_json(const json_t *root, const char *name,
				   vcpuid_host *h, vcpuid_error *err);
/* What every reader (profile, plain profile, Firecracker, text dumps, the
 * host cache) holds the host it read to (hostcheck.c): each table and list
 * within the limits of core.h (VCPUID_E_LIMIT), no CPUID entry twice in a
 * table and no feature MSR twice (VCPUID_E_PARSE). Messages name `file`
 * and the profile key ("kvm.supported_cpuid[3]"); err may be NULL. */
int vp_host_check(const vcpuid_host *h, const char *file, vcpuid_error *err);
/* The one message of a limit: "FILE: WHAT: more than LIMIT UNIT (the
 * limit)"; returns VCPUID_E_LIMIT. */
int vp_limit_fail(vcpuid_error *err, const char *file, const char *what,
		  unsigned limit, const char *unit);

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
/* vcpuid_host_complete for a reader holding h const: a lazily probed host
 * fetches all it has not yet (through the writable pointer its lazy state
 * keeps, probe.c); any other host is complete already (0). */
int vp_host_fill(const vcpuid_host *h, vcpuid_error *err);
/* KVM_GET_TSC_KHZ of a new vCPU, fetched on first use on a lazily probed
 * host: 0 = KVM cannot say (no KVM_CAP_GET_TSC_KHZ, or not a live host).
 * A scratch VM that fails is VCPUID_E_NOKVM/VCPUID_E_KVM naming the
 * ioctl and errno (a guest built without the rate would be wrong). */
int vp_host_tsc_khz(const vcpuid_host *h, uint32_t *khz, vcpuid_error *err);

/* ---- the one way to /dev/kvm (host/kvm_door.c; apply.c uses it too) ---- */
/* The device path: $VCPUID_KVM_DEVICE, else /dev/kvm. */
const char *vp_kvm_device(void);
/* Open it read-write and check it is KVM with the API version vcpuid
 * speaks. Returns the fd, or -1 with err VCPUID_E_NOKVM: one line naming
 * the device, what failed and the errno. */
int vp_kvm_device_open(vcpuid_error *err);

/* The KVM_CHECK_EXTENSION capabilities vcpuid records (host/kvm_door.c):
 * h->caps allocated with every name and id of data/kvm_caps.def, values 0;
 * and a hash of its ids (a cache written with another table is not used). */
int vp_kvm_caps_init(vcpuid_host *h);
uint64_t vp_kvm_caps_signature(void);
/* KVM's answers for a live host from the open device fd (h->kvm, its
 * MSR lists and feature MSRs, caps): 0, or -1 with err (host/kvm_door.c). */
int vp_kvm_probe(int fd, vcpuid_host *h, vcpuid_error *err);
/* The TSC rate a scratch VM's vCPU reports (KVM_GET_TSC_KHZ); 0 when KVM
 * cannot say; -1 with err when the scratch VM fails. */
int vp_kvm_scratch_tsc_khz(int fd, const vcpuid_host *h, uint32_t *khz,
			   vcpuid_error *err);
/* The feature MSRs KVM lists but refuses to a scratch vCPU (best effort). */
void vp_kvm_scratch_refused_msrs(int fd, vcpuid_host *h);

/* The avx10 feature (7.1.EDX[19]) when QEMU release `qemu` (e.g. 1100)
 * has the AVX10 rules that came with it (9.2), else NULL (catalog.c). */
const vcpuid_feature *vc_avx10(uint16_t qemu);
/* Is this feature word known to QEMU release qemu (catalog.c)? */
bool vc_word_known(enum vcpuid_word w, uint16_t qemu);
/* A feature name looked up exactly as QOM does: case sensitive, canonical
 * names and the aliases QEMU registers; the first bit (catalog.c). */
const vcpuid_feature *vc_feature_exact(const char *name, size_t *nbits);
/* The bit of compat knob `prop` in vcpuid_cpu.compat_knobs (data/expand.def
 * COMPAT_KNOB order), -1 when there is no such knob (props.c). */
int vc_knob_index(const char *prop);

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

/* ---- libvirt (libvirt_names.c) ---- */
/* The machine string that names m again, the type as m's QEMU release
 * runs it ("pc-i440fx-8.0@11.1"): a vcpuid_machine's bare name would be
 * the type run by its own release. buf of at least 96 bytes. */
const char *lv_machine_spec(const vcpuid_machine *m, char *buf, size_t len);
/* The same in a buffer that lives until the end of the enclosing block. */
#define LV_MACHINE(m) lv_machine_spec((m), (char[96]){ 0 }, 96)

/* ---- text helpers (util.c) ---- */
/* Parse hex with or without 0x; false on garbage or overflow. */
bool vu_parse_hex(const char *s, size_t len, uint64_t *out);
/* Parse a C-style unsigned number (0x.., decimal). */
bool vu_parse_num(const char *s, uint64_t *out);
/* Levenshtein distance, capped. */
unsigned vu_edit_distance(const char *a, const char *b, unsigned cap);

#endif
