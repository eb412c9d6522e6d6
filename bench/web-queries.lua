-- wrk script for bench/web.sh: each connection cycles through searches, each with a filter, over the 200k catalog
-- (the demo generator's vocabulary). Loopback only.
local paths = {
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
local counter = 0

setup = function(thread)
  thread:set("offset", counter * 5)
  counter = counter + 1
end

init = function(args)
  n = offset or 0
end

request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("HTTP " .. status .. "\n")
  end
end
