# ruff: noqa: E501  (the YAML below keeps its real line lengths)
"""A small valid decision aid, its Spanish translation and a support directory, for
the packfactory pack. Line numbers in these texts are relied on by the rule tests."""

from __future__ import annotations

AID_EN = """\
id: first-treatment
version: 2
status: source
title: Choosing a first treatment
question: Which first treatment fits you best?
audience: [patient, clinician]
applies_to:
  conditions: [lung cancer]
  biomarkers: [EGFR]
summary: |
  Your tumour has a [[target]] change. There is more than one first treatment.

  This page compares them [@trial-2020]. See [germline findings](module:germline).
review:
  reviewed_on: 2026-11-21
  reviewer: Content team
  next_review: 2099-11-21
  status: needs clinical review
disclosure:
  authors: The project content team
  funding: No external funding
  conflicts_of_interest: None declared
  evidence_method: Randomised trials named in the sources.
  update_policy: Reviewed every year.
sources:
  - id: trial-2020
    citation: Author A, et al. Title. Journal. 2020;1:1-10.
    doi: 10.1000/example
    date: 2020-01-01
attributes:
  - id: how-given
    question: How is it given?
  - id: how-often
    question: How often do I go to hospital?
options:
  - id: tablets
    title: Targeted tablets
    description: A tablet taken at home every day.
    answers:
      how-given: A tablet by mouth.
      how-often: About once a month for check-ups [@trial-2020].
    benefits:
      - Works well against this kind of change.
      - The tumour shrank in 54 of 100 people [@trial-2020].
    harms:
      - Can cause rash and diarrhoea.
  - id: wait
    title: Wait and watch
    no_action: true
    description: No cancer treatment for now, with regular check-ups.
    answers:
      how-given: No treatment is given.
      how-often: Check-ups as agreed with your team.
    benefits:
      - No side effects from treatment.
    harms:
      - The cancer may grow.
outcomes:
  - id: alive-3-years
    kind: benefit
    label: People alive after 3 years
    population: Adults with advanced lung cancer with an EGFR change
    per_option:
      tablets: {numerator: 54, denominator: 100, time_frame: 3 years, certainty: moderate, certainty_reason: One large randomised trial, source: trial-2020}
      wait: {numerator: null, denominator: 100, time_frame: 3 years, certainty: null, source: null, missing_reason: No trial compared waiting with treatment.}
  - id: serious-side-effects
    kind: harm
    label: People with a serious side effect
    population: Adults with advanced lung cancer with an EGFR change
    comparator: wait
    per_option:
      tablets: {numerator: 18, denominator: 100, time_frame: 3 years, certainty: low, certainty_reason: One small trial; open-label, source: trial-2020}
      wait: {numerator: 6, denominator: 100, time_frame: 3 years, certainty: low, certainty_reason: One small trial; open-label, source: trial-2020}
values:
  - id: live-longer
    statement: Living as long as possible
    relates_to:
      tablets: Aims to keep the cancer under control for as long as possible.
      wait: Does not treat the cancer for now.
"""

AID_ES = """\
id: first-treatment
translation_of: 2
status: machine-assisted
title: Elegir un primer tratamiento
question: ¿Qué primer tratamiento le conviene más?
summary: |
  Su tumor tiene un cambio [[target|diana]]. Hay más de un primer tratamiento.

  Esta página los compara [@trial-2020].
disclosure:
  authors: El equipo de contenidos
  funding: Sin financiación externa
  conflicts_of_interest: Ninguno declarado
  evidence_method: Ensayos aleatorizados citados en las fuentes.
  update_policy: Se revisa cada año.
attributes:
  - id: how-given
    question: ¿Cómo se administra?
  - id: how-often
    question: ¿Con qué frecuencia voy al hospital?
options:
  - id: tablets
    title: Pastillas dirigidas
    description: Una pastilla que se toma en casa cada día.
    answers:
      how-given: Una pastilla por la boca.
      how-often: Más o menos una vez al mes [@trial-2020].
    benefits:
      - Funciona bien contra este tipo de cambio.
      - El tumor se redujo en 54 de 100 personas [@trial-2020].
    harms:
      - Puede causar sarpullido y diarrea.
  - id: wait
    title: Esperar y vigilar
    description: Ningún tratamiento por ahora, con controles regulares.
    answers:
      how-given: No se da tratamiento.
      how-often: Controles según lo acordado con su equipo.
    benefits:
      - Sin efectos secundarios del tratamiento.
    harms:
      - El cáncer puede crecer.
outcomes:
  - id: alive-3-years
    label: Personas vivas a los 3 años
    population: Adultos con cáncer de pulmón avanzado con un cambio en EGFR
    per_option:
      tablets: {time_frame: 3 años, certainty_reason: Un ensayo aleatorizado grande}
      wait: {time_frame: 3 años, missing_reason: Ningún ensayo comparó esperar con tratar.}
  - id: serious-side-effects
    label: Personas con un efecto secundario grave
    population: Adultos con cáncer de pulmón avanzado con un cambio en EGFR
    per_option:
      tablets: {time_frame: 3 años}
      wait: {time_frame: 3 años}
values:
  - id: live-longer
    statement: Vivir el mayor tiempo posible
    relates_to:
      tablets: Busca controlar el cáncer el mayor tiempo posible.
      wait: No trata el cáncer por ahora.
"""

SUPPORT_EN = """\
locale: en
status: source
reviewed_on: 2026-11-21
entries:
  - id: egfr-group
    name: Example EGFR Group
    url: https://example.org/egfr
    biomarkers: [EGFR]
    region: International
    description: Peer support for people with EGFR-positive lung cancer.
  - id: everyone
    name: Example Cancer Support
    url: https://example.org/
    biomarkers: [any]
    region: United Kingdom
    description: Support for anyone with cancer.
  - id: alk-group
    name: Example ALK Group
    url: https://example.org/alk
    biomarkers: [ALK]
    region: United States
    description: Support for people with ALK-positive cancer.
"""

SUPPORT_ES = """\
locale: es
status: reviewed
reviewed_on: 2026-11-21
entries:
  - id: grupo-egfr
    name: Grupo EGFR de ejemplo
    url: https://example.org/es/egfr
    biomarkers: [egfr]
    region: España
    description: Apoyo entre pacientes con cáncer de pulmón EGFR positivo.
"""

AID = "decision-aids/first-treatment.en.yaml"
AID_TRANSLATION = "decision-aids/first-treatment.es.yaml"


def aid_files() -> dict[str, str]:
    return {
        AID: AID_EN,
        AID_TRANSLATION: AID_ES,
        "support/directory.en.yaml": SUPPORT_EN,
        "support/directory.es.yaml": SUPPORT_ES,
    }
