// The grading sandbox's seccomp filter, as the classic BPF program bubblewrap loads (--seccomp
// FD): no new user namespaces. unshare() and clone() with CLONE_NEWUSER fail with EPERM; clone3
// (whose flags sit in memory a filter cannot read) fails with ENOSYS, on which the C library
// falls back to clone. Every other call is allowed; a call of another ABI (32-bit x86, x32)
// is refused, since its numbers differ. bubblewrap sets no_new_privs before loading it.

/** Syscall numbers per architecture (Node's process.arch) and the kernel's audit arch value. */
const ARCHES: Record<string, { audit: number; unshare: number; clone: number; clone3: number } | undefined> = {
  x64: { audit: 0xc000003e, unshare: 272, clone: 56, clone3: 435 },
  arm64: { audit: 0xc00000b7, unshare: 97, clone: 220, clone3: 435 },
};

const CLONE_NEWUSER = 0x10000000;
const X32_BIT = 0x40000000;
const LD_W_ABS = 0x20,
  JEQ_K = 0x15,
  JGE_K = 0x35,
  JSET_K = 0x45,
  RET_K = 0x06;
const ALLOW = 0x7fff0000,
  ERRNO = 0x00050000,
  EPERM = 1,
  ENOSYS = 38;
/** struct seccomp_data: nr at 0, arch at 4, args[0] (its low 32 bits, little-endian) at 16 */
const NR = 0,
  ARCH = 4,
  ARG0 = 16;

type Insn = { code: number; k: number; jt?: string; jf?: string; label?: string };

/** Assembles instructions whose jumps name labels into sock_filter bytes (8 each). */
function assemble(program: readonly Insn[]): Buffer {
  const at = new Map(program.flatMap((p, i) => (p.label ? [[p.label, i] as const] : [])));
  const rel = (i: number, label: string | undefined) => (label === undefined ? 0 : at.get(label)! - i - 1);
  const out = Buffer.alloc(program.length * 8);
  program.forEach((p, i) => {
    out.writeUInt16LE(p.code, i * 8);
    out.writeUInt8(rel(i, p.jt), i * 8 + 2);
    out.writeUInt8(rel(i, p.jf), i * 8 + 3);
    out.writeUInt32LE(p.k >>> 0, i * 8 + 4);
  });
  return out;
}

/** The filter for this machine, or undefined on an architecture it does not know. */
export function noNewUserNamespaces(arch: string = process.arch): Buffer | undefined {
  const a = ARCHES[arch];
  if (!a) return undefined;
  return assemble([
    { code: LD_W_ABS, k: ARCH },
    { code: JEQ_K, k: a.audit, jf: "deny" },
    { code: LD_W_ABS, k: NR },
    { code: JGE_K, k: X32_BIT, jt: "deny" },
    { code: JEQ_K, k: a.clone3, jt: "nosys" },
    { code: JEQ_K, k: a.unshare, jt: "flags" },
    { code: JEQ_K, k: a.clone, jt: "flags" },
    { code: RET_K, k: ALLOW },
    { code: LD_W_ABS, k: ARG0, label: "flags" },
    { code: JSET_K, k: CLONE_NEWUSER, jt: "deny" },
    { code: RET_K, k: ALLOW },
    { code: RET_K, k: ERRNO | EPERM, label: "deny" },
    { code: RET_K, k: ERRNO | ENOSYS, label: "nosys" },
  ]);
}
