#!/usr/bin/env bash
# Make the converted copies of a sample report that tests/integration/formats.rs checks (issue 4, "Done
# when"): the same report as Markdown, as DOCX, as pandoc's hard-wrapped plain text, and in
# the legacy encodings, so the test can assert that every shape gives the original's facts.
#
# In: corpus/son-thuy-2024-h1.txt (a DOCX-export text: `[footnoteRef:N]` anchors, `[N:  ...]`
# bodies, numbered headings) and data/encodings/*.tsv. Out: tests/data/formats/*. The outputs
# are committed, so CI needs neither pandoc nor this script; rerun it after changing the
# sample or the encoding tables. Needs pandoc (Debian: apt-get install pandoc), python3 and
# LibreOffice (apt-get install libreoffice-writer-nogui) for the PDF and .doc copies
# (issue 16); headless Chromium, when installed, prints a PDF of the HTML too.
set -euo pipefail
cd "$(dirname "$0")/.."

source_txt=corpus/son-thuy-2024-h1.txt
out=tests/data/formats
stem=son-thuy-2024-h1
mkdir -p "$out"
command -v pandoc >/dev/null || { echo "pandoc is required (apt-get install pandoc)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }

# 1. DOCX-export text -> pandoc-style Markdown. Headings in three shapes so all are exercised:
#    "Phần ..." setext (===), roman "I." ATX `##`, arabic "1." ATX `###`; letter items "a)"
#    as bold paragraphs (the heading patterns, not Markdown, make them sections). Anchors
#    become `[^N]`, bodies become `[^N]: ...` definitions at the end, as pandoc writes them.
python3 - "$source_txt" "$out/$stem.md" <<'PY'
import re, sys

source, target = sys.argv[1], sys.argv[2]
lines = [l.strip() for l in open(source, encoding="utf-8").read().split("\n")]

BODY = re.compile(r"\[(\d+):\s+(.*?)\]\s*")
ANCHOR = re.compile(r"\[footnoteRef:(\d+)\]")
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")

def escape(text):
    # Characters Markdown would read as syntax; the report has none of them as syntax.
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)

def inline(text):
    text = escape(BOOKMARK.sub("", text))
    # Anchors were escaped along with every other bracket: restore them as references.
    return re.sub(r"\\\[footnoteRef:(\d+)\\\]", r"[^\1]", text)

blocks, notes = [], []
i = 0
while i < len(lines):
    line = lines[i]
    i += 1
    if not line:
        continue
    for number, body in BODY.findall(line):
        notes.append((number, body))
    line = BODY.sub("", line).strip()
    if re.fullmatch(r"Phần\s+(thứ\s+\S+|[IVX]+)", line):
        # "Phần I" and its title on the next non-blank line make one heading.
        while i < len(lines) and not lines[i]:
            i += 1
        title = f"{line}. {lines[i]}" if i < len(lines) else line
        i += 1
        blocks.append(f"{inline(title)}\n{'=' * 20}")
    elif re.match(r"[IVX]+\.\s", line):
        blocks.append(f"## {inline(line)}")
    elif re.match(r"\d{1,2}\.\s+\D", line):
        blocks.append(f"### {inline(line)}")
    elif re.match(r"[a-zđ]\)\s", line):
        blocks.append(f"**{inline(line)}**")
    elif line.startswith("- "):
        blocks.append(f"- {inline(line[2:])}")
    else:
        blocks.append(inline(line))

with open(target, "w", encoding="utf-8") as out:
    out.write("\n\n".join(blocks) + "\n\n")
    out.write("\n".join(f"[^{n}]: {escape(body)}" for n, body in notes) + "\n")
PY

# 2. Markdown -> DOCX by pandoc; SOURCE_DATE_EPOCH keeps the zip's dates fixed, so a rerun
#    changes the committed file only when its content changes.
export SOURCE_DATE_EPOCH=1700000000
pandoc -f markdown -t docx -o "$out/$stem.docx" "$out/$stem.md"

# 3. DOCX -> hard-wrapped plain text (72 columns, `[N]` notes listed at the end), and
#    DOCX -> Markdown as pandoc writes it (hard-wrapped too, notes indented under `[^N]:`).
pandoc -f docx -t plain -o "$out/$stem.plain.txt" "$out/$stem.docx"
pandoc -f docx -t markdown -o "$out/$stem.pandoc.md" "$out/$stem.docx"

# 4. The original in TCVN3 and VNI bytes, and both as mojibake (those bytes read as
#    Windows-1252 and saved as UTF-8). Encoded from the same tables the decoder reads.
python3 - "$source_txt" "$out/$stem" <<'PY'
import sys, unicodedata

sys.path.insert(0, "scripts")
from encoding_tables import table

source, prefix = sys.argv[1], sys.argv[2]
text = unicodedata.normalize("NFC", open(source, encoding="utf-8").read())

def encode(text, codes, lower_capitals):
    out = bytearray()
    for char in text:
        if char in codes:
            out += codes[char]
        elif lower_capitals and char.lower() in codes:
            # TCVN3 has no capitals with tone marks: the "H" fonts drew the small codes.
            out += codes[char.lower()]
        else:
            out += char.encode("cp1252", errors="replace")
    return bytes(out)

def mojibake(data):
    # Windows-1252 leaves 81 8D 8F 90 9D undefined; readers that met them kept them as
    # the C1 controls of the same value, which is what the decoder expects too.
    return "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data
    )

for name, tsv, lower in [("tcvn3", "tcvn3.tsv", True), ("vni", "vni.tsv", False)]:
    data = encode(text, table(f"data/encodings/{tsv}"), lower)
    open(f"{prefix}.{name}.txt", "wb").write(data)
    open(f"{prefix}.{name}-mojibake.txt", "w", encoding="utf-8").write(mojibake(data))
PY

# 5. PDF and Word 97 copies by LibreOffice, from the DOCX (issue 16).
command -v soffice >/dev/null || { echo "soffice is required (apt-get install libreoffice-writer-nogui)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
soffice --headless --convert-to pdf --outdir "$out" "$out/$stem.docx" >/dev/null
soffice --headless --convert-to doc --outdir "$out" "$out/$stem.docx" >/dev/null

# 6. The report typed in .VnTime, as archives of the 2000s hold it: the Markdown with its
#    text as TCVN3 bytes seen as Windows-1252 (what Word stored for a .VnTime run), made a
#    DOCX by pandoc with .VnTime as the default font, then saved as .doc and PDF.
python3 - "$out/$stem.md" "$work/$stem.vntime.md" <<'PY'
import sys
sys.path.insert(0, "scripts")
from encoding_tables import table
source, target = sys.argv[1], sys.argv[2]
codes = table("data/encodings/tcvn3.tsv")
out = bytearray()
for char in open(source, encoding="utf-8").read():
    code = codes.get(char) or codes.get(char.lower())
    out += code if code and not char.isascii() else char.encode("cp1252", errors="replace")
text = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in out)
open(target, "w", encoding="utf-8").write(text)
PY
pandoc -f markdown -t docx -o "$work/$stem.vntime.docx" "$work/$stem.vntime.md"
python3 - "$work/$stem.vntime.docx" <<'PY'
import re, sys, zipfile
path = sys.argv[1]
parts = {i.filename: zipfile.ZipFile(path).read(i.filename) for i in zipfile.ZipFile(path).infolist()}
styles = parts["word/styles.xml"].decode("utf-8")
font = '<w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime" w:cs=".VnTime" w:eastAsia=".VnTime" />'
styles = re.sub(r"<w:rFonts [^>]*/>", font, styles)
parts["word/styles.xml"] = styles.encode("utf-8")
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in parts.items():
        z.writestr(name, data)
PY
soffice --headless --convert-to doc --outdir "$out" "$work/$stem.vntime.docx" >/dev/null
soffice --headless --convert-to pdf --outdir "$out" "$work/$stem.vntime.docx" >/dev/null

# 7. Chromium's print of the report as HTML (pandoc), when Chromium is installed: its
#    running header (date, title) and footer (address, page numbers) must be dropped.
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$chromium" ]; then
  pandoc -s -f markdown -t html --metadata title="$stem" -o "$work/$stem.html" "$out/$stem.md"
  "$chromium" --headless --disable-gpu --no-sandbox --print-to-pdf="$out/$stem.chromium.pdf" "$work/$stem.html"
else
  echo "chromium not installed: no Chromium PDF made" >&2
fi

ls -l "$out"
