/* limits.h: every limit of notbetrieb in one place, each with its reason.
 *
 * Tests check each limit on both sides (at the limit: accepted; one past: refused). */
#ifndef NB_BASE_LIMITS_H
#define NB_BASE_LIMITS_H

/* HTTP */
/* Request body: the largest form of the back office is a notice with a few language
 * variants; 1 MiB leaves room and keeps a flood of uploads cheap to refuse (413). */
#define NB_HTTP_BODY_MAX (1024u * 1024u)
/* Request line plus all headers: browsers send 1-3 KiB; 8 KiB as nginx's default large
 * header buffer. Past it: 431. */
#define NB_HTTP_HEADER_MAX (8u * 1024u)
/* Request target (path and query): part of the header budget, stated apart so that a long
 * URL gets a clear 414. */
#define NB_HTTP_URI_MAX 2048u
/* Per-connection memory of libmicrohttpd; must exceed NB_HTTP_HEADER_MAX so that our own
 * check (with a rendered error page) runs before the library's. */
#define NB_HTTP_CONN_MEMORY (32u * 1024u)
/* Simultaneous connections in all; a crisis page must take the press at once, and every
 * connection costs about NB_HTTP_CONN_MEMORY. */
#define NB_HTTP_CONN_MAX 4096u
/* Per TCP peer address: enough for a town hall behind one NAT address. Never applied to a
 * trusted proxy (--trusted-proxy), whose connections carry many clients. */
#define NB_HTTP_CONN_PER_IP 256u
/* Proxies named by --trusted-proxy: a front of one or two nginx or load balancers, a
 * standby among them; 16 is more than any office runs and keeps the lookup a short scan. */
#define NB_HTTP_TRUSTED_PROXIES_MAX 16u
/* Elements of X-Forwarded-For examined from the right: a real chain has one to three
 * proxies; a longer run of trusted addresses is a loop or a forgery, and the request is then
 * taken as coming from its TCP peer. */
#define NB_HTTP_FORWARDED_MAX 32u
/* One element of X-Forwarded-For: "[IPv6]:port" is at most 47 bytes; longer is not an
 * address. */
#define NB_HTTP_FORWARDED_ELEMENT_MAX 64u
/* Repeated events (refused connections) are logged as one line with a count at most once
 * per this many seconds, so that a flood cannot fill the log. */
#define NB_LOG_SUMMARY_SECONDS 1
/* Idle connection timeout in seconds (slowloris). */
#define NB_HTTP_IDLE_SECONDS 30u
/* Until an office's first snapshot is rendered its public pages answer 503 with a minimal
 * page of two short paragraphs (well under 1 KiB in either language); Retry-After asks
 * clients to come back after a few seconds, about what a start-up render takes. */
#define NB_PREPARING_PAGE_MAX (4u * 1024u)
#define NB_PREPARING_RETRY_SECONDS 5u
/* Byte budget of one request's arena (view model, rendering, parsing). */
#define NB_REQUEST_ARENA_BUDGET (8u * 1024u * 1024u)
/* Cookies considered per request, and query parameters. */
#define NB_HTTP_COOKIES_MAX 32u
#define NB_HTTP_QUERY_PARAMS_MAX 64u
/* Fields of one urlencoded form body: the largest back-office form (a notice with its
 * language variants, a service with its fallback ways) has well under 100 fields. */
#define NB_HTTP_FORM_FIELDS_MAX 256u
/* Fields of one back-office form descriptor (web/form.h): the largest form, a service with
 * its fallback ways, has about 20; the values live in a fixed array of the form. */
#define NB_FORM_FIELDS_MAX 48u
/* Header block of one part of a multipart/form-data body (Content-Disposition with name
 * and filename, Content-Type): browsers send well under 512 bytes, a filename of 255 bytes
 * percent-escaped takes 765; 4 KiB leaves room and bounds the work per part. */
#define NB_HTTP_PART_HEADER_MAX (4u * 1024u)
/* A multipart boundary: RFC 2046 section 5.1.1 allows 1 to 70 characters. */
#define NB_HTTP_BOUNDARY_MAX 70u
/* Segments of a request path: the deepest route (/en/staff/cases/ID/notes/ID) has six;
 * the segments are kept in a fixed array, so this also bounds that array. */
#define NB_HTTP_PATH_SEGMENTS_MAX 16u
/* Placeholders of one route pattern: the deepest route (/meldungen/SLUG/LANG/versionen/N)
 * has three. */
#define NB_ROUTE_PARAMS_MAX 4u
/* Extra headers a handler sets on one response (Location, Set-Cookie twice, Cache-Control,
 * Vary, ETag, Content-Language, Content-Disposition, ...); more means a bug. */
#define NB_HTTP_RESPONSE_HEADERS_MAX 12u
/* Worker threads: with epoll each thread serves thousands of connections, so more threads
 * than cores buys nothing; this catches a typo in --threads. */
#define NB_HTTP_THREADS_MAX 64u
/* Graceful stop: seconds that requests already received may take to finish before the
 * remaining connections are closed (systemd waits 90 s before it kills). */
#define NB_HTTP_STOP_GRACE_SECONDS 10u
/* A chunked body that grows past NB_HTTP_BODY_MAX is read on and dropped for up to this many
 * more bytes, so that the client can read its 413 (libmicrohttpd 0.9.75 cannot answer in the
 * middle of an upload); a client that sends more is disconnected. Costs bandwidth, no memory. */
#define NB_HTTP_DISCARD_MAX (1024u * 1024u)
/* Whole request head (request line and headers), in seconds from the moment the connection
 * was accepted or its previous response was sent: a browser sends its head in one packet,
 * on a poor mobile link within a second or two. libmicrohttpd's timeout (NB_HTTP_IDLE_SECONDS)
 * counts idle time only, so a client that trickles one header line every few seconds would
 * hold its connection for ever (slowloris); past this deadline the connection is closed.
 * A keep-alive connection that waits for its next request counts too, so idle keep-alive
 * connections close after this rather than NB_HTTP_IDLE_SECONDS. */
#define NB_HTTP_HEAD_SECONDS 20u
/* Aborted connections (the client went away, a timeout, the head deadline) are logged as one
 * line of counts per this many seconds, not one line each: a flood of them must not bury
 * the log. */
#define NB_HTTP_ABORT_LOG_SECONDS 60u

/* Blocking work (http/pool.h): sign-in (argon2id with 64 MiB), back-office writes and store
 * reads run on a pool of worker threads apart from the event threads, so that public pages
 * never wait behind them. By default one worker per core (argon2id is CPU-bound; more
 * workers than cores only cost 64 MiB each while hashing); at most this many, which catches
 * a typo in --workers. */
#define NB_WORK_THREADS_MAX 64u
/* Requests that may wait for a worker besides the running ones. A sign-in takes 0.1-0.3 s
 * of one core, so 64 waiting are a few seconds of work for a small machine; a client that
 * would wait longer is better told at once to come back (503 with Retry-After). Each waiting
 * request holds its body (at most NB_HTTP_BODY_MAX), so this also bounds that memory. */
#define NB_WORK_QUEUE_DEFAULT 64u
/* The largest --queue: 4096 waiting requests are minutes of sign-ins, and as many bodies. */
#define NB_WORK_QUEUE_MAX 4096u
/* Retry-After of the 503 when the queue is full: a few seconds drain a full default queue. */
#define NB_WORK_RETRY_SECONDS 5u
/* Nice value of the worker threads: when sign-ins and public readers compete for the CPU,
 * the public pages, served from memory in microseconds, go first; a sign-in waits a little
 * longer instead. (bench/public-page on a shared, loaded 2-core machine gave 1.43x and 0.66x
 * front-page throughput during 16 sign-ins at nice 0, 1.12x, 1.03x and 0.90x at 10: too
 * noisy to prove the gain, measure again on a quiet one.) CFS gives a nice-10 thread about
 * a tenth of a busy core, so it is slowed, never starved. What it holds meanwhile can delay the
 * render worker only through the store's read connections (its reads in WAL mode do not wait for
 * the writer), and only when slowed workers hold every one of them. */
#define NB_WORK_NICE 10

/* Store */
/* Commands that one group COMMIT may carry: a group closes when no command waits any more
 * or when this many have joined, so under constant load a command waits for at most this
 * many others before its change is durable. 64 staff commands take a few milliseconds. */
#define NB_STORE_GROUP_MAX 64u

/* Text */
/* A single rendered page; larger means a runaway template or data. */
#define NB_PAGE_MAX (4u * 1024u * 1024u)
/* Markdown source of one notice variant or legal page. */
#define NB_MARKDOWN_MAX (256u * 1024u)
/* Short text fields (titles, names): characters are counted as bytes of UTF-8. */
#define NB_TITLE_MAX 300u
/* Office slugs: lower-case ASCII letters, digits and '-', used in URLs and file names. */
#define NB_SLUG_MAX 63u

/* Fields of the content */
/* A language tag: RFC 5646 section 4.4.1 asks implementations to handle at least 35
 * characters, which covers every tag in use ("de-x-ls" is 7). */
#define NB_LANG_TAG_MAX 35u
/* A host name in text form (RFC 1035: 255 octets on the wire, 253 as text). */
#define NB_HOST_MAX 253u
/* An e-mail address (RFC 5321: a path of 256 octets including the angle brackets). */
#define NB_EMAIL_MAX 254u
/* A telephone number as printed: E.164 allows 15 digits; spaces, a "+", a "-" before the
 * extension and the extension itself fit easily. */
#define NB_PHONE_MAX 32u
/* A short note (operating state, hours exception), a room or a postal address: a few lines
 * on a banner or a card; anything longer belongs in a notice. */
#define NB_NOTE_MAX 1000u
/* Languages of one text set (notice, press update, service, names): the public site offers
 * 14 content languages; 16 leaves room and keeps a form bounded. */
#define NB_LANGS_MAX 16u

/* Hours */
/* Ranges one day may have (weekly slots of one weekday, or one exception): counters open
 * in two or three blocks a day; eight leave room and keep the week view fixed-size.
 * Past it: NB_ERR_LIMIT. */
#define NB_HOURS_DAY_RANGES_MAX 8u
/* How far nb_hours_reach_at looks for the next opening, in local days after today. */
#define NB_HOURS_HORIZON_DAYS 366
/* Weekly slots of one department at most: 7 days, 2 kinds, NB_HOURS_DAY_RANGES_MAX ranges
 * each. */
#define NB_HOURS_WEEK_SLOTS_MAX (7u * 2u * NB_HOURS_DAY_RANGES_MAX)

/* Templates */
/* One template source file. */
#define NB_TEMPLATE_SRC_MAX (1024u * 1024u)
/* Nesting of sections plus partials, so that recursive partials end. */
#define NB_TEMPLATE_DEPTH_MAX 64u
/* Work of one render, in steps (tags visited and list items entered): nested sections over
 * long lists that print nothing would otherwise run for exponential time. A page of
 * NB_PAGE_MAX bytes needs far fewer steps than bytes. */
#define NB_TEMPLATE_STEPS_MAX NB_PAGE_MAX
/* A tag name (dotted path). */
#define NB_TEMPLATE_NAME_MAX 256u

/* Public holidays API: the rules in base/holiday.c hold from 1995 (Buß- und Bettag
 * abolished outside Sachsen); past 2199 a computed calendar claims more than anyone knows. */
#define NB_HOLIDAY_API_YEAR_MIN 1995
#define NB_HOLIDAY_API_YEAR_MAX 2199
/* The most public holidays a Land has in one year (Bayern in 2017: 14), with room: the
 * list of one year is a fixed array of this size. */
#define NB_HOLIDAY_MAX 16

/* Command line */
/* A path given on the command line (data directory, template folder): our paths are built
 * from it with short suffixes in fixed buffers; 1 KiB is far more than any installation
 * uses, and stays well below PATH_MAX (4096). */
#define NB_CONFIG_PATH_MAX 1024
/* Positional arguments of one subcommand: the most any takes is one or two (a directory, a
 * template name); eight catch a mistake without a list that grows. */
#define NB_CONFIG_ARGS_MAX 8

/* Public site (web/site.c, web/app.c) */
/* Language variants of one notice that its pages link: the site knows 14 content
 * languages (web/site.c content_langs); twice that leaves room for other tags. */
#define NB_NOTICE_VARIANTS_MAX 32
/* Weekly slots, exceptions, and the ranges of all exceptions of one department that the
 * hours view takes (each kept in a fixed array): a department has at most
 * NB_HOURS_WEEK_SLOTS_MAX weekly slots, and a year of exceptions at a few ranges a day fits;
 * past it the render fails with NB_ERR_LIMIT rather than show hours that are incomplete. */
#define NB_HOURS_ITEMS_MAX 256
/* A failed render keeps the previous snapshot and is tried again after this many seconds:
 * soon enough that a passing fault (a full disk, a busy database) heals without anyone, rare
 * enough that a persistent one fills the log with one line a minute, not a flood. */
#define NB_RENDER_RETRY_SECONDS 60

/* Journal (domain/journal.h) */
/* Texts of an entry, in bytes: short tokens (actor, action), an object path with a slug, one
 * line of summary; the journal is kept forever, so it stays small. */
#define NB_JOURNAL_ACTOR_MAX 64u
#define NB_JOURNAL_ACTION_MAX 64u
#define NB_JOURNAL_OBJECT_MAX 300u
#define NB_JOURNAL_SUMMARY_MAX 500u
/* An automatic signed checkpoint is made when an entry's sequence number is a multiple of
 * this: a witness then needs at most this many entries to be re-verified. */
#define NB_JOURNAL_CHECKPOINT_EVERY 100

/* Allocation */
/* No single allocation above this (SQLite's approach: a bug or hostile size meets a cap). */
#define NB_ALLOC_MAX (256u * 1024u * 1024u)

/* Store */
/* Offices per instance: an IT provider serves a county's municipalities. */
#define NB_OFFICES_MAX 1000u

/* Sessions (domain/session.h) */
/* Idle timeout: a back-office page left open on an unattended desk in a crowded emergency
 * office must not stay usable; 30 minutes covers a long phone call between two clicks (BSI
 * IT-Grundschutz ORP.4 asks for an inactivity lock, OWASP suggests 15-30 minutes). A session
 * is valid while now - last_seen_at < this. */
#define NB_SESSION_IDLE_SECONDS (30 * 60)
/* Absolute lifetime: one long working day, so a stolen cookie dies overnight even when it is
 * kept alive by requests. Valid while now - created_at < this. */
#define NB_SESSION_ABSOLUTE_SECONDS (12 * 60 * 60)
/* last_seen_at is written at most this often per session, to spare the one writer a write
 * per request; the idle timeout may thus run up to this much early. */
#define NB_SESSION_TOUCH_SECONDS 60
/* The stored user-agent summary ("Firefox on Windows"): browser and system family only,
 * no versions (data minimisation), enough for a user to recognise a device in the list. */
#define NB_SESSION_UA_MAX 32u
/* The client address stored with a session: a textual IPv6 address (INET6_ADDRSTRLEN - 1),
 * which also holds every IPv4 form. */
#define NB_SESSION_CLIENT_MAX 45u

/* Accounts */
/* Login names: a person's short name ("m.mueller"); 64 bytes is more than any office uses. */
#define NB_ACCOUNT_NAME_MAX 64u
/* Passwords in code points: 12 as the BSI Grundschutz (ORP.4) minimum for passwords without
 * composition rules; 128 so that passphrases fit while argon2id input stays bounded. */
#define NB_PASSWORD_MIN 12u
#define NB_PASSWORD_MAX 128u
/* A one-time setup link is valid for 24 hours: long enough to reach the person over a
 * second channel, short enough that a lost printout soon becomes useless. */
#define NB_SETUP_LINK_SECONDS (24 * 60 * 60)
/* The sign-in throttle (domain/throttle.h, docs/signin.md). Failures before a counter delays
 * the next attempt: per (name, client address) pair, 5 (a person mistyping; a stranger's
 * failures from another address never touch the owner's pair); per client address, 20 (a
 * town hall behind one NAT address); per IPv6 /64, 40 (one subscriber's network, where a
 * client picks a fresh address at will). The delay then starts at 1 s and doubles up to
 * NB_THROTTLE_DELAY_MAX (15 min): slow enough to stop guessing, never a lock-out. A counter
 * whose last failure lies NB_THROTTLE_FORGET_SECONDS back is deleted. */
#define NB_THROTTLE_PAIR_FREE 5
#define NB_THROTTLE_ADDR_FREE 20
#define NB_THROTTLE_NET_FREE 40
#define NB_THROTTLE_DELAY_MAX (15 * 60)
#define NB_THROTTLE_FORGET_SECONDS (24 * 60 * 60)
/* The office's budget of password checks (argon2id, 64 MiB and about 0.1 s each) per
 * window: 120 per minute is ten times a busy morning of an office's staff signing in, and
 * with the reserve 150 checks cost about 15 s of one core per minute, so a flood from any
 * number of addresses costs bounded CPU.
 * NB_THROTTLE_RESERVE more per window are kept for (name, address) pairs that signed in
 * successfully within NB_THROTTLE_KNOWN_SECONDS (30 days): the owner at a usual place still
 * gets in while strangers have spent the budget. */
#define NB_THROTTLE_WINDOW_SECONDS 60
#define NB_THROTTLE_BUDGET 120
#define NB_THROTTLE_RESERVE 30
#define NB_THROTTLE_KNOWN_SECONDS (30 * 24 * 60 * 60)
/* Failed sign-ins go into the journal aggregated: one entry per (account or "unknown",
 * client address) and 10-minute window, with the count. At most NB_THROTTLE_JOURNAL_ROWS
 * addresses per office and window get rows of their own; the failures from further
 * addresses are summed in one row per account, so a flood from many addresses writes at
 * most NB_THROTTLE_JOURNAL_ROWS + (accounts + 1) entries per window. */
#define NB_THROTTLE_JOURNAL_SECONDS (10 * 60)
#define NB_THROTTLE_JOURNAL_ROWS 20
/* Bytes of a throttle key: "a" or "u", 32 hex digits or an account id, "|" and an address
 * of at most 45 characters (INET6_ADDRSTRLEN - 1). */
#define NB_THROTTLE_KEY_MAX 96u

/* Standing pages in the back office */
/* The sort number of a service, department or contact: it only orders, it is no count, so
 * a generous bound that leaves room to insert between. */
#define NB_SORT_MAX 1000000u
/* Versions listed in the history of a page's or a notice's editor, newest first: an imprint
 * changes a few times a year, a notice a few times a day in the first week, so 50 reach back
 * years or a week; the editor says how many older ones there are, which stay on record and
 * can be opened by their number. */
#define NB_HISTORY_ROWS 50u
/* Versions on one page of a notice's public history (/meldung/SLUG/versionen, then
 * .../versionen/seite/2, ...): a screen or two, a table a screen reader can walk. Each
 * version is listed on one page only and shown on a page of its own, so rendering grows
 * linearly with the versions (a list on every version page made 800 versions cost 72 s
 * and 1.4 GB). */
#define NB_HISTORY_PAGE_ROWS 50u

/* Journal in the back office */
/* Entries on one page of the journal: a screen or two, and a table a screen reader can
 * still walk row by row. */
#define NB_JOURNAL_PAGE_ROWS 50u
/* Highest page number: paging uses OFFSET, whose cost grows with the page, so a hostile
 * page number must not make SQLite skip more than 50 million rows (years of a county's
 * work); a larger number is refused with 400. */
#define NB_JOURNAL_PAGES_MAX 1000000u
/* One CSV export: years of an office's entries at about 200 bytes each fit many times;
 * past it the export is refused and the user narrows the dates. The body is built in one
 * capped buffer and sent from memory. */
#define NB_JOURNAL_EXPORT_MAX (32u * 1024u * 1024u)

#endif
