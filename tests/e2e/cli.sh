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

# expect_fail NAME EXCEPTION MESSAGE CMD...: the aws command must exit non-zero naming EXCEPTION and MESSAGE
expect_fail() {
  local name="$1" exc="$2" msg="$3"; shift 3
  if awscli "$@" >/dev/null 2>"$work/aws.err"; then
    failed=$((failed + 1)); echo "FAIL - $name: succeeded"
  elif grep -q "$exc" "$work/aws.err" && grep -qF "$msg" "$work/aws.err"; then
    passed=$((passed + 1)); echo "ok   - $name → $exc"
  else
    failed=$((failed + 1)); echo "FAIL - $name: $(tr '\n' ' ' <"$work/aws.err")"
  fi
}

# --- MFA preference and devices (admin forms)
run create-user-pool-mfa cognito-idp create-user-pool --pool-name cli-mfa \
  --sms-configuration SnsCallerArn=arn:aws:iam::000000000000:role/sns,ExternalId=x \
  --device-configuration ChallengeRequiredOnNewDevice=false,DeviceOnlyRememberedOnUserPrompt=false
mfa_pool="$(printf '%s' "$out" | jq_eval 'j.UserPool ? j.UserPool.Id : ""')"
run set-user-pool-mfa-config cognito-idp set-user-pool-mfa-config --user-pool-id "$mfa_pool" --mfa-configuration OPTIONAL \
  --sms-mfa-configuration '{"SmsAuthenticationMessage":"Your code is {####}","SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::000000000000:role/sns","ExternalId":"x"}}'
check "set-user-pool-mfa-config MfaConfiguration" 'j.MfaConfiguration' OPTIONAL
run create-user-pool-client-mfa cognito-idp create-user-pool-client --user-pool-id "$mfa_pool" --client-name cli-mfa \
  --explicit-auth-flows ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH
mfa_client="$(printf '%s' "$out" | jq_eval 'j.UserPoolClient ? j.UserPoolClient.ClientId : ""')"
run admin-create-user cognito-idp admin-create-user --user-pool-id "$mfa_pool" --username cliuser \
  --message-action SUPPRESS --temporary-password 'Tmp-Passw0rd!' --user-attributes Name=phone_number,Value=+15555550199
run admin-set-user-password cognito-idp admin-set-user-password --user-pool-id "$mfa_pool" --username cliuser \
  --password 'Passw0rd!' --permanent

run admin-initiate-auth-device cognito-idp admin-initiate-auth --user-pool-id "$mfa_pool" --client-id "$mfa_client" \
  --auth-flow ADMIN_USER_PASSWORD_AUTH --auth-parameters 'USERNAME=cliuser,PASSWORD=Passw0rd!'
check "admin-initiate-auth NewDeviceMetadata" '/^us-east-1_[0-9a-f-]{36}$/.test(j.AuthenticationResult.NewDeviceMetadata.DeviceKey)' true
device_key="$(printf '%s' "$out" | jq_eval 'j.AuthenticationResult ? j.AuthenticationResult.NewDeviceMetadata.DeviceKey : ""')"
group_key="$(printf '%s' "$out" | jq_eval 'j.AuthenticationResult ? j.AuthenticationResult.NewDeviceMetadata.DeviceGroupKey : ""')"
access_token="$(printf '%s' "$out" | jq_eval 'j.AuthenticationResult ? j.AuthenticationResult.AccessToken : ""')"
run admin-list-devices-unconfirmed cognito-idp admin-list-devices --user-pool-id "$mfa_pool" --username cliuser
check "admin-list-devices: an unconfirmed device is not listed" 'j.Devices.length' 0
# the device verifier amazon-cognito-identity-js sends: v = g^x mod N, x = H(PAD(salt) | H(group key | device key ":" password))
verifier="$(GROUP_KEY="$group_key" DEVICE_KEY="$device_key" node -e '
const c = require("crypto");
const N = BigInt("0x" + "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF");
const pad = (n) => { let h = n.toString(16); if (h.length % 2) h = "0" + h; let b = Buffer.from(h, "hex"); return b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b; };
const H = (...p) => c.createHash("sha256").update(Buffer.concat(p)).digest();
const salt = BigInt("0x" + c.randomBytes(16).toString("hex"));
const x = BigInt("0x" + H(pad(salt), H(Buffer.from(process.env.GROUP_KEY + process.env.DEVICE_KEY + ":" + c.randomBytes(40).toString("base64")))).toString("hex"));
let v = 1n, b = 2n, e = x; while (e > 0n) { if (e & 1n) v = (v * b) % N; b = (b * b) % N; e >>= 1n; }
process.stdout.write(JSON.stringify({ PasswordVerifier: pad(v).toString("base64"), Salt: pad(salt).toString("base64") }));
')"
run confirm-device cognito-idp confirm-device --access-token "$access_token" --device-key "$device_key" \
  --device-secret-verifier-config "$verifier" --device-name cli-laptop
check "confirm-device UserConfirmationNecessary (always-remember pool)" 'j.UserConfirmationNecessary' false
run admin-list-devices cognito-idp admin-list-devices --user-pool-id "$mfa_pool" --username cliuser --limit 1
check "admin-list-devices DeviceKey" 'j.Devices.map(d=>d.DeviceKey).join(",")' "$device_key"
check "admin-list-devices device_name" 'j.Devices[0].DeviceAttributes.find(a=>a.Name==="device_name").Value' cli-laptop
check "admin-list-devices dev:device_owner" 'j.Devices[0].DeviceAttributes.find(a=>a.Name==="dev:device_owner").Value' "cliuser.$mfa_pool"
check "admin-list-devices remembered" 'j.Devices[0].DeviceAttributes.find(a=>a.Name==="dev:device_remembered_status").Value' remembered
check "admin-list-devices no PaginationToken" 'j.PaginationToken === undefined' true

run admin-get-user-fresh cognito-idp admin-get-user --user-pool-id "$mfa_pool" --username cliuser
check "admin-get-user: no UserMFASettingList" '"UserMFASettingList" in j || "PreferredMfaSetting" in j || "MFAOptions" in j' false
expect_fail "admin-set-user-mfa-preference TOTP without a token" InvalidParameterException \
  "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA" \
  cognito-idp admin-set-user-mfa-preference --user-pool-id "$mfa_pool" --username cliuser \
  --software-token-mfa-settings Enabled=true,PreferredMfa=true
run admin-set-user-mfa-preference cognito-idp admin-set-user-mfa-preference --user-pool-id "$mfa_pool" --username cliuser \
  --sms-mfa-settings Enabled=true,PreferredMfa=true
run admin-get-user-mfa cognito-idp admin-get-user --user-pool-id "$mfa_pool" --username cliuser
check "admin-get-user UserMFASettingList" 'j.UserMFASettingList' '["SMS_MFA"]'
check "admin-get-user PreferredMfaSetting" 'j.PreferredMfaSetting' SMS_MFA
check "admin-get-user MFAOptions" 'j.MFAOptions' '[{"DeliveryMedium":"SMS","AttributeName":"phone_number"}]'
run admin-initiate-auth-mfa cognito-idp admin-initiate-auth --user-pool-id "$mfa_pool" --client-id "$mfa_client" \
  --auth-flow ADMIN_USER_PASSWORD_AUTH --auth-parameters 'USERNAME=cliuser,PASSWORD=Passw0rd!'
check "admin-initiate-auth after the preference: SMS_MFA" 'j.ChallengeName' SMS_MFA
run admin-set-user-mfa-preference-off cognito-idp admin-set-user-mfa-preference --user-pool-id "$mfa_pool" --username cliuser \
  --sms-mfa-settings Enabled=false,PreferredMfa=false
run admin-get-user-mfa-off cognito-idp admin-get-user --user-pool-id "$mfa_pool" --username cliuser
check "admin-get-user after turning SMS off" '"UserMFASettingList" in j || "PreferredMfaSetting" in j || "MFAOptions" in j' false

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
