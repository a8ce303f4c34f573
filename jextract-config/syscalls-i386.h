/*
 * The i386 ABI's system call numbers (int 0x80 on x86-64), for seccomp filters
 * whose profile lists SCMP_ARCH_X86. Their macros have the same names as
 * x86-64's, so they are generated into a class of their own (see generate.sh),
 * with every constant the header defines.
 */
#include <asm/unistd_32.h>
