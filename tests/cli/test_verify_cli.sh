#!/usr/bin/env bash
# vcpuid verify / check from the command line against the real /dev/kvm.
# Usage: test_verify_cli.sh VCPUID_BINARY. Exit 77 (skip) only without /dev/kvm.
set -u
V=$1
[ -e /dev/kvm ] || { echo "SKIP: /dev/kvm does not exist"; exit 77; }
fail=0
t() { # t NAME EXPECTED_RC CMD...
	local name=$1 want=$2; shift 2
	"$@" >/tmp/vcpuid-cli.$$ 2>&1
	local rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL $name: exit $rc, want $want"; sed 's/^/  | /' /tmp/vcpuid-cli.$$; fail=1
	else
		echo "ok   $name"
	fi
}
t "verify host" 0 "$V" verify --cpu host
t "verify --smp 3" 0 "$V" verify --cpu host --smp 3
t "check host" 0 "$V" check --cpu host
t "verify named model" 0 "$V" verify --cpu Skylake-Client-v4
t "check kvm-supported -arch-capabilities" 0 "$V" check --cpu kvm-supported,-arch-capabilities
t "check unknown model" 5 "$V" check --cpu NoSuchModel
t "check unknown feature" 5 "$V" check --cpu kvm-supported,-nosuchfeature
t "check bad smp" 4 "$V" check --cpu host --smp foo
t "verify no device" 6 env VCPUID_KVM_DEVICE=/nonexistent "$V" verify --cpu host
t "check no device" 6 env VCPUID_KVM_DEVICE=/nonexistent "$V" check --cpu host
t "check not kvm" 6 env VCPUID_KVM_DEVICE=/dev/null "$V" check --cpu host
t "verify spin" 8 "$V" verify --cpu host --x-spin --timeout 100
t "verify usage" 2 "$V" verify
t "verify help" 0 "$V" verify --help
t "check help" 0 "$V" check --help
grep -q "vcpuid: /nonexistent: cannot open" <(env VCPUID_KVM_DEVICE=/nonexistent "$V" check --cpu host 2>&1) \
	|| { echo "FAIL no-device message"; fail=1; }
# the JSON document: three columns per register, per vCPU APIC ids
"$V" verify --cpu host --json >/tmp/vcpuid-cli-json.$$ || { echo "FAIL verify --json"; fail=1; }
python3 - /tmp/vcpuid-cli-json.$$ <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["vcpus"]) == 2, "two vCPUs"
for v in d["vcpus"]:
    assert v["guest"]["ran"], v["guest"]
    regs = v["cpuid"]
    assert regs and all(k in r for r in regs for k in ("requested", "kept", "observed",
            "override_bits", "mismatch_bits", "status"))
    assert not [r for r in regs if r["status"] == "mismatch"], "observed == kept"
    l1 = [r for r in regs if r["leaf"] == "0x00000001" and r["reg"] == "ebx"][0]
    assert int(l1["observed"], 16) >> 24 == v["guest"]["apic_id_observed"]
    n_over = sum(r["status"] == "override" for r in regs)
assert d["summary"]["mismatches"] == 0
print("ok   verify --json schema")
PY
rm -f /tmp/vcpuid-cli.$$ /tmp/vcpuid-cli-json.$$
exit $fail
