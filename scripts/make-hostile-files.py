#!/usr/bin/env python3
"""Hostile files for the resource check in .ci/run (issue 16, part 4): a PDF whose content
stream and a DOCX whose document part each inflate to 512 MiB from half a megabyte.
usage: make-hostile-files.py OUTDIR"""
import sys, zlib, zipfile, pathlib
out = pathlib.Path(sys.argv[1])
BIG = 512 << 20          # far over the readers' caps (64 MiB a stream or part, 256 MiB in all)
CHUNK = b" " * (1 << 20)

def deflated(raw=False):
    packer = zlib.compressobj(9, zlib.DEFLATED, -15 if raw else 15)
    data = b"".join(packer.compress(CHUNK) for _ in range(BIG // len(CHUNK)))
    return data + packer.flush()

# A PDF whose one page's content stream inflates to 512 MiB.
stream = deflated()
objects = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
]
pdf, offsets = bytearray(b"%PDF-1.4\n"), []
for number, body in enumerate(objects, 1):
    offsets.append(len(pdf))
    pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
pdf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
(out / "bomb.pdf").write_bytes(bytes(pdf))

# A DOCX whose document part inflates to 512 MiB.
with zipfile.ZipFile(out / "bomb.docx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as docx:
    docx.writestr("[Content_Types].xml", "<Types/>")
    with docx.open("word/document.xml", "w", force_zip64=True) as part:
        for _ in range(BIG // len(CHUNK)):
            part.write(CHUNK)
