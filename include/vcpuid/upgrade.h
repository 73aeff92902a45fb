/* SPDX-License-Identifier: MIT */
/* Upgrading QEMU under a running machine type: every CPUID / feature-MSR
 * difference the guest would see when the same -cpu and machine type are
 * run by another QEMU release, each with the QEMU change responsible
 * (src/lib/upgrade.c, data/qemu_changes.def; docs/upgrade-check.md). */
#ifndef VCPUID_UPGRADE_H
#define VCPUID_UPGRADE_H

#include "guest.h"

#ifdef __cplusplus
extern "C" {
#endif

enum vcpuid_diff_kind {
	VCPUID_DIFF_REG,	/* a register of an entry both tables have */
	VCPUID_DIFF_FLAGS,	/* the flags of an entry both tables have */
	VCPUID_DIFF_ENTRY,	/* an entry only one table has */
	VCPUID_DIFF_ORDER,	/* the same entries in another order */
	VCPUID_DIFF_MSR		/* a feature MSR: value, or only one side has it */
};

/* A QEMU change (one row of data/qemu_changes.def). */
typedef struct vcpuid_qemu_change {
	const char *id;		/* "CACHE_SHARE_LEVELS" */
	uint16_t qemu;		/* the release that brought it: 800 */
	const char *what;	/* one line */
	const char *source;	/* the QEMU source or commit it comes from */
} vcpuid_qemu_change;

#define VCPUID_DIFF_MAX_CAUSES 4

typedef struct vcpuid_upgrade_diff {
	enum vcpuid_diff_kind kind;
	uint32_t function, index;	/* CPUID entries (ENTRY, REG, FLAGS) */
	enum vcpuid_reg reg;		/* REG */
	uint32_t msr;			/* MSR */
	bool in_from, in_to;		/* the entry / MSR exists on each side */
	bool visible;			/* the guest can see it (below) */
	uint64_t from, to;		/* the values (0 when absent) */
	char bits[256];			/* named bits: "+avx512f -hle", or "" */
	uint64_t vcpus;			/* bit i: vCPU i (vCPUs >= 64: bit 63) */
	size_t ncauses;
	/* the releases on the way whose step changed it, and the change of
	 * each (id NULL: the step changed it but no recorded change matches) */
	struct vcpuid_diff_cause {
		uint16_t qemu;
		const vcpuid_qemu_change *change;
	} causes[VCPUID_DIFF_MAX_CAUSES];
} vcpuid_upgrade_diff;

/* What the guest sees: a register or MSR value, or an entry that appears
 * or goes unless its registers are all zero (a missing leaf in range reads
 * zero) or the other side has the same non-indexed leaf under another
 * index (KVM ignores the index then). Flags and entry order are KVM's
 * business only: listed, not visible. */

typedef struct vcpuid_upgrade {
	const vcpuid_machine *from, *to; /* the machine type under each QEMU */
	char cpu[64];			/* the resolved CPU type (from side) */
	size_t n;
	vcpuid_upgrade_diff *d;		/* malloc'd, table order of `from` */
	size_t nvisible;		/* how many of them the guest sees */
} vcpuid_upgrade;

/* What changes for a guest of `spec` on machine type `machine` (NULL = the
 * newest type of `from_qemu`) on `host` (topo NULL = 1 vCPU) when QEMU
 * release from_qemu is replaced by to_qemu (702 .. 1101, either order).
 * Every release in between is computed too, to name the step (and the
 * change) behind each difference. VCPUID_E_UNKNOWN for a release or
 * machine type that does not exist (the type must exist in both). */
int vcpuid_upgrade_check(const vcpuid_host *host, const char *spec,
			 const char *machine, uint16_t from_qemu,
			 uint16_t to_qemu, const vcpuid_topology *topo,
			 vcpuid_upgrade *out, vcpuid_error *err);
void vcpuid_upgrade_free(vcpuid_upgrade *u);

/* Every recorded QEMU change, oldest release first. */
const vcpuid_qemu_change *vcpuid_qemu_changes(size_t *count);

#ifdef __cplusplus
}
#endif
#endif
