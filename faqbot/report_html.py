"""The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched, every text escaped.

Question text and comments come from patients (scrubbed, but untrusted): they only ever pass through `escape`, and
the page's Content-Security-Policy forbids scripts and every fetch besides, as a second line of defence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from faqbot.grouping import VECTORISE_CAP
from faqbot.report import KIND_LABELS, KINDS, ChannelRate, MissedGroup, Report, SectionVotes
from faqbot.report_style import STYLE
from faqbot.report_svg import day_label, rate_chart, size_bar, split_bar, time_chart

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
# Patients' questions can be long; the report shows the start of each.
EXAMPLE_CHARS = 160


def _date(when: datetime) -> str:
    return f"{when.day} {when:%b %Y}"


def _clip(text: str, limit: int = EXAMPLE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "\u2013"


def render(report: Report, generated: datetime) -> str:
    """The whole page for a report, made at `generated`."""
    span = f"{_date(report.start)} to {_date(report.end)}"
    made = f"{generated.day} {generated:%b %Y %H:%M %Z}".strip()
    body = "".join(
        (
            _summary(report),
            _over_time(report),
            _channels(report.channels),
            _missed(report),
            _votes(report.votes),
            _unasked(report),
        )
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>faqbot report, {escape(span)}</title><style>{STYLE}</style></head><body>"
        f'<header><h1>What patients asked</h1><p class="sub">{escape(span)} \u00b7 '
        f"{report.sections} sections in the documents \u00b7 made {escape(made)}"
        "</p></header>"
        f"<main>{body}</main>"
        "<footer><p>Made by <code>faqbot report</code> from the insights file. Question text appears only when the "
        "clinic keeps it (<code>[insights] keep_questions</code>), scrubbed of names, numbers and addresses, and "
        "is deleted after <code>retention_days</code>; counts stay.</p></footer></body></html>\n"
    )


def _scrolling(chart: str, name: str) -> str:
    """A chart kept legible on a phone: it keeps a minimum width and its box scrolls sideways (focusable, so the
    keyboard can scroll it too), instead of shrinking its labels to nothing."""
    return f'<div class="scroll" tabindex="0" role="group" aria-label="{escape(name)}">{chart}</div>'


def _section(ident: str, heading: str, content: str) -> str:
    return f'<section aria-labelledby="{ident}"><h2 id="{ident}">{escape(heading)}</h2>{content}</section>'


def _summary(report: Report) -> str:
    answered, clarified, declined, emergency = report.totals
    questions = answered + clarified + declined
    up = sum(v.up for v in report.votes)
    down = sum(v.down for v in report.votes)
    tiles = [
        ("Questions for the documents", f"{questions:,}", f"{report.other:,} other replies (greetings, contact)"),
        ("Answered", f"{answered:,}", f"{_percent(answered, questions)} of questions"),
        ("Clarified", f"{clarified:,}", "asked which section was meant"),
        ("Declined", f"{declined:,}", f"{_percent(declined, questions)} of questions"),
        ("Emergencies", f"{emergency:,}", "told to call for help"),
        ("Helpful / not helpful", f"{up:,} / {down:,}", f"{_percent(up, up + down)} helpful"),
    ]
    items = "".join(
        f'<div class="tile"><dt>{escape(name)}</dt><dd class="big">{escape(value)}</dd>'
        f'<dd class="note">{escape(note)}</dd></div>'
        for name, value, note in tiles
    )
    return _section("summary", "At a glance", f'<dl class="tiles">{items}</dl>')


def _legend() -> str:
    keys = "".join(f'<li><span class="swatch k-{k}"></span>{escape(KIND_LABELS[k])}</li>' for k in KINDS)
    return f'<ul class="legend" aria-hidden="true">{keys}</ul>'


def _over_time(report: Report) -> str:
    unit = "day" if report.bucket == "day" else "week"
    totals = ", ".join(f"{n:,} {KIND_LABELS[k].lower()}" for k, n in zip(KINDS, report.totals, strict=True))
    desc = f"One bar per {unit} from {_date(report.start)} to {_date(report.end)}. In all: {totals}."
    chart = time_chart(report.periods, report.bucket, f"Replies per {unit}", desc)
    head = "".join(f'<th scope="col">{escape(KIND_LABELS[k])}</th>' for k in KINDS)
    rows = "".join(
        f'<tr><th scope="row">{escape(day_label(p, report.bucket))}</th>'
        + "".join(f"<td>{n:,}</td>" for n in p.counts)
        + "</tr>"
        for p in report.periods
    )
    numbers = (
        f'<table><thead><tr><th scope="col">{escape(unit.title())}</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )
    table = (
        f"<details><summary>The numbers by {unit}</summary>"
        f"{_scrolling(numbers, f'Table of replies per {unit}')}</details>"
    )
    return _section(
        "time", f"Replies per {unit}", _legend() + _scrolling(chart, f"Chart of replies per {unit}") + table
    )


def _channels(channels: Sequence[ChannelRate]) -> str:
    if not channels:
        return _section("channels", "Answer rate by channel", '<p class="empty">No replies in this period.</p>')
    words = "; ".join(
        f"{c.channel}: {c.rate:.0%} of {c.questions:,}" if c.rate is not None else f"{c.channel}: no questions"
        for c in channels
    )
    chart = rate_chart(channels, "Share of questions answered, per channel", words)
    rows = "".join(
        f'<tr><th scope="row">{escape(c.channel)}</th>'
        + "".join(f'<td class="num">{n:,}</td>' for n in (c.questions, *c.counts))
        + f'<td class="num">{_percent(c.counts[0], c.questions)}</td></tr>'
        for c in channels
    )
    names = ("Questions", "Answered", "Clarified", "Declined", "Emergencies", "Answer rate")
    head = "".join(f'<th scope="col" class="num">{name}</th>' for name in names)
    table = f'<table><thead><tr><th scope="col">Channel</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    note = '<p class="note">Answer rate: answered among answered, clarified and declined replies.</p>'
    content = _scrolling(chart, "Chart of answer rates") + _scrolling(table, "Table of replies per channel")
    return _section("channels", "Answer rate by channel", content + note)


def _examples(group: MissedGroup) -> str:
    times = {n: f' <span class="note">\u00d7{n}</span>' if n > 1 else "" for _, n in group.examples}
    items = "".join(f"<li>\u201c{escape(_clip(text))}\u201d{times[n]}</li>" for text, n in group.examples)
    return f'<ul class="examples">{items}</ul>'


def _missed(report: Report) -> str:
    if not report.missed_replies:
        content = '<p class="empty">Nothing was declined, clarified or marked not helpful in this period.</p>'
    elif not report.missed:
        content = (
            f'<p class="empty">{report.missed_replies:,} replies were clarified or declined or marked not helpful, '
            "but their questions were not kept. Turn on <code>keep_questions = true</code> under "
            "<code>[insights]</code> to see them here.</p>"
        )
    else:
        scale = max(g.size for g in report.missed)
        rows = "".join(
            f'<tr><th scope="row">{escape(g.section.title) if g.section else "<em>Close to no section</em>"}'
            f"{f'<br><code>{escape(g.section.id)}</code>' if g.section else ''}</th>"
            f'<td class="num">{g.size:,}</td><td>{size_bar(g.size, scale)}</td><td>{_examples(g)}</td></tr>'
            for g in report.missed
        )
        table = (
            '<table class="missed"><thead><tr><th scope="col">Most likely section</th>'
            '<th scope="col" class="num">Times</th>'
            f'<th scope="col"><span class="sr">Bar</span></th><th scope="col">Examples</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
        content = (
            f'<p class="note">{report.missed_texts:,} kept questions of {report.missed_replies:,} missed replies, '
            + (
                "grouped by meaning as <code>faqbot review</code> groups them, each under the section the engine "
                "ranks first for its most asked question"
                if report.missed_by_meaning
                else "grouped by the section the engine ranks first for each"
            )
            + " (identical questions counted together). "
            "<code>faqbot review</code> turns a group into alternate questions for its section.</p>"
            + _left_out(report)
            + _scrolling(table, "Table of missed questions")
        )
    return _section("missed", "Most missed questions", content)


def _left_out(report: Report) -> str:
    """What the groups leave out, when they leave anything out: the figures above them are not every question."""
    if not report.missed_left_out:
        return ""
    grouped = report.missed_distinct - report.missed_left_out
    return (
        f'<p class="note">{grouped:,} of {report.missed_distinct:,} distinct questions are grouped: the '
        f"{report.missed_clustered:,} most asked, and {grouped - report.missed_clustered:,} less asked that joined "
        f"one of their groups. Left out: {report.missed_left_out:,} less asked, close to no group or beyond the "
        f"{VECTORISE_CAP:,} most asked.</p>"
    )


def _votes(votes: Sequence[SectionVotes]) -> str:
    if not votes:
        return _section("votes", "Helpful / not helpful per section", '<p class="empty">No votes in this period.</p>')
    scale = max(max(v.up, v.down) for v in votes)
    rows = "".join(
        f'<tr><th scope="row">{escape(v.section.title)}'
        f"{'' if v.known else ' <em>(no longer in the documents)</em>'}</th>"
        f'<td class="num">{v.up:,}</td><td class="num">{v.down:,}</td><td>{split_bar(v.up, v.down, scale)}</td>'
        f"<td>{''.join(f'<p class=comment>{escape(_clip(c))}</p>' for c in v.comments)}</td></tr>"
        for v in votes
    )
    table = (
        '<table class="votes"><thead><tr><th scope="col">Section</th><th scope="col" class="num">Helpful</th>'
        '<th scope="col" class="num">Not helpful</th><th scope="col"><span class="sr">Bar</span></th>'
        f'<th scope="col">Latest comments</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return _section("votes", "Helpful / not helpful per section", _scrolling(table, "Table of votes per section"))


def _unasked(report: Report) -> str:
    if not report.unasked:
        content = '<p class="empty">Every section was given as an answer at least once.</p>'
    else:
        items = "".join(f"<li>{escape(s.title)}</li>" for s in report.unasked)
        content = (
            f'<p class="note">{len(report.unasked)} of {report.sections} sections were never given as an answer '
            f'in this period: their headings may not be what patients ask.</p><ul class="unasked">{items}</ul>'
        )
    return _section("unasked", "Sections nobody asked about", content)
