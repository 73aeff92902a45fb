/* SPDX-License-Identifier: MIT */
/* CPUID tables and MSR lists: small growable arrays with KVM's lookup rules. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

void vcpuid_table_init(vcpuid_table *t)
{
	memset(t, 0, sizeof(*t));
}

void vcpuid_table_free(vcpuid_table *t)
{
	free(t->e);
	vcpuid_table_init(t);
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 32;
	while (ncap < need)
		ncap *= 2;
	void *np = realloc(*p, ncap * elem);
	if (!np)
		return false;
	*p = np;
	*cap = ncap;
	return true;
}

int vcpuid_table_copy(vcpuid_table *dst, const vcpuid_table *src)
{
	vcpuid_table_init(dst);
	if (!src->n)
		return 0;
	if (!grow((void **)&dst->e, &dst->cap, src->n, sizeof(*dst->e)))
		return VCPUID_E_NOMEM;
	memcpy(dst->e, src->e, src->n * sizeof(*dst->e));
	dst->n = src->n;
	return 0;
}

vcpuid_cpuid_entry *vcpuid_table_add(vcpuid_table *t, uint32_t function,
				     uint32_t index, uint32_t flags,
				     uint32_t eax, uint32_t ebx, uint32_t ecx,
				     uint32_t edx)
{
	if (!grow((void **)&t->e, &t->cap, t->n + 1, sizeof(*t->e)))
		return NULL;
	vcpuid_cpuid_entry *e = &t->e[t->n++];
	*e = (vcpuid_cpuid_entry){ function, index, flags, { eax, ebx, ecx, edx } };
	return e;
}

vcpuid_cpuid_entry *vcpuid_table_find_mut(vcpuid_table *t, uint32_t function,
					  uint32_t index)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].function == function && t->e[i].index == index)
			return &t->e[i];
	return NULL;
}

const vcpuid_cpuid_entry *vcpuid_table_find(const vcpuid_table *t,
					    uint32_t function, uint32_t index)
{
	return vcpuid_table_find_mut((vcpuid_table *)t, function, index);
}

const vcpuid_cpuid_entry *vcpuid_table_lookup(const vcpuid_table *t,
					      uint32_t function, uint32_t index)
{
	for (size_t i = 0; i < t->n; i++) {
		const vcpuid_cpuid_entry *e = &t->e[i];
		if (e->function != function)
			continue;
		if (!(e->flags & VCPUID_FLAG_SIGNIFICANT_INDEX) || e->index == index)
			return e;
	}
	return NULL;
}

uint32_t vcpuid_table_reg(const vcpuid_table *t, uint32_t function,
			  uint32_t index, enum vcpuid_reg reg)
{
	const vcpuid_cpuid_entry *e = vcpuid_table_lookup(t, function, index);
	return e ? e->reg[reg] : 0;
}

static bool entry_less(const vcpuid_cpuid_entry *x, const vcpuid_cpuid_entry *y)
{
	return x->function != y->function ? x->function < y->function
					  : x->index < y->index;
}

void vcpuid_table_sort(vcpuid_table *t)
{
	/* Insertion sort: stable, and tables are a few hundred entries at most. */
	for (size_t i = 1; i < t->n; i++) {
		vcpuid_cpuid_entry cur = t->e[i];
		size_t j = i;
		while (j > 0 && entry_less(&cur, &t->e[j - 1])) {
			t->e[j] = t->e[j - 1];
			j--;
		}
		t->e[j] = cur;
	}
}

void vcpuid_msr_list_free(vcpuid_msr_list *l)
{
	free(l->m);
	memset(l, 0, sizeof(*l));
}

int vcpuid_msr_list_add(vcpuid_msr_list *l, uint32_t index, uint64_t value)
{
	if (!grow((void **)&l->m, &l->cap, l->n + 1, sizeof(*l->m)))
		return VCPUID_E_NOMEM;
	l->m[l->n++] = (vcpuid_msr){ index, value };
	return 0;
}

bool vcpuid_msr_list_get(const vcpuid_msr_list *l, uint32_t index,
			 uint64_t *value)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->m[i].index == index) {
			if (value)
				*value = l->m[i].value;
			return true;
		}
	return false;
}
