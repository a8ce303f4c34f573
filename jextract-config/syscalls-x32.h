/*
 * The x32 ABI's system call numbers (x86-64 with __X32_SYSCALL_BIT set), for
 * seccomp filters whose profile lists SCMP_ARCH_X32. generate.sh defines
 * __ILP32__, as an x32 compiler does, so that <asm/unistd.h> picks
 * <asm/unistd_x32.h> and defines __X32_SYSCALL_BIT, which its numbers add.
 * A class of its own, with every constant the headers define.
 */
#include <asm/unistd.h>
