#!/bin/sh
# Makes sure Debian's Chromium and ChromeDriver are installed for the dashboard's browser test
# (DashboardIT). Run by `mvn verify` before the integration tests. Does nothing when both are
# there; installs them with apt-get when running as root; otherwise stops and says what to install.
#
# CHROMIUM and CHROMEDRIVER name other binaries to look for (the defaults are Debian's).
set -eu

chromium=${CHROMIUM:-/usr/bin/chromium}
chromedriver=${CHROMEDRIVER:-/usr/bin/chromedriver}

if [ -x "$chromium" ] && [ -x "$chromedriver" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $chromium or $chromedriver missing; installing Debian's chromium and chromium-driver"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
  if [ -x "$chromium" ] && [ -x "$chromedriver" ]; then
    exit 0
  fi
  echo "ensure-chromium: apt-get installed the packages but $chromium or $chromedriver is still missing" >&2
  exit 1
fi

cat >&2 <<MESSAGE
ensure-chromium: the dashboard's browser test needs Chromium and ChromeDriver, and
$chromium or $chromedriver is missing. Install them as root, e.g. on Debian:

    apt-get install chromium chromium-driver

(mvn verify does this by itself when it runs as root on a machine with apt-get).
MESSAGE
exit 1
