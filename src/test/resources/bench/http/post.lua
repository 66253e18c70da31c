-- wrk script: authenticated replies, POST /api/threads/{id}/posts, with the bearer tokens of
-- several users in turn (so a per-user posting limit, if configured, sees the load spread) to
-- random threads of a range, with varied bodies (they become the search corpus).
-- Arguments (after --): tokens file (one per line), first thread id, number of threads.
local tokens = {}
local first_thread, thread_count
local counter = 0
local bodies = {
  "How fine should I grind espresso beans for a morning cup",
  "My sourdough starter smells of acetone after a week in the fridge",
  "Which kayak paddle length suits a tall beginner on calm lakes",
  "Postgres vacuum does not shrink the table after a big delete",
  "New hiking boots gave me blisters on the first long trail",
  "Best telescope for watching planets from a city balcony",
  "Tomatoes split after heavy rain, is the compost to blame",
  "Our puppy keeps chewing the leash during training walks",
  "Saving money on groceries with a strict weekly budget",
  "Bicycle chain skips gears when climbing steep hills",
  "Car battery dies every winter morning in the cold",
  "Practising guitar chords without hurting the fingertips",
  "Cannot sleep at night and feel tired all day at work",
  "Docker container cannot reach a port on the host network",
  "Git merge conflict after rebasing a long running branch",
  "Moving abroad with a work visa and all the paperwork",
  "Roof leak shows as a stain on the bedroom ceiling",
  "Chess endgame tactics for a king and two pawns",
  "Training plan and pace for a first marathon",
  "Smartphone battery drains fast since the last update",
}

function setup(thread)
  thread:set("wrk_thread_seed", math.random(1, 1000000))
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  first_thread = tonumber(args[2])
  thread_count = tonumber(args[3])
  math.randomseed(wrk_thread_seed or 1)
end

function request()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local thread = first_thread + math.random(thread_count) - 1
  local body = bodies[math.random(#bodies)] .. " (reply " .. counter .. ")"
  return wrk.format("POST", "/api/threads/" .. thread .. "/posts",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
    '{"body":"' .. body .. '"}')
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
