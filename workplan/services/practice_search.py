"""Full-text search of the good-practice library, one interface over two engines.

PostgreSQL searches a stored text-search vector of the practices' texts, stemmed as English,
French and Spanish (and unstemmed), with a GIN index; SQLite, the embedded default, an FTS5
table kept by triggers. Both search the same `search_text`: every language's title and summary,
with the names of the countries and partners, folded to lower-case letters without accents, so
"migración" finds "migracion" and the other way round on either database. Each typed word
matches as a prefix ("remesa" finds "remesas"); every word must match. The index and the
triggers are built by the migrations (8f2a9f18af97 made the library, bb8194aac121 the stored
vector).
"""

import re
import unicodedata

from sqlalchemy import Float, Integer, Select, text

from workplan.extensions import db

# A stored column PostgreSQL generates from search_text, stemmed in the three languages and
# unstemmed, with a GIN index (migration bb8194aac121); the models do not describe it.
PG_VECTOR = "practices.search_vector"
PG_CONFIGS = ("simple", "english", "french", "spanish")
# Enough words for any real question; more would only slow the query down.
MAX_WORDS = 12
_WORD = re.compile(r"[^\W_]+")


def not_in_models(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparison of the schema with the models (its include_object hook): the
    index is built by hand, per database, so the models do not describe it and a comparison
    leaves it be (SQLite's FTS5 table and its shadow tables, PostgreSQL's expression index)."""
    if type_ == "table" and name.startswith("practice_search"):
        return False
    if type_ == "column" and name == "search_vector":
        return False
    return not (type_ == "index" and name in ("ix_practices_search", "ix_practices_search_vector"))


def fold(value: str | None) -> str:
    """Text as the index holds it: lower case, accents and ligatures taken apart and dropped."""
    decomposed = unicodedata.normalize("NFKD", value or "").casefold()
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(query: str) -> list[str]:
    """The words of a typed query, folded; punctuation and operators are not words."""
    return _WORD.findall(fold(query))[:MAX_WORDS]


def matches(query: str) -> Select | None:
    """The practices matching a query, as (id, score) rows to join, the best match first when
    ordered by score; None when the query has no word to look for."""
    found = words(query)
    if not found:
        return None
    if db.engine.dialect.name == "postgresql":
        return _postgresql(found)
    return _sqlite(found)


def _sqlite(found: list[str]):
    # Each word quoted (so no word is read as an FTS5 operator) and matched as a prefix.
    match = " ".join(f'"{word}"*' for word in found)
    return (
        text(
            "SELECT rowid AS id, rank AS score FROM practice_search"
            " WHERE practice_search MATCH :match"
        )
        .bindparams(match=match)
        .columns(id=Integer, score=Float)
        .subquery("matched")
    )


def _postgresql(found: list[str]):
    # Per word, any language's stem (or the word itself) will do; every word must match.
    terms = []
    params = {}
    for number, word in enumerate(found):
        params[f"w{number}"] = f"{word}:*"
        terms.append(
            "("
            + " || ".join(f"to_tsquery('{config}'::regconfig, :w{number})" for config in PG_CONFIGS)
            + ")"
        )
    query = " && ".join(terms)
    # ts_rank grows with relevance; negated, so that ordering by score puts the best first.
    # Only constants and bind parameters' names are written into the statement.
    statement = (
        f"SELECT practices.id AS id, -ts_rank({PG_VECTOR}, {query}) AS score FROM practices"  # noqa: S608
        f" WHERE {PG_VECTOR} @@ ({query})"
    )
    return text(statement).bindparams(**params).columns(id=Integer, score=Float).subquery("matched")
