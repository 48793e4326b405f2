#!/bin/sh
# Prisma's CLI would download its native schema engine here; these machines cannot reach
# that host. Migrations are created with `npm run db:migration -- <name>` (the wasm engine)
# and applied by the bot itself at start.
echo "The native Prisma schema engine is not available offline. Use 'npm run db:migration -- <name>' to create a migration; the bot applies migrations at start." >&2
exit 1
