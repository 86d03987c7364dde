/**
 * What Yosys (0.23, `synth_xilinx -family xc7`) makes of bs_fifo (hdl/bs_fifo.v): fitted on the table of
 * docs/RTL-ESTIMATES.md. d = depth, w = padded stream width, AW = address bits.
 * - Storage: 2 words of ≤ 8 bits stay in flip-flops; up to 64 words (or up to 2048 bits) go to LUTRAM
 *   (RAM32M: 32 × 6 bits in 4 LUTs; RAM64M: 64 × 3 bits in 4 LUTs, banks of 64 words muxed); deeper and
 *   larger ones to one block RAM (a RAMB18E1 when it fits in 18 Kbit, else RAMB36E1s).
 * - Control: pointers, count and flags, about 8 LUT per address bit; 4 flip-flops per address bit.
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { clog2, paddedWidth, synthResources } from '../../src/kernel.js';
import { fifo, fifoWidth } from './_model.js';

export type FifoStorage = 'ff' | 'lutram' | 'bram';

export function fifoStorage(d: number, w: number): FifoStorage {
  if (d <= 2 && d * w < 64) return 'ff';
  if (d <= 64 || d * w <= 2048) return 'lutram';
  return 'bram';
}

/** Block RAMs Yosys maps a simple dual-port d × w memory to: one RAMB18E1 when it fits, else RAMB36E1s. */
export function blockRams(d: number, w: number): { BRAM_18K: number; BRAM_36K: number } {
  const fit = (shapes: ReadonlyArray<[number, number]>) => Math.min(...shapes.map(([pw, pd]) => Math.ceil(w / pw) * Math.ceil(d / pd)));
  if (fit([[1, 16384], [2, 8192], [4, 4096], [9, 2048], [18, 1024], [36, 512]]) === 1) return { BRAM_18K: 1, BRAM_36K: 0 };
  return { BRAM_18K: 0, BRAM_36K: fit([[1, 32768], [2, 16384], [4, 8192], [9, 4096], [18, 2048], [36, 1024], [72, 512]]) };
}

export function fifoSynthEstimate(depth: number, width: number): ResourceEstimate {
  const d = depth;
  const w = width;
  const AW = Math.max(1, clog2(d));
  const storage = fifoStorage(d, w);
  if (storage === 'ff') return synthResources({ LUT: w + 9, FF: d * w + 5 });
  if (storage === 'bram') return synthResources({ LUT: Math.max(40, 52 + 8 * AW - 0.6 * w), FF: 4 * AW + 1, ...blockRams(d, w) });
  const banks = Math.ceil(d / 64);
  const lutram = d <= 32 ? 4 * Math.ceil(w / 6) : 4 * banks * Math.ceil(w / 3);
  const mux = banks > 1 ? 2.5 * w : 0;
  return synthResources({ LUT: lutram + 8 * AW + 4 + mux, FF: 4 * AW + 1 });
}

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const a = fifo(node);
  return fifoSynthEstimate(a.depth, paddedWidth(fifoWidth(a)));
}
