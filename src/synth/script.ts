/** The Yosys script that synthesizes one module (a node's, or the stitched top) for a Xilinx family. */
import type { XilinxFamily } from './family.js';

export interface SynthScriptOptions {
  /** Verilog sources, by file name in the folder the script runs in, in compile order. */
  sources: readonly string[];
  top: string;
  family: XilinxFamily;
  /** Parameters of the top set before elaboration (`chparam`). */
  params?: Readonly<Record<string, number>>;
}

/**
 * `read_verilog -defer` (elaboration, and so `$readmemh`, waits for `chparam`), `hierarchy -top`, then
 * `synth_xilinx` flattened, out of context (no I/O or clock buffers, as Vivado's per-module numbers), and `stat`.
 */
export function synthScript(o: SynthScriptOptions): string {
  const lines = o.sources.map((f) => `read_verilog -defer ${quote(f)}`);
  for (const [k, v] of Object.entries(o.params ?? {})) lines.push(`chparam -set ${k} ${v} ${o.top}`);
  lines.push(`hierarchy -check -top ${o.top}`);
  lines.push(`synth_xilinx -family ${o.family} -top ${o.top} -flatten -noiopad -noclkbuf`);
  lines.push('stat');
  return `${lines.join('\n')}\n`;
}

function quote(f: string): string {
  return /^[\w.+-]+$/.test(f) ? f : `"${f.replace(/["\\]/g, '\\$&')}"`;
}
