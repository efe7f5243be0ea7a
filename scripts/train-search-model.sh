#!/usr/bin/env bash
# Trains QLP's code-search model from a clean checkout and writes it to
# language-server/assets/search-model/ (docs/search-model.md):
#   1. fetch the packages of scripts/search-model/packages.json (npm pack, apt-get download),
#   2. extract (description, code) pairs with the product's chunker and tokenizer,
#   3. train the term-vector table with PyTorch (Debian's python3-torch, one thread).
# Usage: scripts/train-search-model.sh [work folder [train.py options]]
#        (default work folder: $TMPDIR/qlp-search-model; train.py's defaults are the shipped model's)
# Then `npm run bench:search-model` measures it and writes bench/results/search-model.json.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-${TMPDIR:-/tmp}/qlp-search-model}"
shift || true
mkdir -p "$work"

# Debian's PyTorch is built for Debian's Python, which may not be the first python3 on PATH.
python=/usr/bin/python3
if ! "$python" -c 'import torch' 2>/dev/null; then
  apt-get install -y --no-install-recommends python3-torch
fi

started=$(date +%s)
node --import tsx scripts/search-model/fetchSources.ts "$work"
node --import tsx scripts/search-model/extractPairs.ts "$work" | tail -n 1
"$python" scripts/search-model/train.py "$work" language-server/assets/search-model "$@"
echo "trained in $(( $(date +%s) - started )) s"
