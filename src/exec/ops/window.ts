import { getInt, getInts, getString, hasAttribute } from '../../ir/attributes.js';
import type { Node } from '../../ir/node.js';
import { execError, unsupported } from '../values.js';

/** Output size and padding of sliding-window ops (Conv, pooling), per spatial axis. */
export interface WindowGeometry {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Padding before each spatial axis. */
  padBegin: number[];
  padEnd: number[];
  out: number[];
}

/**
 * Reads kernel_shape/strides/dilations/pads/auto_pad/ceil_mode. `kernel` may come from the weight shape
 * (Conv) when the attribute is absent.
 */
export function windowGeometry(node: Node, inSpatial: readonly number[], kernelFallback?: readonly number[]): WindowGeometry {
  const r = inSpatial.length;
  const kernel = hasAttribute(node, 'kernel_shape') ? getInts(node, 'kernel_shape') : kernelFallback?.slice();
  if (kernel === undefined || kernel.length !== r) throw execError(node, `kernel_shape must have ${r} entries`);
  const strides = getInts(node, 'strides', new Array<number>(r).fill(1));
  const dilations = getInts(node, 'dilations', new Array<number>(r).fill(1));
  const pads = getInts(node, 'pads', new Array<number>(2 * r).fill(0));
  const autoPad = getString(node, 'auto_pad', 'NOTSET');
  const ceil = getInt(node, 'ceil_mode', 0) === 1;
  const padBegin = pads.slice(0, r);
  const padEnd = pads.slice(r, 2 * r);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const ek = (kernel[i]! - 1) * dilations[i]! + 1;
    const inp = inSpatial[i]!;
    const s = strides[i]!;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const o = Math.ceil(inp / s);
      const total = Math.max(0, (o - 1) * s + ek - inp);
      const small = Math.floor(total / 2);
      padBegin[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      padEnd[i] = total - padBegin[i]!;
      out.push(o);
    } else if (autoPad === 'VALID') {
      padBegin[i] = 0;
      padEnd[i] = 0;
      out.push(Math.floor((inp - ek) / s) + 1);
    } else if (autoPad === 'NOTSET') {
      const span = inp + padBegin[i]! + padEnd[i]! - ek;
      let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
      // A window that would start past the padded input is dropped (ceil_mode).
      if (ceil && (o - 1) * s >= inp + padBegin[i]!) o -= 1;
      out.push(o);
    } else {
      throw unsupported(node, `unsupported attribute auto_pad=${autoPad}`);
    }
  }
  return { kernel, strides, dilations, padBegin, padEnd, out };
}

/** Pads a per-axis list to 3 entries (leading 1s / 0s), so 1-D and 2-D windows run through the 3-D loops. */
export function to3d(v: readonly number[], fill: number): [number, number, number] {
  const a = [...new Array<number>(3 - v.length).fill(fill), ...v];
  return [a[0]!, a[1]!, a[2]!];
}
