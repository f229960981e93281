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

/// Adds (`op` EPOLL_CTL_ADD) or changes (EPOLL_CTL_MOD) `fd` in the epoll set
/// with `events`, tagging it with `token`. Returns 0 or -1 with errno set.
int tally_epoll_control(int epoll_fd, int op, int fd, uint32_t events, uint64_t token);

/// Waits like epoll_wait and copies each ready entry's token and events into
/// the two arrays, so Swift never touches the packed `struct epoll_event`.
/// Returns the number of entries, or -1 with errno set.
int tally_epoll_wait(int epoll_fd, uint64_t *tokens, uint32_t *events, int capacity, int timeout_ms);

/// Accepts a connection as a non-blocking, close-on-exec socket (accept4,
/// which needs _GNU_SOURCE). Returns the descriptor or -1 with errno set.
int tally_accept(int listener, struct sockaddr *address, socklen_t *length);

#endif
