"""The secretariat puts a paper on a meeting's shelf from a phone, in French, then adds its
Spanish version; a visitor who is not signed in downloads it."""

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests import samples
from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from workplan.models import Document, DocumentFile

PHONE = {"width": 390, "height": 844}
expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect


def test_a_paper_goes_on_the_shelf_and_anyone_downloads_it(browser, live_server, make, tmp_path):
    meeting = make.meeting(title="Steering Group on skills partnerships")
    secretariat = make.user("secretariat", name="Sam Secretariat")
    paper, translation = tmp_path / "note conceptuelle.pdf", tmp_path / "nota.docx"
    paper.write_bytes(samples.pdf(pages=2))
    translation.write_bytes(samples.docx())
    html = tmp_path / "paper.pdf"
    html.write_bytes(samples.html())

    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    log_in(tab, secretariat.email, PASSWORD)
    tab.goto(f"/meetings/{meeting.id}")
    tab.get_by_role("link", name="Ajouter un document").click()

    # A web page renamed .pdf is refused at the file, and the typing is kept.
    tab.get_by_label("Titre", exact=True).fill("Note conceptuelle sur les partenariats")
    tab.get_by_label("Type de document").select_option(label="Note conceptuelle")
    tab.get_by_label("Qui peut le lire").select_option(label="Public")
    tab.get_by_label("Langue du fichier").select_option(label="Français")
    tab.get_by_label("Fichier", exact=True).set_input_files(str(html))
    tab.get_by_role("button", name="Téléverser le document").click()
    expect(tab.get_by_text("n’est pas un fichier PDF")).to_be_visible()
    assert tab.get_by_label("Titre", exact=True).input_value() == (
        "Note conceptuelle sur les partenariats"
    )

    tab.get_by_label("Fichier", exact=True).set_input_files(str(paper))
    tab.get_by_role("button", name="Téléverser le document").click()
    expect(
        tab.get_by_role("heading", name="Note conceptuelle sur les partenariats")
    ).to_be_visible()
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The Spanish version, on the document's page.
    tab.get_by_label("Langue du fichier").select_option(label="Español")
    tab.get_by_label("Fichier", exact=True).set_input_files(str(translation))
    tab.get_by_label("Ce qui a changé").fill("Traduction")
    tab.get_by_role("button", name="Téléverser la version").click()
    expect(tab.get_by_text("La version 1 en Español est téléversée.")).to_be_visible()
    context.close()

    make.session.expire_all()
    document = make.session.scalars(select(Document)).one()
    languages = make.session.scalars(
        select(DocumentFile.language).order_by(DocumentFile.language)
    ).all()
    assert (document.access, languages) == ("public", ["es", "fr"])

    visitor = browser.new_context(base_url=live_server, accept_downloads=True)
    page = visitor.new_page()
    page.goto(f"/meetings/{meeting.id}")
    shelf = page.locator("#documents")
    expect(shelf.get_by_text("Note conceptuelle sur les partenariats")).to_be_visible()
    with page.expect_download() as caught:
        shelf.get_by_role("link", name="Download in Français: note conceptuelle.pdf").click()
    download = caught.value
    assert download.suggested_filename == "note conceptuelle.pdf"
    assert len(PdfReader(download.path()).pages) == 2
    visitor.close()
