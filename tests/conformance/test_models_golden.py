#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The catalog against what QEMU 11.1 printed (golden data), or live.

usage: test_models_golden.py VCPUID [--golden DIR] [--machine M] [--live]

Golden data (tests/conformance/golden/qemu-11.1, recorded by qemu_golden.py
from Debian sid's QEMU 11.1.3) is compared with `vcpuid` for machine M
(default pc-i440fx-11.1):

1. `vcpuid models --machine M --all` lists exactly QEMU's `-cpu help` models,
   in the same order, with the same descriptions.
2. `vcpuid models --machines` has every pc-i440fx/pc-q35 type of QEMU's
   `-machine help` that is newer than 10.2, and its default machine type is
   QEMU's default.
3. Every "Recognized CPUID flags" name is a catalog name or alias that exists
   in QEMU 11.1 (qemu_since <= 1101), every catalog name marked 11.0/11.1 is
   in the list, and every CPUID name sits on the bit QEMU sets for it
   (flag-bits.json; extra bits QEMU sets in leaf 0xD for xsave are allowed).
4. Every model's definition (`vcpuid models --show NAME`) matches QEMU's full
   TCG expansion: vendor, family, model, stepping, model-id, min-level,
   min-xlevel, min-xlevel2, level/xlevel when a version sets them,
   legacy-cache, x-force-cpuid-0x1f, avx10-version and every flag. A flag
   that is a prerequisite of QEMU's feature dependencies is read from the
   query without extra properties, vmx-secondary-ctls from the one with vmx
   on, vmx-ept/vpid/vmfunc from the one with vmx-secondary-ctls on; every
   other flag is on when any query shows it on (dependencies only clear
   flags, and the extra properties are the prerequisites themselves). TCG
   turns hypervisor on and vme off for every model.

--live: also regenerate the golden data from the sid QEMU
(tests/oracle/qemu_sid.py; exit 77 when it is unavailable or not 11.1.x),
require it to equal the committed files, and run the checks on it.
Exit 0 pass, 1 fail, 77 skip.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import qemu_golden  # noqa: E402

GOLDEN = os.path.join(HERE, 'golden', 'qemu-11.1')
QEMU_RELEASE = 1101
GATED = {'vmx-secondary-ctls': '3', 'vmx-ept': '4', 'vmx-vpid': '4',
         'vmx-vmfunc': '4'}


def skip(why):
    print('SKIP: ' + why)
    sys.exit(77)


def vcpuid_json(vcpuid, *args):
    p = subprocess.run([vcpuid] + list(args), capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError('vcpuid %s: %s' % (' '.join(args), p.stderr.strip()))
    return json.loads(p.stdout)


class Golden:
    def __init__(self, d):
        self.dir = d
        with open(os.path.join(d, 'cpu-help.txt')) as f:
            self.types, self.flags = qemu_golden.parse_cpu_help(f.read())
        with open(os.path.join(d, 'machine-help.txt')) as f:
            self.machine_help = f.read()
        with open(os.path.join(d, 'flag-bits.json')) as f:
            self.flag_bits = json.load(f)

    def expansion(self, name):
        seen = set()
        while True:
            with open(os.path.join(self.dir, 'expansions',
                                   name + '.json')) as f:
                e = json.load(f)
            if 'same_as' not in e:
                return e
            seen.add(name)
            name = e['same_as']
            if name in seen:
                raise RuntimeError('same_as loop at ' + name)

    def model(self, name):
        """The model as QEMU defines it (see the module docstring)."""
        e = self.expansion(name)
        q1 = e['1']
        qs = {k: dict(q1, **e[k]) for k in ('2', '3', '4')}
        out = {}
        for k, v in q1.items():
            if k in GATED:
                out[k] = qs[GATED[k]][k]
            elif k in qemu_golden.PREREQ or not isinstance(v, bool):
                out[k] = v
            else:
                out[k] = v or any(qs[x][k] for x in qs)
        return out


def check_list(g, vcpuid, machine, fail):
    mine = vcpuid_json(vcpuid, 'models', '--machine', machine, '--all',
                       '--json')['models']
    ours = [(m['name'], m['description'].strip()) for m in mine]
    theirs = [(n, d.strip()) for n, d in g.types]
    qs, os_ = set(theirs), set(ours)
    for t in sorted(qs - os_):
        fail('-cpu help: QEMU has, vcpuid lacks: %r' % (t,))
    for t in sorted(os_ - qs):
        fail('-cpu help: vcpuid has, QEMU lacks: %r' % (t,))
    if qs == os_ and ours != theirs:
        fail('-cpu help: same models, different order')
    print('-cpu help: %d QEMU models, %d ours' % (len(theirs), len(ours)))
    return [n for n, _ in ours]


def check_machines(g, vcpuid, fail):
    ours = vcpuid_json(vcpuid, 'models', '--machines', '--json')
    names = [m['name'] if isinstance(m, dict) else m
             for m in (ours.get('machines') if isinstance(ours, dict)
                       else ours)]
    qemu_default = None
    newer = []
    for line in g.machine_help.splitlines():
        w = line.split()
        if not w or not w[0].startswith(('pc-i440fx-', 'pc-q35-')):
            continue
        if '(default)' in line:
            qemu_default = w[0]
        ver = w[0].rsplit('-', 1)[1].split('.')
        if (int(ver[0]), int(ver[1])) > (10, 2):
            newer.append(w[0])
    for m in newer:
        if m not in names:
            fail('machine type %s of QEMU 11.1 missing' % m)
    if names and names[-1] != qemu_default:
        fail('default machine: ours %s, QEMU %s' % (names[-1], qemu_default))
    print('machine types: QEMU 11.1 has %s (default %s)'
          % (' '.join(sorted(newer)), qemu_default))


def check_flags(g, vcpuid, fail):
    feats = vcpuid_json(vcpuid, 'features', '--json')['features']
    byname = {}
    for f in feats:
        for n in [f['name']] + f['aliases']:
            byname.setdefault(n, []).append(f)
    listed = set(g.flags)
    for n in g.flags:
        fs = byname.get(n)
        if not fs:
            fail('flag %s: QEMU 11.1 knows it, the catalog does not' % n)
            continue
        if all(f['qemu_since'] > QEMU_RELEASE for f in fs):
            fail('flag %s: in QEMU 11.1 but marked qemu_since %s'
                 % (n, [f['qemu_since'] for f in fs]))
        bits = g.flag_bits.get(n)
        if not bits:
            continue
        qb = {(int(b[0], 16), int(b[1], 16), b[2], b[3]) for b in bits}
        ours = {(int(f['leaf'], 16), int(f['subleaf'], 16), f['register'],
                 f['bit']) for f in fs if f['qemu_since'] <= QEMU_RELEASE}
        words = {o[:3] for o in ours}
        same_word = {b for b in qb if b[:3] in words}
        other = {b for b in qb - same_word if b[0] != 0xd}
        if same_word != ours or other:
            fail('flag %s: QEMU sets %s, catalog %s' % (n, sorted(qb),
                                                       sorted(ours)))
    for f in feats:
        if 1100 <= f['qemu_since'] <= QEMU_RELEASE and \
                not ({f['name']} | set(f['aliases'])) & listed:
            fail('flag %s: marked qemu_since %d but not in QEMU 11.1'
                 % (f['name'], f['qemu_since']))
    print('flags: %d names, %d with CPUID bits checked'
          % (len(g.flags), sum(1 for n in g.flags if g.flag_bits.get(n))))
    return {f['name'] for f in feats if f['qemu_since'] <= QEMU_RELEASE}


def expected(d, names):
    feats = {n: False for n in names}
    for f in d['features']:
        feats[f] = True
    props = {'vendor': d['vendor'], 'family': d['family'],
             'model': d['model'], 'stepping': d['stepping'],
             'model-id': d['model_id'],
             'x-force-cpuid-0x1f': False, 'avx10-version': 0}
    for k, v, _ in d['props']:
        if k in names:
            feats[k] = v == 'on'
        elif k in ('family', 'model', 'stepping', 'level', 'xlevel',
                   'xlevel2', 'avx10-version'):
            props[k] = int(v, 0)
        elif v in ('on', 'off'):
            props[k] = v == 'on'
        else:
            props[k] = v
    feats['hypervisor'] = True
    feats['vme'] = False
    props['legacy-cache'] = d['cache'] is None
    return feats, props


def levels(vcpuid, machine, name, q, fail):
    """The final levels `vcpuid expand --host none` computes (auto-level
    raises included) against QEMU's level/xlevel/xlevel2."""
    p = subprocess.run([vcpuid, 'expand', '--machine', machine, '--cpu', name,
                        '--host', 'none', '--json'],
                       capture_output=True, text=True)
    if p.returncode:
        fail('%s: vcpuid expand: %s' % (name, p.stderr.strip()))
        return
    cpu = json.loads(p.stdout)['cpu']
    for k in ('level', 'xlevel', 'xlevel2'):
        if int(cpu[k], 16) != q[k]:
            fail('%s: %s: QEMU %#x, vcpuid expand %s' % (name, k, q[k],
                                                          cpu[k]))


def check_models(g, vcpuid, machine, models, names, fail):
    checked = 0
    for name in models:
        if name in ('host', 'max', 'base'):
            continue
        d = vcpuid_json(vcpuid, 'models', '--machine', machine, '--show',
                        name)
        q = g.model(name)
        feats, props = expected(d, names)
        for k, v in props.items():
            if q.get(k) != v:
                fail('%s: %s: QEMU %r, vcpuid %r' % (name, k, q.get(k), v))
        # QEMU's min-* levels are the model's, raised for its features
        for k in ('level', 'xlevel', 'xlevel2'):
            if q['min-' + k] < int(d[k], 16):
                fail('%s: min-%s: QEMU %#x below the model\'s %s'
                     % (name, k, q['min-' + k], d[k]))
        levels(vcpuid, machine, name, q, fail)
        for n in sorted(names):
            got = q.get(n)
            if isinstance(got, bool) and got != feats[n]:
                fail('%s: %s: QEMU %s, vcpuid %s' % (name, n, got, feats[n]))
        checked += 1
    print('definitions: %d models compared with the full expansions'
          % checked)


def regenerate(fail):
    """Record from the sid QEMU into a temporary dir; compare with GOLDEN."""
    sid = os.path.join(os.path.dirname(HERE), 'oracle', 'qemu_sid.py')
    p = subprocess.run([sys.executable, sid, '--print-cmd'],
                       capture_output=True, text=True)
    if p.returncode:
        skip('sid QEMU unavailable: %s' % p.stderr.strip())
    cmd = qemu_golden.qemu_cmd(p.stdout.strip())
    ver = qemu_golden.run_text(cmd, '-version').split('\n')[0]
    if ' 11.1.' not in ver:
        skip('sid QEMU is not 11.1.x (%s); re-record the golden data' % ver)
    tmp = tempfile.mkdtemp(prefix='vcpuid-golden-')
    qemu_golden.record(tmp, 'pc-i440fx-11.1', cmd)
    for rel in ('cpu-help.txt', 'machine-help.txt', 'flag-bits.json'):
        with open(os.path.join(tmp, rel)) as a, \
                open(os.path.join(GOLDEN, rel)) as b:
            if a.read() != b.read():
                fail('live %s differs from the committed golden file' % rel)
    live = sorted(os.listdir(os.path.join(tmp, 'expansions')))
    committed = sorted(os.listdir(os.path.join(GOLDEN, 'expansions')))
    if live != committed:
        fail('live expansions list differs from the committed one')
    for rel in set(live) & set(committed):
        with open(os.path.join(tmp, 'expansions', rel)) as a, \
                open(os.path.join(GOLDEN, 'expansions', rel)) as b:
            if json.load(a) != json.load(b):
                fail('live expansion %s differs from the committed one' % rel)
    print('live: %s regenerated %d expansions' % (ver, len(live)))
    return tmp


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('vcpuid')
    ap.add_argument('--golden', default=GOLDEN)
    ap.add_argument('--machine', default='pc-i440fx-11.1')
    ap.add_argument('--live', action='store_true')
    a = ap.parse_args()
    failures = []
    fail = failures.append
    gdir = regenerate(fail) if a.live else a.golden
    g = Golden(gdir)
    models = check_list(g, a.vcpuid, a.machine, fail)
    check_machines(g, a.vcpuid, fail)
    names = check_flags(g, a.vcpuid, fail)
    check_models(g, a.vcpuid, a.machine, models, names, fail)
    if a.live:
        shutil.rmtree(gdir, ignore_errors=True)
    for f in failures:
        print('FAIL', f)
    print('%d failures' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
