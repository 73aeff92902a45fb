# Sourced by a case (". $SRC/tests/badinput/seconduser.sh"): adds a second,
# unprivileged user $u for this case and removes it when the case's shell
# exits; as_u runs a command as that user. Skips (77) where that cannot be.
[ "$(id -u)" = 0 ] || { echo "needs root to add a second user" >&2; exit 77; }
command -v useradd >/dev/null && command -v userdel >/dev/null &&
	command -v runuser >/dev/null ||
	{ echo "no useradd/userdel/runuser" >&2; exit 77; }
u=vcpbad$$
n=0
# two cases may add users at once: /etc/passwd is locked, so retry
until useradd -M -N -s /bin/sh "$u" 2>/dev/null; do
	n=$((n + 1))
	[ $n -lt 25 ] || { echo "useradd $u failed" >&2; exit 77; }
	sleep 0.2
done
trap 'n=0; until userdel "$u" 2>/dev/null || [ $n -ge 25 ]; do n=$((n + 1)); sleep 0.2; done' EXIT
as_u() { runuser -u "$u" -- "$@"; }
