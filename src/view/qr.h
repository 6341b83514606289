/* qr.h: QR codes as inline SVG (libqrencode), for the TOTP enrolment on the setup page.
 * The SVG holds only one path of the dark modules, with the quiet zone of four modules;
 * it is marked aria-hidden, since the page states the same key as text. */
#ifndef NB_VIEW_QR_H
#define NB_VIEW_QR_H

#include "base/buf.h"
#include "base/err.h"

/* Appends the SVG of text (error correction level M, 8-bit mode) to out. NB_ERR_LIMIT when
 * text does not fit a QR code, NB_ERR_NOMEM when the encoder fails otherwise. */
NB_MUST_USE enum nb_err nb_qr_svg(const char *text, struct nb_buf *out);

#endif
