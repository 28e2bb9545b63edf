#!/usr/bin/env python3
"""Write a copy of the corpus cut to its first N characters, to measure the
guess on very short strings: python3 truncate_corpus.py N OUTDIR [corpus]."""
import os
import sys

from charset_normalizer_bench import CODECS

n, out = int(sys.argv[1]), sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
root = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "..", "..", "charset", "testdata", "corpus")
for enc in sorted(os.listdir(root)):
    os.makedirs(os.path.join(out, enc), exist_ok=True)
    for name in sorted(os.listdir(os.path.join(root, enc))):
        text = open(os.path.join(root, enc, name), "rb").read().decode(CODECS[enc])[:n]
        b = text.encode(CODECS[enc])
        if any(c >= 0x80 for c in b):
            open(os.path.join(out, enc, name), "wb").write(b)
