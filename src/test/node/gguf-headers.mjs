// Parses GGUF headers over HTTP with Hugging Face's own parser, @huggingface/gguf (the library the Hub's pages and
// huggingface.js use), for GgufJsParseIT (docs/gguf-headers.md): proof that the stand-in serves real GGUF through
// /resolve/ and its redirect, and that the product's reader reads what Hugging Face reads.
// Usage: node gguf-headers.mjs <cases.json>   cases: [{"name", "url"}]; prints one JSON line per case.
import { readFileSync } from "node:fs";
import { gguf } from "@huggingface/gguf";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const plain = (value) => (typeof value === "bigint" ? Number(value) : Array.isArray(value) ? value.map(plain) : value);
for (const { name, url } of cases) {
  try {
    const { metadata } = await gguf(url);
    const arch = metadata["general.architecture"];
    const key = (suffix) => plain(metadata[`${arch}.${suffix}`]) ?? null;
    const tokens = metadata["tokenizer.ggml.tokens"];
    console.log(JSON.stringify({
      name,
      architecture: arch,
      block_count: key("block_count"),
      context_length: key("context_length"),
      embedding_length: key("embedding_length"),
      head_count: key("attention.head_count"),
      head_count_kv: key("attention.head_count_kv"),
      key_length: key("attention.key_length"),
      sliding_window: key("attention.sliding_window"),
      expert_count: key("expert_count"),
      kv_lora_rank: key("attention.kv_lora_rank"),
      ssm_state_size: key("ssm.state_size"),
      vocab_size: Array.isArray(tokens) ? tokens.length : null,
      keys: Object.keys(metadata).length,
    }));
  } catch (error) {
    console.log(JSON.stringify({ name, error: String(error && error.message ? error.message : error) }));
  }
}
