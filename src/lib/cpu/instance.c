/* SPDX-License-Identifier: MIT */
/* The CPU object's instance init, before realize (expand.c): the model
 * resolved and loaded with its version properties, QEMU's max/host data,
 * kvm_cpu_instance_init (host vendor, kvm_default_props), the machine's
 * compat properties and the user's -cpu options, set through props.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpu/expand.h"
#include "host/query.h"

static const struct { const char *prop, *value; } kvm_defaults[] = {
#define KVM_DEFAULT(p, v) { p, v },
#include "data/expand.def"
};

/* ---- model resolution: model.c's vcpuid_model_resolve ---- */
int ve_resolve_model(vcpuid_cpu *cpu, const char *name, vcpuid_error *err)
{
	vcpuid_model_ref ref;
	int rc = vcpuid_model_resolve(name, cpu->machine, &ref, err);
	if (rc)
		return rc;
	if (ref.kind == VCPUID_TYPE_SPECIAL) {
		cpu->is_host = !strcmp(name, "host");
		cpu->is_max = !strcmp(name, "max");
		cpu->is_base = !strcmp(name, "base");
		snprintf(cpu->name, sizeof(cpu->name), "%s", name);
		return 0;
	}
	cpu->model = ref.def;
	cpu->version = ref.version;
	snprintf(cpu->name, sizeof(cpu->name), "%s-v%d", ref.def->name,
		 ref.version);
	return 0;
}

/* ---- host facts (QEMU reads the CPUID instruction directly) ---- */
static void host_max_init(struct ve_ctx *c)
{
	vcpuid_cpu *cpu = c->cpu;
	const hq_view *h = c->hv;
	cpu->host_phys_bits = true;
	memcpy(cpu->vendor, h->vendor, sizeof(h->vendor));
	cpu->family = h->family;
	cpu->model_num = h->model;
	cpu->stepping = h->stepping;
	memcpy(cpu->model_id, h->brand, sizeof(h->brand));
	cpu->model_id[sizeof(h->brand)] = 0;
	cpu->min_level = vf_supported_reg(h, c->qemu, 0, 0, VCPUID_EAX);
	cpu->min_xlevel = vf_supported_reg(h, c->qemu, 0x80000000, 0, VCPUID_EAX);
	cpu->min_xlevel2 = vf_supported_reg(h, c->qemu, 0xC0000000, 0, VCPUID_EAX);
}

/* QEMU's size of each XSAVE component (data/xsave_sizes.def). */
static const struct { unsigned comp; uint32_t size; } xsave_sizes[] = {
#define XSAVE_SIZE(n, size) { n, size },
#include "data/xsave_sizes.def"
#undef XSAVE_SIZE
};

/* kvm_cpu_xsave_init as the QEMU 11.1 binary runs it (every machine type;
 * vcpuid gives it to releases 8.0 on, the release not pinned):
 * for each component of KVM's XCR0 (supported 0xD.0 EAX/EDX, after the
 * XCOMP_GUEST_SUPP fixup) that QEMU knows, a non-zero size from the CPUID
 * instruction (0xD.n EAX) must be QEMU's, else QEMU aborts ("Assertion
 * `esa->size == eax' failed"), whatever the CPU model. Seen with the 11.1
 * random differential: libcpuid Zen 2 dumps report component 9 with 0x40
 * bytes; the CPUID instruction decides, not the supported table. */
static int xsave_sizes_match(const struct ve_ctx *c)
{
	uint64_t xcr0 = vf_supported_reg(c->hv, c->qemu, 0xD, 0, VCPUID_EAX) |
			(uint64_t)vf_supported_reg(c->hv, c->qemu, 0xD, 0,
						   VCPUID_EDX) << 32;
	for (size_t i = 0; i < ARRAY_SIZE(xsave_sizes); i++) {
		unsigned n = xsave_sizes[i].comp;
		if (n < 2 || n >= 64 || !(xcr0 >> n & 1))
			continue;
		uint32_t eax = c->hv->xsave_eax[n];
		if (eax && eax != xsave_sizes[i].size)
			return vcpuid_fail(c->err, VCPUID_E_KVM,
					   "host: CPUID.0xD.%u EAX says XSAVE "
					   "component %u is %u bytes, QEMU's is "
					   "%u: QEMU aborts in kvm_cpu_xsave_init",
					   n, n, eax, xsave_sizes[i].size);
	}
	return 0;
}

/* ---- instance init: model, max, KVM, compat, user options ---- */
static int version_prop(const vcpuid_prop *p, int version, void *ctx)
{
	struct ve_ctx *c = ctx;
	(void)version;
	return ve_set_prop(c, p->name, p->value, c->cpu->model->name);
}

/* A model's feature list as words: made when the library is built
 * (gen_model_words.c writes model_words.h from data/models*.c). */
#include "model_words.h"

const uint64_t *ve_model_words(const vcpuid_model_def *d)
{
	size_t n;
	const vcpuid_model_def *all = vcpuid_models(&n);
	for (size_t i = 0; i < n && i < MODEL_WORDS_N; i++)
		if (d == &all[i])
			return model_feature_words[i];
	return NULL;
}

static int load_model(struct ve_ctx *c)
{
	vcpuid_cpu *cpu = c->cpu;
	const vcpuid_model_def *d = cpu->model;
	cpu->min_level = d->level;
	cpu->min_xlevel = d->xlevel;
	cpu->family = d->family;
	cpu->model_num = d->model;
	cpu->stepping = d->stepping;
	snprintf(cpu->model_id, sizeof(cpu->model_id), "%s", d->model_id);
	const uint64_t *fw = ve_model_words(d);
	if (!fw)
		return vcpuid_fail(c->err, VCPUID_E_UNKNOWN,
				   "model %s: not in the catalog", d->name);
	memcpy(cpu->features, fw, sizeof(cpu->features));
	cpu->cache = vcpuid_model_cache_in(d, 0, c->qemu);
	cpu->features[VCPUID_W_1_ECX] |= 1u << 31; /* hypervisor */
	snprintf(cpu->vendor, sizeof(cpu->vendor), "%s", d->vendor);
	if (cpu->version > 0) {
		int rc = vcpuid_model_version_props(d, cpu->version,
						    version_prop, c);
		if (rc)
			return rc;
		cpu->cache = vcpuid_model_cache_in(d, cpu->version, c->qemu);
	}
	/* legacy-cache defaults to off when the model has a cache table: QEMU
	 * 7.2 asks the base model, QEMU 11.1 (machine types 8.0+) the version
	 * resolved (x86_cpu_get_versioned_cache_info) */
	c->legacy_cache = c->qemu > 702 ? !cpu->cache
					 : !vcpuid_model_cache_in(d, 0, c->qemu);
	memset(cpu->user_on, 0, sizeof(cpu->user_on));
	memset(cpu->user_off, 0, sizeof(cpu->user_off));
	return 0;
}

static bool compat_applies(const vcpuid_compat *cp, const vcpuid_cpu *cpu,
			   const char *typed)
{
	if (!strcmp(cp->driver, "*"))
		return true;
	size_t len = strlen(cp->driver);
	static const char sfx[] = "-x86_64-cpu";
	if (len > sizeof(sfx) - 1 && !strcmp(cp->driver + len - (sizeof(sfx) - 1), sfx))
		len -= sizeof(sfx) - 1;
	if (len == 7 && !strncmp(cp->driver, "x86_64-", 7)) /* never */
		return false;
	(void)cpu;
	return strlen(typed) == len && !strncmp(cp->driver, typed, len);
}

int ve_instance_init(struct ve_ctx *c, const vcpuid_spec *spec)
{
	vcpuid_cpu *cpu = c->cpu;
	/* defaults of x86_cpu_properties */
	cpu->level = cpu->xlevel = cpu->xlevel2 = UNSET;
	cpu->check = true;
	cpu->kvm = true;
	cpu->l3_cache = true;
	cpu->full_cpuid_auto_level = true;
	cpu->vendor_cpuid_only = true;
	c->legacy_cache = true;
	ve_knob_defaults(c);
	if (cpu->model) {
		int rc = load_model(c);
		if (rc)
			return rc;
	}
	if (cpu->is_max || cpu->is_host) { /* max_x86_cpu_initfn */
		c->max_features = true;
		cpu->migratable = true;
		cpu->pmu = true;
		snprintf(cpu->vendor, sizeof(cpu->vendor), "AuthenticAMD");
		cpu->family = 15;
		cpu->model_num = 107;
		cpu->stepping = 1;
		snprintf(cpu->model_id, sizeof(cpu->model_id),
			 "QEMU TCG CPU version 2.5+");
	}
	if (c->hv->present && c->qemu >= 800) {
		int rc = xsave_sizes_match(c);
		if (rc)
			return rc;
	}
	if (c->hv->present) { /* kvm_cpu_instance_init */
		/* from QEMU 10.1 every CPU type takes the host's vendor here,
		 * `base` too (host_cpu_instance_init, July 2025) */
		if (!cpu->model && c->qemu >= 1001)
			memcpy(cpu->vendor, c->hv->vendor, sizeof(c->hv->vendor));
		if (cpu->model) {
			memcpy(cpu->vendor, c->hv->vendor, sizeof(c->hv->vendor));
			for (size_t i = 0; i < ARRAY_SIZE(kvm_defaults); i++) {
				int rc = ve_set_prop(c, kvm_defaults[i].prop,
						  kvm_defaults[i].value,
						  "kvm default");
				if (rc)
					return rc;
			}
		}
		if (c->max_features)
			host_max_init(c);
	}
	for (const vcpuid_compat *cp = cpu->machine->compat; cp && cp->driver;
	     cp++) {
		if (!compat_applies(cp, cpu, spec->model))
			continue;
		int rc = ve_set_prop(c, cp->prop, cp->value, cpu->machine->name);
		if (rc)
			return rc;
	}
	/* the user's -cpu options (qdev globals) */
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		cpu->features[w] |= spec->on[w];
		cpu->features[w] &= ~spec->off[w];
		cpu->user_on[w] |= spec->on[w];
		cpu->user_on[w] &= ~spec->off[w];
		cpu->user_off[w] |= spec->off[w];
		cpu->user_off[w] &= ~spec->on[w];
	}
	for (size_t i = 0; i < spec->nprops; i++) {
		int rc = ve_set_prop(c, spec->props[i].name, spec->props[i].value,
				  "-cpu");
		if (rc)
			return rc;
	}
	return 0;
}
