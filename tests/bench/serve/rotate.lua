-- wrk script: each request asks for the next of FEEDS feeds (feed0.atom, feed1.atom, ...), so
-- that every prepared body is read while the memory under load is measured.
local feeds = tonumber(os.getenv("FEEDS") or "100")
local n = 0
request = function()
  n = (n + 1) % feeds
  return wrk.format("GET", "/feeds/feed" .. n .. ".atom")
end
