/* replay.c: runs a libFuzzer harness once over every file in the directories (or files)
 * given as arguments, so that seed corpora and saved crash inputs are replayed by the
 * ordinary sanitizer build and test run, without clang or libFuzzer. Exit status 1 when an
 * argument cannot be read or holds no input at all (a corpus path gone wrong). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's default -max_len is far below this; a larger file is not an input. */
#define INPUT_MAX (16u * 1024u * 1024u)

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size < 0 || (uintmax_t)st.st_size > INPUT_MAX) {
        fprintf(stderr, "%s: not a readable input of at most %u bytes\n", path, INPUT_MAX);
        fclose(f);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    /* Exactly size bytes, so that the sanitizer sees any read past the input. */
    uint8_t *data = malloc(size ? size : 1);
    if (!data || fread(data, 1, size, f) != size) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(data);
        fclose(f);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

static int skip_dots(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

int main(int argc, char **argv)
{
    unsigned count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            rc = 1;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (replay_file(argv[i]) != 0)
                rc = 1;
            else
                count++;
            continue;
        }
        struct dirent **names;
        int n = scandir(argv[i], &names, skip_dots, alphasort);
        if (n < 0) {
            perror(argv[i]);
            rc = 1;
            continue;
        }
        for (int k = 0; k < n; k++) {
            char path[4096];
            int len = snprintf(path, sizeof(path), "%s/%s", argv[i], names[k]->d_name);
            if (len < 0 || (size_t)len >= sizeof(path)) {
                fprintf(stderr, "%s/%s: path too long\n", argv[i], names[k]->d_name);
                rc = 1;
            } else if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                if (replay_file(path) != 0)
                    rc = 1;
                else
                    count++;
            }
            free(names[k]);
        }
        free(names);
    }
    printf("replayed %u inputs\n", count);
    if (count == 0) {
        fprintf(stderr, "no inputs found\n");
        rc = 1;
    }
    return rc;
}
