//! The table as one self-contained HTML page, with an SVG chart per row.
//!
//! In: a built [`Table`]. Out: a complete page: inline CSS, inline SVG, no scripts, fonts,
//! images or links, so it opens from a file or an e-mail in any browser and prints as
//! seen. With `--explain-keys` each indicator carries a folded list of the statements it
//! merged.

use std::fmt::Write;

use baocao::Kind;

use super::chart;
use super::markup::escape;
use super::render::{cell_text, source_line};
use super::table::{Column, Row, Table};

const STYLE: &str = "
body { font-family: system-ui, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif;
       color: #1f2937; margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.about { color: #4b5563; margin: 0 0 16px; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 6px 10px; vertical-align: middle; }
th { background: #f9fafb; text-align: left; font-weight: 600; font-size: 13px;
     position: sticky; top: 0; z-index: 1; }
th .doc { display: block; font-weight: 400; color: #6b7280; font-size: 11px; }
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
svg .line { stroke: #2563eb; stroke-width: 2; }
svg .line.gap { stroke-dasharray: 4 4; }
svg .dot { fill: #2563eb; }
svg .value { font-size: 10px; fill: #111827; text-anchor: middle; font-weight: 600; }
@media print { th { position: static; } }
";

/// The page.
pub fn page(table: &Table, min_docs: usize, explain: bool) -> String {
    let measure = table.measure.name();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Indicators across periods: {measure}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Indicators across periods</h1>\n<p class=\"about\">{} {} documents, {} indicators \
         stated in at least {min_docs} of them. A dashed line crosses a period without a figure; \
         a figure in another unit than its row's is shown with its unit and not charted.</p>\n",
        escape(&about(table.measure)),
        table.columns.len(),
        table.rows.len(),
    );
    out.push_str("<table>\n<thead>\n");
    header(&mut out, table);
    out.push_str("</thead>\n<tbody>\n");
    let left = table.rows.iter().map(chart::axis_width).fold(0.0, f64::max);
    for row in &table.rows {
        body_row(&mut out, table, row, left, explain);
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}

/// What the cells hold, in a sentence.
fn about(measure: Kind) -> String {
    let what = match measure {
        Kind::Plan => "share of the plan reached, in %",
        Kind::Change => "change against the comparison period",
        Kind::Exceed => "by how much the plan was passed",
        Kind::Actual => "the amount reported",
        Kind::Ratio => "done out of total",
        Kind::Target => "the planned amount",
        Kind::Relative => "level as a share of the comparison period's level",
    };
    format!("Measure: {} ({what}).", measure.name())
}

fn header(out: &mut String, table: &Table) {
    out.push_str("<tr><th>Indicator</th>");
    if table.unit_column() {
        out.push_str("<th>Unit</th>");
    }
    for column in &table.columns {
        column_header(out, column);
    }
    out.push_str("<th>Chart</th></tr>\n");
}

/// The period, and below it the file it comes from; the report's title as tooltip.
fn column_header(out: &mut String, column: &Column) {
    let file = column.doc.rsplit(['/', '\\']).next().unwrap_or(&column.doc);
    let _ = write!(
        out,
        "<th class=\"num\" title=\"{}\">{}<span class=\"doc\">{}</span></th>",
        escape(column.title.as_deref().unwrap_or(&column.doc)),
        escape(&column.label),
        escape(file)
    );
}

fn body_row(out: &mut String, table: &Table, row: &Row, left: f64, explain: bool) {
    let _ = write!(
        out,
        "<tr><td class=\"indicator\">{}",
        escape(&row.indicator)
    );
    if explain {
        explanation(out, table, row);
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
        let _ = write!(
            out,
            "<td class=\"num\">{}</td>",
            escape(&cell_text(cell.as_ref(), row))
        );
    }
    let unit = match table.measure {
        Kind::Plan => "% KH",
        _ => row.unit.as_deref().unwrap_or(""),
    };
    let _ = writeln!(
        out,
        "<td class=\"chart\">{}</td></tr>",
        chart::svg(row, &table.columns, unit, left)
    );
}

fn explanation(out: &mut String, table: &Table, row: &Row) {
    let _ = write!(
        out,
        "<details><summary>key: {}</summary><ul>",
        escape(&row.key)
    );
    for source in &row.sources {
        let _ = write!(out, "<li>{}</li>", escape(&source_line(table, source)));
    }
    out.push_str("</ul></details>");
}
