#ifndef TALLY_C_SYSTEM_H
#define TALLY_C_SYSTEM_H

// Linux interfaces that Swift's Glibc module does not export, and CRC32C.

#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <signal.h>

/// Returns the CRC32C (Castagnoli) of `length` bytes at `data`, continuing
/// from `crc` (0 for a fresh checksum). Uses SSE4.2 when the CPU has it.
uint32_t tally_crc32c(uint32_t crc, const void *data, size_t length);

/// Returns errno of the calling thread; Swift cannot read the macro directly
/// on every toolchain.
int tally_errno(void);

/// Sets O_NONBLOCK on `fd`; returns 0 or -1 with errno set.
int tally_set_nonblocking(int fd);

#endif
