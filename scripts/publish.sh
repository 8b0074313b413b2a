#!/usr/bin/env bash
# Builds the Functions deployment package, the zip that `az functionapp deployment source config-zip`
# takes:  host.json, <Function>/function.json for every function, and handler/ (the app, self-contained
# for linux-x64, with its prompts and appsettings.json).
# Usage: scripts/publish.sh [output.zip]   (default: artifacts/docserver-functions.zip)
set -euo pipefail
cd "$(dirname "$0")/.."
zip_path=$(realpath -m "${1:-artifacts/docserver-functions.zip}")
staging=$(mktemp -d -t docserver-package-XXXXXX)
trap 'rm -rf "$staging"' EXIT

dotnet publish src/DocServer.Functions -c Release -r linux-x64 --self-contained -nologo -v quiet -o "$staging/handler"
cp host.json "$staging/"
"$staging/handler/DocServer.Functions" write-functions "$staging"

mkdir -p "$(dirname "$zip_path")"
rm -f "$zip_path"
# Python's zipfile keeps the executable bit of handler/DocServer.Functions (the host must run it).
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
