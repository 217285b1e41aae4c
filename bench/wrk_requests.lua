-- wrk script of bench/load.py: replays the requests listed in the file named by
-- JALON_WRK_REQUESTS in turn, each connection's thread starting at its own offset, as agents
-- or partners behind the TLS proxy (X-Forwarded-Proto: https).
--
-- One request per line, fields separated by tabs:
--   "path"  or  "METHOD path"      (GET when no method is given)
--   then any number of fields, each either
--     "Name: value"                a header (Authorization, Jalon-Service, Content-Type...)
--     "{...}" or "[...]"           the JSON body (no tab or newline inside: json.dumps)
--     anything else                the Cookie header (the pages' form: "path<TAB>cookie")
-- A POST gets a fresh "Idempotency-Key" on every request (a per-run stamp, the thread's
-- offset, a counter and a random number from a per-thread seed), so that every write of
-- the run is a new operation, never a replay.
--
-- JALON_WRK_ACCEPT="2xx" counts any 2xx answer as a success; otherwise (the pages) only 200.
-- Every other answer is counted; the summary is one "JALON {json}" line.

local threads = {}
local listing = {}
local position = 0
local sent = 0
local stamp = ""
local accept_2xx = false
not_ok = 0
last_bad_status = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads)
end

-- Parses one line of the listing into {method, path, headers, body}.
function parse_line(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  local method, path = (fields[1] or ""):match("^(%u+) (.*)$")
  if method == nil then
    method, path = "GET", fields[1] or ""
  end
  local headers = { ["X-Forwarded-Proto"] = "https", ["Accept"] = "text/html" }
  local body = nil
  for index = 2, #fields do
    local field = fields[index]
    local name, value = field:match("^([%w-]+): (.*)$")
    if name ~= nil then
      headers[name] = value
    elseif field:match("^[{%[]") then
      body = field
    elseif field ~= "" then
      headers["Cookie"] = field
    end
  end
  return { method = method, path = path, headers = headers, body = body }
end

-- The Idempotency-Key of the n-th write of this thread: unique in the run and across runs.
function idempotency_key(n)
  return string.format("bench-%s-%d-%d-%08x", stamp, offset, n, math.random(0, 0x7fffffff))
end

-- The raw HTTP request of a parsed line; a POST gets its own Idempotency-Key.
function build(item)
  if item.method == "POST" then
    sent = sent + 1
    local headers = {}
    for name, value in pairs(item.headers) do
      headers[name] = value
    end
    headers["Idempotency-Key"] = idempotency_key(sent)
    return wrk.format(item.method, item.path, headers, item.body)
  end
  return item.formatted
end

function init(args)
  math.randomseed(os.time() + offset * 104729)
  stamp = string.format("%d%04d", os.time(), math.random(0, 9999))
  accept_2xx = os.getenv("JALON_WRK_ACCEPT") == "2xx"
  for line in io.lines(os.getenv("JALON_WRK_REQUESTS")) do
    local item = parse_line(line)
    if item.method ~= "POST" then
      item.formatted = wrk.format(item.method, item.path, item.headers, item.body)
    end
    table.insert(listing, item)
  end
  position = (offset * 7919) % #listing
end

function request()
  position = position % #listing + 1
  return build(listing[position])
end

function response(status, headers, body)
  local ok = status == 200 or (accept_2xx and status >= 200 and status < 300)
  if not ok then
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
