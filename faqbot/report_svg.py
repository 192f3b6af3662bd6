"""The report's charts as inline SVG strings: no script, no fonts or images fetched; every text escaped.

Colours come from CSS classes (`k-answer`, `up`, `grid`…) that the page's stylesheet defines, so the charts follow
its light, dark and print colours.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from faqbot.report import KIND_LABELS, KINDS, Bucket, ChannelRate, Period

WIDTH = 760
TIME_HEIGHT = 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 12, 12, 36
_X_LABELS = 10


def nice_ceiling(value: int) -> int:
    """The top of the scale: four whole-number grid steps of 1, 2, 2.5, 3 or 5 × 10^k that reach `value`."""
    power = 1
    while True:
        for tenths in (10, 20, 25, 30, 50):
            if tenths * power % 10 == 0 and 4 * (tenths * power // 10) >= value:
                return 4 * (tenths * power // 10)
        power *= 10


def day_label(period: Period, bucket: Bucket) -> str:
    """A bar's date as shown under it: "5 Dec", or "w/c 30 Nov" for a week."""
    text = f"{period.start.day} {period.start:%b}"
    return f"w/c {text}" if bucket == "week" else text


def period_summary(period: Period, bucket: Bucket) -> str:
    """One bar in words, for its tooltip: "5 Dec: 12 answered, 1 clarified, 3 declined, 0 emergency"."""
    counts = ", ".join(f"{n} {KIND_LABELS[kind].lower()}" for kind, n in zip(KINDS, period.counts, strict=True))
    return f"{day_label(period, bucket)}: {counts}"


def _svg_open(width: int, height: int, title: str, desc: str, ident: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(desc)}</desc>'
    )


def time_chart(periods: Sequence[Period], bucket: Bucket, title: str, desc: str, ident: str = "time") -> str:
    """Stacked bars, one per day or week, of answered / clarified / declined / emergency replies."""
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, TIME_HEIGHT - _TOP - _BOTTOM
    top = nice_ceiling(max((sum(p.counts) for p in periods), default=0))
    parts = [_svg_open(WIDTH, TIME_HEIGHT, title, desc, ident)]
    for tick in range(5):
        value = top * tick // 4
        y = _TOP + plot_h - plot_h * tick / 4
        parts.append(f'<line class="grid" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    slot = plot_w / max(len(periods), 1)
    every = math.ceil(len(periods) / _X_LABELS) if periods else 1
    for i, period in enumerate(periods):
        x = _LEFT + i * slot + slot * 0.1
        y = _TOP + plot_h
        parts.append(f"<g><title>{escape(period_summary(period, bucket))}</title>")
        for kind, count in zip(KINDS, period.counts, strict=True):
            height = plot_h * count / top
            y -= height
            if count:
                parts.append(
                    f'<rect class="k-{kind}" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.8:.1f}" height="{height:.1f}"/>'
                )
        parts.append("</g>")
        if i % every == 0:
            centre = _LEFT + (i + 0.5) * slot
            label = escape(day_label(period, bucket))
            parts.append(
                f'<text class="tick" x="{centre:.1f}" y="{TIME_HEIGHT - 14}" text-anchor="middle">{label}</text>'
            )
    parts.append(f'<line class="axis" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{_TOP + plot_h}" y2="{_TOP + plot_h}"/>')
    parts.append("</svg>")
    return "".join(parts)


def rate_chart(channels: Sequence[ChannelRate], title: str, desc: str, ident: str = "rate") -> str:
    """One horizontal bar per channel: the share of its questions that were answered, out of 100 %."""
    row, label_w, value_w = 34, 110, 60
    height = _TOP + row * max(len(channels), 1) + 24
    bar_w = WIDTH - label_w - value_w - _RIGHT
    parts = [_svg_open(WIDTH, height, title, desc, ident)]
    for tick in range(0, 101, 25):
        x = label_w + bar_w * tick / 100
        parts.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{height - 22}"/>')
        parts.append(f'<text class="tick" x="{x:.1f}" y="{height - 6}" text-anchor="middle">{tick}%</text>')
    for i, channel in enumerate(channels):
        y = _TOP + i * row
        rate = channel.rate or 0.0
        shown = f"{rate:.0%}" if channel.rate is not None else "no questions"
        parts.append(
            f'<text class="label" x="{label_w - 8}" y="{y + 20}" text-anchor="end">{escape(channel.channel)}</text>'
        )
        parts.append(f'<rect class="track" x="{label_w}" y="{y + 6}" width="{bar_w}" height="20"/>')
        parts.append(f'<rect class="k-answer" x="{label_w}" y="{y + 6}" width="{bar_w * rate:.1f}" height="20"/>')
        parts.append(f'<text class="label" x="{label_w + bar_w + 8}" y="{y + 20}">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def split_bar(up: int, down: int, scale: int) -> str:
    """A small decorative bar (the numbers are beside it): not helpful to the left of the centre, helpful right."""
    half, height = 80, 14
    scale = max(scale, 1)
    down_w, up_w = half * down / scale, half * up / scale
    return (
        f'<svg class="mini" viewBox="0 0 {2 * half} {height}" width="{2 * half}" height="{height}" aria-hidden="true" '
        f'focusable="false"><rect class="down" x="{half - down_w:.1f}" y="0" width="{down_w:.1f}" height="{height}"/>'
        f'<rect class="up" x="{half}" y="0" width="{up_w:.1f}" height="{height}"/>'
        f'<line class="axis" x1="{half}" x2="{half}" y1="0" y2="{height}"/></svg>'
    )


def size_bar(size: int, scale: int) -> str:
    """A small decorative bar for a count shown beside it."""
    width, height = 120, 14
    filled = width * size / max(scale, 1)
    return (
        f'<svg class="mini" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-hidden="true" '
        f'focusable="false"><rect class="k-fallback" x="0" y="0" width="{filled:.1f}" height="{height}"/></svg>'
    )
