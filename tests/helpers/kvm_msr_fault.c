/* SPDX-License-Identifier: MIT */
/* LD_PRELOAD test helper: KVM_GET_MSRS fails at the MSR named by
 * VCPUID_TEST_FAIL_MSR (hex) the way KVM does -- it reads the entries before
 * it and returns how many. Everything else goes to the real ioctl. */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	if (!real)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	const char *env = getenv("VCPUID_TEST_FAIL_MSR");
	if ((unsigned int)req == (unsigned int)KVM_GET_MSRS && env) {
		uint32_t bad = (uint32_t)strtoul(env, NULL, 16);
		struct kvm_msrs *m = arg;
		for (uint32_t i = 0; i < m->nmsrs; i++) {
			if (m->entries[i].index != bad)
				continue;
			uint32_t n = m->nmsrs;
			m->nmsrs = i;
			int r = i ? real(fd, req, arg) : 0;
			m->nmsrs = n;
			return r;
		}
	}
	return real(fd, req, arg);
}
