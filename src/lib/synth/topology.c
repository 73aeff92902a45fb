/* SPDX-License-Identifier: MIT */
/* topology: "-smp" parsing and completion as QEMU 7.2 does it
 * (hw/core/machine-smp.c, machine_parse_smp_config) for pc machines:
 * dies are supported, clusters are not; cores are preferred over sockets. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define SMPFILE "-smp"
#define MAX_CPUS 288 /* pc-q35's limit; pc-i440fx has 255 */

enum { CPUS, SOCKETS, DIES, CLUSTERS, CORES, THREADS, MAXCPUS, NKEYS };
static const char *const keys[NKEYS] = {
	"cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus"
};

static int parse_num(const char *v, uint64_t *out)
{
	char *end;
	if (!*v || !isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	unsigned long long r = strtoull(v, &end, 0);
	if (errno || *end || r > 0xffffffffull)
		return -1;
	*out = r;
	return 0;
}

int vcpuid_topology_parse(const char *s, vcpuid_topology *t,
			  vcpuid_error *err)
{
	uint64_t val[NKEYS] = { 0 };
	bool has[NKEYS] = { 0 };
	memset(t, 0, sizeof(*t));
	if (!s)
		s = "";
	const char *p = s;
	bool first = true;
	while (*p) {
		size_t col = (size_t)(p - s) + 1;
		size_t len = strcspn(p, ",");
		char tok[64];
		if (len >= sizeof(tok))
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   SMPFILE ":1:%zu: option too long", col);
		memcpy(tok, p, len);
		tok[len] = 0;
		p += len;
		if (*p == ',')
			p++;
		if (!len) {
			if (!*p && !first)
				break;
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   SMPFILE ":1:%zu: empty option", col);
		}
		char *eq = strchr(tok, '=');
		int k = -1;
		const char *v = tok;
		if (!eq) {
			if (!first)
				return vcpuid_fail(err, VCPUID_E_PARSE,
						   SMPFILE ":1:%zu: '%s' needs a "
						   "value (KEY=N)", col, tok);
			k = CPUS; /* the implied first key */
		} else {
			*eq = 0;
			v = eq + 1;
			for (int i = 0; i < NKEYS; i++)
				if (!strcmp(tok, keys[i]))
					k = i;
			if (k < 0)
				return vcpuid_fail(err, VCPUID_E_UNKNOWN,
						   SMPFILE ":1:%zu: invalid "
						   "parameter '%s'", col, tok);
		}
		first = false;
		if (parse_num(v, &val[k]))
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   SMPFILE ":1:%zu: parameter '%s' "
					   "expects a number, got '%s'", col,
					   keys[k], v);
		/* QEMU 7.2 warned that zeros are deprecated and took them as
		 * omitted; QEMU 9.0 and later refuse them, and so does vcpuid
		 * (a zero is never what was meant). */
		if (!val[k])
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   SMPFILE ":1:%zu: '%s=0': CPU topology "
					   "parameters must be greater than zero",
					   col, keys[k]);
		has[k] = true;
	}
	for (int i = 0; i < NKEYS; i++)
		if (has[i] && val[i] > 4096)
			return vcpuid_fail(err, VCPUID_E_LIMIT,
					   SMPFILE ": '%s=%llu' is too large",
					   keys[i], (unsigned long long)val[i]);
	uint64_t cpus = val[CPUS], sockets = val[SOCKETS], dies = val[DIES];
	uint64_t clusters = val[CLUSTERS], cores = val[CORES];
	uint64_t threads = val[THREADS], maxcpus = val[MAXCPUS];
	if (clusters > 1)
		return vcpuid_fail(err, VCPUID_E_UNSUPPORTED,
				   SMPFILE ": clusters not supported by this "
				   "machine's CPU topology");
	dies = dies ? dies : 1;
	clusters = 1;
	if (!cpus && !maxcpus) {
		sockets = sockets ? sockets : 1;
		cores = cores ? cores : 1;
		threads = threads ? threads : 1;
	} else {
		maxcpus = maxcpus ? maxcpus : cpus;
		if (!cores) {
			sockets = sockets ? sockets : 1;
			threads = threads ? threads : 1;
			cores = maxcpus / (sockets * dies * threads);
		} else if (!sockets) {
			threads = threads ? threads : 1;
			sockets = maxcpus / (dies * cores * threads);
		}
		if (!threads)
			threads = maxcpus / (sockets * dies * cores);
	}
	maxcpus = maxcpus ? maxcpus : sockets * dies * cores * threads;
	cpus = cpus ? cpus : maxcpus;
	if (sockets * dies * cores * threads != maxcpus || !cores || !sockets ||
	    !threads)
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   SMPFILE ": Invalid CPU topology: product of "
				   "the hierarchy must match maxcpus: sockets "
				   "(%llu) * dies (%llu) * cores (%llu) * threads "
				   "(%llu) != maxcpus (%llu)",
				   (unsigned long long)sockets,
				   (unsigned long long)dies,
				   (unsigned long long)cores,
				   (unsigned long long)threads,
				   (unsigned long long)maxcpus);
	if (maxcpus < cpus)
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   SMPFILE ": Invalid CPU topology: maxcpus "
				   "(%llu) < smp_cpus (%llu)",
				   (unsigned long long)maxcpus,
				   (unsigned long long)cpus);
	if (maxcpus > MAX_CPUS)
		return vcpuid_fail(err, VCPUID_E_LIMIT,
				   SMPFILE ": Invalid SMP CPUs %llu: at most %d",
				   (unsigned long long)maxcpus, MAX_CPUS);
	t->cpus = (unsigned)cpus;
	t->sockets = (unsigned)sockets;
	t->dies = (unsigned)dies;
	t->modules = 1;
	t->cores = (unsigned)cores;
	t->threads = (unsigned)threads;
	return 0;
}
