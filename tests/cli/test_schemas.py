#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every JSON output of vcpuid against its JSON Schema (docs/schema/).

Runs each command with --json (or --format json|qmp) on the bundled profiles
and validates what it printed with Debian's python3-jsonschema (draft
2020-12); failing commands must print the error object (error.schema.json)
and keep their exit code. check/verify need /dev/kvm and are left out, saying
so, where it is missing.

Usage: test_schemas.py VCPUID SOURCE_ROOT
Exit 0 all valid, 1 a failure, 77 python3-jsonschema is missing.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    print("SKIP: python3-jsonschema is not installed (scripts/deps.sh)")
    sys.exit(77)

EXE, ROOT = sys.argv[1], sys.argv[2]
SCHEMAS = os.path.join(ROOT, "docs", "schema")
PROFILES = sorted(glob.glob(os.path.join(ROOT, "profiles", "*.json")))
failures = []
checked = {}


def load_schemas():
    out = {}
    for f in sorted(glob.glob(os.path.join(SCHEMAS, "*.schema.json"))):
        with open(f) as fh:
            s = json.load(fh)
        Draft202012Validator.check_schema(s)
        out[os.path.basename(f)[:-len(".schema.json")]] = s
    return out


SCHEMA = load_schemas()


def validator(name):
    """A validator that resolves the other schemas by their $id."""
    s = SCHEMA[name]
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        reg = Registry().with_resources(
            (x["$id"], Resource.from_contents(x)) for x in SCHEMA.values())
        return Draft202012Validator(s, registry=reg)
    except ImportError:  # Debian 12's 4.10
        store = {x["$id"]: x for x in SCHEMA.values()}
        res = jsonschema.RefResolver.from_schema(s, store=store)
        return Draft202012Validator(s, resolver=res)


VALIDATORS = {n: validator(n) for n in SCHEMA}


def check(schema, args, codes=(0,), stdin=None):
    """Run vcpuid args; the exit code must be in codes and stdout valid."""
    p = subprocess.run([EXE] + args, capture_output=True, text=True,
                       input=stdin)
    what = "vcpuid " + " ".join(args)
    if p.returncode not in codes:
        failures.append("%s: exit %d, expected %s: %s" % (
            what, p.returncode, codes, p.stderr.strip()[-300:]))
        return None
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        failures.append("%s: not one JSON document (%s): %r" % (
            what, e, p.stdout[:200]))
        return None
    errs = sorted(VALIDATORS[schema].iter_errors(doc), key=lambda e: e.path)
    for e in errs[:3]:
        failures.append("%s: %s.schema.json: %s at %s" % (
            what, schema, e.message[:200], "/".join(map(str, e.path))))
    checked[schema] = checked.get(schema, 0) + 1
    return doc


def kvm_usable():
    try:
        fd = os.open("/dev/kvm", os.O_RDWR)
        os.close(fd)
        return True
    except OSError:
        return False


def main():
    hosts = ["bundled:" + os.path.basename(p)[:-5] for p in PROFILES]
    intel, amd = "bundled:fc-intel-icelake-6.1", "bundled:fc-amd-genoa-6.1"
    models = ["Skylake-Client", "EPYC-Milan", "qemu64", "max", "host", "base",
              "GraniteRapids-v2", "Denverton"]

    for p in PROFILES:  # the bundled profiles are host profiles too
        with open(p) as fh:
            for e in VALIDATORS["host-profile"].iter_errors(json.load(fh)):
                failures.append("%s: host-profile.schema.json: %s" % (p, e.message))
        checked["host-profile"] = checked.get("host-profile", 0) + 1

    with tempfile.TemporaryDirectory() as tmp:
        check("summary", ["summary", "--json"])
        for h in hosts:
            check("summary", ["summary", "--json", "--host", h])
            check("host-profile", ["probe", "--json", "--from", h])
            check("decode", ["decode", "--json", h])
            check("decode", ["decode", "--json", "--kvm", h])
            check("explain", ["explain", "--json", "--cpu", "Skylake-Client",
                              "--host", h])
        check("host-profile", ["probe", "--json"])
        check("diff", ["diff", "--json", intel, amd], codes=(1,))
        check("diff", ["diff", "--json", intel, intel])
        check("features", ["features", "--json"])
        check("features", ["features", "--json", "avx2", "sse4_1", "kvmclock"])
        for m in ("pc-i440fx-7.2", "pc-i440fx-11.1"):
            check("models", ["models", "--json", "--machine", m])
            check("models", ["models", "--json", "--all", "--host", intel,
                             "--machine", m])
            check("qmp-cpu-definitions", ["models", "--format", "qmp",
                                          "--machine", m])
            check("qmp-cpu-definitions", ["models", "--format", "qmp",
                                          "--host", amd, "--machine", m])
        for n in ("Cascadelake-Server-v4", "EPYC-Rome", "host", "base", "max"):
            check("models-show", ["models", "--show", n])
        check("machines", ["models", "--machines", "--json"])
        for h in (intel, amd):
            for m in models:
                check("expand", ["expand", "--json", "--cpu", m, "--host", h])
                for t in ("static", "full"):
                    check("qmp-cpu-model-expansion",
                          ["expand", "--format", "qmp", "--expansion", t,
                           "--cpu", m, "--host", h])
            check("expand", ["expand", "--json", "--cpu",
                             "Skylake-Client,+pni,enforce", "--host", h],
                  codes=(0, 9))
            check("cpuid", ["cpuid", "--json", "--cpu", "Skylake-Client",
                            "--host", h, "--smp", "2"])
            check("cpuid", ["cpuid", "--format", "json", "--cpu", "max",
                            "--host", h])
            check("explain", ["explain", "avx2", "--json", "--cpu",
                              "EPYC-Milan", "--host", h])
            check("explain", ["explain", "x86-64-v3", "--json", "--cpu",
                              "qemu64", "--host", h])
            check("explain", ["explain", "x86-64-v1", "--json", "--cpu",
                              "qemu64", "--host", h])
        check("expand", ["expand", "--json", "--cpu", "qemu64", "--host", "none"])
        check("compare", ["compare", "--json", "--cpu", "Skylake-Client",
                          "--host", intel, "--host", amd], codes=(0, 1))
        check("qmp-cpu-model-comparison", ["compare", "--format", "qmp", "--cpu",
                                           "qemu64", "--host", intel], codes=(0, 1))
        check("qmp-cpu-model-comparison", ["compare", "--format", "qmp", "--cpu",
                                           "Skylake-Client", "--host", intel,
                                           "--host", amd], codes=(0, 1))
        check("migrate-check", ["migrate-check", "--json", "--cpu", "kvm64",
                                "--from", intel, "--to",
                                "bundled:fc-intel-cascadelake-6.1"], codes=(0, 1))
        check("qmp-cpu-model-comparison", ["migrate-check", "--format", "qmp",
                                           "--cpu", "kvm64", "--from", intel,
                                           "--to", intel], codes=(0, 1))
        for cpu in ("pentium2", "max", "Skylake-Client-v4", "EPYC-Milan"):
            for h in (intel, amd):
                check("upgrade-check", ["upgrade-check", "--json", "--cpu", cpu,
                                        "--machine", "pc-i440fx-7.2",
                                        "--from-qemu", "7.2", "--to-qemu", "11.1",
                                        "--host", h, "--smp", "4,cores=2,threads=2"],
                      codes=(0, 1))
        intels = [h for h in hosts if "intel" in h]
        check("baseline", ["baseline", "--json", "--features"] + intels)
        check("baseline", ["baseline", "--json", amd])
        check("baseline", ["baseline", "--json", "--cross-vendor",
                           "--level", "x86-64-v1", amd] + intels)
        check("compare", ["compare", "--json", "--cpu", "qemu64", "--host",
                          os.path.join(ROOT, "profiles")], codes=(0, 1))
        check("qmp-cpu-model-baseline", ["baseline", "--format", "qmp"] + intels)
        check("matrix", ["matrix", "--json", "--models",
                         "qemu64,Skylake-Client,EPYC-Milan"] + intels + [amd])
        check("matrix", ["matrix", "--format", "json", "--hosts",
                         os.path.join(ROOT, "profiles"), "--models", "kvm64"])

        if kvm_usable():
            check("verify", ["check", "--json", "--cpu", "qemu64"], codes=(0, 1))
            check("verify", ["verify", "--json", "--cpu", "qemu64"], codes=(0, 1))
        else:
            print("note: /dev/kvm not usable here: check/verify --json not run")

        # Errors as data: every command's usage error, and the kinds that
        # carry a location.
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as fh:
            fh.write('{"format": "vcpuid-host-profile",\n  "version": 1,,\n}\n')
        cmds = ["summary", "probe", "decode", "diff", "features", "models",
                "expand", "cpuid", "check", "verify", "explain", "compare",
                "migrate-check", "baseline", "matrix", "upgrade-check",
                "domcapabilities", "libvirt-hook"]
        for c in cmds:
            e = check("error", [c, "--no-such-option", "--json"], codes=(2,))
            if e and e["error"]["code"] != 2:
                failures.append("%s: error code %s, exit 2" % (c, e["error"]["code"]))
        check("error", ["no-such-command", "--json"], codes=(2,))
        e = check("error", ["decode", "--json", bad], codes=(4,))
        if e and not {"file", "line", "column"} <= set(e["error"]):
            failures.append("decode %s: no file/line/column in %s" % (bad, e))
        e = check("error", ["expand", "--json", "--cpu", "Skylake-Client,+pnii",
                            "--host", "none"], codes=(5,))
        if e and (e["error"].get("file"), e["error"].get("line"),
                  e["error"].get("column")) != ("-cpu", 1, 17):
            failures.append("expand +pnii: location %s" % e)
        e = check("error", ["summary", "--json", "--host",
                            os.path.join(tmp, "absent.json")], codes=(3,))
        if e and e["error"].get("file") != os.path.join(tmp, "absent.json"):
            failures.append("summary absent file: %s" % e)
        check("error", ["models", "--format", "qmp", "--machine", "pc-nope"],
              codes=(5,))
        check("error", ["expand", "--format", "qmp", "--cpu", "Nope",
                        "--host", intel], codes=(5,))
        check("error", ["cpuid", "--format", "json", "--cpu", "qemu64",
                        "--vcpu", "x", "--host", intel], codes=(2,))
        check("error", ["features", "--json", "pnii"], codes=(5,))
        # template: a Firecracker template / Cloud Hypervisor profile
        # (tests/cli/test_template.py checks every model on every profile)
        for fmt, s in (("firecracker", "firecracker-template"),
                       ("cloud-hypervisor", "cloud-hypervisor-profile")):
            for h in (intel, amd):
                check(s, ["template", "--format", fmt, "--cpu",
                          "Skylake-Client", "--host", h])
        tpl = os.path.join(tmp, "milan.json")
        subprocess.run([EXE, "template", "--cpu", "EPYC-Milan", "--host", amd,
                        "--format", "firecracker", "-o", tpl],
                       capture_output=True)
        check("compare", ["compare", "--json", "--cpu", tpl, "--host", amd,
                          "--host", intel], codes=(1,))
        for h in (intel, amd):
            check("labels", ["labels", "--json", "--host", h])
        check("error", ["labels", "--json", "--host", "bundled:nope"],
              codes=(5,))
        check("error", ["template", "--json", "--format", "firecracker",
                        "--cpu", "Nope", "--host", intel], codes=(5,))

    for f in failures:
        print("FAIL " + f)
    print("%d outputs valid against %d schemas (%s); %d failures" % (
        sum(checked.values()), len(checked),
        ", ".join("%s %d" % kv for kv in sorted(checked.items())), len(failures)))
    unused = sorted(set(SCHEMA) - set(checked))
    if unused and kvm_usable():
        print("FAIL schemas never exercised: %s" % ", ".join(unused))
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
