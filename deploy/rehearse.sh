#!/usr/bin/env bash
# Rehearse the Containerfile where no image can be built (no container engine, no base
# images): the same build commands in a fresh venv from a copy of exactly what the
# Containerfile COPYs, then the installed app run as an unprivileged user, as in the
# image: migrate, doctor, serve --workers 2, and the calls a load balancer and an
# operator make. Run as root (it creates the user). Exits non-zero on any failure.
#
#   bash deploy/rehearse.sh                      # SQLite in the user's home
#   HANDOVER_DATABASE_URL=postgresql://... bash deploy/rehearse.sh
set -euo pipefail

# A Python every user can run (a pyenv under /root is not one).
PYTHON="${PYTHON:-/usr/bin/python3}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
USER_NAME=handover-rehearsal
PORT="${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
WORK="$(mktemp -d /tmp/handover-rehearsal.XXXXXX)"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        kill -- -"$SERVER_PID" 2>/dev/null || true  # its own session: uvicorn and workers
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$1"; }

step "build stage: copy what the Containerfile copies, build the wheel, install it"
mkdir -p "$WORK/src"
cp "$REPO/pyproject.toml" "$REPO/README.md" "$REPO/piccolo_conf.py" "$WORK/src/"
cp -r "$REPO/app" "$WORK/src/app"
find "$WORK/src" -name __pycache__ -prune -exec rm -rf {} +
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
"$PYTHON" -m venv "$WORK/venv"
(cd "$WORK/src" && "$WORK/venv/bin/pip" install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true)
(cd "$WORK/src" && "$WORK/venv/bin/pip" wheel -q --no-deps --wheel-dir "$WORK/wheels" . 2>&1 | grep -v "^WARNING: Location" || true)
"$WORK/venv/bin/pip" install -q "$WORK"/wheels/*.whl 2>&1 | grep -v "^WARNING: Location" || true
rm -rf "$WORK/src"  # the run stage has only the venv
chmod -R a+rX "$WORK"

step "run stage: an unprivileged user ($USER_NAME), its own home, only the venv"
id "$USER_NAME" >/dev/null 2>&1 ||
    useradd --system --create-home --home-dir "/var/lib/$USER_NAME" --shell /usr/sbin/nologin "$USER_NAME"
HOME_DIR="$(getent passwd "$USER_NAME" | cut -d: -f6)"
rm -rf "${HOME_DIR:?}"/*
as_user() {
    ${AS_USER_PREFIX:-} runuser -u "$USER_NAME" -- env -i PATH="$WORK/venv/bin:/usr/bin:/bin" HOME="$HOME_DIR" \
        HANDOVER_DATABASE_URL="${HANDOVER_DATABASE_URL:-sqlite:///$HOME_DIR/handover.sqlite}" \
        HANDOVER_SECRET_KEY="rehearsal-secret-0123456789abcdefghijklmnop" \
        HANDOVER_REDIS_URL="${HANDOVER_REDIS_URL:-}" \
        HANDOVER_METRICS_DIR="/tmp/handover-rehearsal-metrics-$PORT" \
        bash -c "cd '$HOME_DIR' && $*"
}
as_user 'test "$(id -u)" -ne 0 && echo "uid $(id -u), not root"'
as_user 'handover migrate'
as_user 'handover doctor' || { echo "doctor failed"; exit 1; }
ADMIN_KEY="$(as_user 'handover apikey create --role admin --name rehearsal')"

step "serve --workers 2 on port $PORT"
AS_USER_PREFIX="exec setsid" as_user "exec handover serve --host 127.0.0.1 --port $PORT --workers 2" \
    >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 120); do
    curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
    sleep 0.5
done
base="http://127.0.0.1:$PORT"
check() {  # expected status, URL, curl arguments...
    local want="$1" url="$2"
    shift 2
    local got
    got="$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url")"
    [[ "$got" == "$want" ]] || { echo "FAIL $url: $got, wanted $want"; tail -20 "$WORK/serve.log"; exit 1; }
    echo "ok   $want $url"
}
check 200 "$base/health"
check 200 "$base/ready"
check 200 "$base/api/v1/docs"
check 200 "$base/swagger-ui/swagger-ui-bundle.js"
check 200 "$base/api/v1/openapi.json"
check 200 "$base/inloggen"
check 200 "$base/static/style.css"
check 401 "$base/metrics"
check 200 "$base/metrics" -H "Authorization: Bearer $ADMIN_KEY"
check 200 "$base/api/v1/municipalities?limit=1" -H "Authorization: Bearer $ADMIN_KEY"
as_user "handover export $HOME_DIR/backup.jsonl.gz" && echo "ok   handover export"
step "rehearsal passed"
