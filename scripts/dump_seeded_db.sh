#!/bin/sh
# Dump a seeded SQLite database's schema and data, to compare two trees (issue 12: shared
# model shapes must change no table and no row).
#   scripts/dump_seeded_db.sh <tree> <out>   # e.g. a `git archive` of a commit
# Migrates a new database in <tree>, loads the seeds, and writes every table's CREATE
# statement, index and row (rows sorted; the load's timestamps, also those quoted in texts, masked) to <out>.
set -eu
tree=$(cd "$1" && pwd)
out=$2
python=${PYTHON:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python}
db=$(mktemp -d)/seeded.sqlite3
cd "$tree"
export DJANGO_SETTINGS_MODULE=hotline_perf.settings.test DATABASE_URL="sqlite:///$db"
"$python" manage.py migrate -v 0
"$python" manage.py load_seeds -v 0 >/dev/null
"$python" - "$db" "$out" <<'PY'
import re, sqlite3, sys
db, out = sys.argv[1:]
con = sqlite3.connect(db)
lines = []
for kind, name, sql in con.execute(
    "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
):
    lines.append(f"{kind} {name}: {sql}")
stamp = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?")
for (table,) in con.execute(
    "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
):
    if table == "django_migrations":  # one row more where a no-op migration is added
        continue
    rows = sorted(
        stamp.sub("<time>", repr(row)) for row in con.execute(f'SELECT * FROM "{table}"')
    )
    lines.append(f"table {table}: {len(rows)} rows")
    lines.extend(rows)
open(out, "w").write("\n".join(lines) + "\n")
PY
