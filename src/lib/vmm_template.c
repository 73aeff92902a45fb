/* SPDX-License-Identifier: MIT */
/* The template container that vmm.c (building and writing) and
 * host/import_template.c (reading back, also as a host) share: growing its
 * register and MSR lists, which MSRs are feature MSRs, register names and
 * Firecracker bitmaps. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "vmm_template.h"

static const struct {
	uint32_t first, last;
} feature_msrs[] = {
#define FEATURE_MSR(first, last) { first, last },
#include "data/feature_msrs.def"
#undef FEATURE_MSR
};

bool vt_feature_msr(uint32_t idx)
{
	for (size_t i = 0; i < ARRAY_SIZE(feature_msrs); i++)
		if (idx >= feature_msrs[i].first && idx <= feature_msrs[i].last)
			return true;
	return false;
}

void vcpuid_template_free(vcpuid_template *t)
{
	if (!t)
		return;
	free(t->regs);
	free(t->msrs);
	memset(t, 0, sizeof(*t));
}

int vt_add_reg(vcpuid_template *t, size_t *cap, uint32_t leaf,
		   uint32_t first, uint32_t last, uint32_t flags,
		   enum vcpuid_reg reg, uint32_t value, uint32_t mask,
		   vcpuid_error *err)
{
	if (t->nregs == *cap) {
		size_t n = *cap ? *cap * 2 : 64;
		vcpuid_template_reg *r = realloc(t->regs, n * sizeof(*r));
		if (!r)
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		t->regs = r;
		*cap = n;
	}
	t->regs[t->nregs++] = (vcpuid_template_reg){
		.leaf = leaf, .first = first, .last = last, .flags = flags,
		.reg = reg, .value = value & mask, .mask = mask };
	return 0;
}

int vt_add_msr(vcpuid_template *t, size_t *cap, uint32_t index,
		   uint64_t value, uint64_t mask, vcpuid_error *err)
{
	if (t->nmsrs == *cap) {
		size_t n = *cap ? *cap * 2 : 16;
		vcpuid_template_msr *m = realloc(t->msrs, n * sizeof(*m));
		if (!m)
			return vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		t->msrs = m;
		*cap = n;
	}
	t->msrs[t->nmsrs++] = (vcpuid_template_msr){
		.index = index, .value = value & mask, .mask = mask };
	return 0;
}

const char *const vt_reg_lower[4] = { "eax", "ebx", "ecx", "edx" };
const char *const vt_reg_upper[4] = { "EAX", "EBX", "ECX", "EDX" };

json_t *vt_bitmap_json(uint64_t value, uint64_t mask, unsigned bits)
{
	char s[2 + 64 + 1] = "0b";
	for (unsigned i = 0; i < bits; i++) {
		unsigned b = bits - 1 - i;
		s[2 + i] = !(mask >> b & 1) ? 'x' : (value >> b & 1) ? '1' : '0';
	}
	s[2 + bits] = 0;
	return json_string(s);
}

/* A Firecracker bitmap: "0b", then at most bits digits of 0, 1 or x, '_'
 * anywhere among them; missing leading digits are x. value gets the 1s,
 * mask the 0s and 1s. */
int vt_bitmap(const json_t *v, unsigned bits, uint64_t *value,
	      uint64_t *mask, const char *file, const char *what,
	      vcpuid_error *err)
{
	const char *s = json_string_value(v);
	*value = *mask = 0;
	if (!s || strncmp(s, "0b", 2))
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "%s: %s: expected a string \"0b\" and up to %u "
				   "digits of 0, 1 or x", file, what, bits);
	unsigned n = 0;
	uint64_t val = 0, m = 0;
	for (size_t i = 2; s[i]; i++) {
		char c = s[i];
		if (c == '_')
			continue;
		if (c != '0' && c != '1' && c != 'x' && c != 'X')
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: bad bitmap character '%c' at %zu",
					   file, what, c, i);
		if (++n > bits)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   "%s: %s: more than %u digits", file,
					   what, bits);
		val = val << 1 | (c == '1');
		m = m << 1 | (c == '0' || c == '1');
	}
	*value = val;
	*mask = m;
	return 0;
}
