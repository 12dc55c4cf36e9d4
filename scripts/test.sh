#!/usr/bin/env bash
# Run Marsad's whole test suite (slow tests included). Installs what the tests need first:
# Debian packages (chromium, fonts-noto-core, postgresql, a JRE for Spark) when missing and we are root, Python packages in
# .venv, and starts a throw-away PostgreSQL on loopback for the duration of the run.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not slow" -x
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || need+=(fonts-noto-core)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)  # pyspark's JVM, for the Spark tests
command -v gcc >/dev/null 2>&1 || need+=(gcc)  # the NER teacher's encoder wrapper is compiled at train time
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== apt-get install ${need[*]}"
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
  else
    echo "warning: missing ${need[*]} (not root: cannot install); tests that need them will be skipped" >&2
  fi
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | { grep -v '^WARNING: Location' || true; }
.venv/bin/python -m pip install -q -e '.[dev]' 2>&1 | { grep -vE '^WARNING: Location|BuildBackendWarning|^ +' || true; }
# torch (CPU build, ~200 MB) trains the NER network in its unit tests; without it those tests are skipped.
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  .venv/bin/python -m pip install -q --timeout 30 --retries 1 torch --index-url https://download.pytorch.org/whl/cpu 2>&1 \
      | { grep -vE '^WARNING: (Location|Retrying)' || true; } \
    || echo "warning: torch (CPU) could not be installed; the NER network training tests will be skipped" >&2
fi

# A throw-away PostgreSQL cluster on loopback, owned by the postgres user, removed on exit.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ]; then
  PGDIR=$(mktemp -d /tmp/marsad-pg.XXXXXX)
  PGPORT=${MARSAD_TEST_PGPORT:-55432}
  RUNAS=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$PGDIR"; RUNAS=(runuser -u postgres --); fi
  "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=off" start >/dev/null
  trap '"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"' EXIT
  export MARSAD_TEST_PG="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
  echo "== PostgreSQL on 127.0.0.1:$PGPORT"
fi

export MARSAD_DATA=${MARSAD_DATA:-$ROOT/../shared/data}
.venv/bin/python -m pytest -q "$@"
