/* SPDX-License-Identifier: MIT */
/* guest_prober: load the in-guest prober (guest/prober.S) into a scratch VM,
 * hand it the list of CPUID leaves and MSRs to try, run it on one vCPU under
 * a timeout and collect what it observed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/kvm.h>
#include "internal.h"
#include "vcpuid/apply.h"
#include "guest/prober_layout.h"

extern const uint8_t vcpuid_probe_guest[], vcpuid_probe_guest_end[];

#define REQ_MAGIC 0x76637075u /* "vcpu" */
#define KICK_SIGNAL (SIGRTMIN + 3)

/* ---- the request ---- */

static bool req_has(const vcpuid_probe_req *r, uint32_t leaf, uint32_t sub)
{
	for (size_t i = 0; i < r->ncpuid; i++)
		if (r->leaf[i] == leaf && r->subleaf[i] == sub)
			return true;
	return false;
}

static int req_add(vcpuid_probe_req *r, uint32_t leaf, uint32_t sub,
		   vcpuid_error *err)
{
	if (req_has(r, leaf, sub))
		return 0;
	if (r->ncpuid >= VCPUID_PROBE_MAX_CPUID)
		return vcpuid_fail(err, VCPUID_E_LIMIT,
				   "probe: more than %d CPUID leaves to probe",
				   VCPUID_PROBE_MAX_CPUID);
	r->leaf[r->ncpuid] = leaf;
	r->subleaf[r->ncpuid++] = sub;
	return 0;
}

static int msr_add(vcpuid_probe_req *r, uint32_t msr, vcpuid_error *err)
{
	for (size_t i = 0; i < r->nmsrs; i++)
		if (r->msr[i] == msr)
			return 0;
	if (r->nmsrs >= VCPUID_PROBE_MAX_MSRS)
		return vcpuid_fail(err, VCPUID_E_LIMIT,
				   "probe: more than %d MSRs to probe",
				   VCPUID_PROBE_MAX_MSRS);
	r->msr[r->nmsrs++] = msr;
	return 0;
}

int vcpuid_probe_req_build(const vcpuid_table *t, const vcpuid_msr_list *m,
			   vcpuid_probe_req *req, vcpuid_error *err)
{
	memset(req, 0, sizeof(*req));
	int rc;
	for (size_t i = 0; i < t->n; i++)
		if ((rc = req_add(req, t->e[i].function, t->e[i].index, err)))
			return rc;
	/* out of range: past each class's maximum */
	static const uint32_t classes[] = { 0, 0x80000000u, 0xc0000000u };
	for (size_t c = 0; c < ARRAY_SIZE(classes); c++) {
		const vcpuid_cpuid_entry *e = vcpuid_table_lookup(t, classes[c], 0);
		if (e && (rc = req_add(req, e->reg[VCPUID_EAX] + 1, 0, err)))
			return rc;
	}
	const vcpuid_cpuid_entry *hv = vcpuid_table_lookup(t, 0x40000000u, 0);
	if ((rc = req_add(req, hv ? hv->reg[VCPUID_EAX] + 1 : 0x40000002u, 0, err)) ||
	    (rc = req_add(req, 0x40000100u, 0, err)))
		return rc;
	/* one subleaf past the last of each indexed leaf */
	for (size_t i = 0; i < t->n; i++) {
		const vcpuid_cpuid_entry *e = &t->e[i];
		if (!(e->flags & VCPUID_FLAG_SIGNIFICANT_INDEX))
			continue;
		uint32_t last = 0;
		for (size_t j = 0; j < t->n; j++)
			if (t->e[j].function == e->function && t->e[j].index > last)
				last = t->e[j].index;
		if ((rc = req_add(req, e->function, last + 1, err)))
			return rc;
	}
	if (m)
		for (size_t i = 0; i < m->n; i++)
			if ((rc = msr_add(req, m->m[i].index, err)))
				return rc;
	size_t n;
	const vcpuid_msr_probe *p = vcpuid_msr_probes(&n);
	for (size_t i = 0; i < n; i++)
		if ((rc = msr_add(req, p[i].index, err)))
			return rc;
	return 0;
}

/* ---- running a vCPU under a timeout ---- */

static volatile struct kvm_run *volatile kick_run;

static void on_kick(int sig)
{
	(void)sig;
	struct kvm_run *r = (struct kvm_run *)kick_run;
	if (r)
		r->immediate_exit = 1;
}

static inline uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void load(vcpuid_vm *vm, unsigned vcpu, const vcpuid_probe_req *req)
{
	size_t len = (size_t)(vcpuid_probe_guest_end - vcpuid_probe_guest);
	memcpy(vm->mem + PG_CODE, vcpuid_probe_guest, len);
	uint8_t *q = vm->mem + PG_REQ;
	wr32(q + PG_REQ_MAGIC, REQ_MAGIC);
	wr32(q + PG_REQ_NCPUID, (uint32_t)req->ncpuid);
	wr32(q + PG_REQ_NMSR, (uint32_t)req->nmsrs);
	wr32(q + PG_REQ_FLAGS, req->flags);
	for (size_t i = 0; i < req->ncpuid; i++) {
		wr32(q + PG_REQ_CPUID + 8 * i, req->leaf[i]);
		wr32(q + PG_REQ_CPUID + 8 * i + 4, req->subleaf[i]);
	}
	for (size_t i = 0; i < req->nmsrs; i++)
		wr32(q + PG_REQ_MSR + 4 * i, req->msr[i]);
	uint8_t *r = vm->mem + PG_RES + (size_t)vcpu * PG_RES_STRIDE;
	memset(r, 0, PG_RES_STRIDE);
	wr32(r + R_XSAVE_STATUS, VCPUID_PROBE_NOT_RUN);
	wr32(r + R_XSETBV_STATUS, VCPUID_PROBE_NOT_RUN);
	for (unsigned i = 0; i < VCPUID_PROBE_MAX_INSNS; i++)
		wr32(r + R_INSN + 4 * i, VCPUID_PROBE_NOT_RUN);
	for (size_t i = 0; i < req->nmsrs; i++)
		wr32(r + R_MSR + 16 * i, VCPUID_PROBE_NOT_RUN);
}

static int set_entry_state(vcpuid_vm *vm, unsigned vcpu, vcpuid_error *err)
{
	int fd = vm->vcpu_fd[vcpu];
	struct kvm_sregs s;
	if (ioctl(fd, KVM_GET_SREGS, &s) < 0)
		return vcpuid_fail(err, VCPUID_E_KVM, "kvm: KVM_GET_SREGS failed: "
				   "%s (errno %d): vCPU %u", strerror(errno),
				   errno, vcpu);
	struct kvm_segment *seg[] = { &s.cs, &s.ds, &s.es, &s.fs, &s.gs, &s.ss };
	for (size_t i = 0; i < ARRAY_SIZE(seg); i++) {
		seg[i]->base = 0;
		seg[i]->selector = 0;
	}
	if (ioctl(fd, KVM_SET_SREGS, &s) < 0)
		return vcpuid_fail(err, VCPUID_E_KVM, "kvm: KVM_SET_SREGS failed: "
				   "%s (errno %d): vCPU %u (real mode, CS=0)",
				   strerror(errno), errno, vcpu);
	struct kvm_regs r = { 0 };
	r.rip = PG_CODE;
	r.rflags = 0x2;
	r.rsi = PG_RES + (uint64_t)vcpu * PG_RES_STRIDE;
	r.rsp = PG_STACK + (uint64_t)(vcpu + 1) * PG_STACK_SIZE;
	if (ioctl(fd, KVM_SET_REGS, &r) < 0)
		return vcpuid_fail(err, VCPUID_E_KVM, "kvm: KVM_SET_REGS failed: "
				   "%s (errno %d): vCPU %u", strerror(errno),
				   errno, vcpu);
	/* With the in-kernel irqchip the other vCPUs wait for INIT-SIPI;
	 * make each runnable at our entry point directly. */
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
	if (ioctl(fd, KVM_SET_MP_STATE, &mp) < 0)
		return vcpuid_fail(err, VCPUID_E_KVM, "kvm: KVM_SET_MP_STATE "
				   "failed: %s (errno %d): vCPU %u",
				   strerror(errno), errno, vcpu);
	return 0;
}

static uint64_t guest_rip(vcpuid_vm *vm, unsigned vcpu)
{
	struct kvm_regs r;
	if (ioctl(vm->vcpu_fd[vcpu], KVM_GET_REGS, &r) < 0)
		return ~0ull;
	return r.rip;
}

static const char *stage_name(uint32_t st)
{
	static const char *const n[] = { "real mode", "protected mode",
		"CPUID", "RDMSR", "XSAVE", "instructions", "done" };
	return st < ARRAY_SIZE(n) ? n[st] : "?";
}

static int resume_at_catcher(vcpuid_vm *vm, unsigned vcpu)
{
	uint8_t *res = vm->mem + PG_RES + (size_t)vcpu * PG_RES_STRIDE;
	struct kvm_regs r;
	if (ioctl(vm->vcpu_fd[vcpu], KVM_GET_REGS, &r) < 0)
		return -1;
	r.rip = rd32(res + R_RECOVER);
	r.rsp = rd32(res + R_SAVED_ESP);
	wr32(res + R_FAULT_VEC, VCPUID_PROBE_EMULATION & 0xff);
	wr32(res + R_RECOVER, 0);
	return ioctl(vm->vcpu_fd[vcpu], KVM_SET_REGS, &r) < 0 ? -1 : 0;
}

static int run_loop(vcpuid_vm *vm, unsigned vcpu, unsigned timeout_ms,
		    const uint8_t *res, vcpuid_error *err)
{
	struct kvm_run *run = vm->run[vcpu];
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = 0;
	for (;;) {
		int r = ioctl(vm->vcpu_fd[vcpu], KVM_RUN, 0);
		int e = errno;
		uint32_t st = rd32(res + R_STAGE);
		if (r < 0 && (e == EINTR || e == EAGAIN)) {
			struct timespec t1;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			long ms = (t1.tv_sec - t0.tv_sec) * 1000 +
				  (t1.tv_nsec - t0.tv_nsec) / 1000000;
			if (run->immediate_exit || ms >= (long)timeout_ms) {
				run->immediate_exit = 0;
				return vcpuid_fail(err, VCPUID_E_GUEST,
						   "guest: vCPU %u did not finish within "
						   "%u ms (stage %s, RIP 0x%llx)", vcpu,
						   timeout_ms, stage_name(st),
						   (unsigned long long)guest_rip(vm, vcpu));
			}
			continue;
		}
		if (r < 0)
			return vcpuid_fail(err, VCPUID_E_KVM, "kvm: KVM_RUN failed: "
					   "%s (errno %d): vCPU %u (stage %s)",
					   strerror(e), e, vcpu, stage_name(st));
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (run->io.port == PG_PORT_DONE &&
			    run->io.direction == KVM_EXIT_IO_OUT)
				return 0;
			if (run->io.port == PG_PORT_FAULT)
				return vcpuid_fail(err, VCPUID_E_GUEST,
						   "guest: vCPU %u: unexpected exception "
						   "vector %u in stage %s (stack 0x%x 0x%x)",
						   vcpu, rd32(res + R_FAULT_VEC),
						   stage_name(st), rd32(res + R_UNEXP0),
						   rd32(res + R_UNEXP1));
			return vcpuid_fail(err, VCPUID_E_GUEST,
					   "guest: vCPU %u: unexpected %s of port "
					   "0x%x in stage %s", vcpu,
					   run->io.direction == KVM_EXIT_IO_OUT ?
					   "OUT" : "IN", run->io.port, stage_name(st));
		case KVM_EXIT_SHUTDOWN:
			return vcpuid_fail(err, VCPUID_E_GUEST,
					   "guest: vCPU %u shut down (triple fault, "
					   "KVM_EXIT_SHUTDOWN) in stage %s, RIP 0x%llx",
					   vcpu, stage_name(st),
					   (unsigned long long)guest_rip(vm, vcpu));
		case KVM_EXIT_INTERNAL_ERROR:
			/* An instruction KVM cannot emulate inside an armed
			 * probe (XGETBV under PVM): record it as the probe's
			 * outcome and resume at the probe's catcher. */
			if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION &&
			    rd32(res + R_RECOVER) && !resume_at_catcher(vm, vcpu))
				continue;
			return vcpuid_fail(err, VCPUID_E_GUEST,
					   "guest: vCPU %u: KVM_EXIT_INTERNAL_ERROR "
					   "suberror %u in stage %s, RIP 0x%llx",
					   vcpu, run->internal.suberror,
					   stage_name(st),
					   (unsigned long long)guest_rip(vm, vcpu));
		case KVM_EXIT_FAIL_ENTRY:
			return vcpuid_fail(err, VCPUID_E_GUEST,
					   "guest: vCPU %u: KVM_EXIT_FAIL_ENTRY "
					   "reason 0x%llx", vcpu,
					   (unsigned long long)run->fail_entry
						   .hardware_entry_failure_reason);
		default:
			rc = vcpuid_fail(err, VCPUID_E_GUEST,
					 "guest: vCPU %u: unexpected exit reason %u "
					 "in stage %s, RIP 0x%llx", vcpu,
					 run->exit_reason, stage_name(st),
					 (unsigned long long)guest_rip(vm, vcpu));
			return rc;
		}
	}
}

static void collect(const uint8_t *res, const vcpuid_probe_req *req,
		    vcpuid_observed *o)
{
	for (size_t i = 0; i < req->ncpuid; i++)
		for (int k = 0; k < 4; k++)
			o->cpuid[i][k] = rd32(res + R_CPUID + 16 * i + 4 * (size_t)k);
	for (size_t i = 0; i < req->nmsrs; i++) {
		const uint8_t *p = res + R_MSR + 16 * i;
		o->msr_status[i] = rd32(p);
		o->msr_value[i] = rd32(p + 8) | (uint64_t)rd32(p + 12) << 32;
	}
	o->xsave_status = rd32(res + R_XSAVE_STATUS);
	o->xcr0_initial = rd32(res + R_XCR0_INIT) |
			  (uint64_t)rd32(res + R_XCR0_INIT + 4) << 32;
	o->xsetbv_status = rd32(res + R_XSETBV_STATUS);
	o->xcr0_final = rd32(res + R_XCR0_FINAL) |
			(uint64_t)rd32(res + R_XCR0_FINAL + 4) << 32;
	o->leaf1_ecx_osxsave = rd32(res + R_LEAF1_ECX_OSX);
	for (unsigned i = 0; i < VCPUID_PROBE_MAX_INSNS; i++)
		o->insn[i] = rd32(res + R_INSN + 4 * i);
}

int vcpuid_probe_run(vcpuid_vm *vm, unsigned vcpu, const vcpuid_probe_req *req,
		     vcpuid_observed *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	out->vcpu = vcpu;
	if (vcpu >= vm->nvcpu)
		return vcpuid_fail(err, VCPUID_E_USAGE,
				   "probe: vCPU %u does not exist (VM has %u)",
				   vcpu, vm->nvcpu);
	if ((size_t)(vcpuid_probe_guest_end - vcpuid_probe_guest) > PG_CODE_MAX ||
	    req->ncpuid > VCPUID_PROBE_MAX_CPUID ||
	    req->nmsrs > VCPUID_PROBE_MAX_MSRS ||
	    (size_t)vcpu * PG_RES_STRIDE + PG_RES + PG_RES_STRIDE > PG_STACK)
		return vcpuid_fail(err, VCPUID_E_LIMIT,
				   "probe: request does not fit the guest layout");
	load(vm, vcpu, req);
	int rc = set_entry_state(vm, vcpu, err);
	if (rc)
		return rc;
	unsigned timeout_ms = req->timeout_ms ? req->timeout_ms : 2000;

	/* A timer signal to this thread kicks KVM_RUN out (immediate_exit
	 * closes the race with a signal arriving before KVM_RUN). */
	struct sigaction sa = { 0 }, old_sa;
	sa.sa_handler = on_kick;
	sigemptyset(&sa.sa_mask);
	sigaction(KICK_SIGNAL, &sa, &old_sa);
	sigset_t unblock, old_mask;
	sigemptyset(&unblock);
	sigaddset(&unblock, KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &unblock, &old_mask);
	struct sigevent sev = { 0 };
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = KICK_SIGNAL;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	timer_t timer;
	bool have_timer = timer_create(CLOCK_MONOTONIC, &sev, &timer) == 0;
	struct kvm_run *run = vm->run[vcpu];
	run->immediate_exit = 0;
	kick_run = run;
	if (have_timer) {
		struct itimerspec its = { 0 };
		its.it_value.tv_sec = timeout_ms / 1000;
		its.it_value.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
		its.it_interval.tv_nsec = 50 * 1000000L;
		timer_settime(timer, 0, &its, NULL);
	}
	const uint8_t *res = vm->mem + PG_RES + (size_t)vcpu * PG_RES_STRIDE;
	if (!have_timer)
		rc = vcpuid_fail(err, VCPUID_E_GUEST,
				 "probe: timer_create failed: %s: cannot bound "
				 "the guest's run time", strerror(errno));
	else
		rc = run_loop(vm, vcpu, timeout_ms, res, err);
	if (have_timer)
		timer_delete(timer);
	kick_run = NULL;
	run->immediate_exit = 0;
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(KICK_SIGNAL, &old_sa, NULL);
	if (!rc) {
		collect(res, req, out);
		struct kvm_xcrs x;
		memset(&x, 0, sizeof(x));
		if (ioctl(vm->vcpu_fd[vcpu], KVM_GET_XCRS, &x) == 0)
			for (unsigned i = 0; i < x.nr_xcrs && i < KVM_MAX_XCRS; i++)
				if (x.xcrs[i].xcr == 0) {
					out->has_kvm_xcr0 = true;
					out->kvm_xcr0 = x.xcrs[i].value;
				}
	}
	return rc;
}
