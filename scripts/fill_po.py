"""Fill empty msgstr entries of a .po file from a {msgid: translation} JSON file.

Usage: python scripts/fill_po.py locale/<area>/ja/LC_MESSAGES/django.po translations.json
Plural entries take a one-element list (Japanese has one plural form).
"""

import json
import re
import sys
from pathlib import Path


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fill(po_path: str, translations: dict) -> int:
    text = Path(po_path).read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    filled = 0
    for i, block in enumerate(blocks):
        m = re.search(r'^msgid "(.*)"$', block, re.M)
        if not m or not m.group(1):
            continue
        msgid = m.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if msgid not in translations:
            continue
        value = translations[msgid]
        if "msgid_plural" in block:
            block = re.sub(r'^msgstr\[0\] ".*"$', f"msgstr[0] {quote(value[0])}", block, flags=re.M)
        else:
            block = re.sub(r'^msgstr ".*"$', f"msgstr {quote(value)}", block, flags=re.M)
        block = block.replace("#, fuzzy\n", "")
        blocks[i] = block
        filled += 1
    Path(po_path).write_text("\n\n".join(blocks), encoding="utf-8")
    return filled


if __name__ == "__main__":
    print(fill(sys.argv[1], json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))), "filled")
