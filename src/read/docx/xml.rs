//! XML walking: elements and text of a part, by WordprocessingML namespace.

use super::*;

/// The namespaces whose elements matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    /// WordprocessingML, transitional or strict.
    Word,
    /// Markup compatibility (`mc:AlternateContent`).
    Compat,
    Other,
}

/// One step of a part, as the readers see it.
pub(super) enum Node<'x> {
    Open(Ns, &'x [u8], &'x BytesStart<'x>),
    Close(Ns, &'x [u8]),
    Text(&'x str),
}

/// Stream a part's elements and text to `visit`; an empty element comes as open + close.
pub(super) fn walk(xml: &str, part: &str, mut visit: impl FnMut(Node<'_>)) -> Result<(), String> {
    let mut reader = NsReader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let bad = |e: &dyn std::fmt::Display| format!("corrupt DOCX: {part}: {e}");
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(|e| bad(&e))?;
        match event {
            Event::Start(element) => {
                visit(Node::Open(
                    namespace(&ns),
                    element.local_name().into_inner(),
                    &element,
                ));
            }
            Event::End(element) => visit(Node::Close(
                namespace(&ns),
                element.local_name().into_inner(),
            )),
            Event::Text(text) => visit(Node::Text(&text.unescape().map_err(|e| bad(&e))?)),
            Event::CData(data) => visit(Node::Text(&String::from_utf8_lossy(&data))),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

pub(super) fn namespace(resolved: &ResolveResult) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) => match ns.into_inner() {
            b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            | b"http://purl.oclc.org/ooxml/wordprocessingml/main" => Ns::Word,
            b"http://schemas.openxmlformats.org/markup-compatibility/2006" => Ns::Compat,
            _ => Ns::Other,
        },
        _ => Ns::Other,
    }
}

/// An attribute's value by local name (`w:val` -> "val"). A malformed attribute reads as
/// absent: the paragraph's text still comes through, only that property is lost.
pub(super) fn attr(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().into_inner() == name.as_bytes())
        .and_then(|a| a.unescape_value().ok())
        .map(|v| v.into_owned())
}
