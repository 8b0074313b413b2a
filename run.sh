#!/usr/bin/env bash
# Runs the app standalone on http://localhost:7071 against a local Azurite (started here, data kept in
# .azurite/ between runs), loads the sample documents, and stops Azurite when the app stops (Ctrl+C).
# With no MLX host at DocServer:Endpoints:macmini:Url, answers are extractive and say so.
set -euo pipefail
cd "$(dirname "$0")"

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund

azurite_pid=""
if (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
  echo "Using the Azurite already listening on 127.0.0.1:10000-10002."
else
  mkdir -p .azurite
  setsid node_modules/.bin/azurite --silent --skipApiVersionCheck --location .azurite \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >.azurite/azurite.log 2>&1 &
  azurite_pid=$!
  for port in 10000 10001 10002; do
    for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  done
  echo "Azurite started (data in .azurite/)."
fi

app_pid=""
stop() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  [ -n "$azurite_pid" ] && { kill -- -"$azurite_pid" 2>/dev/null || kill "$azurite_pid" 2>/dev/null || true; }
}
trap stop EXIT INT TERM

# Where telemetry goes is the app's choice from these two settings (README, "See the pipeline").
if [ -n "${APPLICATIONINSIGHTS_CONNECTION_STRING:-}" ] && [ -n "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" ]; then
  echo "Telemetry: exported to Application Insights and to OTLP at $OTEL_EXPORTER_OTLP_ENDPOINT."
elif [ -n "${APPLICATIONINSIGHTS_CONNECTION_STRING:-}" ]; then
  echo "Telemetry: exported to Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING)."
elif [ -n "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" ]; then
  echo "Telemetry: exported to OTLP at $OTEL_EXPORTER_OTLP_ENDPOINT."
else
  echo "Telemetry: not exported (set OTEL_EXPORTER_OTLP_ENDPOINT or APPLICATIONINSIGHTS_CONNECTION_STRING)."
fi

dotnet build src/DocServer.Functions -c Release -v quiet -nologo >/dev/null
dotnet src/DocServer.Functions/bin/Release/net10.0/DocServer.Functions.dll "$@" &
app_pid=$!

# With DocServer__FunctionKey set (required when listening beyond localhost) every /api call carries it.
key=()
[ -n "${DocServer__FunctionKey:-}" ] && key=(-H "x-functions-key: $DocServer__FunctionKey")

for _ in $(seq 1 300); do
  curl -sf "${key[@]}" http://localhost:7071/api/gate/status >/dev/null 2>&1 && break
  kill -0 "$app_pid" 2>/dev/null || { echo "The app exited; see its messages above."; exit 1; }
  sleep 0.2
done

for file in samples/*.md; do
  id=$(basename "$file" .md)
  curl -sf -o /dev/null "${key[@]}" -F "file=@$file" -F "id=$id" http://localhost:7071/api/documents && echo "Loaded sample document '$id'."
done

cat <<'MSG'

DocServer is running: open http://localhost:7071/ in a browser, or try:
  curl -s http://localhost:7071/api/ask -H 'Content-Type: application/json' -d '{"question":"What is the notice period for ending the tenancy?"}'
  curl -s http://localhost:7071/api/ask -H 'Content-Type: application/json' -d '{"question":"연차휴가 신청 절차는?"}'
Press Ctrl+C to stop.
MSG
wait "$app_pid"
