#!/usr/bin/env python3
"""Turn BenchmarkDotNet's full JSON reports into the table and chart of docs/performance.md (Python stdlib only).

usage: scripts/plot-benchmarks.py RESULTS_DIR [--svg docs/benchmarks.svg] [--markdown docs/benchmark-table.md]

RESULTS_DIR is BenchmarkDotNet's results folder (it holds *-report-full.json). Medians and allocated bytes come straight
from the JSON; ratios are medians divided by the OpenAIChatClient median of the same case (and by the floor's, for time).
"""
import argparse
import glob
import json
import os
import sys
from xml.sax.saxutils import escape

CONTENDERS = ["Qwen", "OpenAIChatClient", "SemanticKernel", "FloorOverHttp", "Floor"]
COLORS = {"Qwen": "#615ced", "OpenAIChatClient": "#10a37f", "SemanticKernel": "#e8912d", "FloorOverHttp": "#b5b5b5", "Floor": "#8a8a8a"}
CASE_ORDER = ["NonStreaming1KB", "NonStreaming20KBReasoningTools", "Stream300Text", "Stream300ReasoningThenText",
              "StreamToolCalls50x3", "RequestSerialization"]


def load(results_dir):
    rows = {}
    files = sorted(glob.glob(os.path.join(results_dir, "*-report-full.json")))
    if not files:
        sys.exit(f"no *-report-full.json in {results_dir}")
    for path in files:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        for b in report["Benchmarks"]:
            case = b["Type"]
            stats = b.get("Statistics") or {}
            memory = b.get("Memory") or {}
            if "Median" not in stats:
                continue
            rows.setdefault(case, {})[b["Method"]] = {
                "median_ns": stats["Median"],
                "mean_ns": stats["Mean"],
                "allocated": memory.get("BytesAllocatedPerOperation"),
            }
    return dict(sorted(rows.items(), key=lambda kv: CASE_ORDER.index(kv[0]) if kv[0] in CASE_ORDER else 99))


def fmt_time(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:,.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:,.1f} µs"
    return f"{ns:,.0f} ns"


def fmt_bytes(b):
    if b is None:
        return "?"
    if b >= 1024 * 1024:
        return f"{b / 1024 / 1024:,.2f} MB"
    if b >= 1024:
        return f"{b / 1024:,.1f} KB"
    return f"{b:,} B"


def ratio(a, b):
    return None if a is None or not b else a / b


def markdown(rows):
    out = ["| case | contender | median | allocated | time vs OpenAIChatClient | alloc vs OpenAIChatClient | time vs floor | time vs floor over HTTP |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for case, methods in rows.items():
        peer = methods.get("OpenAIChatClient")
        floor = methods.get("Floor")
        http_floor = methods.get("FloorOverHttp")
        for name in CONTENDERS:
            m = methods.get(name)
            if not m:
                continue
            t = ratio(m["median_ns"], peer and peer["median_ns"])
            a = ratio(m["allocated"], peer and peer["allocated"])
            f = ratio(m["median_ns"], floor and floor["median_ns"])
            h = ratio(m["median_ns"], http_floor and http_floor["median_ns"])
            out.append(f"| {case} | {name} | {fmt_time(m['median_ns'])} | {fmt_bytes(m['allocated'])} | "
                       f"{'' if t is None else f'{t:.3f}×'} | {'' if a is None else f'{a:.3f}×'} | {'' if f is None else f'{f:.2f}×'} | {'' if h is None else f'{h:.2f}×'} |")
    return "\n".join(out) + "\n"


def svg(rows):
    """Two panels side by side: median time and allocated bytes, each relative to OpenAIChatClient (= 1) per case."""
    bar_h, gap, case_gap = 14, 2, 18
    label_w, panel_w, top = 230, 330, 70
    width = label_w + 2 * panel_w + 60
    y = top
    parts = []
    max_ratio = 1.6  # bars longer than this are clipped and labelled
    for case, methods in rows.items():
        peer = methods.get("OpenAIChatClient")
        names = [n for n in CONTENDERS if n in methods]
        block = len(names) * (bar_h + gap)
        parts.append(f'<text x="{label_w - 10}" y="{y + block / 2 + 4}" text-anchor="end" font-weight="bold">{escape(case)}</text>')
        for name in names:
            m = methods[name]
            for panel, key in enumerate(["median_ns", "allocated"]):
                r = ratio(m[key], peer and peer[key])
                if r is None:
                    continue
                x0 = label_w + panel * (panel_w + 30)
                w = min(r, max_ratio) / max_ratio * (panel_w - 70)
                parts.append(f'<rect x="{x0}" y="{y}" width="{max(w, 0.5):.1f}" height="{bar_h}" fill="{COLORS[name]}"/>')
                parts.append(f'<text x="{x0 + w + 4:.1f}" y="{y + bar_h - 3}" font-size="10">{r:.3f}×{"" if r <= max_ratio else " ▸"}</text>')
            y += bar_h + gap
        y += case_gap
    height = y + 40
    head = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
            f'<rect width="{width}" height="{height}" fill="white"/>',
            f'<text x="{label_w}" y="22" font-size="15" font-weight="bold">Median time and allocated bytes relative to OpenAIChatClient (= 1.0; shorter is better)</text>']
    for panel, title in enumerate(["median time", "allocated bytes"]):
        x0 = label_w + panel * (panel_w + 30)
        one = (1 / max_ratio) * (panel_w - 70)
        head.append(f'<text x="{x0}" y="{top - 12}" font-weight="bold">{title}</text>')
        head.append(f'<line x1="{x0 + one:.1f}" y1="{top - 6}" x2="{x0 + one:.1f}" y2="{y - case_gap}" stroke="#444" stroke-dasharray="3,3"/>')
    legend_x = label_w
    for name in CONTENDERS:
        head.append(f'<rect x="{legend_x}" y="{height - 28}" width="12" height="12" fill="{COLORS[name]}"/>')
        head.append(f'<text x="{legend_x + 16}" y="{height - 18}">{name}</text>')
        legend_x += 130
    return "\n".join(head + parts + ["</svg>"]) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results_dir")
    parser.add_argument("--svg", default="docs/benchmarks.svg")
    parser.add_argument("--markdown", default=None, help="also write the table to this file")
    args = parser.parse_args()
    rows = load(args.results_dir)
    table = markdown(rows)
    sys.stdout.write(table)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(table)
    with open(args.svg, "w", encoding="utf-8") as f:
        f.write(svg(rows))
    print(f"wrote {args.svg}", file=sys.stderr)


if __name__ == "__main__":
    main()
