/* cmd_journal.h: `notbetrieb journal checkpoint` and `notbetrieb journal verify`.
 *
 * checkpoint signs the journal's current head (after appending an entry that records the
 * checkpoint itself) and prints the one-line form of domain/journal.h with the key's
 * fingerprint, for a witness to keep on paper or by mail. verify recomputes the chain and
 * every stored checkpoint, and with --checkpoint also one written down earlier; it prints
 * one line and exits 0 when intact, or names the first entry concerned and exits 1.
 * Exit codes as in commands.h. */
#ifndef NB_CLI_CMD_JOURNAL_H
#define NB_CLI_CMD_JOURNAL_H

#include "base/config.h"

int nb_cmd_journal_checkpoint(const struct nb_config *c);
int nb_cmd_journal_verify(const struct nb_config *c);

#endif
