"""Demo data for commitments: invented ones of the demo governments and of an organisation, with
reports that put each traffic light in a different colour. All of it says it is invented."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from workplan.extensions import db
from workplan.models import Commitment, CommitmentReport, Theme
from workplan.seed import DEMO

# The titles in French and Spanish, so the demo reads in every language.
TRANSLATED = {
    "Halve recruitment fees charged to migrant workers": (
        "Réduire de moitié les frais de recrutement facturés aux travailleurs migrants",
        "Reducir a la mitad las comisiones de contratación cobradas a los trabajadores migrantes",
    ),
    "Fund a remittance price comparison portal for three corridors": (
        "Financer un portail de comparaison du coût des envois de fonds pour trois corridors",
        "Financiar un portal de comparación del costo de las remesas en tres corredores",
    ),
    "Consular protection desks in ten destination cities": (
        "Des guichets de protection consulaire dans dix villes de destination",
        "Oficinas de protección consular en diez ciudades de destino",
    ),
    "Train labour inspectors on fair recruitment": (
        "Former les inspecteurs du travail au recrutement équitable",
        "Formar a los inspectores de trabajo en la contratación equitativa",
    ),
}


def _at(day) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def load(loader) -> None:
    """Commitments of the Philippines, Sweden, Mexico and IOM, registered over the past years."""
    today = loader.today
    themes = {t.name: t for t in db.session.scalars(select(Theme))}
    rows = (
        # owner, title, registered days ago, due in days, months, status, percent,
        # last report days ago, theme
        (
            "PHL",
            "Halve recruitment fees charged to migrant workers",
            700,
            400,
            12,
            "on_track",
            60,
            200,
            "Labour mobility",
        ),
        (
            "SWE",
            "Fund a remittance price comparison portal for three corridors",
            500,
            200,
            6,
            "delayed",
            30,
            250,
            "Remittances and diaspora",
        ),
        (
            "MEX",
            "Consular protection desks in ten destination cities",
            900,
            -30,
            12,
            "achieved",
            100,
            40,
            "Migrants' rights and protection",
        ),
        (
            "IOM",
            "Train labour inspectors on fair recruitment",
            340,
            500,
            12,
            "on_track",
            20,
            None,
            "Labour mobility",
        ),
    )
    for owner, title, registered, due_in, months, status, percent, last, theme in rows:
        registered_on = today - timedelta(days=registered)
        title_fr, title_es = TRANSLATED[title]
        commitment = Commitment(
            title=title + DEMO,
            title_fr=title_fr and title_fr + DEMO,
            title_es=title_es and title_es + DEMO,
            description="An invented commitment, for the demo: what will be done, and for whom.",
            registered_on=registered_on,
            due_on=max(today + timedelta(days=due_in), registered_on),
            resources="Staff time and a budget line of the ministry" + DEMO,
            report_every_months=months,
            status=status,
            percent_complete=percent,
            is_demo=True,
        )
        if owner in loader.governments:
            commitment.government = loader.gov(owner)
        else:
            commitment.organisation = loader.organisations[owner]
        commitment.themes = [themes[theme]] if theme in themes else []
        if last is not None:
            commitment.reports.append(
                CommitmentReport(
                    created_at=_at(today - timedelta(days=last)),
                    status=status,
                    percent_complete=percent,
                    text="What was done since the commitment was registered" + DEMO,
                )
            )
        db.session.add(commitment)
