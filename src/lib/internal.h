/* SPDX-License-Identifier: MIT */
/* Helpers shared inside libvcpuid; not part of the public API. */
#ifndef VCPUID_INTERNAL_H
#define VCPUID_INTERNAL_H

#include <jansson.h>
#include "vcpuid.h"
#include "output.h"
#include "host/hostcache.h"
#include "host/kvm_door.h"

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
