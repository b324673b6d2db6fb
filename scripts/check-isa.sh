#!/usr/bin/env bash
# Checks that a portable build of the library runs on any x86-64 CPU: every
# instruction beyond SSE2 (VEX-encoded AVX/AVX2, EVEX-encoded AVX-512) lies in
# a function that is only called after the CPU was found to have it, the
# dispatched loops of src/backend/cpu/dispatch.hpp (names ending in _avx2 or
# _avx512). Prints the counts, or each offending function, and exits 1 then.
#   scripts/check-isa.sh build/src/libmlp.so
set -euo pipefail
lib=${1:?usage: check-isa.sh LIBRARY}
[ "$(uname -m)" = x86_64 ] || { echo "check-isa: not an x86-64 machine; nothing to check"; exit 0; }
objdump -d -C "$lib" | awk '
  /^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn); next }
  /^ +[0-9a-f]+:\t/ {
    n = split($0, part, "\t"); bytes = part[2]; text = part[3]
    if (n < 3 || text == "") next  # the rest of a long instruction'"'"'s bytes, on a line of its own
    sub(/^ +/, "", bytes)
    # EVEX starts with 0x62 in 64-bit mode; VEX with 0xc4 or 0xc5 (after optional prefixes 66/67/f2/f3).
    while (bytes ~ /^(66|67|f2|f3) /) bytes = substr(bytes, 4)
    kind = ""
    if (bytes ~ /^62 / || text ~ /%zmm|%k[0-7]|%[xy]mm(1[6-9]|2[0-9]|3[01])/) kind = "avx512"
    else if (bytes ~ /^c[45] /) kind = "avx"
    if (kind == "") next
    if (kind == "avx512") { n512++; if (fn !~ /_avx512</) bad[fn] = "AVX-512" }
    else { navx++; if (fn !~ /_avx(2|512)</) bad[fn] = "AVX" }
  }
  END {
    for (f in bad) { print "check-isa: " bad[f] " instruction outside a dispatched function: " f; failed++ }
    printf "check-isa: %d AVX-512 and %d AVX instructions, %s\n", n512, navx,
           failed ? failed " function(s) outside the dispatched ones" : "all in dispatched functions"
    exit failed > 0
  }'
