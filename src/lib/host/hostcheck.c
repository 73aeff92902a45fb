/* SPDX-License-Identifier: MIT */
/* hostcheck: what every reader holds a host to, whatever the input format
 * (profile.c, profile_fast.c, import_firecracker.c, import_text.c,
 * hostcache.c): tables and lists within the limits of core.h, no CPUID
 * entry twice in a table, no feature MSR twice. One linear pass over each
 * table with a hash of the keys seen, so a table at its limit costs as
 * little to check as to read. */
#include <inttypes.h>
#include <stdlib.h>
#include "internal.h"

/* An open-addressing set of 64-bit keys (linear probing; a power-of-two
 * number of slots, at most half full). */
struct keyset {
	uint64_t *key;
	unsigned char *used;
	size_t mask;
};

static bool keyset_init(struct keyset *s, size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	s->key = malloc(cap * sizeof(*s->key));
	s->used = calloc(cap, 1);
	s->mask = cap - 1;
	return s->key && s->used;
}

static void keyset_free(struct keyset *s)
{
	free(s->key);
	free(s->used);
}

/* Add k; false when it was there already. */
static bool keyset_add(struct keyset *s, uint64_t k)
{
	uint64_t h = k * 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h ^ h >> 32) & s->mask;
	for (; s->used[i]; i = (i + 1) & s->mask)
		if (s->key[i] == k)
			return false;
	s->used[i] = 1;
	s->key[i] = k;
	return true;
}

int vp_limit_fail(vcpuid_error *err, const char *file, const char *what,
		  unsigned limit, const char *unit)
{
	return vcpuid_fail(err, VCPUID_E_LIMIT, "%s: %s: more than %u %s (the limit)",
			   file, what, limit, unit);
}

static int check_table(const vcpuid_table *t, const char *what, unsigned limit,
		       const char *file, vcpuid_error *err)
{
	if (t->n > limit)
		return vp_limit_fail(err, file, what, limit, "CPUID entries");
	struct keyset s;
	int rc = 0;
	if (!keyset_init(&s, t->n))
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	for (size_t i = 0; !rc && i < t->n; i++) {
		const vcpuid_cpuid_entry *e = &t->e[i];
		if (!keyset_add(&s, (uint64_t)e->function << 32 | e->index))
			rc = vcpuid_fail(err, VCPUID_E_PARSE,
					 "%s: %s[%zu]: duplicate entry for function "
					 "0x%" PRIx32 " index 0x%" PRIx32, file, what,
					 i, e->function, e->index);
	}
	keyset_free(&s);
	return rc;
}

static int check_msrs(const vcpuid_msr_list *l, const char *file,
		      vcpuid_error *err)
{
	if (l->n > VCPUID_MAX_MSRS)
		return vp_limit_fail(err, file, "kvm.feature_msrs",
				     VCPUID_MAX_MSRS, "MSRs");
	struct keyset s;
	int rc = 0;
	if (!keyset_init(&s, l->n))
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	for (size_t i = 0; !rc && i < l->n; i++)
		if (!keyset_add(&s, l->m[i].index))
			rc = vcpuid_fail(err, VCPUID_E_PARSE,
					 "%s: kvm.feature_msrs[%zu]: duplicate MSR "
					 "0x%" PRIx32, file, i, l->m[i].index);
	keyset_free(&s);
	return rc;
}

int vp_host_check(const vcpuid_host *h, const char *file, vcpuid_error *err)
{
	int rc = check_table(&h->raw, "raw_cpuid", VCPUID_MAX_RAW_ENTRIES, file,
			     err);
	if (!rc)
		rc = check_table(&h->supported, "kvm.supported_cpuid",
				 VCPUID_MAX_KVM_ENTRIES, file, err);
	if (!rc)
		rc = check_table(&h->emulated, "kvm.emulated_cpuid",
				 VCPUID_MAX_KVM_ENTRIES, file, err);
	if (!rc)
		rc = check_msrs(&h->feature_msrs, file, err);
	if (!rc && h->n_msr_index_list > VCPUID_MAX_MSRS)
		rc = vp_limit_fail(err, file, "kvm.msr_index_list",
				   VCPUID_MAX_MSRS, "MSRs");
	if (!rc && h->n_caps > VCPUID_MAX_CAPS)
		rc = vp_limit_fail(err, file, "kvm.capabilities",
				   VCPUID_MAX_CAPS, "capabilities");
	return rc;
}
