// Loads GGUF models in llama.cpp (node-llama-cpp's prebuilt CPU binary, never a build) and prints, per case, the
// lines llama.cpp logs about the memory it allocates. The memory proof (MemoryProofTest) writes the models and
// the cases, and reads these lines: docs/memory.md.
//
// usage: node llama-memory.mjs cases.json   (cases: [{"id", "model", "contextSize", "batchSize"}])
// prints one JSON line per case: {"id", "backend", "lines": [...]} or {"id", "backend", "error"}
import {readFileSync} from "node:fs";
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

const MEMORY_LINE = /llama_kv_cache: size =|llama_memory_recurrent: size =|compute buffer size =|KV cache, size =|model buffer size =|output buffer size =/;
const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
let lines = [];
// which of the package's CPU backends ggml chose for this CPU (it picks by the CPU's features: the repacked buffers
// are CPU_REPACK on most x86 machines, AMX on a Sapphire Rapids Xeon), printed with every case
let backend = null;
const llama = await getLlama({
    gpu: false,
    build: "never",
    logLevel: LlamaLogLevel.debug,
    logger: (level, message) => {
        if (MEMORY_LINE.test(message)) lines.push(message.trim());
        const loaded = /loaded CPU backend from .*libggml-cpu-([\w-]+)\.so/.exec(message);
        if (loaded) backend = loaded[1];
    }
});
const models = new Map();
// the model's own buffers are logged once, when it loads: every case of that model gets those lines too
const modelLines = new Map();
for (const c of cases) {
    lines = [];
    try {
        if (!models.has(c.model)) {
            // read into memory rather than mapped: its model buffers then hold each tensor once (a mapping spans
            // the tensors the CPU backend repacks into a buffer of their own as well)
            models.set(c.model, await llama.loadModel({modelPath: c.model, gpuLayers: 0, useMmap: false}));
            modelLines.set(c.model, lines);
            lines = [];
        }
        lines = [...modelLines.get(c.model)];
        // llama.cpp's own default on a CPU resolves flash attention to on; ask for it so the compute buffer is the
        // one a user of llama.cpp gets
        const context = await models.get(c.model).createContext({
            contextSize: c.contextSize,
            batchSize: c.batchSize,
            sequences: 1,
            flashAttention: true,
            ignoreMemorySafetyChecks: true
        });
        await context.dispose();
        console.log(JSON.stringify({id: c.id, backend, lines}));
    } catch (error) {
        console.log(JSON.stringify({id: c.id, backend, error: String(error?.message ?? error), lines}));
    }
}
for (const model of models.values()) await model.dispose();
await llama.dispose();
