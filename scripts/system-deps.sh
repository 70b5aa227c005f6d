#!/bin/sh
# Debian packages the tests use: PostgreSQL (store tests run against a throw-away
# server), Chromium (the console's end-to-end tests) and CJK fonts (screenshots).
# Installs only what is missing; needs root (or sudo) the first time.
set -eu
need=""
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need="$need fonts-noto-cjk"
# the SIP edge and its test peers (docs/telephony.md): Kamailio, SIPp, baresip, sox, espeak-ng
command -v kamailio >/dev/null 2>&1 || need="$need kamailio"
command -v sipp >/dev/null 2>&1 || need="$need sip-tester"
command -v baresip >/dev/null 2>&1 || need="$need baresip-core"
command -v sox >/dev/null 2>&1 || need="$need sox"
command -v espeak-ng >/dev/null 2>&1 || need="$need espeak-ng"
# browsers (the desk's softphone, the web call page): Kamailio's websocket module and
# rtpengine (run in userspace by Hotline: no kernel module, no service enabled)
ls /usr/lib/*/kamailio/modules/websocket.so >/dev/null 2>&1 || need="$need kamailio-websocket-modules"
command -v rtpengine >/dev/null 2>&1 || need="$need rtpengine-daemon"
[ -z "$need" ] && exit 0
echo "installing Debian packages:$need"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
