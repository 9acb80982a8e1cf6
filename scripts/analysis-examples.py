#!/usr/bin/env python3
"""The README's "Analysing the facts" examples, run on the shipped corpus and checked.

The researcher's question: plan attainment of budget revenue, by province and period,
H1 2023 to H1 2025. Asked once through DuckDB and once through pandas, on facts.jsonl and
docs.jsonl as `extract corpus/ -o facts.jsonl --docs docs.jsonl` writes them.

With a third file, the long table of `extract compare --by province --format csv corpus/`,
the same question is asked of it (one flat table: no unnesting, no join), through DuckDB
and pandas again.

usage: analysis-examples.py FACTS.jsonl DOCS.jsonl [LONG.csv]
"""
import sys

import duckdb
import pandas as pd

facts_path, docs_path = sys.argv[1], sys.argv[2]
long_path = sys.argv[3] if len(sys.argv) > 3 else None

# The Sơn Thủy samples' first plan figure for state budget revenue (against the province's plan).
EXPECTED = {"2023-01/2023-06": 44.8, "2024-01/2024-06": 51.2, "2025-01/2025-06": 54.2}

# --- DuckDB -------------------------------------------------------------------------------
QUERY = f"""
WITH measures AS (
    SELECT doc, period_iso, indicator_key, unnest(measures, recursive := true)
    FROM read_json_auto('{facts_path}')
)
SELECT d.issuer, d.province, m.period_iso, first(m.value ORDER BY m.line) AS plan_pct
FROM measures m JOIN read_json_auto('{docs_path}') d USING (doc)
WHERE m.kind = 'plan'
  AND m.indicator_key = 'thu ngân sách nhà nước'
  AND m.period_iso BETWEEN '2023-01' AND '2025-06/'
  AND m.period_iso LIKE '%-01/%-06'
GROUP BY ALL
ORDER BY m.period_iso
"""
rows = duckdb.sql(QUERY).fetchall()
duck = {period: value for _issuer, _province, period, value in rows}
print("DuckDB:", rows)

# --- pandas -------------------------------------------------------------------------------
facts = pd.read_json(facts_path, lines=True)
docs = pd.read_json(docs_path, lines=True)[["doc", "issuer", "province"]]
measures = facts.explode("measures", ignore_index=True)
measures = pd.concat(
    [measures.drop(columns="measures"), pd.json_normalize(measures["measures"].tolist()).add_prefix("m_")],
    axis=1,
).merge(docs, on="doc")
plan = measures[
    (measures.m_kind == "plan")
    & (measures.indicator_key == "thu ngân sách nhà nước")
    & measures.period_iso.str.match(r"^202[3-5]-01/202[3-5]-06$", na=False)
]
table = plan.sort_values("m_line").groupby(["issuer", "period_iso"], dropna=False).m_value.first()
print("pandas:", table.to_dict())
frame = {period: value for (_issuer, period), value in table.items()}

answers = [("DuckDB", duck), ("pandas", frame)]

# --- the long table of compare, through both --------------------------------------------
if long_path:
    LONG_QUERY = f"""
    SELECT issuer, province, period_iso, value
    FROM read_csv_auto('{long_path}')
    WHERE measure = 'plan' AND indicator_key = 'thu ngân sách nhà nước'
      AND basis ILIKE '%tỉnh%' AND period_iso BETWEEN '2023-01' AND '2025-06/'
    ORDER BY period_iso
    """
    rows = duckdb.sql(LONG_QUERY).fetchall()
    print("DuckDB, long table:", rows)
    answers.append(("DuckDB, long table", {period: value for _i, _p, period, value in rows}))
    table = pd.read_csv(long_path)
    table = table[
        (table.measure == "plan")
        & (table.indicator_key == "thu ngân sách nhà nước")
        & table.basis.str.contains("tỉnh", case=False, na=False)
        & table.period_iso.between("2023-01", "2025-06/")
    ]
    answer = table.set_index("period_iso").value.to_dict()
    print("pandas, long table:", answer)
    answers.append(("pandas, long table", answer))

failed = [name for name, got in answers if got != EXPECTED]
for name in failed:
    print(f"{name} gave another answer than {EXPECTED}", file=sys.stderr)
print(f"{len(answers) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
