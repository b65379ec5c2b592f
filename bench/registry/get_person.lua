-- wrk script: GET /api/v1/registry/persons/{random id} with the session cookie of a signed-in manager.
-- Environment: DOUDI_COOKIE (the session token), DOUDI_PERSONS (how many persons exist).
local cookie = os.getenv("DOUDI_COOKIE")
local persons = tonumber(os.getenv("DOUDI_PERSONS") or "1000000")
local path_prefix = os.getenv("DOUDI_PATH_PREFIX") or "/api/v1/registry/persons/"
local counter = 0
function setup(thread)
  thread:set("seed", counter)
  counter = counter + 1
end
function init(args)
  math.randomseed(12345 + seed)
end
function request()
  local id = math.random(1, persons)
  return wrk.format("GET", path_prefix .. id, { ["Cookie"] = "doudi_session=" .. cookie })
end
function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
