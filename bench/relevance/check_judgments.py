#!/usr/bin/env python3
"""Validate judgments.jsonl against demo.jsonl (standard library only)."""

import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.normpath(os.path.join(HERE, "..", "..", "demo", "demo.jsonl"))
JUDG = os.path.join(HERE, "judgments.jsonl")

MIN_COUNTS = {
    "keyword": 12,
    "question": 12,
    "synonym": 8,
    "traditional": 6,
    "typo": 5,
    "filtered": 6,
    "no_answer": 13,
    "long": 10,
    # Queries written the way residents type (issue 16).
    "colloquial": 12,
    "dictated": 10,
    "pinyin": 10,
    "initials": 8,
    "everyday": 12,
}
# Typed without switching keyboards: toneless pinyin or its initials, nothing else.
ASCII_ONLY = {"pinyin", "initials"}
FILTER_KEYS = {"audience", "type"}
MIN_TOTAL = 148

items = {}
with open(DEMO, encoding="utf-8") as f:
    for line in f:
        if line.strip():
            d = json.loads(line)
            items[d["slug"]] = d

errors = []
ids = set()
queries = Counter()
cats = Counter()
fullwidth_trad = 0
with open(JUDG, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        if not line.strip():
            continue
        try:
            j = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: bad JSON: {e}")
            continue
        qid = j.get("id")
        if not qid or qid in ids:
            errors.append(f"line {n}: missing or duplicate id {qid!r}")
        ids.add(qid)
        q = j.get("query")
        if not isinstance(q, str) or not q.strip():
            errors.append(f"{qid}: empty query")
        cat = j.get("category")
        if cat not in MIN_COUNTS:
            errors.append(f"{qid}: invalid category {cat!r}")
        cats[cat] += 1
        filters = j.get("filters", {}) or {}
        if not isinstance(filters, dict) or set(filters) - FILTER_KEYS:
            errors.append(f"{qid}: bad filters {filters!r}")
            filters = {}
        if cat == "filtered" and not filters:
            errors.append(f"{qid}: filtered query without filters")
        queries[(q, json.dumps(filters, sort_keys=True))] += 1
        rel = j.get("relevant")
        if not isinstance(rel, dict):
            errors.append(f"{qid}: relevant must be an object")
            continue
        if cat == "no_answer" and rel:
            errors.append(f"{qid}: no_answer query has relevant items")
        if cat != "no_answer" and not rel:
            errors.append(f"{qid}: empty relevant for category {cat}")
        for slug, g in rel.items():
            if slug not in items:
                errors.append(f"{qid}: unknown slug {slug}")
                continue
            if g not in (1, 2, 3):
                errors.append(f"{qid}: bad grade {g!r} for {slug}")
            it = items[slug]
            if "audience" in filters and filters["audience"] not in it.get("audiences", []):
                errors.append(f"{qid}: {slug} lacks audience {filters['audience']}")
            if "type" in filters and it.get("type") != filters["type"]:
                errors.append(f"{qid}: {slug} is type {it.get('type')}, not {filters['type']}")
        if cat in ASCII_ONLY and not re.fullmatch(r"[A-Za-z]+( [A-Za-z]+)*", q or ""):
            errors.append(f"{qid}: {cat} query must be ASCII letters and single spaces: {q!r}")
        if cat == "traditional" and any(0xFF01 <= ord(c) <= 0xFF5E for c in q or ""):
            fullwidth_trad += 1

for (q, fl), c in queries.items():
    if c > 1:
        errors.append(f"duplicate query+filters: {q} {fl}")
for cat, need in MIN_COUNTS.items():
    if cats[cat] < need:
        errors.append(f"category {cat}: {cats[cat]} < {need}")
if fullwidth_trad < 2:
    errors.append(f"only {fullwidth_trad} traditional queries with full-width characters (need 2)")
total = sum(cats.values())
if total < MIN_TOTAL:
    errors.append(f"only {total} queries (need {MIN_TOTAL})")

print(f"items in demo.jsonl: {len(items)}")
print(f"queries: {total}")
for cat in MIN_COUNTS:
    print(f"  {cat:12s} {cats[cat]:3d} (min {MIN_COUNTS[cat]})")
print(f"  traditional with full-width chars: {fullwidth_trad}")
if errors:
    print("ERRORS:")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("OK")
