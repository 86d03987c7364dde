/**
 * Stream behaviour of the width converter (our RTL, docs/RTL-KERNELS.md). Up (×R): the R-th input word of an
 * output word needs the output register free (its previous word leaves in the same cycle at the latest); the
 * output word is valid one cycle later. Down (÷R): an input word is taken when the previous one's last part
 * leaves (same cycle); its parts leave from the next cycle on. Other ratios: up to the least common multiple
 * (`mid`), then down. Equal widths: a wire (both sides move together).
 */
import type { KernelNodeView, StreamBehaviour, StreamRule } from '../../src/kernel.js';
import { datatype, prod, reduceRules } from '../../src/kernel.js';
import { dwc } from './_model.js';

function gcd(x: number, y: number): number {
  return y === 0 ? x : gcd(y, x % y);
}

function down(from: string, to: string, R: number): StreamRule[] {
  return [
    { at: from, on: to, word: (i) => i * R - 1, delay: 0 },
    { at: to, on: from, word: (j) => Math.floor(j / R), delay: 1 },
  ];
}

export function dwcStreamBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = dwc(node);
  const shape = a.in_shape ?? a.shape ?? node.inputShapes[0] ?? [1];
  const bits = prod(shape) * datatype(a.dataType).bitwidth();
  const iw = a.inWidth;
  const ow = a.outWidth;
  const lcm = (iw * ow) / gcd(iw, ow);
  const words = { in0: bits / iw, out0: bits / ow };
  if (iw === ow) return { words, rules: [], together: [['in0', 'out0']] };
  if (lcm === ow) return { words, rules: reduceRules(ow / iw) };
  if (lcm === iw) return { words, rules: down('in0', 'out0', iw / ow) };
  return { words: { ...words, mid: bits / lcm }, rules: [...reduceRules(lcm / iw, 'in0', 'mid'), ...down('mid', 'out0', lcm / ow)] };
}
