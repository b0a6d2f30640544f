-- wrk script: alternates GetId and GetCredentialsForIdentity (unsigned, as clients send them)
-- for one authenticated login, so the figure is the mix a client's fetchAuthSession makes.
-- Environment: BENCH_GETID (GetId body), BENCH_CREDS (GetCredentialsForIdentity body).
local getid = os.getenv("BENCH_GETID") or "{}"
local creds = os.getenv("BENCH_CREDS") or "{}"
local n = 0
function request()
  n = n + 1
  local headers = {["Content-Type"] = "application/x-amz-json-1.1"}
  if n % 2 == 1 then
    headers["X-Amz-Target"] = "AWSCognitoIdentityService.GetId"
    return wrk.format("POST", "/", headers, getid)
  end
  headers["X-Amz-Target"] = "AWSCognitoIdentityService.GetCredentialsForIdentity"
  return wrk.format("POST", "/", headers, creds)
end
