/* fd.h: whole reads and writes on a file descriptor. read(2) and write(2) may move fewer
 * bytes than asked and may be interrupted by a signal; these loop until done, retrying on
 * EINTR, so every caller that writes a file or reads one whole uses the same loop. */
#ifndef NB_BASE_FD_H
#define NB_BASE_FD_H

#include <stddef.h>

#include "base/err.h"

/* Writes all len bytes of buf to fd. NB_ERR_IO when a write fails (errno says why). */
NB_MUST_USE enum nb_err nb_fd_write_all(int fd, const void *buf, size_t len);

/* Reads into buf until len bytes are read or fd is at its end; *got gets how many were
 * read. NB_ERR_IO when a read fails (errno says why). */
NB_MUST_USE enum nb_err nb_fd_read_full(int fd, void *buf, size_t len, size_t *got);

#endif
