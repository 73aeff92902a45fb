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

/* ---- text helpers (util.c) ---- */
/* Parse hex with or without 0x; false on garbage or overflow. */
bool vu_parse_hex(const char *s, size_t len, uint64_t *out);
/* Parse a C-style unsigned number (0x.., decimal). */
bool vu_parse_num(const char *s, uint64_t *out);
/* Levenshtein distance, capped. */
unsigned vu_edit_distance(const char *a, const char *b, unsigned cap);

#endif
