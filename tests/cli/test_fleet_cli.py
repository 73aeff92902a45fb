#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The fleet commands through the CLI: compare, migrate-check, explain,
baseline and matrix (exit codes, JSON schemas of docs/*.md, one case per
rule). Hosts are the bundled profiles and copies of them with one fact
changed (a smaller max leaf or phys-bits, an ARCH_CAPABILITIES value), so
each reason kind is provoked on purpose. Expectations are computed from the
profiles and from `vcpuid expand`, never from this machine.

Usage: test_fleet_cli.py VCPUID [SOURCE_ROOT]"""
import copy
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

V = sys.argv[1]
SRC = sys.argv[2] if len(sys.argv) > 2 else os.environ.get(
    "VCPUID_SOURCE_ROOT", os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))))
PROF = os.path.join(SRC, "profiles")
CLX = os.path.join(PROF, "fc-intel-cascadelake-6.1.json")
ICX = os.path.join(PROF, "fc-intel-icelake-6.1.json")
MILAN = os.path.join(PROF, "fc-amd-milan-6.1.json")
GENOA = os.path.join(PROF, "fc-amd-genoa-6.1.json")
NARROW = os.path.join(PROF, "this-host.json")
M72 = ["--machine", "pc-i440fx-7.2", "--qemu", "7.2"]  # QEMU 7.2 running it
CLX_SPEC = "Cascadelake-Server-v5"
ARCH_CAP = 0x10A

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def run(*args):
    p = subprocess.run([V, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def run_json(*args):
    rc, out, err = run(*args, "--json")
    try:
        return rc, json.loads(out) if out.strip() else None, err
    except ValueError:
        failures.append("%s: not JSON: %r" % (" ".join(args), out[:200]))
        return rc, None, err


def expand(spec, host, machine=M72):
    rc, d, err = run_json("expand", "--cpu", spec, "--host", host, *machine)
    check(rc in (0, 9), "expand %s on %s: exit %d %s" % (spec, host, rc, err))
    return d


def names_of(d, word=None):
    s = set()
    for w, v in d["features"].items():
        if word is None or w == word:
            s.update(v["names"])
    return s


# ------------------------------------------------------- crafted hosts

def load(path):
    with open(path) as f:
        return json.load(f)


def entry(prof, fn, idx=0):
    for e in prof["kvm"]["supported_cpuid"]:
        if int(e["function"], 0) == fn and int(e["index"], 0) == idx:
            return e
    raise KeyError(hex(fn))


def msr_get(prof, index):
    for m in prof["kvm"]["feature_msrs"]:
        if int(m["index"], 0) == index:
            return int(m["value"], 0)
    return None


def msr_set(prof, index, value):
    for m in prof["kvm"]["feature_msrs"]:
        if int(m["index"], 0) == index:
            m["value"] = hex(value)
            return
    prof["kvm"]["feature_msrs"].append({"index": "0x%08x" % index,
                                        "value": hex(value)})


def craft(tmp, name, base, change):
    p = copy.deepcopy(load(base))
    change(p)
    path = os.path.join(tmp, name + ".json")
    with open(path, "w") as f:
        json.dump(p, f)
    return path


def reasons(host_entry, kind=None, fatal=None):
    return [r for r in host_entry["reasons"]
            if (kind is None or r["kind"] == kind) and
            (fatal is None or r["fatal"] == fatal)]


# ------------------------------------------------------------ compare

def test_compare(tmp):
    for cmd in ("compare", "migrate-check", "explain", "baseline", "matrix"):
        rc, out, _ = run(cmd, "--help")
        check(rc == 0 and ("usage: vcpuid " + cmd) in out, cmd + " --help")
    rc, _, err = run("compare", "--host", CLX)
    check(rc == 2 and "--cpu" in err, "compare without --cpu: usage error 2")
    rc, _, err = run("compare", "--cpu", CLX_SPEC)
    check(rc == 2, "compare without --host: usage error 2")
    rc, _, err = run("compare", "--cpu", "NoSuchModel", "--host", CLX)
    check(rc >= 2, "compare of an unknown model: error >= 2, got %d" % rc)
    rc, _, _ = run("compare", "--cpu", CLX_SPEC, "--host",
                   os.path.join(tmp, "missing.json"))
    check(rc >= 2, "compare with a missing host file: error >= 2")

    # Compatible: exit 0; schema; the host named by its file.
    rc, d, _ = run_json("compare", "--cpu", CLX_SPEC, "--host", CLX, *M72)
    check(rc == 0, "compare %s on its own host: exit 0 (got %d)" % (CLX_SPEC, rc))
    if d:
        check(list(d) == ["cpu", "hosts"] and d["cpu"] == CLX_SPEC,
              "compare JSON keys: %s" % list(d))
        h = d["hosts"][0]
        check(list(h) == ["host", "verdict", "extra_features", "reasons",
                          "covers", "x86_64_level"],
              "compare host keys: %s" % list(h))
        check(h["x86_64_level"] == {"guest": "x86-64-v4", "here": "x86-64-v4"},
              "compare: %s is x86-64-v4 on its own host: %s" %
              (CLX_SPEC, h["x86_64_level"]))
        check(h["host"] == CLX, "compare names the host by its file: %s" % h["host"])
        check(h["verdict"] in ("IDENTICAL", "SUPERSET"), "verdict " + h["verdict"])
        check(not reasons(h, fatal=True), "no fatal reason on its own host")
        for r in h["reasons"]:
            check(list(r) == ["kind", "fatal", "what", "text"], "reason keys")
        # SUPERSET counts named features the host offers beyond the guest.
        g = expand(CLX_SPEC, CLX)
        mx = expand("max", CLX)
        check((h["verdict"] == "SUPERSET") == (h["extra_features"] > 0),
              "SUPERSET iff extra features")
        check(h["extra_features"] >= len(names_of(mx) - names_of(g)),
              "extra_features >= what -cpu max has beyond the model")

    # feature: everything the narrow host filters, as reasons, exit 1.
    rc, d, _ = run_json("compare", "--cpu", CLX_SPEC, "--host", NARROW,
                        "--host", CLX, *M72)
    g = expand(CLX_SPEC, NARROW)
    want = {f["name"] for f in g["filtered"]
            if not f.get("word", "").startswith(("ARCH", "VMX", "PERF", "CORE"))}
    if check(rc == 1 and d, "compare on the narrow host: exit 1 (got %d)" % rc):
        h = d["hosts"][0]
        check(h["verdict"] == "INCOMPATIBLE", "narrow host INCOMPATIBLE")
        got = {r["what"] for r in reasons(h, "feature", True)}
        check(want and want <= got, "feature reasons %s include expand's "
              "filtered %s" % (sorted(got), sorted(want - got)))
        check(d["hosts"][1]["verdict"] != "INCOMPATIBLE",
              "the second host keeps its own verdict")

    # vendor: an AMD model on an Intel host.
    rc, d, _ = run_json("compare", "--cpu", "EPYC-Milan-v1", "--host", CLX, *M72)
    if check(rc == 1 and d, "EPYC on Intel: exit 1"):
        v = reasons(d["hosts"][0], "vendor", True)
        check(len(v) == 1 and "AuthenticAMD" in v[0]["text"] and
              "GenuineIntel" in v[0]["text"], "vendor reason names both")
    rc, d, _ = run_json("compare", "--cpu", "EPYC-Milan-v1", "--host", MILAN, *M72)
    check(d and not reasons(d["hosts"][0], "vendor"), "no vendor reason on AMD")

    # numeric: phys-bits and max basic leaf smaller than the guest needs.
    g = expand(CLX_SPEC, CLX)
    pb = g["cpu"]["phys_bits"]
    small_pb = craft(tmp, "small-physbits", CLX, lambda p: entry(
        p, 0x80000008).__setitem__("eax", "0x%08x" % (
            int(entry(p, 0x80000008)["eax"], 0) & ~0xff | (pb - 4))))
    rc, d, _ = run_json("compare", "--cpu", CLX_SPEC, "--host", small_pb, *M72)
    if check(rc == 1 and d, "phys-bits %d on a %d-bit host: exit 1" % (pb, pb - 4)):
        n = reasons(d["hosts"][0], "numeric", True)
        check([r["what"] for r in n] == ["phys-bits"],
              "numeric phys-bits reason: %s" % n)
    level = int(g["cpu"]["level"], 0)
    small_lvl = craft(tmp, "small-level", CLX, lambda p: entry(p, 0).__setitem__(
        "eax", "0x%08x" % (level - 2)))
    rc, d, _ = run_json("compare", "--cpu", CLX_SPEC, "--host", small_lvl, *M72)
    if check(rc == 1 and d, "level 0x%x on a host of 0x%x: exit 1" % (level, level - 2)):
        n = reasons(d["hosts"][0], "numeric", True)
        check("max basic leaf" in [r["what"] for r in n],
              "numeric max basic leaf reason: %s" % n)

    # msr-value: the guest has an *_NO bit of ARCH_CAPABILITIES the host lacks.
    arch = sorted(names_of(g, "ARCH_CAP"))
    nos = [n for n in arch if n.endswith("-no")]
    if check(nos, "%s has an *_NO bit on %s" % (CLX_SPEC, CLX)):
        lack = nos[-1]
        bit = feature_bit(lack)
        no_host = craft(tmp, "lacks-" + lack, CLX, lambda p: msr_set(
            p, ARCH_CAP, msr_get(p, ARCH_CAP) & ~(1 << bit)))
        rc, d, _ = run_json("compare", "--cpu", CLX_SPEC, "--host", no_host, *M72)
        if check(rc == 1 and d, "host lacking %s: exit 1" % lack):
            mv = reasons(d["hosts"][0], "msr-value", True)
            check([r["what"] for r in mv] == [lack], "msr-value %s: %s" % (lack, mv))
            check(not reasons(d["hosts"][0], "feature"),
                  "an MSR bit is a msr-value reason, not a feature reason")

    # note: RSBA on the host, not in the guest, is tolerated.
    rsba = craft(tmp, "rsba", CLX, lambda p: msr_set(
        p, ARCH_CAP, msr_get(p, ARCH_CAP) | 1 << feature_bit("rsba")))
    rc, d, _ = run_json("compare", "--cpu", CLX_SPEC, "--host", rsba, *M72)
    if check(rc == 0 and d, "RSBA added: exit 0 (got %d)" % rc):
        nt = [r for r in reasons(d["hosts"][0], "note") if r["what"] == "rsba"]
        check(len(nt) == 1 and not nt[0]["fatal"], "RSBA note: %s" % nt)

    # note: FB_CLEAR missing on a host immune to MDS/TAA/SBDR/FBSDP/PSDP
    # (names of QEMU 8.0+, so the newest machine type).
    immune = sum(1 << feature_bit(n) for n in
                 ("mds-no", "taa-no", "sbdr-ssdp-no", "fbsdp-no", "psdp-no"))
    fb = 1 << feature_bit("fb-clear")
    spec = CLX_SPEC + ",+fb-clear"
    tol = craft(tmp, "fbclear-tolerated", CLX, lambda p: msr_set(
        p, ARCH_CAP, (msr_get(p, ARCH_CAP) | immune) & ~fb))
    rc, d, _ = run_json("compare", "--cpu", spec, "--host", tol)
    if check(rc == 0 and d, "FB_CLEAR tolerated: exit 0 (got %d %s)" % (
            rc, d and d["hosts"][0]["reasons"])):
        nt = [r for r in reasons(d["hosts"][0], "note") if r["what"] == "fb-clear"]
        check(len(nt) == 1 and not nt[0]["fatal"], "FB_CLEAR note: %s" % nt)
    notol = craft(tmp, "fbclear-refused", CLX, lambda p: msr_set(
        p, ARCH_CAP, (msr_get(p, ARCH_CAP) | immune) & ~fb &
        ~(1 << feature_bit("psdp-no"))))
    rc, d, _ = run_json("compare", "--cpu", spec, "--host", notol)
    if check(rc == 1 and d, "FB_CLEAR without PSDP_NO: exit 1 (got %d)" % rc):
        mv = reasons(d["hosts"][0], "msr-value", True)
        check([r["what"] for r in mv] == ["fb-clear"], "fb-clear msr-value: %s" % mv)

    # A directory of hosts: one entry per distinct content, named by the
    # path of its first file (sorted), saying how many files it covers
    # (intel-sapphirerapids-pvm.json and this-host.json are the same bytes).
    rc, d, _ = run_json("compare", "--cpu", "qemu64", "--host", PROF, *M72)
    if check(d is not None, "compare --host DIR"):
        files = sorted(os.path.join(PROF, f) for f in os.listdir(PROF)
                       if f.endswith(".json"))
        seen, first, covers = {}, [], {}
        for f in files:
            with open(f, "rb") as fh:
                body = fh.read()
            if body not in seen:
                seen[body] = f
                first.append(f)
            covers[seen[body]] = covers.get(seen[body], 0) + 1
        check([h["host"] for h in d["hosts"]] == first,
              "compare --host DIR lists every distinct profile by path")
        check({h["host"]: h["covers"] for h in d["hosts"]} == covers,
              "compare --host DIR: covers %s" % covers)
        check(len(first) < len(files), "the bundled profiles hold a copy")
        check(rc == (1 if any(h["verdict"] == "INCOMPATIBLE" for h in d["hosts"])
                     else 0), "exit code follows the verdicts")
    # Text output: one line per host, reasons indented.
    rc, out, _ = run("compare", "--cpu", CLX_SPEC, "--host", small_pb, *M72)
    check(out.startswith(small_pb + ": INCOMPATIBLE\n  - phys-bits"),
          "compare text: %r" % out[:120])


_CAT = None


def feature_bit(name):
    global _CAT
    if _CAT is None:
        rc, out, _ = run("features", "--json")
        _CAT = {f["name"]: f for f in json.loads(out)["features"]}
    return _CAT[name]["bit"]


# ------------------------------------------------------- migrate-check

def test_migrate():
    rc, _, err = run("migrate-check", "--cpu", CLX_SPEC, "--from", CLX)
    check(rc == 2, "migrate-check without --to: usage error")
    # identical: same host both sides.
    rc, d, _ = run_json("migrate-check", "--cpu", CLX_SPEC, "--from", CLX,
                        "--to", CLX, *M72)
    if check(rc == 0 and d, "migrate-check to the same host: exit 0"):
        check(list(d) == ["host", "verdict", "extra_features", "reasons",
                          "from", "to", "cpu", "migratable"],
              "migrate-check keys: %s" % list(d))
        check(d["migratable"] is True and d["verdict"] == "IDENTICAL" and
              d["from"] == CLX and d["to"] == CLX and d["cpu"] == CLX_SPEC,
              "identical migration")
    # lost feature: asked on the source, filtered on the destination.
    extra = sorted(names_of(expand("max", ICX), "7_0_ECX") -
                   names_of(expand("max", CLX), "7_0_ECX"))
    if check(extra, "Icelake has 7.0 ECX features Cascadelake lacks"):
        spec = CLX_SPEC + ",+" + extra[0]
        rc, d, _ = run_json("migrate-check", "--cpu", spec, "--from", ICX,
                            "--to", CLX, *M72)
        if check(rc == 1 and d, "lost %s: exit 1" % extra[0]):
            check(d["migratable"] is False, "lost feature: migratable false")
            lost = [r["what"] for r in reasons(d, "feature", True)]
            check(lost == [extra[0]], "lost feature reason: %s" % lost)
        # gained: the other way, the destination would add it.
        rc, d, _ = run_json("migrate-check", "--cpu", spec, "--from", CLX,
                            "--to", ICX, *M72)
        if check(rc == 1 and d, "gained %s: exit 1" % extra[0]):
            gained = [r["what"] for r in reasons(d, "cpuid", True)]
            check(gained == [extra[0]], "gained feature reason: %s" % gained)
    # host/max: the destination's extra features would change the view.
    rc, d, _ = run_json("migrate-check", "--cpu", "max", "--from", CLX,
                        "--to", ICX, *M72)
    if check(rc == 1 and d, "max Cascadelake -> Icelake: exit 1"):
        gained = {r["what"] for r in reasons(d, "cpuid", True)}
        check(set(extra) <= gained, "max gains %s" % sorted(set(extra) - gained))
        check("model" in {r["what"] for r in reasons(d, "numeric")},
              "max shows the host model number: differs")
    # vendor
    rc, d, _ = run_json("migrate-check", "--cpu", "qemu64", "--from", CLX,
                        "--to", MILAN, *M72)
    if check(rc == 1 and d, "Intel -> AMD: exit 1"):
        check([r["what"] for r in reasons(d, "vendor", True)] == ["vendor"],
              "vendor reason")
    rc, out, _ = run("migrate-check", "--cpu", CLX_SPEC, "--from", CLX,
                     "--to", CLX, *M72)
    check(rc == 0 and "can migrate" in out, "migrate-check text")


# ------------------------------------------------------------- explain

def test_explain():
    g = expand(CLX_SPEC, NARROW)
    lost = [f["name"] for f in g["filtered"]]
    rc, d, _ = run_json("explain", "--cpu", CLX_SPEC, "--host", NARROW, *M72)
    if check(rc == 0 and d, "explain (every lost feature): exit 0"):
        check(list(d) == ["cpu", "host", "explanations"] and d["host"] == NARROW,
              "explain keys / host: %s" % list(d))
        got = [e["feature"] for e in d["explanations"]]
        check(set(lost) <= set(got), "explain lists every filtered feature: "
              "%s" % sorted(set(lost) - set(got)))
        for e in d["explanations"]:
            check(list(e) == ["feature", "wanted", "final", "decisive", "cause",
                              "stages"], "explanation keys")
            check(e["wanted"] and not e["final"], "lost: wanted, not final")
            for s in e["stages"]:
                check(s["value"] in ("yes", "no", "-"), "stage value")
    if lost:
        f = lost[0]
        rc, d, _ = run_json("explain", f, "--cpu", CLX_SPEC, "--host", NARROW, *M72)
        if check(rc == 0 and d, "explain %s" % f):
            e = d["explanations"][0]
            check(e["decisive"] == "filter" and e["cause"].startswith(f + ": filtered"),
                  "filtered cause: %s" % e["cause"])
            st = {s["stage"]: s["value"] for s in e["stages"]}
            check(st.get("final") == "no" and st.get("filter") == "no",
                  "stages of a filtered feature: %s" % st)
    rc, d, _ = run_json("explain", "avx2", "--cpu", CLX_SPEC + ",-avx2",
                        "--host", CLX, *M72)
    if check(rc == 0 and d, "explain a feature the spec turns off"):
        check(d["explanations"][0]["decisive"] == "user", "decisive user")
    rc, d, _ = run_json("explain", "avx2", "--cpu", CLX_SPEC, "--host", CLX, *M72)
    if check(rc == 0 and d, "explain a present feature"):
        e = d["explanations"][0]
        check(e["final"] and e["decisive"] == "model", "present via the model")
    rc, _, err = run("explain", "avx3", "--cpu", CLX_SPEC, "--host", CLX)
    check(rc == 5 and "did you mean" in err, "unknown feature: exit 5 with "
          "suggestions (%d %s)" % (rc, err.strip()))
    rc, _, _ = run("explain", "avx2", "--host", CLX)
    check(rc == 2, "explain without --cpu: usage error")


# ------------------------------------------------------------ baseline

def test_baseline():
    rc, _, err = run("baseline", CLX, MILAN, *M72)
    check(rc == 1 and "GenuineIntel" in err and "AuthenticAMD" in err,
          "baseline across vendors: exit 1 naming both (%d %s)" % (rc, err))
    rc, _, _ = run("baseline", *M72)
    check(rc == 2, "baseline without hosts: usage error")
    rc, d, _ = run_json("baseline", "--migratable", "--features", CLX, ICX, *M72)
    if check(rc == 0 and d, "baseline of two Intel hosts"):
        check(list(d) == ["spec", "model", "version", "vendor", "hosts", "plus",
                          "minus", "level", "distinct", "features"],
              "baseline keys: %s" % list(d))
        check(d["level"] == "x86-64-v4", "CLX+ICX baseline level: %s" % d["level"])
        check(d["vendor"] == "GenuineIntel" and d["hosts"] == 2, "vendor/hosts")
        check(d["spec"].startswith("%s-v%d" % (d["model"], d["version"])),
              "spec starts with the model")
        for p in d["plus"]:
            check(",+" + p in d["spec"], "plus %s in the spec" % p)
        for m in d["minus"]:
            check(",-" + m in d["spec"], "minus %s in the spec" % m)
        # It runs on both hosts (enforce) and has what both offer.
        for h in (CLX, ICX):
            rc2, _, err = run("expand", "--cpu", d["spec"] + ",enforce",
                              "--host", h, *M72)
            check(rc2 == 0, "baseline enforce on %s: %s" % (h, err.strip()))
        common = names_of(expand("max", CLX)) & names_of(expand("max", ICX))
        check(common <= set(d["features"]),
              "baseline keeps every common max feature: %s" %
              sorted(common - set(d["features"])))
        check("invtsc" not in d["features"], "--migratable drops invtsc")
    rc, out, _ = run("baseline", CLX, *M72)
    check(rc == 0 and out.count("\n") == 1, "baseline text: one line")
    rc, d, _ = run_json("baseline", GENOA, MILAN, *M72)
    check(rc == 0 and d and d["vendor"] == "AuthenticAMD", "AMD baseline")
    # --level: reached on every host, or the hosts that cannot are named
    rc, d, _ = run_json("baseline", "--level", "x86-64-v3", GENOA, MILAN, *M72)
    check(rc == 0 and d and d["level"] in ("x86-64-v3", "x86-64-v4"),
          "baseline --level x86-64-v3 of the AMD pair: %s" % (d and d["level"]))
    rc, _, err = run("baseline", "--level", "x86-64-v4", CLX, MILAN,
                     "--cross-vendor", *M72)
    check(rc == 1 and "cannot reach x86-64-v4" in err and MILAN in err and
          CLX not in err, "baseline --level v4 names Milan only: %d %s" % (rc, err))
    rc, _, err = run("baseline", "--level", "x86-64-v7", CLX, *M72)
    check(rc == 2, "baseline --level x86-64-v7: usage error (%d)" % rc)
    # --cross-vendor: a vendor-neutral model that runs on both
    rc, d, _ = run_json("baseline", "--cross-vendor", CLX, MILAN, *M72)
    if check(rc == 0 and d, "baseline --cross-vendor CLX MILAN"):
        check(d["vendor"] == "mixed" and d["model"] in ("qemu64", "kvm64"),
              "cross-vendor: vendor %s model %s" % (d["vendor"], d["model"]))
        check(d["level"] == "x86-64-v3", "cross-vendor level %s" % d["level"])
        for h in (CLX, MILAN):
            rc2, _, err = run("expand", "--cpu", d["spec"] + ",enforce",
                              "--host", h, *M72)
            check(rc2 == 0, "cross-vendor baseline enforce on %s: %s" % (h, err))


# -------------------------------------------------------------- matrix

class HtmlCheck(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.titles, self.urls, self.title_text = [], [], [], ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_title = tag == "title"
        for k, v in attrs:
            if k == "title":
                self.titles.append(v)
            if k in ("href", "src") or (v and "://" in v):
                self.urls.append((tag, k, v))

    def handle_data(self, data):
        if self._in_title:
            self.title_text += data


def test_matrix(tmp):
    models = "Cascadelake-Server-v5,Icelake-Server-v6,EPYC-Milan-v1"
    rc, out, _ = run("matrix", "--hosts", CLX, "--hosts", NARROW,
                     "--models", models, "--format", "json", *M72)
    d = json.loads(out) if rc == 0 else None
    if check(rc == 0 and d, "matrix json: exit %d" % rc):
        check(list(d) == ["hosts", "covers", "models", "pools"],
              "matrix keys %s" % list(d))
        check(d["hosts"] == [CLX, NARROW], "matrix hosts by path: %s" % d["hosts"])
        check([m["name"] for m in d["models"]] == models.split(","), "rows")
        for m in d["models"]:
            for h, cell in zip(d["hosts"], m["hosts"]):
                g = expand(m["name"], h)
                want = [f["name"] for f in g["filtered"]]
                check(cell["usable"] == (not want) and
                      sorted(cell["missing"]) == sorted(want),
                      "matrix cell %s on %s: %s vs %s" % (m["name"], h, cell, want))
        seen = sorted(i for p in d["pools"] for i in p["hosts"])
        check(seen == [0, 1], "every host in exactly one pool")
        for p in d["pools"]:
            cols = {tuple(m["hosts"][i]["usable"] for m in d["models"])
                    for i in p["hosts"]}
            check(len(cols) == 1, "a pool's hosts run the same models")
            check(p["baseline"], "a pool has a baseline")
    rc, out, _ = run("matrix", "--hosts", CLX, "--hosts", NARROW,
                     "--models", models, "--format", "table", *M72)
    lines = out.splitlines()
    check(rc == 0 and lines and lines[0].split() == ["model", "level", "H1", "H2"],
          "matrix table header: %r" % lines[:1])
    check(any(l.startswith("Cascadelake-Server-v5") for l in lines),
          "matrix table rows")
    html_path = os.path.join(tmp, "m.html")
    rc, out, _ = run("matrix", "--hosts", CLX, "--hosts", NARROW, "--models",
                     models, "--format", "html", "-o", html_path, *M72)
    if check(rc == 0 and os.path.exists(html_path), "matrix html -o"):
        with open(html_path) as f:
            text = f.read()
        p = HtmlCheck()
        p.feed(text)
        check("script" not in p.tags and "link" not in p.tags and
              "img" not in p.tags and "iframe" not in p.tags,
              "html: no scripts or external resources: %s" % set(p.tags))
        check(not p.urls and "url(" not in text and "@import" not in text,
              "html: no URLs: %s" % p.urls[:3])
        g = expand("Cascadelake-Server-v5", NARROW)
        miss = [f["name"] for f in g["filtered"]]
        check(any(all(m in t.split() for m in miss) for t in p.titles),
              "html: a cell's title lists the missing features %s" % miss[:5])
    # --cross-vendor: pools by the level each host offers, across vendors,
    # each with a vendor-neutral baseline that runs on its hosts
    rc, out, err = run("matrix", "--cross-vendor", "--hosts", CLX, "--hosts",
                       GENOA, "--hosts", MILAN, "--models", "qemu64-v1",
                       "--format", "json", *M72)
    d = json.loads(out) if rc == 0 else None
    if check(rc == 0 and d, "matrix --cross-vendor: %d %s" % (rc, err)):
        pools = sorted(sorted(p["hosts"]) for p in d["pools"])
        check(pools == [[0, 1], [2]], "cross-vendor pools CLX+GENOA, MILAN: %s"
              % pools)
        for p in d["pools"]:
            check(p["baseline"] and p["baseline"].split(",")[0] in
                  ("qemu64-v1", "kvm64-v1"), "pool baseline %s" % p["baseline"])
            check(p["level"] == ("x86-64-v4" if len(p["hosts"]) == 2 else
                                 "x86-64-v3"), "pool level %s" % p["level"])
            for i in p["hosts"]:
                rc2, _, err = run("expand", "--cpu", p["baseline"] + ",enforce",
                                  "--host", d["hosts"][i], *M72)
                check(rc2 == 0, "pool baseline enforce on %s: %s" %
                      (d["hosts"][i], err.strip()))
    rc, _, _ = run("matrix", "--hosts", CLX, "--format", "pdf")
    check(rc == 2, "matrix bad format: usage error")


# ------------------------------------------------- identical host files

def test_hostset(tmp):
    d = os.path.join(tmp, "fleet")
    os.mkdir(d)
    srcs = [CLX, ICX, CLX, CLX, ICX, CLX, NARROW]
    for i, s in enumerate(srcs):
        shutil.copyfile(s, os.path.join(d, "h%03d.json" % i))
    with open(os.path.join(d, "README"), "w") as f:
        f.write("not a host\n")
    want = None
    for jobs in ("1", "2", "7"):
        rc, b, err = run_json("baseline", "--jobs", jobs, d, *M72)
        if check(rc == 0 and b, "baseline --jobs %s DIR: %d %s" % (jobs, rc, err)):
            check(b["hosts"] == 7 and b["distinct"] == 3,
                  "7 files, 3 distinct: %s %s" % (b["hosts"], b["distinct"]))
            check("skipping" in err and "README" in err, "README skipped")
            want = want or b["spec"]
            check(b["spec"] == want, "the same answer with --jobs %s" % jobs)
    rc, b, _ = run_json("baseline", CLX, ICX, NARROW, *M72)
    check(rc == 0 and b and b["spec"] == want,
          "folding copies changes no answer: %s" % (b and b["spec"]))
    rc, c, _ = run_json("compare", "--cpu", "qemu64", "--host", d, *M72)
    if check(c is not None, "compare DIR of copies"):
        check([(os.path.basename(h["host"]), h["covers"]) for h in c["hosts"]]
              == [("h000.json", 4), ("h001.json", 2), ("h006.json", 1)],
              "compare covers: %s" % [(h["host"], h["covers"]) for h in c["hosts"]])
    rc, out, _ = run("matrix", "--hosts", d, "--models", "qemu64-v1",
                     "--format", "json", *M72)
    m = json.loads(out) if rc == 0 else {}
    check(m.get("covers") == [4, 2, 1], "matrix covers %s" % m.get("covers"))
    for bad in ("0", "x", "65", "-1"):
        rc, _, _ = run("baseline", "--jobs", bad, d, *M72)
        check(rc == 2, "--jobs %s: usage error (%d)" % (bad, rc))
    # a broken copy is an error naming that file, even beside good ones
    with open(os.path.join(d, "h100.json"), "w") as f:
        f.write('{"format": "vcpuid-host-profile", "version": 1, "kvm": [')
    rc, _, err = run("baseline", "--jobs", "2", d, *M72)
    check(rc not in (0, 1, 2) and "h100.json" in err,
          "a broken file in the set: %d %s" % (rc, err.strip()))


def main():
    with tempfile.TemporaryDirectory(prefix="vcpuid-fleet-cli-") as tmp:
        test_hostset(tmp)
        test_compare(tmp)
        test_migrate()
        test_explain()
        test_baseline()
        test_matrix(tmp)
    for f in failures:
        print("FAIL " + f)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
