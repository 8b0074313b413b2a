#!/usr/bin/env bash
# Builds the Functions deployment package, the zip that `az functionapp deployment source config-zip`
# takes: host.json (its handler path set for the target), <Function>/function.json for every function,
# and handler/ (the app, self-contained for the target runtime, with its prompts and appsettings.json).
#
# Usage: scripts/publish.sh [--runtime win-x64|linux-x64] [output.zip]
#   --runtime  win-x64 (default): the Windows Elastic Premium plan that infra/ deploys (Hybrid
#              Connections, our tunnel to the Macs, work on Windows plans only); linux-x64 for a Linux plan.
#   output.zip default: artifacts/docserver-functions.zip
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=win-x64
if [ "${1:-}" = "--runtime" ]; then
  runtime=${2:?"--runtime needs win-x64 or linux-x64"}
  shift 2
fi
case "$runtime" in
  win-x64) handler=handler/DocServer.Functions.exe ;;
  linux-x64) handler=handler/DocServer.Functions ;;
  *) echo "publish.sh: --runtime must be win-x64 or linux-x64 (got '$runtime')" >&2; exit 2 ;;
esac
zip_path=$(realpath -m "${1:-artifacts/docserver-functions.zip}")
staging=$(mktemp -d -t docserver-package-XXXXXX)
trap 'rm -rf "$staging"' EXIT

dotnet publish src/DocServer.Functions -c Release -r "$runtime" --self-contained -nologo -v quiet -o "$staging/handler"

# host.json as in the repository, with the handler the host must start for this runtime.
python3 - host.json "$staging/host.json" "$handler" <<'PY'
import json, sys
source, target, handler = sys.argv[1:4]
with open(source, encoding="utf-8") as f:
    host = json.load(f)
host["customHandler"]["description"]["defaultExecutablePath"] = handler
with open(target, "w", encoding="utf-8") as f:
    json.dump(host, f, indent=2)
    f.write("\n")
PY

# function.json files come from the app's own catalog, written by a build for this machine (a win-x64
# handler cannot run here).
dotnet build src/DocServer.Functions -c Release -nologo -v quiet >/dev/null
dotnet src/DocServer.Functions/bin/Release/net10.0/DocServer.Functions.dll write-functions "$staging"

mkdir -p "$(dirname "$zip_path")"
rm -f "$zip_path"
# Python's zipfile keeps the executable bit of a Linux handler (the host must run it).
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
