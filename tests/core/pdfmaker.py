"""A tiny PDF writer for tests: Helvetica text lines, regular or bold, at given sizes (no reportlab needed)."""

from __future__ import annotations

import textwrap

# One entry per line: (size, bold, text); text "" is a paragraph break, a text starting with a tab is indented.
PdfLine = tuple[float, bool, str]


def make_pdf(pages: list[list[PdfLine]], *, title: str | None = None, wrap: int = 90) -> bytes:
    """A valid PDF whose pages draw the lines top-down, long ones wrapped at `wrap` characters."""
    objects: dict[int, bytes] = {
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    }
    kids = []
    for number, lines in enumerate(pages):
        page_id, content_id = 5 + 2 * number, 6 + 2 * number
        stream = _content(lines, wrap)
        objects[content_id] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % content_id
        )
        kids.append(b"%d 0 R" % page_id)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    info = len(objects) + 3
    objects[info] = b"<< /Title (%s) >>" % _escape(title) if title else b"<< >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for ident in sorted(objects):
        offsets[ident] = len(out)
        out += b"%d 0 obj\n" % ident + objects[ident] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (max(objects) + 1)
    for ident in range(1, max(objects) + 1):
        out += b"%010d 00000 n \n" % offsets[ident] if ident in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        max(objects) + 1,
        info,
        xref,
    )
    return bytes(out)


def _content(lines: list[PdfLine], wrap: int) -> bytes:
    y = 740.0
    ops = []
    for size, bold, text in lines:
        if not text:
            y -= size  # the extra space of a paragraph break
            continue
        x = 102 if text.startswith("\t") else 72
        for part in textwrap.wrap(text.strip(), wrap) if not bold else [text.strip()]:
            ops.append(b"BT /%s %g Tf %g %g Td (%s) Tj ET" % (b"F2" if bold else b"F1", size, x, y, _escape(part)))
            y -= size * 1.25
    return b"\n".join(ops)


def _escape(text: str) -> bytes:
    return text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
