#!/usr/bin/env bash
# End-to-end checks with the AWS CLI against a freshly started emulator (ephemeral, free port).
# Usage: tests/e2e/cli.sh   (COGEMU_BIN overrides the binary; default build/cognito-emulator)
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${COGEMU_BIN:-$root/build/cognito-emulator}"

if ! command -v aws >/dev/null 2>&1; then
  echo "cli: skipped: no aws CLI"
  exit 0
fi
if [ ! -x "$bin" ]; then
  echo "cli: emulator binary not found: $bin" >&2
  echo "cli: 0 passed, 1 failed"
  exit 1
fi

# JSON checks use node (always present: the JS suites need it).
if ! command -v node >/dev/null 2>&1; then
  echo "cli: node is required for the JSON checks" >&2
  echo "cli: 0 passed, 1 failed"
  exit 1
fi
jq_eval() { # EXPR, JSON on stdin → prints the JS expression's value (j is the parsed input)
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let j;try{j=JSON.parse(s)}catch{j={}};let v;try{v=eval(process.argv[1])}catch(e){v="<"+e.message+">"};process.stdout.write(typeof v==="string"?v:JSON.stringify(v)??"undefined");});' "$1"
}

work="$(mktemp -d "${TMPDIR:-/tmp}/cogemu-cli.XXXXXX")"
emu_pid=""
cleanup() {
  if [ -n "$emu_pid" ] && kill -0 "$emu_pid" 2>/dev/null; then
    kill -TERM "$emu_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$emu_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$emu_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Hermetic: drop COGNITO_EMULATOR_* settings inherited from the caller's shell.
for v in $(compgen -e); do case "$v" in COGNITO_EMULATOR_*) unset "$v" ;; esac; done
"$bin" --ephemeral --port 0 >"$work/stdout" 2>"$work/stderr" &
emu_pid=$!
url=""
for _ in $(seq 100); do   # 10 s
  url="$(sed -n 's#^cognito-emulator listening on \(http://[^ ]*\)$#\1#p' "$work/stdout" | head -n1 | tr -d '\r')"
  [ -n "$url" ] && break
  kill -0 "$emu_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "cli: emulator did not start; stderr:" >&2
  tail -n 30 "$work/stderr" >&2
  echo "cli: 0 passed, 1 failed"
  exit 1
fi

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true
export AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE
awscli() { aws --endpoint-url "$url" --region us-east-1 --output json "$@"; }

passed=0
failed=0
out=""
# check NAME EXPR EXPECTED: evaluates EXPR against $out
check() {
  local name="$1" expr="$2" want="$3" got
  got="$(printf '%s' "$out" | jq_eval "$expr" 2>&1)"
  if [ "$got" = "$want" ]; then
    passed=$((passed + 1)); echo "ok   - $name"
  else
    failed=$((failed + 1)); echo "FAIL - $name: $expr = '$got', want '$want'"
  fi
}
# run NAME CMD...: runs the aws command, stores stdout in $out, counts a failure on non-zero exit
run() {
  local name="$1"; shift
  if out="$(awscli "$@" 2>"$work/aws.err")"; then
    return 0
  fi
  failed=$((failed + 1)); echo "FAIL - $name: aws $* exited non-zero: $(tr '\n' ' ' <"$work/aws.err")"
  out="{}"
  return 1
}

run create-user-pool cognito-idp create-user-pool --pool-name cli-pool
check "create-user-pool Id" '/^us-east-1_[0-9A-Za-z]{9}$/.test(j.UserPool.Id)' true
check "create-user-pool Name" 'j.UserPool.Name' cli-pool
pool_id="$(printf '%s' "$out" | jq_eval 'j.UserPool ? j.UserPool.Id : ""')"

run describe-user-pool cognito-idp describe-user-pool --user-pool-id "$pool_id"
check "describe-user-pool Id" 'j.UserPool.Id' "$pool_id"
check "describe-user-pool Arn" 'j.UserPool.Arn' "arn:aws:cognito-idp:us-east-1:000000000000:userpool/$pool_id"
check "describe-user-pool MinimumLength" 'j.UserPool.Policies.PasswordPolicy.MinimumLength' 8
check "describe-user-pool MfaConfiguration" 'j.UserPool.MfaConfiguration' OFF

run create-user-pool-client cognito-idp create-user-pool-client --user-pool-id "$pool_id" --client-name cli-client --generate-secret
check "create-user-pool-client ClientId" '/^[a-z0-9]{26}$/.test(j.UserPoolClient.ClientId)' true
check "create-user-pool-client ClientSecret" '/^[a-z0-9]{51}$/.test(j.UserPoolClient.ClientSecret)' true
client_id="$(printf '%s' "$out" | jq_eval 'j.UserPoolClient ? j.UserPoolClient.ClientId : ""')"

run describe-user-pool-client cognito-idp describe-user-pool-client --user-pool-id "$pool_id" --client-id "$client_id"
check "describe-user-pool-client ClientName" 'j.UserPoolClient.ClientName' cli-client

run list-user-pools cognito-idp list-user-pools --max-results 10
check "list-user-pools finds the pool" 'j.UserPools.map(p=>p.Id).join(",")' "$pool_id"

run delete-user-pool-client cognito-idp delete-user-pool-client --user-pool-id "$pool_id" --client-id "$client_id"
run delete-user-pool cognito-idp delete-user-pool --user-pool-id "$pool_id"
run list-user-pools-after-delete cognito-idp list-user-pools --max-results 10
check "list-user-pools after delete" 'j.UserPools.length' 0

# an error surfaces as a non-zero exit naming the exception
if awscli cognito-idp describe-user-pool --user-pool-id "$pool_id" >/dev/null 2>"$work/aws.err"; then
  failed=$((failed + 1)); echo "FAIL - describe deleted pool: succeeded"
elif grep -q "ResourceNotFoundException" "$work/aws.err" && grep -q "User pool $pool_id does not exist." "$work/aws.err"; then
  passed=$((passed + 1)); echo "ok   - describe deleted pool → ResourceNotFoundException"
else
  failed=$((failed + 1)); echo "FAIL - describe deleted pool: $(tr '\n' ' ' <"$work/aws.err")"
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
