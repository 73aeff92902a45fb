#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write an edited copy of a host profile, for tests/badinput/*.cases.

  profile_edit.py IN OUT index LEAF VALUE [TABLE]
      every entry of LEAF in TABLE (supported, the default; emulated; raw)
      gets index VALUE and flags 0x0: an entry without SIGNIFICANT_INDEX,
      which KVM's lookup rule matches at any index
  profile_edit.py IN OUT xcomp VALUE
      kvm.xcomp_guest_supp = VALUE (KVM's XSAVE components)

IN may be bundled:NAME (profiles/NAME.json beside this tree)."""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(argv):
    if len(argv) < 4:
        raise SystemExit(__doc__)
    src, out, what = argv[0], argv[1], argv[2]
    if src.startswith("bundled:"):
        src = os.path.join(ROOT, "profiles", src[8:] + ".json")
    with open(src, encoding="utf-8") as f:
        p = json.load(f)
    if what == "index":
        leaf = int(argv[3], 0)
        table = argv[5] if len(argv) > 5 else "supported"
        rows = p["raw_cpuid"] if table == "raw" else p["kvm"][table + "_cpuid"]
        hit = [e for e in rows if int(e["function"], 0) == leaf]
        if not hit:
            raise SystemExit(f"{src}: no leaf {argv[3]} in {table}")
        for e in hit:
            e["index"] = argv[4]
            e["flags"] = "0x0"
    elif what == "xcomp":
        p["kvm"]["xcomp_guest_supp"] = argv[3]
    else:
        raise SystemExit(f"unknown edit '{what}'")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(p, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
