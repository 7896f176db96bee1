"""错敏词 check speed: a 20,000-character page against the shipped list and a large list.

    .venv/bin/python bench/editorial/check_speed.py [--rounds 50]

Builds an unsaved article whose body is ~20,000 characters of demo text in paragraph blocks and
times ``page_places`` + ``WordList.check`` (what the editor, the workflow and the import run), next
to a baseline measured in the same run: one ``str.find`` scan per phrase over the folded text.
Target (issue 15): under 20 ms per check.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/kepu-bench-editorial.sqlite3")  # content types only

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)

from content.models import ArticlePage  # noqa: E402
from editorial.engine import Term, WordList  # noqa: E402
from editorial.folding import fold  # noqa: E402
from editorial.places import html_text, page_places  # noqa: E402
from editorial.starting_list import starting_terms  # noqa: E402

TARGET_CHARS = 20_000


def demo_text() -> str:
    texts = []
    for line in (ROOT / "demo" / "demo.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            texts.append(item.get("body", "") + item.get("transcript", ""))
    return "".join(texts)


def page_of(chars: int) -> ArticlePage:
    from content.blocks import BodyStreamBlock

    source = demo_text()
    paragraphs, total = [], 0
    while total < chars:
        chunk = source[:400]
        source = source[400:] or demo_text()
        paragraphs.append(("paragraph", f"<p>{chunk}</p>"))
        total += len(html_text(chunk))  # visible characters, not markup
    body = BodyStreamBlock().to_python([{"type": t, "value": v} for t, v in paragraphs])
    return ArticlePage(title="二万字的科普长文", summary="摘要" * 50, body=body)


def synthetic_terms(count: int) -> list[Term]:
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    terms, seen = [], set()
    n = 0
    while len(terms) < count:
        size = len(alphabet)
        a, b, c = alphabet[n % size], alphabet[(n // size) % size], alphabet[(n * 7 + 3) % size]
        phrase = a + b + c
        n += 1
        if phrase not in seen:
            seen.add(phrase)
            terms.append(Term(phrase, "warn"))
    return terms


def timed(fn, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times) -> str:
    ordered = sorted(times)
    return f"median {statistics.median(ordered):6.2f} ms  p95 {ordered[int(len(ordered) * 0.95) - 1]:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    page = page_of(TARGET_CHARS)
    chars = sum(len(place.text) for place in page_places(page))
    print(f"page: {chars} characters of text in {len(page.body)} blocks; {args.rounds} rounds")
    for name, terms in (
        ("shipped list", starting_terms()),
        ("shipped + 5,000", starting_terms() + synthetic_terms(5_000)),
    ):
        word_list = WordList(terms)
        hits = len(word_list.check(page_places(page)).hits)
        check = timed(lambda wl=word_list: wl.check(page_places(page)), args.rounds)
        folded_phrases = [fold(term.phrase) for term in terms]

        def naive(phrases=folded_phrases):
            text = fold("\n".join(place.text for place in page_places(page)))
            return [p for p in phrases if text.find(p) >= 0]

        baseline = timed(naive, args.rounds)
        ratio = statistics.median(baseline) / statistics.median(check)
        print(f"{name:16s} ({len(terms):5d} phrases, {hits} hits): check {summary(check)}")
        print(f"{'':16s} baseline str.find per phrase: {summary(baseline)}  → check is {ratio:.1f}× faster")


if __name__ == "__main__":
    main()
