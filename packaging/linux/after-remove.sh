#!/bin/sh
# .deb post-remove: take back what after-install.sh installed (the data in /var/lib/tanba stays).
set -e
rm -f /etc/udev/rules.d/60-tanba.rules /lib/systemd/system/tanba.service
if command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload || true; fi
