#!/usr/bin/env bash
# Runs every test against a real Azurite: installs it (npm ci) when missing, starts it on free
# loopback ports with a throw-away data folder, runs `dotnet test`, and stops it however the tests end.
# Extra arguments go to dotnet test (e.g. ./test.sh --filter "FullyQualifiedName~Gate").
set -euo pipefail
cd "$(dirname "$0")"

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
blob=$(free_port); queue=$(free_port); table=$(free_port)
data=$(mktemp -d -t docserver-azurite-XXXXXX)
log="$data/azurite.log"

setsid node_modules/.bin/azurite --silent --skipApiVersionCheck --location "$data" \
  --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
  --tableHost 127.0.0.1 --tablePort "$table" >"$log" 2>&1 &
azurite=$!
stop() { kill -- -"$azurite" 2>/dev/null || kill "$azurite" 2>/dev/null || true; wait "$azurite" 2>/dev/null || true; rm -rf "$data"; }
trap stop EXIT

for port in "$blob" "$queue" "$table"; do
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$azurite" 2>/dev/null || { echo "Azurite exited:"; cat "$log"; exit 1; }
    sleep 0.1
  done
done

account=devstoreaccount1
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export DOCSERVER_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/$account;QueueEndpoint=http://127.0.0.1:$queue/$account;TableEndpoint=http://127.0.0.1:$table/$account"
echo "Azurite on 127.0.0.1 (blob $blob, queue $queue, table $table), data in $data"

out="$data/dotnet-test.log"
status=0
dotnet test Functions.sln "$@" 2>&1 | tee "$out" || status=$?

# One closing line for the whole run, summed over the test assemblies.
passed=$( (grep -Eo 'Passed: +[0-9]+' "$out" || true) | awk '{s+=$2} END {print s+0}')
failed=$( (grep -Eo 'Failed: +[0-9]+' "$out" || true) | awk '{s+=$2} END {print s+0}')
echo "${passed} passed, ${failed} failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "no test ran"; status=1; fi
exit "$status"
