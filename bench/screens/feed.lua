-- wrk script for bench/screens: wrk ... -s feed.lua URL -- MODE [SCREENS_TSV]
--   MODE ceiling: GET /bench/ceiling
--   MODE 200:     GET each screen's feed in turn, no If-None-Match (a full body every time)
--   MODE 304:     the same with the screen's stored ETag (what a polling player sends)
-- SCREENS_TSV lines: id <TAB> token <TAB> district <TAB> etag. Prints one JSON line at the end.

local threads = {}

function setup(thread)
  thread:set("thread_no", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  screens = {}
  if args[2] then
    for line in io.lines(args[2]) do
      local id, token, _, etag = line:match("^([^\t]+)\t([^\t]+)\t([^\t]*)\t?([^\t]*)$")
      if id then
        table.insert(screens, { id = id, token = token, etag = etag })
      end
    end
  end
  -- each wrk thread starts at a different screen
  cursor = (thread_no * 997) % math.max(#screens, 1)
  statuses = {}
end

function request()
  if mode == "ceiling" then
    return wrk.format("GET", "/bench/ceiling")
  end
  cursor = cursor % #screens + 1
  local s = screens[cursor]
  local headers = { ["Authorization"] = "Bearer " .. s.token }
  if mode == "304" then
    headers["If-None-Match"] = s.etag
  end
  return wrk.format("GET", "/api/v1/screens/" .. s.id .. "/feed", headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d":%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_s":%.3f,"rps":%.1f,"bytes":%d,'
      .. '"p50_ms":%.2f,"p90_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"mean_ms":%.2f,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"statuses":{%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), summary.bytes,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ",")
  ))
end
