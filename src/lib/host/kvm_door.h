/* SPDX-License-Identifier: MIT */
/* The one way to /dev/kvm (host/kvm_door.c; apply.c uses it too);
 * private to libvcpuid and its programs, included by internal.h. */
#ifndef VCPUID_HOST_KVM_DOOR_H
#define VCPUID_HOST_KVM_DOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vcpuid.h"

/* The device path: $VCPUID_KVM_DEVICE, else /dev/kvm. */
const char *vp_kvm_device(void);
/* Open it read-write and check it is KVM with the API version vcpuid
 * speaks. Returns the fd, or -1 with err VCPUID_E_NOKVM: one line naming
 * the device, what failed and the errno. */
int vp_kvm_device_open(vcpuid_error *err);

/* The KVM_CHECK_EXTENSION capabilities vcpuid records (host/kvm_door.c):
 * h->caps allocated with every name and id of data/kvm_caps.def, values 0;
 * and a hash of its ids (a cache written with another table is not used). */
int vp_kvm_caps_init(vcpuid_host *h);
uint64_t vp_kvm_caps_signature(void);
/* KVM's answers for a live host from the open device fd (h->kvm, its
 * MSR lists and feature MSRs, caps): 0, or -1 with err (host/kvm_door.c). */
int vp_kvm_probe(int fd, vcpuid_host *h, vcpuid_error *err);
/* The TSC rate a scratch VM's vCPU reports (KVM_GET_TSC_KHZ); 0 when KVM
 * cannot say; -1 with err when the scratch VM fails. */
int vp_kvm_scratch_tsc_khz(int fd, const vcpuid_host *h, uint32_t *khz,
			   vcpuid_error *err);
/* The feature MSRs KVM lists but refuses to a scratch vCPU (best effort). */
void vp_kvm_scratch_refused_msrs(int fd, vcpuid_host *h);

#endif
