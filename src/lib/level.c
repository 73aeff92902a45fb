/* SPDX-License-Identifier: MIT */
/* x86-64 levels: which of x86-64-v1..v4 a guest CPU reaches, by glibc's
 * rules (data/levels.def), from feature words, a CPUID table, or what a
 * running guest saw (CPUID and XGETBV). */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "vcpuid/level.h"
#include "vcpuid/verify.h"

static const vcpuid_level_need needs[] = {
#define LEVEL_NEED(l, w, b, what, why) { l, VCPUID_W_##w, b, what, why },
#include "data/levels.def"
};

const vcpuid_level_need *vcpuid_level_needs(size_t *count)
{
	*count = ARRAY_SIZE(needs);
	return needs;
}

const char *vcpuid_level_name(int level)
{
	static const char *const names[] = { "none", "x86-64-v1", "x86-64-v2",
					     "x86-64-v3", "x86-64-v4" };
	return level >= 0 && level <= VCPUID_LEVEL_MAX ? names[level] : "?";
}

int vcpuid_level_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strncmp(s, "x86-64-", 7))
		s += 7;
	else if (!strncmp(s, "x86_64_", 7))
		s += 7;
	if (*s == 'v' || *s == 'V')
		s++;
	if (s[0] >= '1' && s[0] <= '0' + VCPUID_LEVEL_MAX && !s[1])
		return s[0] - '0';
	return -1;
}

static bool holds(const vcpuid_words w, const vcpuid_level_need *n)
{
	return w[n->word] >> n->bit & 1;
}

int vcpuid_level_of(const vcpuid_words features)
{
	int level = VCPUID_LEVEL_MAX;
	for (size_t i = 0; i < ARRAY_SIZE(needs); i++)
		if (needs[i].level <= level && !holds(features, &needs[i]))
			level = needs[i].level - 1;
	return level;
}

/* What a guest reads: a leaf above its class's maximum (CPUID.0:EAX,
 * CPUID.80000000H:EAX) is not there, whatever the table holds. */
static void table_words(const vcpuid_table *t, vcpuid_words w)
{
	vcpuid_words_from_table(t, NULL, w);
	uint32_t max_basic = vcpuid_table_reg(t, 0, 0, VCPUID_EAX);
	uint32_t max_ext = vcpuid_table_reg(t, 0x80000000u, 0, VCPUID_EAX);
	for (int i = 0; i < VCPUID_NWORDS; i++) {
		const vcpuid_word_info *wi = vcpuid_word(i);
		if (wi->kind != VCPUID_WORD_CPUID)
			continue;
		uint32_t max = wi->leaf & 0x80000000u ? max_ext : max_basic;
		if ((wi->leaf & 0xc0000000u) != 0x40000000u && wi->leaf > max)
			w[i] = 0;
	}
}

int vcpuid_level_of_table(const vcpuid_table *t)
{
	vcpuid_words w;
	table_words(t, w);
	return vcpuid_level_of(w);
}

int vcpuid_level_of_observed(const vcpuid_table *t, uint64_t xcr0)
{
	vcpuid_words w;
	table_words(t, w);
	w[VCPUID_W_XSAVE_XCR0_LO] = (uint32_t)xcr0;
	w[VCPUID_W_XSAVE_XCR0_HI] = xcr0 >> 32;
	return vcpuid_level_of(w);
}

size_t vcpuid_level_missing(const vcpuid_words features, int level,
			    const vcpuid_level_need **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(needs); i++) {
		if (needs[i].level > level || holds(features, &needs[i]))
			continue;
		if (n < max)
			out[n] = &needs[i];
		n++;
	}
	return n;
}

/* Which feature turns each XCR0 component on (data/xsave.def), newest
 * release's rows; the first row of a component names it. */
struct xsave_row {
	unsigned comp;
	enum vcpuid_word w;
	unsigned bit;
	bool xss;
	uint16_t until;
};
static const struct xsave_row xsave_rows[] = {
#define XCR0 false
#define XSS true
#define XSAVE_AREA(c, w, b, k, m, s, u) { c, VCPUID_W_##w, b, k, u },
#include "data/xsave.def"
#undef XCR0
#undef XSS
};

const vcpuid_feature *vcpuid_level_need_feature(const vcpuid_level_need *n)
{
	if (n->word != VCPUID_W_XSAVE_XCR0_LO)
		return vcpuid_feature_at(n->word, n->bit);
	for (size_t i = 0; i < ARRAY_SIZE(xsave_rows); i++)
		if (xsave_rows[i].comp == n->bit && !xsave_rows[i].xss &&
		    xsave_rows[i].until == 0xffff)
			return vcpuid_feature_at(xsave_rows[i].w, xsave_rows[i].bit);
	return NULL;
}

int vcpuid_level_explain(const vcpuid_host *host, const vcpuid_cpu *cpu,
			 const vcpuid_verify_result *applied, int level,
			 int *reached, vcpuid_level_gap **gaps, size_t *n,
			 vcpuid_error *err)
{
	*gaps = NULL;
	*n = 0;
	if (level < 1 || level > VCPUID_LEVEL_MAX)
		return vcpuid_fail(err, VCPUID_E_USAGE, "no x86-64 level %d (1..%d)",
				   level, VCPUID_LEVEL_MAX);
	vcpuid_words w;
	if (applied && applied->first.cpuid_set)
		table_words(&applied->first.kept, w);
	else
		memcpy(w, cpu->features, sizeof(w));
	*reached = vcpuid_level_of(w);
	const vcpuid_level_need *m[ARRAY_SIZE(needs)];
	size_t k = vcpuid_level_missing(w, level, m, ARRAY_SIZE(needs));
	if (!k)
		return 0;
	vcpuid_level_gap *g = calloc(k, sizeof(*g));
	if (!g)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
	for (size_t i = 0; i < k; i++) {
		g[i].need = m[i];
		const vcpuid_feature *f = vcpuid_level_need_feature(m[i]);
		bool xcr0 = m[i]->word == VCPUID_W_XSAVE_XCR0_LO;
		if (!f) {
			snprintf(g[i].cause, sizeof(g[i].cause), "%s: the guest "
				 "lacks it and no feature name turns it on",
				 m[i]->what);
			continue;
		}
		int rc = vcpuid_explain_applied(host, cpu, applied, f->name,
						&g[i].why, err);
		if (rc) {
			free(g);
			return rc;
		}
		if (!xcr0)
			snprintf(g[i].cause, sizeof(g[i].cause), "%s (%s): %s",
				 m[i]->what, m[i]->why, g[i].why.cause);
		else if (!g[i].why.final)
			snprintf(g[i].cause, sizeof(g[i].cause), "%s (%s): QEMU "
				 "offers the component only with %s, and %s",
				 m[i]->what, m[i]->why, f->name, g[i].why.cause);
		else
			snprintf(g[i].cause, sizeof(g[i].cause), "%s (%s): the "
				 "guest has %s but CPUID.0DH.0:EAX does not offer "
				 "XSAVE component %u (the host's KVM cannot give "
				 "it), so the OS cannot enable it", m[i]->what,
				 m[i]->why, f->name, m[i]->bit);
	}
	*gaps = g;
	*n = k;
	return 0;
}
