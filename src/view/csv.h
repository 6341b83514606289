/* csv.h: CSV output after RFC 4180 for the exports of the back office.
 *
 * Every field is quoted, quotes inside are doubled, rows end in CRLF; the text is passed
 * through as UTF-8. Since an export is opened in spreadsheets, a field whose first byte is
 * one that starts a formula (= + - @) or a tab or CR gets a leading apostrophe, so that the
 * cell is shown as text and never evaluated (OWASP "CSV injection"). Appends go to a
 * capped nb_buf; its sticky error says whether the output is complete. Never blocks. */
#ifndef NB_VIEW_CSV_H
#define NB_VIEW_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/str.h"

/* True when a spreadsheet could read s as a formula: its first byte is = + - @ tab or CR. */
bool nb_csv_risky(struct nb_str s);
/* Appends s as one quoted field (with the apostrophe when nb_csv_risky), no separator. */
void nb_csv_cell(struct nb_buf *b, struct nb_str s);
/* Appends the n fields as one row: cells separated by ',' and ended by CRLF. The array and
 * its views are borrowed for the call. */
void nb_csv_row(struct nb_buf *b, const struct nb_str *fields, size_t n);

#endif
