#!/usr/bin/env bash
# Checks the files under deploy/ with the programs that will read them: systemd-analyze verify
# for the units, nginx -t for the reverse proxy example, sh -n for the scripts. Any warning
# fails. Installs systemd, nginx and openssl from Debian's packages when missing (as root, like CI).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v systemd-analyze >/dev/null || missing+=(systemd)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# systemd-analyze exits 0 on unknown keys and bad values (it only warns): fail on any output.
verify_output="$(systemd-analyze verify deploy/tppo-bot.service deploy/tppo-backup.service deploy/tppo-backup.timer 2>&1)"
if [ -n "$verify_output" ]; then
  echo "$verify_output" >&2
  echo "deploy/check.sh: systemd-analyze verify found problems in the units" >&2
  exit 1
fi
echo "systemd-analyze verify: tppo-bot.service, tppo-backup.service, tppo-backup.timer"

sh -n deploy/tppo-backup.sh
sh -n deploy/tppo-admin

# nginx -t of the example as a site of a minimal nginx.conf, with a throwaway self-signed
# certificate standing in for the Let's Encrypt files it names.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=bot.example.org \
  -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null
sed "s#/etc/letsencrypt/live/bot.example.org/#$work/#" deploy/nginx-tppo.conf >"$work/site.conf"
cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log stderr;
events {}
http {
  access_log off;
  include $work/site.conf;
}
CONF
/usr/sbin/nginx -t -q -p "$work" -c "$work/nginx.conf"
echo "nginx -t: deploy/nginx-tppo.conf"
