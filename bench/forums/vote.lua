-- wrk script: casts votes over the JSON API, POST /api/v1/conversations/{id}/votes, rotating the bearer
-- tokens of the demo's verified residents over (conversation, statement) targets and the three vote values.
-- Arguments (after `--`): tokens file, targets file (lines "CONVERSATION STATEMENT"). Anything but 200 is
-- `failed`.
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
  targets = {}
  for _, l in ipairs(lines(args[2])) do
    local c, s = l:match("^(%d+)%s+(%d+)$")
    targets[#targets + 1] = { c, s }
  end
  n = 0
  ok, failed = 0, 0
  values = { "agree", "disagree", "pass" }
end

function request()
  local k = tid * 7919 + n
  n = n + 1
  local target = targets[(k % #targets) + 1]
  local t = tokens[(math.floor(k / #targets) % #tokens) + 1]
  local v = values[(k % 3) + 1]
  local body = '{"statement_id":' .. target[2] .. ',"vote":"' .. v .. '"}'
  return wrk.format("POST", "/api/v1/conversations/" .. target[1] .. "/votes",
    { ["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else failed = failed + 1 end
end

function done(summary, latency, requests)
  local a, b = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("ok")
    b = b + t:get("failed")
  end
  io.write(string.format("VOTES ok=%d failed=%d\n", a, b))
end
