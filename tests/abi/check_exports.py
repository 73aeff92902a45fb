#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""libvcpuid.so exports exactly its public API (docs/abi.md).

usage: check_exports.py LIBVCPUID.so INCLUDE_DIR

Fails when the shared library exports a symbol that is not a function or
object declared in include/ (an internal function leaking, or a public name
the headers forgot), when a declared function is missing, or when an
exported symbol has no symbol version. The only other dynamic symbols are
the version nodes themselves (ABS symbols named VCPUID_x.y)."""
import pathlib
import re
import subprocess
import sys


def declared(include_dir):
    """Functions declared in the public headers, and every vcpuid_ name."""
    funcs, names = set(), set()
    for path in sorted(pathlib.Path(include_dir).rglob('*.h')):
        text = path.read_text()
        text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
        text = re.sub(r'//[^\n]*', ' ', text)
        # Macros are not symbols (continuation lines included).
        text = re.sub(r'^[ \t]*#(?:[^\n]*\\\n)*[^\n]*', ' ', text, flags=re.M)
        names |= set(re.findall(r'\bvcpuid_\w+', text))
        # name( not preceded by "(*": a prototype, not a function pointer type.
        for m in re.finditer(r'(\(\s*\*\s*)?\b(vcpuid_\w+)\s*\(', text):
            if not m.group(1):
                funcs.add(m.group(2))
    return funcs, names


def exported(lib):
    out = subprocess.run(['nm', '-D', '--defined-only', lib], check=True,
                         capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, name = parts[1], parts[2]
        name, _, version = name.partition('@')
        syms.append((kind, name, version.lstrip('@')))
    return syms


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    lib, include_dir = sys.argv[1], sys.argv[2]
    funcs, names = declared(include_dir)
    syms = exported(lib)
    problems = []
    nodes = {name for kind, name, _ in syms if kind == 'A'}
    for node in sorted(nodes):
        if not re.fullmatch(r'VCPUID_\d+\.\d+', node):
            problems.append(f'version node {node} is not VCPUID_<major>.<minor>')
    public = set()
    for kind, name, version in syms:
        if kind == 'A' and name in nodes:
            continue
        if not name.startswith('vcpuid_'):
            problems.append(f'exported but not public (no vcpuid_ prefix): {name}')
        elif name not in names:
            problems.append(f'exported but declared in no public header: {name} '
                            '(make it static, or name it under local: in src/lib/libvcpuid.map)')
        elif version not in nodes:
            problems.append(f'exported without a symbol version: {name}')
        public.add(name)
    for name in sorted(funcs - public):
        problems.append(f'declared in include/ but not exported: {name}')
    for p in problems:
        print('FAIL:', p)
    print(f'{len(public)} symbols exported, in version nodes {", ".join(sorted(nodes)) or "(none)"}; '
          f'{len(funcs)} functions declared in {include_dir}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
