# Builds Authorization headers with Python Requests' HTTPDigestAuth for each
# case read as JSON from stdin (digest_cases.json), "count" headers per case
# (nonce counts 1 … count), and writes them as JSON to stdout. time.ctime and
# os.urandom are fixed, so Requests' cnonce is
# sha1(str(nc) + nonce + ctime + 8 zero bytes)[:16] and the output depends on
# the cases and the Requests version alone. See README.md.
import json, os, platform, re, sys, time
try:
    import requests.auth, requests.utils
except ImportError as e:
    sys.exit("python3 cannot import requests (pip install requests): %s" % e)
time.ctime = lambda *a: "Thu Jan  1 00:00:00 1970"
os.urandom = lambda n: b"\0" * n
cases = json.load(sys.stdin)
out = []
for c in cases:
    a = requests.auth.HTTPDigestAuth(c["user"], c["pass"])
    a.init_per_thread_state()
    a._thread_local.chal = requests.utils.parse_dict_header(
        re.compile(r"digest ", flags=re.IGNORECASE).sub("", c["challenge"], count=1))
    out.append([a.build_digest_header(c["method"], c["url"]) for _ in range(c["count"])])
json.dump({"requests": requests.__version__, "python": platform.python_version(),
           "cases": cases, "headers": out}, sys.stdout, indent=1)
sys.stdout.write("\n")
