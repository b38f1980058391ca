#!/usr/bin/env bash
# Installs what is missing, builds, and starts the hub in the foreground.
#
#   bash scripts/start.sh                      # --role all --config config/hub.yaml
#   bash scripts/start.sh --role api
#   bash scripts/start.sh --role worker --config config/examples/x.yaml
#
# Runs from the repository root, so relative paths (--config, ./data) are taken from there.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-system-deps.sh
npm run build

has_config=false
for arg in "$@"; do
  case "$arg" in
    --config | --config=*) has_config=true ;;
  esac
done
if [[ "$has_config" == false ]]; then
  set -- "$@" --config config/hub.yaml
fi

exec node dist/pipelines/cli.js start "$@"
