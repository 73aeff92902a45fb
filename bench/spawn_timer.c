/* SPDX-License-Identifier: MIT */
/* spawn_timer: start a command once with posix_spawn and print, in
 * microseconds, the time from just before the spawn to its exit or, with
 * --stamp FILE, to the CLOCK_REALTIME nanoseconds the command wrote to
 * FILE (bench/cpuid_timer_preload.c writes it at QEMU's first
 * KVM_SET_CPUID2). Both sides of bench_cpuid.sh are timed by it, so neither
 * carries the cost of forking the benchmark's shell.
 *   spawn_timer [--stamp FILE] [--stdin FILE] -- CMD [ARG...]
 * stdout and stderr of CMD go to /dev/null. Exit: 0 printed a time; 1 the
 * command failed (non-zero exit, or no stamp); 2 usage. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *stamp = NULL, *in = "/dev/null";
	int i = 1;
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--stamp") && i + 1 < argc)
			stamp = argv[++i];
		else if (!strcmp(argv[i], "--stdin") && i + 1 < argc)
			in = argv[++i];
		else
			break;
	}
	if (i + 1 >= argc || strcmp(argv[i], "--")) {
		fprintf(stderr, "usage: spawn_timer [--stamp FILE] [--stdin FILE] -- CMD [ARG...]\n");
		return 2;
	}
	char **cmd = argv + i + 1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (stamp)
		remove(stamp);
	long long t0 = now_ns();
	pid_t pid;
	if (posix_spawnp(&pid, cmd[0], &fa, NULL, cmd, environ)) {
		fprintf(stderr, "spawn_timer: cannot start %s\n", cmd[0]);
		return 1;
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return 1;
	long long t1 = now_ns();
	if (stamp) {
		FILE *f = fopen(stamp, "r");
		long long s = 0;
		if (!f || fscanf(f, "%lld", &s) != 1 || s < t0) {
			if (f)
				fclose(f);
			return 1;
		}
		fclose(f);
		t1 = s;
	} else if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		return 1;
	}
	printf("%lld\n", (t1 - t0) / 1000);
	return 0;
}
