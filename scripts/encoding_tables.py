"""The legacy encodings' tables of data/encodings/*.tsv, as the fixture scripts read them
(the decoder reads the same files)."""


def table(path):
    """Character -> its bytes in the encoding (the first row that names it wins)."""
    codes = {}
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        hexes, char = line.rstrip("\n").split("\t")[:2]
        if char.startswith("U+"):
            char = chr(int(char[2:], 16))
        codes.setdefault(char, bytes(int(h, 16) for h in hexes.split()))
    return codes
