/* Tests for http/watch: a socket whose head is not in by the deadline is shut down, one whose
 * head is in is left alone, and a closed connection is forgotten before its socket goes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/watch.h"

/* True when the peer of fd sees its end shut down within seconds. */
static bool shut_within(int peer, int seconds)
{
    struct pollfd p = {peer, POLLIN, 0};
    if (poll(&p, 1, seconds * 1000) != 1)
        return false;
    char b;
    return recv(peer, &b, 1, MSG_DONTWAIT) == 0;
}

static void test_head_deadline(void **state)
{
    (void)state;
    struct nb_watch *w = NULL;
    assert_int_equal(nb_watch_new(0, 1, &w), NB_ERR_INPUT);
    assert_int_equal(nb_watch_new(1, 0, &w), NB_ERR_INPUT);
    assert_int_equal(nb_watch_new(1, 60, &w), NB_OK);
    int slow[2], done[2], again[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, slow), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, done), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, again), 0);
    struct nb_watch_conn *cs = nb_watch_open(w, slow[0]);
    struct nb_watch_conn *cd = nb_watch_open(w, done[0]);
    struct nb_watch_conn *ca = nb_watch_open(w, again[0]);
    nb_watch_head_done(cd);
    nb_watch_head_done(ca);
    /* The slow one is cut after a second or two; the others stay while it happens. */
    assert_true(shut_within(slow[1], 10));
    assert_false(shut_within(done[1], 0));
    /* A completed request starts the clock again. */
    nb_watch_request_end(w, ca, NB_WATCH_END_OK);
    assert_true(shut_within(again[1], 10));
    assert_false(shut_within(done[1], 0));
    nb_watch_close(w, &cs);
    nb_watch_close(w, &cd);
    nb_watch_close(w, &ca);
    assert_null(cs);
    nb_watch_close(w, &cs);
    nb_watch_count(w, NB_WATCH_INCOMPLETE);
    nb_watch_count(w, NB_WATCH_ABORT_COUNT); /* ignored */
    nb_watch_free(&w);
    assert_null(w);
    nb_watch_free(&w);
    for (int i = 0; i < 2; i++) {
        close(slow[i]);
        close(done[i]);
        close(again[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_head_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
