//! The table as one self-contained HTML page, with an SVG chart per row.
//!
//! In: a built [`Table`]. Out: a complete page: inline CSS, inline SVG, no scripts, fonts,
//! images or links, so it opens from a file or an e-mail in any browser and prints as
//! seen. Each column names the report's issuer and province; the page's own words are
//! those of `--lang` ([`Words`]). With `--explain-keys` each indicator carries a folded
//! list of the statements it merged.

use std::fmt::Write;

use baocao::Kind;

use super::chart;
use super::markup::escape;
use super::render::{cell_text, source_line};
use super::table::{file_name, Column, Row, Table};
use super::words::Words;
use super::By;

const STYLE: &str = "
body { font-family: system-ui, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif;
       color: #1f2937; margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.about { color: #4b5563; margin: 0 0 16px; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 6px 10px; vertical-align: middle; }
th { background: #f9fafb; text-align: left; font-weight: 600; font-size: 13px;
     position: sticky; top: 0; z-index: 1; }
th .doc, th .issuer, th .province { display: block; font-weight: 400; color: #6b7280;
       font-size: 11px; }
th .issuer { color: #374151; }
td .basis { display: block; color: #6b7280; font-size: 11px; }
th.num { text-align: right; min-width: 64px; max-width: 110px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.indicator { min-width: 200px; max-width: 320px; }
td.chart { padding: 2px 6px; }
details { font-size: 12px; color: #4b5563; margin-top: 4px; }
details li { white-space: pre-wrap; font-family: ui-monospace, Consolas, monospace; }
svg.chart { display: block; }
svg .grid { stroke: #e5e7eb; stroke-width: 1; }
svg .tick { font-size: 10px; fill: #6b7280; text-anchor: end; }
svg .unit { font-size: 10px; fill: #6b7280; }
svg .period { font-size: 10px; fill: #374151; text-anchor: middle; }
svg .detail { fill: #6b7280; font-size: 9px; }
svg .line { stroke: #2563eb; stroke-width: 2; }
svg .reference { stroke: #dc2626; stroke-width: 1; stroke-dasharray: 5 3; }
svg .reference-label { font-size: 9px; fill: #dc2626; }
svg .dot { fill: #2563eb; }
svg .line.s1 { stroke: #059669; } svg .dot.s1 { fill: #059669; }
svg .line.s2 { stroke: #d97706; } svg .dot.s2 { fill: #d97706; }
svg .line.s3 { stroke: #7c3aed; } svg .dot.s3 { fill: #7c3aed; }
svg .value { font-size: 10px; fill: #111827; text-anchor: middle; font-weight: 600; }
@media print { th { position: static; } }
";

/// What the page shows besides the table, and in which words.
pub struct Options<'a> {
    pub by: By,
    pub min_docs: usize,
    pub explain: bool,
    pub words: &'a Words,
}

/// The page.
pub fn page(table: &Table, options: &Options) -> String {
    let words = options.words;
    let title = match options.by {
        By::Period => words.get("title_period").to_string(),
        By::Province => one_period(table).map_or_else(
            || words.get("title_province").to_string(),
            |period| format!("{}, {period}", words.get("title_province")),
        ),
    };
    let title = escape(&title);
    let about = words.fill(
        "about",
        &[
            ("documents", table.columns.len().to_string()),
            ("rows", table.rows.len().to_string()),
            ("min_docs", options.min_docs.to_string()),
        ],
    );
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>{title}</h1>\n<p class=\"about\">{}. {} {}</p>\n",
        escape(words.get("html_lang")),
        escape(measure_words(table.measure, words)),
        escape(measure_words(table.measure, words)),
        escape(&about),
        escape(words.get("notes")),
    );
    out.push_str("<table>\n<thead>\n");
    header(&mut out, table, words);
    out.push_str("</thead>\n<tbody>\n");
    let style = chart_style(table, options);
    let left = table
        .rows
        .iter()
        .map(|row| chart::axis_width(row, &style))
        .fold(0.0, f64::max);
    for row in &table.rows {
        body_row(&mut out, table, row, (&style, left), options);
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}

/// The period the columns of places share (as written, else in ISO 8601).
fn one_period(table: &Table) -> Option<&str> {
    let first = table.columns.first()?;
    let period = first.period.as_ref().or(first.place.period_iso.as_ref())?;
    let shared = table
        .columns
        .iter()
        .all(|c| c.place.period_iso == first.place.period_iso);
    shared.then_some(period.as_str())
}

/// Shares of the plan are read against 100%; other figures have no line to reach.
fn chart_style<'a>(table: &Table, options: &Options<'a>) -> chart::Style<'a> {
    let words = options.words;
    let plan = table.measure == Kind::Plan;
    chart::Style {
        unit: if plan { words.get("plan_unit") } else { "" },
        reference: plan.then(|| (100.0, words.get("reference"))),
        joined: options.by == By::Period,
    }
}

/// What the cells hold, in the page's words.
fn measure_words(measure: Kind, words: &Words) -> &str {
    words.get(match measure {
        Kind::Plan => "measure_plan",
        Kind::Change => "measure_change",
        Kind::Exceed => "measure_exceed",
        Kind::Actual => "measure_actual",
        Kind::Ratio => "measure_ratio",
        Kind::Target => "measure_target",
        Kind::Relative => "measure_relative",
    })
}

fn header(out: &mut String, table: &Table, words: &Words) {
    let _ = write!(out, "<tr><th>{}</th>", escape(words.get("indicator")));
    if table.unit_column() {
        let _ = write!(out, "<th>{}</th>", escape(words.get("unit")));
    }
    for column in &table.columns {
        column_header(out, column, words);
    }
    let _ = writeln!(out, "<th>{}</th></tr>", escape(words.get("chart")));
}

/// The column's label, and below it who issued the report, for which province, and the
/// file; the report's title as tooltip.
fn column_header(out: &mut String, column: &Column, words: &Words) {
    let _ = write!(
        out,
        "<th class=\"num\" title=\"{}\">{}",
        escape(column.title.as_deref().unwrap_or(&column.doc)),
        escape(&column.heading),
    );
    let place = &column.place;
    let lines = [
        ("issuer", place.issuer.as_deref(), "issuer"),
        ("province", place.province.as_deref(), "province"),
    ];
    for (class, text, name) in lines {
        if let Some(text) = text.filter(|t| *t != column.heading) {
            let _ = write!(
                out,
                "<span class=\"{class}\" title=\"{}\">{}</span>",
                escape(words.get(name)),
                escape(text)
            );
        }
    }
    let _ = write!(
        out,
        "<span class=\"doc\">{}</span></th>",
        escape(&file_name(&column.doc))
    );
}

fn body_row(
    out: &mut String,
    table: &Table,
    row: &Row,
    (style, left): (&chart::Style, f64),
    options: &Options,
) {
    let words = options.words;
    let _ = write!(
        out,
        "<tr><td class=\"indicator\">{}",
        escape(&row.indicator)
    );
    if let Some(basis) = &row.basis {
        let _ = write!(
            out,
            "<span class=\"basis\">{}: {}</span>",
            escape(words.get("basis")),
            escape(basis)
        );
    }
    if options.explain {
        explanation(out, table, row, words);
    }
    out.push_str("</td>");
    if table.unit_column() {
        let _ = write!(
            out,
            "<td>{}</td>",
            escape(row.unit.as_deref().unwrap_or(""))
        );
    }
    for cell in &row.cells {
        // Each figure's own basis as written, as tooltip.
        let basis = cell.as_ref().and_then(|c| c.basis.as_deref());
        let title = basis.map_or(String::new(), |b| {
            format!(" title=\"{}: {}\"", escape(words.get("basis")), escape(b))
        });
        let _ = write!(
            out,
            "<td class=\"num\"{title}>{}</td>",
            escape(&cell_text(cell.as_ref(), row))
        );
    }
    let row_style = chart::Style {
        unit: match table.measure {
            Kind::Plan => style.unit,
            _ => row.unit.as_deref().unwrap_or(""),
        },
        ..*style
    };
    let _ = writeln!(
        out,
        "<td class=\"chart\">{}</td></tr>",
        chart::svg(row, &table.columns, &row_style, left)
    );
}

fn explanation(out: &mut String, table: &Table, row: &Row, words: &Words) {
    let _ = write!(
        out,
        "<details><summary>{}: {}</summary><ul>",
        escape(words.get("key")),
        escape(&row.key)
    );
    for source in &row.sources {
        let _ = write!(out, "<li>{}</li>", escape(&source_line(table, source)));
    }
    out.push_str("</ul></details>");
}
