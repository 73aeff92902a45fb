#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Python binding (import vcpuid) against the C structs it mirrors and
against the vcpuid command's answers for the same questions.

usage: test_vcpuid.py LAYOUT_EXE VCPUID_EXE SOURCE_ROOT
(meson test --suite python sets PYTHONPATH and VCPUID_LIBRARY.)

Bundled profiles only, except one test of the live host whose expectations
come from the live host itself."""
import ctypes
import json
import os
import subprocess
import sys
import unittest

LAYOUT, VCPUID, ROOT = sys.argv[1:4]
del sys.argv[1:4]

import vcpuid  # noqa: E402
from vcpuid import _ffi  # noqa: E402

ICELAKE = 'bundled:fc-intel-icelake-6.1'
CASCADE = 'bundled:fc-intel-cascadelake-6.1'
MILAN = 'bundled:fc-amd-milan-6.1'


# The C programs carry their own sanitizer runtime when built with one; the
# preload meson gives this (uninstrumented) python3 is not for them.
C_ENV = {k: v for k, v in os.environ.items() if k != 'LD_PRELOAD'}


def cli(*args):
    """(exit code, stdout) of the vcpuid command."""
    p = subprocess.run([VCPUID, *args], capture_output=True, text=True,
                       env=C_ENV)
    return p.returncode, p.stdout


def cli_json(*args):
    rc, out = cli(*args)
    return rc, json.loads(out)


def hexes(e):
    return tuple(int(e[k], 16) for k in
                 ('function', 'index', 'flags', 'eax', 'ebx', 'ecx', 'edx'))


class Layout(unittest.TestCase):
    def test_structs_match_c(self):
        c = json.loads(subprocess.run([LAYOUT], check=True, capture_output=True,
                                      text=True, env=C_ENV).stdout)
        self.assertEqual(set(c), set(_ffi.STRUCTS))
        for name, cls in _ffi.STRUCTS.items():
            with self.subTest(struct=name):
                fields = [f[0] for f in cls._fields_]
                self.assertEqual(fields, list(c[name]['fields']))
                for f in fields:
                    self.assertEqual(getattr(cls, f).offset,
                                     c[name]['fields'][f], f'{name}.{f}')
                if name not in _ffi.PARTIAL:
                    self.assertEqual(ctypes.sizeof(cls), c[name]['size'])


class Readme(unittest.TestCase):
    def test_documented_command(self):
        """The command README.md and docs/python.md show, run as written at
        the top of the tree; for the README's build (build/) also without
        the environment meson test sets, as a user runs it."""
        cmd = [sys.executable, '-c', "import vcpuid; print(vcpuid.guest("
               "'Skylake-Client-v4', host='bundled:fc-intel-icelake-6.1').cpuid[0])"]
        envs = [dict(os.environ)]
        lib = os.path.realpath(os.environ['VCPUID_LIBRARY'])
        if os.path.dirname(lib) == os.path.realpath(os.path.join(ROOT, 'build', 'src', 'lib')):
            envs.append({k: v for k, v in os.environ.items()
                         if k not in ('VCPUID_LIBRARY', 'PYTHONPATH')})
        _, doc = cli_json('cpuid', '--cpu', 'Skylake-Client-v4', '--host', ICELAKE,
                          '--format', 'json', '--vcpu', '0')
        first = vcpuid.CpuidEntry(*hexes(doc['vcpus'][0]['cpuid'][0]))
        for env in envs:
            with self.subTest(env='meson test' if 'VCPUID_LIBRARY' in env else 'plain'):
                p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                                   env=env)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(p.stdout.strip(), repr(first))


class HostTest(unittest.TestCase):
    def test_bundled(self):
        for spec, vendor in ((ICELAKE, 'GenuineIntel'), (MILAN, 'AuthenticAMD')):
            with self.subTest(host=spec), vcpuid.Host(spec) as h:
                self.assertEqual(h.vendor, vendor)
                self.assertEqual(h.origin, 'firecracker')
                self.assertTrue(h.has_kvm)
                self.assertTrue(h.supported)
                leaf0 = [e for e in h.supported if e.function == 0][0]
                sig = b''.join(r.to_bytes(4, 'little')
                               for r in (leaf0.ebx, leaf0.edx, leaf0.ecx))
                self.assertEqual(sig.decode(), vendor)

    def test_json_round_trip(self):
        with vcpuid.Host(ICELAKE) as h:
            text = h.to_json()
            json.loads(text)
            with vcpuid.Host.parse(text, 'copy') as c:
                self.assertEqual(c.supported, h.supported)
                self.assertEqual(c.feature_msrs, h.feature_msrs)
                self.assertEqual(c.vendor, h.vendor)

    def test_closed(self):
        h = vcpuid.Host(ICELAKE)
        h.close()
        h.close()
        with self.assertRaises(ValueError):
            vcpuid.expand('qemu64', host=h)

    def test_live(self):
        """Expectations derived from the live host itself."""
        if not os.access(os.environ.get('VCPUID_KVM_DEVICE', '/dev/kvm'),
                         os.R_OK | os.W_OK):
            # A live host is for computing a guest: KVM is required.
            with self.assertRaises(vcpuid.Error) as cm:
                vcpuid.Host('live')
            self.assertEqual(cm.exception.code, 6)
            return
        with vcpuid.Host('live') as h:
            self.assertEqual(h.source, 'live')
            table = h.supported if h.has_kvm else h.raw
            leaf0 = [e for e in table if e.function == 0][0]
            sig = b''.join(r.to_bytes(4, 'little')
                           for r in (leaf0.ebx, leaf0.edx, leaf0.ecx))
            self.assertEqual(h.vendor, sig.rstrip(b'\0').decode())
            self.assertTrue(h.has_kvm)
            g = vcpuid.guest('qemu64', host=h)
            self.assertEqual(g.cpu.name, vcpuid.expand('qemu64', host=h).name)
            self.assertTrue(g.cpuid)


class ExpandTest(unittest.TestCase):
    def test_matches_cli(self):
        for spec in ('Skylake-Client-v4,+pcid,-hle', 'EPYC-Milan', 'max'):
            with self.subTest(spec=spec):
                cpu = vcpuid.expand(spec, host=ICELAKE, smp='2')
                rc, doc = cli_json('expand', '--cpu', spec, '--host', ICELAKE,
                                   '--smp', '2', '--json')
                self.assertEqual(rc, 0)
                d = doc['cpu']
                self.assertEqual(cpu.name, d['name'])
                self.assertEqual(cpu.model, d['model'])
                self.assertEqual(cpu.machine, d['machine'])
                self.assertEqual((cpu.vendor, cpu.family, cpu.model_number,
                                  cpu.stepping),
                                 (d['vendor'], d['family'], d['model_num'],
                                  d['stepping']))
                self.assertEqual(cpu.model_id, d['model_id'])
                self.assertEqual(cpu.cpus, 2)
                names = [n for w in doc['features'].values() for n in w['names']]
                self.assertEqual(sorted(set(cpu.features)), sorted(set(names)))
                self.assertEqual(cpu.words,
                                 {k: int(w['value'], 16) for k, w in
                                  doc['features'].items() if int(w['value'], 16)})
                self.assertEqual([(f.name, f.word, f.bit, f.reason)
                                  for f in cpu.filtered],
                                 [(f['name'], f['word'], f['bit'], f['reason'])
                                  for f in doc['filtered']])
                self.assertEqual(cpu.warnings, doc['warnings'])

    def test_filtered_on_other_vendor(self):
        cpu = vcpuid.expand('EPYC-Milan', host=ICELAKE)
        self.assertIn('mmxext', [f.name for f in cpu.filtered])
        self.assertNotIn('mmxext', cpu.features)
        self.assertIn('mmxext', cpu.requested)

    def test_enforce(self):
        with self.assertRaises(vcpuid.Error) as cm:
            vcpuid.expand('EPYC-Milan,enforce=on', host=ICELAKE)
        e = cm.exception
        self.assertEqual((e.code, e.status), (9, 'enforce'))
        self.assertEqual(cli('expand', '--cpu', 'EPYC-Milan,enforce=on',
                             '--host', ICELAKE)[0], 9)
        self.assertTrue(e.cpu.filtered)


class GuestTest(unittest.TestCase):
    def test_matches_cli(self):
        g = vcpuid.guest('Skylake-Client-v4', host=ICELAKE,
                         smp='4,cores=2,threads=2')
        _, doc = cli_json('cpuid', '--cpu', 'Skylake-Client-v4', '--host', ICELAKE,
                          '--smp', '4,cores=2,threads=2', '--format', 'json')
        self.assertEqual(len(g.vcpus), len(doc['vcpus']))
        for v, d in zip(g.vcpus, doc['vcpus']):
            self.assertEqual((v.index, v.apic_id), (d['index'], d['apic_id']))
            self.assertEqual([tuple(e) for e in v.cpuid],
                             [hexes(e) for e in d['cpuid']])
        self.assertEqual(g.cpuid, g.vcpus[0].cpuid)
        self.assertEqual(g.msrs, g.vcpus[0].msrs)
        self.assertEqual(g.cpu.name, 'Skylake-Client-v4')
        e = g.cpuid[0]
        self.assertEqual((e.function, e.eax), (e[0], e[3]))


class FleetTest(unittest.TestCase):
    def test_compare(self):
        ok = vcpuid.compare('Skylake-Client-v4', host=ICELAKE)
        self.assertTrue(ok.ok)
        self.assertIn(ok.verdict, ('identical', 'superset'))
        bad = vcpuid.compare('EPYC-Milan', host=ICELAKE)
        self.assertFalse(bad)
        self.assertEqual(bad.verdict, 'incompatible')
        rc, doc = cli_json('compare', '--cpu', 'EPYC-Milan', '--host', ICELAKE,
                           '--json')
        self.assertEqual(rc, 1)
        d = doc['hosts'][0]
        self.assertEqual(bad.verdict, d['verdict'].lower())
        self.assertEqual(bad.extra, d['extra_features'])
        self.assertEqual([(r.kind, r.fatal, r.what, r.text) for r in bad.reasons],
                         [(r['kind'], r['fatal'], r['what'], r['text'])
                          for r in d['reasons']])

    def test_migrate_check(self):
        for a, b in ((ICELAKE, CASCADE), (CASCADE, ICELAKE), (ICELAKE, MILAN)):
            with self.subTest(source=a, destination=b):
                c = vcpuid.migrate_check('Skylake-Client-v4', a, b)
                rc, _ = cli('migrate-check', '--cpu', 'Skylake-Client-v4',
                            '--from', a, '--to', b)
                self.assertEqual(c.ok, rc == 0)
        self.assertFalse(vcpuid.migrate_check('Skylake-Client-v4', ICELAKE, MILAN))

    def test_baseline(self):
        with vcpuid.Host(CASCADE) as cascade:
            b = vcpuid.baseline([ICELAKE, cascade])
            self.assertTrue(cascade.supported)  # still open: borrowed
        rc, doc = cli_json('baseline', ICELAKE, CASCADE, '--json')
        self.assertEqual(rc, 0)
        self.assertEqual((b.spec, b.model, b.version, b.vendor),
                         (doc['spec'], doc['model'], doc['version'], doc['vendor']))
        self.assertTrue(b.spec.startswith(b.model))
        for f in b.plus:
            self.assertIn('+' + f, b.spec.split(','))
        m = vcpuid.baseline([ICELAKE, CASCADE], migratable=True)
        self.assertNotIn('invtsc', m.features)

    def test_explain(self):
        e = vcpuid.explain('avx512f', 'EPYC-Milan,+avx512f', host=ICELAKE)
        rc, doc = cli_json('explain', 'avx512f', '--cpu', 'EPYC-Milan,+avx512f',
                           '--host', ICELAKE, '--json')
        self.assertEqual(rc, 0)
        d = doc['explanations'][0]
        self.assertEqual((e.feature, e.wanted, e.final, e.decisive, e.cause),
                         (d['feature'], d['wanted'], d['final'], d['decisive'],
                          d['cause']))
        fate = {True: 'yes', False: 'no'}
        self.assertEqual([(s.name, fate[s.fate], s.note)
                          for s in e.stages if s.fate is not None],
                         [(s['stage'], s['value'], s['note']) for s in d['stages']])
        self.assertEqual(len(e.stages), _ffi.NSTAGES)

    def test_explain_lost(self):
        lost = vcpuid.explain_lost('Skylake-Client-v4,+sse4a', host=ICELAKE)
        self.assertIn('sse4a', [e.feature for e in lost])
        for e in lost:
            self.assertTrue(e.wanted)
            self.assertFalse(e.final)
        rc, doc = cli_json('explain', '--cpu', 'Skylake-Client-v4,+sse4a',
                           '--host', ICELAKE, '--json')
        self.assertEqual(rc, 0)
        self.assertEqual([(e.feature, e.decisive, e.cause) for e in lost],
                         [(d['feature'], d['decisive'], d['cause'])
                          for d in doc['explanations']])


class Errors(unittest.TestCase):
    def check(self, call, cli_args, code, status, text):
        with self.assertRaises(vcpuid.Error) as cm:
            call()
        e = cm.exception
        self.assertEqual((e.code, e.status), (code, status))
        self.assertIn(text, e.message)
        self.assertEqual(str(e), e.message)
        if cli_args:
            self.assertEqual(cli(*cli_args)[0], code)

    def test_codes(self):
        self.check(lambda: vcpuid.expand('Nope', host=ICELAKE),
                   ['expand', '--cpu', 'Nope', '--host', ICELAKE],
                   5, 'unknown', "'Nope'")
        self.check(lambda: vcpuid.guest('Skylake-Client,+nosuch', host=ICELAKE),
                   ['cpuid', '--cpu', 'Skylake-Client,+nosuch', '--host', ICELAKE],
                   5, 'unknown', 'nosuch')
        self.check(lambda: vcpuid.Host('bundled:no-such-profile'),
                   ['expand', '--cpu', 'qemu64', '--host', 'bundled:no-such-profile'],
                   5, 'unknown', 'no-such-profile')
        self.check(lambda: vcpuid.Host(os.path.join(ROOT, 'no', 'such', 'file.json')),
                   None, 3, 'io', 'file.json')
        self.check(lambda: vcpuid.Host.parse('{"cpuid": ', 'broken.json'),
                   None, 4, 'parse', 'broken.json')
        self.check(lambda: vcpuid.explain('nosuch', 'qemu64', host=ICELAKE),
                   ['explain', 'nosuch', '--cpu', 'qemu64', '--host', ICELAKE],
                   5, 'unknown', 'nosuch')
        self.check(lambda: vcpuid.expand('qemu64', host=ICELAKE, machine='pc-nope'),
                   ['expand', '--cpu', 'qemu64', '--host', ICELAKE,
                    '--machine', 'pc-nope'], 5, 'unknown', 'pc-nope')
        self.assertTrue(issubclass(vcpuid.Error, Exception))


if __name__ == '__main__':
    unittest.main(verbosity=2)
