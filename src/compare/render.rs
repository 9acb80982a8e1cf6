//! The table as CSV, Markdown or JSON, and the `--explain-keys` account as plain text.
//!
//! In: a built [`Table`]. Out: the text to write. Why separate from building: every format
//! shows the same rows, cells and order; only the notation differs. CSV and JSON are for
//! programs (numbers without units in cells of the row's unit), Markdown for notes and
//! issues.

use serde_json::{json, Map, Value};

use super::cell::Cell;
use super::table::{Column, Role, Row, Source, Table};

/// Headers of the label columns.
const INDICATOR: &str = "indicator";
const BASIS: &str = "basis";
const UNIT: &str = "unit";

/// Columns of the long table, one row per figure: who, when, what, against what, how much.
const LONG: [&str; 14] = [
    "province",
    "issuer",
    "period_iso",
    "period",
    "indicator_key",
    "indicator",
    "measure",
    "basis",
    "value",
    "value_max",
    "total",
    "unit",
    "doc",
    "line",
];

/// The header and the cells of each row, as text.
fn grid(table: &Table) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec![INDICATOR.to_string()];
    if table.basis_column() {
        header.push(BASIS.to_string());
    }
    if table.unit_column() {
        header.push(UNIT.to_string());
    }
    header.extend(table.columns.iter().map(|c| c.label.clone()));
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let mut line = vec![row.indicator.clone()];
            if table.basis_column() {
                line.push(row.basis.clone().unwrap_or_default());
            }
            if table.unit_column() {
                line.push(row.unit.clone().unwrap_or_default());
            }
            line.extend(row.cells.iter().map(|c| cell_text(c.as_ref(), row)));
            line
        })
        .collect();
    (header, rows)
}

pub fn cell_text(cell: Option<&Cell>, row: &Row) -> String {
    cell.map(|c| c.text(row.unit.as_deref()))
        .unwrap_or_default()
}

pub fn csv(table: &Table) -> anyhow::Result<String> {
    let (header, rows) = grid(table);
    write_csv(&header, &rows)
}

fn write_csv<T: AsRef<[u8]>>(header: &[T], rows: &[Vec<String>]) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row)?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// The table as a long (tidy) CSV: one line per cell, each naming its document's province,
/// issuer and period, so that pandas or DuckDB pivot it as they like.
pub fn long_csv(table: &Table) -> anyhow::Result<String> {
    let mut lines = Vec::new();
    for (index, column) in table.columns.iter().enumerate() {
        for row in &table.rows {
            if let Some(cell) = &row.cells[index] {
                lines.push(long_line(table, column, row, cell));
            }
        }
    }
    // By place; within it the columns' time order and the reports' order of statements.
    lines.sort_by(|a, b| (&a[0], &a[1]).cmp(&(&b[0], &b[1])));
    write_csv(&LONG, &lines)
}

fn long_line(table: &Table, column: &Column, row: &Row, cell: &Cell) -> Vec<String> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let figure = |value: Option<f64>| value.map(super::cell::number).unwrap_or_default();
    let place = &column.place;
    vec![
        text(&place.province),
        text(&place.issuer),
        text(&place.period_iso),
        text(&column.period),
        row.key.clone(),
        row.indicator.clone(),
        table.measure.name().to_string(),
        text(&cell.basis),
        figure(Some(cell.value)),
        figure(cell.value_max),
        figure(cell.total),
        text(&cell.unit),
        column.doc.clone(),
        cell.line.to_string(),
    ]
}

pub fn markdown(table: &Table, explain: bool) -> String {
    let (header, rows) = grid(table);
    let labels = 1 + usize::from(table.unit_column()) + usize::from(table.basis_column());
    let mut out = markdown_line(&header);
    // Text columns left, figures right, as a reader scans them.
    let rule: Vec<String> = (0..header.len())
        .map(|i| if i < labels { "---" } else { "---:" }.to_string())
        .collect();
    out.push_str(&markdown_line(&rule));
    for row in rows {
        out.push_str(&markdown_line(&row));
    }
    if explain {
        out.push_str("\n## Keys\n");
        for (index, row) in table.rows.iter().enumerate() {
            out.push_str(&format!(
                "\n{}. **{}** (key `{}`)\n",
                index + 1,
                markdown_escape(&row.indicator),
                row.key
            ));
            for source in &row.sources {
                out.push_str(&format!(
                    "   - {}\n",
                    markdown_escape(&source_line(table, source))
                ));
            }
        }
    }
    out
}

fn markdown_line(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| markdown_escape(c)).collect();
    format!("| {} |\n", cells.join(" | "))
}

fn markdown_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

pub fn json(table: &Table, explain: bool) -> anyhow::Result<String> {
    let columns: Vec<Value> = table
        .columns
        .iter()
        .map(|c| {
            json!({"label": c.label, "doc": c.doc, "period": c.period,
                   "period_iso": c.place.period_iso, "issuer": c.place.issuer,
                   "province": c.place.province, "title": c.title})
        })
        .collect();
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|row| json_row(table, row, explain))
        .collect();
    let document = json!({
        "measure": table.measure.name(),
        "columns": columns,
        "rows": rows,
    });
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(text)
}

fn json_row(table: &Table, row: &Row, explain: bool) -> Value {
    let values: Vec<Value> = row
        .cells
        .iter()
        .map(|c| c.as_ref().map_or(Value::Null, |c| number(c.value)))
        .collect();
    let cells: Vec<Value> = row
        .cells
        .iter()
        .map(|c| c.as_ref().map_or(Value::Null, json_cell))
        .collect();
    let mut object = Map::new();
    object.insert("key".into(), json!(row.key));
    object.insert("indicator".into(), json!(row.indicator));
    object.insert("basis".into(), json!(row.basis));
    object.insert("unit".into(), json!(row.unit));
    object.insert("values".into(), Value::Array(values));
    object.insert("cells".into(), Value::Array(cells));
    if explain {
        let sources = row.sources.iter().map(|s| json_source(table, s)).collect();
        object.insert("sources".into(), Value::Array(sources));
    }
    Value::Object(object)
}

fn json_cell(cell: &Cell) -> Value {
    let mut object = Map::new();
    object.insert("value".into(), number(cell.value));
    let optional = [
        ("value_max", cell.value_max.map(number)),
        ("total", cell.total.map(number)),
        ("unit", cell.unit.as_ref().map(|u| json!(u))),
        ("qualifier", cell.qualifier.as_ref().map(|q| json!(q))),
        ("basis", cell.basis.as_ref().map(|b| json!(b))),
        ("written_unit", cell.written_unit.as_ref().map(|u| json!(u))),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            object.insert(name.into(), value);
        }
    }
    object.insert("line".into(), json!(cell.line));
    Value::Object(object)
}

fn json_source(table: &Table, source: &Source) -> Value {
    json!({
        "doc": table.columns.get(source.column).map(|c| c.doc.as_str()),
        "line": source.line,
        "indicator": source.indicator,
        "period": source.period,
        "role": role_name(table, source.role),
        "figure": source.figure,
    })
}

/// Whole numbers as JSON integers (48, not 48.0), the rest as written by [`super::cell::number`].
fn number(value: f64) -> Value {
    super::cell::number(value)
        .parse::<serde_json::Number>()
        .map_or(Value::Null, Value::Number)
}

pub fn role_name(table: &Table, role: Role) -> String {
    match role {
        Role::Used => "used".to_string(),
        Role::Repeat => "repeat".to_string(),
        Role::NoMeasure => format!("no {}", table.measure.name()),
        Role::OtherBasis => "other basis".to_string(),
        Role::OtherPeriod => "other period".to_string(),
    }
}

/// One statement, one line: role, figure, where, what, and its own period if it states one.
pub fn source_line(table: &Table, source: &Source) -> String {
    let doc = table
        .columns
        .get(source.column)
        .map_or("?", |c| c.doc.as_str());
    let mut line = format!(
        "{:<12} {:>10}  {doc}:{}  \"{}\"",
        role_name(table, source.role),
        source.figure.as_deref().unwrap_or(""),
        source.line,
        source.indicator
    );
    if let Some(period) = &source.period {
        line.push_str(&format!(" (period: {period})"));
    }
    line
}

/// The `--explain-keys` account: per row, the raw statements it merged.
pub fn explain(table: &Table) -> String {
    let mut out = String::new();
    for (index, row) in table.rows.iter().enumerate() {
        out.push_str(&format!(
            "{}. {}\n   key: {}\n",
            index + 1,
            row.indicator,
            row.key
        ));
        for source in &row.sources {
            out.push_str(&format!("   {}\n", source_line(table, source)));
        }
    }
    out
}
