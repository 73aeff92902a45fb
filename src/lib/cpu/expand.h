/* SPDX-License-Identifier: MIT */
/* The CPU object expansion builds (QEMU's X86CPU while it is realized),
 * shared by expand.c (realize), instance.c (instance init) and props.c
 * (its properties). Private to those files. */
#ifndef VCPUID_EXPAND_H
#define VCPUID_EXPAND_H

#include "stages.h"

/* How many compat knobs data/expand.def lists. */
enum {
	VE_NKNOBS = 0
#define COMPAT_KNOB(p, d) + 1
#include "data/expand.def"
};

struct ve_ctx {
	vcpuid_cpu *cpu;
	bool knob[VE_NKNOBS];	/* COMPAT_KNOB values, in expand.def order */
	const hq_view *hv;	/* the host view (hv->present: KVM to ask) */
	uint16_t qemu;
	bool max_features;
	bool legacy_cache;
	const char *typed;	/* the CPU type as typed: QEMU's class name */
	vcpuid_error *err;
};

/* An unset level / phys-bits value. */
#define UNSET 0xffffffffu

/* ---- instance.c ---- */
/* cpu->model and its version from a model name (model.c's resolution). */
int ve_resolve_model(vcpuid_cpu *cpu, const char *name, vcpuid_error *err);
/* Instance init: model, max, KVM defaults, machine compat, -cpu options. */
int ve_instance_init(struct ve_ctx *c, const vcpuid_spec *spec);

/* ---- props.c ---- */
/* One setter for every property source: model data, kvm defaults, machine
 * compat and the user's -cpu options. origin names the source in errors
 * ("-cpu", a machine type, "kvm default" or a model name). */
int ve_set_prop(struct ve_ctx *c, const char *name, const char *value,
		const char *origin);
/* avx10-version=v and what that version implies in release c->qemu. */
int ve_set_avx10_version(struct ve_ctx *c, uint64_t v, const char *origin);
/* The release has the AVX10 rules and the CPU has avx10 on. */
bool ve_avx10_on(const vcpuid_cpu *cpu, uint16_t qemu);
/* Every compat knob at its default; the value of one by name. */
void ve_knob_defaults(struct ve_ctx *c);
bool ve_knob(const struct ve_ctx *c, const char *prop);

#endif
