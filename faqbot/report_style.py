"""The report page's stylesheet: system fonts only, light and dark, and a print layout that keeps charts whole."""

from __future__ import annotations

# Colours: the Okabe–Ito palette, told apart with any colour vision; the tables carry every number as text anyway.
STYLE = """
:root{--bg:#fff;--fg:#1b1f24;--muted:#4a525c;--line:#d5d9de;--panel:#f5f6f8;
--answer:#009e73;--clarify:#e69f00;--fallback:#d55e00;--emergency:#5b3c99;--up:#009e73;--down:#d55e00;
color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#15181c;--fg:#e8eaed;--muted:#b3bac3;--line:#3a4048;
--panel:#1f2329;--answer:#2bbf8f;--clarify:#f0b530;--fallback:#f07a2a;--emergency:#a58be0;--up:#2bbf8f;
--down:#f07a2a}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:60rem;padding:1.5rem;background:var(--bg);color:var(--fg);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
h1{font-size:1.7rem;margin:0}h2{font-size:1.25rem;margin:0 0 .6rem}
.sub,.note,footer{color:var(--muted)}.note{font-size:.9rem}
section{margin:1.8rem 0;padding-top:1rem;border-top:1px solid var(--line)}
code{font-size:.85em;background:var(--panel);padding:0 .25em;border-radius:3px;overflow-wrap:anywhere}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.6rem;margin:0}
.tile{background:var(--panel);border-radius:8px;padding:.6rem .8rem}
.tile dt{font-size:.85rem;color:var(--muted)}.tile dd{margin:0}.tile .big{font-size:1.6rem;font-weight:650}
.tile .note{font-size:.8rem}
.chart{width:100%;min-width:34rem;height:auto;display:block;font-size:12px}
table.missed,table.votes{min-width:36rem}
.scroll{overflow-x:auto}.scroll:focus-visible{outline:2px solid var(--fg);outline-offset:2px}
.chart .tick,.chart .label{fill:var(--muted)}.chart .label{font-size:14px;fill:var(--fg)}
.grid{stroke:var(--line);stroke-width:1}.axis{stroke:var(--muted);stroke-width:1}
.track{fill:var(--panel)}
.k-answer{fill:var(--answer);background:var(--answer)}.k-clarify{fill:var(--clarify);background:var(--clarify)}
.k-fallback{fill:var(--fallback);background:var(--fallback)}
.k-emergency{fill:var(--emergency);background:var(--emergency)}
.up{fill:var(--up)}.down{fill:var(--down)}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;padding:0;margin:0 0 .4rem;font-size:.9rem}
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-right:.35em;vertical-align:-.1em}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.92rem}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
thead th{font-size:.85rem;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tbody th{font-weight:500;overflow-wrap:anywhere}
.examples{margin:0;padding-left:1.1rem}.examples li,.comment{overflow-wrap:anywhere}.comment{margin:0 0 .3rem}
.mini{display:block;margin-top:.25rem}
.unasked{columns:2 22rem;padding-left:1.1rem}.unasked li{break-inside:avoid}
.empty{background:var(--panel);padding:.6rem .8rem;border-radius:8px}
details summary{cursor:pointer;color:var(--muted);margin:.4rem 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media print{.chart,table.missed,table.votes{min-width:0}
body{max-width:none;padding:0;font-size:11pt}:root{--bg:#fff;--fg:#000;--muted:#333;--panel:#f2f2f2;--line:#ccc;
--answer:#009e73;--clarify:#e69f00;--fallback:#d55e00;--emergency:#5b3c99;--up:#009e73;--down:#d55e00}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
section{break-inside:avoid-page}table.missed,table.votes{break-inside:auto}tr{break-inside:avoid}
details>summary{display:none}}
"""
