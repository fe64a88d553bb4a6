#!/usr/bin/env bash
# Installs Mesa's lavapipe (a CPU Vulkan driver) + the Vulkan loader from Debian bookworm-backports,
# on the Debian URI apt is already configured with. Root only; exits non-zero if it cannot.
set -euo pipefail
. /etc/os-release
[ "${VERSION_CODENAME:-}" = bookworm ] || { echo "vulkan: not Debian bookworm (${VERSION_CODENAME:-?}); skipping"; exit 1; }
# The first Debian archive URI of the existing apt sources (deb822 or one-line format).
uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}' | grep -v -e security -e '^$' | grep /debian | head -1 || true)
[ -n "$uri" ] || uri=$(grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v security | grep /debian | head -1 || true)
[ -n "$uri" ] || { echo "vulkan: no Debian URI in the apt sources"; exit 1; }
key=/usr/share/keyrings/debian-archive-keyring.gpg
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\n%s' "$uri" "$([ -f $key ] && echo "Signed-By: $key")" \
    > /etc/apt/sources.list.d/covseg-bookworm-backports.sources
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -o DPkg::Lock::Timeout=600 -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
echo "vulkan: $(dpkg-query -W -f='${Package} ${Version}\n' mesa-vulkan-drivers libvulkan1 | tr '\n' ' ')"
