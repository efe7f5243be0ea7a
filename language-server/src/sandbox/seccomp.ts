// A seccomp filter for bubblewrap runs, in the spirit of Docker's default profile: the kernel
// interfaces tests never need (keys, BPF, perf events, mounts, modules, reboot, namespaces,
// io_uring, tracing other processes) fail with EPERM. Compiled here to classic BPF for x86-64;
// bwrap loads it from a file descriptor right before it runs the command.

/** x86-64 syscall numbers that fail with EPERM. */
const denied: Record<string, number> = {
  ptrace: 101,
  sysfs: 139,
  pivot_root: 155,
  _sysctl: 156,
  acct: 163,
  settimeofday: 164,
  mount: 165,
  umount2: 166,
  swapon: 167,
  swapoff: 168,
  reboot: 169,
  iopl: 172,
  ioperm: 173,
  create_module: 174,
  init_module: 175,
  delete_module: 176,
  get_kernel_syms: 177,
  query_module: 178,
  quotactl: 179,
  nfsservctl: 180,
  lookup_dcookie: 212,
  clock_settime: 227,
  kexec_load: 246,
  add_key: 248,
  request_key: 249,
  keyctl: 250,
  unshare: 272,
  perf_event_open: 298,
  name_to_handle_at: 303,
  open_by_handle_at: 304,
  clock_adjtime: 305,
  setns: 308,
  process_vm_readv: 310,
  process_vm_writev: 311,
  kcmp: 312,
  finit_module: 313,
  kexec_file_load: 320,
  bpf: 321,
  userfaultfd: 323,
  io_uring_setup: 425,
  io_uring_enter: 426,
  io_uring_register: 427,
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsconfig: 431,
  fsmount: 432,
  fspick: 433,
};
const clone = 56;
/** clone3 passes its flags in memory a filter cannot read: ENOSYS makes libc fall back to clone. */
const clone3 = 435;
/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET. */
const newNamespaceFlags = 0x7e020000;

const auditArchX86_64 = 0xc000003e;
const x32SyscallBit = 0x40000000;
const ret = { allow: 0x7fff0000, killProcess: 0x80000000, eperm: 0x00050000 | 1, enosys: 0x00050000 | 38 };
const op = { ldAbs: 0x20, jeq: 0x15, jge: 0x35, jset: 0x45, ret: 0x06 };
const offset = { nr: 0, arch: 4, arg0: 16 };

type Insn = [code: number, jt: number, jf: number, k: number];

/** The filter as bwrap's --seccomp reads it (struct sock_filter[]), or undefined off x86-64. */
export function seccompFilter(arch: string = process.arch): Buffer | undefined {
  if (arch !== 'x64') return undefined;
  const numbers = Object.values(denied);
  // Layout: checks, then [allow][clone check: ld, jset, allow][eperm][enosys]; jumps go forward.
  const allow = 7 + numbers.length;
  const cloneCheck = allow + 1;
  const eperm = cloneCheck + 3;
  const enosys = eperm + 1;
  const to = (from: number, target: number) => target - from - 1;
  const program: Insn[] = [
    [op.ldAbs, 0, 0, offset.arch],
    [op.jeq, 1, 0, auditArchX86_64],
    [op.ret, 0, 0, ret.killProcess],
    [op.ldAbs, 0, 0, offset.nr],
    [op.jge, to(4, eperm), 0, x32SyscallBit],
    [op.jeq, to(5, enosys), 0, clone3],
  ];
  program.push([op.jeq, to(6, cloneCheck), 0, clone]);
  numbers.forEach((nr, i) => program.push([op.jeq, to(7 + i, eperm), 0, nr]));
  program.push([op.ret, 0, 0, ret.allow]);
  program.push([op.ldAbs, 0, 0, offset.arg0], [op.jset, to(cloneCheck + 1, eperm), 0, newNamespaceFlags], [op.ret, 0, 0, ret.allow]);
  program.push([op.ret, 0, 0, ret.eperm], [op.ret, 0, 0, ret.enosys]);
  if (program.length !== enosys + 1 || program.some(([, jt]) => jt > 255)) throw new Error('seccomp: the filter is laid out wrong');
  const buffer = Buffer.alloc(program.length * 8);
  program.forEach(([code, jt, jf, k], i) => {
    buffer.writeUInt16LE(code, i * 8);
    buffer.writeUInt8(jt, i * 8 + 2);
    buffer.writeUInt8(jf, i * 8 + 3);
    buffer.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return buffer;
}

/** Names of the syscalls the filter refuses (for docs and tests). */
export const deniedSyscalls = Object.keys(denied);
