"""Which states are UN members or observers, and what a country is called in the reader's language.

Names come from the CLDR data that Babel ships, so "Sweden" is "Suède" to a French reader and
"Suecia" to a Spanish one without anyone translating country names by hand.
"""

import json
import unicodedata
from functools import cache
from importlib import resources

import pycountry
from babel import Locale


@cache
def _un() -> dict:
    source = resources.files("workplan").joinpath("data", "un_states.json")
    return json.loads(source.read_text(encoding="utf-8"))


@cache
def un_states() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes of the 193 UN member states and the 2 observer states."""
    data = _un()
    return frozenset(data["members"]) | frozenset(data["observers"])


def is_un_state(iso3: str) -> bool:
    return iso3 in un_states()


@cache
def _territory_names(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


@cache
def _alpha2(iso3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country else None


def local_name(iso3: str, recorded: str, language: str) -> str:
    """The country's name in the reader's language; in English, the name the secretariat recorded.

    English keeps the recorded name so that the secretariat's choice ("Türkiye", "Côte d'Ivoire")
    is what people read; French and Spanish readers get CLDR's name, and the recorded one where
    CLDR has none.
    """
    language = language.split("_")[0]
    if language == "en":
        return recorded
    alpha2 = _alpha2(iso3)
    return _territory_names(language).get(alpha2, recorded) if alpha2 else recorded


def sort_key(name: str) -> str:
    """Alphabetical order as a reader expects it: accents and case do not move a name."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


# The UN M49 regions, by their code: Africa, the Americas, Asia, Europe and Oceania.
REGIONS = ("002", "019", "142", "150", "009")


@cache
def _regions() -> dict[str, list[str]]:
    source = resources.files("workplan").joinpath("data", "m49_regions.json")
    return json.loads(source.read_text(encoding="utf-8"))["regions"]


def in_region(code: str) -> tuple[str, ...]:
    """The ISO3 codes of the countries and areas in an M49 region."""
    return tuple(_regions().get(code, ()))


def region_name(code: str, language: str) -> str:
    """A region's name in the reader's language, from CLDR (M49 codes are CLDR territories)."""
    return _territory_names(language.split("_")[0]).get(code, code)
