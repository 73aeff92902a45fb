#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vcpuid labels (docs/labels.md) on every bundled profile.

- --format json validates against docs/schema/labels.schema.json, and
  --format kubevirt / nova print exactly its kubevirt and nova parts;
- one host-model-cpu and one cpu-vendor label; the vendor is the profile's
  (leaf 0 of its KVM table), never this machine's;
- every cpu-model label is a model that expands under enforce on the host
  (QEMU's usable, libvirt's usable='yes'), not one of KubeVirt's obsolete
  models, and every cpu-model label has its
  cpu-model-migration twin (KubeVirt labels every model libvirt knows,
  usable or not, for migration);
- host-model: its name, +required and -disabled features (libvirt names
  mapped back by libvirt_features.def) expand under enforce on the host
  unless a problem is reported;
- every Nova trait comes from a cpu-feature label by CPU_TRAITS_MAPPING
  (read from src/lib/data/labels.def).

Usage: test_labels.py VCPUID SOURCE_ROOT
"""
import glob
import json
import os
import re
import subprocess
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:
    print("SKIP: python3-jsonschema is not installed (scripts/deps.sh)")
    sys.exit(77)

EXE, ROOT = sys.argv[1], sys.argv[2]
failures = []
PROFILES = sorted(glob.glob(os.path.join(ROOT, "profiles", "*.json")))
with open(os.path.join(ROOT, "src", "lib", "data", "labels.def")) as f:
    DEF = f.read()
OBSOLETE = set(re.findall(r'OBSOLETE\("([^"]+)"\)', DEF))
NOVA = re.findall(r'NOVA_TRAIT\("([^"]+)", "([^"]+)"\)', DEF)
with open(os.path.join(ROOT, "src", "lib", "data", "libvirt_features.def")) as f:
    QEMU_NAME = dict(re.findall(r'^LIBVIRT_FEATURE\("([^"]+)", "([^"]+)"', f.read(),
                                re.M))
with open(os.path.join(ROOT, "docs", "schema", "labels.schema.json")) as f:
    SCHEMA = Draft202012Validator(json.load(f))
KV = "node.kubevirt.io/"


def run(args, codes=(0,)):
    p = subprocess.run([EXE] + args, capture_output=True, text=True)
    if p.returncode not in codes:
        failures.append("vcpuid %s: exit %d: %s" % (" ".join(args), p.returncode,
                                                    p.stderr.strip()[-300:]))
        return None
    return p.stdout


def vendor_of(profile):
    with open(profile) as f:
        d = json.load(f)
    for e in d["kvm"]["supported_cpuid"]:
        if int(str(e["function"]), 0) == 0:
            ebx = int(str(e["ebx"]), 0)
            return {0x756e6547: "Intel", 0x68747541: "AMD",
                    0x6f677948: "Hygon"}.get(ebx)
    return None


def one(profile):
    host = "bundled:" + os.path.basename(profile)[:-5]
    out = run(["labels", "--json", "--host", host])
    if out is None:
        return
    doc = json.loads(out)
    for e in list(SCHEMA.iter_errors(doc))[:3]:
        failures.append("%s: labels.schema.json: %s" % (host, e.message[:200]))
    kv = doc["kubevirt"]
    text = run(["labels", "--host", host])
    if text is not None and text.splitlines() != ["%s=%s" % i for i in sorted(kv.items())]:
        failures.append("%s: --format kubevirt differs from json" % host)
    nova = run(["labels", "--format", "nova", "--host", host])
    if nova is not None and nova.split() != doc["nova"]:
        failures.append("%s: --format nova differs from json" % host)
    hm = [k for k in kv if k.startswith("host-model-cpu." + KV)]
    vend = [k for k in kv if k.startswith("cpu-vendor." + KV)]
    if len(hm) != 1 or hm[0].split("/", 1)[1] != doc["host_model"]["name"]:
        failures.append("%s: host-model-cpu labels %s" % (host, hm))
    if vend != ["cpu-vendor." + KV + str(vendor_of(profile))]:
        failures.append("%s: cpu-vendor %s, profile %s" % (host, vend,
                                                            vendor_of(profile)))
    feats = {k.split("/", 1)[1] for k in kv if k.startswith("cpu-feature." + KV)}
    if feats != set(doc["features"]):
        failures.append("%s: cpu-feature labels are not the features" % host)
    for k in kv:
        if not k.startswith("cpu-model." + KV):
            continue
        m = k.split("/", 1)[1]
        if m in OBSOLETE:
            failures.append("%s: obsolete model %s labelled" % (host, m))
        if "cpu-model-migration." + KV + m not in kv:
            failures.append("%s: %s without its migration label" % (host, m))
        # usable as QEMU says it (no filtered feature; a model of the
        # other vendor counts, as libvirt's usable='yes' and KubeVirt do)
        run(["expand", "--json", "--cpu", m + ",enforce", "--host", host])
    # host-model starts under enforce unless a problem says otherwise
    if not doc["problems"] or all(p.startswith("nova:") for p in doc["problems"]):
        hm = doc["host_model"]
        spec = hm["name"] + "".join(
            ",+" + QEMU_NAME.get(f, f) for f in hm["required_features"]) + "".join(
            ",-" + QEMU_NAME.get(f, f) for f in hm["disabled_features"])
        run(["expand", "--json", "--host", host, "--cpu", spec + ",enforce"],
            codes=(0,))
    want = sorted({t for f, t in NOVA if f in feats})
    if doc["nova"] != want:
        failures.append("%s: nova %s, want %s" % (host, doc["nova"], want))


def main():
    for p in PROFILES:
        one(p)
    for f in failures[:40]:
        print("FAIL:", f)
    print("%d profiles labelled, %d failures" % (len(PROFILES), len(failures)))
    sys.exit(1 if failures else 0)


main()
