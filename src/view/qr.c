/* qr.c: libqrencode to a single SVG path; one "h1v1h-1z" square per dark module, merged
 * into horizontal runs to keep the markup small. */
#include "view/qr.h"

#include <errno.h>
#include <qrencode.h>

#define QUIET 4

enum nb_err nb_qr_svg(const char *text, struct nb_buf *out)
{
    errno = 0;
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return errno == ERANGE ? NB_ERR_LIMIT : NB_ERR_NOMEM;
    int w = q->width, size = w + 2 * QUIET;
    nb_buf_printf(out,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                  "shape-rendering=\"crispEdges\" aria-hidden=\"true\" focusable=\"false\">"
                  "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                  size, size, size, size);
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!(q->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (q->data[y * w + x + run] & 1))
                run++;
            nb_buf_printf(out, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
            x += run;
        }
    }
    nb_buf_add_c(out, "\"/></svg>");
    QRcode_free(q);
    return out->err;
}
