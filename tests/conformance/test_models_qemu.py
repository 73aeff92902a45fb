#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Conformance of the model catalog with the installed QEMU (7.2).

1. `vcpuid models --machine pc-i440fx-7.2 --all` lists exactly the CPU types
   `qemu-system-x86_64 -cpu help` lists, with the same description lines.
2. For every type, QEMU's `query-cpu-model-expansion type=full` (TCG,
   machine pc-i440fx-7.2) agrees with our definition: vendor, family, model,
   stepping, min-level/min-xlevel/min-xlevel2 (or level/xlevel when a version
   sets them), model-id, legacy-cache, and every CPUID/MSR flag QEMU knows.

QEMU's expansion also runs its feature dependencies (a feature whose
prerequisite is off is cleared). So flags are compared in queries that turn
the prerequisites on, each flag where no dependency can touch it:
  Q1 no props:             the prerequisite flags themselves
  Q2 every prerequisite:   every other flag
  Q3 vmx:                  vmx-secondary-ctls (prerequisite gated by vmx)
  Q4 vmx + secondary-ctls: vmx-ept, vmx-vpid, vmx-vmfunc (gated by it)
  Q5 full-cpuid-auto-level=off: the levels (else raised for features)
Under TCG QEMU turns 'hypervisor' on and 'vme' off for every named model.

Usage: test_models_qemu.py VCPUID [MACHINE]. Exit 77 when QEMU is missing.
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_golden  # noqa: E402  (its QMP client)

MACHINE_DEFAULT = 'pc-i440fx-7.2'
# Prerequisites of QEMU 7.2's feature_dependencies[] (the "from" side).
PREREQ = ['arch-capabilities', 'core-capability', 'pdcm', 'vmx', 'lm',
          'vmx-secondary-ctls', 'xsaves', 'rdrand', 'invpcid', 'mpx', 'rdseed',
          'intel-pt', 'rdtscp', 'vmx-ept', 'vmx-vpid', 'vmx-vmfunc', 'svm']
GATED = {'vmx-secondary-ctls': 3, 'vmx-ept': 4, 'vmx-vpid': 4, 'vmx-vmfunc': 4}
Q_PROPS = {
    2: {n: True for n in PREREQ},
    3: {'vmx': True},
    4: {'vmx': True, 'vmx-secondary-ctls': True},
    5: {'full-cpuid-auto-level': False},
}
NUMERIC = {'family': 'family', 'model': 'model', 'stepping': 'stepping'}


def qemu_help():
    out = subprocess.run(['qemu-system-x86_64', '-machine', 'none', '-cpu', 'help'],
                         capture_output=True, text=True, check=True).stdout
    lines = out.split('\n')
    types, flags, i = [], set(), 1
    while lines[i].strip():
        types.append(lines[i])
        i += 1
    for line in lines[i:]:
        if line.startswith('  '):
            flags.update(line.split())
    return types, flags


def ours(vcpuid, machine, name):
    out = subprocess.run([vcpuid, 'models', '--machine', machine,
                          '--qemu', machine.rsplit('-', 1)[1], '--show', name],
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError('vcpuid models --show %s: %s' % (name, out.stderr.strip()))
    return json.loads(out.stdout)


def expected(d, flags):
    """Our definition after the version props, as QEMU's properties."""
    feats = {f: False for f in flags}
    for f in d['features']:
        feats[f] = True
    props = {'vendor': d['vendor'], 'family': d['family'], 'model': d['model'],
             'stepping': d['stepping'], 'model-id': d['model_id'],
             'min-level': int(d['level'], 16), 'min-xlevel': int(d['xlevel'], 16),
             'min-xlevel2': int(d['xlevel2'], 16)}
    for k, v, _ in d['props']:
        if k in flags:
            if v not in ('on', 'off'):
                raise RuntimeError('%s: flag %s=%s' % (d['name'], k, v))
            feats[k] = v == 'on'
        elif k in ('family', 'model', 'stepping', 'level', 'xlevel', 'xlevel2'):
            props[k] = int(v, 0)
        else:
            props[k] = v
    feats['hypervisor'] = True
    feats['vme'] = False
    props['legacy-cache'] = d['cache'] is None
    return feats, props


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    if not shutil.which('qemu-system-x86_64'):
        print('SKIP: qemu-system-x86_64 not installed')
        return 77
    vcpuid = sys.argv[1]
    machine = sys.argv[2] if len(sys.argv) > 2 else MACHINE_DEFAULT
    failures = []

    # 1. the -cpu help list
    qtypes, flags = qemu_help()
    out = subprocess.run([vcpuid, 'models', '--machine', machine,
                          '--qemu', machine.rsplit('-', 1)[1], '--all', '--json'],
                         capture_output=True, text=True, check=True).stdout
    mine = json.loads(out)['models']
    ourlines = ['x86 %-20s  %s' % (m['name'], m['description']) for m in mine]
    qs, os_ = set(qtypes), set(ourlines)
    for line in sorted(qs - os_):
        failures.append('-cpu help: QEMU has, vcpuid lacks: %r' % line)
    for line in sorted(os_ - qs):
        failures.append('-cpu help: vcpuid has, QEMU lacks: %r' % line)
    if not failures and ourlines != qtypes:
        failures.append('-cpu help: same lines, different order')
    print('-cpu help: %d QEMU lines, %d ours, %d differences' %
          (len(qtypes), len(ourlines), len(failures)))

    # 2. every type's definition against QEMU's full expansion
    q = qemu_golden.Qmp(['qemu-system-x86_64'], machine)
    checked = 0
    try:
        for m in mine:
            name = m['name']
            if name in ('host', 'max', 'base'):
                continue
            d = ours(vcpuid, machine, name)
            feats, props = expected(d, flags)
            res = {n: q.expand(name, Q_PROPS.get(n)) for n in (1, 2, 3, 4, 5)}
            for k, v in props.items():
                got = res[5 if 'level' in k else 1].get(k)
                if got != v:
                    failures.append('%s: %s: QEMU %r, vcpuid %r' % (name, k, got, v))
            for f in sorted(flags):
                if f in GATED:
                    n = GATED[f]
                elif f in PREREQ:
                    n = 1
                else:
                    n = 2
                got = res[n].get(f)
                if got is None:
                    continue  # a flag name that is no property (alias spellings)
                if got != feats[f]:
                    failures.append('%s: %s: QEMU %s, vcpuid %s (query %d)' %
                                    (name, f, got, feats[f], n))
            checked += 1
    finally:
        q.close()
    print('definitions: %d types compared with query-cpu-model-expansion' % checked)
    for f in failures:
        print('FAIL', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
