"""Matching rules of the identity issue (item 3 and 4), each on an invented case that failed before:
names alone never join address-book cards; a nickname at a company spelt differently joins; a CRM
contact whose company shows only as the e-mail domain joins; companies sharing a domain are one."""

from __future__ import annotations

from graphapp import service

OWNER = "dana@tidewell.example.com"
HUBSPOT = (b'"Record ID","First Name","Last Name","Email","Phone Number","Contact owner","Associated Company"\n')
CONNECTIONS = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def vcard(name: str, tel: str) -> bytes:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nTEL;type=CELL:{tel}\r\nEND:VCARD\r\n".encode()


def names(store, text: str) -> list[str]:
    return sorted(p.name for p in service.search_people(store, text))


def test_two_cards_with_one_name_and_different_phones_stay_two_people(tmp_path):
    book = vcard("Sam Reed", "+1 617 555 0101") + vcard("Sam T. Reed", "+1 617 555 0199")
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("contacts.vcf", book)], owner=OWNER)
        assert names(store, "Reed") == ["Sam Reed", "Sam T. Reed"]
        again = service.import_uploads(store, [("contacts-again.vcf", book)], owner=OWNER)  # the same cards
        assert again.people_added == 0 and names(store, "Reed") == ["Sam Reed", "Sam T. Reed"]


def test_a_name_alone_never_joins_two_address_books(tmp_path):
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("a.vcf", vcard("Sam Reed", "+1 617 555 0101"))], owner=OWNER)
        service.import_uploads(store, [("b.vcf", vcard("Sam Reed", "+1 212 555 0177"))], owner="ruth@tidewell.example.com")
        assert names(store, "Reed") == ["Sam Reed", "Sam Reed"]


def test_a_nickname_at_a_company_spelt_differently_in_the_crm_is_one_person(tmp_path):
    linkedin = CONNECTIONS + b'Kate,Moreno,https://www.linkedin.com/in/kate-moreno-hg,,"Hollis & Grant ""HG"" LLP",Partner,06 Jan 2021\n'
    crm = HUBSPOT + b'"1","Katherine","Moreno","k.moreno@hollisgrant.example.com","","","Hollis and Grant"\n'
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("Connections.csv", linkedin)], owner=OWNER)
        report = service.import_uploads(store, [("hubspot.csv", crm)], owner=OWNER)
        assert len(names(store, "Moreno")) == 1, names(store, "Moreno")
        assert [why for _, _, why in report.merges] == ["same name at the same organisation"]


def test_a_crm_contact_whose_company_is_only_the_e_mail_domain_joins_the_person_there(tmp_path):
    crm = (HUBSPOT + b'"1","Ann","Lee","ann.lee@hollisgrant.example.com","","","Hollis and Grant"\n'
           b'"2","Katherine","Moreno","k.moreno@hollisgrant.example.com","","",""\n')
    linkedin = CONNECTIONS + b"Kate,Moreno,https://www.linkedin.com/in/kate-moreno-hg,,Hollis & Grant LLP,Partner,06 Jan 2021\n"
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("hubspot.csv", crm)], owner=OWNER)
        service.import_uploads(store, [("Connections.csv", linkedin)], owner=OWNER)
        assert len(names(store, "Moreno")) == 1, names(store, "Moreno")


def test_a_free_mail_domain_is_never_a_company(tmp_path):
    crm = (HUBSPOT + b'"1","Ann","Lee","ann.lee@gmail.com","","","Gmail Fans Club"\n'
           b'"2","Katherine","Moreno","kmoreno@gmail.com","","",""\n')
    linkedin = CONNECTIONS + b"Katherine,Moreno,,,Gmail Fans Club,Member,06 Jan 2021\n"
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("hubspot.csv", crm)], owner=OWNER)
        service.import_uploads(store, [("Connections.csv", linkedin)], owner=OWNER)
        assert names(store, "Moreno") == ["Katherine Moreno", "Katherine Moreno"]


def test_companies_whose_people_share_an_e_mail_domain_are_one_organisation(tmp_path):
    crm = (HUBSPOT + b'"1","Ann","Lee","ann.lee@northpine.example.com","","","Northpine"\n'
           b'"2","Bo","Tran","bo.tran@northpine.example.com","","","Northpine Freight Inc."\n')
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("hubspot.csv", crm)], owner=OWNER)
        [org] = service.search_organizations(store, "Northpine")
        assert store.counts().organizations == 1, org


def test_the_teams_own_company_is_never_a_target_account(tmp_path):
    targets = (b"account,domain,owner_rep_email,priority\n"
               b"Tidewell Systems,tidewell.example.com,,high\nLark Hotels,larkhotels.example.com,,medium\n")
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.add_rep(store, name="Dana Whitfield", email=OWNER)
        report = service.import_uploads(store, [("targets.csv", targets)])
        assert [o.name for o in store.list_organizations() if o.is_target] == ["Lark Hotels"]
        assert any("Tidewell Systems is the team's own company: not taken as a target account" in w[2]
                   for f in report.files for w in f.warnings), report.files


def test_an_old_export_without_urls_joins_the_same_owners_newer_one_by_name_and_connected_on(tmp_path):
    old = (b"First Name,Last Name,Email Address,Company,Position,Connected On\n"
           b"Kim,Ode,,Acme Freight,Analyst,06 Jan 2021\nLee,Park,,Acme Freight,Analyst,07 Jan 2021\n")
    new = CONNECTIONS + (b"Kim,Ode,https://www.linkedin.com/in/kim-ode,,Globex,Director,06 Jan 2021\n"
                         b"Lee,Park,https://www.linkedin.com/in/lee-park,,Globex,Director,09 Mar 2023\n")
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("Connections.csv", old)], owner=OWNER)
        report = service.import_uploads(store, [("Connections.csv", new)], owner=OWNER)
        assert names(store, "Kim Ode") == ["Kim Ode"]  # the same connection, a new job since
        assert names(store, "Lee Park") == ["Lee Park", "Lee Park"]  # connected on another day: no deciding key
        assert [why for _, name, why in report.merges if name == "Kim Ode"] == [
            "same name and LinkedIn connection date in the owner's archive"]


def test_a_company_in_another_script_and_its_english_name_are_one_by_their_peoples_domain(tmp_path):
    crm = HUBSPOT + ('"1","Aiko","Sato","aiko.sato@hokusho.example.com","","","北松物流株式会社"\n'
                     '"2","Ken","Mori","ken.mori@hokusho.example.com","","","Hokusho Logistics"\n').encode()
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("hubspot.csv", crm)], owner=OWNER)
        assert store.counts().organizations == 1


def test_a_name_in_another_script_and_in_latin_letters_is_one_person_when_a_record_holds_both_keys(tmp_path):
    linkedin = CONNECTIONS + "지현,김,https://www.linkedin.com/in/jihyun-kim-hk,,Hanbit Kiln,Director,06 Jan 2021\n".encode()
    crm = (b"Name,Email,LinkedIn\nJihyun Kim,jihyun.kim@hanbit.example.com,https://www.linkedin.com/in/jihyun-kim-hk\n")
    book = vcard("Jihyun Kim", "+82 2 555 0101").replace(b"END:VCARD", b"EMAIL:jihyun.kim@hanbit.example.com\r\nEND:VCARD")
    mapping = {"crm.csv": {"Name": "name", "Email": "email", "LinkedIn": "linkedin"}}
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("Connections.csv", linkedin)], owner=OWNER)
        service.import_uploads(store, [("contacts.vcf", book)], owner=OWNER)
        assert store.counts().people == 3  # 김지현, Jihyun Kim of the address book, the rep
        service.import_uploads(store, [("crm.csv", crm)], owner=OWNER, mappings=mapping)
        assert store.counts().people == 2


def orgs(store) -> list[str]:
    return sorted(o.name for o in store.list_organizations())


def test_a_brand_alone_meets_the_company_whose_domain_spells_it(tmp_path):
    linkedin = CONNECTIONS + b"Ann,Lee,https://www.linkedin.com/in/ann-lee-cv,,Corvane,Buyer,06 Jan 2021\n"
    crm = HUBSPOT + b'"1","Bo","Tran","bo.tran@corvane.example.com","","","Corvane Textiles"\n'
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("hubspot.csv", crm)], owner=OWNER)
        service.import_uploads(store, [("Connections.csv", linkedin)], owner=OWNER)
        assert store.counts().organizations == 1


def test_companies_that_share_a_first_word_stay_two_and_a_lone_address_is_not_placed_between_them(tmp_path):
    crm = HUBSPOT + (b'"1","Ann","Lee","ann@ivy1.example.com","","","Ivybridge North Plastics"\n'
                     b'"2","Bo","Tran","bo@ivy2.example.com","","","Ivybridge North Machining"\n')
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("hubspot.csv", crm)], owner=OWNER)
        assert orgs(store) == ["Ivybridge North Machining", "Ivybridge North Plastics"]
        lone = HUBSPOT + b'"3","Cy","Moss","cy@ivybridge.example.com","","",""\n'
        service.import_uploads(store, [("lone.csv", lone)], owner=OWNER)
        [cy] = service.search_people(store, "Cy Moss")
        assert store.employments_of(cy.id) == []  # "ivybridge" spells both: the address alone cannot tell


def test_a_work_address_finds_the_one_company_its_domain_begins(tmp_path):
    sheet = (b"rep_email,person_name,person_email,person_linkedin,company,relationship,profession,since,last_contact,notes\n"
             b"dana@tidewell.example.com,Celeste Jessop,,,Brackenridge Marine Supply,customer,,2022-05-10,2025-09-03,\n")
    crm = HUBSPOT + b'"1","Celeste","Jessop","celeste.jessop@brackenridge.example.com","","",""\n'
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("relationships.csv", sheet)])
        service.import_uploads(store, [("hubspot.csv", crm)], owner=OWNER)
        assert names(store, "Jessop") == ["Celeste Jessop"]


def test_a_work_address_never_lands_at_a_company_that_has_another_domain(tmp_path):
    """dunstan81.example.com is not Dunstan Paper Mills of dunstan.example.com (a namesake company): the
    address alone says only that its company is some other one."""
    crm = HUBSPOT + (b'"1","Ann","Lee","ann.lee@dunstan.example.com","","","Dunstan Paper Mills"\n'
                     b'"2","Bo","Tran","bo.tran@dunstan81.example.com","","",""\n'
                     b'"3","Cy","Moss","cy.moss@dunstan.example.com","","",""\n')
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("hubspot.csv", crm)], owner=OWNER)
        [(mills, _)] = store.search_organizations("Dunstan Paper Mills")
        ids = [pid for text in ("Lee", "Tran", "Moss") for pid, _ in store.search_people(text)]
        people = {p.name: p.id for p in store.get_people(ids).values()}
        at_mills = {name for name, pid in people.items() if any(j.org_id == mills for j in store.employments_of(pid))}
        assert set(people) == {"Ann Lee", "Bo Tran", "Cy Moss"} and at_mills == {"Ann Lee", "Cy Moss"}


def test_group_is_not_part_of_a_companys_name(tmp_path):
    crm = HUBSPOT + (b'"1","Ann","Lee","","","","Marlowe Steelworks Group"\n'
                     b'"2","Bo","Tran","","","","Marlowe Steelworks"\n')
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("hubspot.csv", crm)], owner=OWNER)
        assert store.counts().organizations == 1


def test_a_records_keys_come_strongest_rule_first(tmp_path):
    """``record_keys`` gives them in ``rules.order`` (the people resolver relies on it, without sorting)."""
    from datetime import date

    from graphapp.model import Rep, Visibility
    from ingest.resolve import rules
    from ingest.resolve.resolver import Resolver

    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.add_rep(store, name="Zed Ambers", email="zed.ambers@tidewell.example.com")
        owner = Rep(email=OWNER, person_id="p-dana", name="Dana")
        r = Resolver(store, "i1", owner, Visibility.EXISTENCE)
        r.resolve_orgs([])
        r.prepare_team([])
        r.org_of[(0, "Tidewell Systems")] = "o-tidewell"
        seen = 0
        for url in (None, "https://www.linkedin.com/in/zed"):
            for emails in ((), ("zz@tidewell.example.com",), ("b@tidewell.example.com", "a@x.example.com")):
                for company in (None, "Tidewell Systems"):
                    for fact, connected in (("connection", date(2021, 1, 6)), ("message", None), ("contact", None)):
                        keys = r.record_keys(0, url, emails, "Zed Ambers", company, False, OWNER, (), connected, fact)
                        assert keys == sorted(keys, key=rules.order), keys
                        seen += any(k.startswith("rep:") for k in keys)
        assert seen  # the teammate's key was among them
