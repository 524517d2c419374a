#!/bin/sh
# Installs the fickle-server .deb built from this tree, starts the server as its systemd unit
# would (there is no systemd PID 1 here: the unit's ExecStart runs as user fickle), talks to it
# with redis-cli, stops it with the unit's signal and purges the package.
# Usage: deb_install_test.sh CPACK_CONFIG   (a CPackConfig.cmake). Exit 77 = skipped.
set -eu
config=$1

skip() { echo "skipped: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "installing a package needs root"
for tool in dpkg dpkg-deb setpriv redis-cli python3; do
  command -v $tool >/dev/null || skip "$tool is missing"
done
if dpkg-query -W -f='${db:Status-Status}' fickle-server 2>/dev/null | grep -q installed; then
  skip "a fickle-server package is already installed here; not touching it"
fi

work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  dpkg --purge fickle-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# dpkg takes a lock another installer may hold for a while: retry for up to two minutes.
dpkg_retry() {
  i=0
  until dpkg "$@"; do
    i=$((i + 1))
    [ $i -lt 24 ] || fail "dpkg $*"
    sleep 5
  done
}

cpack -G DEB --config "$config" -B "$work" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail cpack; }
deb=$(ls "$work"/*.deb)
echo "package: $deb"
dpkg-deb -c "$deb" >"$work/contents"
for f in ./usr/bin/fickle-server ./etc/fickle/fickle.conf ./lib/systemd/system/fickle-server.service; do
  grep -q " $f\$" "$work/contents" || fail "$f is not in the package"
done
dpkg-deb -e "$deb" "$work/control"
grep -qx /etc/fickle/fickle.conf "$work/control/conffiles" || fail "fickle.conf is not a conffile"

dpkg_retry -i "$deb"
getent passwd fickle >/dev/null || fail "user fickle was not created"
[ "$(stat -c %U:%G /var/lib/fickle)" = fickle:fickle ] || fail "/var/lib/fickle is not fickle's"
/usr/bin/fickle-server --version | grep -q '^Fickle server v=' || fail "fickle-server --version"
if command -v systemd-analyze >/dev/null; then
  # Offline check of the unit's syntax and that its binary exists.
  systemd-analyze verify /lib/systemd/system/fickle-server.service 2>"$work/verify" || {
    cat "$work/verify"; fail "systemd-analyze verify"; }
fi

unit=/lib/systemd/system/fickle-server.service
exec_start=$(sed -n 's/^ExecStart=//p' $unit)
user=$(sed -n 's/^User=//p' $unit)
workdir=$(sed -n 's/^WorkingDirectory=//p' $unit)
[ "$user" = fickle ] || fail "the unit runs as '$user'"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cd "$workdir"
# The packaged config listens on 6379; the test moves it to a free port and keeps the rest.
# shellcheck disable=SC2086
setpriv --reuid="$user" --regid="$user" --init-groups $exec_start --port "$port" >"$work/server.log" 2>&1 &
pid=$!
i=0
until [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; do
  i=$((i + 1))
  if [ $i -ge 100 ] || ! kill -0 $pid 2>/dev/null; then cat "$work/server.log"; fail "server did not start"; fi
  sleep 0.1
done
[ "$(redis-cli -p "$port" set greeting hello)" = OK ] || fail SET
[ "$(redis-cli -p "$port" get greeting)" = hello ] || fail GET
[ "$(redis-cli -p "$port" config get dir | tail -n 1)" = /var/lib/fickle ] || fail "dir is not /var/lib/fickle"
[ "$(ps -o user= -p $pid)" = fickle ] || fail "the server does not run as fickle"

# Stop it as systemd would (KillSignal=SIGTERM): it saves (the config has save points) and exits 0.
kill -TERM $pid
status=0
wait $pid || status=$?
pid=""
[ $status = 0 ] || { cat "$work/server.log"; fail "exit status $status after SIGTERM"; }
[ "$(stat -c %U /var/lib/fickle/dump.rdb)" = fickle ] || fail "dump.rdb missing or not fickle's"
grep -q "Ready to accept connections" "$work/server.log" || { cat "$work/server.log"; fail "no startup line in the log (stdout)"; }

cd /
dpkg_retry --purge fickle-server
[ ! -e /usr/bin/fickle-server ] || fail "purge left /usr/bin/fickle-server"
[ ! -e /var/lib/fickle ] || fail "purge left /var/lib/fickle"
[ ! -e /etc/fickle/fickle.conf ] || fail "purge left /etc/fickle/fickle.conf"
echo "deb install test passed"
