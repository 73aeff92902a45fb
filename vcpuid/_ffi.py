# SPDX-License-Identifier: MIT
"""libvcpuid through ctypes: finding the library, the C structs the binding
reads, and the prototypes of the functions it calls.

The structs mirror include/vcpuid/*.h field for field; tests/python/layout.c
prints the C sizes and offsets and the 'python' suite compares them, so a
field added in C without its mirror here fails the tests, not a user."""
import ctypes
import os
import pathlib

c_char_p = ctypes.c_char_p
c_int = ctypes.c_int
c_uint = ctypes.c_uint
c_bool = ctypes.c_bool
c_size_t = ctypes.c_size_t
u8, u16, u32, u64 = ctypes.c_uint8, ctypes.c_uint16, ctypes.c_uint32, ctypes.c_uint64
i64 = ctypes.c_int64
P = ctypes.POINTER

# The ABI generation this binding was written for (docs/abi.md).
SOVERSION = '0'


def _candidates():
    """Where libvcpuid.so may be, most specific first."""
    env = os.environ.get('VCPUID_LIBRARY')
    if env:
        yield env
        return
    try:  # written by meson at install time
        from . import _config
        yield os.path.join(_config.LIBDIR, 'libvcpuid.so.' + _config.SOVERSION)
    except ImportError:
        pass
    # Running from the source tree after the README's build (meson setup build).
    here = pathlib.Path(__file__).resolve().parent.parent
    yield str(here / 'build' / 'src' / 'lib' / ('libvcpuid.so.' + SOVERSION))
    # The dynamic loader's search path (an installed library).
    yield 'libvcpuid.so.' + SOVERSION


def _load():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path + ' (absent)')
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            tried.append(f'{path} ({e})')
    raise ImportError('vcpuid: cannot load libvcpuid: tried ' + '; '.join(tried)
                      + '. Build it (meson setup build && ninja -C build), '
                      'install it, or set VCPUID_LIBRARY to its path.')


lib = _load()
libc = ctypes.CDLL(None)
libc.free.argtypes = [ctypes.c_void_p]
libc.free.restype = None


def _fn(name, restype, *argtypes):
    f = lib[name]  # a new function object: each keeps its own prototype
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


# Sizes the headers derive from their own lists.
_word = _fn('vcpuid_word', ctypes.c_void_p, c_int)
NWORDS = 0
while _word(NWORDS):
    NWORDS += 1
stage_name = _fn('vcpuid_stage_name', c_char_p, c_int)
NSTAGES = 0
while stage_name(NSTAGES) != b'?':
    NSTAGES += 1
Words = u64 * NWORDS


class Error(ctypes.Structure):
    _fields_ = [('code', c_int), ('msg', ctypes.c_char * 512)]


class CpuidEntry(ctypes.Structure):
    _fields_ = [('function', u32), ('index', u32), ('flags', u32),
                ('reg', u32 * 4)]


class Table(ctypes.Structure):
    _fields_ = [('e', P(CpuidEntry)), ('n', c_size_t), ('cap', c_size_t)]


class Msr(ctypes.Structure):
    _fields_ = [('index', u32), ('value', u64)]


class MsrList(ctypes.Structure):
    _fields_ = [('m', P(Msr)), ('n', c_size_t), ('cap', c_size_t)]


class KvmCap(ctypes.Structure):
    _fields_ = [('name', ctypes.c_char * 48), ('id', u32), ('value', i64)]


class Host(ctypes.Structure):
    _fields_ = [
        ('source', ctypes.c_char * 256), ('origin', ctypes.c_char * 48),
        ('raw', Table), ('has_raw', c_bool),
        ('has_kvm', c_bool), ('kvm_absent', ctypes.c_char * 200),
        ('kvm_api_version', c_int),
        ('supported', Table), ('emulated', Table), ('feature_msrs', MsrList),
        ('msr_index_list', P(u32)), ('n_msr_index_list', c_size_t),
        ('caps', P(KvmCap)), ('n_caps', c_size_t),
        ('has_xcomp_guest_supp', c_bool), ('xcomp_guest_supp', u64),
        ('tsc_khz', u32), ('lazy', ctypes.c_void_p),
        ('kernel', ctypes.c_char * 128), ('kvm_flavour', ctypes.c_char * 32),
        ('has_microcode', c_bool), ('microcode', u64),
        ('cpuinfo_flags', c_char_p),
    ]


class Topology(ctypes.Structure):
    _fields_ = [(n, c_uint) for n in
                ('cpus', 'sockets', 'dies', 'modules', 'cores', 'threads')]


class Machine(ctypes.Structure):
    _fields_ = [('name', c_char_p), ('qemu', u16),
                ('default_cpu_version', c_int), ('compat', ctypes.c_void_p),
                ('type', u16)]


class ModelDef(ctypes.Structure):
    """Only the leading field the binding reads; never allocated here."""
    _fields_ = [('name', c_char_p)]


class WordInfo(ctypes.Structure):
    """Only the leading field the binding reads; never allocated here."""
    _fields_ = [('id', c_char_p)]


class Feature(ctypes.Structure):
    _fields_ = [('name', c_char_p), ('word', c_int), ('bit', u8),
                ('flags', u8), ('qemu_since', u16), ('linux_name', c_char_p),
                ('desc', c_char_p)]


class Filtered(ctypes.Structure):
    _fields_ = [('word', c_int), ('bit', u8), ('name', c_char_p),
                ('reason', ctypes.c_char * 96)]


class Cpu(ctypes.Structure):
    _fields_ = [
        ('machine', P(Machine)), ('model', P(ModelDef)), ('version', c_int),
        ('name', ctypes.c_char * 64),
        ('is_host', c_bool), ('is_max', c_bool), ('is_base', c_bool),
        ('vendor', ctypes.c_char * 13),
        ('family', u32), ('model_num', u32), ('stepping', u32),
        ('level', u32), ('xlevel', u32), ('xlevel2', u32),
        ('min_level', u32), ('min_xlevel', u32), ('min_xlevel2', u32),
        ('level_func7', u32), ('min_level_func7', u32),
        ('model_id', ctypes.c_char * 49),
        ('features', Words), ('requested', Words), ('filtered', Words),
        ('user_on', Words), ('user_off', Words), ('supported', Words),
        ('max_withheld', Words),
    ] + [(n, c_bool) for n in (
        'migratable', 'enforce', 'check', 'kvm', 'pmu', 'l3_cache',
        'host_cache_info', 'host_phys_bits', 'full_cpuid_auto_level',
        'vendor_cpuid_only', 'cpuid_0xb_off', 'vmware_cpuid_freq_off',
        'force_cpuid_0x1f', 'kvm_pv_enforce_cpuid')] + [
        ('compat_knobs', u32), ('phys_bits', c_uint), ('ucode_rev', u64), ('tsc_khz', u64),
        ('avx10_version', u8), ('avx10_max_subleaf', u8),
        ('avx10_filtered', c_bool), ('avx10_asked', u8),
        ('cache', ctypes.c_void_p), ('topo', Topology),
        ('nfiltered', c_size_t), ('filtered_list', P(Filtered)),
        ('warnings', P(c_char_p)), ('nwarnings', c_size_t),
    ]


class Vcpu(ctypes.Structure):
    _fields_ = [('index', c_uint), ('apic_id', u32), ('cpuid', Table),
                ('msrs', MsrList)]


class Guest(ctypes.Structure):
    _fields_ = [('cpu', Cpu), ('nvcpus', c_size_t), ('vcpus', P(Vcpu))]


class Explanation(ctypes.Structure):
    _fields_ = [('feature', P(Feature)), ('at', c_int * NSTAGES),
                ('note', (ctypes.c_char * 128) * NSTAGES),
                ('decisive', c_int), ('wanted', c_bool), ('final', c_bool),
                ('cause', ctypes.c_char * 160)]


class Reason(ctypes.Structure):
    _fields_ = [('kind', c_int), ('fatal', c_bool),
                ('what', ctypes.c_char * 48), ('text', ctypes.c_char * 200)]


class Comparison(ctypes.Structure):
    _fields_ = [('verdict', c_int), ('n', c_size_t), ('r', P(Reason)),
                ('nextra', c_size_t), ('level', c_int), ('level_here', c_int)]


class Baseline(ctypes.Structure):
    _fields_ = [('spec', ctypes.c_char * 2048), ('model', P(ModelDef)),
                ('version', c_int), ('features', Words), ('plus', Words),
                ('minus', Words), ('vendor', ctypes.c_char * 13),
                ('level', c_int)]


# The structs above, by their C names (tests/python/layout.c checks them).
STRUCTS = {
    'vcpuid_error': Error, 'vcpuid_cpuid_entry': CpuidEntry,
    'vcpuid_table': Table, 'vcpuid_msr': Msr, 'vcpuid_msr_list': MsrList,
    'vcpuid_kvm_cap': KvmCap, 'vcpuid_host': Host,
    'vcpuid_topology': Topology, 'vcpuid_machine': Machine,
    'vcpuid_model_def': ModelDef, 'vcpuid_word_info': WordInfo,
    'vcpuid_feature': Feature,
    'vcpuid_filtered': Filtered, 'vcpuid_cpu': Cpu, 'vcpuid_vcpu': Vcpu,
    'vcpuid_guest': Guest, 'vcpuid_explanation': Explanation,
    'vcpuid_reason': Reason, 'vcpuid_comparison': Comparison,
    'vcpuid_baseline': Baseline,
}
# Read through pointers only: a prefix of the C struct, never sized here.
PARTIAL = {'vcpuid_model_def', 'vcpuid_word_info'}

R = ctypes.byref
status_name = _fn('vcpuid_status_name', c_char_p, c_int)
host_init = _fn('vcpuid_host_init', None, P(Host))
host_free = _fn('vcpuid_host_free', None, P(Host))
host_load = _fn('vcpuid_host_load', c_int, c_char_p, P(Host), P(Error))
host_parse = _fn('vcpuid_host_parse', c_int, c_char_p, c_size_t, c_char_p,
                 P(Host), P(Error))
host_vendor = _fn('vcpuid_host_vendor', None, P(Host), P(ctypes.c_char))
profile_to_json = _fn('vcpuid_profile_to_json', ctypes.c_void_p, P(Host))
topology_parse = _fn('vcpuid_topology_parse', c_int, c_char_p, P(Topology),
                     P(Error))
cpu_expand = _fn('vcpuid_cpu_expand', c_int, P(Host), c_char_p, c_char_p,
                 P(Topology), P(Cpu), P(Error))
cpu_free = _fn('vcpuid_cpu_free', None, P(Cpu))
guest_build = _fn('vcpuid_guest_build', c_int, P(Host), c_char_p, c_char_p,
                  P(Topology), P(Guest), P(Error))
guest_free = _fn('vcpuid_guest_free', None, P(Guest))
compare = _fn('vcpuid_compare', c_int, P(Host), c_char_p, c_char_p,
              P(Comparison), P(Error))
migrate_check = _fn('vcpuid_migrate_check', c_int, P(Host), P(Host), c_char_p,
                    c_char_p, P(Topology), P(Comparison), P(Error))
comparison_free = _fn('vcpuid_comparison_free', None, P(Comparison))
verdict_name = _fn('vcpuid_verdict_name', c_char_p, c_int)
baseline_compute = _fn('vcpuid_baseline_compute', c_int, P(P(Host)), c_size_t,
                       c_char_p, c_uint, P(Baseline), P(Error))
BASELINE_MIGRATABLE = 0x1
explain = _fn('vcpuid_explain', c_int, P(Host), P(Cpu), c_char_p,
              P(Explanation), P(Error))
explain_lost = _fn('vcpuid_explain_lost', c_int, P(Host), P(Cpu),
                   P(P(Explanation)), P(c_size_t), P(Error))
word_info = _fn('vcpuid_word', P(WordInfo), c_int)
feature_at = _fn('vcpuid_feature_at', P(Feature), c_int, c_uint)
