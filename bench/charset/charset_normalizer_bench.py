#!/usr/bin/env python3
"""Measure charset_normalizer on relay's charset corpus.

Runs charset_normalizer.from_bytes(sample).best() over every sample of
charset/testdata/corpus/<encoding>/ and prints the accuracy and the time per
sample, overall and per encoding. A guess is correct when it decodes the
sample (strictly) to the same text as the true encoding does, so windows-1252,
ISO-8859-1 and ASCII are all right for a sample they decode alike. A sample
for which charset_normalizer returns no result counts as wrong.

Usage: python3 charset_normalizer_bench.py [-v] [corpus dir]
"""
import collections
import os
import sys
import time

import charset_normalizer

# WHATWG name of the corpus folder -> Python codec.
CODECS = {
    "utf-8": "utf-8", "windows-1250": "cp1250", "windows-1251": "cp1251",
    "windows-1252": "cp1252", "windows-1253": "cp1253",
    "windows-1254": "cp1254", "windows-1255": "cp1255",
    "windows-1256": "cp1256", "iso-8859-2": "iso8859_2",
    "iso-8859-5": "iso8859_5", "iso-8859-7": "iso8859_7", "koi8-r": "koi8_r",
    "shift_jis": "shift_jis", "euc-jp": "euc_jp", "gb18030": "gb18030",
    "big5": "big5", "euc-kr": "euc_kr",
}


def decodes_same(sample, truth, guess):
    try:
        return sample.decode(guess) == truth
    except (UnicodeError, LookupError):
        return False


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv[1:]
    here = os.path.dirname(os.path.abspath(__file__))
    root = args[0] if args else os.path.join(here, "..", "..", "charset", "testdata", "corpus")
    per = collections.defaultdict(lambda: [0, 0])
    total_time = 0.0
    n = ok = 0
    charset_normalizer.from_bytes(b"warm up \xe9").best()
    for enc in sorted(os.listdir(root)):
        for name in sorted(os.listdir(os.path.join(root, enc))):
            sample = open(os.path.join(root, enc, name), "rb").read()
            truth = sample.decode(CODECS[enc])
            t0 = time.perf_counter()
            best = charset_normalizer.from_bytes(sample).best()
            total_time += time.perf_counter() - t0
            guess = best.encoding if best is not None else None
            right = guess is not None and decodes_same(sample, truth, guess)
            n += 1
            ok += right
            per[enc][0] += right
            per[enc][1] += 1
            if verbose and not right:
                print("wrong: %s/%s -> %s" % (enc, name, guess))
    for enc, (r, t) in sorted(per.items()):
        print("%-14s %3d/%3d" % (enc, r, t))
    print("charset_normalizer %s: accuracy %d/%d = %.1f%%, %.3f ms per sample (total %.2f s)"
          % (charset_normalizer.__version__, ok, n, 100.0 * ok / n, 1000 * total_time / n, total_time))


if __name__ == "__main__":
    main()
