/* Unit tests for base/arena: budget on both sides, alignment, defers in reverse order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"

static void test_budget_edges(void **state)
{
    (void)state;
    struct nb_arena a;
    nb_arena_init(&a, 64);
    assert_non_null(nb_arena_alloc(&a, 64)); /* exactly the budget: accepted */
    assert_null(nb_arena_alloc(&a, 1));      /* one byte past: refused */
    nb_arena_fini(&a);
    assert_non_null(nb_arena_alloc(&a, 32)); /* usable again after fini */
    assert_null(nb_arena_alloc(&a, 0));
    nb_arena_fini(&a);
}

static void test_alignment_and_large(void **state)
{
    (void)state;
    struct nb_arena a;
    nb_arena_init(&a, 1u << 20);
    for (int i = 1; i < 100; i++) {
        char *p = nb_arena_alloc(&a, (size_t)i);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        memset(p, 0xAB, (size_t)i);
    }
    char *big = nb_arena_alloc(&a, 100000);
    assert_non_null(big);
    memset(big, 1, 100000);
    char *small = nb_arena_alloc(&a, 8); /* still served after a large block */
    assert_non_null(small);
    assert_null(nb_arena_calloc(&a, SIZE_MAX / 2, 4)); /* overflow refused */
    char *s = nb_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(s, "abc");
    nb_arena_fini(&a);
}

static int order[4];
static int norder;
static void record(void *p)
{
    order[norder++] = (int)(intptr_t)p;
}

static void test_defer_order(void **state)
{
    (void)state;
    struct nb_arena a;
    nb_arena_init(&a, 4096);
    norder = 0;
    assert_int_equal(nb_arena_defer(&a, record, (void *)1), NB_OK);
    assert_int_equal(nb_arena_defer(&a, record, (void *)2), NB_OK);
    assert_int_equal(nb_arena_defer(&a, record, (void *)3), NB_OK);
    nb_arena_fini(&a);
    assert_int_equal(norder, 3);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[2], 1);
}

static void test_defer_out_of_budget_runs_now(void **state)
{
    (void)state;
    struct nb_arena a;
    nb_arena_init(&a, 16);
    norder = 0;
    assert_non_null(nb_arena_alloc(&a, 16));
    assert_int_equal(nb_arena_defer(&a, record, (void *)7), NB_ERR_NOMEM);
    assert_int_equal(norder, 1); /* called at once so nothing leaks */
    nb_arena_fini(&a);
    assert_int_equal(norder, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_edges),
        cmocka_unit_test(test_alignment_and_large),
        cmocka_unit_test(test_defer_order),
        cmocka_unit_test(test_defer_out_of_budget_runs_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
