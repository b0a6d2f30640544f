-- wrk script: AdminCreateUser with unique usernames, stopping after a quota.
-- Environment: BENCH_POOL (user pool id), BENCH_QUOTA (requests per wrk thread),
--              BENCH_PREFIX (username prefix, unique per run).
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  pool = os.getenv("BENCH_POOL")
  quota = tonumber(os.getenv("BENCH_QUOTA") or "1000")
  prefix = os.getenv("BENCH_PREFIX") or "u"
  sent = 0
  done = 0
  local d = os.date("!%Y%m%dT%H%M%SZ")
  headers = {
    ["Content-Type"] = "application/x-amz-json-1.1",
    ["X-Amz-Target"] = "AWSCognitoIdentityProviderService.AdminCreateUser",
    ["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/" .. string.sub(d, 1, 8) ..
      "/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=" .. string.rep("0", 64),
  }
end
function request()
  sent = sent + 1
  local body = '{"UserPoolId":"' .. pool .. '","Username":"' .. prefix .. '-' .. tid .. '-' .. sent ..
    '","MessageAction":"SUPPRESS","TemporaryPassword":"Passw0rd!",' ..
    '"UserAttributes":[{"Name":"email","Value":"' .. prefix .. tid .. 'x' .. sent .. '@example.com"}]}'
  return wrk.format("POST", "/", headers, body)
end
function response(status, headers, body)
  done = done + 1
  if done >= quota then wrk.thread:stop() end
end
