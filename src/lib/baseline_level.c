/* SPDX-License-Identifier: MIT */
/* baseline --level: the fleet's best CPU, required to reach an x86-64 level
 * on every host; the hosts that cannot reach it are named. */
#include <stdio.h>
#include <string.h>
#include "stages.h"
#include "vcpuid/fleet.h"
#include "vcpuid/level.h"

/* What the host could give at best: `max` (migratable as asked), unfiltered. */
static int host_best(const vcpuid_host *h, const char *machine, unsigned flags,
		     vcpuid_words out, vcpuid_error *err)
{
	vcpuid_cpu c;
	(void)flags; /* the level's bits are all migratable */
	int rc = ve_expand(h, "max,check=off", machine, NULL, &c, err);
	if (rc)
		return rc;
	memcpy(out, c.features, sizeof(vcpuid_words));
	vcpuid_cpu_free(&c);
	return 0;
}

static void lacks(const vcpuid_words w, int level, char *buf, size_t len)
{
	const vcpuid_level_need *m[64];
	size_t n = vcpuid_level_missing(w, level, m, 64), off = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n && i < 64 && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? " " : "",
					m[i]->what);
}

int vcpuid_baseline_for_level(const vcpuid_host *const *hosts, size_t nhosts,
			      const char *machine, unsigned flags, int level,
			      vcpuid_baseline *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	if (level < 1 || level > VCPUID_LEVEL_MAX)
		return vcpuid_fail(err, VCPUID_E_USAGE, "baseline: no x86-64 level "
				   "%d (1..%d)", level, VCPUID_LEVEL_MAX);
	/* The hosts named in the error: at most 8, and only whole entries
	 * that leave room in vcpuid_error.msg for the rest of the line. */
	enum { ROOM = sizeof(((vcpuid_error *)0)->msg) - 96 };
	char msg[ROOM] = "";
	size_t off = 0, nshort = 0, nshown = 0;
	for (size_t i = 0; i < nhosts; i++) {
		vcpuid_words w;
		int rc = host_best(hosts[i], machine, flags, w, err);
		if (rc)
			return rc;
		int l = vcpuid_level_of(w);
		if (l >= level)
			continue;
		nshort++;
		if (nshown < 8 && nshown == nshort - 1) {
			char miss[300], entry[ROOM];
			lacks(w, level, miss, sizeof(miss));
			int n = snprintf(entry, sizeof(entry), "%s%s (%s at best, "
					 "lacks %s)", nshown ? "; " : "",
					 hosts[i]->source, vcpuid_level_name(l),
					 miss);
			if (n > 0 && off + (size_t)n < sizeof(msg)) {
				memcpy(msg + off, entry, (size_t)n + 1);
				off += (size_t)n;
				nshown++;
			}
		}
	}
	if (nshort)
		return vcpuid_fail(err, VCPUID_E_NEGATIVE, "baseline: %zu of %zu "
				   "host(s) cannot reach %s: %s%s", nshort, nhosts,
				   vcpuid_level_name(level), msg,
				   nshort > nshown ? (nshown ? "; ..." : "...") : "");
	int rc = vcpuid_baseline_compute(hosts, nhosts, machine, flags, out, err);
	if (rc)
		return rc;
	if (out->level < level) {
		char miss[300];
		lacks(out->features, level, miss, sizeof(miss));
		return vcpuid_fail(err, VCPUID_E_NEGATIVE, "baseline: every host "
				   "reaches %s, but the CPU they share (%s) is %s: "
				   "it lacks %s", vcpuid_level_name(level), out->spec,
				   vcpuid_level_name(out->level), miss);
	}
	return 0;
}
