"""One small clinic leaflet written out as a web page, a Word document, a PDF and a Q&A table, for the format tests.
Nine headings are questions; one section is a list; two groups ("Before your visit", ...) have no text of their own."""

from __future__ import annotations

import csv
import html
import io

import docx
from pdfmaker import PdfLine, make_pdf

TITLE = "Acupuncture at Riverside Clinic"
INTRO = "Riverside Clinic offers acupuncture for adults, given by practitioners registered with a professional body."
LEAD_IN = "Please bring the following:"
ITEMS = (
    "A list of the medicines you take",
    "Loose, comfortable clothing that rolls up above the elbow and knee",
    "Any letters from your doctor or physiotherapist",
)
# (group, question, paragraphs); the bring-list section's list follows its lead-in.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Before your visit",
        "What happens at the first appointment?",
        (
            "Your practitioner asks about your health, the medicines you take and what you hope treatment will help "
            "with. The first appointment takes about an hour, and needling starts only when you agree.",
        ),
    ),
    ("Before your visit", "What should I bring to my appointment?", (LEAD_IN,)),
    (
        "Before your visit",
        "Can I eat before a session?",
        ("Have a light meal an hour or two before your session. An empty stomach can make you feel faint or dizzy.",),
    ),
    (
        "Your treatment",
        "Does acupuncture hurt?",
        (
            "You may feel a small prick as a needle goes in, then a dull ache or tingling. Tell your practitioner at "
            "once if anything feels sharp.",
        ),
    ),
    (
        "Your treatment",
        "What are the needles made of?",
        (
            "We use single-use, sterile stainless steel needles, each thinner than a hair. They are opened in front "
            "of you and thrown away after the session.",
        ),
    ),
    (
        "Your treatment",
        "How many sessions will I need?",
        ("Most patients have a course of six weekly sessions, reviewed after the third.",),
    ),
    (
        "Your treatment",
        "How much does a session cost?",
        ("A first appointment costs 60 pounds and follow-up sessions cost 45 pounds, paid by card or bank transfer.",),
    ),
    (
        "After your treatment",
        "Can I drive home after treatment?",
        (
            "Most people can drive straight away. If you feel drowsy or light-headed, rest in the waiting room until "
            "it passes before driving.",
        ),
    ),
    (
        "After your treatment",
        "Is acupuncture safe during pregnancy?",
        (
            "Talk to your healthcare provider before trying acupuncture if you are pregnant. Our practitioners avoid "
            "certain points in pregnancy.",
        ),
    ),
)
QUESTIONS = tuple(question for _, question, _ in SECTIONS)
# The same questions in a patient's words, one per heading, in the order of QUESTIONS.
REWORDED = (
    "what happens on my first visit",
    "what do I need to bring with me",
    "should I eat something beforehand",
    "is it painful",
    "what material are the needles",
    "how many treatments do people usually need",
    "what are your prices",
    "am I ok to drive afterwards",
    "can pregnant women have acupuncture",
)
NAV = ("Home", "Treatments", "Book online", "About us")
ASIDE = "Our Saturday clinic is open again from March."
FOOTER = "Copyright 2026 Riverside Clinic. All rights reserved."


def html_page() -> bytes:
    """The leaflet as the clinic's web page: navigation, a sidebar and a footer around the article."""
    e = html.escape
    nav = "".join(f'<li><a href="/{i}">{e(item)}</a></li>' for i, item in enumerate(NAV))
    body = [f"<h1>{e(TITLE)}</h1>", f"<p>{e(INTRO)}</p>"]
    group = ""
    for section_group, question, paragraphs in SECTIONS:
        if section_group != group:
            body.append(f"<h2>{e(section_group)}</h2>")
            group = section_group
        body.append(f"<h3>{e(question)}</h3>")
        body.extend(f"<p>{e(text)}</p>" for text in paragraphs)
        if paragraphs[-1] == LEAD_IN:
            body.append("<ul>" + "".join(f"<li>{e(item)}</li>" for item in ITEMS) + "</ul>")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Acupuncture | Riverside Clinic</title></head><body>"
        f"<header><p>Riverside Clinic</p><nav><ul>{nav}</ul></nav></header>"
        f"<main><article>{''.join(body)}</article></main>"
        f"<aside><h2>News</h2><p>{e(ASIDE)}</p></aside>"
        f"<footer><p>{e(FOOTER)}</p><a href='/privacy'>Privacy policy</a></footer>"
        "</body></html>"
    ).encode()


def word_document() -> bytes:
    """The leaflet as a Word document: Title and Heading styles, a bulleted list, a page header and a table."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Riverside Clinic patient information"
    document.add_heading(TITLE, 0)
    document.add_paragraph(INTRO)
    group = ""
    for section_group, question, paragraphs in SECTIONS:
        if section_group != group:
            document.add_heading(section_group, 1)
            group = section_group
        document.add_heading(question, 2)
        for text in paragraphs:
            document.add_paragraph(text)
        if paragraphs[-1] == LEAD_IN:
            for item in ITEMS:
                document.add_paragraph(item, style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Day", "Opening hours"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_document() -> bytes:
    """The leaflet as a two-page PDF: headings by size and weight, a running header and page numbers."""
    pages: list[list[PdfLine]] = [[], []]
    for page in pages:
        page.extend([(8, False, "Riverside Clinic patient information"), (8, False, "")])
    pages[0].extend([(20, True, TITLE), (11, False, INTRO), (11, False, "")])
    group = ""
    for index, (section_group, question, paragraphs) in enumerate(SECTIONS):
        page = pages[0] if index < 5 else pages[1]
        if section_group != group:
            page.extend([(15, True, section_group), (6, False, "")])
            group = section_group
        page.append((12, True, question))
        for text in paragraphs:
            page.extend([(11, False, text), (11, False, "")])
        if paragraphs[-1] == LEAD_IN:
            page.pop()
            page.extend([*((11, False, "\u2022 " + item) for item in ITEMS), (11, False, "")])
    for number, page in enumerate(pages, start=1):
        page.extend([(8, False, ""), (8, False, f"Page {number} of 2")])
    return make_pdf(pages, title="Riverside leaflet")


def qa_table(delimiter: str = "\t") -> bytes:
    """The leaflet as a Q&A table (question, answer, alternates, source), the list as bullet lines; the .csv one
    has a column faqbot does not use, as other FAQ tools' exports do."""
    extra = delimiter == ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(("question", "answer", "alternates", "source", *(("category",) if extra else ())))
    for _, question, paragraphs in SECTIONS:
        answer = "\n\n".join(paragraphs)
        if paragraphs[-1] == LEAD_IN:
            answer += "\n" + "\n".join("- " + item for item in ITEMS)
        writer.writerow((question, answer, "", TITLE, *(("Visits",) if extra else ())))
    return out.getvalue().encode()
