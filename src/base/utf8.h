/* utf8.h: UTF-8 validation and decoding (RFC 3629: no overlongs, no surrogates, at most
 * U+10FFFF). All text that enters notbetrieb is checked here before it is stored. */
#ifndef NB_BASE_UTF8_H
#define NB_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when all len bytes are well-formed UTF-8. */
bool nb_utf8_valid(const char *s, size_t len);

/* Decodes one code point at s (len bytes available). Returns the number of bytes used
 * (1-4) and sets *cp, or 0 for malformed input. */
size_t nb_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Writes code point cp (at most U+10FFFF, no surrogate) as 1-4 bytes to out; returns how
 * many. */
size_t nb_utf8_encode(uint32_t cp, char *out);

/* Number of code points in valid UTF-8 s. */
size_t nb_utf8_count(const char *s, size_t len);

/* True when valid UTF-8 s holds a C0 control other than tab, newline and carriage return,
 * or DEL: refused in all text fields. */
bool nb_utf8_has_controls(const char *s, size_t len);

#endif
