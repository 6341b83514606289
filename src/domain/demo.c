/* demo.c: the invented Amt Kranichmoor in Notbetrieb (see demo.h).
 *
 * The content follows the facts of the model case; every sentence is written for this demo,
 * and every person, number and address is made up. Markdown bodies are kept as arrays of
 * paragraphs (joined with blank lines at run time) because ISO C promises string literals of
 * only 4095 bytes. Leichte Sprache puts one statement in each line (BR is a hard line break
 * in CommonMark) and splits long compound words with a middle dot, as its rules ask.
 *
 * All of it is written through the domain functions, so the demo passes the same checks as
 * an editor's input, inside one outer transaction (the domain's transactions nest). */
#include "domain/demo.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/buf.h"
#include "base/civil.h"
#include "base/limits.h"
#include "domain/contact.h"
#include "domain/department.h"
#include "domain/hours_store.h"
#include "domain/journal.h"
#include "domain/notice.h"
#include "domain/office.h"
#include "domain/page.h"
#include "domain/press.h"
#include "domain/service.h"

#define BR "\\\n"
#define MAIL(user) user "@amt-kranichmoor.example"
#define TEL(ext) "+49 3841 5550-" ext
#define AUTHOR "Amt Kranichmoor, Pressestelle"

struct when {
    int y, mo, d, h, mi;
};

/* Local time in Europe/Berlin to unix seconds; -1 (refused by every check) if invalid. */
static int64_t berlin(struct when w)
{
    int64_t t;
    return nb_civil_berlin_to_utc(w.y, w.mo, w.d, w.h, w.mi, &t, NULL) == NB_OK ? t : -1;
}

/* clang-format off */
/* W is for the tables below (a brace initializer, which static data needs), AT for code. */
#define W(d, mo, h, mi) {2021, mo, d, h, mi}
#define AT(d, mo, h, mi) ((struct when)W(d, mo, h, mi))
/* A string view as a constant initializer. */
#define LIT(s) {s, sizeof(s) - 1}
/* clang-format on */

/* The tables are laid out by hand: clang-format would tear the spliced literals apart. */
/* clang-format off */

/* ---------------------------------------------------------------- notices */

static const char *const incident_de_1[] = {
    "Seit dem frühen Morgen sind die IT-Systeme des Amtes Kranichmoor ausgefallen. Ursache "
    "ist ein Angriff auf das kommunale Rechenzentrum, das unsere IT betreibt. Zum Schutz "
    "wurden dort alle Systeme heruntergefahren.",
    "Wir sind weiterhin telefonisch erreichbar. Bitte kommen Sie heute nicht ohne Termin ins "
    "Amt. Sobald wir mehr wissen, informieren wir Sie an dieser Stelle.",
    NULL,
};

static const char *const incident_en_1[] = {
    "Since early this morning the IT systems of Amt Kranichmoor have been down. The municipal "
    "data centre that runs our IT was attacked, and all systems there were shut down to "
    "protect them.",
    "You can still reach us by telephone. Please do not visit the office today without an "
    "appointment. We will post more here as soon as we know more.",
    NULL,
};

static const char *const incident_de_2[] = {
    "Am 15. Oktober 2021 wurde das kommunale Rechenzentrum, das unsere IT betreibt, mit "
    "Schadsoftware angegriffen. Um den Schaden zu begrenzen, wurden alle Server und "
    "IT-Systeme kontrolliert heruntergefahren.",
    "Der IT-Dienstleister untersucht den Vorfall zusammen mit Sicherheitsbehörden und "
    "Fachfirmen. Informiert sind der Landesbeauftragte für Datenschutz und "
    "Informationsfreiheit Mecklenburg-Vorpommern, das Landeskriminalamt, das CERT M-V und das "
    "Bundesamt für Sicherheit in der Informationstechnik (BSI).",
    "Das Amt arbeitet im Notbetrieb. Telefonzeiten: Montag bis Donnerstag 9 bis 12 Uhr, "
    "Dienstag und Donnerstag zusätzlich 13 bis 15 Uhr. E-Mail: " MAIL("notbetrieb"),
    "Vorsicht bei ungewöhnlichen E-Mails, SMS oder Anrufen in unserem Namen: nicht antworten, "
    "keine Anhänge öffnen, keine Links anklicken und im Zweifel bei uns nachfragen.",
    NULL,
};

static const char *const incident_ls_1[] = {
    "Am 15. Oktober 2021 gab es einen Angriff auf unsere Computer." BR
    "Kriminelle haben den Angriff gemacht." BR
    "Darum sind alle Computer vom Amt ausgeschaltet.",
    "Wir arbeiten jetzt mit Papier." BR "Und wir arbeiten mit dem Telefon." BR
    "Rufen Sie uns an:" BR "Montag bis Donnerstag von 9 Uhr bis 12 Uhr." BR
    "Dienstag und Donnerstag auch von 13 Uhr bis 15 Uhr." BR
    "Die Telefon·nummer ist: 03841 5550-0.",
    "Passen Sie auf bei E-Mails vom Amt." BR "Manche E-Mails sind vielleicht falsch." BR
    "Rufen Sie uns dann an.",
    NULL,
};

static const char *const incident_en_2[] = {
    "On 15 October 2021 the municipal data centre that runs our IT was attacked with "
    "malicious software. To limit the damage, all servers and IT systems were shut down in a "
    "controlled way.",
    "The IT provider is investigating together with security authorities and specialist "
    "firms. We have informed the State Commissioner for Data Protection and Freedom of "
    "Information of Mecklenburg-Vorpommern, the State Criminal Police Office (LKA), CERT M-V "
    "and the Federal Office for Information Security (BSI).",
    "The office works in emergency mode. Telephone hours: Monday to Thursday 9:00 to 12:00, "
    "Tuesday and Thursday also 13:00 to 15:00. E-mail: " MAIL("notbetrieb"),
    "Be careful with unusual e-mails, text messages or calls in our name: do not answer, do "
    "not open attachments, do not click links, and ask us if in doubt.",
    NULL,
};

/* A short summary in Arabic, for residents who read it best; it shows the site's right-to-left
 * support. */
static const char *const incident_ar[] = {
    "تعرّض مركز البيانات البلدي الذي يشغّل أنظمة مكتب كرانيشمور لهجوم إلكتروني في صباح "
    "15 أكتوبر 2021. أوقفنا جميع الأنظمة لحماية البيانات.",
    "لا نستطيع حالياً معالجة الطلبات إلكترونياً. نعمل بالورق والبريد والهاتف.",
    "يمكنكم الاتصال بنا هاتفياً من الاثنين إلى الخميس من الساعة 9 إلى 12، ويومي الثلاثاء "
    "والخميس أيضاً من الساعة 13 إلى 15. البريد الإلكتروني: " MAIL("notbetrieb"),
    "احذروا الرسائل والمكالمات غير المعتادة التي تدّعي أنها منّا: لا تردّوا عليها، ولا تفتحوا "
    "المرفقات، ولا تضغطوا على الروابط. اتصلوا بنا مباشرة إذا كنتم في شك.",
    NULL,
};

static const char *const incident_de_3[] = {
    "In den frühen Morgenstunden des 15. Oktober 2021 wurde das kommunale Rechenzentrum, das "
    "die IT des Amtes Kranichmoor und weiterer Kommunen betreibt, Ziel eines Cyberangriffs mit "
    "Erpressungssoftware (Ransomware). Hier fassen wir zusammen, was wir heute wissen. Wir "
    "ergänzen diese Seite, sobald es Neues gibt.",
    "## Was ist passiert?",
    "Unbekannte haben Schadsoftware in die Systeme des Rechenzentrums gebracht, die Daten "
    "verschlüsselt und damit unbrauchbar macht. Um den Schaden zu begrenzen, hat der "
    "IT-Dienstleister noch am selben Morgen alle Server und IT-Systeme kontrolliert "
    "heruntergefahren. Seitdem ist die IT des Amtes vollständig ausgefallen. Viele Anliegen "
    "können wir deshalb nicht oder nur teilweise bearbeiten, weil uns die Daten dazu fehlen.",
    "## Was wurde unternommen?",
    "- Der IT-Dienstleister untersucht den Angriff seit dem 15. Oktober gemeinsam mit "
    "Sicherheitsbehörden und spezialisierten Firmen (forensische Untersuchung). Diese "
    "Untersuchung dauert an.\n"
    "- Zugleich arbeitet der Dienstleister daran, die Daten wiederherzustellen und die "
    "Systeme in einer geprüften, sauberen Umgebung neu aufzubauen.\n"
    "- Bis dahin arbeitet das Amt im Notbetrieb: mit Papier, per Post und am Telefon.",
    "## Welche Daten können betroffen sein?",
    "Betroffen sein können Daten von Bürgerinnen und Bürgern, von Kundinnen und Kunden der "
    "Gemeinden und ihrer Einrichtungen sowie von unseren Beschäftigten, vor allem:",
    "- Kontaktdaten (Name, Anschrift, E-Mail-Adresse, Telefonnummer),\n"
    "- Angaben zu Anträgen und Anliegen bei der Verwaltung,\n"
    "- in Anspruch genommene kommunale Leistungen,\n"
    "- Zahlungsvorgänge und sonstige kommunale Angelegenheiten,\n"
    "- möglicherweise Bankverbindungen und besondere Kategorien personenbezogener Daten nach "
    "Art. 9 DSGVO (zum Beispiel Angaben zur Gesundheit).",
    "Dass Daten die Systeme verlassen haben, wurde bisher nicht festgestellt. Ganz "
    "ausschließen können wir es nicht; nach heutigem Stand halten wir es für unwahrscheinlich.",
    "## Wer wurde informiert?",
    "- der Landesbeauftragte für Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern, "
    "dem wir die Verletzung des Schutzes personenbezogener Daten gemeldet haben (Art. 33 "
    "DSGVO),\n"
    "- das Landeskriminalamt Mecklenburg-Vorpommern (LKA),\n"
    "- das CERT M-V, das IT-Notfallteam des Landes,\n"
    "- das Bundesamt für Sicherheit in der Informationstechnik (BSI).",
    "## Was bedeutet das für Sie?",
    "- Anliegen, die Sie vor dem 15. Oktober an uns gerichtet haben, können sich verzögern. "
    "Sie müssen sie nicht erneut stellen, es sei denn, wir bitten Sie darum.\n"
    "- Konnten Sie wegen des Ausfalls eine Frist nicht einhalten, sprechen Sie uns bitte an.\n"
    "- Viele Leistungen gibt es derzeit nur auf Papier oder nach Absprache. Welche das sind, "
    "steht in der Übersicht der Leistungen.",
    "## So erreichen Sie uns",
    "- Telefon: Montag bis Donnerstag 9 bis 12 Uhr, Dienstag und Donnerstag zusätzlich 13 bis "
    "15 Uhr. Alle bekannten Durchwahlen sind erreichbar. Bitte rufen Sie die zuständige "
    "Sachbearbeitung an, bevor Sie kommen; gemeinsam klären wir, was möglich ist.\n"
    "- Zentrale: " TEL("0") "\n"
    "- E-Mail: " MAIL("notbetrieb") " (zurzeit unser einziger elektronischer Zugang)\n"
    "- Post: Amt Kranichmoor, Am Markt 1, 19999 Kranichmoor",
    "## So schützen Sie sich",
    "Nach solchen Angriffen versuchen Betrüger oft, das Durcheinander auszunutzen. Seien Sie "
    "misstrauisch bei ungewöhnlichen E-Mails, SMS oder Anrufen, die angeblich vom Amt oder vom "
    "Rechenzentrum kommen oder Sie zu ungewöhnlichen Schritten drängen, etwa Geld zu "
    "überweisen oder Bankdaten zu nennen:",
    "- Antworten Sie nicht.\n"
    "- Öffnen Sie keine Anhänge und klicken Sie keine Links an.\n"
    "- Rufen Sie uns unter einer Nummer an, die Sie selbst nachgeschlagen haben (zum Beispiel "
    "auf dieser Seite), und fragen Sie nach.",
    "Wir fragen Sie niemals per E-Mail, SMS oder Telefon nach Passwörtern, PINs oder TANs.",
    "## Ihre Fragen zum Datenschutz",
    "Unser Datenschutzbeauftragter Jens Harmsdorf beantwortet Ihre Fragen: Telefon "
    TEL("190") ", E-Mail " MAIL("datenschutz") ".",
    NULL,
};

static const char *const incident_ls_2[] = {
    "Am 15. Oktober 2021 gab es einen Angriff auf unsere Computer.",
    "## Was ist passiert?",
    "Das Amt Kranichmoor arbeitet mit Computern." BR
    "Die Computer stehen in einem Rechen·zentrum." BR
    "Ein Rechen·zentrum ist ein Haus voller Computer." BR
    "Dort sind die Daten vom Amt gespeichert.",
    "Kriminelle haben das Rechen·zentrum angegriffen." BR
    "Sie haben ein schädliches Programm benutzt." BR
    "Das Programm macht Daten unlesbar.",
    "Fach·leute haben dann alle Computer ausgeschaltet." BR
    "So wollten sie noch mehr Schaden verhindern.",
    "## Was bedeutet das für Sie?",
    "Das Amt kann im Moment nicht mit Computern arbeiten." BR
    "Deshalb arbeiten wir mit Papier." BR "Und wir arbeiten mit dem Telefon." BR
    "Vieles dauert jetzt länger." BR "Bitte haben Sie Geduld.",
    "## Welche Daten sind betroffen?",
    "Daten sind Angaben über Menschen." BR "Zum Beispiel: Ihr Name." BR
    "Oder Ihre Adresse." BR "Oder Ihre Telefon·nummer.",
    "Vielleicht waren auch Daten von Ihnen in den Computern." BR
    "Zum Beispiel: Ihre Anträge beim Amt." BR "Oder Angaben über Zahlungen." BR
    "Oder Ihre Bank·verbindung.",
    "Haben die Kriminellen Daten mitgenommen?" BR "Das wissen wir noch nicht genau." BR
    "Wir glauben: Das ist eher nicht passiert." BR "Aber wir sind nicht ganz sicher.",
    "## Wen haben wir informiert?",
    "Wir haben andere Stellen informiert." BR "Diese Stellen helfen uns.",
    "- Den Landes·beauftragten für Daten·schutz." BR
    "  Er passt auf: Gehen Ämter gut mit Daten um?\n"
    "- Das Landes·kriminal·amt." BR "  Das ist die Polizei für schwere Verbrechen.\n"
    "- Das CERT M-V." BR "  Das sind Computer·fach·leute vom Land Mecklenburg-Vorpommern.\n"
    "- Das BSI." BR "  Das ist ein Amt für Sicherheit bei Computern." BR
    "  Es gehört zur Bundes·regierung.",
    "## So erreichen Sie uns",
    "Rufen Sie uns an." BR "Die Telefon·nummer ist: 03841 5550-0.",
    "Wir sind erreichbar:" BR "Montag bis Donnerstag von 9 Uhr bis 12 Uhr." BR
    "Dienstag und Donnerstag auch von 13 Uhr bis 15 Uhr.",
    "Sie können uns auch eine E-Mail schreiben." BR
    "Die Adresse ist: " MAIL("notbetrieb"),
    "## Passen Sie auf!",
    "Manche Menschen wollen Sie betrügen." BR "Sie sagen vielleicht: Wir sind vom Amt." BR
    "Sie schreiben E-Mails." BR "Oder SMS." BR "Oder sie rufen an.",
    "Das ist wichtig:",
    "- Antworten Sie nicht.\n"
    "- Öffnen Sie keine Anhänge.\n"
    "- Klicken Sie auf keine Links.\n"
    "- Rufen Sie uns an." BR "  Fragen Sie: Kommt die Nachricht wirklich vom Amt?",
    "Wir fragen Sie nie nach Ihrem Pass·wort." BR "Und nie nach Ihrer PIN.",
    "## Haben Sie Fragen zu Ihren Daten?",
    "Dann rufen Sie Herrn Harmsdorf an." BR "Er ist der Daten·schutz·beauftragte vom Amt." BR
    "Er kümmert sich um den Schutz von Ihren Daten." BR
    "Seine Telefon·nummer ist: 03841 5550-190.",
    NULL,
};

static const char *const incident_en_3[] = {
    "In the early hours of 15 October 2021 the municipal data centre that runs the IT of Amt "
    "Kranichmoor and other municipalities was hit by a cyberattack with ransomware. This page "
    "sums up what we know today. We will add to it as soon as there is news.",
    "## What happened?",
    "Unknown attackers brought malicious software into the data centre's systems; it "
    "encrypts data and so makes it unusable. To limit the damage, the IT provider shut down "
    "all servers and IT systems in a controlled way the same morning. Since then the office's "
    "IT has been out of service entirely. We therefore cannot handle many requests, or only "
    "in part, because we lack the data to do so.",
    "## What has been done?",
    "- Since 15 October the IT provider has been investigating the attack together with "
    "security authorities and specialised firms (forensic investigation). The investigation "
    "is still going on.\n"
    "- At the same time the provider is working to restore the data and to rebuild the "
    "systems in a checked, clean environment.\n"
    "- Until then the office works in emergency mode: on paper, by post and by telephone.",
    "## Which data may be affected?",
    "Data of citizens, of customers of the municipalities and their facilities, and of our "
    "staff may be affected, in particular:",
    "- contact data (name, postal address, e-mail address, telephone number),\n"
    "- information about applications and requests to the administration,\n"
    "- municipal services used,\n"
    "- payments and other municipal matters,\n"
    "- possibly bank details and special categories of personal data under Art. 9 GDPR "
    "(for example health information).",
    "So far it has not been found that data left the systems. We cannot rule it out "
    "completely; as things stand we consider it unlikely.",
    "## Who has been informed?",
    "- the State Commissioner for Data Protection and Freedom of Information of "
    "Mecklenburg-Vorpommern, to whom we reported the personal data breach (Art. 33 GDPR),\n"
    "- the State Criminal Police Office of Mecklenburg-Vorpommern (LKA),\n"
    "- CERT M-V, the state's computer emergency response team,\n"
    "- the Federal Office for Information Security (BSI).",
    "## What does this mean for you?",
    "- Requests you made before 15 October may take longer. You do not need to make them "
    "again unless we ask you to.\n"
    "- If the outage kept you from meeting a deadline, please talk to us.\n"
    "- Many services are currently available only on paper or by arrangement. The list of "
    "services shows which.",
    "## How to reach us",
    "- Telephone: Monday to Thursday 9:00 to 12:00, Tuesday and Thursday also 13:00 to 15:00. "
    "All known extensions work. Please call the member of staff responsible before you come, "
    "so that together we can settle what is possible.\n"
    "- Switchboard: " TEL("0") "\n"
    "- E-mail: " MAIL("notbetrieb") " (at present our only electronic channel)\n"
    "- Post: Amt Kranichmoor, Am Markt 1, 19999 Kranichmoor, Germany",
    "## How to protect yourself",
    "After attacks like this, fraudsters often try to exploit the confusion. Be wary of "
    "unusual e-mails, text messages or calls that claim to come from the office or the data "
    "centre, or that push you to unusual steps such as transferring money or giving bank "
    "details:",
    "- Do not answer.\n"
    "- Do not open attachments or click links.\n"
    "- Call us on a number you looked up yourself (on this page, for example) and ask.",
    "We will never ask you for passwords, PINs or TANs by e-mail, text message or telephone.",
    "## Questions about your data",
    "Our data protection officer, Jens Harmsdorf, will answer your questions: telephone "
    TEL("190") ", e-mail " MAIL("datenschutz") ".",
    NULL,
};

static const char *const dpinfo_de[] = {
    "Mit dieser Information unterrichten wir Sie nach Artikel 34 der "
    "Datenschutz-Grundverordnung (DSGVO) über eine Verletzung des Schutzes personenbezogener "
    "Daten. Wir tun das öffentlich, weil wir ohne unsere Systeme nicht alle Betroffenen "
    "einzeln erreichen können.",
    "## Was ist geschehen?",
    "Am 15. Oktober 2021 wurde das kommunale Rechenzentrum, das die IT des Amtes Kranichmoor "
    "betreibt, mit Ransomware angegriffen. Alle Systeme wurden heruntergefahren. Auf die dort "
    "gespeicherten Daten haben wir seitdem keinen Zugriff.",
    "## Wer ist betroffen?",
    "Bürgerinnen und Bürger, Kundinnen und Kunden der Gemeinden und Einrichtungen des Amtes "
    "sowie unsere Beschäftigten.",
    "## Welche Daten?",
    "- Kontaktdaten: Name, Anschrift, E-Mail-Adresse, Telefonnummer\n"
    "- Angaben zu Anträgen und Anliegen bei der Verwaltung\n"
    "- in Anspruch genommene kommunale Leistungen\n"
    "- Zahlungsvorgänge und sonstige kommunale Angelegenheiten\n"
    "- möglicherweise Bankverbindungen und besondere Kategorien personenbezogener Daten "
    "(Art. 9 DSGVO)",
    "## Sind Daten abgeflossen?",
    "Dass Daten kopiert oder weitergegeben wurden, ist bisher nicht festgestellt. Die "
    "forensische Untersuchung dauert an. Wir halten einen Abfluss für unwahrscheinlich, können "
    "ihn aber nicht sicher ausschließen.",
    "## Mögliche Folgen",
    "Sollten Daten in fremde Hände gelangt sein, könnten Betrüger sie nutzen, um E-Mails, "
    "Briefe oder Anrufe echt wirken zu lassen, etwa indem sie Ihren Namen oder ein "
    "tatsächliches Anliegen nennen.",
    "## Was wir tun",
    "- Die Systeme bleiben abgeschaltet, bis sie geprüft und bereinigt sind.\n"
    "- Fachleute klären mit Sicherheitsbehörden, wie es zu dem Angriff kam und ob Daten "
    "abgeflossen sind.\n"
    "- Wir haben den Landesbeauftragten für Datenschutz und Informationsfreiheit "
    "Mecklenburg-Vorpommern unterrichtet (Art. 33 DSGVO) und das Landeskriminalamt, das "
    "CERT M-V und das BSI eingeschaltet.\n"
    "- Sobald wir mehr wissen, ergänzen wir diese Information.",
    "## Was Sie tun können",
    "- Prüfen Sie Ihre Kontoauszüge. Lassen Sie Abbuchungen, die Sie nicht kennen, von Ihrer "
    "Bank zurückbuchen.\n"
    "- Seien Sie misstrauisch bei Nachrichten, die sich auf das Amt berufen, und fragen Sie im "
    "Zweifel telefonisch bei uns nach.\n"
    "- Geben Sie niemandem Passwörter, PINs oder TANs.",
    "## Ihr Ansprechpartner",
    "Datenschutzbeauftragter des Amtes Kranichmoor: Jens Harmsdorf, Telefon " TEL("190")
    " (Montag bis Donnerstag 9 bis 12 Uhr, Dienstag und Donnerstag auch 13 bis 15 Uhr), "
    "E-Mail " MAIL("datenschutz") ", Post: Amt Kranichmoor, Der Datenschutzbeauftragte, "
    "Am Markt 1, 19999 Kranichmoor.",
    "Sie können sich außerdem bei der Aufsichtsbehörde beschweren, dem Landesbeauftragten für "
    "Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern in Schwerin.",
    NULL,
};

static const char *const dpinfo_ls[] = {
    "Wir müssen Ihnen etwas Wichtiges sagen." BR
    "Es geht um den Schutz von Ihren Daten." BR
    "Ein Gesetz sagt: Wir müssen Sie informieren." BR
    "Das Gesetz heißt: Daten·schutz-Grund·verordnung.",
    "## Was ist passiert?",
    "Am 15. Oktober 2021 haben Kriminelle unsere Computer angegriffen." BR
    "Seitdem sind die Computer ausgeschaltet." BR
    "Wir kommen nicht an die Daten in den Computern.",
    "## Wer ist betroffen?",
    "Vielleicht sind Sie betroffen." BR "Zum Beispiel:" BR
    "Sie wohnen in einer Gemeinde vom Amt Kranichmoor." BR
    "Oder Sie hatten einen Antrag beim Amt." BR "Oder Sie arbeiten beim Amt.",
    "## Welche Daten?",
    "- Ihr Name und Ihre Adresse.\n"
    "- Ihre E-Mail-Adresse und Ihre Telefon·nummer.\n"
    "- Ihre Anträge beim Amt.\n"
    "- Angaben über Zahlungen.\n"
    "- Vielleicht Ihre Bank·verbindung.\n"
    "- Vielleicht Angaben über Ihre Gesundheit.",
    "## Haben die Kriminellen Daten mitgenommen?",
    "Das wissen wir noch nicht genau." BR "Fach·leute suchen nach Spuren." BR
    "Wir glauben: Die Daten sind noch da." BR "Aber wir sind nicht ganz sicher.",
    "## Was kann passieren?",
    "Vielleicht haben Betrüger Ihre Daten." BR "Dann schreiben sie Ihnen vielleicht." BR
    "Oder sie rufen Sie an." BR "Sie kennen dann vielleicht Ihren Namen." BR
    "Das wirkt echt." BR "Aber es ist Betrug.",
    "## Was können Sie tun?",
    "- Schauen Sie auf Ihre Konto·auszüge." BR
    "  Gibt es eine Zahlung, die Sie nicht kennen?" BR "  Dann fragen Sie Ihre Bank.\n"
    "- Bekommen Sie eine Nachricht vom Amt?" BR "  Und die Nachricht ist komisch?" BR
    "  Dann rufen Sie uns an.\n"
    "- Sagen Sie niemandem Ihr Pass·wort." BR "  Und niemandem Ihre PIN.",
    "## Wer hilft Ihnen?",
    "Herr Jens Harmsdorf hilft Ihnen." BR "Er ist der Daten·schutz·beauftragte vom Amt." BR
    "Seine Telefon·nummer ist: 03841 5550-190." BR
    "Seine E-Mail-Adresse ist: " MAIL("datenschutz"),
    "Sie können sich auch beschweren." BR
    "Zum Beispiel beim Landes·beauftragten für Daten·schutz in Schwerin." BR
    "Er passt auf: Gehen Ämter gut mit Daten um?",
    NULL,
};

static const char *const dpinfo_en[] = {
    "With this notice we inform you, under Article 34 of the General Data Protection "
    "Regulation (GDPR), of a personal data breach. We do so publicly because without our "
    "systems we cannot reach everyone concerned individually.",
    "## What happened?",
    "On 15 October 2021 the municipal data centre that runs the IT of Amt Kranichmoor was "
    "attacked with ransomware. All systems were shut down. Since then we have had no access "
    "to the data stored there.",
    "## Who is concerned?",
    "Citizens, customers of the municipalities and facilities of the office, and our staff.",
    "## Which data?",
    "- contact data: name, postal address, e-mail address, telephone number\n"
    "- information about applications and requests to the administration\n"
    "- municipal services used\n"
    "- payments and other municipal matters\n"
    "- possibly bank details and special categories of personal data (Art. 9 GDPR)",
    "## Has data been taken?",
    "So far it has not been found that data was copied or passed on. The forensic "
    "investigation is continuing. We consider data loss unlikely but cannot rule it out.",
    "## Possible consequences",
    "Should data have fallen into the wrong hands, fraudsters could use it to make e-mails, "
    "letters or calls look genuine, for instance by mentioning your name or a real request.",
    "## What we are doing",
    "- The systems stay switched off until they have been checked and cleaned.\n"
    "- Experts are working with security authorities to find out how the attack happened "
    "and whether data was taken.\n"
    "- We have notified the State Commissioner for Data Protection and Freedom of "
    "Information of Mecklenburg-Vorpommern (Art. 33 GDPR) and involved the State Criminal "
    "Police Office, CERT M-V and the BSI.\n"
    "- We will add to this notice as soon as we know more.",
    "## What you can do",
    "- Check your bank statements and have your bank reverse any debit you do not "
    "recognise.\n"
    "- Be wary of messages that refer to the office; if in doubt, call us.\n"
    "- Never give anyone passwords, PINs or TANs.",
    "## Your contact",
    "Data protection officer of Amt Kranichmoor: Jens Harmsdorf, telephone " TEL("190")
    " (Monday to Thursday 9:00 to 12:00, Tuesday and Thursday also 13:00 to 15:00), e-mail "
    MAIL("datenschutz") ", post: Amt Kranichmoor, Data Protection Officer, Am Markt 1, "
    "19999 Kranichmoor, Germany.",
    "You also have the right to lodge a complaint with the supervisory authority, the State "
    "Commissioner for Data Protection and Freedom of Information of Mecklenburg-Vorpommern in "
    "Schwerin.",
    NULL,
};

static const char *const closed_de[] = {
    "Wegen eines Ausfalls der IT bleibt das Bürgerbüro heute geschlossen. Bereits vereinbarte "
    "Termine sagen wir telefonisch ab.",
    NULL,
};

static const char *const closed_en[] = {
    "Because of an IT outage the citizens' office is closed today. We will call you to cancel "
    "appointments already made.",
    NULL,
};

struct variant {
    const char *lang;
    const char *title;
    const char *const *body;
    struct when at;
};

static const struct variant incident_variants[] = {
    {"de", "IT-Störung: Amt nur eingeschränkt erreichbar", incident_de_1, W(15, 10, 11, 0)},
    {"en", "IT outage: limited service", incident_en_1, W(15, 10, 16, 0)},
    {"de", "IT-Sicherheitsvorfall vom 15.10.2021", incident_de_2, W(22, 10, 12, 0)},
    {"de-x-ls", "Angriff auf unsere Computer", incident_ls_1, W(22, 10, 12, 0)},
    {"en", "IT security incident of 15 October 2021", incident_en_2, W(22, 10, 15, 0)},
    {"ar", "حادث أمني في أنظمة تقنية المعلومات بتاريخ 15 أكتوبر 2021", incident_ar,
     W(25, 10, 11, 0)},
    {"de", "IT-Sicherheitsvorfall vom 15.10.2021: Stand 23.12.2021", incident_de_3,
     W(23, 12, 10, 0)},
    {"de-x-ls", "Angriff auf unsere Computer", incident_ls_2, W(23, 12, 10, 0)},
    {"en", "IT security incident of 15 October 2021: update of 23 December 2021",
     incident_en_3, W(23, 12, 10, 0)},
};

static const struct variant dpinfo_variants[] = {
    {"de", "Erste Datenschutzinformation nach Art. 34 DSGVO", dpinfo_de, W(29, 10, 10, 0)},
    {"de-x-ls", "Information zum Daten·schutz", dpinfo_ls, W(29, 10, 10, 0)},
    {"en", "First data protection notice under Art. 34 GDPR", dpinfo_en, W(29, 10, 10, 0)},
};

static const struct variant closed_variants[] = {
    {"de", "Bürgerbüro am 15.10.2021 geschlossen", closed_de, W(15, 10, 8, 30)},
    {"en", "Citizens' office closed on 15 October 2021", closed_en, W(15, 10, 8, 30)},
};

struct notice_def {
    const char *slug;
    bool pinned;
    int64_t sort;
    struct when created;
    const struct variant *variants;
    size_t nvariants;
    bool archive; /* archived at archived_at, after its variants */
    struct when archived_at;
};

static const struct notice_def notices[] = {
    {"datenschutz-erstinformation", true, 1, W(29, 10, 10, 0), dpinfo_variants, 3, false,
     {0}},
    {"it-sicherheitsvorfall", true, 2, W(15, 10, 11, 0), incident_variants, 8, false, {0}},
    {"buergerbuero-geschlossen", false, 10, W(15, 10, 8, 30), closed_variants, 2, true,
     W(19, 10, 9, 0)},
};

/* ---------------------------------------------------------------- press updates */

struct press_def {
    const char *slug;
    struct when at;
    const char *title_de, *body_de, *title_en, *body_en;
};

static const struct press_def press[] = {
    {"2021-kw42", W(22, 10, 14, 0), "Presseupdate KW 42: Notbetrieb eingerichtet",
     "Eine Woche nach dem Angriff auf das kommunale Rechenzentrum arbeitet das Amt Kranichmoor "
     "im Notbetrieb. Anliegen nehmen wir auf Papier, per Post und am Telefon entgegen. "
     "Telefonzeiten: Montag bis Donnerstag 9 bis 12 Uhr, Dienstag und Donnerstag auch 13 bis "
     "15 Uhr. Als elektronischer Weg steht " MAIL("notbetrieb") " bereit.",
     "Press update week 42: emergency operation set up",
     "One week after the attack on the municipal data centre, Amt Kranichmoor is working in "
     "emergency mode. We take requests on paper, by post and by telephone. Telephone hours: "
     "Monday to Thursday 9:00 to 12:00, Tuesday and Thursday also 13:00 to 15:00. The "
     "electronic channel is " MAIL("notbetrieb") "."},
    {"2021-kw43", W(29, 10, 14, 0), "Presseupdate KW 43: Erste Datenschutzinformation",
     "Heute haben wir die erste Datenschutzinformation nach Art. 34 DSGVO veröffentlicht. Sie "
     "nennt die möglicherweise betroffenen Daten und was Sie selbst tun können. Papierformulare "
     "liegen im Eingang des Amtes aus und werden auf Wunsch zugeschickt.",
     "Press update week 43: first data protection notice",
     "Today we published the first data protection notice under Art. 34 GDPR. It lists the "
     "data that may be affected and what you can do yourself. Paper forms are available at "
     "the entrance of the office and can be sent to you on request."},
    {"2021-kw44", W(5, 11, 14, 0), "Presseupdate KW 44: Standesamt und Wohngeld",
     "Das Standesamt beurkundet Geburten und Sterbefälle wieder, vorerst auf Papier. "
     "Wohngeldanträge bearbeitet ab sofort vorübergehend das Amt Lindenhagen; Anträge können "
     "weiterhin bei uns abgegeben werden, wir leiten sie weiter.",
     "Press update week 44: registry office and housing benefit",
     "The registry office is recording births and deaths again, on paper for now. From today "
     "Amt Lindenhagen is handling housing benefit applications for the time being; you can "
     "still hand them in to us and we will forward them."},
    {"2021-kw45", W(12, 11, 14, 0), "Presseupdate KW 45: Warnung vor falschen E-Mails",
     "Uns wurden E-Mails gemeldet, die angeblich vom Amt Kranichmoor stammen und um "
     "Bankdaten bitten. Diese E-Mails kommen nicht von uns. Bitte antworten Sie nicht, öffnen "
     "Sie keine Anhänge und rufen Sie uns im Zweifel an.",
     "Press update week 45: warning about fake e-mails",
     "We have been told about e-mails that claim to come from Amt Kranichmoor and ask for "
     "bank details. These e-mails are not from us. Please do not answer or open attachments, "
     "and call us if in doubt."},
    {"2021-kw46", W(19, 11, 14, 0), "Presseupdate KW 46: Kita-Beiträge ausgesetzt",
     "Die Lastschriften für Kita-Beiträge sind ausgesetzt, bis die Kasse wieder arbeitet. "
     "Mahnungen gibt es in dieser Zeit nicht. Die Beiträge werden später mit einer "
     "Ankündigung eingezogen.",
     "Press update week 46: childcare fees suspended",
     "Direct debits for childcare fees are suspended until the treasury is working again. "
     "There will be no reminders in the meantime. The fees will be collected later, with "
     "notice."},
    {"2021-kw47", W(26, 11, 14, 0), "Presseupdate KW 47: Stand der Untersuchung",
     "Die forensische Untersuchung hat bisher keinen Hinweis ergeben, dass Daten abgeflossen "
     "sind. Der IT-Dienstleister hat begonnen, das Netz in einer sauberen Umgebung neu "
     "aufzubauen.",
     "Press update week 47: state of the investigation",
     "So far the forensic investigation has found no sign that data was taken. The IT "
     "provider has begun to rebuild the network in a clean environment."},
    {"2021-kw48", W(3, 12, 14, 0), "Presseupdate KW 48: Erste Systeme im Test",
     "Erste Fachanwendungen laufen in einer Testumgebung, darunter das Meldewesen. Bis sie "
     "geprüft sind, bleibt es beim Notbetrieb.",
     "Press update week 48: first systems in testing",
     "The first specialist applications are running in a test environment, among them "
     "residents' registration. Until they have been checked, emergency operation continues."},
    {"2021-kw49", W(10, 12, 14, 0), "Presseupdate KW 49: Steuern und Gewerbe",
     "Hundesteuer und andere Abgaben überweisen Sie bitte weiter mit dem Kassenzeichen aus "
     "Ihrem Bescheid. Gewerbeanmeldungen nehmen wir auf dem Papierformular entgegen.",
     "Press update week 49: taxes and businesses",
     "Please keep paying dog tax and other charges by bank transfer, quoting the reference "
     "on your notice. We accept business registrations on the paper form."},
    {"2021-kw50", W(17, 12, 14, 0), "Presseupdate KW 50: Erreichbarkeit zum Jahresende",
     "Am 30. Dezember ist das Amt nicht erreichbar. Die Hinweise zum IT-Sicherheitsvorfall "
     "aktualisieren wir vor Weihnachten. Der Notbetrieb dauert voraussichtlich bis in das "
     "neue Jahr.",
     "Press update week 50: availability at the end of the year",
     "The office cannot be reached on 30 December. We will update the notice on the IT "
     "security incident before Christmas. Emergency operation is expected to last into the "
     "new year."},
};

/* ---------------------------------------------------------------- departments, contacts */

struct department_def {
    const char *slug, *name_de, *name_en, *phone, *email, *room;
    int64_t sort;
};

static const struct department_def departments[] = {
    {"hauptamt", "Hauptamt", "Central services", TEL("100"), MAIL("hauptamt"),
     "Am Markt 1, Zimmer 12", 10},
    {"buergerbuero", "Bürgerbüro und Ordnungsamt", "Citizens' office and public order",
     TEL("200"), MAIL("buergerbuero"), "Am Markt 1, Erdgeschoss", 20},
    {"standesamt", "Standesamt und Friedhofswesen", "Registry office and cemeteries",
     TEL("300"), MAIL("standesamt"), "Am Markt 3, Zimmer 2", 30},
    {"bauamt", "Bauamt", "Building and planning", TEL("400"), MAIL("bauamt"),
     "Am Markt 3, Zimmer 14", 40},
    {"finanzen", "Kämmerei und Kasse", "Finance and treasury", TEL("500"), MAIL("kaemmerei"),
     "Am Markt 1, Zimmer 21", 50},
};

struct contact_def {
    const char *department, *name, *role_de, *role_en, *phone, *email;
    bool dpo;
    int64_t sort;
};

static const struct contact_def contacts[] = {
    {"hauptamt", "Kerstin Wollenberg", "Leiterin des Hauptamtes", "Head of central services",
     TEL("101"), MAIL("k.wollenberg"), false, 1},
    {"hauptamt", "Jens Harmsdorf", "Datenschutzbeauftragter", "Data protection officer",
     TEL("190"), MAIL("datenschutz"), true, 2},
    {"hauptamt", "Maike Ostendorf", "Pressestelle", "Press office", TEL("110"), MAIL("presse"),
     false, 3},
    {"buergerbuero", "Tobias Rehberg", "Meldewesen, Pässe und Ausweise",
     "Residents' registration, passports and ID cards", TEL("201"), MAIL("t.rehberg"), false,
     1},
    {"buergerbuero", "Anja Kleinschmidt", "Gewerbe und Fundbüro",
     "Business registration, lost and found", TEL("202"), MAIL("a.kleinschmidt"), false, 2},
    {"standesamt", "Dorothea Lüdtke", "Standesbeamtin", "Registrar", TEL("301"),
     MAIL("d.luedtke"), false, 1},
    {"standesamt", "Uwe Brandt", "Friedhofsverwaltung", "Cemetery administration", TEL("302"),
     MAIL("u.brandt"), false, 2},
    {"bauamt", "Stefan Melchert", "Bauverwaltung", "Building administration", TEL("401"),
     MAIL("s.melchert"), false, 1},
    {"finanzen", "Petra Hinz", "Steuern und Abgaben", "Taxes and charges", TEL("501"),
     MAIL("p.hinz"), false, 1},
    {"finanzen", "Sven Karstädt", "Kita-Beiträge und Kasse", "Childcare fees and treasury",
     TEL("502"), MAIL("s.karstaedt"), false, 2},
};

/* The model case's telephone hours: Monday to Thursday 09:00-12:00, Tuesday and Thursday
 * also 13:00-15:00. No counter hours: visits only by arrangement. */
static const struct nb_store_slot phone_hours[] = {
    {LIT("phone"), 1, 540, 720}, {LIT("phone"), 2, 540, 720},
    {LIT("phone"), 2, 780, 900}, {LIT("phone"), 3, 540, 720},
    {LIT("phone"), 4, 540, 720}, {LIT("phone"), 4, 780, 900},
};

static const struct nb_store_lang_text closed_notes[] = {
    {LIT("de"), LIT("Zwischen den Feiertagen nicht erreichbar.")},
    {LIT("en"), LIT("Closed between the holidays.")},
};

/* ---------------------------------------------------------------- services */

struct service_def {
    const char *slug, *state, *department, *other_office;
    int64_t sort;
    const char *name_de, *desc_de, *fallback_de;
    const char *name_en, *desc_en, *fallback_en;
};

static const struct service_def services[] = {
    {"meldewesen", "paper", "buergerbuero", NULL, 10, "An-, Um- und Abmeldung der Wohnung",
     "Wohnsitz anmelden, ummelden oder abmelden.",
     "Füllen Sie den Meldeschein aus (liegt im Eingang aus, steht unter „Formulare“ und wird "
     "auf Wunsch zugeschickt) und senden Sie ihn mit einer Kopie Ihres Ausweises an: Amt "
     "Kranichmoor, Bürgerbüro, Am Markt 1, 19999 Kranichmoor. Die Meldebestätigung erhalten "
     "Sie per Post, sobald das Melderegister wieder arbeitet.",
     "Registering your address", "Registering, changing or cancelling your residence.",
     "Fill in the registration form (at the entrance, under “Forms”, or sent to you on "
     "request) and post it with a copy of your ID to: Amt Kranichmoor, Bürgerbüro, Am Markt "
     "1, 19999 Kranichmoor. You will receive the confirmation by post once the register is "
     "working again."},
    {"ausweis", "appointment", "buergerbuero", NULL, 20, "Personalausweis und Reisepass",
     "Ausweise und Pässe beantragen und abholen.",
     "Nur nach Terminvereinbarung unter " TEL("201") ". Fertige Dokumente können zu den "
     "vereinbarten Zeiten abgeholt werden. In dringenden Fällen stellen wir einen vorläufigen "
     "Ausweis aus.",
     "ID cards and passports", "Applying for and collecting ID cards and passports.",
     "By appointment only, on " TEL("201") ". Finished documents can be collected at the "
     "agreed times. In urgent cases we issue a provisional ID card."},
    {"gewerbe", "paper", "buergerbuero", NULL, 30, "Gewerbeanmeldung, -ummeldung und -abmeldung",
     "Ein Gewerbe anzeigen, ändern oder aufgeben.",
     "Senden Sie das Formular zur Gewerbeanzeige per Post oder werfen Sie es in den Briefkasten "
     "am Amt. Die Bestätigung folgt per Post.",
     "Registering a business", "Registering, changing or closing a business.",
     "Post the business registration form or drop it in the letterbox at the office. The "
     "confirmation will follow by post."},
    {"fundbuero", "restricted", "buergerbuero", NULL, 40, "Fundbüro",
     "Fundsachen abgeben und nach Verlorenem fragen.",
     "Fundsachen nehmen wir nach telefonischer Absprache unter " TEL("202") " an. Nach "
     "verlorenen Gegenständen fragen Sie bitte telefonisch.",
     "Lost and found", "Handing in found items and asking about lost ones.",
     "We accept found items after arranging it by telephone on " TEL("202") ". Please ask "
     "about lost items by telephone."},
    {"urkunden", "restricted", "standesamt", NULL, 50, "Geburts-, Ehe- und Sterbeurkunden",
     "Urkunden aus den Personenstandsregistern.",
     "Geburten und Sterbefälle werden auf Papier beurkundet. Urkunden aus älteren Einträgen "
     "können wir nur ausstellen, soweit die Papierregister reichen. Bitte rufen Sie vorher "
     "an: " TEL("301") ".",
     "Birth, marriage and death certificates", "Certificates from the civil status registers.",
     "Births and deaths are recorded on paper. We can issue certificates from older entries "
     "only as far as the paper registers go. Please call first: " TEL("301") "."},
    {"eheschliessung", "appointment", "standesamt", NULL, 60, "Eheschließung",
     "Trauungen und die Anmeldung dazu.",
     "Vereinbarte Trauungen finden statt. Die Anmeldung zur Eheschließung ist nach "
     "telefonischer Terminvereinbarung möglich: " TEL("301") ".",
     "Getting married", "Weddings and giving notice of marriage.",
     "Weddings already arranged will take place. You can give notice of marriage by "
     "appointment: " TEL("301") "."},
    {"friedhof", "restricted", "standesamt", NULL, 70, "Friedhof und Bestattungen",
     "Grabstellen und Bestattungen auf den Friedhöfen der Gemeinden.",
     "Bestattungen werden telefonisch mit der Friedhofsverwaltung abgestimmt: " TEL("302")
     ". Gebührenbescheide folgen später.",
     "Cemeteries and burials", "Graves and burials in the municipal cemeteries.",
     "Burials are arranged by telephone with the cemetery administration: " TEL("302")
     ". Fee notices will follow later."},
    {"bauantraege", "paper", "bauamt", NULL, 80, "Bauanträge und Stellungnahmen",
     "Anträge und die Stellungnahmen der Gemeinden dazu.",
     "Reichen Sie Unterlagen bitte auf Papier ein. Fristen laufen weiter; sprechen Sie uns an, "
     "wenn eine Frist wegen des Ausfalls gefährdet ist: " TEL("401") ".",
     "Building applications", "Applications and the municipalities' statements on them.",
     "Please hand in documents on paper. Deadlines continue to run; talk to us if the outage "
     "puts a deadline at risk: " TEL("401") "."},
    {"wohngeld", "other_office", NULL, "Amt Lindenhagen", 90, "Wohngeld",
     "Zuschuss zur Miete oder zu den Kosten von Wohneigentum.",
     "Das Amt Lindenhagen bearbeitet Wohngeldanträge vorübergehend für uns. Sie können Ihren "
     "Antrag weiterhin bei uns abgeben; wir leiten ihn weiter.",
     "Housing benefit", "A subsidy towards rent or the costs of an owner-occupied home.",
     "Amt Lindenhagen is handling housing benefit applications for us for the time being. "
     "You can still hand your application in to us; we will forward it."},
    {"kita-beitraege", "suspended", "finanzen", NULL, 100, "Kita-Beiträge",
     "Elternbeiträge für Krippe, Kindergarten und Hort.",
     "Lastschriften und Mahnungen sind ausgesetzt. Die Beiträge werden später mit "
     "Ankündigung eingezogen. Fragen beantwortet " TEL("502") ".",
     "Childcare fees", "Parents' fees for nursery, kindergarten and after-school care.",
     "Direct debits and reminders are suspended. The fees will be collected later, with "
     "notice. Questions: " TEL("502") "."},
    {"hundesteuer", "paper", "finanzen", NULL, 110, "Hundesteuer",
     "Hunde anmelden und abmelden, Hundesteuer zahlen.",
     "An- und Abmeldung bitte mit dem Papierformular per Post. Zahlen Sie die Steuer weiter "
     "per Überweisung mit dem Kassenzeichen aus Ihrem Bescheid.",
     "Dog tax", "Registering and deregistering dogs, paying dog tax.",
     "Please register or deregister by post with the paper form. Keep paying the tax by bank "
     "transfer, quoting the reference on your notice."},
    {"formulare", "online", "hauptamt", NULL, 120, "Formulare zum Herunterladen",
     "Die Papierformulare des Notbetriebs.",
     "", "Forms to download", "The paper forms of emergency operation.", ""},
};

/* ---------------------------------------------------------------- pages */

static const char *const imprint_de[] = {
    "**Amt Kranichmoor**" BR "Am Markt 1" BR "19999 Kranichmoor",
    "Telefon: " TEL("0") BR "E-Mail: " MAIL("notbetrieb"),
    "Das Amt Kranichmoor ist eine Körperschaft des öffentlichen Rechts. Es wird vertreten "
    "durch den Amtsvorsteher Bernd Kowalczyk.",
    "Verantwortlich für den Inhalt: Kerstin Wollenberg, Leiterin des Hauptamtes, Anschrift wie "
    "oben.",
    "Diese Notfallseite läuft auf einem eigenen Server, getrennt vom betroffenen "
    "Rechenzentrum.",
    "Hinweis: Das Amt Kranichmoor und alle Angaben auf dieser Seite sind erfunden. Es handelt "
    "sich um Beispieldaten von notbetrieb.",
    NULL,
};

static const char *const imprint_en[] = {
    "**Amt Kranichmoor**" BR "Am Markt 1" BR "19999 Kranichmoor" BR "Germany",
    "Telephone: " TEL("0") BR "E-mail: " MAIL("notbetrieb"),
    "Amt Kranichmoor is a public-law corporation. It is represented by its head, Bernd "
    "Kowalczyk (Amtsvorsteher).",
    "Responsible for the content: Kerstin Wollenberg, head of central services, address as "
    "above.",
    "This emergency site runs on a server of its own, separate from the affected data "
    "centre.",
    "Note: Amt Kranichmoor and everything on this site are invented. This is sample data of "
    "notbetrieb.",
    NULL,
};

static const char *const privacy_de[] = {
    "## Verantwortlicher",
    "Amt Kranichmoor, Am Markt 1, 19999 Kranichmoor, Telefon " TEL("0") ", E-Mail "
    MAIL("notbetrieb") ".",
    "## Datenschutzbeauftragter",
    "Jens Harmsdorf, Anschrift wie oben, Telefon " TEL("190") ", E-Mail " MAIL("datenschutz")
    ".",
    "## Was diese Seite verarbeitet",
    "Beim Abruf dieser Seiten verarbeitet der Server die technisch nötigen Angaben: "
    "IP-Adresse, Zeitpunkt, abgerufene Adresse und Browserkennung. Wir nutzen sie, um die "
    "Seiten auszuliefern und Angriffe abzuwehren (Art. 6 Abs. 1 Buchst. e DSGVO), und löschen "
    "sie nach sieben Tagen. Diese Seite setzt keine Cookies, bindet keine Inhalte Dritter ein "
    "und verwendet keine Analysewerkzeuge.",
    "## Wenn Sie uns schreiben oder anrufen",
    "Was Sie uns per E-Mail, Post oder Telefon mitteilen, verwenden wir nur, um Ihr Anliegen "
    "zu bearbeiten. Während des Notbetriebs erfassen wir Anliegen auf Papier und in einem "
    "eigenen Register und übertragen sie später in die wiederhergestellten Fachverfahren.",
    "## Ihre Rechte",
    "Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Einschränkung der "
    "Verarbeitung sowie auf Widerspruch. Sie können sich beim Landesbeauftragten für "
    "Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern in Schwerin beschweren.",
    NULL,
};

static const char *const privacy_en[] = {
    "## Controller",
    "Amt Kranichmoor, Am Markt 1, 19999 Kranichmoor, Germany, telephone " TEL("0")
    ", e-mail " MAIL("notbetrieb") ".",
    "## Data protection officer",
    "Jens Harmsdorf, address as above, telephone " TEL("190") ", e-mail " MAIL("datenschutz")
    ".",
    "## What this site processes",
    "When you open these pages the server processes what it technically needs: IP address, "
    "time, address requested and browser identification. We use them to deliver the pages "
    "and to fend off attacks (Art. 6(1)(e) GDPR) and delete them after seven days. This site "
    "sets no cookies, embeds no third-party content and uses no analytics.",
    "## When you write to us or call",
    "What you tell us by e-mail, post or telephone we use only to deal with your request. "
    "During emergency operation we record requests on paper and in a separate register, and "
    "transfer them to the restored specialist systems later.",
    "## Your rights",
    "You have the right of access, rectification, erasure, restriction of processing and "
    "objection. You can lodge a complaint with the State Commissioner for Data Protection and "
    "Freedom of Information of Mecklenburg-Vorpommern in Schwerin.",
    NULL,
};

static const char *const access_de[] = {
    "Das Amt Kranichmoor möchte diese Notfallseite für alle Menschen zugänglich machen. "
    "Grundlage sind das Landesbehindertengleichstellungsgesetz Mecklenburg-Vorpommern "
    "(LBGG M-V) und die Barrierefreie Informationstechnik-Verordnung des Landes (BITVO M-V), "
    "die sich an der BITV 2.0 des Bundes und der europäischen Norm EN 301 549 ausrichten.",
    "## Stand der Vereinbarkeit",
    "Diese Seite ist weitgehend mit den Anforderungen vereinbar. Sie kommt ohne JavaScript "
    "aus, lässt sich vollständig mit der Tastatur bedienen und bietet die wichtigsten "
    "Informationen auch in Leichter Sprache und auf Englisch.",
    "## Nicht barrierefreie Inhalte",
    "- Papierformulare, die wir als PDF bereitstellen, sind noch nicht alle barrierefrei. "
    "Auf Wunsch füllen wir sie mit Ihnen am Telefon aus.\n"
    "- Inhalte in Deutscher Gebärdensprache fehlen noch.",
    "Diese Erklärung beruht auf einer Selbstbewertung vom 15. Oktober 2021.",
    "## Barrieren melden",
    "Ist Ihnen eine Barriere aufgefallen, oder brauchen Sie eine Information in anderer "
    "Form? Schreiben Sie an " MAIL("barrierefrei") " oder rufen Sie uns an: " TEL("100")
    " (Montag bis Donnerstag 9 bis 12 Uhr, Dienstag und Donnerstag auch 13 bis 15 Uhr). Wir "
    "antworten innerhalb von sechs Wochen.",
    "## Wenn Sie mit unserer Antwort nicht zufrieden sind",
    "Dann können Sie sich an den Bürgerbeauftragten des Landes Mecklenburg-Vorpommern wenden. "
    "Er vertritt die Belange von Menschen mit Behinderungen gegenüber Behörden und vermittelt "
    "kostenlos. Die Überwachungsstelle für digitale Barrierefreiheit beim Sozialministerium "
    "des Landes prüft, ob öffentliche Stellen ihre Websites barrierefrei gestalten.",
    NULL,
};

static const char *const access_en[] = {
    "Amt Kranichmoor wants this emergency site to be usable by everyone. The rules are those "
    "of the Mecklenburg-Vorpommern disability equality act (LBGG M-V) and the state's "
    "regulation on accessible information technology (BITVO M-V), which follow the federal "
    "BITV 2.0 and the European standard EN 301 549.",
    "## Compliance status",
    "This site is largely compliant. It works without JavaScript, can be used entirely with "
    "the keyboard, and offers the most important information in Leichte Sprache (easy-to-read "
    "German) and English as well.",
    "## Content that is not accessible",
    "- Not all paper forms we provide as PDF are accessible yet. On request we fill them in "
    "with you on the telephone.\n"
    "- Content in German Sign Language is still missing.",
    "This statement is based on a self-assessment of 15 October 2021.",
    "## Reporting barriers",
    "Have you come across a barrier, or do you need information in another form? Write to "
    MAIL("barrierefrei") " or call us on " TEL("100") " (Monday to Thursday 9:00 to 12:00, "
    "Tuesday and Thursday also 13:00 to 15:00). We will answer within six weeks.",
    "## If you are not satisfied with our answer",
    "You can then turn to the Citizens' Commissioner (Bürgerbeauftragter) of "
    "Mecklenburg-Vorpommern, who represents the interests of people with disabilities "
    "towards public bodies and mediates free of charge. The monitoring body for digital "
    "accessibility at the state's Ministry of Social Affairs checks that public bodies make "
    "their websites accessible.",
    NULL,
};

static const char *const phishing_de[] = {
    "Nach dem Angriff auf unser Rechenzentrum versuchen Betrüger, sich als Amt Kranichmoor "
    "auszugeben. So erkennen Sie Betrugsversuche und so schützen Sie sich.",
    "## Daran erkennen Sie Betrug",
    "- Eine E-Mail, SMS oder ein Anruf drängt zur Eile oder droht mit Folgen.\n"
    "- Sie sollen Geld an ein neues Konto überweisen.\n"
    "- Sie sollen Passwörter, PINs, TANs oder Bankdaten nennen.\n"
    "- Eine Nachricht hat einen Anhang oder Link, den Sie nicht erwartet haben.\n"
    "- Die Absenderadresse sieht fast so aus wie unsere, aber nicht ganz.",
    "## So schützen Sie sich",
    "- Antworten Sie nicht und rufen Sie nicht unter Nummern aus der Nachricht zurück.\n"
    "- Öffnen Sie keine Anhänge und klicken Sie keine Links an.\n"
    "- Rufen Sie uns unter " TEL("0") " an oder schreiben Sie an " MAIL("notbetrieb")
    " und fragen Sie nach.",
    "Wir fragen Sie niemals nach Passwörtern, PINs oder TANs, und wir ändern unsere "
    "Bankverbindung nicht per E-Mail.",
    "## Schon darauf hereingefallen?",
    "Sperren Sie betroffene Konten bei Ihrer Bank (Sperr-Notruf 116 116), ändern Sie "
    "Passwörter und erstatten Sie Anzeige bei der Polizei. Sagen Sie uns bitte Bescheid, "
    "damit wir andere warnen können.",
    NULL,
};

static const char *const phishing_ls[] = {
    "Manche Menschen wollen Sie betrügen." BR "Sie sagen: Wir sind vom Amt Kranichmoor." BR
    "Aber das stimmt nicht.",
    "## So erkennen Sie Betrug",
    "- Jemand will Geld von Ihnen.\n"
    "- Jemand will Ihr Pass·wort wissen.\n"
    "- Jemand will Ihre PIN wissen.\n"
    "- Jemand sagt: Sie müssen sich beeilen.",
    "## Das können Sie tun",
    "- Antworten Sie nicht.\n"
    "- Öffnen Sie keine Anhänge.\n"
    "- Klicken Sie auf keine Links.\n"
    "- Rufen Sie uns an." BR "  Die Telefon·nummer ist: 03841 5550-0.",
    "Das Amt fragt nie nach Ihrem Pass·wort." BR "Und nie nach Ihrer PIN.",
    NULL,
};

static const char *const phishing_en[] = {
    "Since the attack on our data centre, fraudsters have been trying to pass themselves off "
    "as Amt Kranichmoor. This is how to recognise such attempts and protect yourself.",
    "## Signs of fraud",
    "- An e-mail, text message or call rushes you or threatens consequences.\n"
    "- You are asked to transfer money to a new account.\n"
    "- You are asked for passwords, PINs, TANs or bank details.\n"
    "- A message has an attachment or link you did not expect.\n"
    "- The sender's address looks almost like ours, but not quite.",
    "## How to protect yourself",
    "- Do not answer, and do not call back numbers given in the message.\n"
    "- Do not open attachments or click links.\n"
    "- Call us on " TEL("0") " or write to " MAIL("notbetrieb") " and ask.",
    "We never ask for passwords, PINs or TANs, and we do not change our bank details by "
    "e-mail.",
    "## Already caught out?",
    "Have your bank block the accounts concerned (German blocking hotline 116 116), change "
    "your passwords and report it to the police. Please let us know too, so that we can warn "
    "others.",
    NULL,
};

struct page_def {
    const char *kind, *lang, *title;
    const char *const *body;
    struct when at;
};

static const struct page_def pages[] = {
    {"imprint", "de", "Impressum", imprint_de, W(15, 10, 12, 0)},
    {"imprint", "en", "Legal notice", imprint_en, W(15, 10, 12, 0)},
    {"privacy", "de", "Datenschutzerklärung", privacy_de, W(15, 10, 12, 0)},
    {"privacy", "en", "Privacy statement", privacy_en, W(15, 10, 12, 0)},
    {"accessibility", "de", "Erklärung zur Barrierefreiheit", access_de, W(15, 10, 12, 0)},
    {"accessibility", "en", "Accessibility statement", access_en, W(15, 10, 12, 0)},
    {"phishing", "de", "Vorsicht vor Betrug", phishing_de, W(15, 10, 14, 0)},
    {"phishing", "en", "Beware of fraud", phishing_en, W(15, 10, 14, 0)},
    {"phishing", "de-x-ls", "Vorsicht: Betrug!", phishing_ls, W(22, 10, 12, 0)},
};

/* clang-format on */

/* ---------------------------------------------------------------- writing it */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Joins paragraphs with blank lines into b (reset first). */
static enum nb_err join(const char *const *parts, struct nb_buf *b)
{
    nb_buf_reset(b);
    for (size_t i = 0; parts[i]; i++) {
        if (i)
            nb_buf_add_c(b, "\n\n");
        nb_buf_add_c(b, parts[i]);
    }
    return b->err;
}

static enum nb_err make_office(struct nb_store *s, int64_t *id)
{
    const struct nb_store_office o = {
        .slug = NB_STR(NB_DEMO_SLUG),
        .name = NB_STR("Amt Kranichmoor"),
        .land = NB_STR("MV"),
    };
    const struct nb_store_office_settings st = {
        .email = NB_STR(MAIL("notbetrieb")),
        .phone = NB_STR(TEL("0")),
        .address = NB_STR("Amt Kranichmoor\nAm Markt 1\n19999 Kranichmoor"),
    };
    const struct nb_store_lang_text notes[] = {
        {NB_STR("de"), NB_STR("Nach einem Cyberangriff auf das Rechenzentrum arbeiten wir mit "
                              "Papier, Post und Telefon. Telefonisch erreichbar Mo–Do 9–12 "
                              "Uhr, Di und Do auch 13–15 Uhr.")},
        {NB_STR("de-x-ls"), NB_STR("Unsere Computer gehen nicht. Rufen Sie uns an.")},
        {NB_STR("en"), NB_STR("After a cyberattack on the data centre we work with paper, post "
                              "and telephone. Telephone hours Mon–Thu 9:00–12:00, Tue and Thu "
                              "also 13:00–15:00.")},
    };
    int64_t since = berlin(AT(15, 10, 7, 30));
    enum nb_err err = nb_office_create(s, &o, berlin(AT(15, 10, 7, 0)), id);
    if (!err)
        err = nb_office_set_state(s, *id, NB_STR("notbetrieb"), since, notes, COUNT(notes), since);
    if (!err)
        err = nb_office_set_settings(s, *id, &st, since);
    return err;
}

static enum nb_err make_departments(struct nb_store *s, int64_t office)
{
    int64_t at = berlin(AT(15, 10, 8, 0));
    enum nb_err err = NB_OK;
    for (size_t i = 0; !err && i < COUNT(departments); i++) {
        const struct department_def *d = &departments[i];
        const struct nb_store_lang_text names[] = {
            {NB_STR("de"), nb_str_c(d->name_de)},
            {NB_STR("en"), nb_str_c(d->name_en)},
        };
        const struct nb_store_department dep = {
            .slug = nb_str_c(d->slug),
            .phone = nb_str_c(d->phone),
            .email = nb_str_c(d->email),
            .room = nb_str_c(d->room),
            .sort = d->sort,
            .names = names,
            .nnames = COUNT(names),
        };
        err = nb_department_put(s, office, &dep, at);
        if (!err)
            err = nb_hours_store_set_weekly(s, office, dep.slug, phone_hours, COUNT(phone_hours),
                                            berlin(AT(15, 10, 8, 15)));
        const struct nb_store_hours_exception closed = {
            .date = NB_STR("2021-12-30"),
            .closed = true,
            .notes = closed_notes,
            .nnotes = COUNT(closed_notes),
        };
        if (!err)
            err = nb_hours_store_set_exception(s, office, dep.slug, &closed,
                                               berlin(AT(20, 12, 9, 0)));
    }
    for (size_t i = 0; !err && i < COUNT(contacts); i++) {
        const struct contact_def *c = &contacts[i];
        const struct nb_store_lang_text roles[] = {
            {NB_STR("de"), nb_str_c(c->role_de)},
            {NB_STR("en"), nb_str_c(c->role_en)},
        };
        const struct nb_store_contact con = {
            .department = nb_str_c(c->department),
            .name = nb_str_c(c->name),
            .phone = nb_str_c(c->phone),
            .email = nb_str_c(c->email),
            .is_dpo = c->dpo,
            .sort = c->sort,
            .roles = roles,
            .nroles = COUNT(roles),
        };
        err = nb_contact_add(s, office, &con, at, NULL);
    }
    return err;
}

static enum nb_err make_services(struct nb_store *s, int64_t office)
{
    enum nb_err err = NB_OK;
    for (size_t i = 0; !err && i < COUNT(services); i++) {
        const struct service_def *d = &services[i];
        const struct nb_store_service_text texts[] = {
            {NB_STR("de"), nb_str_c(d->name_de), nb_str_c(d->desc_de), nb_str_c(d->fallback_de)},
            {NB_STR("en"), nb_str_c(d->name_en), nb_str_c(d->desc_en), nb_str_c(d->fallback_en)},
        };
        const struct nb_store_service svc = {
            .slug = nb_str_c(d->slug),
            .state = nb_str_c(d->state),
            .department = d->department ? nb_str_c(d->department) : (struct nb_str){NULL, 0},
            .other_office = d->other_office ? nb_str_c(d->other_office) : (struct nb_str){0},
            .sort = d->sort,
            .texts = texts,
            .ntexts = COUNT(texts),
        };
        /* Wohngeld went to the neighbouring office in KW 44; the rest was sorted out on the
         * first Monday of emergency operation. */
        struct when at = d->other_office ? AT(5, 11, 9, 0) : AT(18, 10, 9, 0);
        err = nb_service_put(s, office, &svc, berlin(at));
    }
    return err;
}

static enum nb_err make_notices(struct nb_store *s, int64_t office, struct nb_buf *b)
{
    enum nb_err err = NB_OK;
    for (size_t i = 0; !err && i < COUNT(notices); i++) {
        const struct notice_def *d = &notices[i];
        struct nb_store_notice n = {
            .slug = nb_str_c(d->slug), .pinned = d->pinned, .sort = d->sort};
        err = nb_notice_create(s, office, &n, berlin(d->created));
        for (size_t j = 0; !err && j < d->nvariants; j++) {
            const struct variant *v = &d->variants[j];
            err = join(v->body, b);
            const struct nb_store_notice_variant var = {
                .lang = nb_str_c(v->lang),
                .title = nb_str_c(v->title),
                .body_md = nb_buf_str(b),
                .author = NB_STR(AUTHOR),
            };
            if (!err)
                err = nb_notice_publish(s, office, n.slug, &var, berlin(v->at), NULL);
        }
        if (!err && d->archive) {
            n.archived = true;
            err = nb_notice_update(s, office, &n, berlin(d->archived_at));
        }
    }
    return err;
}

static enum nb_err make_press(struct nb_store *s, int64_t office)
{
    enum nb_err err = NB_OK;
    for (size_t i = 0; !err && i < COUNT(press); i++) {
        const struct press_def *p = &press[i];
        const struct nb_store_press_text texts[] = {
            {NB_STR("de"), nb_str_c(p->title_de), nb_str_c(p->body_de)},
            {NB_STR("en"), nb_str_c(p->title_en), nb_str_c(p->body_en)},
        };
        int64_t at = berlin(p->at);
        err = nb_press_create(s, office, nb_str_c(p->slug), at, texts, COUNT(texts), at);
    }
    return err;
}

static enum nb_err make_pages(struct nb_store *s, int64_t office, struct nb_buf *b)
{
    enum nb_err err = NB_OK;
    for (size_t i = 0; !err && i < COUNT(pages); i++) {
        const struct page_def *d = &pages[i];
        err = join(d->body, b);
        const struct nb_store_page p = {
            .kind = nb_str_c(d->kind),
            .lang = nb_str_c(d->lang),
            .title = nb_str_c(d->title),
            .body_md = nb_buf_str(b),
            .author = NB_STR("Amt Kranichmoor, Hauptamt"),
        };
        if (!err)
            err = nb_page_publish(s, office, &p, berlin(d->at), NULL);
    }
    return err;
}

enum nb_err nb_demo_create(struct nb_store *s)
{
    struct nb_store_tx *tx;
    struct nb_buf b;
    nb_buf_init(&b, NB_MARKDOWN_MAX);
    int64_t office = 0;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err) {
        err = nb_store_office_id_by_slug(tx, NB_STR(NB_DEMO_SLUG), &office);
        if (err == NB_OK) {
            nb_buf_free(&b);
            return nb_store_end(&tx, NB_OK); /* there already: leave it as it is */
        }
        if (err == NB_ERR_NOTFOUND)
            err = make_office(s, &office);
    }
    if (!err)
        err = make_departments(s, office);
    if (!err)
        err = make_services(s, office);
    if (!err)
        err = make_pages(s, office, &b);
    if (!err)
        err = make_notices(s, office, &b);
    if (!err)
        err = make_press(s, office);
    if (!err) {
        /* Like init: the office and its journal entry commit together, so the journal of a
         * demo instance starts with the office (journal verify and /healthz expect that). */
        const struct nb_journal_entry e = {.at = (int64_t)time(NULL),
                                           .office_id = office,
                                           .actor = NB_STR("demo"),
                                           .action = NB_STR("office.create"),
                                           .object = NB_STR("office/" NB_DEMO_SLUG),
                                           .summary = NB_STR("demo office created")};
        err = nb_journal_append(tx, &e, NULL);
    }
    nb_buf_free(&b);
    return nb_store_end(&tx, err);
}
