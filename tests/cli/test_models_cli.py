#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vcpuid models: options, exit codes and the JSON schema of docs/models.md.
Usage: test_models_cli.py VCPUID"""
import json
import subprocess
import sys

failures = []


def run(*args):
    p = subprocess.run([sys.argv[1], 'models', *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    if not cond:
        failures.append(what)


rc, out, _ = run('--help')
check(rc == 0 and 'usage: vcpuid models' in out, '--help')

rc, out, _ = run('--machine', 'pc-i440fx-7.2', '--qemu', '7.2', '--json')
check(rc == 0, '--json exit code')
doc = json.loads(out)
check(doc['machine'] == 'pc-i440fx-7.2', 'machine field')
keys = ['name', 'alias_of', 'version', 'vendor', 'family', 'model', 'stepping',
        'model_id', 'description', 'usable', 'unavailable_features']
for m in doc['models']:
    check(list(m) == keys, 'keys of %s: %s' % (m['name'], list(m)))
names = [m['name'] for m in doc['models']]
check('host' not in names and 'Skylake-Client-v4' in names, 'model list')
check('GraniteRapids' not in names, 'a 7.2 machine lists no newer model')
sk = next(m for m in doc['models'] if m['name'] == 'Skylake-Client-IBRS')
check(sk['alias_of'] == 'Skylake-Client-v2' and sk['version'] == 2, 'alias entry')
check(sk['model_id'] == 'Intel Core Processor (Skylake, IBRS)', 'alias model_id')

rc, out, _ = run('--json')
newest = json.loads(out)
check('GraniteRapids' in [m['name'] for m in newest['models']], 'newest machine lists master models')

rc, out, _ = run('--all')
check(rc == 0 and out.splitlines()[-1].startswith('max '), '--all ends with max')

rc, out, _ = run('--machines', '--json')
ms = json.loads(out)
check(ms[-1]['name'].startswith('pc-i440fx-'), 'default machine last')
m72 = next(m for m in ms if m['name'] == 'pc-q35-7.2')
check(m72['qemu'] == 702 and m72['default_cpu_version'] == 1, '7.2 machine')
check(m72['compat'] == [], '7.2 emulated natively: no compat properties')

rc, out, _ = run('--show', 'Cascadelake-Server-v4', '--machine', 'q35')
d = json.loads(out)
check(rc == 0 and [p[2] for p in d['props']] == [2, 2, 2, 2, 2, 3, 3, 4], '--show stacking')

rc, _, err = run('--show', 'skylake-client')
check(rc == 5 and 'Skylake-Client' in err, 'unknown model: exit 5 with suggestion')
rc, _, err = run('--show', 'GraniteRapids', '--machine', 'pc-i440fx-7.2',
                 '--qemu', '7.2')
check(rc == 5 and 'QEMU 8.1' in err, 'model newer than the release')
rc, out, _ = run('--machine', 'pc-i440fx-7.2', '--json')
doc = json.loads(out)
check(doc['qemu'] == '11.1' and 'GraniteRapids' in
      [m['name'] for m in doc['models']],
      'QEMU 11.1 offers every model on pc-i440fx-7.2')
rc, _, _ = run('--machine', 'pc-i440fx-1.0')
check(rc == 5, 'unknown machine: exit 5 (as every command)')
rc, _, _ = run('--bogus')
check(rc == 2, 'bad option: exit 2')
rc, _, _ = run('--host', '/nonexistent/host.json')
check(rc != 0, 'unreadable host profile fails')

rc, out, err = run('--host', 'bundled:fc-intel-cascadelake-6.1', '--json',
                  '--machine', 'pc-i440fx-7.2')
if rc == 12:  # the expansion stage is not linked in: the list, no verdicts
    check(all(m['usable'] is None for m in json.loads(out)['models']), 'no verdicts')
    check('expansion stage' in err, 'says why')
else:
    check(rc == 0, '--host exit code %d' % rc)
    ms = json.loads(out)['models']
    check(all(isinstance(m['usable'], bool) for m in ms), 'every model has a verdict')
    check(all(m['usable'] == (m['unavailable_features'] == []) for m in ms),
          'usable iff nothing is lost')

for f in failures:
    print('FAIL', f)
print('%d failures' % len(failures))
sys.exit(1 if failures else 0)
