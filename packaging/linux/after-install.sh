#!/bin/sh
# .deb post-install: device permissions and the headless service unit (not enabled by default).
set -e
RES=/opt/Tanba/resources/linux
install -m 0644 "$RES/60-tanba.rules" /etc/udev/rules.d/60-tanba.rules
install -m 0644 "$RES/tanba.service" /lib/systemd/system/tanba.service
getent group tanba >/dev/null || groupadd --system tanba
getent passwd tanba >/dev/null || useradd --system --gid tanba --home-dir /var/lib/tanba --shell /usr/sbin/nologin tanba
if command -v udevadm >/dev/null 2>&1; then udevadm control --reload-rules && udevadm trigger || true; fi
if command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload || true; fi
