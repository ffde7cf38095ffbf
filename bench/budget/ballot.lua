-- wrk script: casts participatory-budget ballots over the JSON API, POST /api/v1/budgets/{id}/ballot, each
-- request with the bearer token of a seeded verified resident. Arguments (after `--`): tokens file,
-- projects file (ids on the ballot), process id, min and max projects per ballot, number of wrk threads.
--
-- Request k (k = thread + n * threads) is cast by resident tokens[k mod T] with a pseudo-random set of
-- min..max distinct projects: the first T requests are first ballots, later ones replace them (the latest
-- counts). 201 is `accepted`; anything else is `failed`.

local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local function lines(path)
  local t = {}
  for l in io.lines(path) do
    if l ~= "" then t[#t + 1] = l end
  end
  return t
end

function init(args)
  tokens = lines(args[1])
  projects = lines(args[2])
  process = args[3]
  lo = tonumber(args[4])
  hi = tonumber(args[5])
  nthreads = tonumber(args[6]) or 1
  n = 0
  accepted, failed = 0, 0
  math.randomseed(1000 + tid)
  if #tokens == 0 or #projects == 0 then error("no tokens or no projects") end
end

function request()
  local k = tid + n * nthreads
  n = n + 1
  local t = tokens[(k % #tokens) + 1]
  -- A partial Fisher-Yates shuffle: `take` distinct projects.
  local pool = {}
  for i, p in ipairs(projects) do pool[i] = p end
  local take = math.random(lo, hi)
  local chosen = {}
  for i = 1, take do
    local j = math.random(i, #pool)
    pool[i], pool[j] = pool[j], pool[i]
    chosen[i] = pool[i]
  end
  local body = '{"projects":[' .. table.concat(chosen, ",") .. ']}'
  return wrk.format("POST", "/api/v1/budgets/" .. process .. "/ballot",
    { ["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status == 201 then
    accepted = accepted + 1
  else
    failed = failed + 1
    if failed <= 3 then io.stderr:write("ballot refused: " .. status .. " " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  local a, f = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    f = f + t:get("failed")
  end
  io.write(string.format("BALLOTS accepted=%d failed=%d\n", a, f))
end
