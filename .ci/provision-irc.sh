#!/usr/bin/env bash
# Installs the IRC servers the IRC tests run against (InspIRCd 3 and ngircd from Debian) and the
# services package linked to InspIRCd for SASL/NickServ tests (atheme-services 7.2).
# Idempotent: packages already present are left alone, and nothing is started or enabled —
# the testkit launches its own server per test on a free loopback port.
set -euo pipefail

packages=(inspircd ngircd atheme-services openssl)
missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  # --no-install-recommends keeps the footprint small; the packages' own services are not needed.
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian starts the packaged daemons on install; the tests want the ports free and their own configs.
# (atheme-services ships no config, so its init script has nothing to start; stopped here anyway.)
for svc in inspircd ngircd atheme-services; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" || true
  fi
done

/usr/sbin/inspircd --version
/usr/bin/atheme-services -v | head -1
echo "IRC servers ready: inspircd (/usr/sbin/inspircd), ngircd (/usr/sbin/ngircd), atheme (/usr/bin/atheme-services)"
