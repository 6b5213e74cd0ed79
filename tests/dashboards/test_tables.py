"""The views' tables drawn on the server (dashboards/pages/tables.py): a known table gives known HTML, sorted and paged
across the whole table, numbers as the active language writes them; whatever order a browser keeps, a page."""
import pandas as pd
import pytest
from django.utils import translation

from dashboards.figures import Table
from dashboards.pages import tables
from dashboards.pages.tables import Order

from .drawn import as_json, found, table, text


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def units(count: int = 40) -> Table:
    """count units; every seventh has no women figure."""
    frame = pd.DataFrame({
        "pcode": [f"ZZ{i:03d}" for i in range(count)],
        "women": pd.Series([None if i % 7 == 3 else 1000 * ((i * 37) % count) + 5 for i in range(count)],
                           dtype=object),
        "share": [round(i * 1.25, 2) for i in range(count)],
    })
    return Table(frame, [("pcode", "P-code", "text"), ("women", "Femmes", "integer"),
                         ("share", "Part (%)", "percent")], name="essai")


def test_a_page_holds_fifteen_rows_and_says_which_page_it_is():
    children, order = tables.shown("cov", "Chiffres", units(), Order(1))
    header, rows = table(children)
    assert header == ["P-code", "Femmes", "Part (%)"]
    assert [row[0] for row in rows] == [f"ZZ{i:03d}" for i in range(15, 30)]
    assert order == {"page": 1, "column": None, "descending": False}
    tree = as_json(children)
    assert "Page 2 sur 3" in text(tree)
    assert text(found(tree, "Caption")) == "Chiffres"
    previous, after = [b["props"] for b in found(tree, "Button") if b["props"]["id"] in ("cov-previous", "cov-next")]
    assert not previous["disabled"] and not after["disabled"]


def test_the_first_and_last_pages_disable_their_way_out_and_a_page_beyond_gives_the_last():
    first = as_json(tables.shown("cov", "Chiffres", units(), Order(0))[0])
    assert {b["props"]["id"]: b["props"]["disabled"] for b in found(first, "Button")
            if b["props"]["id"] in ("cov-previous", "cov-next")} == {"cov-previous": True, "cov-next": False}
    children, order = tables.shown("cov", "Chiffres", units(), Order(99))
    assert order["page"] == 2 and len(table(children)[1]) == 10
    assert "Page 3 sur 3" in text(as_json(children))


def test_numbers_are_written_as_the_language_does_and_right_aligned_missing_ones_empty():
    frame = pd.DataFrame({"women": pd.Series([1234567, None], dtype=object), "share": [12.34, 5.0]})
    small = Table(frame, [("women", "Femmes", "integer"), ("share", "Part (%)", "percent")])
    assert table(tables.shown("cov", "T", small, Order())[0])[1] == [["1 234 567", "12,3"], ["", "5,0"]]
    with translation.override("en"):
        assert table(tables.shown("cov", "T", small, Order())[0])[1] == [["1,234,567", "12.3"], ["", "5.0"]]
    cells = found(as_json(tables.shown("cov", "T", small, Order())[0]), "Td")
    assert all(cell["props"].get("className") == "number" for cell in cells)


def test_sorting_orders_the_whole_table_missing_values_last_and_the_header_says_how():
    whole = units()
    for descending in (False, True):
        children, _order = tables.shown("cov", "T", whole, Order(0, "women", descending))
        shown = [row[1] for row in table(children)[1]]
        known = sorted((v for v in whole.frame["women"] if v is not None), reverse=descending)
        assert shown == [f"{v:,}".replace(",", " ") for v in known[:15]]
        (sorted_header,) = [th for th in found(as_json(children), "Th") if "aria-sort" in th["props"]]
        assert text(sorted_header) == "Femmes"
        assert sorted_header["props"]["aria-sort"] == ("descending" if descending else "ascending")
    last_page = table(tables.shown("cov", "T", whole, Order(2, "women"))[0])[1]
    assert [row[1] for row in last_page][-6:] == [""] * 6  # the 6 units without a figure come last
    sort_buttons = [b["props"]["id"] for b in found(as_json(children), "Button") if isinstance(b["props"]["id"], dict)]
    assert sort_buttons == [{"type": "cov-sort", "column": c} for c in ("pcode", "women", "share")]


def test_a_click_moves_the_order():
    assert tables.moved(Order(2, "women"), "cov-next", "cov") == Order(3, "women")
    assert tables.moved(Order(0), "cov-previous", "cov") == Order(0)
    assert tables.moved(Order(3, "women"), {"type": "cov-sort", "column": "women"}, "cov") == Order(0, "women", True)
    assert tables.moved(Order(3, "women", True), {"type": "cov-sort", "column": "share"}, "cov") == Order(0, "share")
    assert tables.moved(Order(3), {"type": "cov-sort", "column": ["x"]}, "cov") == Order(3)


@pytest.mark.parametrize("kept", [None, "x", [], {"page": "2"}, {"page": -3}, {"page": True},
                                  {"column": ["a"]}, {"column": "x" * 500}, {"descending": "yes"}])
def test_an_odd_order_kept_in_the_page_is_the_default_one(kept):
    assert tables.order_from(kept) == Order()


def test_an_unknown_sort_column_keeps_the_computed_order():
    assert table(tables.shown("cov", "T", units(), Order(0, "nope"))[0]) == table(
        tables.shown("cov", "T", units(), Order(0))[0])


def test_an_empty_table_says_so_and_links_are_links_not_sorted():
    empty = Table(pd.DataFrame({"a": [], "propose": []}), [("a", "A", "text"), ("propose", "Agir", "link")])
    header, rows = table(tables.shown("ovl", "T", empty, Order())[0])
    assert rows == [["Aucune ligne pour ces filtres."]]
    linked = Table(pd.DataFrame({"a": ["x", "y"], "propose": ["/espace/proposer/?a=1", ""]}),
                   [("a", "A", "text"), ("propose", "Agir", "link")], links={"propose": "Proposer"})
    tree = as_json(tables.shown("ovl", "T", linked, Order(0, "propose", True))[0])
    (link,) = found(tree, "A")
    assert link["props"] == {"children": "Proposer", "href": "/espace/proposer/?a=1"}
    assert [text(th) for th in found(tree, "Th") if not found(th, "Button")] == ["Agir"]
    assert not any("aria-sort" in th["props"] for th in found(tree, "Th"))  # not sorted by a link
    assert "propose" not in linked.labelled().columns  # nor exported


def test_a_small_table_is_shown_whole_without_buttons():
    tree = as_json(tables.whole(units(20), "Interventions"))
    assert len(found(found(tree, "Tbody"), "Tr")) == 20 and not found(tree, "Button")
    assert [th["props"]["scope"] for th in found(tree, "Th")] == ["col"] * 3
