"""WCAG 2.2 AA basics that can be read from a page's HTML, and what the Content-Security-Policy forbids.

A browser-free check, so it runs on every page for every role in a second: the language is set, there is exactly one
h1 and headings never skip a level going down, every form control has a label, every table has a caption and
header cells with a scope, the skip link is the first thing the keyboard reaches, links say where they go, images
and charts have text alternatives with the figures in a table beside them, ids are unique and every reference to
one exists, and nothing inline (script, style, event handler) that the policy would block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VAGUE_LINKS = {"click here", "here", "more", "read more", "link", "this link", "this page"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "image", "reset"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SCOPES = {"col", "row", "colgroup", "rowgroup"}


@dataclass
class _Table:
    caption: bool = False
    headers: int = 0


@dataclass
class _Link:
    href: str
    label: str
    text: list[str] = field(default_factory=list)


class PageCheck(HTMLParser):
    """Feed a page; ``problems`` then lists what fails, one sentence each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.lang = ""
        self.headings: list[tuple[int, str]] = []
        self.ids: list[str] = []
        self.references: list[tuple[str, str]] = []  # (attribute, id it points to)
        self.label_targets: set[str] = set()
        self.controls: list[tuple[str, str, bool]] = []  # (description, id, labelled otherwise)
        self.first_focusable: tuple[str, str] | None = None
        self.tables: list[_Table] = []
        self.links: list[_Link] = []
        self.charts = 0
        self.tables_after_last_chart = 0
        self.main = 0
        self._open_heading: tuple[int, list[str]] | None = None
        self._in_label = 0
        self._svg_depth = 0
        self._svg_has_title = False
        self._in_title = False
        self._title_text: list[str] = []
        self._page_title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        for attribute in ("aria-labelledby", "aria-describedby"):
            self.references += [(attribute, ref) for ref in a.get(attribute, "").split()]
        if "style" in a:
            self.problems.append(f"<{tag}> has a style attribute (blocked by the Content-Security-Policy)")
        if any(k.startswith("on") for k in a):
            self.problems.append(f"<{tag}> has an inline event handler (blocked by the Content-Security-Policy)")
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "title" and self._svg_depth == 0:
            self._in_title = True
        elif tag == "style":
            self.problems.append("a <style> element (blocked by the Content-Security-Policy)")
        elif tag == "script" and not a.get("src"):
            self.problems.append("an inline <script> (blocked by the Content-Security-Policy)")
        elif tag == "main":
            self.main += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._open_heading = (int(tag[1]), [])
        elif tag == "label":
            self._in_label += 1
            if a.get("for"):
                self.label_targets.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            kind = a.get("type", "text") if tag == "input" else tag
            if kind not in UNLABELLED_INPUTS:
                named = bool(a.get("aria-label") or a.get("aria-labelledby") or self._in_label)
                self.controls.append((f"<{tag} name={a.get('name', '')!r}>", a.get("id", ""), named))
            if kind != "hidden":
                self._focusable(tag, a.get("name", ""))
        elif tag == "button":
            self._focusable(tag, "")
        elif tag == "a" and "href" in a:
            self._focusable("a", a["href"])
            self.links.append(_Link(a["href"], a.get("aria-label", "")))
        elif tag == "table":
            self.tables.append(_Table())
            if self.charts:
                self.tables_after_last_chart += 1
        elif tag == "caption" and self.tables:
            self.tables[-1].caption = True
        elif tag == "th" and self.tables:
            self.tables[-1].headers += 1
            if a.get("scope") not in SCOPES:
                self.problems.append("a table header cell <th> without a scope")
        elif tag == "img" and "alt" not in a:
            self.problems.append(f"an image with no alt text: {a.get('src', '')}")
        elif tag == "svg":
            self._svg(a)
        if tag == "title" and self._svg_depth:
            self._svg_has_title = True
        if a.get("tabindex", "-1") != "-1" and tag not in ("a", "button", "input", "select", "textarea"):
            self._focusable(tag, a.get("id", ""))

    def _svg(self, a: dict[str, str]) -> None:
        self._svg_depth += 1
        if self._svg_depth > 1:
            return
        self._svg_has_title = False
        if a.get("aria-hidden") == "true":
            return
        if a.get("role") != "img" or not (a.get("aria-labelledby") or a.get("aria-label")):
            self.problems.append("an <svg> that is neither hidden nor an image with a text alternative")
        if "cw-chart" in a.get("class", "").split():
            self.charts += 1
            self.tables_after_last_chart = 0

    def _focusable(self, tag: str, detail: str) -> None:
        if self.first_focusable is None:
            self.first_focusable = (tag, detail)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._open_heading:
            level, text = self._open_heading
            self.headings.append((level, " ".join("".join(text).split())))
            self._open_heading = None
        elif tag == "label":
            self._in_label -= 1
        elif tag == "a" and self.links and self._link_open():
            self.links[-1].text.append("\0")  # closed
        elif tag == "title" and not self._svg_depth:
            self._in_title = False
            self._page_title = "".join(self._title_text).strip()
        elif tag == "svg":
            self._svg_depth -= 1
            if self._svg_depth == 0 and not self._svg_has_title:
                self.problems.append("an <svg> image without a <title>")

    def _link_open(self) -> bool:
        return "\0" not in self.links[-1].text

    def handle_data(self, data: str) -> None:
        if self._open_heading:
            self._open_heading[1].append(data)
        if self.links and self._link_open():
            self.links[-1].text.append(data)
        if self._in_title:
            self._title_text.append(data)

    def finish(self) -> list[str]:
        """Whole-page checks, once everything is read."""
        self.close()
        out = list(self.problems)
        if not self.lang:
            out.append("the <html> element has no lang attribute")
        if not self._page_title:
            out.append("the page has no <title>")
        if self.main != 1:
            out.append(f"{self.main} <main> landmarks instead of one")
        h1s = [text for level, text in self.headings if level == 1]
        if len(h1s) != 1:
            out.append(f"{len(h1s)} h1 headings instead of one: {h1s}")
        previous = 1
        for level, text in self.headings:
            if level > previous + 1:
                out.append(f"heading h{level} '{text}' skips a level after h{previous}")
            previous = level
        duplicates = sorted({i for i in self.ids if self.ids.count(i) > 1})
        if duplicates:
            out.append(f"ids used more than once: {duplicates}")
        known = set(self.ids)
        out += [f"{attr} points to a missing id '{ref}'" for attr, ref in self.references if ref not in known]
        out += [f"a label points to a missing id '{ref}'" for ref in sorted(self.label_targets - known)]
        for description, control_id, named in self.controls:
            if not named and control_id not in self.label_targets:
                out.append(f"{description} has no label")
        for n, table in enumerate(self.tables, 1):
            if not table.caption:
                out.append(f"table {n} has no <caption>")
            if not table.headers:
                out.append(f"table {n} has no header cells")
        for link in self.links:
            text = " ".join("".join(link.text).replace("\0", "").split()) or link.label
            if not text:
                out.append(f"a link to {link.href} has no text")
            elif text.lower().strip(".") in VAGUE_LINKS:
                out.append(f"a link says only '{text}' ({link.href})")
        if self.first_focusable != ("a", "#main-content"):
            out.append(f"the first thing the keyboard reaches is {self.first_focusable}, not the skip link")
        if "main-content" not in known:
            out.append("the skip link's target #main-content is missing")
        if self.charts and not self.tables_after_last_chart:
            out.append("a chart without its figures in a table beside it")
        return out


def page_problems(html: str) -> list[str]:
    check = PageCheck()
    check.feed(html)
    return check.finish()
