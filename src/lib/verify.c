/* SPDX-License-Identifier: MIT */
/* verify: what we asked KVM for (requested), what it kept (KVM_GET_CPUID2,
 * KVM_GET_MSRS) and what the probe guest saw (observed), register by
 * register, with differing bits named from the catalog. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "vcpuid/level.h"

static const char *const reg_names[4] = { "eax", "ebx", "ecx", "edx" };

/* ---- KVM's answer to a guest CPUID ---- */

static bool vendor_amd_like(const vcpuid_table *t)
{
	const vcpuid_cpuid_entry *e = vcpuid_table_lookup(t, 0, 0);
	if (!e)
		return false;
	/* "AuthenticAMD" / "HygonGenuine" in EBX, EDX, ECX */
	return (e->reg[VCPUID_EBX] == 0x68747541u && e->reg[VCPUID_ECX] == 0x444d4163u &&
		e->reg[VCPUID_EDX] == 0x69746e65u) ||
	       (e->reg[VCPUID_EBX] == 0x6f677948u && e->reg[VCPUID_ECX] == 0x656e6975u &&
		e->reg[VCPUID_EDX] == 0x6e65476eu);
}

/* The answer, and the leaf it came from (the max basic leaf when out of
 * range), whose run-time fix-ups then apply. */
static uint32_t answer(const vcpuid_table *t, uint32_t leaf, uint32_t subleaf,
		       uint32_t out[4]);

void vcpuid_kvm_cpuid_answer(const vcpuid_table *t, uint32_t leaf,
			     uint32_t subleaf, uint32_t out[4])
{
	answer(t, leaf, subleaf, out);
}

static uint32_t answer(const vcpuid_table *t, uint32_t leaf, uint32_t subleaf,
		       uint32_t out[4])
{
	memset(out, 0, 4 * sizeof(uint32_t));
	const vcpuid_cpuid_entry *e = vcpuid_table_lookup(t, leaf, subleaf);
	uint32_t fn = leaf;
	if (!e) {
		/* Outside its class's range, Intel-like vendors answer with the
		 * max basic leaf (same subleaf); AMD/Hygon answer zeros. */
		const vcpuid_cpuid_entry *basic = vcpuid_table_lookup(t, 0, 0);
		uint32_t cls = leaf >= 0x40000000u && leaf <= 0x4fffffffu ?
			       leaf & 0xffffff00u : leaf >= 0xc0000000u ?
			       0xc0000000u : leaf & 0x80000000u;
		const vcpuid_cpuid_entry *c = vcpuid_table_lookup(t, cls, 0);
		if (basic && !vendor_amd_like(t) &&
		    !(c && leaf <= c->reg[VCPUID_EAX])) {
			fn = basic->reg[VCPUID_EAX];
			e = vcpuid_table_lookup(t, fn, subleaf);
		}
	}
	if (e) {
		memcpy(out, e->reg, 4 * sizeof(uint32_t));
		return fn;
	}
	/* 0xB/0x1F: undefined subleaves pass ECX[7:0] and keep the x2APIC id */
	if (fn == 0xb || fn == 0x1f) {
		const vcpuid_cpuid_entry *s1 = vcpuid_table_lookup(t, fn, 1);
		if (s1) {
			out[VCPUID_ECX] = subleaf & 0xff;
			out[VCPUID_EDX] = s1->reg[VCPUID_EDX];
		}
	}
	return fn;
}

/* ---- text and JSON helpers ---- */

typedef struct buf {
	char *s;
	size_t n, cap;
} buf;

__attribute__((format(printf, 2, 3)))
static void bprintf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (need < 0)
		return;
	if (b->n + (size_t)need + 1 > b->cap) {
		size_t nc = (b->cap ? b->cap * 2 : 4096) + (size_t)need;
		char *ns = realloc(b->s, nc);
		if (!ns)
			return;
		b->s = ns;
		b->cap = nc;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)need;
}

static json_t *bit_names(uint32_t leaf, uint32_t sub, int reg, uint32_t mask,
			 char *txt, size_t len)
{
	json_t *a = json_array();
	int w = vcpuid_word_for_reg(leaf, sub, (enum vcpuid_reg)reg);
	size_t o = 0;
	if (len)
		txt[0] = 0;
	for (unsigned bit = 0; bit < 32; bit++) {
		if (!(mask & (1u << bit)))
			continue;
		const vcpuid_feature *f =
			w >= 0 ? vcpuid_feature_at((enum vcpuid_word)w, bit) : NULL;
		char nb[48];
		if (f)
			snprintf(nb, sizeof(nb), "%s", f->name);
		else
			snprintf(nb, sizeof(nb), "bit%u", bit);
		json_array_append_new(a, json_string(nb));
		if (o + strlen(nb) + 2 < len)
			o += (size_t)snprintf(txt + o, len - o, "%s%s", o ? " " : "", nb);
	}
	return a;
}

static void reg_location(uint32_t leaf, uint32_t sub, int reg, char *b, size_t n)
{
	snprintf(b, n, "CPUID.%02XH.%u:%s", leaf, sub, reg_names[reg]);
	for (char *p = strchr(b, ':') + 1; *p; p++)
		*p = (char)(*p - 'a' + 'A');
}

/* ---- one vCPU ---- */

typedef struct ctx {
	vcpuid_verify_result *r;
	buf text;
	json_t *launch;
} ctx;

static void compare_cpuid(ctx *c, const vcpuid_applied *a,
			  const vcpuid_probe_req *req, const vcpuid_observed *o,
			  bool have_obs, json_t *arr)
{
	for (size_t i = 0; i < req->ncpuid; i++) {
		uint32_t leaf = req->leaf[i], sub = req->subleaf[i];
		uint32_t rq[4], kp[4];
		uint32_t frq = answer(&a->requested, leaf, sub, rq);
		uint32_t fkp = answer(&a->kept, leaf, sub, kp);
		bool in_table = vcpuid_table_find(&a->requested, leaf, sub) ||
				vcpuid_table_find(&a->kept, leaf, sub);
		for (int reg = 0; reg < 4; reg++) {
			uint32_t rt = vcpuid_runtime_mask(frq, sub, (enum vcpuid_reg)reg) |
				      vcpuid_runtime_mask(fkp, sub, (enum vcpuid_reg)reg);
			uint32_t ov = (rq[reg] ^ kp[reg]) & ~rt;
			uint32_t mm = have_obs ? (o->cpuid[i][reg] ^ kp[reg]) & ~rt : 0;
			uint32_t rb = ((rq[reg] ^ kp[reg]) |
				       (have_obs ? o->cpuid[i][reg] ^ kp[reg] : 0)) & rt;
			json_t *j = json_object();
			json_object_set_new(j, "leaf", vj_hex32(leaf));
			json_object_set_new(j, "subleaf", vj_hex32(sub));
			json_object_set_new(j, "reg", json_string(reg_names[reg]));
			json_object_set_new(j, "in_table", json_boolean(in_table));
			json_object_set_new(j, "requested", vj_hex32(rq[reg]));
			json_object_set_new(j, "kept", vj_hex32(kp[reg]));
			json_object_set_new(j, "observed", have_obs ?
					    vj_hex32(o->cpuid[i][reg]) : json_null());
			char ovt[400], mmt[400], rtt[200], loc[40];
			json_object_set_new(j, "override_bits",
					    bit_names(leaf, sub, reg, ov, ovt, sizeof(ovt)));
			char tmp[8];
			json_object_set_new(j, "override_added",
					    bit_names(leaf, sub, reg, ov & kp[reg], tmp, 0));
			json_object_set_new(j, "override_removed",
					    bit_names(leaf, sub, reg, ov & rq[reg], tmp, 0));
			json_object_set_new(j, "mismatch_bits",
					    bit_names(leaf, sub, reg, mm, mmt, sizeof(mmt)));
			json_object_set_new(j, "runtime_bits",
					    bit_names(leaf, sub, reg, rb, rtt, sizeof(rtt)));
			const char *st = mm ? "mismatch" : ov ? "override" :
					 rb ? "runtime" : "ok";
			json_object_set_new(j, "status", json_string(st));
			json_array_append_new(arr, j);
			reg_location(leaf, sub, reg, loc, sizeof(loc));
			if (ov) {
				c->r->overrides++;
				char add[400], del[400];
				json_decref(bit_names(leaf, sub, reg, ov & kp[reg], add, sizeof(add)));
				json_decref(bit_names(leaf, sub, reg, ov & rq[reg], del, sizeof(del)));
				bprintf(&c->text, "  override  %-22s requested 0x%08x kept "
					"0x%08x%s:%s%s%s%s\n", loc, rq[reg], kp[reg],
					in_table ? "" : " (out of range)",
					*add ? " added: " : "", add,
					*del ? " removed: " : "", del);
			}
			if (mm) {
				c->r->mismatches++;
				bprintf(&c->text, "  MISMATCH  %-22s kept 0x%08x observed "
					"0x%08x: %s\n", loc, kp[reg], o->cpuid[i][reg], mmt);
			}
		}
	}
}

/* Entries of `from` that `other` lacks (an override of the entry list). */
static json_t *entry_diff(ctx *c, const vcpuid_table *from,
			  const vcpuid_table *other, const char *what)
{
	json_t *a = json_array();
	for (size_t i = 0; i < from->n; i++) {
		const vcpuid_cpuid_entry *e = &from->e[i];
		if (vcpuid_table_find(other, e->function, e->index))
			continue;
		json_t *j = json_object();
		json_object_set_new(j, "leaf", vj_hex32(e->function));
		json_object_set_new(j, "subleaf", vj_hex32(e->index));
		json_array_append_new(a, j);
		c->r->overrides++;
		bprintf(&c->text, "  override  entry 0x%x.%u %s (EAX..EDX 0x%08x "
			"0x%08x 0x%08x 0x%08x)\n", e->function, e->index, what,
			e->reg[0], e->reg[1], e->reg[2], e->reg[3]);
	}
	return a;
}

static const vcpuid_msr_probe *msr_gate(uint32_t index)
{
	size_t n;
	const vcpuid_msr_probe *p = vcpuid_msr_probes(&n);
	for (size_t i = 0; i < n; i++)
		if (p[i].index == index)
			return &p[i];
	return NULL;
}

static bool gate_set(const vcpuid_table *t, const vcpuid_msr_probe *g)
{
	if (!g || !g->leaf)
		return true;
	return vcpuid_table_reg(t, g->leaf, g->subleaf, g->reg) >> g->bit & 1;
}

static void compare_msrs(ctx *c, const vcpuid_applied *a,
			 const vcpuid_probe_req *req, const vcpuid_observed *o,
			 bool have_obs, json_t *arr)
{
	for (size_t i = 0; i < req->nmsrs; i++) {
		uint32_t idx = req->msr[i];
		const vcpuid_msr_apply *m = NULL;
		for (size_t k = 0; k < a->nmsrs; k++)
			if (a->msrs[k].index == idx)
				m = &a->msrs[k];
		const vcpuid_msr_probe *g = msr_gate(idx);
		json_t *j = json_object();
		json_object_set_new(j, "index", vj_hex32(idx));
		json_object_set_new(j, "name", json_string(g ? g->name : ""));
		char gl[48] = "";
		if (g && g->leaf) {
			reg_location(g->leaf, g->subleaf, g->reg, gl, sizeof(gl));
			snprintf(gl + strlen(gl), sizeof(gl) - strlen(gl), "[%u]", g->bit);
			json_object_set_new(j, "gate", json_string(gl));
			json_object_set_new(j, "gate_requested",
					    json_boolean(gate_set(&a->requested, g)));
			json_object_set_new(j, "gate_kept",
					    json_boolean(gate_set(&a->kept, g)));
		}
		json_object_set_new(j, "requested", m ? vj_hex64(m->value) : json_null());
		json_object_set_new(j, "accepted", m ? json_boolean(m->accepted) : json_null());
		if (m && !m->accepted && m->set_errno)
			json_object_set_new(j, "set_errno", json_integer(m->set_errno));
		json_object_set_new(j, "kept", m && m->read_ok ? vj_hex64(m->read) : json_null());
		char gv[40] = "not run";
		if (have_obs && o->msr_status[i] == 0)
			snprintf(gv, sizeof(gv), "0x%llx", (unsigned long long)o->msr_value[i]);
		else if (have_obs && (o->msr_status[i] & VCPUID_PROBE_FAULT) &&
			 o->msr_status[i] != VCPUID_PROBE_NOT_RUN)
			snprintf(gv, sizeof(gv), "#%s", (o->msr_status[i] & 0xff) == 13 ?
				 "GP" : (o->msr_status[i] & 0xff) == 6 ? "UD" : "fault");
		json_object_set_new(j, "observed", json_string(gv));
		const char *st = "ok";
		if (m && !m->accepted) {
			st = "refused";
			c->r->msr_refused++;
			bool dropped = g && gate_set(&a->requested, g) && !gate_set(&a->kept, g);
			bprintf(&c->text, "  REFUSED   MSR 0x%x (%s) value 0x%llx: "
				"KVM_SET_MSRS did not take it%s%s%s\n", idx,
				g ? g->name : "?", (unsigned long long)m->value,
				dropped ? "; the hypervisor dropped " : "",
				dropped ? gl : "", dropped ? " from the table it kept" : "");
			char lf[300];
			snprintf(lf, sizeof(lf), "vCPU %u: QEMU would abort: \"failed to "
				 "set MSR 0x%x to 0x%llx\" (KVM_SET_MSRS refused it%s%s%s)",
				 a->vcpu, idx, (unsigned long long)m->value,
				 dropped ? " because the hypervisor cleared " : "",
				 dropped ? gl : "", dropped ? " in the kept table" : "");
			json_array_append_new(c->launch, json_string(lf));
			c->r->launch_failures++;
		} else if (have_obs && m && m->read_ok && o->msr_status[i] == 0 &&
			   o->msr_value[i] != m->read) {
			st = "mismatch";
			c->r->msr_mismatches++;
			bprintf(&c->text, "  MISMATCH  MSR 0x%x kept 0x%llx, guest RDMSR "
				"0x%llx\n", idx, (unsigned long long)m->read,
				(unsigned long long)o->msr_value[i]);
		} else if (have_obs && g && g->leaf && !gate_set(&a->kept, g) &&
			   o->msr_status[i] == 0) {
			st = "ungated";
			bprintf(&c->text, "  note      MSR 0x%x readable in the guest "
				"although %s is clear\n", idx, gl);
		} else if (have_obs && g && g->leaf && !gate_set(&a->kept, g) &&
			   o->msr_status[i] != 0) {
			st = "gated";	/* #GP expected: the kept table lacks the gate */
		} else if (have_obs && m && m->accepted && o->msr_status[i] != 0) {
			st = "guest-fault";
			c->r->msr_mismatches++;
			bprintf(&c->text, "  MISMATCH  MSR 0x%x was set but guest RDMSR "
				"gives %s\n", idx, gv);
		}
		json_object_set_new(j, "status", json_string(st));
		json_array_append_new(arr, j);
	}
}

static const char *fault_name(uint32_t st, char *b, size_t n)
{
	if (st == VCPUID_PROBE_NOT_RUN)
		return "not-determinable";
	if (st == 0)
		return "ok";
	if (st == VCPUID_PROBE_EMULATION)
		return "not-determinable (KVM cannot emulate it)";
	unsigned v = st & 0xff;
	snprintf(b, n, "%s", v == 6 ? "#UD" : v == 13 ? "#GP" : v == 7 ? "#NM" : "#?");
	if (!strcmp(b, "#?"))
		snprintf(b, n, "vector%u", v);
	return b;
}

static void compare_insns(ctx *c, const vcpuid_applied *a,
			  const vcpuid_observed *o, json_t *arr)
{
	size_t n, emulated = 0;
	const vcpuid_insn_probe *p = vcpuid_insn_probes(&n);
	for (size_t i = 0; i < n && i < VCPUID_PROBE_MAX_INSNS; i++)
		emulated += o->insn[i] == VCPUID_PROBE_EMULATION;
	if (emulated)
		bprintf(&c->text, "  note      KVM emulates this guest's instructions "
			"(it could not emulate %zu of %zu probes, e.g. PVM outside "
			"64-bit mode): the results are KVM's emulator's, not the "
			"CPU's\n", emulated, n);
	for (size_t i = 0; i < n && i < VCPUID_PROBE_MAX_INSNS; i++) {
		bool claimed = vcpuid_table_reg(&a->kept, p[i].leaf, p[i].subleaf,
						p[i].reg) & p[i].mask;
		char fb[16];
		const char *res = fault_name(o->insn[i], fb, sizeof(fb));
		json_t *j = json_object();
		json_object_set_new(j, "name", json_string(p[i].name));
		json_object_set_new(j, "feature", json_string(p[i].feature));
		json_object_set_new(j, "claimed", json_boolean(claimed));
		json_object_set_new(j, "result", json_string(res));
		if (claimed && o->insn[i] != 0 && o->insn[i] != VCPUID_PROBE_NOT_RUN &&
		    o->insn[i] != VCPUID_PROBE_EMULATION) {
			c->r->insn_faults++;
			bprintf(&c->text, "  !!! WARNING: vCPU %u: the table claims %s but "
				"%s raises %s in the guest !!!\n", a->vcpu,
				p[i].feature, p[i].name, res);
		} else if (!claimed && o->insn[i] == 0) {
			bprintf(&c->text, "  note      %s works although %s is not "
				"claimed\n", p[i].name, p[i].feature);
		}
		json_array_append_new(arr, j);
	}
}

/* The level inside the guest: the CPUID answers it got (each with the kept
 * entry's flags, for KVM's lookup rule) and the XCR0 it ended with; without
 * a working CR4.OSXSAVE/XSETBV the OS could enable nothing (XCR0 = 0). */
static json_t *level_json(ctx *c, const vcpuid_applied *a,
			  const vcpuid_probe_req *req, const vcpuid_observed *o)
{
	vcpuid_table t;
	vcpuid_table_init(&t);
	for (size_t i = 0; i < req->ncpuid; i++) {
		const vcpuid_cpuid_entry *k = vcpuid_table_find(&a->kept, req->leaf[i],
								req->subleaf[i]);
		if (!vcpuid_table_add(&t, req->leaf[i], req->subleaf[i],
				      k ? k->flags : 0, o->cpuid[i][0], o->cpuid[i][1],
				      o->cpuid[i][2], o->cpuid[i][3]))
			break;
	}
	/* Where KVM cannot emulate CR4/XGETBV for this guest (PVM outside
	 * 64-bit mode) the XCR0 is not observable: take what the guest's
	 * CPUID.0DH.0 offers, which an OS enables, and say so. */
	bool xcr0_ok = o->xsave_status == 0 && o->xsetbv_status == 0;
	bool guessed = o->xsave_status == VCPUID_PROBE_EMULATION ||
		       o->xsetbv_status == VCPUID_PROBE_EMULATION;
	uint64_t xcr0 = xcr0_ok ? o->xcr0_final : 0;
	if (guessed)
		xcr0 = vcpuid_table_reg(&t, 0xd, 0, VCPUID_EAX) |
		       (uint64_t)vcpuid_table_reg(&t, 0xd, 0, VCPUID_EDX) << 32;
	int seen = vcpuid_level_of_observed(&t, xcr0);
	int kept = vcpuid_level_of_table(&a->kept);
	vcpuid_table_free(&t);
	if (c->r->level < 0 || seen < c->r->level)
		c->r->level = seen;
	char x[24];
	snprintf(x, sizeof(x), "0x%llx", (unsigned long long)xcr0);
	bprintf(&c->text, "  level     %s in the guest (its CPUID answers, %s "
		"XCR0=%s)%s%s\n", vcpuid_level_name(seen),
		guessed ? "XGETBV not determinable here, CPUID.0DH.0's" : "XGETBV", x,
		seen != kept ? "; the kept table says " : "",
		seen != kept ? vcpuid_level_name(kept) : "");
	return json_pack("{s:s, s:s, s:s, s:s}", "observed", vcpuid_level_name(seen),
			 "kept_table", vcpuid_level_name(kept), "xcr0", x,
			 "xcr0_from", guessed ? "cpuid" : "xgetbv");
}

static json_t *xsave_json(const vcpuid_observed *o)
{
	char b[16];
	json_t *j = json_object();
	json_object_set_new(j, "cr4_osxsave", json_string(fault_name(o->xsave_status, b, sizeof(b))));
	if (o->xsave_status == 0) {
		json_object_set_new(j, "xcr0_initial", vj_hex64(o->xcr0_initial));
		json_object_set_new(j, "osxsave_follows_cr4",
				    json_boolean(o->leaf1_ecx_osxsave >> 27 & 1));
		json_object_set_new(j, "xsetbv", json_string(fault_name(o->xsetbv_status, b, sizeof(b))));
		json_object_set_new(j, "xcr0_final", vj_hex64(o->xcr0_final));
	}
	json_object_set_new(j, "kvm_xcr0", o->has_kvm_xcr0 ? vj_hex64(o->kvm_xcr0) : json_null());
	return j;
}

void vcpuid_verify_result_free(vcpuid_verify_result *r)
{
	free(r->json);
	free(r->text);
	vcpuid_applied_free(&r->first);
	memset(r, 0, sizeof(*r));
}

int vcpuid_verify(const vcpuid_vcpu *vcpus, size_t n,
		  const vcpuid_verify_opts *opts, vcpuid_verify_result *out,
		  vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!n || n > VCPUID_MAX_VCPUS)
		return vcpuid_fail(err, VCPUID_E_LIMIT, "verify: %zu vCPUs, 1..%d "
				   "possible", n, VCPUID_MAX_VCPUS);
	vcpuid_vm vm;
	int rc = vcpuid_vm_create(&vm, (unsigned)n, err);
	if (rc)
		return rc;
	ctx c = { .r = out };
	out->level = out->level_table = -1;
	c.launch = json_array();
	json_t *root = json_object(), *jv = json_array();
	json_object_set_new(root, "device", json_string(vm.device));
	json_object_set_new(root, "guest_run", json_boolean(opts->run_guest));
	vcpuid_probe_req *req = malloc(sizeof(*req));
	vcpuid_observed *obs = malloc(sizeof(*obs));
	if (!req || !obs) {
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "verify: out of memory");
		goto done;
	}
	for (size_t v = 0; v < n; v++) {
		vcpuid_applied a;
		vcpuid_error aerr = { 0 };
		int arc = vcpuid_apply(&vm, (unsigned)v, &vcpus[v], &a, &aerr);
		bprintf(&c.text, "vCPU %zu (APIC id %u):\n", v, vcpus[v].apic_id);
		json_t *jo = json_object();
		json_object_set_new(jo, "vcpu", json_integer((json_int_t)v));
		json_object_set_new(jo, "apic_id", json_integer(vcpus[v].apic_id));
		json_object_set_new(jo, "cpuid_set", json_boolean(a.cpuid_set));
		json_object_set_new(jo, "apply_error", arc ? json_string(aerr.msg) : json_null());
		json_array_append_new(jv, jo);
		if (!a.cpuid_set) {
			/* QEMU cannot start a vCPU whose table KVM refuses */
			bprintf(&c.text, "  FAILED    %s\n", aerr.msg);
			char lf[600];
			snprintf(lf, sizeof(lf), "vCPU %zu: QEMU would abort: %s", v, aerr.msg);
			json_array_append_new(c.launch, json_string(lf));
			out->launch_failures++;
			if (v == 0 && arc == VCPUID_E_KVM)
				out->first = a;
			else
				vcpuid_applied_free(&a);
			if (arc != VCPUID_E_KVM) {
				rc = arc;
				if (err)
					*err = aerr;
				goto done;
			}
			continue;
		}
		vcpuid_table both;
		vcpuid_table_copy(&both, &a.requested);
		for (size_t k = 0; k < a.kept.n; k++)
			if (!vcpuid_table_find(&both, a.kept.e[k].function, a.kept.e[k].index))
				vcpuid_table_add(&both, a.kept.e[k].function, a.kept.e[k].index,
						 a.kept.e[k].flags, 0, 0, 0, 0);
		rc = vcpuid_probe_req_build(&both, &vcpus[v].msrs, req, err);
		vcpuid_table_free(&both);
		if (rc) {
			vcpuid_applied_free(&a);
			goto done;
		}
		req->flags = opts->probe_flags;
		req->timeout_ms = opts->timeout_ms;
		bool have_obs = false;
		json_t *jg = json_object();
		if (opts->run_guest) {
			vcpuid_error gerr = { 0 };
			int grc = vcpuid_probe_run(&vm, (unsigned)v, req, obs, &gerr);
			have_obs = grc == 0;
			json_object_set_new(jg, "ran", json_boolean(have_obs));
			json_object_set_new(jg, "error", grc ? json_string(gerr.msg) : json_null());
			if (grc) {
				bprintf(&c.text, "  GUEST     %s\n", gerr.msg);
				if (!out->guest_error)
					out->guest_error = grc;
			} else {
				json_object_set_new(jg, "xsave", xsave_json(obs));
				json_object_set_new(jg, "x86_64_level",
						    level_json(&c, &a, req, obs));
				uint32_t l1[4] = { 0 };
				for (size_t i = 0; i < req->ncpuid; i++)
					if (req->leaf[i] == 1 && req->subleaf[i] == 0)
						memcpy(l1, obs->cpuid[i], sizeof(l1));
				json_object_set_new(jg, "apic_id_observed",
						    json_integer(l1[VCPUID_EBX] >> 24));
			}
		}
		int lt = vcpuid_level_of_table(&a.kept);
		if (out->level_table < 0 || lt < out->level_table)
			out->level_table = lt;
		json_object_set_new(jo, "guest", jg);
		json_object_set_new(jo, "dropped_entries", entry_diff(&c, &a.requested,
				    &a.kept, "dropped by KVM"));
		json_object_set_new(jo, "added_entries", entry_diff(&c, &a.kept,
				    &a.requested, "added by KVM"));
		json_t *jc = json_array(), *jm = json_array(), *ji = json_array();
		compare_cpuid(&c, &a, req, obs, have_obs, jc);
		compare_msrs(&c, &a, req, obs, have_obs, jm);
		if (have_obs)
			compare_insns(&c, &a, obs, ji);
		json_object_set_new(jo, "cpuid", jc);
		json_object_set_new(jo, "msrs", jm);
		json_object_set_new(jo, "instructions", ji);
		if (v == 0)
			out->first = a;
		else
			vcpuid_applied_free(&a);
	}
	rc = 0;
done:
	free(req);
	free(obs);
	vcpuid_vm_destroy(&vm);
	json_object_set_new(root, "vcpus", jv);
	json_object_set_new(root, "launch_failures", c.launch);
	json_t *s = json_object();
	json_object_set_new(s, "overrides", json_integer((json_int_t)out->overrides));
	json_object_set_new(s, "mismatches", json_integer((json_int_t)out->mismatches));
	json_object_set_new(s, "msr_refused", json_integer((json_int_t)out->msr_refused));
	json_object_set_new(s, "msr_mismatches", json_integer((json_int_t)out->msr_mismatches));
	json_object_set_new(s, "insn_faults", json_integer((json_int_t)out->insn_faults));
	json_object_set_new(s, "launch_failures", json_integer((json_int_t)out->launch_failures));
	json_object_set_new(s, "guest_error", out->guest_error ?
			    json_string(vcpuid_status_name(out->guest_error)) : json_null());
	json_object_set_new(s, "x86_64_level", out->level >= 0 ?
			    json_string(vcpuid_level_name(out->level)) : json_null());
	json_object_set_new(root, "summary", s);
	if (json_array_size(c.launch))
		snprintf(out->first_launch_failure, sizeof(out->first_launch_failure),
			 "%s", json_string_value(json_array_get(c.launch, 0)));
	if (!rc) {
		out->json = vj_dump(root);
		bprintf(&c.text, "summary: %zu override(s), %zu mismatch(es), %zu refused "
			"MSR(s), %zu MSR mismatch(es), %zu claimed instruction(s) "
			"faulting, %zu launch failure(s)%s\n", out->overrides,
			out->mismatches, out->msr_refused, out->msr_mismatches,
			out->insn_faults, out->launch_failures,
			out->guest_error ? ", the guest FAILED" : "");
		out->text = c.text.s;
		c.text.s = NULL;
		if (!out->json || !out->text)
			rc = vcpuid_fail(err, VCPUID_E_NOMEM, "verify: out of memory");
	}
	free(c.text.s);
	json_decref(root);
	if (rc)
		vcpuid_applied_free(&out->first);
	return rc;
}
