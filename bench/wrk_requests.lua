-- wrk script of bench/load.py: replays the requests listed in the file named by
-- JALON_WRK_REQUESTS ("path<TAB>Cookie header" per line) in turn, each connection's thread
-- starting at its own offset, as agents behind the TLS proxy (X-Forwarded-Proto: https).
-- Every answer other than 200 is counted; the summary is one "JALON {json}" line.

local threads = {}
local listing = {}
local position = 0
not_ok = 0
last_bad_status = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads)
end

function init(args)
  for line in io.lines(os.getenv("JALON_WRK_REQUESTS")) do
    local path, cookie = line:match("^([^\t]*)\t?(.*)$")
    local headers = { ["X-Forwarded-Proto"] = "https", ["Accept"] = "text/html" }
    if cookie ~= nil and cookie ~= "" then
      headers["Cookie"] = cookie
    end
    table.insert(listing, wrk.format("GET", path, headers))
  end
  position = (offset * 7919) % #listing
end

function request()
  position = position % #listing + 1
  return listing[position]
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    last_bad_status = status
  end
end

function done(summary, latency, requests)
  local bad, last = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
    local status = thread:get("last_bad_status")
    if status ~= 0 then
      last = status
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'JALON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"max": %d, "not_ok": %d, "last_bad_status": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, bad, last, errors.connect, errors.read,
    errors.write, errors.timeout))
end
