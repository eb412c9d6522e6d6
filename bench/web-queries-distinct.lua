-- wrk script for bench/web.sh: questions that do not repeat within the daemon's answer cache. Each request is a
-- search with a filter, a sort and a page drawn in turn from 20 x 11 x 4 x 2 = 1,760 combinations (the demo
-- generator's vocabulary), so nearly every answer is read from SQLite, not from the per-file cache. Loopback only.
local words = { "qwen3", "coder", "deepseek", "instruct", "mistral", "gemma", "phi", "llama", "14b", "imatrix",
  "distill", "7b", "abliterated", "math", "roleplay", "granite", "qwen2.5", "merge", "uncensored", "reasoner" }
local filters = { "quantization=Q4_K_M", "quantization=Q8_0", "quantization=Q5_K_M", "quantization=Q6_K",
  "architecture=llama", "architecture=qwen2", "max_size_gb=4", "max_size_gb=8", "max_size_gb=16", "gated=false",
  "gated=true" }
local sorts = { "", "&sort=likes", "&sort=last_modified", "&sort=size" }
local paths = {}
for _, word in ipairs(words) do
  for _, filter in ipairs(filters) do
    for _, sort in ipairs(sorts) do
      for page = 1, 2 do
        paths[#paths + 1] = "/api/models?q=" .. word .. "&" .. filter .. sort .. "&page=" .. page
      end
    end
  end
end
local counter = 0

setup = function(thread)
  thread:set("offset", counter * 881)
  counter = counter + 1
end

init = function(args)
  n = offset or 0
end

request = function()
  n = n + 1
  -- 7 is coprime with 1,760: consecutive requests of a thread walk every combination before one repeats
  return wrk.format("GET", paths[((n * 7) % #paths) + 1])
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("HTTP " .. status .. "\n")
  end
end
