/* csv.c: quoting of CSV cells (see csv.h). The apostrophe goes inside the quotes: quoting
 * alone does not stop a spreadsheet from evaluating "=1+1", the apostrophe does, and a
 * reader who needs the raw value can see that it was added. */
#include "view/csv.h"

#include <string.h>

bool nb_csv_risky(struct nb_str s)
{
    return s.len > 0 && s.ptr[0] != '\0' && strchr("=+-@\t\r", s.ptr[0]) != NULL;
}

void nb_csv_cell(struct nb_buf *b, struct nb_str s)
{
    nb_buf_add_char(b, '"');
    if (nb_csv_risky(s))
        nb_buf_add_char(b, '\'');
    size_t start = 0;
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] == '"') {
            nb_buf_add(b, s.ptr + start, i + 1 - start); /* up to and with the quote */
            nb_buf_add_char(b, '"');
            start = i + 1;
        }
    nb_buf_add(b, s.ptr + start, s.len - start);
    nb_buf_add_char(b, '"');
}

void nb_csv_row(struct nb_buf *b, const struct nb_str *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            nb_buf_add_char(b, ',');
        nb_csv_cell(b, fields[i]);
    }
    nb_buf_add(b, "\r\n", 2);
}
