#!/usr/bin/env python3
"""Extract the evaluation text of the charset corpus from gettext catalogs.

Reads the translations (msgstr) of the Linux-PAM and shadow catalogs installed
under /usr/share/locale on Debian 12 (packages libpam-modules 1.5.2-6+deb12u1,
licence BSD-3-clause or GPL, used here under BSD-3-clause; and passwd/login
1:4.13+dfsg1-1+deb12u1, licence BSD-3-clause) and writes them, one message
per line, to text/<lang>.catalog.txt. These two packages are never read by the
generator of the frequency tables (../internal/gentables), so the evaluation text
stays separate from the training text.

Usage: python3 extract_catalogs.py [/usr/share/locale]
"""
import os
import struct
import sys

LANGS = ["cs", "pl", "hu", "ru", "bg", "uk", "fr", "de", "es", "el", "tr",
         "he", "ar", "ja", "zh_CN", "zh_TW", "ko"]
DOMAINS = ["Linux-PAM", "shadow"]
MAX_BYTES = 8000  # of UTF-8 text per language


def read_mo(path):
    """Yield the msgstr of a .mo file, in msgid order, header excluded."""
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _, n, orig, trans = struct.unpack(order + "4I", data[4:20])
    for i in range(n):
        olen, ooff = struct.unpack(order + "2I", data[orig + 8 * i:orig + 8 * i + 8])
        tlen, toff = struct.unpack(order + "2I", data[trans + 8 * i:trans + 8 * i + 8])
        if olen == 0:
            continue
        for s in data[toff:toff + tlen].split(b"\0"):
            yield s.decode("utf-8")


def clean(s):
    s = " ".join(s.split())
    return s


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/locale"
    here = os.path.dirname(os.path.abspath(__file__))
    for lang in LANGS:
        lines, size, seen = [], 0, set()
        for d in DOMAINS:
            p = os.path.join(root, lang, "LC_MESSAGES", d + ".mo")
            if not os.path.exists(p):
                continue
            for s in read_mo(p):
                s = clean(s)
                if not s or s in seen or all(ord(c) < 128 for c in s):
                    continue
                seen.add(s)
                lines.append(s)
                size += len(s.encode()) + 1
                if size > MAX_BYTES:
                    break
            if size > MAX_BYTES:
                break
        with open(os.path.join(here, "text", lang + ".catalog.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
