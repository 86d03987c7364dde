/**
 * Hardware generation for a model whose dataflow nodes are mapped, folded and plumbed (FIFOs, width
 * converters): calls each node's backend `generate`, and writes `hw/`: one module per node (files named after
 * the node), the library modules they name (once each), memory files, the stitched top, `filelist.f`,
 * `vivado/create_project.tcl` and `design.json` (what `brainsmith sim` reads).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { tryParseDataType } from '../datatype/index.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import type { Registry } from '../plugins/registry.js';
import type { BackendLanguage } from '../plugins/schemas.js';
import type { FpgaTarget, StreamOrder } from '../plugins/types.js';
import { DESIGN_FILE, isHdlSource, type HwDesign, type NodeInfo, type StreamInfo } from './design.js';
import { nodeGenerator } from './node-backend.js';
import { dataflowPartition } from './partition.js';
import { fileList, vivadoProjectTcl } from './project-files.js';
import { stitchTop } from './stitch.js';

export const DEFAULT_TOP = 'brainsmith_top';

export interface GenerateOptions {
  /** Name of the stitched top module (default brainsmith_top). */
  top?: string;
  target: FpgaTarget;
  clockNs: number;
  /** Backend language for nodes that are not specialized (FIFOs, width converters). */
  prefer?: BackendLanguage;
  /** Where the hw/ folder will finally live (filelist.f names sources by absolute path); default: outDir. */
  finalDir?: string;
}

export interface GenerateResult {
  design: HwDesign;
  /** Files written, relative to the hw/ folder. */
  files: string[];
  ms: number;
}

const padded = (bits: number): number => Math.ceil(bits / 8) * 8;

function streamInfo(model: Model, tensor: string, bits: number): StreamInfo {
  const g = model.graph;
  const dt = g.getDatatypeName(tensor) ?? '';
  const shape = (g.getShape(tensor) ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const info: StreamInfo = { tensor, datatype: dt, shape, bits, width: padded(bits) };
  const elemBits = tryParseDataType(dt)?.bitwidth();
  if (elemBits && bits % elemBits === 0) {
    const per = bits / elemBits;
    const n = shape.reduce((a, b) => a * b, 1);
    info.elemsPerWord = per;
    if (n % per === 0) info.wordsPerFrame = n / per;
  }
  return info;
}

function checkFileName(node: string, name: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) {
    throw new BrainsmithError('E_CODEGEN_FILE', `node '${node}': generated file name '${name}' must be a plain file name (letters, digits, _ . -)`, { kind: 'work' });
  }
}

/** Generates the hardware of `model` into `outDir` (the hw/ folder). */
export async function generateHardware(model: Model, reg: Registry, outDir: string, opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = performance.now();
  const top = opts.top ?? DEFAULT_TOP;
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(top)) throw new BrainsmithError('E_USAGE', `--top-name '${top}' is not a Verilog identifier`, { kind: 'usage' });
  const part = dataflowPartition(model);
  mkdirSync(outDir, { recursive: true });

  const written = new Map<string, string>(); // file name -> who wrote it
  const write = (name: string, text: string, who: string): void => {
    const prev = written.get(name);
    if (prev) throw new BrainsmithError('E_CODEGEN_FILE', `${who} and ${prev} both generate the file '${name}'`, { kind: 'work' });
    written.set(name, who);
    writeFileSync(path.join(outDir, name), text);
  };
  const libraries: string[] = [];
  const librarySource = new Map<string, string>(); // file name -> absolute source
  const nodes: NodeInfo[] = [];
  const widths = new Map<string, number>();
  const producerWidth = new Map<string, { node: string; bits: number }>();
  const orderOf = new Map<string, StreamOrder>(); // tensor -> element order its producer declared
  const stitchNodes = [];

  for (const node of part.nodes) {
    const gen = await nodeGenerator(reg, model, node, { target: opts.target, prefer: opts.prefer });
    const out = await gen.generate();
    const files = Object.keys(out.files);
    if (out.module !== node.name) {
      throw new BrainsmithError('E_CODEGEN_MODULE', `backend ${gen.backend} named the module of node '${node.name}' '${out.module}': a node's module is named after the node`, { kind: 'work' });
    }
    for (const f of files) {
      checkFileName(node.name, f);
      write(f, out.files[f]!, `node '${node.name}'`);
    }
    const libs: string[] = [];
    for (const rel of out.libraries ?? []) {
      const abs = gen.library(rel);
      const name = path.basename(abs);
      if (!existsSync(abs)) throw new BrainsmithError('E_CODEGEN_LIBRARY', `backend ${gen.backend} names library '${rel}' for node '${node.name}', which is not at ${abs}`, { kind: 'work', file: abs });
      const prev = librarySource.get(name);
      if (prev === undefined) {
        if (written.has(name)) throw new BrainsmithError('E_CODEGEN_FILE', `library '${name}' of ${gen.backend} clashes with a file of ${written.get(name)}`, { kind: 'work' });
        copyFileSync(abs, path.join(outDir, name));
        written.set(name, `library ${rel}`);
        librarySource.set(name, abs);
        libraries.push(name);
      } else if (prev !== abs && !readFileSync(prev).equals(readFileSync(abs))) {
        throw new BrainsmithError('E_CODEGEN_LIBRARY', `two different libraries are named '${name}' (${prev} and ${abs})`, { kind: 'work' });
      }
      libs.push(name);
    }

    const streamsIn = part.streamInputs.get(node)!;
    const inputs = streamsIn.map((t) => {
      const i = node.inputs.indexOf(t);
      const bits = gen.widths.inputs[i];
      if (bits === undefined) throw new BrainsmithError('E_CODEGEN_WIRING', `node '${node.name}': kernel ${gen.kernel} gives no stream width for input ${i} ('${t}')`, { kind: 'work' });
      return streamInfo(model, t, bits);
    });
    const outTensors = node.outputs.filter(Boolean);
    const outputs = outTensors.map((t, k) => {
      const bits = gen.widths.outputs[k];
      if (bits === undefined) throw new BrainsmithError('E_CODEGEN_WIRING', `node '${node.name}': kernel ${gen.kernel} gives no stream width for output ${k} ('${t}')`, { kind: 'work' });
      return streamInfo(model, t, bits);
    });
    for (const s of inputs) {
      const order = orderOf.get(s.tensor);
      if (order) s.order = order;
    }
    // A stream keeps its producer's order through a node that keeps its shape (a FIFO, a width converter).
    const passed = inputs.length === 1 && outputs.length === 1 && inputs[0]!.order && inputs[0]!.shape.join() === outputs[0]!.shape.join() ? inputs[0]!.order : undefined;
    outputs.forEach((s, k) => {
      const order = out.outputOrder?.[k] ?? (k === 0 ? passed : undefined);
      if (order) {
        s.order = order;
        orderOf.set(s.tensor, order);
      }
    });
    for (const s of outputs) {
      producerWidth.set(s.tensor, { node: node.name, bits: s.bits });
      widths.set(s.tensor, s.width);
    }
    for (const s of inputs) {
      const p = producerWidth.get(s.tensor);
      if (p && p.bits !== s.bits) {
        throw new BrainsmithError('E_CODEGEN_WIDTH', `stream '${s.tensor}': node '${p.node}' writes ${p.bits}-bit words, node '${node.name}' reads ${s.bits}-bit words (a StreamingDataWidthConverter belongs between them: InsertDWC)`, { kind: 'input' });
      }
      if (!p) widths.set(s.tensor, s.width);
    }
    stitchNodes.push({
      instance: node.name,
      module: out.module,
      inputs: inputs.map((s, i) => ({ port: `in${i}_V`, tensor: s.tensor })),
      outputs: outputs.map((s, k) => ({ port: outputs.length === 1 ? 'out_V' : `out${k}_V`, tensor: s.tensor })),
    });
    nodes.push({
      name: node.name,
      module: out.module,
      opType: node.opType,
      kernel: gen.kernel,
      language: gen.language,
      backend: gen.backend,
      files: files.filter(isHdlSource),
      memoryFiles: files.filter((f) => !isHdlSource(f)),
      libraries: libs,
      inputs,
      outputs,
      cycles: gen.cycles,
    });
  }

  const streamOf = (tensor: string): StreamInfo => {
    for (const n of nodes) {
      const s = n.outputs.find((x) => x.tensor === tensor) ?? n.inputs.find((x) => x.tensor === tensor);
      if (s) return s;
    }
    throw new BrainsmithError('E_CODEGEN_WIRING', `tensor '${tensor}' is not a stream of the partition`, { kind: 'work' });
  };
  const inputs = part.inputs.map(streamOf);
  const outputs = part.outputs.map(streamOf);
  const topFile = `${top}.v`;
  const names = (ns: Node[]) => ns.map((n) => n.name);
  const topText = stitchTop({
    top,
    inputs: inputs.map((s) => ({ tensor: s.tensor, width: s.width })),
    outputs: outputs.map((s) => ({ tensor: s.tensor, width: s.width })),
    widths,
    nodes: stitchNodes,
    about: [
      `${nodes.length} nodes; target ${opts.target.part}, clock ${opts.clockNs} ns.`,
      ...inputs.map((s, i) => `s_axis_${i}: ${s.tensor} (${s.datatype} × ${s.elemsPerWord ?? '?'} per word, ${s.width} bits)`),
      ...outputs.map((s, k) => `m_axis_${k}: ${s.tensor} (${s.datatype} × ${s.elemsPerWord ?? '?'} per word, ${s.width} bits)`),
    ],
  });
  write(topFile, topText, 'the top');

  const design: HwDesign = {
    format: 'brainsmith-hw',
    version: 1,
    top,
    part: opts.target.part,
    ...(opts.target.board ? { board: opts.target.board } : {}),
    clockNs: opts.clockNs,
    sources: [...libraries.filter(isHdlSource), ...nodes.flatMap((n) => n.files), topFile],
    memoryFiles: [...libraries.filter((f) => !isHdlSource(f)), ...nodes.flatMap((n) => n.memoryFiles)],
    inputs,
    outputs,
    nodes,
    hostNodes: { before: names(part.hostBefore), after: names(part.hostAfter) },
  };
  write('filelist.f', fileList(design, opts.finalDir ?? outDir), 'the file list');
  mkdirSync(path.join(outDir, 'vivado'), { recursive: true });
  writeFileSync(path.join(outDir, 'vivado', 'create_project.tcl'), vivadoProjectTcl(design));
  write(DESIGN_FILE, `${JSON.stringify(design, null, 2)}\n`, 'the design description');
  return { design, files: [...written.keys(), 'vivado/create_project.tcl'].sort(), ms: performance.now() - t0 };
}

/** Reads `hw/design.json` of a build folder. */
export function readDesign(hwDir: string): HwDesign {
  const file = path.join(hwDir, DESIGN_FILE);
  if (!existsSync(file)) throw new BrainsmithError('E_NO_HARDWARE', `${hwDir} holds no generated hardware (${DESIGN_FILE} is missing): compile with --generate`, { kind: 'input', file });
  let d: HwDesign;
  try {
    d = JSON.parse(readFileSync(file, 'utf8')) as HwDesign;
  } catch (e) {
    throw new BrainsmithError('E_NO_HARDWARE', `${file}: not valid JSON (${(e as Error).message})`, { kind: 'input', file });
  }
  if (d.format !== 'brainsmith-hw' || d.version !== 1) throw new BrainsmithError('E_NO_HARDWARE', `${file}: not a brainsmith hardware description (format ${String(d.format)}, version ${String(d.version)})`, { kind: 'input', file });
  return d;
}
