/* Unit tests for base/log_summary: a burst of occurrences from several threads gives a
 * handful of counted lines whose counts add up to the burst, the first at once with
 * count=1, and a flush writes what is pending. Lines are read from standard error through
 * a pipe. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/log_summary.h"

#define THREADS 4
#define PER_THREAD 5000

static struct nb_log_summary g_sum = NB_LOG_SUMMARY_INIT(NB_LOG_WARN, "test.refused", "reason=x");

static void *burst(void *arg)
{
    (void)arg;
    for (int i = 0; i < PER_THREAD; i++)
        nb_log_summary_add(&g_sum);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_burst_is_counted(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(p[1], STDERR_FILENO) >= 0);

    double t0 = now_s();
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, burst, NULL), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    nb_log_summary_tick(&g_sum);
    nb_log_summary_flush(&g_sum);
    nb_log_summary_flush(&g_sum); /* nothing pending: no line */
    double elapsed = now_s() - t0;

    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    close(p[1]);
    static char out[1 << 20];
    ssize_t n = read(p[0], out, sizeof(out) - 1);
    close(p[0]);
    assert_true(n > 0);
    out[n] = '\0';

    unsigned long long total = 0;
    unsigned lines = 0;
    for (char *line = out; *line;) {
        char *end = strchr(line, '\n');
        assert_non_null(end);
        *end = '\0';
        assert_non_null(strstr(line, "level=warn event=test.refused count="));
        assert_non_null(strstr(line, " seconds="));
        assert_non_null(strstr(line, " reason=x"));
        unsigned long long c = strtoull(strstr(line, "count=") + 6, NULL, 10);
        if (lines == 0)
            assert_int_equal(c, 1); /* the first occurrence is logged at once */
        assert_true(c > 0);
        total += c;
        lines++;
        line = end + 1;
    }
    assert_int_equal(total, THREADS * PER_THREAD);
    /* One line at once, at most one per interval that passed, and the flush. */
    assert_true(lines >= 2);
    assert_true(lines <= 2 + (unsigned)(elapsed / NB_LOG_SUMMARY_SECONDS) + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_is_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
