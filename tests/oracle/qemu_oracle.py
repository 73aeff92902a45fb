#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""QEMU 7.2 as a test oracle for vcpuid (python3, stdlib only).

Runs ``qemu-system-x86_64 -accel kvm ... -S -qmp stdio`` with the
kvm_preload.so LD_PRELOAD library (tests/oracle/kvm_preload.c) and reports
exactly what QEMU handed to KVM: each vCPU's KVM_SET_CPUID2 table, the
KVM_SET_MSRS calls before its first KVM_RUN (call 0 is kvm_init_msrs: the
feature MSRs), the "host doesn't support requested feature" warnings, and
whether QEMU started.  Given a host profile (docs/host-profile.md) the
preload answers KVM's host-describing ioctls from it, and by default the
CPUID instruction QEMU executes itself from its raw_cpuid (or, when the
profile has none, from its supported_cpuid).
docs/testing.md describes the method and its limits.

API (everything else is private):

  run(cpu, host=None, machine="pc-i440fx-7.2", smp=None, accel="kvm",
      qom=False, qmp=(), extra_args=(), timeout=30, fake_cpuid_insn=None)
      -> dict  (one oracle answer, the JSON printed by the CLI)
        cpu   : the -cpu string, e.g. "Haswell,-avx2,enforce"
        host  : None (the live host, record only), a profile path, or a
                profile dict
        smp   : None or the -smp string, e.g. "8,sockets=2,cores=2,threads=2"
        qom   : also qom-get feature-words and filtered-features per vCPU
        qmp   : extra QMP commands, each (command, arguments-dict); their
                answers land in result["qmp"] in order
  run_many(cases, workers=2) -> [dict]
        cases: a list of dicts of run() keyword arguments; results in order
  cpu_help() -> dict            parsed `-cpu help`
  query_cpu_definitions(host=None, machine=..., accel="kvm") -> [dict]
  parse_warnings(stderr_lines) -> [dict]
  load_profile(path) -> dict;  profile_to_spec(profile, fake_cpuid_insn) -> str
  available() -> None or a string saying why the oracle cannot run here
  class OracleUnavailable(Exception)  raised by run() & co. in that case

Result of run():
  {"ok": bool,            # QEMU reached QMP, answered, and quit with status 0
   "exit": int|None,      # QEMU's exit status (None: killed on timeout)
   "error": str|None,     # QEMU's error text (non-warning stderr) or ours
   "stderr": [lines], "warnings": [{"word","function","register","name",
                                    "bit","line","count"}],
   "cmdline": [...],
   "host": {"faked": bool, "fake_cpuid_insn": false|"raw_cpuid"|"supported_cpuid",
            "real_answers": [ops]},   # host questions the real KVM answered
                                      # (empty when a host is faked)
   "vcpus": [{"index", "apic_id", "qom_path", "props",
              "cpuid": [{"function","index","flags","eax","ebx","ecx","edx"}],
              "cpuid_ret": int,   # the real KVM's answer to SET_CPUID2;
                                  # if it refused while a host was faked,
                                  # QEMU was told 0: "cpuid_faked_success"
              "msrs": [{"index","value"}],      # call 0: the feature MSRs
              "msr_calls": [{"call","kind":"init"|"put","ret","msrs",
                             "rejected"?}],
              "ran": bool}],
   "kvm": {"supported_cpuid": [...], "feature_msr_index_list": [...],
           "feature_msrs": [...], "xcomp_guest_supp": "0x..."|None},
   "feature_words": {qom_path: [...]}, "filtered_features": {...},  # qom=True
   "qmp": [answers], "elapsed": seconds}
Numbers are "0x%08x" strings for CPUID registers and "0x%x" for MSRs.
"""
import argparse
import concurrent.futures
import json
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# The QEMU command: one binary, or words (shell-quoted) such as the sid
# loader + binary + -L prefix that tests/oracle/qemu_sid.py --print-cmd
# prints.  An LD_PRELOAD given in the environment reaches a binary started
# through an explicit ld.so as well.
QEMU = os.environ.get("VCPUID_QEMU", "qemu-system-x86_64")
QEMU_CMD = shlex.split(QEMU)


def set_qemu(cmd):
    """Use another QEMU: a command string (words) or a list of words."""
    global QEMU, QEMU_CMD
    QEMU_CMD = list(cmd) if isinstance(cmd, (list, tuple)) else shlex.split(cmd)
    QEMU = " ".join(shlex.quote(w) for w in QEMU_CMD)
DEFAULT_MACHINE = "pc-i440fx-7.2"
HERE = os.path.dirname(os.path.abspath(__file__))

__all__ = ["set_qemu", "run", "run_many", "cpu_help", "query_cpu_definitions",
           "parse_warnings", "load_profile", "profile_to_spec", "available",
           "OracleUnavailable"]


class OracleUnavailable(Exception):
    """QEMU, /dev/kvm or the preload library is missing."""


# ---------------------------------------------------------------- setup

def find_preload():
    """Path of kvm_preload.so: $VCPUID_ORACLE_PRELOAD or a build dir."""
    p = os.environ.get("VCPUID_ORACLE_PRELOAD")
    if p:
        return p if os.path.exists(p) else None
    root = os.path.dirname(os.path.dirname(HERE))
    for b in ("build", "build-asan", "builddir"):
        c = os.path.join(root, b, "tests", "oracle", "kvm_preload.so")
        if os.path.exists(c):
            return c
    return None


def available(need_kvm=True):
    """None when the oracle can run here, else the reason why not."""
    if not QEMU_CMD or not shutil.which(QEMU_CMD[0]):
        return "%s not found" % QEMU
    if need_kvm:
        if not os.path.exists("/dev/kvm"):
            return "/dev/kvm missing"
        if not os.access("/dev/kvm", os.R_OK | os.W_OK):
            return "/dev/kvm not accessible"
        if not find_preload():
            return "kvm_preload.so not built (set VCPUID_ORACLE_PRELOAD)"
    return None


def _require(need_kvm=True):
    why = available(need_kvm)
    if why:
        raise OracleUnavailable(why)


# ------------------------------------------------------------- profiles

def _num(v, what="number"):
    if isinstance(v, bool):
        raise ValueError("%s: expected a number, got %r" % (what, v))
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        t = v.strip()
        return int(t, 16) if t[:2].lower() == "0x" else int(t, 10)
    raise ValueError("%s: expected a number or \"0x...\" string, got %r"
                     % (what, v))


def load_profile(path):
    with open(path) as f:
        prof = json.load(f)
    if not isinstance(prof, dict):
        raise ValueError("%s: not a JSON object" % path)
    return prof


def _cpuid_lines(kw, entries, with_flags=True):
    out = []
    for i, e in enumerate(entries or []):
        where = "%s[%d]" % (kw, i)
        fn = _num(e.get("function", e.get("leaf")), where + ".function")
        idx = _num(e.get("index", e.get("subleaf", 0)), where + ".index")
        fl = _num(e.get("flags", 0), where + ".flags") if with_flags else 0
        regs = [_num(e.get(r, 0), where + "." + r)
                for r in ("eax", "ebx", "ecx", "edx")]
        out.append("%s 0x%x 0x%x 0x%x 0x%x 0x%x 0x%x 0x%x"
                   % ((kw, fn, idx, fl) + tuple(regs)))
    return out


# KVM_CHECK_EXTENSION answers taken from a profile's "capabilities": those
# that change what QEMU computes for the guest CPU or whether it starts, and
# whose follow-up ioctls the preload answers itself (others would make QEMU
# use ioctls this kernel may lack).  A profile without "capabilities" is a
# modern kernel: every one of them is answered yes (as vcpuid assumes);
# a profile with "capabilities" that lacks one says no.
FAKED_CAPS = {
    60: "KVM_CAP_TSC_CONTROL",          # tsc-frequency accepted (SET_TSC_KHZ)
    61: "KVM_CAP_GET_TSC_KHZ",          # 0x40000010 TSC rate (GET_TSC_KHZ)
    72: "KVM_CAP_TSC_DEADLINE_TIMER",   # tsc-deadline in supported 1.ECX
    153: "KVM_CAP_GET_MSR_FEATURES",    # feature MSRs read at all
    190: "KVM_CAP_ENFORCE_PV_FEATURE_CPUID",  # kvm-pv-enforce-cpuid=on
    209: "KVM_CAP_SYS_ATTRIBUTES",      # XCOMP_GUEST_SUPP asked at all
}
XSAVE2 = 208    # XSAVE buffer size: the preload takes the max with the real


def faked_caps(kvm):
    """[(id, value)] of the KVM_CHECK_EXTENSION answers the preload gives
    for the profile's kvm section (FAKED_CAPS, plus XSAVE2 when known)."""
    caps = {}
    listed = kvm.get("capabilities") or []
    for c in listed:
        if isinstance(c, dict) and c.get("id") is not None:
            caps[_num(c["id"])] = _num(c.get("value", 0))
    out = []
    for cid in sorted(FAKED_CAPS):
        v = caps.get(cid, 0) if listed else 1
        if cid == 153 and not kvm.get("feature_msrs"):
            v = 0   # QEMU asserts a non-empty feature MSR list
        if cid == 60 and not kvm.get("tsc_khz"):
            v = 1   # rate unknown: any tsc-frequency works, as vcpuid says
        out.append((cid, v))
    if XSAVE2 in caps:
        out.append((XSAVE2, caps[XSAVE2]))
    return out


def profile_to_spec(prof, fake_cpuid_insn=None):
    """(spec text, source) for a profile dict: the preload's host spec
    (docs/testing.md) and where the CPUID instruction's answers come from:
    "raw_cpuid", "supported_cpuid" (the profile has no raw_cpuid) or False
    (fake_cpuid_insn=False: the real instruction).  None = the default."""
    kvm = prof.get("kvm")
    if not isinstance(kvm, dict):
        raise ValueError("profile has no \"kvm\" object%s" % (
            " (%s)" % prof["kvm_absent"] if prof.get("kvm_absent") else ""))
    if "supported_cpuid" not in kvm:
        raise ValueError("profile kvm section has no supported_cpuid")
    lines = ["# vcpuid-oracle host spec 1"]
    lines += _cpuid_lines("supported", kvm.get("supported_cpuid"))
    lines.append("emulated-present")     # none recorded: none emulated
    lines += _cpuid_lines("emulated", kvm.get("emulated_cpuid"))
    for i, m in enumerate(kvm.get("feature_msrs") or []):
        lines.append("msr 0x%x 0x%x" % (
            _num(m.get("index"), "feature_msrs[%d].index" % i),
            _num(m.get("value", 0), "feature_msrs[%d].value" % i)))
    if kvm.get("msr_index_list") is not None:
        lines.append("msr-index-present")
        for i, m in enumerate(kvm["msr_index_list"]):
            lines.append("msr-index 0x%x" % _num(m, "msr_index_list[%d]" % i))
    if kvm.get("xcomp_guest_supp") is not None:
        lines.append("xcomp 0x%x" % _num(kvm["xcomp_guest_supp"],
                                         "xcomp_guest_supp"))
    if kvm.get("tsc_khz"):
        lines.append("tsc-khz %d" % _num(kvm["tsc_khz"], "tsc_khz"))
    for cid, v in faked_caps(kvm):
        lines.append("cap %d %d" % (cid, v))
    for i, m in enumerate(kvm.get("refused_msrs") or []):
        lines.append("refuse-msr 0x%x" % _num(m, "refused_msrs[%d]" % i))
    source = False
    if fake_cpuid_insn is not False:
        raw = prof.get("raw_cpuid")
        source = "raw_cpuid"
        if not raw:
            # No capture of the instruction: KVM's supported table carries
            # the host's vendor, family/model, brand, cache and XSAVE leaves.
            raw = kvm["supported_cpuid"]
            source = "supported_cpuid"
        lines += _cpuid_lines("raw", raw, with_flags=False)
        lines.append("fake-cpuid-insn 1")
    return "\n".join(lines) + "\n", source


# ------------------------------------------------------------- warnings

# QEMU 7.2 names a CPUID word "CPUID.07H:EBX", QEMU 11
# "CPUID[eax=07h,ecx=00h].EBX" (with the subleaf).
_WARN_RE = re.compile(
    r"(?:host|TCG) doesn't support requested feature: "
    r"(?P<word>CPUID\.(?P<fn>[0-9A-Fa-f]+)H:(?P<reg>E[ABCD]X)"
    r"|CPUID\[eax=(?P<fn2>[0-9A-Fa-f]+)h,ecx=(?P<sub>[0-9A-Fa-f]+)h\]"
    r"\.(?P<reg2>E[ABCD]X)"
    r"|MSR\((?P<msr>[0-9A-Fa-f]+)H\))"
    r"(?:\.(?P<name>\S+))? \[bit (?P<bit>\d+)\]")


def parse_warnings(lines):
    """Filtered-feature warnings, deduplicated (QEMU prints them per vCPU)
    in first-seen order, each with how often it was printed."""
    out, seen = [], {}
    for line in lines:
        m = _WARN_RE.search(line)
        if not m:
            continue
        key = m.group(0)
        if key in seen:
            seen[key]["count"] += 1
            continue
        w = {"word": m.group("word"), "name": m.group("name"),
             "bit": int(m.group("bit")), "line": line, "count": 1}
        if m.group("fn"):
            w["function"] = "0x%08x" % int(m.group("fn"), 16)
            w["register"] = m.group("reg")
        elif m.group("fn2"):
            w["function"] = "0x%08x" % int(m.group("fn2"), 16)
            w["index"] = "0x%08x" % int(m.group("sub"), 16)
            w["register"] = m.group("reg2")
        else:
            w["msr"] = "0x%x" % int(m.group("msr"), 16)
        seen[key] = w
        out.append(w)
    return out


# ------------------------------------------------------------- QMP

class _Qmp:
    def __init__(self, proc, deadline):
        self.p = proc
        self.deadline = deadline
        self.buf = b""

    def _line(self):
        while b"\n" not in self.buf:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("QMP timeout")
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                continue
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError("QEMU closed QMP")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line.decode("utf-8", "replace"))

    def greeting(self):
        msg = self._line()
        if "QMP" not in msg:
            raise EOFError("no QMP greeting: %r" % msg)

    def cmd(self, name, args=None):
        req = {"execute": name}
        if args:
            req["arguments"] = args
        self.p.stdin.write((json.dumps(req) + "\n").encode())
        self.p.stdin.flush()
        while True:
            msg = self._line()
            if "return" in msg:
                return msg["return"]
            if "error" in msg:
                return {"error": msg["error"]}
            # events ({"event": ...}) are skipped


# ------------------------------------------------------------- records

def _read_records(path):
    recs = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        recs.append(json.loads(line))
                    except ValueError:
                        recs.append({"op": "garbled", "line": line[:200]})
    except FileNotFoundError:
        pass
    return recs


def _kvm_view(recs):
    """What QEMU learnt from (real or faked) KVM."""
    v = {"supported_cpuid": None, "feature_msr_index_list": None,
         "feature_msrs": [], "xcomp_guest_supp": None, "faked": False}
    seen = set()
    for r in recs:
        op = r.get("op")
        if r.get("faked"):
            v["faked"] = True
        if op == "get_supported_cpuid" and r.get("ret") == 0:
            v["supported_cpuid"] = r.get("entries")
        elif op == "get_msr_feature_index_list" and r.get("ret") == 0:
            v["feature_msr_index_list"] = r.get("indices")
        elif op == "get_feature_msrs":
            for m in r.get("msrs", []):
                if m["index"] not in seen:
                    seen.add(m["index"])
                    v["feature_msrs"].append(m)
        elif op == "get_xcomp_guest_supp" and r.get("ret") == 0:
            v["xcomp_guest_supp"] = r.get("value")
    return v


# What QEMU asks about the host; with a host spec each must be faked.
HOST_OPS = ("get_supported_cpuid", "get_emulated_cpuid", "get_msr_index_list",
            "get_msr_feature_index_list", "get_feature_msrs",
            "get_xcomp_guest_supp", "get_tsc_khz", "set_tsc_khz",
            "xcomp_guest_perm")


def _unfaked(recs):
    """The host-describing answers that came from the real KVM."""
    return sorted({r["op"] for r in recs
                   if r.get("op") in HOST_OPS and not r.get("faked")})


def _vcpus(recs, cpus):
    """Per-vCPU capture, ordered by cpu-index; cpus from query-cpus-fast
    (with apic_id added) or None when QEMU never answered."""
    by_id = {}
    order = []
    for r in recs:
        op = r.get("op")
        if op == "create_vcpu" and r.get("vcpu_fd", -1) >= 0:
            by_id[r["vcpu_id"]] = {"apic_id": r["vcpu_id"], "cpuid": None,
                                   "cpuid_ret": None, "msrs": [],
                                   "msr_calls": [], "ran": False}
            order.append(r["vcpu_id"])
        elif op in ("set_cpuid2", "set_msrs", "run"):
            v = by_id.get(r.get("vcpu_id"))
            if v is None:
                continue
            if op == "set_cpuid2":
                if v["cpuid"] is None:
                    v["cpuid"] = [{k: e[k] for k in ("function", "index",
                                                     "flags", "eax", "ebx",
                                                     "ecx", "edx")}
                                  for e in r["entries"]]
                    v["cpuid_ret"] = r["ret"]
                    if r.get("faked_success"):
                        v["cpuid_errno"] = r.get("error")
                        v["cpuid_faked_success"] = True
            elif op == "set_msrs":
                c = {"call": r["call"],
                     "kind": "init" if (r["call"] == 0 and r["after_cpuid"])
                     else "put",
                     "ret": r["ret"], "msrs": r["msrs"]}
                if r.get("rejected"):
                    c["rejected"] = r["rejected"]
                if "real_ret" in r:
                    c["real_ret"] = r["real_ret"]
                v["msr_calls"].append(c)
                if c["kind"] == "init":
                    v["msrs"] = r["msrs"]
            else:
                v["ran"] = True
    out = []
    if cpus:
        for c in sorted(cpus, key=lambda c: c.get("cpu-index", 0)):
            aid = c.get("apic_id")
            if aid is None and len(order) > len(out):
                aid = order[len(out)]
            v = by_id.get(aid, {"apic_id": aid, "cpuid": None,
                                "cpuid_ret": None, "msrs": [],
                                "msr_calls": [], "ran": False})
            v = dict(v, index=c.get("cpu-index"), qom_path=c.get("qom-path"),
                     props=c.get("props"))
            out.append(v)
    else:
        for i, aid in enumerate(order):
            out.append(dict(by_id[aid], index=i, qom_path=None, props=None))
    return out


# ------------------------------------------------------------- running

def _spec_file(host, fake_cpuid_insn, tmpdir):
    if host is None:
        if fake_cpuid_insn:
            raise ValueError("faking the CPUID instruction needs a host profile")
        return None, False
    prof = load_profile(host) if isinstance(host, str) else host
    text, fake = profile_to_spec(prof, fake_cpuid_insn)
    path = os.path.join(tmpdir, "host.spec")
    with open(path, "w") as f:
        f.write(text)
    return path, fake


def _launch(args, host, fake_cpuid_insn, tmpdir):
    preload = find_preload()
    spec, fake = _spec_file(host, fake_cpuid_insn, tmpdir)
    out = os.path.join(tmpdir, "records.jsonl")
    env = dict(os.environ)
    env["LD_PRELOAD"] = preload
    env["VCPUID_ORACLE_OUT"] = out
    env.pop("VCPUID_ORACLE_HOST", None)
    if spec:
        env["VCPUID_ORACLE_HOST"] = spec
    errf = open(os.path.join(tmpdir, "stderr"), "w+b")
    proc = subprocess.Popen(args, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=errf, env=env,
                            start_new_session=True)
    return proc, errf, out, {"faked": spec is not None,
                             "fake_cpuid_insn": fake}


def _finish(proc, errf, timeout):
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        code = None
    for s in (proc.stdin, proc.stdout):
        try:
            s.close()
        except OSError:
            pass
    errf.seek(0)
    lines = errf.read().decode("utf-8", "replace").splitlines()
    errf.close()
    return code, lines


def _base_args(machine, cpu, smp, accel, extra_args):
    args = QEMU_CMD + ["-accel", accel, "-machine", machine, "-cpu", cpu,
            "-m", "128", "-S", "-nodefaults", "-no-user-config",
            "-display", "none", "-qmp", "stdio"]
    if smp:
        args += ["-smp", str(smp)]
    return args + list(extra_args)


def _error_text(lines):
    errs = [ln for ln in lines if "warning:" not in ln]
    return "\n".join(errs) if errs else None


def run(cpu, host=None, machine=DEFAULT_MACHINE, smp=None, accel="kvm",
        qom=False, qmp=(), extra_args=(), timeout=30, fake_cpuid_insn=None):
    """One oracle run; see the module docstring for the result."""
    _require(need_kvm=(accel == "kvm"))
    if accel != "kvm" and not find_preload():
        raise OracleUnavailable("kvm_preload.so not built")
    t0 = time.monotonic()
    args = _base_args(machine, cpu, smp, accel, extra_args)
    res = {"ok": False, "exit": None, "error": None, "stderr": [],
           "warnings": [], "cmdline": args, "vcpus": [], "kvm": None,
           "qmp": []}
    with tempfile.TemporaryDirectory(prefix="vcpuid-oracle-") as tmp:
        proc, errf, out, hostinfo = _launch(args, host, fake_cpuid_insn, tmp)
        res["host"] = hostinfo
        cpus = None
        q = _Qmp(proc, t0 + timeout)
        err = None
        try:
            q.greeting()
            q.cmd("qmp_capabilities")
            cpus = q.cmd("query-cpus-fast")
            if isinstance(cpus, dict):
                err, cpus = "query-cpus-fast: %s" % cpus.get("error"), None
            for c in cpus or []:
                a = q.cmd("qom-get", {"path": c["qom-path"],
                                      "property": "apic-id"})
                c["apic_id"] = a if isinstance(a, int) else None
            if qom and cpus:
                res["feature_words"], res["filtered_features"] = {}, {}
                for c in cpus:
                    for prop, key in (("feature-words", "feature_words"),
                                      ("filtered-features",
                                       "filtered_features")):
                        res[key][c["qom-path"]] = q.cmd(
                            "qom-get", {"path": c["qom-path"],
                                        "property": prop})
            for name, a in qmp:
                res["qmp"].append(q.cmd(name, a))
            q.cmd("quit")
        except (EOFError, TimeoutError, OSError, ValueError) as e:
            err = str(e)
        left = max(1.0, t0 + timeout - time.monotonic())
        code, lines = _finish(proc, errf, left)
        recs = _read_records(out)
    res["exit"] = code
    res["stderr"] = lines
    res["warnings"] = parse_warnings(lines)
    res["error"] = _error_text(lines) or (err if (err or code) else None)
    if code is None:
        res["error"] = (res["error"] or "") + " (killed after %ss)" % timeout
    res["ok"] = cpus is not None and err is None and code == 0
    res["vcpus"] = _vcpus(recs, cpus)
    res["kvm"] = _kvm_view(recs)
    res["host"]["real_answers"] = _unfaked(recs)
    res["elapsed"] = round(time.monotonic() - t0, 3)
    return res


def run_many(cases, workers=2):
    """Run many cases (dicts of run() keyword arguments) in parallel;
    results come back in the order of cases."""
    _require()
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as ex:
        return list(ex.map(lambda c: run(**c), cases))


def query_cpu_definitions(host=None, machine=DEFAULT_MACHINE, accel="kvm",
                          timeout=30, fake_cpuid_insn=None):
    """QMP query-cpu-definitions (with unavailable-features) for a host."""
    res = run("qemu64", host=host, machine=machine, accel=accel,
              qmp=[("query-cpu-definitions", None)], timeout=timeout,
              fake_cpuid_insn=fake_cpuid_insn)
    if not res["ok"] or not res["qmp"] or isinstance(res["qmp"][0], dict):
        raise RuntimeError("query-cpu-definitions failed: %s"
                           % (res["error"] or res["qmp"]))
    return sorted(res["qmp"][0], key=lambda d: d.get("name", ""))


# QEMU 7.2 prints "x86 NAME  DESC", QEMU 11 "  NAME  DESC".
_CPU_LINE = re.compile(r"^(?:x86 |  )(\S+)\s*(.*)$")


def cpu_help():
    """`qemu-system-x86_64 -cpu help`, parsed."""
    _require(need_kvm=False)
    p = subprocess.run(QEMU_CMD + ["-cpu", "help"], capture_output=True,
                       text=True, timeout=30)
    if p.returncode:
        raise RuntimeError("-cpu help failed: %s" % p.stderr.strip())
    models, flags, in_flags = [], [], False
    for line in p.stdout.splitlines():
        if line.startswith("Recognized CPUID flags"):
            in_flags = True
            continue
        if line.startswith("Available CPUs"):
            continue
        if in_flags:
            if line.startswith("  "):
                flags += line.split()
            else:
                in_flags = False
            continue
        m = _CPU_LINE.match(line)
        if not m:
            continue
        name, desc = m.group(1), m.group(2).strip()
        d = {"name": name, "description": desc}
        a = re.match(r"^\(alias of (\S+)\)$", desc)
        if a:
            d["alias_of"] = a.group(1)
        elif desc == "(alias configured by machine type)":
            d["alias_of_machine_version"] = True
        v = re.match(r"^(.*?) \[(.*)\]$", desc)
        if v:
            d["model_id"], d["version_note"] = v.group(1), v.group(2)
        elif not desc.startswith("("):
            d["model_id"] = desc
        models.append(d)
    uniq = []
    for f in flags:
        if f not in uniq:
            uniq.append(f)
    return {"qemu": QEMU, "models": models, "flags": uniq}


# ------------------------------------------------------------- CLI

def main(argv=None):
    ap = argparse.ArgumentParser(
        description="QEMU 7.2 as a test oracle: what -cpu SPEC hands to KVM "
                    "on a described host (docs/testing.md).")
    ap.add_argument("--host", help="host profile JSON (default: the live "
                    "host, record only)")
    ap.add_argument("--cpu", help="-cpu spec, e.g. Haswell,-avx2")
    ap.add_argument("--machine", default=DEFAULT_MACHINE)
    ap.add_argument("--qemu", help="QEMU command (words; default "
                    "$VCPUID_QEMU or qemu-system-x86_64), e.g. the output "
                    "of tests/oracle/qemu_sid.py --print-cmd")
    ap.add_argument("--smp", help="-smp spec, e.g. 8,sockets=2,cores=2,threads=2")
    ap.add_argument("--accel", default="kvm")
    ap.add_argument("--qom", action="store_true",
                    help="also report QOM feature-words/filtered-features")
    ap.add_argument("--qmp", action="append", default=[],
                    metavar="'NAME [JSON-ARGS]'",
                    help="an extra QMP command (repeatable); answers in "
                    "\"qmp\", e.g. 'query-cpu-model-expansion {\"type\": "
                    "\"full\", \"model\": {\"name\": \"Haswell\"}}'")
    ap.add_argument("--timeout", type=float, default=30)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--fake-cpuid-insn", dest="fake", action="store_true",
                   default=None, help="answer the CPUID instruction QEMU "
                   "executes from the profile's raw_cpuid, else its "
                   "supported_cpuid (the default with --host)")
    g.add_argument("--real-cpuid-insn", dest="fake", action="store_false",
                   help="let QEMU's CPUID instruction reach the real CPU")
    ap.add_argument("--cpu-help", action="store_true",
                    help="print the parsed `-cpu help`")
    ap.add_argument("--query-cpu-definitions", action="store_true",
                    help="print QMP query-cpu-definitions for --host")
    ap.add_argument("--spec", action="store_true",
                    help="print the preload's host spec for --host and exit")
    a = ap.parse_args(argv)
    if a.qemu:
        set_qemu(a.qemu)
    try:
        if a.spec:
            if not a.host:
                ap.error("--spec needs --host")
            sys.stdout.write(profile_to_spec(load_profile(a.host), a.fake)[0])
            return 0
        if a.cpu_help:
            out = cpu_help()
        elif a.query_cpu_definitions:
            out = query_cpu_definitions(a.host, a.machine, a.accel, a.timeout,
                                        a.fake)
        else:
            if not a.cpu:
                ap.error("--cpu is required")
            qmp = []
            for q in a.qmp:
                name, _, args = q.strip().partition(" ")
                qmp.append((name, json.loads(args) if args.strip() else None))
            out = run(a.cpu, host=a.host, machine=a.machine, smp=a.smp,
                      accel=a.accel, qom=a.qom, qmp=qmp, timeout=a.timeout,
                      fake_cpuid_insn=a.fake)
    except OracleUnavailable as e:
        print("qemu_oracle: skipped: %s" % e, file=sys.stderr)
        return 77
    except (ValueError, OSError, RuntimeError) as e:
        print("qemu_oracle: %s" % e, file=sys.stderr)
        return 2
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0 if (not isinstance(out, dict) or out.get("ok", True)) else 1


if __name__ == "__main__":
    sys.exit(main())
