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
export DOCSERVER_APP_LOGS="${DOCSERVER_APP_LOGS:-$data/app-logs}"
status=0
# A test stuck for 15 minutes (a browser or a process that never answers) fails the run with its name, rather than
# holding CI until its own time limit. The slowest test takes about 3 minutes.
hang=(--blame-hang-timeout 15m --blame-hang-dump-type none)
if [ "$#" -gt 0 ]; then
  dotnet test Functions.sln "${hang[@]}" "$@" 2>&1 | tee "$out" || status=$?
else
  # Built first, then tested: built and tested in one go, MSBuild ran most suites one after another behind the
  # builds of the others. The fault tests run alone, after the rest: they start app processes and check what
  # happens in time, which a machine busy with the other suites (a browser, the package build) stretches. The rest
  # run side by side.
  dotnet build Functions.sln 2>&1 | tee "$out" || status=$?
  if [ "$status" -eq 0 ]; then
    dotnet test Functions.sln --no-build "${hang[@]}" --filter "FullyQualifiedName!~DocServer.Faults.Tests" 2>&1 | tee -a "$out" || status=$?
    # Each fault test's line with its duration: which ones a slow machine stretches.
    dotnet test tests/DocServer.Faults.Tests --no-build "${hang[@]}" --logger "console;verbosity=normal" 2>&1 | tee -a "$out" || status=$?
  fi
fi

# A failed run shows what the app processes of the fault tests logged of their own (gates, leases, asks, storage),
# per process: their consoles are not in the output. The task hub library's own errors are left out (outage
# tests make many on purpose).
if [ "$status" -ne 0 ] && [ -d "$DOCSERVER_APP_LOGS" ]; then
  # An app that exited without being told to (FaultBed marks its log): the end of its console, where the runtime or
  # the host says why (an unhandled exception, a host stopped by a failed background service).
  for f in $(grep -l -E '^EXITED ON ITS OWN' "$DOCSERVER_APP_LOGS"/*.log 2>/dev/null || true); do
    printf '== %s %s; its last lines:\n' "$(basename "$f")" "$(head -1 "$f")"
    tail -40 "$f"
  done
  # Processes that answered a request with a 500 come first: the excerpt is cut at 150 lines.
  for f in $(grep -l -E '^fail: Microsoft\.AspNetCore' "$DOCSERVER_APP_LOGS"/*.log 2>/dev/null || true) \
           $(grep -L -E '^fail: Microsoft\.AspNetCore' "$DOCSERVER_APP_LOGS"/*.log 2>/dev/null || true); do
    lines=$(grep -A1 -E '^(warn|fail|crit): DocServer' "$f" | grep -v -E '^--$' | grep -v -E 'EvidenceExtractor|AnswerSynthesizer|ErrorResponses|IndexLoader' | head -12 || true)
    # A request that ended in an unhandled exception (a 500): the middleware's line, its message and the exception's.
    unhandled=$(grep -A2 -E '^fail: Microsoft\.AspNetCore' "$f" | grep -v -E '^--$' | head -9 || true)
    lines=$(printf '%s\n%s' "$lines" "$unhandled" | sed '/^$/d')
    [ -n "$lines" ] && printf '== %s\n%s\n' "$(basename "$f")" "$lines"
  done | head -150 || true # head closing the pipe early is not a failure of the run
fi

# The failed tests again, last, with the head of each message: a long run's log is often read from its tail.
if [ "$status" -ne 0 ]; then
  echo "== failed tests"
  awk '/^ +Failed [A-Za-z]/ {n=14} n>0 {print; n--}' "$out" | head -120 || true
fi

# One closing line for the whole run, summed over the test assemblies.
passed=$( (grep -Eo 'Passed: +[0-9]+' "$out" || true) | awk '{s+=$2} END {print s+0}')
failed=$( (grep -Eo 'Failed: +[0-9]+' "$out" || true) | awk '{s+=$2} END {print s+0}')
echo "${passed} passed, ${failed} failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "no test ran"; status=1; fi
exit "$status"
