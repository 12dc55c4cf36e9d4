#!/usr/bin/env bash
# Set Marsad up in .venv and run the main job on the embedded default:
# ingest the bundled sample articles into SQLite, show the analysis of one, and search.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | { grep -v '^WARNING: Location' || true; }
.venv/bin/python -m pip install -q -e '.[web]' 2>&1 | { grep -vE '^WARNING: Location|BuildBackendWarning|^ +' || true; }
export MARSAD_DB=${MARSAD_DB:-marsad.db}
echo "== ingest samples/ into $MARSAD_DB"
.venv/bin/marsad ingest samples/ --quiet || true   # exit 1 only reports skipped inputs; the samples have none
echo "== analysis of samples/page_tramway_rabat.txt"
.venv/bin/marsad analyze samples/page_tramway_rabat.txt
echo "== search: الرباط"
.venv/bin/marsad search 'الرباط' --limit 5
.venv/bin/marsad stats
