/* cmd_template.h: "notbetrieb template render FILE --data JSON [--partials DIR]".
 *
 * Renders one Mustache template with a JSON view model, the way the server would, so that an
 * office can try its template overrides before installing them. */
#ifndef NB_CLI_CMD_TEMPLATE_H
#define NB_CLI_CMD_TEMPLATE_H

#include "base/config.h"

/* FILE is c->args[0]; c->json names the JSON data file (empty: render with an empty object);
 * c->partials a directory of NAME.mustache partials (empty: none). Writes the rendered page
 * to stdout (at most NB_PAGE_MAX bytes) and any error in plain words to stderr. Returns the
 * exit code: 0 rendered, 1 failed (unreadable file, syntax error, bad JSON, a limit),
 * 2 no FILE given. Blocks on file I/O. */
int nb_cmd_template_render(const struct nb_config *c);

#endif
