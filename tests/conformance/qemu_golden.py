#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Record what a QEMU binary says about its CPU models, as golden data.

usage: qemu_golden.py record OUTDIR [--machine M] [--qemu CMD]

CMD is the QEMU command (words, shell-quoted; default $VCPUID_QEMU or
qemu-system-x86_64), e.g. the output of `tests/oracle/qemu_sid.py --print-cmd`.
OUTDIR receives, all printed by QEMU itself:

  version.txt        `-version`
  cpu-help.txt       `-machine none -cpu help`
  machine-help.txt   `-machine help`
  flag-bits.json     for every "Recognized CPUID flags" name whose CPUID bit
                     shows in the QOM properties feature-words or
                     filtered-features of a TCG vCPU started with
                     `-cpu base,NAME=on`: [leaf, subleaf, register, bit]
                     (MSR-word names: null)
  expansions/NAME.json  per model of `-cpu help` (not host/max/base):
                     query-cpu-model-expansion type=full under -accel tcg and
                     machine M for the queries Q1..Q4 of
                     test_models_golden.py: "1" is the full property dict,
                     "2".."4" only the properties that differ from "1";
                     {"same_as": OTHER} when identical to an earlier
                     model's (an alias and the version it resolves to).

The full expansion is used (not static) because it keeps the model's own
vendor/family/model/stepping/model-id/levels next to every flag; static
expansion rewrites the model as `base` plus flags.
"""
import concurrent.futures
import json
import os
import shlex
import subprocess
import sys

# Flags that are prerequisites in QEMU's feature_dependencies[] (the "from"
# side, QEMU 10.2 plus waitpkg/lkgs/sgx), turned on together in Q2.
PREREQ = ['arch-capabilities', 'core-capability', 'pdcm', 'vmx', 'lm',
          'vmx-secondary-ctls', 'xsaves', 'rdrand', 'invpcid', 'mpx', 'rdseed',
          'intel-pt', 'rdtscp', 'vmx-ept', 'vmx-vpid', 'vmx-vmfunc', 'svm',
          'waitpkg', 'lkgs', 'sgx']
QUERIES = {
    1: {},
    2: {n: True for n in PREREQ},
    3: {'vmx': True},
    4: {'vmx': True, 'vmx-secondary-ctls': True},
}
SKIP_MODELS = ('host', 'max', 'base')


def qemu_cmd(arg=None):
    return shlex.split(arg or os.environ.get('VCPUID_QEMU',
                                             'qemu-system-x86_64'))


def run_text(cmd, *args):
    p = subprocess.run(cmd + list(args), capture_output=True, text=True,
                       timeout=60)
    if p.returncode:
        raise RuntimeError('%s: %s' % (' '.join(args), p.stderr.strip()))
    return p.stdout


def parse_cpu_help(text):
    """-> ([(NAME, DESCRIPTION)] in order, recognized flag names).

    QEMU 7.2 prints 'x86 NAME  DESC' lines, QEMU 11 '  NAME  DESC'."""
    lines = text.split('\n')
    types, flags, i = [], [], 1
    while i < len(lines) and lines[i].strip():
        words = lines[i].split(None, 1)
        if words[0] == 'x86':
            words = words[1].split(None, 1)
        types.append((words[0], words[1].strip() if len(words) > 1 else ''))
        i += 1
    for line in lines[i:]:
        if line.startswith('  '):
            flags += line.split()
    return types, flags


def model_names(types):
    return [n for n, _ in types]


class Qmp:
    def __init__(self, cmd, machine, cpu=None, accel='tcg'):
        args = cmd + ['-machine', machine, '-accel', accel, '-nodefaults',
                      '-display', 'none', '-S', '-qmp', 'stdio']
        if cpu:
            args += ['-cpu', cpu]
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        self.read()
        self.cmd('qmp_capabilities')

    def read(self):
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError('QEMU exited: %s' % self.p.stderr.read())
            msg = json.loads(line)
            if 'event' not in msg:
                return msg

    def cmd(self, name, **args):
        self.p.stdin.write(json.dumps({'execute': name,
                                       'arguments': args}) + '\n')
        self.p.stdin.flush()
        r = self.read()
        if 'error' in r:
            raise RuntimeError('%s: %s' % (name, r['error']))
        return r['return']

    def expand(self, model, props):
        m = {'name': model}
        if props:
            m['props'] = props
        return self.cmd('query-cpu-model-expansion', type='full',
                        model=m)['model']['props']

    def close(self):
        try:
            self.cmd('quit')
        except Exception:
            pass
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def expansions(cmd, machine, name):
    q = Qmp(cmd, machine)
    try:
        res = {n: q.expand(name, p) for n, p in QUERIES.items()}
    finally:
        q.close()
    out = {'machine': machine, 'accel': 'tcg', 'type': 'full',
           'queries': {n: p for n, p in QUERIES.items()}, '1': res[1]}
    for n in (2, 3, 4):
        out[str(n)] = {k: v for k, v in res[n].items() if res[1].get(k) != v}
    return out


def flag_bits(cmd, machine, flag):
    """The CPUID bit(s) NAME=on sets in a TCG vCPU over plain base."""
    def words(cpu):
        q = Qmp(cmd, machine, cpu=cpu)
        try:
            path = q.cmd('query-cpus-fast')[0]['qom-path']
            acc = {}
            for prop in ('feature-words', 'filtered-features'):
                for w in q.cmd('qom-get', path=path, property=prop):
                    k = (w['cpuid-input-eax'], w.get('cpuid-input-ecx', 0),
                         w['cpuid-register'])
                    acc[k] = acc.get(k, 0) | w['features']
            return acc
        finally:
            q.close()
    base = words('base')
    on = words('base,%s=on' % flag)
    bits = []
    for k, v in on.items():
        d = v & ~base.get(k, 0)
        for b in range(32):
            if d >> b & 1:
                bits.append(['0x%x' % k[0], '0x%x' % k[1], k[2], b])
    return sorted(bits)


def record(outdir, machine, cmd):
    os.makedirs(os.path.join(outdir, 'expansions'), exist_ok=True)

    def write(name, text):
        path = os.path.join(outdir, name)
        with open(path + '.tmp', 'w') as f:
            f.write(text)
        os.replace(path + '.tmp', path)

    write('version.txt', run_text(cmd, '-version'))
    helptext = run_text(cmd, '-machine', 'none', '-cpu', 'help')
    write('cpu-help.txt', helptext)
    write('machine-help.txt', run_text(cmd, '-machine', 'help'))
    types, flags = parse_cpu_help(helptext)
    names = [n for n in model_names(types) if n not in SKIP_MODELS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
        exps = list(ex.map(lambda n: expansions(cmd, machine, n), names))
        bits = list(ex.map(lambda f: flag_bits(cmd, machine, f), flags))
    first = {}
    for n, e in zip(names, exps):
        first.setdefault(json.dumps(e, sort_keys=True), n)
    for n, e in zip(names, exps):
        same = first[json.dumps(e, sort_keys=True)]
        if same != n:
            e = {'same_as': same}
        write(os.path.join('expansions', n + '.json'),
              json.dumps(e, indent=0, sort_keys=True) + '\n')
    fb = {f: (b or None) for f, b in zip(flags, bits)}
    write('flag-bits.json', json.dumps(fb, indent=1, sort_keys=True) + '\n')
    print('recorded %d models, %d flags into %s' % (len(names), len(flags),
                                                     outdir))


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('mode', choices=['record'])
    ap.add_argument('outdir')
    ap.add_argument('--machine', default='pc-i440fx-11.1')
    ap.add_argument('--qemu')
    a = ap.parse_args(argv)
    record(a.outdir, a.machine, qemu_cmd(a.qemu))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
