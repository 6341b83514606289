/* fd.c: whole reads and writes on a file descriptor (see fd.h). */
#include "base/fd.h"

#include <errno.h>
#include <unistd.h>

enum nb_err nb_fd_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return NB_ERR_IO;
        done += (size_t)w;
    }
    return NB_OK;
}

enum nb_err nb_fd_read_full(int fd, void *buf, size_t len, size_t *got)
{
    char *p = buf;
    size_t done = 0;
    enum nb_err err = NB_OK;
    while (done < len) {
        ssize_t r = read(fd, p + done, len - done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            err = NB_ERR_IO;
            break;
        }
        if (r == 0)
            break; /* end of file */
        done += (size_t)r;
    }
    *got = done;
    return err;
}
