-- wrk script: anonymous reads of a thread and of its first page of posts, in turn, over random
-- threads of a range. Arguments (after --): first thread id, number of threads.
local first_thread, thread_count
local counter = 0

function setup(thread)
  thread:set("wrk_thread_seed", math.random(1, 1000000))
end

function init(args)
  first_thread = tonumber(args[1])
  thread_count = tonumber(args[2])
  math.randomseed(wrk_thread_seed or 1)
end

function request()
  counter = counter + 1
  local thread = first_thread + math.random(thread_count) - 1
  if counter % 2 == 0 then
    return wrk.format("GET", "/api/threads/" .. thread)
  end
  return wrk.format("GET", "/api/threads/" .. thread .. "/posts")
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
