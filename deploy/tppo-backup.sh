#!/bin/sh
# Nightly online backup of the bot's SQLite database, then a restore check of the copy.
#   sh deploy/tppo-backup.sh <backup folder> [days to keep, default 14]
# Run it from the bot's folder with the bot's settings, as the bot's user: tppo-backup.service
# does all three (docs/deploy.md). Exits non-zero, so that the unit shows failed, when either
# the backup or the restore check fails.
set -eu
dir="${1:?usage: tppo-backup.sh <backup folder> [days to keep]}"
keep_days="${2:-14}"
name="bot-$(date -u +%Y-%m-%dT%H%M%SZ).db"

# The copy is consistent while the bot runs; admin backup checks it with PRAGMA quick_check
# before giving it its name. The summary beside it holds counts only.
npm run --silent admin -- backup "$dir/$name" --json >"$dir/$name.json"

# Restore check, on a scratch copy: opening a database applies this version's migrations, and
# the kept copy must stay as it was made. This version of the bot, with the configured keys,
# must find as many cases as the backup counted and open the newest one's details (which
# proves the keys still decrypt it; the details go nowhere, and the audit entry of that view
# goes away with the scratch copy).
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp "$dir/$name" "$scratch/bot.db"
export DATABASE_URL="file:$scratch/bot.db"
npm run --silent admin -- cases --json >"$scratch/cases.json"
newest="$(node -e '
const fs = require("node:fs");
const [summaryFile, casesFile] = process.argv.slice(1);
const counted = JSON.parse(fs.readFileSync(summaryFile, "utf8")).rows.cases;
const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
if (cases.length !== counted) {
  console.error(`restore check: the backup counted ${counted} cases, the restored copy lists ${cases.length}`);
  process.exit(1);
}
const newest = cases.reduce((found, c) => (found === null || c.createdAt > found.createdAt ? c : found), null);
console.log(newest === null ? "" : newest.reference);
' "$dir/$name.json" "$scratch/cases.json")"
if [ -n "$newest" ]; then
  npm run --silent admin -- cases show "$newest" --json >/dev/null
fi
echo "restore check passed: $dir/$name opens with this version and these keys ($(wc -c <"$dir/$name") bytes)"

# Backups older than the days to keep go; keep data keys as long as any backup made under them.
find "$dir" -maxdepth 1 -type f -name 'bot-*.db*' -mtime "+$keep_days" -delete
