-- wrk script: casts supports over the JSON API, POST /api/v1/proposals/{id}/support, each request with the
-- bearer token of a seeded verified resident. Arguments (after `--`): tokens file, targets file (ids of
-- proposals collecting support), offset, number of wrk threads.
--
-- Request k (k = offset + thread + n * threads, n = 0, 1, … within a thread) supports proposal
-- targets[k mod P] as resident tokens[(k div P) mod T]: every (resident, proposal) pair comes up once in
-- P × T requests, consecutive requests hit different proposals (no hot row), and runs started at
-- different offsets do not repeat each other's pairs. A seeded support of the same pair answers 200 with
-- "changed": false: counted as `already`, not as an error. Anything but 200 is `failed`.

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
  targets = lines(args[2])
  offset = tonumber(args[3]) or 0
  nthreads = tonumber(args[4]) or 1
  n = 0
  new, already, failed = 0, 0, 0
  if #tokens == 0 or #targets == 0 then error("no tokens or no targets") end
end

function request()
  local k = offset + tid + n * nthreads
  n = n + 1
  local p = targets[(k % #targets) + 1]
  local t = tokens[(math.floor(k / #targets) % #tokens) + 1]
  return wrk.format("POST", "/api/v1/proposals/" .. p .. "/support",
    { ["Authorization"] = "Bearer " .. t, ["Content-Length"] = "0" })
end

function response(status, headers, body)
  if status == 200 then
    if string.find(body, '"changed":false', 1, true) then
      already = already + 1
    else
      new = new + 1
    end
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("new")
    b = b + t:get("already")
    c = c + t:get("failed")
  end
  io.write(string.format("SUPPORTS new=%d already=%d failed=%d\n", a, b, c))
end
