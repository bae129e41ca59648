#!/bin/sh
# Applies /boot/firmware/firstboot.txt (hostname, login user, SSH key, Wi-Fi) once,
# then renames it to firstboot.txt.done. Also creates this board's SSH host keys
# (the image ships none, so that every flashed card gets its own). Run by
# edgefuse-firstboot.service before the network and SSH start.
set -eu

boot=${EDGEFUSE_BOOT_DIR:-/boot/firmware}
settings=$boot/firstboot.txt
log() { echo "edgefuse-firstboot: $*"; }

if ! ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1 && command -v ssh-keygen >/dev/null; then
  ssh-keygen -A
  log "created SSH host keys"
fi

[ -f "$settings" ] || exit 0

# The value of KEY in the settings file (last one wins), without surrounding blanks.
value() {
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$settings" | tr -d '\r' | tail -n 1 \
    | sed 's/[[:space:]]*$//'
}

hostname=$(value hostname)
if [ -n "$hostname" ]; then
  case "$hostname" in
    *[!A-Za-z0-9-]* | -*) log "ignoring invalid hostname '$hostname'" ;;
    *)
      echo "$hostname" > /etc/hostname
      sed -i "s/^127\.0\.1\.1[[:space:]].*/127.0.1.1\t$hostname/" /etc/hosts
      grep -q '^127\.0\.1\.1' /etc/hosts || printf '127.0.1.1\t%s\n' "$hostname" >> /etc/hosts
      hostname "$hostname" || true
      log "hostname set to $hostname"
      ;;
  esac
fi

user=$(value user)
if [ -n "$user" ]; then
  case "$user" in
    *[!a-z0-9_-]* | -*) log "ignoring invalid user name '$user'" ;;
    *)
      if ! id "$user" >/dev/null 2>&1; then
        useradd --create-home --shell /bin/bash --groups sudo,audio,video "$user"
        log "created user $user"
      fi
      hash=$(value password_hash)
      password=$(value password)
      if [ -n "$hash" ]; then
        usermod --password "$hash" "$user"
      elif [ -n "$password" ]; then
        printf '%s:%s\n' "$user" "$password" | chpasswd
      fi
      key=$(value ssh_authorized_key)
      if [ -n "$key" ]; then
        home=$(getent passwd "$user" | cut -d: -f6)
        install -d -m 700 -o "$user" -g "$user" "$home/.ssh"
        grep -qxF "$key" "$home/.ssh/authorized_keys" 2>/dev/null || echo "$key" >> "$home/.ssh/authorized_keys"
        chown "$user:$user" "$home/.ssh/authorized_keys"
        chmod 600 "$home/.ssh/authorized_keys"
        log "authorized an SSH key for $user"
      fi
      ;;
  esac
fi

ssid=$(value wifi_ssid)
if [ -n "$ssid" ]; then
  psk=$(value wifi_psk)
  country=$(value wifi_country)
  conf=/etc/wpa_supplicant/wpa_supplicant-wlan0.conf
  umask 077
  {
    echo "ctrl_interface=DIR=/run/wpa_supplicant"
    echo "update_config=1"
    [ -z "$country" ] || echo "country=$country"
    echo "network={"
    echo "  ssid=\"$ssid\""
    if [ -n "$psk" ]; then echo "  psk=\"$psk\""; else echo "  key_mgmt=NONE"; fi
    echo "}"
  } > "$conf"
  umask 022
  # Enabled for the boots to come; started now (queued behind this unit).
  systemctl enable wpa_supplicant@wlan0.service >/dev/null 2>&1 || true
  systemctl --no-block start wpa_supplicant@wlan0.service >/dev/null 2>&1 || true
  log "Wi-Fi configured for network '$ssid'"
fi

# Clear-text secrets must not stay on the FAT partition.
sed -i -e 's/^[[:space:]]*password[[:space:]]*=.*/# password= (applied and removed)/' \
  -e 's/^[[:space:]]*wifi_psk[[:space:]]*=.*/# wifi_psk= (applied and removed)/' "$settings"
mv "$settings" "$settings.done"
sync
log "applied $settings"
