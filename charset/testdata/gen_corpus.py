#!/usr/bin/env python3
"""Generate the evaluation corpus of the charset guess.

Reads the UTF-8 text in text/ (prose written for this project, text/<lang>.txt,
and gettext catalog messages, text/<lang>.catalog.txt, see
extract_catalogs.py), cuts it into samples of several sizes and writes each
sample, encoded in a legacy encoding used for its language, to
corpus/<encoding>/<lang>-<kind>-<n>.txt, where <encoding> is the WHATWG name.
The output is deterministic. Typographic punctuation that an encoding lacks
(curly quotes, dashes, guillemets, ellipsis) is replaced by its ASCII
counterpart; a message that still does not encode is skipped.

Usage: python3 gen_corpus.py
"""
import codecs
import os
import random
import re
import shutil

# WHATWG name -> (Python codec, languages).
ENCODINGS = {
    "windows-1250": ("cp1250", ["cs", "pl", "hu"]),
    "iso-8859-2": ("iso8859_2", ["cs", "pl", "hu"]),
    "windows-1251": ("cp1251", ["ru", "bg", "uk"]),
    "iso-8859-5": ("iso8859_5", ["ru", "bg"]),
    "koi8-r": ("koi8_r", ["ru", "bg"]),
    "windows-1252": ("cp1252", ["fr", "de", "es"]),
    "windows-1253": ("cp1253", ["el"]),
    "iso-8859-7": ("iso8859_7", ["el"]),
    "windows-1254": ("cp1254", ["tr"]),
    "windows-1255": ("cp1255", ["he"]),
    "windows-1256": ("cp1256", ["ar"]),
    "shift_jis": ("shift_jis", ["ja"]),
    "euc-jp": ("euc_jp", ["ja"]),
    "gb18030": ("gb18030", ["zh_CN"]),
    "big5": ("big5", ["zh_TW"]),
    "euc-kr": ("euc_kr", ["ko"]),
}
ALL = ["cs", "pl", "hu", "ru", "bg", "uk", "fr", "de", "es", "el", "tr", "he",
       "ar", "ja", "zh_CN", "zh_TW", "ko"]

TRANSLIT = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
            "\u00bb": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'",
            "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " ",
            "\u2022": "*", "\u00b7": "*"}


def translit(err):
    s = err.object[err.start:err.end]
    if all(c in TRANSLIT for c in s):
        return "".join(TRANSLIT[c] for c in s), err.end
    raise err


codecs.register_error("translit", translit)


def encode(s, codec):
    try:
        return s.encode(codec, "translit")
    except UnicodeError:
        return None


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def sentences(text):
    out = []
    for para in text.split("\n\n"):
        for s in re.findall(r"[^.!?。．？！]+[.!?。．？！]?", para):
            s = s.strip()
            if s:
                out.append(s)
    return out


def catalog_sample(lines, codec, rng, lo, hi, used):
    """Consecutive catalog messages, from a random start, lo..hi bytes."""
    for _ in range(200):
        i = rng.randrange(len(lines))
        if i in used:
            continue
        parts, size = [], 0
        while i < len(lines) and size < lo:
            b = encode(lines[i], codec)
            used.add(i)
            if b is not None and size + len(b) <= hi:
                parts.append(lines[i])
                size += len(b) + 1
            i += 1
        if size >= lo:
            return "\n".join(parts)
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "corpus")
    shutil.rmtree(out, ignore_errors=True)
    rng = random.Random(4)
    text = {l: read(os.path.join(here, "text", l + ".txt")).strip() for l in ALL}
    cat = {l: read(os.path.join(here, "text", l + ".catalog.txt")).splitlines() for l in ALL}

    jobs = [(enc, codec, lang) for enc, (codec, langs) in ENCODINGS.items() for lang in langs]
    jobs += [("utf-8", "utf-8", lang) for lang in ALL]
    for enc, codec, lang in jobs:
        os.makedirs(os.path.join(out, enc), exist_ok=True)
        used = set()
        samples = []
        kinds = [("short", 50, 200)] * 3 + [("medium", 400, 700), ("long", 2500, 3500)]
        if enc == "utf-8":
            kinds = [("short", 50, 200), ("medium", 400, 700)]
        for kind, lo, hi in kinds:
            s = catalog_sample(cat[lang], codec, rng, lo, hi, used)
            if s is not None:
                samples.append(("catalog-" + kind, s))
        sents = [s for s in sentences(text[lang]) if encode(s, codec) is not None]
        samples.append(("prose-sentence", rng.choice(sents)))
        paras = [p for p in text[lang].split("\n\n") if encode(p, codec) is not None]
        samples.append(("prose-paragraph", rng.choice(paras)))
        if enc != "utf-8" and encode(text[lang], codec) is not None:
            samples.append(("prose-all", text[lang]))
        for n, (kind, s) in enumerate(samples):
            b = encode(s, codec)
            assert b is not None and any(c >= 0x80 for c in b), (enc, lang, kind)
            with open(os.path.join(out, enc, "%s-%s-%d.txt" % (lang, kind, n)), "wb") as f:
                f.write(b)
    # Mixed-language UTF-8 samples.
    for n in range(4):
        langs = rng.sample(ALL, 3)
        s = "\n".join(rng.choice(sentences(text[l])) for l in langs)
        with open(os.path.join(out, "utf-8", "mixed-%d.txt" % n), "wb") as f:
            f.write(s.encode())


if __name__ == "__main__":
    main()
