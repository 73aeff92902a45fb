/* SPDX-License-Identifier: MIT */
/* libvcpuid: decide, apply and prove what CPU a KVM guest sees.
 * The pipeline, in the order data flows:
 *   probe -> profile -> spec -> expand -> filter -> synthesize -> apply -> verify
 * with decode/diff, explain, compare, baseline and export beside it. */
#ifndef VCPUID_H
#define VCPUID_H

#define VCPUID_VERSION "0.1.0"

#include "vcpuid/core.h"
#include "vcpuid/catalog.h"
#include "vcpuid/host.h"
#include "vcpuid/decode.h"
#include "vcpuid/model.h"
#include "vcpuid/guest.h"
#include "vcpuid/apply.h"
#include "vcpuid/verify.h"
#include "vcpuid/fleet.h"
#include "vcpuid/qmp.h"
#include "vcpuid/upgrade.h"
#include "vcpuid/level.h"
#include "vcpuid/hostset.h"
#include "vcpuid/libvirt.h"
#include "vcpuid/vmm.h"
#include "vcpuid/labels.h"

#endif
