"""Search speed at scale: 5,000 modules x 6 languages, ~200 as-you-type queries.

Run: .venv/bin/python benchmarks/bench_search.py [--modules N]
Prints figures; it is not a test. Target: every search under 50 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sdm_app.content.build import build_content_db
from sdm_app.storage.content_db import ContentLibrary

TARGET_MS = 50.0
LOCALES = ("en", "es", "fr", "de", "ar", "zh_Hans")
VOCABULARY = {
    "en": """gene tumour biomarker treatment medicine result test inherited family cancer
        variant protein therapy sample blood tissue doctor risk option choice""",
    "es": """gen tumor biomarcador tratamiento medicación resultado prueba heredado familia
        cáncer variante proteína terapia muestra sangre tejido médico riesgo opción elección""",
    "fr": """gène tumeur biomarqueur traitement médicament résultat test hérité famille
        cancer variante protéine thérapie échantillon sang tissu médecin risque option choix""",
    "de": """Gen Tumor Biomarker Behandlung Medikament Ergebnis Test vererbt Familie Krebs
        Variante Protein Therapie Probe Blut Gewebe Ärztin Risiko Möglichkeit Größe""",
    "ar": """الجِينَات الورم المؤشر العلاج الدواء النتيجة الفحص الوراثي العائلة السرطان
        المتغير البروتين العلاجي العينة الدم النسيج الطبيب الخطر الخيار القرار""",
    "zh_Hans": """基因 肿瘤 生物标志物 治疗 药物 结果 检测 遗传 家庭 癌症 变异 蛋白质
        疗法 样本 血液 组织 医生 风险 选择 决定""",
}
WORDS = {locale: text.split() for locale, text in VOCABULARY.items()}
QUERIES = [
    "g",
    "ge",
    "gen",
    "gene",
    "tum",
    "tumour",
    "biomark",
    "treat",
    "medic",
    "medicacion",
    "medicación",
    "Medicacion",
    "trat",
    "tratamiento",
    "resul",
    "resultado",
    "gène",
    "gene t",
    "medicament",
    "médicament",
    "hérit",
    "herite",
    "echant",
    "échantillon",
    "Arzt",
    "Ärztin",
    "arztin",
    "grosse",
    "größe",
    "Behand",
    "الجينات",
    "الجِينَات",
    "العلاج",
    "ال",
    "الد",
    "السرطان",
    "基因",
    "治疗",
    "遗传",
    "癌",
    "cancer risk",
    "family hist",
    "blood sam",
    "protein ther",
    "xyzzy",
    "a",
    "option c",
    "varian",
    "variante prot",
    "choix",
    "opción",
]  # fmt: skip


def sentence(rng: random.Random, words: list[str], number: int) -> str:
    picked = rng.choices(words, k=rng.randint(6, 14))
    picked[0] = picked[0].capitalize()
    return " ".join(picked) + f" {number}."


def body(rng: random.Random, locale: str, numbers: list[int]) -> str:
    words = WORDS[locale] + [f"w{rng.randint(0, 4000)}" for _ in range(40)]
    parts = []
    for section, group in enumerate(range(0, len(numbers), 4)):
        parts.append(f"## {words[section % len(words)]} {words[-section - 1]}\n")
        text = " ".join(sentence(rng, words, n) for n in numbers[group : group + 4])
        parts.append(text + " [@s1]\n")  # one citation per paragraph, as authors write
    return "\n".join(parts)


def write_pack(root: Path, modules: int) -> None:
    pack = root / "bench"
    (pack / "modules").mkdir(parents=True)
    (pack / "glossary").mkdir()
    (pack / "pack.yaml").write_text(
        "id: bench\nname: Bench\nversion: 1.0.0\nsource_locale: en\n"
        f"locales: [{', '.join(LOCALES)}]\n",
        "utf-8",
    )
    (pack / "topics.yaml").write_text(
        "topics:\n"
        + "".join(f"  - id: t{i}\n    title:\n      en: Topic {i}\n" for i in range(20)),
        "utf-8",
    )
    (pack / "glossary" / "en.yaml").write_text(
        "locale: en\nstatus: source\nterms:\n  - id: dna\n    version: 1\n    term: DNA\n"
        "    definition: A molecule.\n",
        "utf-8",
    )
    rng = random.Random(42)
    for index in range(modules):
        numbers = [rng.randint(1, 99) for _ in range(rng.randint(24, 40))]
        seed = rng.random()
        for locale in LOCALES:
            local = random.Random(f"{seed}{locale}")
            title = " ".join(local.choices(WORDS[locale], k=3)) + f" {index}"
            if locale == "en":
                header = (
                    f"id: m{index}\nversion: 1\nstatus: source\ntopic: t{index % 20}\n"
                    "audience: [patient]\n"
                    f"title: {title}\nkey_message: {' '.join(local.choices(WORDS[locale], k=10))}\n"
                    "review:\n  reviewed_on: 2026-01-01\n  reviewer: Bench\n"
                    "  next_review: 2099-01-01\n  status: reviewed\n"
                    "sources:\n  - id: s1\n    citation: A source.\n    pmid: '1'\n"
                    "    date: 2020-01-01\n"
                )
            else:
                header = (
                    f"id: m{index}\nstatus: machine-assisted\ntranslation_of: 1\n"
                    f"title: {title}\nkey_message: {' '.join(local.choices(WORDS[locale], k=10))}\n"
                )
            text = f"---\n{header}---\n\n{body(local, locale, numbers)}"
            (pack / "modules" / f"m{index}.{locale}.md").write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "content"
        started = time.perf_counter()
        write_pack(root, args.modules)
        files = list((root / "bench" / "modules").iterdir())
        size = sum(path.stat().st_size for path in files) / len(files)
        print(
            f"generated {len(files)} module files (mean {size / 1024:.1f} KB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        out = Path(temp) / "content.db"
        report = build_content_db(root, out)
        print(
            f"build: {report.seconds:.1f} s, {report.module_texts} texts, "
            f"db {out.stat().st_size / 1e6:.1f} MB"
        )
        rng = random.Random(7)
        queries = [(q, rng.choice(LOCALES)) for q in QUERIES]
        queries += [(rng.choice(QUERIES), rng.choice(LOCALES)) for _ in range(200 - len(queries))]
        with ContentLibrary.open(out) as library:
            library.search("warm up", "en")
            timings = []
            worst = ("", "", 0.0)
            hits_total = 0
            for query, locale in queries:
                began = time.perf_counter()
                hits = library.search(query, locale)
                elapsed = (time.perf_counter() - began) * 1000
                timings.append(elapsed)
                hits_total += len(hits)
                if elapsed > worst[2]:
                    worst = (query, locale, elapsed)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        median = statistics.median(timings)
        print(
            f"{len(timings)} searches, {hits_total} hits: median {median:.1f} ms, "
            f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms "
            f"(slowest: {worst[0]!r} in {worst[1]})"
        )
        met = timings[-1] < TARGET_MS
        print(f"target < {TARGET_MS:.0f} ms: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
