"""Reading a table the server drew (Dash components, as the browser receives them in JSON): header and rows."""
import json

from plotly.utils import PlotlyJSONEncoder


def as_json(components) -> object:
    """Components as the callback's answer carries them (Dash serialises them with Plotly's encoder)."""
    return json.loads(json.dumps(components, cls=PlotlyJSONEncoder))


def found(node, kind: str) -> list[dict]:
    """Every component of a type (Th, Tr, Button…) in a tree of components as JSON, in document order."""
    if isinstance(node, list):
        return [hit for child in node for hit in found(child, kind)]
    if not isinstance(node, dict) or "props" not in node:
        return []
    own = [node] if node.get("type") == kind else []
    return own + found(node["props"].get("children"), kind)


def text(node) -> str:
    if isinstance(node, list):
        return "".join(text(child) for child in node)
    if isinstance(node, dict):
        return text(node.get("props", {}).get("children"))
    return "" if node is None else str(node)


def table(children) -> tuple[list[str], list[list[str]]]:
    """The column labels and the rows (cell texts) of the drawn table."""
    tree = as_json(children)
    header = [text(th) for th in found(tree, "Th")]
    rows = [[text(td) for td in found(tr, "Td")] for tr in found(found(tree, "Tbody"), "Tr")]
    return header, rows


def number(cell: str, language: str = "fr") -> float:
    """A number as the table writes it: 12 345,6 in French, 12,345.6 in English."""
    if language == "fr":
        return float(cell.replace(" ", "").replace(",", "."))
    return float(cell.replace(",", ""))
