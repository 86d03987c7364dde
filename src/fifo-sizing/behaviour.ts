/**
 * Stream behaviours (the `streamBehaviour` hook, docs/PLUGINS.md): words per frame of a node's streams, the
 * conservative default for kernels without the hook, and a check of what a hook returns.
 */
import { parseDataType } from '../datatype/index.js';
import { BrainsmithError } from '../errors.js';
import type { KernelNodeView, StreamBehaviour, StreamRule, StreamWidths } from '../plugins/types.js';

function elements(shape: readonly number[] | undefined): number | undefined {
  return shape ? shape.reduce((a, b) => a * b, 1) : undefined;
}

/** Words per frame of one stream: elements × element bits / stream width (undefined when unknown). */
function wordsOf(shape: readonly number[] | undefined, dt: string | undefined, width: number | undefined): number | undefined {
  const n = elements(shape);
  if (n === undefined || !dt || !width) return undefined;
  let bits: number;
  try {
    bits = parseDataType(dt).bitwidth();
  } catch {
    return undefined;
  }
  return Math.max(1, Math.ceil((n * bits) / width));
}

/** Words per frame of each input and output stream of a node (stream inputs come first, FINN's rule). */
export function streamWords(node: KernelNodeView, widths: StreamWidths): { inputs: number[]; outputs: number[] } {
  const need = (v: number | undefined, what: string): number => {
    if (v === undefined) throw new BrainsmithError('E_FIFO_MODEL', `node '${node.name}' (${node.opType}): the words per frame of ${what} are unknown (shape, datatype or stream width missing)`, { kind: 'input' });
    return v;
  };
  return {
    inputs: widths.inputs.map((w, i) => need(wordsOf(node.inputShapes[i], node.inputDatatypes[i], w), `input ${i}`)),
    outputs: widths.outputs.map((w, k) => need(wordsOf(node.outputShapes[k], node.outputDatatypes[k], w), `output ${k}`)),
  };
}

/**
 * The default for a kernel without `streamBehaviour`: it reads a whole frame on every input (one word per
 * cycle), then writes the whole frame on every output, and starts a frame no sooner than `cycles` after the
 * previous one; the next frame's input is taken only once the previous frame's output has begun. Bursty on
 * both sides, so the FIFOs it asks for are at least as deep as a kernel that interleaves reading and writing.
 */
export function defaultStreamBehaviour(node: KernelNodeView, widths: StreamWidths, cycles: number): StreamBehaviour {
  const w = streamWords(node, widths);
  const words: Record<string, number> = {};
  const rules: StreamBehaviour['rules'] = [];
  const period = Math.max(1, Math.ceil(cycles));
  w.inputs.forEach((n, i) => {
    words[`in${i}`] = n;
    rules.push({ at: `in${i}`, on: `in${i}`, word: (j) => (j === 0 ? -n : undefined), delay: period });
    w.outputs.forEach((_, k) => rules.push({ at: `in${i}`, on: `out${k}`, word: (j) => (j === 0 ? -w.outputs[k]! : undefined), delay: 0 }));
  });
  w.outputs.forEach((n, k) => {
    words[`out${k}`] = n;
    w.inputs.forEach((m, i) => rules.push({ at: `out${k}`, on: `in${i}`, word: (j) => (j === 0 ? m - 1 : undefined), delay: 1 }));
  });
  return { words, rules };
}

/** Checks a hook's answer: counts, rules naming known sequences (the dataflow model checks the streams). */
export function checkBehaviour(b: StreamBehaviour, nodeName: string): StreamBehaviour {
  const bad = (what: string): never => {
    throw new BrainsmithError('E_FIFO_MODEL', `node '${nodeName}': streamBehaviour ${what}`, { kind: 'work' });
  };
  if (!b || typeof b !== 'object' || !b.words || !Array.isArray(b.rules)) bad('returned no { words, rules }');
  for (const [s, n] of Object.entries(b.words)) if (!Number.isInteger(n) || n < 1) bad(`gives sequence '${s}' ${n} events per frame`);
  for (const r of b.rules) {
    if (!(r.at in b.words) || !(r.on in b.words)) bad(`has a rule between unknown sequences '${r.at}' and '${r.on}'`);
    if (typeof r.word !== 'function' || !Number.isFinite(r.delay) || r.delay < 0) bad(`has a rule ${r.at} <- ${r.on} without a word function or with a negative delay`);
  }
  if (b.fifo && !(Number.isInteger(b.fifo.depth) && b.fifo.depth >= 1)) bad(`gives a FIFO depth of ${b.fifo.depth}`);
  return b;
}

/**
 * Rules of the commonest stream shape: every `per` input words (one per cycle) make one output word through
 * an output register. The word that completes an output waits until the register is free (its previous word
 * leaves in that cycle at the latest); the output is valid one cycle later. `from`/`to` name the sequences.
 */
export function reduceRules(per: number, from = 'in0', to = 'out0'): StreamRule[] {
  return [
    { at: from, on: to, word: (i) => (i % per === per - 1 ? Math.floor(i / per) - 1 : undefined), delay: 0 },
    { at: to, on: from, word: (o) => o * per + per - 1, delay: 1 },
  ];
}

/** A stream in which `per` input words make each output word (see reduceRules). */
export function reduceBehaviour(inWords: number, per: number): StreamBehaviour {
  return { words: { in0: inWords, out0: Math.ceil(inWords / per) }, rules: reduceRules(per) };
}
