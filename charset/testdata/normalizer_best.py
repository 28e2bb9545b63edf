"""Prints, as a JSON list, charset_normalizer's best encoding for each file
named on the command line (null where it finds none): what Python Requests'
apparent_encoding answers for that content. binary_test.go runs it."""
import json
import sys

import charset_normalizer

best = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        match = charset_normalizer.from_bytes(f.read()).best()
    best.append(None if match is None else match.encoding)
json.dump({"version": charset_normalizer.__version__, "best": best}, sys.stdout)
