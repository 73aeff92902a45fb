/* SPDX-License-Identifier: MIT */
/* Knowing the host: probing this machine, host profiles (JSON), and
 * importing other tools' dumps. */
#ifndef VCPUID_HOST_H
#define VCPUID_HOST_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Probe this machine (probe.c): a capture, vcpuid_probe_ex with
 * VCPUID_PROBE_KVM_OPTIONAL. Without usable /dev/kvm the raw part is still
 * filled and h->kvm_absent says why; that is not an error. */
int vcpuid_probe(vcpuid_host *h, vcpuid_error *err);
/* vcpuid_probe with options. VCPUID_PROBE_LAZY is for computing a guest
 * (expand, synthesize) at VM start: it fetches the KVM facts at once but
 * the two costly, rarely needed ones on first use: each raw CPUID leaf
 * (every CPUID instruction is a VM exit under a hypervisor) and the TSC rate
 * of a new vCPU (a scratch VM, ~0.7 ms). The library's pipeline asks for
 * what it reads; h->raw then holds only the leaves asked so far, so code
 * that reads h->raw itself calls vcpuid_host_complete() first. The first
 * use of a fact changes *h: it must not race with other users of h. */
#define VCPUID_PROBE_LAZY 1u
/* With VCPUID_PROBE_LAZY: the KVM facts (supported and emulated CPUID,
 * feature MSRs, MSR list, capabilities) come from a file the first such
 * probe of this boot wrote, when it was taken from the same /dev/kvm (same
 * device node, so the same KVM module load), boot and microcode, by this
 * library version; otherwise KVM is asked and the file written. The file
 * is $VCPUID_HOST_CACHE/kvm-host.bin, /run/vcpuid/ for root or
 * $XDG_RUNTIME_DIR/vcpuid/ for others, and only used when this user alone
 * can write it and its directory. VCPUID_HOST_CACHE=off turns it off.
 * (docs/host-cache.md) */
#define VCPUID_PROBE_CACHE 2u
/* Without it, a live host is for computing a guest and KVM is required: no
 * usable device ($VCPUID_KVM_DEVICE or /dev/kvm missing, denied, a
 * directory, not KVM, out of file descriptors) is VCPUID_E_NOKVM, one line
 * naming the device and errno, and nothing is returned (vcpuid_host_load
 * ("live") is the same: the one way commands reach the live host). With it
 * (a capture or a summary) the host is returned without its KVM part and
 * h->kvm_absent holds that line. A KVM ioctl that fails once the device is
 * open is VCPUID_E_KVM either way, and so is the scratch VM that reads the
 * TSC rate of a new vCPU (at once, or on first use with
 * VCPUID_PROBE_LAZY). */
#define VCPUID_PROBE_KVM_OPTIONAL 4u
int vcpuid_probe_ex(vcpuid_host *h, unsigned flags, vcpuid_error *err);
/* Fetch everything a lazily probed host has not fetched yet (a full raw
 * capture, pinned like vcpuid_probe's, and the TSC rate); no-op for other
 * hosts. Afterwards *h equals what vcpuid_probe() gives. */
int vcpuid_host_complete(vcpuid_host *h, vcpuid_error *err);
/* KVM_GET_TSC_KHZ of a new vCPU (0 = unknown), fetched on first use on a
 * lazily probed host; 0 too when that scratch VM fails (the pipeline itself
 * treats that as an error). */
uint32_t vcpuid_host_tsc_khz(const vcpuid_host *h);
/* Only the raw CPUID instruction, with full subleaf enumeration. */
int vcpuid_probe_raw(vcpuid_table *t, vcpuid_error *err);

/* Host profile JSON (profile.c). Returns a malloc'd string. */
char *vcpuid_profile_to_json(const vcpuid_host *h);
int vcpuid_profile_parse(const char *buf, size_t len, const char *name,
			 vcpuid_host *h, vcpuid_error *err);

/* Other tools' formats (import_*.c). Each returns VCPUID_E_UNKNOWN when the
 * buffer is not in its format at all (so the next importer may try), and
 * VCPUID_E_PARSE for a broken file of its format. */
int vcpuid_import_firecracker(const char *buf, size_t len, const char *name,
			      vcpuid_host *h, vcpuid_error *err);
int vcpuid_import_text(const char *buf, size_t len, const char *name,
		       vcpuid_host *h, vcpuid_error *err);

/* Write a file atomically: a temporary beside it, then rename.
 * path "-" writes standard output. */
int vcpuid_write_file(const char *path, const char *data, size_t len,
		      vcpuid_error *err);
/* Read a whole file ("-" = stdin); *buf is malloc'd and NUL terminated. */
int vcpuid_read_file(const char *path, char **buf, size_t *len,
		     vcpuid_error *err);

#ifdef __cplusplus
}
#endif
#endif
