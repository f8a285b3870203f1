// The worker's file helper: stat, rename, mkdir, symlink, mime types, file flags and
// small files' SHA-1 without a program start.
//
// On these hosts a program start costs more than the work most file operations do (a
// fork and an exec of stat or mv, ~0.7 ms of host CPU each, a dozen per file task; file(1)
// ~3.5 ms, most of it compiling its magic). So where perl is installed (Debian and Ubuntu
// always have perl-base) the worker starts as a small perl process that forks the worker
// shell and stays beside it as its helper, reading requests from a pipe. Our own scripts
// (scriptBody in command-body.ts) then get shell functions named stat, mv, mkdir, ln, file,
// lsattr and sha1sum that ask the helper for the forms our scripts use, and run the real
// program for anything else. For mime types the helper keeps one file(1) running.
//
// The helper only ever takes the path where the outcome is certain to be the program's:
// it writes what the program would print (stat's formats) and nothing else, and when a
// request fails or is not one it knows, it declines and the shell runs the program,
// which then meets the same situation and prints its own message. A host without perl,
// or with a perl that cannot call statx (not x86_64 or aarch64), gets the plain shell.
//
// Wire: the shell writes NUL-terminated fields (a count, a token, the operation and its
// arguments) to fd 8 and reads "<code> <token>\n" from fd 9; code 0 means done. What
// the program would print the helper writes to its own stdout, the channel: the shell
// asks only when its stdout is that same pipe (`-ef`), which also proves the helper is
// alive.
import { shellQuote } from '../shell-quote.js';

/** Request and answer fds of the worker shell once native (commandBody closes them for user programs). */
export const NATIVE_REQUEST_FD = 8;
export const NATIVE_ANSWER_FD = 9;

// Perl 5.8 syntax, no modules beyond strict: it starts in ~1 ms. No single quotes, so the
// text stays readable once shell-quoted.
export const HELPER = String.raw`use strict;
my $ready = $ARGV[0];
$| = 1;
sub plain { print "$ready\n"; exec "/bin/sh"; exit 127 }
# statx for the architecture this perl was built for (ELF e_machine: x86_64, aarch64).
my $nr;
if (open(my $elf, "<", $^X)) {
  my $head = "";
  $nr = {62 => 332, 183 => 291}->{unpack("v", substr($head, 18, 2))} if sysread($elf, $head, 20) == 20;
}
my $probe = "/";
my $buffer = "\0" x 256;
plain() unless $nr and syscall($nr, -100, $probe, 0x100, 0x7ff, $buffer) == 0 and unpack("x32Q", $buffer) == (lstat "/")[1];
$^F = 255;
pipe(my $request_in, my $request_out) or plain();
pipe(my $answer_in, my $answer_out) or plain();
my @fds = (fileno $request_out, fileno $answer_in);
my $pid;
# The helper lives as long as its worker shell (not its own children, file(1)).
$SIG{CHLD} = sub { while ((my $gone = waitpid(-1, 1)) > 0) { exit 0 if $gone == $pid } };
$pid = fork;
plain() unless defined $pid;
if ($pid == 0) { close $request_in; close $answer_out; exec "/bin/sh"; exit 127 }
close $request_out; close $answer_in;
print "$ready native @fds\n";

my %escape = (n => "\n", t => "\t", "\\" => "\\", "\"" => "\"", a => "\a", b => "\b", f => "\f", r => "\r", v => "\013", e => "\e");

sub emit {
  my ($out) = @_;
  while (length $out) {
    my $n = syswrite(STDOUT, $out);
    return 0 unless defined $n;
    substr($out, 0, $n, "");
  }
  1;
}

# stat(1) with the options our scripts pass: [-L] (--printf F | -c F) -- PATH.
sub stat_path {
  my ($quoting, @argv) = @_;
  my ($follow, $format, $escapes, $path) = (0);
  while (@argv) {
    my $arg = shift @argv;
    if ($arg eq "-L") { $follow = 1 }
    elsif ($arg eq "--printf" and @argv) { $format = shift @argv; $escapes = 1 }
    elsif ($arg eq "-c" and @argv) { $format = shift @argv; $escapes = 0 }
    elsif ($arg eq "--" and @argv == 1) { $path = shift @argv }
    else { return 0 }
  }
  return 0 unless defined $format and defined $path and length $path;
  my ($name, $raw) = ($path, "\0" x 256);
  return 0 unless syscall($nr, -100, $name, $follow ? 0x800 : 0x900, 0x7ff, $raw) == 0;
  my ($mask, $blksize, $nlink, $uid, $gid, $mode, $ino, $size, $blocks, $as, $an, $bs, $bn, $cs, $cn, $ms, $mn, $rmaj, $rmin, $dmaj, $dmin) =
    unpack("LLx8LLLSx2QQQx8qLx4qLx4qLx4qLx4LLLL", $raw);
  return 0 if ($mask & 0x7ff) != 0x7ff or $as < 0 or $cs < 0 or $ms < 0;
  my %value = (
    f => sprintf("%x", $mode), u => $uid, g => $gid, s => $size, i => $ino, h => $nlink, b => $blocks, o => $blksize,
    d => (($dmaj & 0xfffff000) << 32) | (($dmaj & 0xfff) << 8) | (($dmin & 0xffffff00) << 12) | ($dmin & 0xff),
    t => sprintf("%x", $rmaj), T => sprintf("%x", $rmin), n => $path,
  );
  my %time = (X => [$as, $an], Y => [$ms, $mn], Z => [$cs, $cn]);
  my ($out, $text) = ("", $format);
  while (length $text) {
    if ($text =~ s/^%(?:\.([1-9]))?([A-Za-z%])//) {
      my ($precision, $directive) = ($1, $2);
      if ($time{$directive}) {
        my ($seconds, $nanos) = @{$time{$directive}};
        $out .= defined $precision ? "$seconds." . substr(sprintf("%09d", $nanos), 0, $precision) : $seconds;
      }
      elsif (defined $precision) { return 0 }
      elsif ($directive eq "%") { $out .= "%" }
      elsif (exists $value{$directive}) { $out .= $value{$directive} }
      elsif ($directive eq "U") { my $n = getpwuid($uid); $out .= defined $n ? $n : "UNKNOWN" }
      elsif ($directive eq "G") { my $n = getgrgid($gid); $out .= defined $n ? $n : "UNKNOWN" }
      elsif ($directive eq "N" and $quoting eq "literal" and !$follow) {
        if (($mode & 0170000) == 0120000) { my $target = readlink $path; return 0 unless defined $target; $out .= "$path -> $target" }
        else { $out .= $path }
      }
      else { return 0 }
    }
    elsif ($text =~ /^%/) { return 0 }
    elsif ($escapes and $text =~ s/^\\([0-7]{1,3})//) { $out .= chr(oct $1) }
    elsif ($escapes and $text =~ s/^\\(.)//s) { return 0 unless exists $escape{$1}; $out .= $escape{$1} }
    else { $text =~ s/^([^%\\]+|\\)//s; $out .= $1 }
  }
  emit($escapes ? $out : "$out\n");
}

# Whether the caller would find the program where the helper looks (its PATH is the helper's).
sub on_path {
  my ($program, $search) = @_;
  $search eq $ENV{PATH} and grep { length and -f "$_/$program" and -x _ } split /:/, $search;
}

# file --mime-type --mime-encoding, from one file(1) kept running (-f - reads names, -n
# answers each at once): a second file(1) costs what the first does, its magic compiled.
my ($magic, $magic_in, $magic_out);
sub mime {
  my ($path, $search) = @_;
  return 0 if $path !~ m{^/} or $path =~ /\n/ or !on_path("file", $search);
  if (!$magic) {
    pipe(my $names_in, my $names_out) or return 0;
    pipe(my $types_in, my $types_out) or return 0;
    my $child = fork;
    return 0 unless defined $child;
    if ($child == 0) {
      open(STDIN, "<&", $names_in) and open(STDOUT, ">&", $types_out) and open(STDERR, ">", "/dev/null") or exit 127;
      close $_ for $names_out, $types_in, $request_in, $answer_out;
      exec "file", "-n", "-b", "--mime-type", "--mime-encoding", "-f", "-";
      exit 127;
    }
    close $names_in; close $types_out;
    select((select($names_out), $| = 1)[0]);
    ($magic, $magic_in, $magic_out) = ($child, $names_out, $types_in);
  }
  local $SIG{PIPE} = "IGNORE";
  print $magic_in "$path\n" or return 0;
  my $type = readline $magic_out;
  return 0 unless defined $type and $type =~ /\n$/;
  emit("$path: $type");
}

# lsattr -vd -- PATH for a caller whose stderr goes nowhere. Where lsattr would fail (its
# lstat, open or ioctls fail here too: links, devices, filesystems without flags) there is
# nothing to print. Where it would succeed, its line for the same flags word and a version
# as long, learnt from its own output (lsattr_learnt): its rendering of the flags depends
# on its version.
my %attr_line;
sub attributes {
  my ($path) = @_;
  return () if $path =~ /\n/;
  lstat $path or return ("fail");
  return ("fail") unless -f _ or -d _;
  sysopen(my $handle, $path, 04000) or return ("fail");
  my ($version, $flags) = ("\0" x 8, "\0" x 8);
  # FS_IOC_GETVERSION and FS_IOC_GETFLAGS, as lsattr reads them (an int each).
  ioctl($handle, 0x80087601, $version) and ioctl($handle, 0x80086601, $flags) or return ("fail");
  ("ok", unpack("L", $version), unpack("L", $flags));
}
sub lsattr {
  my ($path, $search) = @_;
  return 0 unless on_path("lsattr", $search);
  my ($state, $version, $flags) = attributes($path);
  return 0 unless $state;
  return -1 if $state eq "fail";
  my $known = $attr_line{"$flags " . length $version} or return 0;
  emit("$known->[0]$version$known->[1]$known->[2] $path\n");
}
sub lsattr_learnt {
  my ($path, $line) = @_;
  my ($state, $version, $flags) = attributes($path);
  my $at = length($line) - length($path) - 1;
  return 0 unless $state and $state eq "ok" and $at > 0 and substr($line, $at) eq " $path";
  return 0 unless substr($line, 0, $at) =~ /^( *)$version( +)([^ ]+)$/;
  $attr_line{"$flags " . length $version} = [$1, $2, $3];
}

# sha1sum -- PATH for a regular file of at most 1 KiB, computed here: ~35 us a 64-byte
# block in perl against ~0.8 ms for starting sha1sum. Larger files, and names sha1sum
# would escape, go to the program.
sub sha1 {
  my ($path, $search) = @_;
  return 0 if $path =~ /[\\\n\r]/ or !on_path("sha1sum", $search);
  return 0 unless -f $path and (stat _)[7] <= 1024 and open(my $in, "<", $path);
  binmode $in;
  my $data = "";
  1 while read($in, $data, 1025 - length $data, length $data);
  return 0 if length $data > 1024;
  my @h = (0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0);
  my $bits = 8 * length $data;
  $data .= "\x80" . ("\0" x ((55 - length $data) % 64)) . pack("N2", 0, $bits);
  for (my $at = 0; $at < length $data; $at += 64) {
    my @w = unpack("N16", substr($data, $at, 64));
    for my $t (16 .. 79) { my $x = $w[$t - 3] ^ $w[$t - 8] ^ $w[$t - 14] ^ $w[$t - 16]; $w[$t] = (($x << 1) | ($x >> 31)) & 0xffffffff }
    my ($a, $b, $c, $d, $e) = @h;
    for my $t (0 .. 79) {
      my ($f, $k) = $t < 20 ? (($b & $c) | (~$b & $d), 0x5a827999) : $t < 40 ? ($b ^ $c ^ $d, 0x6ed9eba1)
        : $t < 60 ? (($b & $c) | ($b & $d) | ($c & $d), 0x8f1bbcdc) : ($b ^ $c ^ $d, 0xca62c1d6);
      ($e, $d, $c, $b, $a) = ($d, $c, (($b << 30) | ($b >> 2)) & 0xffffffff, $a, ((($a << 5) | ($a >> 27)) + $f + $e + $k + $w[$t]) & 0xffffffff);
    }
    $h[$_] = ($h[$_] + ($a, $b, $c, $d, $e)[$_]) & 0xffffffff for 0 .. 4;
  }
  emit(sprintf("%08x%08x%08x%08x%08x  %s\n", @h, $path));
}

my %operation = (
  lsattr => \&lsattr,
  sha1 => \&sha1,
  lsattr_learnt => \&lsattr_learnt,
  mime => \&mime,
  stat => \&stat_path,
  # mv -f / mv -fT: a rename, unless mv would do more (move into a directory) or refuse (same file).
  mv => sub {
    my ($from, $to) = @_;
    my @source = lstat $from or return 0;
    return 0 if -d $to;
    my @dest = lstat $to;
    return 0 if @dest and $source[0] == $dest[0] and $source[1] == $dest[1];
    rename $from, $to;
  },
  mkdir => sub { my ($mask, $path) = @_; umask oct $mask; mkdir $path, 0777 },
  # mkdir -p of an absolute path without . or .. (parents get the same mode unless the umask takes u+wx).
  mkdirp => sub {
    my ($mask, $path) = @_;
    return 0 if $path !~ m{^/} or $path =~ m{(?:^|/)\.\.?(?:/|$)} or oct($mask) & 0300;
    umask oct $mask;
    return 1 if -d $path;
    my $at = "";
    for my $part (grep { length } split m{/}, $path) {
      $at .= "/$part";
      next if -d $at;
      mkdir $at, 0777 or return 0;
    }
    1;
  },
  symlink => sub { my ($target, $link) = @_; return 0 if $link =~ m{/$} or -e $link or -l $link; symlink $target, $link },
);

my $pending = "";
for (;;) {
  my $got = sysread($request_in, $pending, 65536, length $pending);
  if (!$got) { next if !defined $got and $! == 4; exit 0 }
  while ((my $end = index($pending, "\0")) >= 0) {
    my $count = substr($pending, 0, $end);
    exit 1 unless $count =~ /^[0-9]+$/;
    my ($at, @field) = ($end + 1);
    for (1 .. $count) {
      my $stop = index($pending, "\0", $at);
      last if $stop < 0;
      push @field, substr($pending, $at, $stop - $at);
      $at = $stop + 1;
    }
    last if @field < $count;
    substr($pending, 0, $at, "");
    my ($token, $name, @args) = @field;
    # 0 done, 1 declined (the program runs), 2 the program would fail (and print nothing).
    my $done = $operation{$name} && eval { $operation{$name}->(@args) };
    syswrite($answer_out, ($done ? ($done eq "-1" ? 2 : 0) : 1) . " $token\n");
  }
}
`;

/**
 * perl's -e: the helper without comments and indentation (a shorter command line), in hex,
 * shell-quoted once. The program travels hex-encoded: `sudo -i` hands its command to a
 * login shell with every character but `$` escaped, so the command must hold no `$`. If it
 * does not compile, perl prints the ready line and runs the shell all the same.
 */
const PERL_START = shellQuote(
  `eval pack q(H*),q(${Buffer.from(
    HELPER.split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .join('\n'),
  ).toString('hex')});print @ARGV,qq(\\n);exec q(/bin/sh)`,
);

/**
 * What a worker's session channel runs first when no become is asked: the helper, started
 * by the login shell itself. One `exec` with single-quoted words runs the same in every
 * login shell (csh and fish too), so no /bin/sh starts in between; the ready line it prints
 * ends with " native R A", the fds of its pipes in the shell (see nativeFds). Where perl is
 * missing the login shell cannot exec it and the channel closes before the ready line: the
 * worker then starts with workerStart.
 */
export function helperStart(readyLine: string): string {
  return `exec perl -e ${PERL_START} ${readyLine}`;
}

/**
 * What a worker's session channel runs in /bin/sh (after sudo or su, or where helperStart
 * failed): the helper when the host has perl, else the shell. Either way the ready line
 * comes first.
 */
export function workerStart(readyLine: string): string {
  return `command -v perl >/dev/null 2>&1 && ${helperStart(readyLine)}; echo ${readyLine}; exec /bin/sh`;
}

/** The fds named after the ready line when the helper runs; undefined for a plain worker. */
export function nativeFds(afterReadyLine: string): [number, number] | undefined {
  const match = /^ native (\d+) (\d+)\n/.exec(afterReadyLine);
  if (!match) return undefined;
  const fds: [number, number] = [Number(match[1]), Number(match[2])];
  // The helper's pipes are the lowest free fds (3 to 6); anything else is not ours to move.
  return fds.every((fd) => fd >= 3 && fd < NATIVE_REQUEST_FD) ? fds : undefined;
}

/**
 * Sent once to a native worker shell: its pipes moved to fixed fds, and the functions
 * (defined in the shell, called only by scripts that ask for them: NATIVE_OVERRIDES).
 * A request carries the frame id and a count (tsplay_frame, tsplay_n) as its token, so
 * an answer left over from a command killed mid-request is never taken for another's.
 */
export function nativeInit([request, answer]: [number, number]): string {
  const q = NATIVE_REQUEST_FD;
  const a = NATIVE_ANSWER_FD;
  return `exec ${q}>&${request} ${a}<&${answer} ${request}>&- ${answer}<&-
tsplay_native=1
tsplay_ask() {
  [ /proc/self/fd/1 -ef "/proc/$PPID/fd/1" ] || return 1
  tsplay_n=$((\${tsplay_n:-0} + 1))
  printf '%s\\0' "$(($# + 1))" "\${tsplay_frame-}.$tsplay_n" "$@" >&${q} || return 1
  while read -r tsplay_rc tsplay_tok <&${a}; do
    [ "$tsplay_tok" = "\${tsplay_frame-}.$tsplay_n" ] && return "$tsplay_rc"
  done
  return 1
}
tsplay_overrides() {
  stat() { tsplay_ask stat "\${QUOTING_STYLE-}" "$@" || command stat "$@"; }
  mv() { case $#:$1:$2 in 4:-f:--|4:-fT:--) tsplay_ask mv "$3" "$4" && return 0;; esac; command mv "$@"; }
  mkdir() {
    case $#:$1:$2 in
      2:--:*) tsplay_ask mkdir "$(umask)" "$2" && return 0;;
      3:-p:--) tsplay_ask mkdirp "$(umask)" "$3" && return 0;;
    esac
    command mkdir "$@"
  }
  ln() { case $#:$1:$2 in 4:-s:--) tsplay_ask symlink "$3" "$4" && return 0;; esac; command ln "$@"; }
  lsattr() {
    case $#:$1:$2 in
      3:-vd:--) if [ /proc/self/fd/2 -ef /dev/null ]; then
        tsplay_ask lsattr "$3" "$PATH"
        case $? in 0) return 0;; 2) return 1;; esac
        tsplay_line=$(command lsattr -vd -- "$3") || { set -- "$?"; [ -z "$tsplay_line" ] || printf '%s\\n' "$tsplay_line"; return "$1"; }
        printf '%s\\n' "$tsplay_line"
        tsplay_ask lsattr_learnt "$3" "$tsplay_line"
        return 0
      fi;;
    esac
    command lsattr "$@"
  }
  sha1sum() { case $#:$1 in 2:--) tsplay_ask sha1 "$2" "$PATH" && return 0;; esac; command sha1sum "$@"; }
  file() {
    case $#:$1:$2:$3:\${MAGIC+m}\${POSIXLY_CORRECT+p} in
      4:--mime-type:--mime-encoding:--:) tsplay_ask mime "$4" "$PATH" && return 0;;
    esac
    command file "$@"
  }
}
`;
}

/** First line of our own scripts: on a native worker, stat, mv, mkdir, ln and file go through the helper. */
export const NATIVE_OVERRIDES = '${tsplay_native:+tsplay_overrides}';

/** Redirections that keep the helper's pipes from the programs a worker runs for users. */
export const CLOSE_NATIVE_FDS = `${NATIVE_REQUEST_FD}>&- ${NATIVE_ANSWER_FD}<&-`;
