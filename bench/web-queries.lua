-- wrk script for bench/web.sh (loopback only). Three loads over the 200k demo-shaped catalog (the demo generator's
-- vocabulary), chosen by the argument after `--`:
--   repeated (default): 12 searches, each with a filter, in turn: the daemon's per-file answer cache serves them;
--   distinct: 20 x 11 x 4 x 2 = 1,760 search + filter + sort + page combinations, so nearly every answer is read from
--             SQLite, not from the cache;
--   fits: will it fit (docs/memory.md), 11 x 5 x 4 x 2 x 2 = 880 distinct questions: no search or one of 10 words, a
--         memory budget (fits_gb 4 to 48), a context (4k to 128k), by downloads or by size (sort=size: the largest
--         file that fits first), pages 1 and 2.
local repeated = {
  "/api/models?q=qwen3&quantization=Q4_K_M",
  "/api/models?q=coder&architecture=llama",
  "/api/models?q=deepseek%20r1&max_size_gb=8",
  "/api/models?q=instruct&gated=false",
  "/api/models?q=mistral&quantization=Q8_0",
  "/api/models?q=gemma&max_size_gb=4",
  "/api/models?q=phi&quantization=Q5_K_M&sort=likes",
  "/api/models?q=llama&gated=true",
  "/api/models?q=14b&quantization=Q4_K_M&sort=last_modified",
  "/api/models?q=imatrix&architecture=qwen2",
  "/api/models?q=distill&max_size_gb=16&sort=size",
  "/api/models?q=7b&quantization=Q6_K",
}
local words = { "qwen3", "coder", "deepseek", "instruct", "mistral", "gemma", "phi", "llama", "14b", "imatrix",
  "distill", "7b", "abliterated", "math", "roleplay", "granite", "qwen2.5", "merge", "uncensored", "reasoner" }
local filters = { "quantization=Q4_K_M", "quantization=Q8_0", "quantization=Q5_K_M", "quantization=Q6_K",
  "architecture=llama", "architecture=qwen2", "max_size_gb=4", "max_size_gb=8", "max_size_gb=16", "gated=false",
  "gated=true" }
local sorts = { "", "&sort=likes", "&sort=last_modified", "&sort=size" }
local distinct = {}
for _, word in ipairs(words) do
  for _, filter in ipairs(filters) do
    for _, sort in ipairs(sorts) do
      for page = 1, 2 do
        distinct[#distinct + 1] = "/api/models?q=" .. word .. "&" .. filter .. sort .. "&page=" .. page
      end
    end
  end
end
-- the first answers bench/web.sh times one by one, with a memory budget
local fits_first = {
  "/api/models?fits_gb=8&context=32768",
  "/api/models?fits_gb=16&sort=size",
  "/api/models?q=qwen3&fits_gb=24&context=131072&sort=size",
}
local budgets = { "4", "8", "16", "24", "48" }
local contexts = { "&context=4096", "", "&context=32768", "&context=131072" }
local fits = {}
for _, word in ipairs({ "", "qwen3", "coder", "deepseek", "instruct", "gemma", "llama", "14b", "7b", "math", "granite" }) do
  for _, budget in ipairs(budgets) do
    for _, context in ipairs(contexts) do
      for _, sort in ipairs({ "", "&sort=size" }) do
        for page = 1, 2 do
          fits[#fits + 1] = "/api/models?" .. (word == "" and "" or "q=" .. word .. "&") .. "fits_gb=" .. budget
            .. context .. sort .. "&page=" .. page
        end
      end
    end
  end
end
local counter = 0

setup = function(thread)
  thread:set("offset", counter)
  counter = counter + 1
end

init = function(args)
  paths = args[1] == "distinct" and distinct or args[1] == "fits" and fits or repeated
  -- threads start apart; a step coprime with the list's length walks all of it before a question repeats
  n = (offset or 0) * math.floor(#paths / 2)
  step = (args[1] == "distinct" or args[1] == "fits") and 7 or 1
end

request = function()
  n = n + 1
  return wrk.format("GET", paths[((n * step) % #paths) + 1])
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("HTTP " .. status .. "\n")
  end
end
