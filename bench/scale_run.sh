#!/usr/bin/env bash
# The scale benchmark's real CLI runs at one size: one process (`marsad ingest --workers 1` into SQLite) and
# Spark (`marsad spark-ingest --master local[2]` -> Parquet -> `marsad load` into PostgreSQL), then search
# p50/p95 and size on both stores. Usage: bench/scale_run.sh SIZE PG_URL [WORK]   (corpus: bench/scale_corpus.py)
# Each step appends a JSON line to WORK/results.jsonl. Run from the repo root, e.g. under nohup.
set -u
SIZE=$1; PG=$2; WORK=${3:-/tmp/scale100k}
B="nice -n 10 .venv/bin/python bench/scale_bench.py"
M=".venv/bin/marsad"   # inherits the bench process's nice 10 (nice on nice would be 19)
# the first SIZE/250 shards, hard-linked into their own folder (the readers walk it like any folder)
IN="$WORK/corpus_$SIZE"; rm -rf "$IN"; mkdir -p "$IN"
ls "$WORK"/corpus/shard-*.jsonl | head -n $((SIZE / 250)) | xargs -I{} ln {} "$IN/"
DB="$WORK/single_$SIZE.db"; OUT="$WORK/spark_$SIZE"
rm -f "$DB" "$DB-wal" "$DB-shm"
echo "== $(date -u +%T) single $SIZE"
$B cmd --work "$WORK" --size "$SIZE" --label "single ingest sqlite" -- \
  $M ingest "$IN" --db "$DB" --workers 1 --quiet --json
$B search --work "$WORK" --size "$SIZE" --label "after marsad ingest" --db "$DB"
echo "== $(date -u +%T) spark $SIZE"
$B cmd --work "$WORK" --size "$SIZE" --label "spark-ingest local[2]" -- \
  $M spark-ingest "$IN" --output "$OUT" --master 'local[2]' --json
echo "== $(date -u +%T) load $SIZE"
$B cmd --work "$WORK" --size "$SIZE" --label "load postgres" -- $M load "$OUT" --db "$PG" --json
$B search --work "$WORK" --size "$SIZE" --label "after marsad load" --db "$PG"
du -sm "$OUT" | awk -v s="$SIZE" '{print "{\"phase\":\"parquet\",\"size\":" s ",\"parquet_mb\":" $1 "}"}' >> "$WORK/results.jsonl"
echo "== $(date -u +%T) done $SIZE"
