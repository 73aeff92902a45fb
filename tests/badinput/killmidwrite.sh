#!/bin/sh
# killmidwrite.sh SIGNAL COMMAND...: run COMMAND with every write(2) after
# its first slowed to 1.5 s (strace fault injection) and send SIGNAL while
# the first slow one is under way: a signal in the middle of writing an
# output. Exits as COMMAND did (128+N when the signal killed it). Skips (77)
# without strace or ptrace.
command -v strace >/dev/null || { echo "no strace" >&2; exit 77; }
strace -o /dev/null true 2>/dev/null || { echo "strace cannot trace here" >&2; exit 77; }
sig=$1
shift
pidf=$(mktemp)
# env --default-signal: a background job's SIGINT is ignored otherwise
strace -f -o /dev/null -e trace=write -e inject=write:delay_enter=1500000:when=2+ \
	env --default-signal sh -c 'echo $$ > "$0"; exec "$@"' "$pidf" "$@" &
tracer=$!
n=0
while [ ! -s "$pidf" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
sleep 0.6
kill -s "$sig" "$(cat "$pidf")"
wait $tracer
rc=$?
rm -f "$pidf"
exit $rc
