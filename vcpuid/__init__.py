# SPDX-License-Identifier: MIT
"""vcpuid from Python: what CPU a KVM guest sees, computed by libvcpuid.

    >>> import vcpuid
    >>> g = vcpuid.guest('Skylake-Client-v4', host='bundled:fc-intel-icelake-6.1')
    >>> g.cpuid[0]
    CpuidEntry(function=0x40000000, index=0x0, flags=0x0, eax=0x40000001, ebx=0x4b4d564b, ecx=0x564b4d56, edx=0x4d)

Hosts are loaded as the command line names them: 'live' (this machine),
'bundled:NAME' (profiles/NAME.json), or a file in any format vcpuid reads.
Every function that takes host= accepts such a name or a Host. A failure
raises vcpuid.Error, whose code is the command line's exit code
(docs/exit-codes.md). docs/python.md describes the whole API."""
import collections
import ctypes

from . import _ffi

__all__ = ['Error', 'Host', 'CpuidEntry', 'Cpu', 'FilteredFeature', 'Vcpu',
           'Guest', 'Comparison', 'Reason', 'Baseline', 'Explanation',
           'Stage', 'load_host', 'expand', 'guest', 'compare',
           'migrate_check', 'baseline', 'explain', 'explain_lost',
           'status_name']

_R = ctypes.byref


class Error(Exception):
    """A libvcpuid failure. code: the exit code the vcpuid command would
    give (enum vcpuid_status); status: its name ('unknown', 'parse', ...);
    message: the library's one-line message. cpu: for an 'enforce' refusal
    from expand(), the expanded Cpu; otherwise None."""

    def __init__(self, code, message, cpu=None):
        super().__init__(message)
        self.code = code
        self.status = status_name(code)
        self.message = message
        self.cpu = cpu

    def __repr__(self):
        return f'vcpuid.Error({self.code}, {self.message!r})'


def status_name(code):
    """The name of an exit code: 0 'ok', 5 'unknown', 9 'enforce', ..."""
    return _ffi.status_name(code).decode()


def _error(rc, err, cpu=None):
    msg = err.msg.decode(errors='replace') or status_name(rc)
    return Error(rc, msg, cpu)


def _s(b):
    return b.decode(errors='replace') if b is not None else None


def _enc(s):
    return s.encode() if s is not None else None


class CpuidEntry(collections.namedtuple(
        'CpuidEntry', 'function index flags eax ebx ecx edx')):
    """One CPUID entry, as in struct kvm_cpuid_entry2."""
    __slots__ = ()

    def __repr__(self):
        return ('CpuidEntry(' + ', '.join(f'{k}={v:#x}' for k, v in
                                          zip(self._fields, self)) + ')')


def _table(t):
    return [CpuidEntry(e.function, e.index, e.flags, *e.reg)
            for e in t.e[:t.n]]


def _msrs(m):
    return {x.index: x.value for x in m.m[:m.n]}


def _word_id(w):
    return _s(_ffi.word_info(w).contents.id)


def _names(words):
    """The feature names of a vcpuid_words bitmap, in QEMU's word and bit
    order (bits without a name are left out: see _words)."""
    out = []
    for w in range(_ffi.NWORDS):
        v = words[w]
        while v:
            bit = (v & -v).bit_length() - 1
            v &= v - 1
            f = _ffi.feature_at(w, bit)
            if f and _s(f.contents.name) not in out:
                out.append(_s(f.contents.name))
    return out


def _words(words):
    """A vcpuid_words bitmap as {word id: value}, non-zero words only."""
    return {_word_id(w): words[w] for w in range(_ffi.NWORDS) if words[w]}


class Host:
    """A host: this machine, a bundled profile or a dump file.

    Host('bundled:fc-intel-icelake-6.1'), Host('live'), Host('dump.txt'),
    or Host.parse(text, name) for a profile or dump held in memory. Release
    it early with close() or a with block; otherwise when collected."""

    def __init__(self, spec='live'):
        self._h = _ffi.Host()
        _ffi.host_init(_R(self._h))
        self._open = True
        err = _ffi.Error()
        rc = _ffi.host_load(_enc(spec), _R(self._h), _R(err))
        if rc:
            self.close()
            raise _error(rc, err)

    @classmethod
    def parse(cls, data, name='<buffer>'):
        """A host from a profile or dump in memory (str or bytes)."""
        self = cls.__new__(cls)
        self._h = _ffi.Host()
        _ffi.host_init(_R(self._h))
        self._open = True
        if isinstance(data, str):
            data = data.encode()
        err = _ffi.Error()
        rc = _ffi.host_parse(data, len(data), _enc(name), _R(self._h), _R(err))
        if rc:
            self.close()
            raise _error(rc, err)
        return self

    def close(self):
        if getattr(self, '_open', False):
            _ffi.host_free(_R(self._h))
            self._open = False

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _ref(self):
        if not self._open:
            raise ValueError('vcpuid.Host used after close()')
        return _R(self._h)

    def __repr__(self):
        return f'vcpuid.Host({self.source!r})'

    @property
    def source(self):
        """'live', the bundled profile's name or the file name."""
        return _s(self._h.source)

    @property
    def origin(self):
        """What made it: 'probe', 'cpuid-r', 'firecracker', ..."""
        return _s(self._h.origin)

    @property
    def vendor(self):
        """The vendor string KVM offers ('GenuineIntel', 'AuthenticAMD')."""
        buf = ctypes.create_string_buffer(13)
        _ffi.host_vendor(self._ref(), buf)
        return _s(buf.value)

    @property
    def has_kvm(self):
        return bool(self._h.has_kvm)

    @property
    def kvm_absent(self):
        """Why there is no KVM part ('' when there is one)."""
        return _s(self._h.kvm_absent)

    @property
    def kernel(self):
        return _s(self._h.kernel)

    @property
    def kvm_flavour(self):
        """'kvm_intel', 'kvm_amd', 'kvm_pvm', ... or ''."""
        return _s(self._h.kvm_flavour)

    @property
    def raw(self):
        """The CPUID instruction on the host: [CpuidEntry] ([] if unknown)."""
        return _table(self._h.raw) if self._h.has_raw else []

    @property
    def supported(self):
        """KVM_GET_SUPPORTED_CPUID: [CpuidEntry] ([] without KVM)."""
        return _table(self._h.supported) if self._h.has_kvm else []

    @property
    def feature_msrs(self):
        """KVM's feature MSRs: {index: value}."""
        return _msrs(self._h.feature_msrs) if self._h.has_kvm else {}

    def to_json(self):
        """The host profile JSON (docs/host-profile.md)."""
        p = _ffi.profile_to_json(self._ref())
        if not p:
            raise Error(11, 'out of memory')
        try:
            return ctypes.string_at(p).decode()
        finally:
            _ffi.libc.free(p)


def load_host(spec='live'):
    """Host(spec)."""
    return Host(spec)


class _Borrow:
    """A host argument: a Host, used as is, or a name, loaded for the call."""

    def __init__(self, host):
        self.owned = not isinstance(host, Host)
        self.host = Host(host) if self.owned else host

    def __enter__(self):
        return self.host._ref()

    def __exit__(self, *exc):
        if self.owned:
            self.host.close()


def _topology(smp):
    if smp is None:
        return None
    t = _ffi.Topology()
    err = _ffi.Error()
    rc = _ffi.topology_parse(_enc(str(smp)), _R(t), _R(err))
    if rc:
        raise _error(rc, err)
    return t


def _tref(t):
    return _R(t) if t is not None else None


FilteredFeature = collections.namedtuple('FilteredFeature',
                                         'name word bit reason')
FilteredFeature.__doc__ = ('A requested feature the host cannot give: its '
                           'name (None if unnamed), word id, bit and why.')


class Cpu:
    """The expanded and filtered guest CPU (vcpuid expand).

    name: the resolved CPU type ('Skylake-Client-v4', 'host'); model and
    version: the model and version it resolved to (None, 0 for host, max,
    base); machine: the machine type; vendor, family, model_number,
    stepping, model_id, level, xlevel, phys_bits; features: the final
    feature names; words: the final feature words, {word id ('1_ECX',
    'MSR_ARCH_CAP', ...): value}, unnamed bits included; requested: the
    names before filtering; filtered: [FilteredFeature];
    warnings: QEMU's warning lines; enforce, migratable: the properties;
    cpus: the number of vCPUs."""

    def __init__(self, c):
        self.name = _s(c.name)
        self.model = _s(c.model.contents.name) if c.model else None
        self.version = c.version
        self.machine = _s(c.machine.contents.name) if c.machine else None
        self.vendor = _s(c.vendor)
        self.family = c.family
        self.model_number = c.model_num
        self.stepping = c.stepping
        self.model_id = _s(c.model_id)
        self.level, self.xlevel = c.level, c.xlevel
        self.phys_bits = c.phys_bits
        self.enforce, self.migratable = bool(c.enforce), bool(c.migratable)
        self.cpus = c.topo.cpus
        self.features = _names(c.features)
        self.words = _words(c.features)
        self.requested = _names(c.requested)
        self.filtered = [
            FilteredFeature(_s(f.name), _word_id(f.word), f.bit, _s(f.reason))
            for f in c.filtered_list[:c.nfiltered]]
        self.warnings = [_s(w) for w in c.warnings[:c.nwarnings]]

    def __repr__(self):
        return (f'<vcpuid.Cpu {self.name} {self.vendor}: '
                f'{len(self.features)} features, {len(self.filtered)} filtered>')


def _expand(h, spec, machine, topo):
    """The C cpu for (host ref, spec); the caller frees it."""
    c = _ffi.Cpu()
    err = _ffi.Error()
    rc = _ffi.cpu_expand(h, _enc(spec), _enc(machine), _tref(topo), _R(c),
                         _R(err))
    return c, rc, err


def expand(spec, host='live', machine=None, smp=None):
    """Expand and filter the -cpu spec ('Skylake-Client,+pcid,-hle') for
    host on machine (None: the newest) with smp ('4,cores=2,threads=2';
    None: 1 vCPU), as QEMU does. Returns a Cpu. An enforce refusal raises
    Error with code 9 and the Cpu in .cpu."""
    topo = _topology(smp)
    with _Borrow(host) as h:
        c, rc, err = _expand(h, spec, machine, topo)
        try:
            if rc == 9:  # VCPUID_E_ENFORCE: the cpu is filled
                raise _error(rc, err, Cpu(c))
            if rc:
                raise _error(rc, err)
            return Cpu(c)
        finally:
            _ffi.cpu_free(_R(c))


class Vcpu:
    """One vCPU: index, apic_id, cpuid ([CpuidEntry], the KVM_SET_CPUID2
    table) and msrs ({index: value}, the feature MSRs to KVM_SET_MSRS)."""

    def __init__(self, v):
        self.index, self.apic_id = v.index, v.apic_id
        self.cpuid = _table(v.cpuid)
        self.msrs = _msrs(v.msrs)

    def __repr__(self):
        return (f'<vcpuid.Vcpu {self.index} apic_id={self.apic_id}: '
                f'{len(self.cpuid)} CPUID entries, {len(self.msrs)} MSRs>')


class Guest:
    """A whole guest (vcpuid cpuid): cpu (the Cpu), vcpus ([Vcpu], index
    order); cpuid and msrs are vCPU 0's."""

    def __init__(self, g):
        self.cpu = Cpu(g.cpu)
        self.vcpus = [Vcpu(v) for v in g.vcpus[:g.nvcpus]]

    @property
    def cpuid(self):
        return self.vcpus[0].cpuid

    @property
    def msrs(self):
        return self.vcpus[0].msrs

    def __repr__(self):
        return f'<vcpuid.Guest {self.cpu.name}: {len(self.vcpus)} vCPUs>'


def guest(spec, host='live', machine=None, smp=None):
    """Every vCPU's CPUID table and feature MSRs for the -cpu spec on host
    (what QEMU hands KVM). Returns a Guest."""
    topo = _topology(smp)
    with _Borrow(host) as h:
        g = _ffi.Guest()
        err = _ffi.Error()
        rc = _ffi.guest_build(h, _enc(spec), _enc(machine), _tref(topo),
                              _R(g), _R(err))
        if rc:
            raise _error(rc, err)
        try:
            return Guest(g)
        finally:
            _ffi.guest_free(_R(g))


Reason = collections.namedtuple('Reason', 'kind fatal what text')
Reason.__doc__ = ("One finding: kind ('feature', 'vendor', 'numeric', "
                  "'msr-value', 'cpuid', 'note'), fatal, what (a feature, "
                  "field or MSR) and text (one line).")
_REASON_KINDS = ('feature', 'vendor', 'numeric', 'msr-value', 'cpuid', 'note')


class Comparison:
    """The answer of compare() or migrate_check(): verdict ('identical',
    'superset' or 'incompatible'), ok (not incompatible), reasons
    ([Reason]) and extra (host features beyond the guest's)."""

    def __init__(self, c):
        self.verdict = _s(_ffi.verdict_name(c.verdict)).lower()
        self.ok = self.verdict != 'incompatible'
        self.reasons = [
            Reason(_REASON_KINDS[r.kind] if 0 <= r.kind < len(_REASON_KINDS)
                   else str(r.kind), bool(r.fatal), _s(r.what), _s(r.text))
            for r in c.r[:c.n]]
        self.extra = c.nextra

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return f'<vcpuid.Comparison {self.verdict}: {len(self.reasons)} reasons>'


def _comparison(call):
    c = _ffi.Comparison()
    err = _ffi.Error()
    rc = call(_R(c), _R(err))
    try:
        if rc:
            raise _error(rc, err)
        return Comparison(c)
    finally:
        _ffi.comparison_free(_R(c))


def compare(spec, host='live', machine=None):
    """Can host run the guest CPU spec as written (vcpuid compare)? An
    incompatible host is an answer (ok False), not an error."""
    with _Borrow(host) as h:
        return _comparison(lambda out, err: _ffi.compare(
            h, _enc(spec), _enc(machine), out, err))


def migrate_check(spec, source, destination, machine=None, smp=None):
    """Can a guest started on source move to destination with an identical
    view (vcpuid migrate-check)?"""
    topo = _topology(smp)
    with _Borrow(source) as a, _Borrow(destination) as b:
        return _comparison(lambda out, err: _ffi.migrate_check(
            a, b, _enc(spec), _enc(machine), _tref(topo), out, err))


class Baseline:
    """The best CPU every host can run (vcpuid baseline): spec (a -cpu
    string), model and version (None, 0 when no model fits), vendor,
    features, and plus / minus relative to the model."""

    def __init__(self, b):
        self.spec = _s(b.spec)
        self.model = _s(b.model.contents.name) if b.model else None
        self.version = b.version
        self.vendor = _s(b.vendor)
        self.features = _names(b.features)
        self.plus = _names(b.plus)
        self.minus = _names(b.minus)

    def __repr__(self):
        return f'<vcpuid.Baseline {self.spec}>'


def baseline(hosts, machine=None, migratable=False):
    """The baseline CPU of hosts (names or Hosts). migratable=True leaves
    out migration blockers."""
    borrows = [_Borrow(h) for h in hosts]
    try:
        arr = (ctypes.POINTER(_ffi.Host) * len(borrows))(
            *[ctypes.pointer(b.host._h) for b in borrows])
        for b in borrows:
            b.host._ref()
        out = _ffi.Baseline()
        err = _ffi.Error()
        rc = _ffi.baseline_compute(
            arr, len(borrows), _enc(machine),
            _ffi.BASELINE_MIGRATABLE if migratable else 0, _R(out), _R(err))
        if rc:
            raise _error(rc, err)
        return Baseline(out)
    finally:
        for b in borrows:
            b.__exit__()


Stage = collections.namedtuple('Stage', 'name fate note')
Stage.__doc__ = ("A feature at one stage: name ('hardware', 'kvm', 'model', "
                 "...), fate (True, False, or None when it does not apply) "
                 "and note.")


class Explanation:
    """A feature's fate (vcpuid explain): feature (its name), wanted,
    final, decisive (the stage that decided), cause (one line) and stages
    ([Stage], in pipeline order)."""

    def __init__(self, e):
        self.feature = _s(e.feature.contents.name) if e.feature else None
        self.wanted, self.final = bool(e.wanted), bool(e.final)
        self.decisive = _s(_ffi.stage_name(e.decisive))
        self.cause = _s(e.cause)
        fate = {0: None, 1: True, 2: False}
        self.stages = [Stage(_s(_ffi.stage_name(i)), fate.get(e.at[i]),
                             _s(e.note[i].value))
                       for i in range(_ffi.NSTAGES)]

    def __repr__(self):
        return f'<vcpuid.Explanation {self.feature}: {self.cause}>'


def _explaining(spec, host, machine, smp, call):
    topo = _topology(smp)
    with _Borrow(host) as h:
        c, rc, err = _expand(h, spec, machine, topo)
        try:
            if rc and rc != 9:  # an enforce refusal is explained too
                raise _error(rc, err)
            return call(h, _R(c))
        finally:
            _ffi.cpu_free(_R(c))


def explain(feature, spec, host='live', machine=None, smp=None):
    """Why feature (a name or alias) is or is not in the guest CPU spec on
    host, stage by stage. Returns an Explanation."""
    def call(h, c):
        out = _ffi.Explanation()
        err = _ffi.Error()
        rc = _ffi.explain(h, c, _enc(feature), _R(out), _R(err))
        if rc:
            raise _error(rc, err)
        return Explanation(out)
    return _explaining(spec, host, machine, smp, call)


def explain_lost(spec, host='live', machine=None, smp=None):
    """An Explanation for every feature spec asks for and does not get."""
    def call(h, c):
        out = ctypes.POINTER(_ffi.Explanation)()
        n = ctypes.c_size_t()
        err = _ffi.Error()
        rc = _ffi.explain_lost(h, c, _R(out), _R(n), _R(err))
        if rc:
            raise _error(rc, err)
        try:
            return [Explanation(out[i]) for i in range(n.value)]
        finally:
            _ffi.libc.free(out)
    return _explaining(spec, host, machine, smp, call)
