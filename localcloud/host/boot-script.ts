// The program a host boots with. It runs as PID 1 of fresh mount, UTS, IPC and PID
// namespaces (unshare), builds the host's root filesystem (an overlay whose lower
// layer is the machine's root and whose upper layer is a tmpfs only this host sees),
// switches into it, runs the host's setup script, starts sshd and then becomes a
// small init: it reaps orphans and exits when its standard input (the lifeline pipe
// from the controlling process) closes. When PID 1 of a PID namespace exits, the
// kernel kills every other process in it, and the mounts go with the namespace, so
// a host can never outlive the process that started it.
//
// $1 is the host's state directory: conf/ holds the files written by the controller,
// mnt/ is where a tmpfs is mounted (inside the namespace only) that holds the overlay's
// mount point and, unless conf/data-dir names a directory to keep it in, its upper layer.
/**
 * Starts sshd and prints "sshd 0" once it accepts connections (it writes its pid file
 * after it listens), or "sshd <rc>" when it exits first (a bad config, a taken address).
 */
export const START_SSHD = String.raw`rm -f /run/sshd.pid
  /usr/sbin/sshd -D -E /var/log/sshd.log </dev/null >/dev/null 2>&1 &
  sshd_pid=$!
  while [ ! -s /run/sshd.pid ] && kill -0 "$sshd_pid" 2>/dev/null; do sleep 0.005; done
  if [ -s /run/sshd.pid ]; then echo "sshd 0"; else wait "$sshd_pid"; echo "sshd $?"; fi`;

export const BOOT_SCRIPT = String.raw`set -eu
S=$1
# Our PID as the machine sees it (the proc mounted here still belongs to the parent namespace).
read -r outer _ </proc/self/stat
M=$S/mnt
R=$M/root
mount -t tmpfs -o mode=0755 tsplay-host "$M"
mkdir "$R"
# The writable layer: a directory that outlives the host (stop/start) when one is given, else the tmpfs.
if [ -s "$S/conf/data-dir" ]; then D=$(cat "$S/conf/data-dir"); else D=$M; fi
mkdir -p "$D/upper" "$D/work"
# A fresh host has root's home of a fresh install, not the machine's: a whiteout hides
# the machine's /root, and the directory made over it below is opaque.
fresh_root_home=
if [ ! -e "$D/upper/root" ] && [ ! -L "$D/upper/root" ]; then mknod "$D/upper/root" c 0 0; fresh_root_home=1; fi
mount -t overlay tsplay-host -o "lowerdir=/,upperdir=$D/upper,workdir=$D/work" "$R"
if [ -n "$fresh_root_home" ]; then
  mkdir -m 0700 "$R/root"
  for f in bashrc profile; do [ ! -f "/usr/share/base-files/dot.$f" ] || cp "/usr/share/base-files/dot.$f" "$R/root/.$f"; done
fi
mount --rbind /dev "$R/dev"
mount --rbind /sys "$R/sys"
mount -t proc proc "$R/proc"
mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
mount -t tmpfs -o mode=0755 tmpfs "$R/run"
mkdir -p "$R/run/sshd" "$R/run/lock" "$R/run/tsplay-setup"
chmod 1777 "$R/run/lock"
chmod 0700 "$R/run/tsplay-setup"
cp -R "$S/conf/." "$R/run/tsplay-setup/"
hostname "$(cat "$S/conf/hostname")"
cd "$R"
pivot_root . .
umount -l .
cd /
/bin/sh /run/tsplay-setup/setup.sh
delay=$(cat /run/tsplay-setup/boot-delay)
rm -rf /run/tsplay-setup
echo "pid $outer"
(
  [ "$delay" = 0 ] || sleep "$delay"
  ${START_SSHD}
) </dev/null &
exec perl -e '
  close STDOUT;
  my $lifeline = "";
  vec($lifeline, fileno(STDIN), 1) = 1;
  while (1) {
    1 while waitpid(-1, 1) > 0;  # WNOHANG, without loading POSIX (half the memory of this init)
    my $ready = select(my $r = $lifeline, undef, undef, 0.5);
    next if $ready <= 0;
    my $n = sysread(STDIN, my $buf, 4096);
    last if defined $n ? $n == 0 : !$!{EINTR};
  }
'
`;
