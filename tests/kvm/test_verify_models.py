#!/usr/bin/env python3
"""Every CPU type QEMU 7.2 accepts, applied to real KVM vCPUs on this host
with 2 vCPUs: the probe guest must see exactly what KVM kept (no mismatch on
any vCPU), and every place the hypervisor overrode the request on leaves 1
and 7 must be reported as an override. Usage: test_verify_models.py VCPUID"""
import json
import os
import subprocess
import sys

MACHINE = 'pc-i440fx-7.2'
QEMU = '7.2'  # the QEMU release running it (vcpuid --qemu)


def main():
    vcpuid = sys.argv[1]
    if not os.path.exists('/dev/kvm'):
        print('SKIP: /dev/kvm does not exist')
        return 77
    out = subprocess.run([vcpuid, 'models', '--machine', MACHINE, '--qemu',
                          QEMU, '--json'],
                         capture_output=True, text=True, check=True).stdout
    names = [m['name'] for m in json.loads(out)['models']] + ['host', 'max', 'base']
    failures = []
    overrides_1_7 = 0
    for name in names:
        r = subprocess.run([vcpuid, 'verify', '--cpu', name, '--machine', MACHINE,
                            '--qemu', QEMU, '--smp', '2', '--json'],
                           capture_output=True, text=True)
        try:
            doc = json.loads(r.stdout)
        except ValueError:
            failures.append(f'{name}: exit {r.returncode}, no JSON: {r.stderr.strip()[:200]}')
            continue
        s = doc['summary']
        # Exit 0 is "the guest sees what KVM kept"; 1 is allowed only for a
        # predicted launch failure (a refused feature MSR), never a mismatch.
        if s['mismatches'] or s['msr_mismatches'] or s['guest_error'] or \
           (r.returncode != 0 and not (r.returncode == 1 and s['launch_failures'])):
            failures.append(f'{name}: exit {r.returncode}, summary {s}')
            continue
        if len(doc['vcpus']) != 2:
            failures.append(f'{name}: {len(doc["vcpus"])} vCPUs, expected 2')
        # The x86-64 level inside the guest (its CPUID answers and XGETBV)
        # is the kept table's: the guest saw what KVM kept, and enabled in
        # XCR0 what CPUID.0DH.0 offers (docs/levels.md).
        lv = [v['guest']['x86_64_level'] for v in doc['vcpus']]
        for l in lv:
            if l['observed'] != l['kept_table']:
                failures.append(f'{name}: level in the guest {l}')
        if s['x86_64_level'] != min(l['observed'] for l in lv):
            failures.append(f'{name}: summary level {s["x86_64_level"]}, vCPUs {lv}')
        for v in doc['vcpus']:
            # The guest reads its APIC id from leaf 1 EBX[31:24]; a CPU whose
            # level is 0 (base) has no leaf 1 to read it from.
            has_leaf1 = any(int(c['leaf'], 16) == 1 and c['in_table'] for c in v['cpuid'])
            if not v['guest']['ran'] or \
               (has_leaf1 and v['guest']['apic_id_observed'] != v['apic_id']):
                failures.append(f'{name}: vCPU {v["vcpu"]} guest {v["guest"]}')
            for c in v['cpuid']:
                if not c['in_table'] or int(c['leaf'], 16) not in (1, 7):
                    continue
                req, kept = int(c['requested'], 16), int(c['kept'], 16)
                runtime = c['runtime_bits']
                if req != kept and not runtime and c['status'] != 'override':
                    failures.append(f'{name}: leaf {c["leaf"]}.{c["subleaf"]} '
                                    f'{c["reg"]} {c["requested"]} -> {c["kept"]} '
                                    f'not reported as an override ({c["status"]})')
                if c['status'] == 'override':
                    overrides_1_7 += 1
                    if not c['override_bits']:
                        failures.append(f'{name}: override without bit names: {c}')
    print(f'{len(names)} CPU types verified on 2 vCPUs; '
          f'{overrides_1_7} overridden registers on leaves 1 and 7 reported')
    for f in failures:
        print('FAIL', f)
    print(f'{len(names) - len({f.split(":")[0] for f in failures})} passed, '
          f'{len({f.split(":")[0] for f in failures})} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
