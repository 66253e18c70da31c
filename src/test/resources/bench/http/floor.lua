-- wrk script: one anonymous GET of a fixed path, the HTTP floor beside a load (the path should
-- answer without the database: what the service costs for a route that does no work of its own). Argument (after --): the path.
local path

function init(args)
  path = args[1]
end

function request()
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
