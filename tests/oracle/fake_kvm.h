/* SPDX-License-Identifier: MIT */
/* A KVM that takes everything (fake_kvm.c), under the oracle's preload. */
#ifndef VCPUID_ORACLE_FAKE_KVM_H
#define VCPUID_ORACLE_FAKE_KVM_H

#include <stddef.h>

/* fd is one of ours (a memfd standing for /dev/kvm, a VM or a vCPU) */
int fake_kvm_fd(int fd);
/* a new fd of ours, size bytes long (for the vCPU's mmap) */
int fake_kvm_new_fd(size_t size);
/* the backend's answer to an ioctl on one of our fds */
int fake_kvm_ioctl(int fd, unsigned int req, void *arg);

#endif
