-- wrk script: POST an AWS JSON 1.1 request.
-- Environment: BENCH_TARGET (X-Amz-Target value), BENCH_BODY (JSON body).
local d = os.date("!%Y%m%dT%H%M%SZ")
wrk.method = "POST"
wrk.path = "/"
wrk.body = os.getenv("BENCH_BODY") or "{}"
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = os.getenv("BENCH_TARGET") or ""
wrk.headers["X-Amz-Date"] = d
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/" .. string.sub(d, 1, 8) ..
  "/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" ..
  string.rep("0", 64)
