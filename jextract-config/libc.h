/*
 * Umbrella header for jrun's libc and kernel bindings.
 *
 * jextract reads this file (see generate.sh); only the symbols named in
 * includes.txt are generated. Add a header here when a new symbol lives in
 * one that is not yet included.
 */
#define _GNU_SOURCE

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <poll.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/ioprio.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
/* These kernel headers' linux/sched/types.h defines sched_param again, which glibc's sched.h has:
 * only its sched_attr is wanted. */
#define sched_param linux_sched_param
#include <linux/sched/types.h>
#undef sched_param
