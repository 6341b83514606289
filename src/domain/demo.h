/* demo.h: an invented office in emergency operation, for trying notbetrieb out.
 *
 * nb_demo_create writes the "Amt Kranichmoor" (slug NB_DEMO_SLUG), a made-up municipal
 * office in Mecklenburg-Vorpommern, as it would look in the situation of the model case
 * (docs: MODEL-CASE.md) on 23 December 2021: in Notbetrieb since 15.10.2021 07:30 after a
 * ransomware attack on its data centre, with
 *   - 3 notices: the first data-protection information (GDPR Art. 34) and the notice on the
 *     IT security incident (both pinned, each in German, Leichte Sprache and English; the
 *     incident notice with earlier versions since 15.10.2021), and one archived notice;
 *   - 9 press updates, one per calendar week from KW 42 to KW 50 2021, German and English;
 *   - 12 services in every state, 5 departments with 10 contacts (one of them the
 *     data-protection officer), the model case's telephone hours for every department and
 *     one exception (closed on 30.12.2021);
 *   - imprint, privacy statement, accessibility statement and phishing advice.
 * Every name, number and address in it is invented; the e-mail domain is under .example.
 *
 * Idempotent: when an office with slug NB_DEMO_SLUG exists, nothing is written. Otherwise
 * everything is written in one transaction together with the journal entry
 * "office.create" (actor "demo"), so a failure leaves nothing behind. Returns the
 * first error of the domain functions it calls (NB_ERR_DB, NB_ERR_NOMEM, ...). Blocks on
 * disk I/O. */
#ifndef NB_DOMAIN_DEMO_H
#define NB_DOMAIN_DEMO_H

#include "base/err.h"
#include "store/store.h"

#define NB_DEMO_SLUG "kranichmoor"

NB_MUST_USE enum nb_err nb_demo_create(struct nb_store *s);

#endif
