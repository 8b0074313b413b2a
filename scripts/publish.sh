#!/usr/bin/env bash
# Builds the Functions deployment package, the zip that `az functionapp deployment source config-zip` takes:
# the isolated worker app at the root, beside host.json, functions.metadata (every function and its trigger,
# written by the Worker SDK from the [Function] methods), extensions.json and .azurefunctions/ (the host's
# extensions the app brings: no extension bundle), worker.config.json (how the host starts the worker), the
# prompts, the page and appsettings.json.
#
# Usage: scripts/publish.sh [--runtime win-x64|linux-x64] [output.zip]
#   --runtime  win-x64 (default): the Windows Elastic Premium plan that infra/ deploys (Hybrid Connections,
#              our tunnel to the Macs, work on Windows plans only); linux-x64 for a Linux plan. Either way the
#              app is framework-dependent: the plan runs it on its .NET 10 (netFrameworkVersion v10.0).
#   output.zip default: artifacts/docserver-functions.zip
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=win-x64
if [ "${1:-}" = "--runtime" ]; then
  runtime=${2:?"--runtime needs win-x64 or linux-x64"}
  shift 2
fi
case "$runtime" in
  win-x64|linux-x64) ;;
  *) echo "publish.sh: --runtime must be win-x64 or linux-x64 (got '$runtime')" >&2; exit 2 ;;
esac
zip_path=$(realpath -m "${1:-artifacts/docserver-functions.zip}")
staging=$(mktemp -d -t docserver-package-XXXXXX)
trap 'rm -rf "$staging"' EXIT

dotnet publish src/DocServer.Functions -c Release -r "$runtime" --self-contained false -nologo -v quiet -o "$staging"

mkdir -p "$(dirname "$zip_path")"
rm -f "$zip_path"
# Python's zipfile, so that the package is the same wherever it is built (no zip tool needed).
python3 - "$staging" "$zip_path" <<'PY'
import os, sys, zipfile
root, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(folder, name)
            archive.write(path, os.path.relpath(path, root))
PY
echo "$zip_path"
