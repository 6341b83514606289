"""Departments and contacts in the back office (/intern/abteilungen, /intern/ansprechpersonen)
through the real binary: who may edit them, CSRF, validation with 422 and the typed values
kept, the limits on both sides, a department that services still name (409), a second
data-protection officer (409), addresses of another office (404), the journal, and changes
that the public /kontakt shows within one second in German and English."""
import re
import time

import pytest

from staff_fixture import (assert_sign_in_first, assert_token_checked, field_error, journal,
                           public, staff_office, wait_live)

LIST = "/intern/abteilungen"
NEW = "/intern/abteilungen/neu"
CONTACTS = "/intern/ansprechpersonen"
CONTACT_NEW = "/intern/ansprechpersonen/neu"
TITLE_MAX = 300   # NB_TITLE_MAX
NOTE_MAX = 1000   # NB_NOTE_MAX
PHONE_MAX = 32    # NB_PHONE_MAX
EMAIL_MAX = 254   # NB_EMAIL_MAX


@pytest.fixture(scope="module")
def office():
    # "amt" is the first office (at "/"), "beta" a second one in the same instance.
    with staff_office("nb-departments-", offices={"amt": "Amt Test", "beta": "Markt Beta"},
                      roles={"anna": "admin", "ben": "editor", "carla": "caseworker",
                             "dora": "dpo", "berta": ("beta", "editor")}) as o:
        yield o.server, o.data, o.browsers


def rows(data, office="amt"):
    """This office's department and contact entries of the journal."""
    slug = "(SELECT slug FROM offices o WHERE o.id = journal.office_id)"
    return [r[1:] for r in journal(data, slug, "action", "object", "summary")
            if r[0] == office and r[1].split(".")[0] in ("department", "contact")]


def dept_section(html, slug):
    m = re.search(r'<section class="dept" id="dept-' + re.escape(slug) + r'"(.*?)</section>',
                  html, re.S)
    return m.group(1) if m else None


def dept_form(token, **changes):
    form = {"csrf": token, "slug": "buergerbuero", "name_de": "Bürgerbüro",
            "name_en": "Citizens' office", "phone": "+49 3841 100-200",
            "email": "buergerbuero@amt.example", "room": "Rathaus, Zimmer 12", "sort": "10"}
    form.update(changes)
    return form


def contact_form(token, **changes):
    form = {"csrf": token, "name": "Erika Muster", "phone": "03841 100-201",
            "email": "e.muster@amt.example", "role_de": "Sachbearbeitung Meldewesen",
            "role_en": "Registration clerk", "department": "buergerbuero", "sort": "1"}
    form.update(changes)
    return form


def create_department(b, **changes):
    r = b.post(NEW, dept_form(b.csrf(NEW, NEW), **changes))
    assert r.status_code == 303, r.text
    return r


def create_contact(b, **changes):
    r = b.post(CONTACT_NEW, contact_form(b.csrf(CONTACT_NEW, CONTACT_NEW), **changes))
    assert r.status_code == 303, r.text
    m = re.fullmatch(re.escape(CONTACTS) + r"/(\d+)\?hinweis=kontakt-angelegt",
                     r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


def test_roles_without_the_right_get_403(office):
    server, data, b = office
    for name in ("anna", "ben"):
        home = b[name].get("/intern/").text
        assert f'href="{LIST}"' in home
        assert b[name].get(LIST).status_code == 200
    token = b["ben"].csrf(NEW, NEW)
    contact_token = b["ben"].csrf(CONTACT_NEW, CONTACT_NEW)
    for name in ("carla", "dora"):
        home = b[name].get("/intern/").text
        assert f'href="{LIST}"' not in home
        for path in (LIST, NEW, LIST + "/irgendwas", LIST + "/irgendwas/loeschen",
                     CONTACT_NEW, CONTACTS + "/1", CONTACTS + "/1/loeschen", "/en" + LIST):
            r = b[name].get(path)
            assert r.status_code == 403 and ("nicht ausführen" in r.text
                                             or "not allowed" in r.text), path
        # The role is checked before the token: a valid token of another account is no help.
        assert b[name].post(NEW, dept_form(token, slug="verboten")).status_code == 403
        assert b[name].post(CONTACT_NEW, contact_form(contact_token)).status_code == 403
        assert b[name].post(LIST + "/irgendwas/loeschen", {"csrf": token}).status_code == 403
    assert rows(data) == []
    assert "verboten" not in public(server, "/kontakt")
    assert_sign_in_first(server, LIST)


def test_csrf_is_checked(office):
    server, data, b = office
    ed = b["ben"]
    token = assert_token_checked(ed, NEW, dept_form("", slug="ohne-token"))
    # A token is bound to its form: the one of the department form adds no contact.
    r = ed.post(CONTACT_NEW, contact_form(token, department="ohne-token"))
    assert r.status_code == 403 and "abgelaufen" in r.text
    assert "ohne-token" not in ed.get(LIST).text
    assert rows(data) == []


def test_department_and_contacts_from_creation_to_removal(office):
    server, data, b = office
    ed = b["ben"]
    empty = ed.get(LIST).text
    assert "Noch keine Abteilungen" in empty and f'href="{NEW}"' in empty

    r = create_department(ed)
    edit = LIST + "/buergerbuero"
    assert r.headers["Location"] == edit + "?hinweis=angelegt"
    page = ed.get(r.headers["Location"]).text
    assert "Die Abteilung ist angelegt" in page and "<code>buergerbuero</code>" in page
    assert 'id="slug"' not in page  # the slug is fixed after creation
    wait_live(server, lambda: dept_section(public(server, "/kontakt"), "buergerbuero") is not None,
              "department on /kontakt")
    de = dept_section(public(server, "/kontakt"), "buergerbuero")
    assert ">Bürgerbüro</h3>" in de and "+49 3841 100-200" in de
    assert "buergerbuero@amt.example" in de and "Rathaus, Zimmer 12" in de
    assert ">Citizens&#39;" in dept_section(public(server, "/en/kontakt"), "buergerbuero")

    # Edit: new names, room over two lines, no e-mail; a slug in the form changes nothing.
    token = ed.csrf(edit, edit)
    r = ed.post(edit, dept_form(token, slug="anders", name_de="Bürgerbüro im Rathaus",
                                name_en="Citizens' office in the town hall", email="",
                                room="Rathaus\nErdgeschoss, Zimmer 3"))
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == edit + "?hinweis=gespeichert"
    wait_live(server, lambda: "Bürgerbüro im Rathaus</h3>" in public(server, "/kontakt"),
              "new German name")
    de = dept_section(public(server, "/kontakt"), "buergerbuero")
    assert "buergerbuero@amt.example" not in de and "Erdgeschoss, Zimmer 3" in de
    assert "in the town hall</h3>" in public(server, "/en/kontakt")
    assert ed.get(LIST + "/anders").status_code == 404

    # A contact, added from the department's page with the department preselected.
    form_page = ed.get(CONTACT_NEW + "?abteilung=buergerbuero").text
    assert re.search(r'<option value="buergerbuero" selected>', form_page)
    cid = create_contact(ed)
    contact = f"{CONTACTS}/{cid}"
    assert "Die Ansprechperson ist angelegt" in ed.get(contact + "?hinweis=kontakt-angelegt").text
    wait_live(server, lambda: "Erika Muster" in public(server, "/kontakt"), "contact on /kontakt")
    de = dept_section(public(server, "/kontakt"), "buergerbuero")
    assert "<strong>Erika Muster</strong>, Sachbearbeitung Meldewesen" in de
    assert "03841 100-201" in de and "e.muster@amt.example" in de
    en = dept_section(public(server, "/en/kontakt"), "buergerbuero")
    assert "<strong>Erika Muster</strong>, Registration clerk" in en
    listing = ed.get(LIST).text
    assert f'href="{contact}">Erika Muster</a>, Sachbearbeitung Meldewesen' in listing
    assert f'href="{edit}"' in listing

    # Edit the contact: another role, no English role, no phone.
    token = ed.csrf(contact, contact)
    r = ed.post(contact, contact_form(token, name="Erika Muster-Beispiel", phone="",
                                      role_de="Leitung Bürgerbüro", role_en=""))
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == contact + "?hinweis=kontakt-gespeichert"
    wait_live(server, lambda: "Erika Muster-Beispiel</strong>, Leitung Bürgerbüro"
              in public(server, "/kontakt"), "changed contact")
    assert "03841 100-201" not in public(server, "/kontakt")
    # Without an English role the English page falls back to the German one.
    assert "Erika Muster-Beispiel</strong>, Leitung Bürgerbüro" in public(server, "/en/kontakt")
    kept = ed.get(contact).text
    assert 'value="Erika Muster-Beispiel"' in kept and 'value="Leitung Bürgerbüro"' in kept

    # Move the contact to a second department.
    create_department(ed, slug="ordnungsamt", name_de="Ordnungsamt", name_en="Public order",
                      phone="", email="", room="", sort="20")
    wait_live(server, lambda: dept_section(public(server, "/kontakt"), "ordnungsamt") is not None,
              "second department")
    token = ed.csrf(contact, contact)
    r = ed.post(contact, contact_form(token, name="Erika Muster-Beispiel",
                                      department="ordnungsamt", role_de="Leitung"))
    assert r.status_code == 303, r.text
    wait_live(server, lambda: "Erika Muster-Beispiel" in
              (dept_section(public(server, "/kontakt"), "ordnungsamt") or ""), "moved contact")
    assert "Erika" not in dept_section(public(server, "/kontakt"), "buergerbuero")

    # Remove the contact, then the department (which takes its contacts and hours along).
    token = ed.csrf(contact, contact + "/loeschen")
    assert ed.get(contact + "/loeschen").status_code == 405
    r = ed.post(contact + "/loeschen", {"csrf": token})
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == LIST + "/ordnungsamt?hinweis=kontakt-entfernt"
    assert "Die Ansprechperson ist entfernt" in ed.get(r.headers["Location"]).text
    wait_live(server, lambda: "Erika" not in public(server, "/kontakt"), "contact removed publicly")
    assert ed.get(contact).status_code == 404
    # The token of a removed contact's form changes nothing any more.
    assert ed.post(contact, contact_form(token)).status_code == 404

    extra = create_contact(ed, name="Hans Hilfe", department="ordnungsamt")
    token = ed.csrf(LIST + "/ordnungsamt", LIST + "/ordnungsamt/loeschen")
    r = ed.post(LIST + "/ordnungsamt/loeschen", {"csrf": token})
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == LIST + "?hinweis=entfernt"
    assert "Die Abteilung ist entfernt" in ed.get(r.headers["Location"]).text
    wait_live(server, lambda: dept_section(public(server, "/kontakt"), "ordnungsamt") is None,
              "department removed publicly")
    assert "Hans Hilfe" not in public(server, "/kontakt")
    assert ed.get(LIST + "/ordnungsamt").status_code == 404
    assert ed.get(f"{CONTACTS}/{extra}").status_code == 404
    token = ed.csrf(edit, edit)
    r = ed.post(edit, dept_form(token, name_de="Bürgerbüro", email="", room=""))
    assert r.status_code == 303

    # The journal names slugs and ids, never names, numbers or addresses of people.
    assert rows(data) == [
        ("department.put", "department/buergerbuero", "created"),
        ("department.put", "department/buergerbuero", "changed"),
        ("contact.add", f"contact/{cid}", "added, department buergerbuero"),
        ("contact.update", f"contact/{cid}", "changed, department buergerbuero"),
        ("department.put", "department/ordnungsamt", "created"),
        ("contact.update", f"contact/{cid}", "changed, department ordnungsamt"),
        ("contact.remove", f"contact/{cid}", "removed from department ordnungsamt"),
        ("contact.add", f"contact/{extra}", "added, department ordnungsamt"),
        ("department.remove", "department/ordnungsamt", "removed, contacts removed with it: 1"),
        ("department.put", "department/buergerbuero", "changed"),
    ]
    text = "\n".join("|".join(r) for r in journal(data))
    for personal in ("Erika", "Muster", "Hans", "100-201", "@amt.example"):
        assert personal not in text


def test_invalid_input_comes_back_with_messages(office):
    server, data, b = office
    ed = b["anna"]
    before = rows(data)
    token = ed.csrf(NEW, NEW)

    def post(path=NEW, form=None, status=422):
        r = ed.post(path, form)
        assert r.status_code == status, r.text
        assert 'role="alert"' in r.text
        return r.text

    html = post(form=dept_form(token, slug="Böse Adresse", name_de="Getippter <Name> bleibt",
                               room="Zimmer\n12"))
    assert "Kleinbuchstaben" in field_error(html, "slug")
    assert 'value="Böse Adresse"' in html
    assert 'value="Getippter &lt;Name&gt; bleibt"' in html  # kept, escaped
    # The texts typed for a language carry it; the labels and messages around them are in
    # the page's language.
    assert 'id="name_en" lang="en"' in html and "<fieldset class=\"field\" lang=" not in html
    assert ">Zimmer\n12</textarea>" in html
    assert "name_de-error" not in html
    assert "Kleinbuchstaben" in field_error(post(form=dept_form(token, slug="neu")), "slug")
    create_department(ed, slug="vorhanden", name_de="Vorhanden")
    html = post(form=dept_form(token, slug="vorhanden", name_de="Doppelt"))
    assert "gibt es schon" in field_error(html, "slug")
    assert "Namen" in field_error(post(form=dept_form(token, slug="x1", name_de=" ")), "name_de")
    html = post(form=dept_form(token, slug="x1", name_en="Zeile\teins"))
    assert "Steuerzeichen" in field_error(html, "name_en")
    html = post(form=dept_form(token, slug="x1", phone="keine Nummer"))
    assert "Telefonnummer" in field_error(html, "phone")
    assert 'value="keine Nummer"' in html
    html = post(form=dept_form(token, slug="x1", email="kein-at.example"))
    assert "E-Mail" in field_error(html, "email")
    html = post(form=dept_form(token, slug="x1", sort="-1"))
    assert "ganze Zahl" in field_error(html, "sort")
    html = post(form=dept_form(token, slug="x1", sort="1000001"))  # NB_SORT_MAX + 1
    assert "ganze Zahl" in field_error(html, "sort")

    en_token = ed.csrf("/en" + NEW, "/en" + NEW)
    r = ed.post("/en" + NEW, dept_form(en_token, slug="x1", name_de=""))
    assert r.status_code == 422 and "Please enter the department" in r.text

    # The contact form: name required, department from the list, fields as typed.
    ctoken = ed.csrf(CONTACT_NEW, CONTACT_NEW)
    html = post(CONTACT_NEW, contact_form(ctoken, name="", department="vorhanden",
                                          role_de="Getippte Funktion"))
    assert "Namen" in field_error(html, "name")
    assert 'value="Getippte Funktion"' in html
    assert re.search(r'<option value="vorhanden" selected>', html)
    html = post(CONTACT_NEW, contact_form(ctoken, department="gibt-es-nicht"))
    assert "Abteilung" in field_error(html, "department")
    html = post(CONTACT_NEW, contact_form(ctoken, department=""))
    assert "Abteilung" in field_error(html, "department")
    html = post(CONTACT_NEW, contact_form(ctoken, department="vorhanden", email="a@b"))
    assert "E-Mail" in field_error(html, "email")
    html = post(CONTACT_NEW, contact_form(ctoken, department="vorhanden", phone="12"))
    assert "Telefonnummer" in field_error(html, "phone")
    html = post(CONTACT_NEW, contact_form(ctoken, department="vorhanden", sort="eins"))
    assert "ganze Zahl" in field_error(html, "sort")
    html = post(CONTACT_NEW, contact_form(ctoken, department="vorhanden", role_en="Funktion\tmit Tabulator"))
    assert "Steuerzeichen" in field_error(html, "role_en")

    assert rows(data) == before + [("department.put", "department/vorhanden", "created")]
    assert dept_section(public(server, "/kontakt"), "x1") is None
    assert "Erika" not in public(server, "/kontakt")


def test_limits_on_both_sides(office):
    server, data, b = office
    ed = b["ben"]
    token = ed.csrf(NEW, NEW)
    name_max = "ä" * (TITLE_MAX // 2)          # counted as bytes of UTF-8
    room_max = "Zimmer " + "9" * (NOTE_MAX - 7)
    phone_max = "+49 " + "1" * (PHONE_MAX - 4)
    domain = "b" * 63 + "." + "c" * 63 + "." + "d" * (EMAIL_MAX - 64 - 1 - 128)
    email_max = "a" * 64 + "@" + domain
    assert len(name_max.encode()) == TITLE_MAX and len(email_max) == EMAIL_MAX

    for field, too_long in (("name_de", name_max + "a"), ("name_en", name_max + "a"),
                            ("room", room_max + "9"), ("phone", phone_max + "1"),
                            ("email", "a" * 64 + "@" + domain + "d")):
        r = ed.post(NEW, dept_form(token, slug="grenzen", **{field: too_long}))
        assert r.status_code == 422, field
        assert "höchstens" in field_error(r.text, field), field
    r = ed.post(NEW, dept_form(token, slug="grenzen", name_de=name_max, name_en=name_max,
                               room=room_max, phone=phone_max, email=email_max,
                               sort="1000000"))  # NB_SORT_MAX
    assert r.status_code == 303, r.text
    wait_live(server, lambda: name_max + "</h3>" in public(server, "/kontakt"), "longest name")
    assert room_max in public(server, "/kontakt")

    ctoken = ed.csrf(CONTACT_NEW, CONTACT_NEW)
    for field in ("name", "role_de", "role_en"):
        r = ed.post(CONTACT_NEW, contact_form(ctoken, department="grenzen",
                                              **{field: name_max + "a"}))
        assert r.status_code == 422, field
        assert "höchstens 300 Byte" in field_error(r.text, field)
    cid = create_contact(ed, department="grenzen", name=name_max, role_de=name_max,
                         role_en=name_max, phone=phone_max, email=email_max)
    wait_live(server, lambda: f"<strong>{name_max}</strong>, {name_max}" in public(server, "/kontakt"),
              "longest contact")
    contact = f"{CONTACTS}/{cid}"
    token = ed.csrf(contact, contact + "/loeschen")
    assert ed.post(contact + "/loeschen", {"csrf": token}).status_code == 303
    token = ed.csrf(LIST + "/grenzen", LIST + "/grenzen/loeschen")
    assert ed.post(LIST + "/grenzen/loeschen", {"csrf": token}).status_code == 303


def test_department_named_by_a_service_cannot_be_removed(office):
    server, data, b = office
    ed = b["ben"]
    create_department(ed, slug="standesamt", name_de="Standesamt", name_en="Registry office")
    svc_new = "/intern/leistungen/neu"
    r = ed.post(svc_new, {"csrf": ed.csrf(svc_new, svc_new), "slug": "geburtsurkunde",
                          "state": "online", "department": "standesamt", "other_office": "",
                          "sort": "1", "name_de": "Geburtsurkunde", "description_de": "",
                          "fallback_de": "", "name_en": "", "description_en": "",
                          "fallback_en": ""})
    assert r.status_code == 303, r.text
    wait_live(server, lambda: dept_section(public(server, "/kontakt"), "standesamt") is not None,
              "department on /kontakt")
    before = rows(data)

    dept = LIST + "/standesamt"
    token = ed.csrf(dept, dept + "/loeschen")
    r = ed.post(dept + "/loeschen", {"csrf": token})
    assert r.status_code == 409, r.text
    assert 'role="alert"' in r.text and "noch für die folgenden Leistungen" in r.text
    assert '<a href="/intern/leistungen/geburtsurkunde">Geburtsurkunde</a>' in r.text
    assert 'value="Standesamt"' in r.text  # the page stays usable
    en = ed.post("/en" + dept + "/loeschen",
                 {"csrf": ed.csrf("/en" + dept, "/en" + dept + "/loeschen")})
    assert en.status_code == 409 and "still responsible" in en.text
    assert rows(data) == before
    assert ed.get(dept).status_code == 200
    time.sleep(0.2)
    assert dept_section(public(server, "/kontakt"), "standesamt") is not None

    # Once the service names no department, the department can go.
    svc = "/intern/leistungen/geburtsurkunde"
    r = ed.post(svc, {"csrf": ed.csrf(svc, svc), "state": "online", "department": "",
                      "other_office": "", "sort": "1", "name_de": "Geburtsurkunde",
                      "description_de": "", "fallback_de": "", "name_en": "",
                      "description_en": "", "fallback_en": ""})
    assert r.status_code == 303, r.text
    r = ed.post(dept + "/loeschen", {"csrf": token})
    assert r.status_code == 303, r.text
    wait_live(server, lambda: dept_section(public(server, "/kontakt"), "standesamt") is None,
              "department removed")
    assert rows(data)[-1] == ("department.remove", "department/standesamt",
                              "removed, contacts removed with it: 0")


def test_second_data_protection_officer_is_refused(office):
    server, data, b = office
    ed = b["ben"]
    create_department(ed, slug="datenschutz", name_de="Datenschutz", name_en="Data protection")
    first = create_contact(ed, name="Dana Schutz", department="datenschutz", is_dpo="1")
    wait_live(server, lambda: re.search(r'class="dpo".*?<strong>Dana Schutz</strong>',
                                public(server, "/kontakt"), re.S), "DPO on /kontakt")
    assert "Dana Schutz" in re.search(r'<section class="dpo".*?</section>',
                                      public(server, "/en/kontakt"), re.S).group(0)
    # The form names the current DPO.
    form = ed.get(CONTACT_NEW).text
    assert "Zurzeit ist Dana Schutz eingetragen" in form
    assert "Zurzeit ist" not in ed.get(f"{CONTACTS}/{first}").text
    before = rows(data)

    token = ed.csrf(CONTACT_NEW, CONTACT_NEW)
    r = ed.post(CONTACT_NEW, contact_form(token, name="Zweite Person", department="datenschutz",
                                          is_dpo="1"))
    assert r.status_code == 409, r.text
    assert "Dana Schutz ist bereits" in field_error(r.text, "is_dpo")
    assert 'value="Zweite Person"' in r.text and 'name="is_dpo" value="1" checked' in r.text
    assert rows(data) == before
    assert "Zweite Person" not in ed.get(LIST).text

    second = create_contact(ed, name="Zweite Person", department="datenschutz")
    contact = f"{CONTACTS}/{second}"
    token = ed.csrf(contact, contact)
    r = ed.post(contact, contact_form(token, name="Zweite Person", department="datenschutz",
                                      is_dpo="1"))
    assert r.status_code == 409 and "Dana Schutz ist bereits" in r.text
    en_token = ed.csrf("/en" + contact, "/en" + contact)
    r = ed.post("/en" + contact, contact_form(en_token, name="Zweite Person",
                                              department="datenschutz", is_dpo="1"))
    assert r.status_code == 409 and "Dana Schutz is already marked" in r.text
    time.sleep(0.2)
    dpo = re.search(r'<section class="dpo".*?</section>', public(server, "/kontakt"), re.S)
    assert "Dana Schutz" in dpo.group(0) and "Zweite" not in dpo.group(0)

    # Handing over: clear the flag at the first, then set it at the second.
    first_path = f"{CONTACTS}/{first}"
    r = ed.post(first_path, contact_form(ed.csrf(first_path, first_path), name="Dana Schutz",
                                         department="datenschutz"))
    assert r.status_code == 303
    r = ed.post(contact, contact_form(token, name="Zweite Person", department="datenschutz",
                                      is_dpo="1"))
    assert r.status_code == 303, r.text
    wait_live(server, lambda: re.search(r'class="dpo".*?<strong>Zweite Person</strong>',
                                public(server, "/kontakt"), re.S), "new DPO on /kontakt")
    assert rows(data)[-2:] == [
        ("contact.update", f"contact/{first}", "changed, department datenschutz"),
        ("contact.update", f"contact/{second}",
         "changed, department datenschutz, data-protection officer"),
    ]
    assert "(datenschutzbeauftragt)" in ed.get(LIST).text


def test_addresses_of_another_office_are_404(office):
    server, data, b = office
    ed, other = b["ben"], b["berta"]
    # The second office's editor works under /beta/intern/.
    beta_new = "/beta" + NEW
    r = other.post(beta_new, dept_form(other.csrf(beta_new, beta_new), slug="beta-amt",
                                       name_de="Beta-Amt", name_en="Beta office"))
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == "/beta/intern/abteilungen/beta-amt?hinweis=angelegt"
    beta_cnew = "/beta" + CONTACT_NEW
    r = other.post(beta_cnew, contact_form(other.csrf(beta_cnew, beta_cnew),
                                           name="Bettina Beta", department="beta-amt"))
    assert r.status_code == 303, r.text
    beta_id = int(re.search(r"/ansprechpersonen/(\d+)\?", r.headers["Location"]).group(1))
    wait_live(server, lambda: "Bettina Beta" in public(server, "/beta/kontakt"), "beta contact",
              office="beta")
    before = journal(data)

    # The first office's editor: the slug and the id are unknown in "amt".
    own = create_contact(ed, name="Amt Eigen", department="buergerbuero")
    own_path = f"{CONTACTS}/{own}"
    own_token = ed.csrf(own_path, own_path)
    own_remove = ed.csrf(own_path, own_path + "/loeschen")
    before = journal(data)
    assert ed.get(LIST + "/beta-amt").status_code == 404
    assert ed.get(f"{CONTACTS}/{beta_id}").status_code == 404
    r = ed.post(LIST + "/beta-amt", dept_form(own_token, name_de="Übernommen"))
    assert r.status_code == 404
    r = ed.post(LIST + "/beta-amt/loeschen", {"csrf": own_remove})
    assert r.status_code == 404
    r = ed.post(f"{CONTACTS}/{beta_id}", contact_form(own_token, name="Übernommen"))
    assert r.status_code == 404
    r = ed.post(f"{CONTACTS}/{beta_id}/loeschen", {"csrf": own_remove})
    assert r.status_code == 404
    # Moving one's own contact into the other office's department is refused.
    r = ed.post(own_path, contact_form(own_token, name="Amt Eigen", department="beta-amt"))
    assert r.status_code == 422 and "Abteilung" in field_error(r.text, "department")
    # A session of "amt" is no session in "beta".
    r = ed.get("/beta" + LIST)
    assert r.status_code == 303 and r.headers["Location"] == "/beta/intern/anmelden"
    assert journal(data) == before
    time.sleep(0.2)
    assert "Bettina Beta" in public(server, "/beta/kontakt")
    assert "Übernommen" not in public(server, "/beta/kontakt")
    assert other.get(f"/beta{CONTACTS}/{beta_id}").status_code == 200
    assert other.get(f"/beta{CONTACTS}/{own}").status_code == 404
    # The same slug in both offices names two departments.
    create_department(ed, slug="beta-amt", name_de="Amt-Kopie")
    wait_live(server, lambda: "Amt-Kopie</h3>" in public(server, "/kontakt"), "own beta-amt")
    assert "Amt-Kopie" not in public(server, "/beta/kontakt")
    assert rows(data, "beta") == [
        ("department.put", "department/beta-amt", "created"),
        ("contact.add", f"contact/{beta_id}", "added, department beta-amt"),
    ]


def test_addresses_and_methods(office):
    server, data, b = office
    ed = b["ben"]
    for path in (LIST + "/", LIST + "/Gross", LIST + "/-x", LIST + "/buergerbuero/mehr",
                 LIST + "/buergerbuero/loeschen/x", CONTACTS, CONTACTS + "/", CONTACTS + "/0",
                 CONTACTS + "/abc", CONTACTS + "/1x", CONTACTS + "/99999999",
                 CONTACTS + "/99999999999999999999", CONTACTS + "/1/mehr"):
        assert ed.get(path).status_code == 404, path
    create_department(ed, slug="adressen", name_de="Adressen")
    cid = create_contact(ed, department="adressen")
    assert ed.get(f"{CONTACTS}/{cid}").status_code == 200
    assert ed.get(f"{CONTACTS}/0{cid}").status_code == 404  # one address per contact
    r = ed.post(LIST, {"csrf": "x"})
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD"
    r = ed.get(LIST + "/buergerbuero/loeschen")
    assert r.status_code == 405 and r.headers["Allow"] == "POST"
    en = ed.get("/en" + LIST)
    assert en.status_code == 200 and "Departments and contacts" in en.text
    assert "Add a contact" in en.text
