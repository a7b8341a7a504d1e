-- GET a random path from $BENCH_PATHS (one per line) with $BENCH_AUTH as the bearer key,
-- and $BENCH_ACCEPT_ENCODING as Accept-Encoding when set (wrk sends none by default).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local paths
local auth = os.getenv("BENCH_AUTH")
local accept_encoding = os.getenv("BENCH_ACCEPT_ENCODING")

function init(args)
  paths = read_lines(os.getenv("BENCH_PATHS"))
  math.randomseed(os.time() * 1000 + (thread_id or 0))
  if auth and #auth > 0 then wrk.headers["Authorization"] = "Bearer " .. auth end
  if accept_encoding and #accept_encoding > 0 then
    wrk.headers["Accept-Encoding"] = accept_encoding
  end
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

-- $BENCH_CONSISTENCY, when set, goes with every request as ClaimLedger-Consistency (the
-- token of a write made before the run: the replica scenario, harness/replica_reads.py).
local consistency = os.getenv("BENCH_CONSISTENCY")
if consistency and #consistency > 0 then wrk.headers["ClaimLedger-Consistency"] = consistency end
