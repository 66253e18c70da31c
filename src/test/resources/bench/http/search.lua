-- wrk script: semantic searches (GET /api/search?q=..., 10 results) over a list of queries, in turn.
-- Arguments (after --): queries file, one URL-encoded query per line; optional search mode
-- (semantic, keyword, hybrid; the service's default, semantic, when absent).
local queries = {}
local mode = ""
local counter = 0

local threads = 0

-- Each thread starts at its own half of the list (the benchmark runs at most two threads), so that
-- over a list of never-repeated queries no request repeats another's query.
function setup(thread)
  thread:set("wrk_thread_index", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then queries[#queries + 1] = line end
  end
  counter = (wrk_thread_index or 0) * math.floor(#queries / 2)
  if args[2] then mode = "&mode=" .. args[2] end
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/api/search?limit=10" .. mode .. "&q=" .. queries[(counter % #queries) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
