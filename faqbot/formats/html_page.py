"""Web pages saved to disk: the main content only (trafilatura), headings and lists kept, the rest reported."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import lxml.html
import trafilatura

from faqbot.extract import Block
from faqbot.formats import Reading, UnreadableDocument, bullets, heading, paragraph
from faqbot.text import fold

# Elements whose text is a block of its own when reporting what the page had outside its main content.
_BLOCK_TAG_NAMES = (
    "address article aside blockquote body dd details div dl dt figcaption figure footer form header li main nav ol p "
    "pre section summary table td th tr ul h1 h2 h3 h4 h5 h6"
)
_BLOCK_TAGS = frozenset(_BLOCK_TAG_NAMES.split())
# Characters from which a piece of page text found inside a kept paragraph is taken to be part of it.
_LONG_PIECE = 40
_INVISIBLE = ("script", "style", "noscript", "template", "head")


def read_html(data: bytes) -> Reading:
    """The page's main content as blocks; navigation, footers, sidebars and the like are reported as dropped."""
    try:
        xml = trafilatura.extract(
            data,
            output_format="xml",
            include_formatting=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            favor_recall=True,
            deduplicate=False,
        )
    except Exception as error:  # lxml and trafilatura fail in many ways on a broken page; each is one line here
        raise UnreadableDocument(f"is not a readable web page ({type(error).__name__})") from None
    if not xml:
        raise UnreadableDocument("has no main content a reader can find (only navigation, or no text at all)")
    main = ET.fromstring(xml).find("main")
    blocks = _blocks(main) if main is not None else []
    if not blocks:
        raise UnreadableDocument("has no main content a reader can find (only navigation, or no text at all)")
    # The first heading is taken for the document's title: without an <h1> first, that is the page's <title>, so a
    # page opening with "<h2>What is dry needling?</h2>" keeps that question as a section.
    if (blocks[0].kind != "heading" or blocks[0].level > 1) and (title := _page_title(data)):
        blocks.insert(0, heading(title, 1))
    dropped = tuple(text for text in _page_texts(data) if not _kept(text, blocks))
    return Reading("html", blocks=tuple(blocks), dropped=dropped, note="main content of the page")


def _blocks(main: ET.Element) -> list[Block]:
    blocks: list[Block] = []
    for element in main:
        if element.tag == "list":
            if items := _items(element):
                blocks.append(bullets(items))
        elif not (text := _text(element)):
            continue
        elif element.tag == "head":
            rend = element.get("rend", "h2")
            blocks.append(heading(text, int(rend[1]) if rend[1:].isdigit() else 2))
        else:  # p, quote, code and anything trafilatura adds later: its text as a paragraph
            blocks.append(paragraph(text))
    return blocks


def _items(element: ET.Element) -> list[str]:
    """A list's items in order, a nested list's items after the item they belong to."""
    items: list[str] = []
    for item in element.findall("item"):
        items.append(_text(item))
        for nested in item.findall("list"):
            items.extend(_items(nested))
    return [item for item in items if item]


def _text(element: ET.Element) -> str:
    """An element's text without the text of lists nested in it."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != "list":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _kept(text: str, blocks: list[Block]) -> bool:
    """Whether a piece of the page is in the main content: a heading, paragraph or list item of it, or a long piece
    of one (a short one, "Home", would be found inside any sentence with the word)."""
    pieces = {fold(line.removeprefix("\u2022 ")) for block in blocks for line in block.text.split("\n")}
    folded = fold(text)
    return folded in pieces or (len(folded) >= _LONG_PIECE and any(folded in piece for piece in pieces))


def _page_title(data: bytes) -> str | None:
    metadata = trafilatura.extract_metadata(data)
    return metadata.title if metadata is not None and metadata.title else None


def _page_texts(data: bytes) -> list[str]:
    """The page's visible text, one string per block element (its own text, not its children's blocks)."""
    root = trafilatura.load_html(data)  # decoded as trafilatura decodes it (meta charset, else detected)
    if root is None:
        return []
    for element in list(root.iter(*_INVISIBLE)):
        element.drop_tree()
    body = root.find("body")
    body = body if body is not None else root
    texts: dict[lxml.html.HtmlElement, list[str]] = {}  # insertion order is document order
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        owner = element if element.tag in _BLOCK_TAGS else _block_of(element)
        texts.setdefault(owner, []).append(element.text or "")
        if element is not body:
            texts.setdefault(_block_of(element), []).append(element.tail or "")
    return [joined for parts in texts.values() if (joined := " ".join("".join(parts).split()))]


def _block_of(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    parent = element.getparent()
    while parent is not None and parent.tag not in _BLOCK_TAGS:
        parent = parent.getparent()
    return parent if parent is not None else element
