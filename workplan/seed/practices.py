"""Demo data for the good-practice library: themes, and practices invented to show every state
of a review, in the three languages, with the governments that took them up. All of it says it
is invented."""

from datetime import timedelta

from workplan.extensions import db
from workplan.models import Practice, PracticeAdoption, PracticeTarget, Theme
from workplan.seed import CURRENT, DEMO
from workplan.services.practices import search_text

THEMES = (
    ("Labour mobility", "Mobilité de la main-d’œuvre", "Movilidad laboral"),
    ("Remittances and diaspora", "Envois de fonds et diaspora", "Remesas y diáspora"),
    (
        "Migrants' rights and protection",
        "Droits et protection des migrants",
        "Derechos y protección de los migrantes",
    ),
    (
        "Climate change and human mobility",
        "Changements climatiques et mobilité humaine",
        "Cambio climático y movilidad humana",
    ),
    ("Integration and inclusion", "Intégration et inclusion", "Integración e inclusión"),
)

# title, (title_fr, title_es), summary, (summary_fr, summary_es), year, countries, partners,
# themes, SDG targets, state, submitting government.
PRACTICES = (
    (
        "Cheaper remittances through a price comparison portal",
        (
            "Des envois de fonds moins chers grâce à un comparateur de prix",
            "Remesas más baratas gracias a un comparador de precios",
        ),
        "A public website compares the fees and exchange margins of money transfer operators "
        "on the main corridors, so that migrants choose the cheapest way to send money home.",
        (
            "Un site public compare les frais et les marges de change des opérateurs de "
            "transfert d’argent sur les principaux corridors, pour que les migrants choisissent "
            "la façon la moins chère d’envoyer de l’argent au pays.",
            "Un sitio web público compara las comisiones y los márgenes de cambio de los "
            "operadores de transferencias en los principales corredores, para que los migrantes "
            "elijan la forma más barata de enviar dinero a su país.",
        ),
        2012,
        ("SWE", "PHL"),
        ("World Bank",),
        (1,),
        ("10.c",),
        "published",
        "SWE",
    ),
    (
        "Pre-departure orientation for migrant workers",
        (
            "Orientation avant le départ des travailleurs migrants",
            "Orientación previa a la partida de los trabajadores migrantes",
        ),
        "Every worker leaving for a job abroad follows a one-day course on their rights, their "
        "contract, the country they go to and whom to call for help.",
        (None, None),
        2008,
        ("PHL",),
        ("ILO", "IOM"),
        (0, 2),
        ("8.8", "10.7"),
        "published",
        "PHL",
    ),
    (
        "Skills partnership with countries of origin",
        (None, None),
        "Training in the country of origin to the standards of the country of destination, "
        "open both to those who will migrate and to those who will stay.",
        (None, None),
        2018,
        ("MEX",),
        ("IOM",),
        (0,),
        ("4.b", "10.7"),
        "published",
        None,
    ),
    (
        "Planned relocation of communities at risk of flooding",
        (None, None),
        "Communities consulted and moved, with their livelihoods, before the floods come.",
        (None, None),
        2021,
        ("PHL",),
        (),
        (3,),
        ("10.7",),
        "submitted",
        "PHL",
    ),
    (
        "One-stop shop for newly arrived migrants",
        (None, None),
        "A single office where newcomers register, learn the language and find work.",
        (None, None),
        2016,
        ("SWE",),
        (),
        (4,),
        (),
        "draft",
        "SWE",
    ),
)


def load(loader) -> None:
    """The themes, the practices and their adoptions, on the governments, organisations and
    accounts the loader has made."""
    themes = []
    for name, name_fr, name_es in THEMES:
        theme = Theme(name=name, name_fr=name_fr, name_es=name_es, is_demo=True)
        db.session.add(theme)
        themes.append(theme)
    now = loader.now
    # The current chairmanship's first roundtable works on labour mobility, as its practices do.
    first = loader.roundtables.get((CURRENT, "1.1"))
    if first is not None:
        first.themes = [themes[0]]
    for number, row in enumerate(PRACTICES):
        (
            title,
            (title_fr, title_es),
            summary,
            (summary_fr, summary_es),
            year,
            iso3s,
            partners,
            theme_numbers,
            targets,
            state,
            submitter,
        ) = row
        practice = Practice(
            title=title + DEMO,
            title_fr=title_fr and title_fr + DEMO,
            title_es=title_es and title_es + DEMO,
            summary=summary,
            summary_fr=summary_fr,
            summary_es=summary_es,
            year=year,
            state=state,
            government=loader.gov(submitter) if submitter else None,
            author=loader.users[submitter or "secretariat"],
            submitted_at=None if state == "draft" else now - timedelta(days=40 - number),
            published_at=now - timedelta(days=30 - number) if state == "published" else None,
            is_demo=True,
        )
        practice.countries = loader.govs(list(iso3s))
        practice.partners = [loader.organisations[name] for name in partners]
        practice.themes = [themes[i] for i in theme_numbers]
        practice.sdg_targets = [PracticeTarget(target=code) for code in targets]
        practice.search_text = search_text(practice)
        db.session.add(practice)
        if number == 0:
            practice.adoptions.append(
                PracticeAdoption(
                    government=loader.gov("MEX"),
                    year=2016,
                    result="Fees on the corridor fell, as the operators followed the published "
                    "prices" + DEMO,
                )
            )
        if number == 1:
            practice.adoptions.append(PracticeAdoption(government=loader.gov("SWE"), year=2019))
