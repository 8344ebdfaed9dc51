"""Charts drawn on the server as SVG, the same on the page and in the PDF.

Each chart is a `matplotlib.figure.Figure` of its own, never pyplot: pyplot keeps a global
current figure that requests served in parallel threads would share. The SVG is rewritten so it
can sit inline under the app's strict Content-Security-Policy (no `style` attributes or
elements), with ids made unique per chart and a title and description for screen readers.
"""

import io
import re
import xml.etree.ElementTree as ET  # noqa: S405  (only ever parses SVG matplotlib just wrote)
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from markupsafe import Markup

from workplan import formatting


@cache
def _matplotlib():
    """Load matplotlib on the first chart only: it costs a web worker about 40 MiB."""
    # No GUI toolkit is ever wanted on a server; these settings are constant, so sharing them
    # between threads is safe: text stays text (searchable, readable aloud) and ids are stable.
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "gfmd-reports"
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", "Arial", "Helvetica"]
    return Figure, MaxNLocator


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_HREF = f"{{{XLINK_NS}}}href"
# Prefixes written out by hand: ElementTree's namespace registry is global, and other libraries
# (WeasyPrint among them) re-register prefixes in it.
_PREFIXES = {XLINK_NS: "xlink", "http://www.w3.org/XML/1998/namespace": "xml"}

# Okabe and Ito's palette reads apart for the common colour blindnesses; hatching and the
# printed values tell the series apart without any colour at all.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
HATCHES = ("", "//", "\\\\", "xx", "--", "||", "++")
MAX_BARS = 40

Value = int | Decimal | None


@dataclass
class Series:
    """One named row of values, one per category."""

    name: str
    values: list[Value]


@dataclass
class Chart:
    """A drawn chart with the numbers it shows, for those who cannot see it."""

    key: str
    title: str
    description: str
    categories: list[str]
    series: list[Series]
    unit: str
    svg: Markup


def _plain(value: Value, unit: str) -> str:
    """A value as printed beside its bar."""
    if value is None:
        return "n/a"
    if unit == "%":
        return f"{value}%"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"


def bar_chart(
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    axis_label: str = "",
    description: str = "",
    label: Callable[[Value, str], str] = _plain,
) -> Chart:
    """Horizontal bars, one group per category, each bar printed with its value."""
    # Labels may be lazy translations: they are worded now, in the reader's language.
    title, axis_label = str(title), str(axis_label)
    categories = [str(category) for category in categories][:MAX_BARS]
    series = [Series(str(s.name), list(s.values)[:MAX_BARS]) for s in series]
    description = str(description or title)
    svg = _drawn(
        key,
        title,
        tuple(categories),
        tuple((one.name, tuple(one.values)) for one in series),
        unit,
        axis_label,
        description,
        label,
        formatting.locale(),  # the printed values' separators are the reader's
    )
    return Chart(
        key=key,
        title=title,
        description=description,
        categories=categories,
        series=series,
        unit=unit,
        svg=Markup(svg),  # noqa: S704  (matplotlib's SVG, its texts escaped by _inline)
    )


# Drawing is the slow part of a report page (tens of milliseconds a chart) and its result
# depends only on these arguments, so a chart whose numbers did not change is drawn once.
@lru_cache(maxsize=64)
def _drawn(
    key: str,
    title: str,
    categories: tuple[str, ...],
    series: tuple[tuple[str, tuple[Value, ...]], ...],
    unit: str,
    axis_label: str,
    description: str,
    label: Callable[[Value, str], str],
    language: str,
) -> str:
    rows = max(len(categories), 1)
    height = 1.2 + rows * (0.16 + 0.2 * len(series))
    Figure, MaxNLocator = _matplotlib()  # noqa: N806  (classes, named as matplotlib names them)
    figure = Figure(figsize=(7.5, min(height, 24)), layout="constrained")
    axes = figure.add_subplot()
    thickness = 0.8 / max(len(series), 1)
    for index, (name, numbers) in enumerate(series):
        # The y axis runs downwards, so the first series sits at the top of each group.
        positions = [
            row - (len(series) - 1) * thickness / 2 + index * thickness
            for row in range(len(categories))
        ]
        values = [float(v) if v is not None else 0.0 for v in numbers]
        bars = axes.barh(
            positions,
            values,
            height=thickness * 0.92,
            color=COLOURS[index % len(COLOURS)],
            hatch=HATCHES[index % len(HATCHES)],
            edgecolor="#1a1a1a",
            linewidth=0.6,
            label=name,
        )
        axes.bar_label(bars, labels=[label(v, unit) for v in numbers], padding=3, fontsize=8)
    axes.set_yticks(range(len(categories)), labels=[_shorten(c) for c in categories])
    axes.invert_yaxis()
    axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
    if axis_label:
        axes.set_xlabel(axis_label)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(x=0.18)
    whole = all(isinstance(v, int) for _, numbers in series for v in numbers if v is not None)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=whole))
    axes.xaxis.set_major_formatter(lambda x, _position: f"{x:,.0f}")
    if len(series) > 1:
        figure.legend(loc="outside lower center", ncols=min(len(series), 4), fontsize=8)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _inline(buffer.getvalue(), key, title, description)


def _shorten(text: str, limit: int = 38) -> str:
    """Long labels cut with an ellipsis; the table beneath the chart has them whole."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


_DECLARATION = re.compile(r"\s*([-a-z]+)\s*:\s*([^;]+?)\s*(?:;|$)")
_URL_REF = re.compile(r"url\(#([^)]+)\)")


def _declarations(css: str) -> dict[str, str]:
    """The property: value pairs of a style attribute."""
    return {name: value for name, value in _DECLARATION.findall(css)}


def _inline(svg: str, key: str, title: str, description: str) -> str:
    """Matplotlib's SVG made fit to sit inline in a page under a strict CSP."""
    root = ET.fromstring(svg.encode())  # noqa: S314  (our own matplotlib output, not input)
    prefix = f"chart-{key}"
    inherited: dict[str, str] = {}
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.split("}")[-1]
            if tag == "metadata":
                parent.remove(child)
            elif tag == "style":
                # Matplotlib's only rule is `*{...}`; set on the root, SVG inherits it.
                for block in re.findall(r"\{([^}]*)\}", child.text or ""):
                    inherited.update(_declarations(block))
                parent.remove(child)
    referenced = set()
    for element in root.iter():
        for name, value in element.attrib.items():
            if name == _HREF and value.startswith("#"):
                referenced.add(value[1:])
            referenced.update(_URL_REF.findall(value))
    renamed = {}
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for name, value in _declarations(style).items():
                element.set(name, value)
        # Several charts share a page: unused ids go, used ones get the chart's prefix.
        if element.get("id") in referenced:
            renamed[element.get("id")] = f"{prefix}-{element.get('id')}"
            element.set("id", renamed[element.get("id")])
        else:
            element.attrib.pop("id", None)
    for element in root.iter():
        for name, value in element.attrib.items():
            if name == _HREF and value.startswith("#"):
                element.set(name, "#" + renamed.get(value[1:], value[1:]))
            elif "url(#" in value:
                element.set(name, _URL_REF.sub(lambda m: f"url(#{renamed.get(m[1], m[1])})", value))
    for name, value in inherited.items():
        root.set(name, value)
    root.attrib.pop("height", None)
    root.set("width", "100%")
    root.set("role", "img")
    root.set("class", "report-chart")
    root.set("aria-labelledby", f"{prefix}-title {prefix}-desc")
    heading = ET.Element("title", {"id": f"{prefix}-title"})
    heading.text = title
    summary = ET.Element("desc", {"id": f"{prefix}-desc"})
    summary.text = description
    for element in root.iter():
        element.tag = element.tag.split("}")[-1]
        for name in [name for name in element.attrib if name.startswith("{")]:
            namespace, local = name[1:].split("}")
            element.set(f"{_PREFIXES.get(namespace, 'ns')}:{local}", element.attrib.pop(name))
    root.set("xmlns", SVG_NS)
    root.set("xmlns:xlink", XLINK_NS)
    root.insert(0, summary)
    root.insert(0, heading)
    return ET.tostring(root, encoding="unicode")
