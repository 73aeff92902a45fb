/* SPDX-License-Identifier: MIT */
/* LD_PRELOAD helper for bench/bench_cpuid.sh: writes CLOCK_REALTIME in
 * nanoseconds to $VCPUID_BENCH_STAMP when the process first calls
 * KVM_SET_CPUID2, so the script can time QEMU from exec to that point. */
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int ioctl(int fd, unsigned long request, ...);
int ioctl(int fd, unsigned long request, ...)
{
	static int (*real)(int, unsigned long, void *);
	static int stamped;
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, void *))dlsym(RTLD_NEXT, "ioctl");
	if (!stamped && (unsigned int)request == (unsigned int)KVM_SET_CPUID2) {
		struct timespec ts;
		const char *path = getenv("VCPUID_BENCH_STAMP");
		stamped = 1;
		clock_gettime(CLOCK_REALTIME, &ts);
		if (path) {
			char buf[32];
			int n = snprintf(buf, sizeof(buf), "%lld\n",
					 (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
			int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (f >= 0) {
				if (write(f, buf, (size_t)n) != n)
					n = 0;
				close(f);
			}
		}
	}
	return real(fd, request, arg);
}
