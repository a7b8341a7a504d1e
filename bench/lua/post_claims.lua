-- POST /v1/claims with a fresh Idempotency-Key per request; claimants and sources are taken
-- at random from $BENCH_ACTORS and $BENCH_SOURCES (ids, one per line).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local actors, sources
local nonce = (os.getenv("BENCH_NONCE") or "x") .. "-" .. (os.getenv("BENCH_RUN") or "")
local path = os.getenv("BENCH_PATH") or "/v1/claims"
local counter = 0
local auth = "Bearer " .. (os.getenv("BENCH_AUTH") or "")
local words = {"troops", "killed", "wounded", "drone", "strike", "village", "region",
               "ministry", "claimed", "reported", "shelling", "border", "forces", "missing"}

function init(args)
  actors = read_lines(os.getenv("BENCH_ACTORS"))
  sources = read_lines(os.getenv("BENCH_SOURCES"))
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end

function request()
  counter = counter + 1
  local text = {}
  for i = 1, 14 do text[i] = words[math.random(#words)] end
  local body = string.format(
    '{"claimant_id":"%s","text":"%s","stated_on":"2025-%02d-%02d",' ..
    '"citations":[{"source_id":"%s"}],"subject_ids":["%s"],' ..
    '"location":{"country":"UKR","name":"Kursk"},"topics":["casualties"]}',
    actors[math.random(#actors)], table.concat(text, " "), math.random(12), math.random(28),
    sources[math.random(#sources)], actors[math.random(#actors)])
  -- wrk.format uses these headers instead of wrk.headers, so all of them go here
  local headers = {
    ["Authorization"] = auth,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", nonce, thread_id or 0, counter),
  }
  return wrk.format("POST", path, headers, body)
end
