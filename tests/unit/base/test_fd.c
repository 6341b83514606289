/* Unit tests for base/fd: a write larger than a pipe's buffer arrives whole, a file reads
 * back whole, a short file reads to its end with the count, and failures are NB_ERR_IO. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fd.h"

#define BIG (1024u * 1024u) /* well past the 64 KiB of a Linux pipe */

struct drain {
    int fd;
    char *buf;
    size_t got;
};

static void *drain_pipe(void *arg)
{
    struct drain *d = arg;
    if (nb_fd_read_full(d->fd, d->buf, BIG + 1, &d->got) != NB_OK)
        d->got = (size_t)-1;
    return NULL;
}

static void test_write_all_through_a_pipe(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    char *out = malloc(BIG), *in = malloc(BIG + 1);
    assert_non_null(out);
    assert_non_null(in);
    for (size_t i = 0; i < BIG; i++)
        out[i] = (char)(i * 7u);
    struct drain d = {p[0], in, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, drain_pipe, &d), 0);
    assert_int_equal(nb_fd_write_all(p[1], out, BIG), NB_OK);
    close(p[1]); /* the reader sees the end */
    pthread_join(t, NULL);
    assert_int_equal(d.got, BIG);
    assert_memory_equal(in, out, BIG);
    close(p[0]);
    free(out);
    free(in);
}

static void test_read_full_and_short(void **state)
{
    (void)state;
    char path[] = "/tmp/nb-test-fd-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(nb_fd_write_all(fd, "abcdef", 6), NB_OK);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    char buf[16];
    size_t got = 99;
    assert_int_equal(nb_fd_read_full(fd, buf, 6, &got), NB_OK);
    assert_int_equal(got, 6);
    assert_memory_equal(buf, "abcdef", 6);
    /* asking for more than the file holds: what there is, and its count */
    assert_int_equal(lseek(fd, 2, SEEK_SET), 2);
    assert_int_equal(nb_fd_read_full(fd, buf, sizeof(buf), &got), NB_OK);
    assert_int_equal(got, 4);
    assert_memory_equal(buf, "cdef", 4);
    /* nothing to write is done at once */
    assert_int_equal(nb_fd_write_all(fd, "", 0), NB_OK);
    close(fd);
    unlink(path);
}

static void test_failures(void **state)
{
    (void)state;
    size_t got = 99;
    char buf[4];
    assert_int_equal(nb_fd_write_all(-1, "x", 1), NB_ERR_IO);
    assert_int_equal(nb_fd_read_full(-1, buf, sizeof(buf), &got), NB_ERR_IO);
    assert_int_equal(got, 0);
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(nb_fd_write_all(fd, "x", 1), NB_ERR_IO); /* opened for reading only */
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_all_through_a_pipe),
        cmocka_unit_test(test_read_full_and_short),
        cmocka_unit_test(test_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
