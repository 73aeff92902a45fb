#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The structure of src/lib, from the compiled objects (issue #15).

Reads which functions each object of libvcpuid-internal.a defines and which
it calls (nm), and fails when
  - two or more source files call each other in a loop (a circle), counting
    a wing folder (host/, cpu/, synth/) as one part as well as file by file;
  - a wing calls upward: host/ calls cpu/ or synth/, cpu/ calls synth/, or a
    wing calls a file that stands above the pipeline (front.c, the libvirt
    readers and writers, compare, upgrade, vmm.c...), i.e. any top-level file
    that itself calls into a wing, other than those the wing may use.

usage: check_layers.py LIBVCPUID_INTERNAL_A SRC_LIB_DIR
"""
import collections
import os
import subprocess
import sys

WINGS = ('host', 'cpu', 'synth')
# The order of the wings: a wing may call those before it, never after.
ORDER = {w: i for i, w in enumerate(WINGS)}


def members(archive):
    """object name -> (defined symbols, undefined symbols)"""
    out = subprocess.run(['nm', '-A', archive], capture_output=True,
                         text=True, check=True).stdout
    objs = collections.defaultdict(lambda: (set(), set()))
    for line in out.splitlines():
        fields = line.split(':', 2)
        if len(fields) != 3:
            continue
        obj, rest = os.path.basename(fields[1]), fields[2]
        parts = rest.split()
        if len(parts) == 3 and parts[1] in 'TDRBCG':
            objs[obj][0].add(parts[2])
        elif len(parts) == 2 and parts[0] == 'U':
            objs[obj][1].add(parts[1])
    return objs


def source_of(obj, srcdir):
    """host_load.c.o -> host/load.c (meson flattens the folder into _)."""
    base = obj[:-2] if obj.endswith('.o') else obj
    for prefix in ('src_lib_',):
        if base.startswith(prefix):
            base = base[len(prefix):]
    for wing in WINGS + ('data', 'guest'):
        if base.startswith(wing + '_') and os.path.exists(
                os.path.join(srcdir, wing, base[len(wing) + 1:])):
            return wing + '/' + base[len(wing) + 1:]
    return base


def circles(graph):
    """Strongly connected parts of more than one node (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(100000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def wing(src):
    return src.split('/')[0] if '/' in src and src.split('/')[0] in WINGS \
        else None


def main():
    archive, srcdir = sys.argv[1], sys.argv[2]
    objs = members(archive)
    if not objs:
        print(f'{archive}: no objects read (is nm installed?)')
        return 1
    owner = {}
    for obj, (defined, _) in objs.items():
        for sym in defined:
            owner[sym] = source_of(obj, srcdir)
    calls = collections.defaultdict(dict)  # src -> {dst: a symbol}
    for obj, (_, used) in objs.items():
        src = source_of(obj, srcdir)
        for sym in used:
            dst = owner.get(sym)
            if dst and dst != src:
                calls[src].setdefault(dst, sym)
    sources = {source_of(o, srcdir) for o in objs}
    if not {'cpu/expand.c', 'host/query.c', 'synth/synthesize.c'} <= sources:
        print(f'{archive}: the wings\' objects were not recognised: '
              f'{sorted(sources)[:8]}...')
        return 1
    bad = []
    graph = {s: set(d) for s, d in calls.items()}
    for part in circles(graph):
        ties = [f'{a} -> {b} ({calls[a][b]})' for a in part for b in part
                if b in calls.get(a, {})]
        bad.append('circle of files: ' + ', '.join(ties))
    # the same with each wing folded into one part
    fold = lambda s: (wing(s) + '/') if wing(s) else s
    folded = collections.defaultdict(set)
    for s, ds in graph.items():
        for d in ds:
            if fold(s) != fold(d):
                folded[fold(s)].add(fold(d))
    for part in circles(folded):
        ties = sorted(f'{a} -> {b} ({calls[a][b]})' for a in calls
                      for b in calls[a] if fold(a) in part and
                      fold(b) in part and fold(a) != fold(b))
        bad.append('circle through the wings ' + ', '.join(part) + ': ' +
                   '; '.join(ties))
    # a file above the wings: one that calls into a wing, or calls such a
    # file; no wing may call one
    reaches = {}

    def reaches_wing(s, seen=()):
        if s in reaches:
            return reaches[s]
        r = False
        for d in graph.get(s, ()):
            if d in seen:
                continue
            if wing(d) or (not wing(d) and reaches_wing(d, seen + (s,))):
                r = True
                break
        reaches[s] = r
        return r

    for s in sorted(calls):
        ws = wing(s)
        if not ws:
            continue
        for d, sym in sorted(calls[s].items()):
            wd = wing(d)
            if wd and ORDER[wd] > ORDER[ws]:
                bad.append(f'{s} calls up into the {wd} wing: {d} ({sym})')
            elif not wd and reaches_wing(d):
                bad.append(f'{s} calls {d} ({sym}), which stands above the '
                           'wings (it calls into a wing)')
    for b in bad:
        print(b)
    if bad:
        return 1
    print(f'{len(sources)} source files, {sum(len(d) for d in calls.values())} '
          'calls between them: no circle, no call up between the wings')
    return 0


if __name__ == '__main__':
    sys.exit(main())
