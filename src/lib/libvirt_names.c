/* SPDX-License-Identifier: MIT */
/* libvirt's x86 feature and model names: the tables of
 * data/libvirt_features.def and data/libvirt_models.def, resolved against
 * the feature catalog once. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "vcpuid/libvirt.h"

#define LV_UNMIG VCPUID_LV_UNMIGRATABLE
#define LV_DECODE_HOST VCPUID_LV_DECODE_HOST
#define LV_DECODE_GUEST VCPUID_LV_DECODE_GUEST
#define EAX VCPUID_EAX
#define EBX VCPUID_EBX
#define ECX VCPUID_ECX
#define EDX VCPUID_EDX

static vcpuid_libvirt_feature lv_features[] = {
#define LIBVIRT_FEATURE(n, q, f) { .name = n, .qemu = q, .word = -1, .flags = f },
#define LIBVIRT_BIT(n, w, b, f) { .name = n, .word = VCPUID_W_##w, .bit = b, .flags = f },
#define LIBVIRT_CPUID(n, l, s, r, b, f) \
	{ .name = n, .word = -1, .bit = b, .leaf = l, .subleaf = s, .reg = r, .flags = f },
#include "data/libvirt_features.def"
#undef LIBVIRT_FEATURE
#undef LIBVIRT_BIT
#undef LIBVIRT_CPUID
};
#define NLV (sizeof(lv_features) / sizeof(lv_features[0]))

static const vcpuid_libvirt_model lv_models[] = {
#define LIBVIRT_MODEL(n, v, d, s, f) { n, v, d, s, f },
#include "data/libvirt_models.def"
#undef LIBVIRT_MODEL
};
#define NLM (sizeof(lv_models) / sizeof(lv_models[0]))

/* (word, bit) -> index into lv_features + 1, 0 for none */
static uint16_t lv_at[VCPUID_NWORDS][64];
static pthread_once_t lv_once = PTHREAD_ONCE_INIT;

static void lv_resolve(void)
{
	for (size_t i = 0; i < NLV; i++) {
		vcpuid_libvirt_feature *f = &lv_features[i];
		if (f->qemu) {
			const vcpuid_feature *q = vcpuid_feature_lookup(f->qemu, NULL);
			if (!q)
				continue; /* a test checks the table never gets here */
			f->word = q->word;
			f->bit = q->bit;
		}
		if (f->word >= 0) {
			const vcpuid_word_info *w = vcpuid_word(f->word);
			f->leaf = w->leaf;
			f->subleaf = w->subleaf;
			f->reg = w->reg;
			f->msr = w->kind == VCPUID_WORD_MSR ? w->msr : 0;
			if (!lv_at[f->word][f->bit])
				lv_at[f->word][f->bit] = (uint16_t)(i + 1);
		}
	}
}

const vcpuid_libvirt_feature *vcpuid_libvirt_features(size_t *count)
{
	pthread_once(&lv_once, lv_resolve);
	if (count)
		*count = NLV;
	return lv_features;
}

const vcpuid_libvirt_feature *vcpuid_libvirt_feature_find(const char *name)
{
	pthread_once(&lv_once, lv_resolve);
	for (size_t i = 0; name && i < NLV; i++)
		if (!strcmp(lv_features[i].name, name))
			return &lv_features[i];
	return NULL;
}

const vcpuid_libvirt_feature *vcpuid_libvirt_feature_at(enum vcpuid_word w,
							unsigned bit)
{
	pthread_once(&lv_once, lv_resolve);
	if ((int)w < 0 || w >= VCPUID_NWORDS || bit >= 64 || !lv_at[w][bit])
		return NULL;
	return &lv_features[lv_at[w][bit] - 1];
}

const vcpuid_libvirt_model *vcpuid_libvirt_models(size_t *count)
{
	if (count)
		*count = NLM;
	return lv_models;
}

const vcpuid_libvirt_model *vcpuid_libvirt_model_find(const char *name)
{
	for (size_t i = 0; name && i < NLM; i++)
		if (!strcmp(lv_models[i].name, name))
			return &lv_models[i];
	return NULL;
}

void vcpuid_libvirt_model_words(const vcpuid_libvirt_model *m, vcpuid_words out)
{
	memset(out, 0, sizeof(vcpuid_words));
	const char *p = m->features;
	while (*p) {
		size_t n = strcspn(p, " ");
		char name[64];
		if (n && n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = 0;
			const vcpuid_libvirt_feature *f = vcpuid_libvirt_feature_find(name);
			if (f && f->word >= 0)
				out[f->word] |= 1ull << f->bit;
		}
		p += n;
		p += strspn(p, " ");
	}
}

bool vcpuid_libvirt_model_signature(const vcpuid_libvirt_model *m,
				    unsigned family, unsigned model,
				    unsigned stepping)
{
	const char *p = m->signatures;
	while (*p) {
		char *end;
		const char *start = p;
		unsigned long f = strtoul(p, &end, 10), mo = 0, s0 = 0, s1 = 15;
		if (*end == ':')
			mo = strtoul(end + 1, &end, 10);
		if (*end == ':') {
			s0 = strtoul(end + 1, &end, 10);
			s1 = s0;
			if (*end == '-')
				s1 = strtoul(end + 1, &end, 10);
		}
		if (f == family && mo == model && stepping >= s0 && stepping <= s1)
			return true;
		if (end == start)
			break;
		p = end + strspn(end, " ");
	}
	return false;
}

static const struct {
	const char *name, *string;
} lv_vendors[] = {
	{ "Intel", "GenuineIntel" },
	{ "AMD", "AuthenticAMD" },
	{ "Hygon", "HygonGenuine" },
};

const char *vcpuid_libvirt_vendor(const char *cpuid_vendor)
{
	for (size_t i = 0; cpuid_vendor && i < 3; i++)
		if (!strcmp(lv_vendors[i].string, cpuid_vendor))
			return lv_vendors[i].name;
	return NULL;
}

const char *vcpuid_libvirt_vendor_string(const char *libvirt_vendor)
{
	for (size_t i = 0; libvirt_vendor && i < 3; i++)
		if (!strcmp(lv_vendors[i].name, libvirt_vendor))
			return lv_vendors[i].string;
	return NULL;
}

const char *lv_machine_spec(const vcpuid_machine *m, char *buf, size_t len)
{
	snprintf(buf, len, "%s@%u.%u", m->name, m->qemu / 100, m->qemu % 100);
	return buf;
}
