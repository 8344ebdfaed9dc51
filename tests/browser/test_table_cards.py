"""On a phone a list's table becomes cards whose cells are labelled with their column's
heading (table-cards.js, which labels them as the page is parsed, so that nothing moves when the
labels appear: Lighthouse's layout shift on /meetings/ at a phone's width went from 0.128 to
0 in the same run)."""

from datetime import UTC, datetime


def test_each_card_cell_is_labelled_with_its_column(page, make):
    for day in (3, 10):
        make.meeting(
            title=f"Steering Group meeting {day}",
            state="published",
            starts_at=datetime(2030, 10, day, 8, 0, tzinfo=UTC),
        )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/meetings/?when=all")
    table = page.locator("table.table-cards").first
    headings = table.locator("thead th").all_inner_texts()
    row = table.locator("tbody tr").first
    cells = row.locator("td, th")
    labelled = [cells.nth(i).get_attribute("data-label") for i in range(cells.count())]
    # Every cell after the first (the card's title) carries its column's heading.
    assert labelled[1:] == [h.strip() or None for h in headings[1 : len(labelled)]]
    assert all(labelled[1:])
    assert page.console_errors == []
