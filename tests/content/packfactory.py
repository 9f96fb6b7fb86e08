"""A small valid pack, written into a temporary folder, for content tests.

Line numbers in these files are relied on by the rule tests: edit with care.
"""

from __future__ import annotations

from pathlib import Path

PACK_YAML = """\
id: test
name: Test pack
version: 2026.1.0
source_locale: en
locales: [en, es, ar, zh_Hans]
publisher: Tests
"""

TOPICS_YAML = """\
topics:
  - id: basics
    title:
      en: The basics
      es: Lo básico
      ar: الأساسيات
      zh_Hans: 基础
"""

GLOSSARY_EN = """\
locale: en
status: source
terms:
  - id: dna
    version: 1
    term: DNA
    definition: The molecule that carries genetic instructions.
  - id: target
    version: 2
    term: Target
    aliases: [goal]
    definition: A change that a medicine can act on.
"""

GLOSSARY_ES = """\
locale: es
status: machine-assisted
terms:
  - id: dna
    translation_of: 1
    term: ADN
    definition: La molécula que lleva las instrucciones genéticas.
"""

BIOMARKER_EN = """\
---
id: biomarker-testing
version: 3
status: source
topic: basics
audience: [patient, clinician]
title: Biomarker testing
key_message: A biomarker test looks for changes in a tumour.
review:
  reviewed_on: 2026-10-01
  reviewer: Clinical content group
  next_review: 2099-10-01
  status: needs clinical review
sources:
  - id: nci
    citation: National Cancer Institute. Biomarker testing.
    url: https://www.cancer.gov/biomarker
    date: 2026-10-01
  - id: mosele-2020
    citation: Mosele F, et al. Ann Oncol. 2020.
    doi: 10.1016/j.annonc.2020.07.014
    date: 2020-11-01
---

## What the test looks for

A biomarker test looks at the [[dna|genes]] in a sample of the tumour, such as BRCA2 or V600E.
It can find a [[target]] for a targeted medicine [@nci].

## How long it takes

Results usually take 2 to 4 weeks [@mosele-2020].

- About 30% of tests find a target [@mosele-2020].
- Ask your team about 5-FU and COVID-19.

See also [germline findings](module:germline) and [the NCI](https://www.cancer.gov/).
"""

BIOMARKER_ES = """\
---
id: biomarker-testing
status: machine-assisted
translation_of: 3
title: Pruebas de biomarcadores
key_message: Una prueba de biomarcadores busca cambios en un tumor.
---

## Qué busca la prueba

Una prueba examina los [[dna|genes]] de una muestra del tumor, como BRCA2 o V600E.
Puede encontrar una [[target|diana]] para una medicación dirigida [@nci].

## Cuánto tarda

Los resultados suelen tardar de 2 a 4 semanas [@mosele-2020].

- Alrededor del 30 % de las pruebas encuentran una diana [@mosele-2020].
- Pregunte a su equipo por el 5-FU y la COVID-19.
"""

BIOMARKER_AR = """\
---
id: biomarker-testing
status: draft
translation_of: 3
title: فحص المؤشرات الحيوية
key_message: يبحث الفحص عن تغيرات في الورم.
---

يبحث الفحص عن الجِينَات في عينة من الورم مثل BRCA2 و V600E
و[[dna|الحمض النووي]] و[[target|هدف]] [@nci].

تستغرق النتائج من 2 إلى 4 أسابيع ونحو 30% [@mosele-2020].
"""

GERMLINE_EN = """\
---
id: germline
version: 1
status: source
topic: basics
audience: [patient]
title: Germline findings
key_message: Some changes are inherited.
review:
  reviewed_on: 2026-10-01
  reviewer: Group
  next_review: 2099-01-01
  status: reviewed
sources:
  - id: nci
    citation: NCI.
    pmid: "12345"
    date: 2026-01-01
---
Germline changes are inherited from a parent. See [[dna]] and the medication guide.
"""

GERMLINE_ES = """\
---
id: germline
status: reviewed
translation_of: 1
title: Hallazgos germinales
key_message: Algunos cambios se heredan.
---
Los cambios germinales se heredan de un progenitor. Vea [[dna|el ADN]] y la guia de medicacion.
"""

GERMLINE_AR = """\
---
id: germline
status: machine-assisted
translation_of: 1
title: النتائج الوراثية
key_message: بعض التغيرات موروثة.
---
التغيرات الوراثية تنتقل من أحد الوالدين. اقرأ النشرة العربية عن [[dna|الحمض النووي]].
"""

GERMLINE_ZH = """\
---
id: germline
status: machine-assisted
translation_of: 1
title: 胚系检测结果
key_message: 有些变化是遗传的。
---
胚系变异是从父母遗传的。请参阅[[dna|脱氧核糖核酸]]。
"""


def valid_files() -> dict[str, str]:
    return {
        "pack.yaml": PACK_YAML,
        "topics.yaml": TOPICS_YAML,
        "glossary/en.yaml": GLOSSARY_EN,
        "glossary/es.yaml": GLOSSARY_ES,
        "modules/biomarker-testing.en.md": BIOMARKER_EN,
        "modules/biomarker-testing.es.md": BIOMARKER_ES,
        "modules/biomarker-testing.ar.md": BIOMARKER_AR,
        "modules/germline.en.md": GERMLINE_EN,
        "modules/germline.es.md": GERMLINE_ES,
        "modules/germline.ar.md": GERMLINE_AR,
        "modules/germline.zh_Hans.md": GERMLINE_ZH,
    }


def write_pack(folder: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """Write ``files`` (default: the valid pack) into ``folder``; returns the folder."""
    for relative, text in (files if files is not None else dict(valid_files())).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return folder


def replace_line(text: str, number: int, new: str) -> str:
    """``text`` with its 1-based line ``number`` replaced (new may hold several lines)."""
    lines = text.split("\n")
    assert 1 <= number <= len(lines)
    lines[number - 1] = new
    return "\n".join(lines)
