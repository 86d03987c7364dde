/**
 * Stream behaviour of the VVAU, as FINN documents it (reference §2.2): per pixel NF·SF iterations, sf
 * innermost, one input word each; after sf = SF − 1 an output word (PE channels) through the output register.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { reduceBehaviour } from '../../src/kernel.js';
import { kernelSize, vvau } from './_model.js';

export function vvauStreamBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = vvau(node);
  const SF = kernelSize(a) / a.SIMD;
  const NF = a.Channels / a.PE;
  return reduceBehaviour(a.Dim[0]! * a.Dim[1]! * NF * SF, SF);
}
