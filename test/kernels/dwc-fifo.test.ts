import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, makeTensor, tensorToNumbers } from '../../src/index.js';
import dwcKernel from '../../kernels/StreamingDataWidthConverter/kernel.js';
import dwcHls from '../../kernels/StreamingDataWidthConverter/hls.js';
import dwcRtl from '../../kernels/StreamingDataWidthConverter/rtl.js';
import { dwcAttributes } from '../../kernels/StreamingDataWidthConverter/_model.js';
import fifoKernel from '../../kernels/StreamingFIFO/kernel.js';
import fifoRtl from '../../kernels/StreamingFIFO/rtl.js';
import { fifoAttributes } from '../../kernels/StreamingFIFO/_model.js';
import { ctx, view } from './support.js';

test('DWC LUT model, rtl viability, width legality, identity execute', async () => {
  const v = (inWidth: number, outWidth: number) => view(dwcAttributes, { shape: [1, 24], inWidth, outWidth, dataType: 'INT4' });
  // 8→12: lcm 24; |ceil(log2(8/24))| + 24 = 1 + 24; |ceil(log2(24/12))| + 12 = 1 + 12 → 38
  assert.equal(dwcHls.estimate!(v(8, 12), ctx).LUT, 38);
  // 8→32: lcm 32 = out; |ceil(log2(8/32))| + 32 = 2 + 32 → 34
  assert.equal(dwcRtl.estimate!(v(8, 32), ctx).LUT, 34);
  // Our converter takes any ratio (through the lcm); FINN's rtl converter only integer ratios: its default rule.
  assert.equal(dwcRtl.isViable!(v(8, 32), ctx), true);
  assert.equal(dwcRtl.isViable!(v(8, 12), ctx), true);
  assert.equal(dwcRtl.isDefault!(v(8, 32), ctx), true);
  assert.equal(dwcRtl.isDefault!(v(8, 12), ctx), false);
  assert.equal(dwcHls.isViable!(v(8, 12), ctx), true);
  assert.equal(dwcKernel.cycles!(v(8, 32), ctx), 0); // FINN has no cycle model for it
  assert.throws(() => dwcKernel.cycles!(v(6, 8), ctx), /inWidth=6 is not a multiple of the INT4 element width 4/);
  assert.throws(() => dwcKernel.cycles!(v(20, 8), ctx), /5 elements\) does not divide the 24 elements of a frame \[1, 24\]/);
  const x = makeTensor(ElemType.FLOAT, [1, 24], Float32Array.from({ length: 24 }, (_, i) => i - 8));
  const [y] = await dwcKernel.execute!([x], { shape: [1, 24], inWidth: 8, outWidth: 32, dataType: 'INT4' }, ctx);
  assert.deepEqual([...tensorToNumbers(y!)], [...tensorToNumbers(x)]);
});

test('FIFO resources by impl_style and ram_style; cycles 0; identity execute', async () => {
  // width = 4 elements · 4 bits = 16
  const f = (o: Record<string, unknown>) => view(fifoAttributes, { depth: 100, folded_shape: [1, 8, 4], dataType: 'INT4', ...o });
  // rtl: 2·ceil(log2 100) + ceil(100/32)·ceil(16/2) = 14 + 4·8 = 46
  assert.deepEqual(fifoRtl.estimate!(f({}), ctx), { BRAM_18K: 0, BRAM_efficiency: 1, LUT: 46, URAM: 0, URAM_efficiency: 1, DSP: 0 });
  // vivado block: depth → 128; BRAM = ceil(128/1024)·ceil(16/18) = 1, efficiency 128·16/18432; LUT = 2·7 = 14
  const b = fifoRtl.estimate!(f({ impl_style: 'vivado', ram_style: 'block' }), ctx);
  assert.equal(b.BRAM_18K, 1);
  assert.equal(b.LUT, 14);
  assert.ok(Math.abs(b.BRAM_efficiency! - 2048 / 18432) < 1e-12);
  // vivado ultra: URAM = ceil(128/4096)·ceil(16/72) = 1; vivado distributed: 14 + ceil(128/32)·8 = 46
  assert.equal(fifoRtl.estimate!(f({ impl_style: 'vivado', ram_style: 'ultra' }), ctx).URAM, 1);
  assert.equal(fifoRtl.estimate!(f({ impl_style: 'vivado', ram_style: 'distributed' }), ctx).LUT, 46);
  assert.equal(fifoKernel.cycles!(f({}), ctx), 0);
  const x = makeTensor(ElemType.FLOAT, [1, 8, 4], Float32Array.from({ length: 32 }, (_, i) => i));
  const [y] = await fifoKernel.execute!([x], { depth: 2, folded_shape: [1, 8, 4], dataType: 'INT4' }, ctx);
  assert.deepEqual([...tensorToNumbers(y!)], [...tensorToNumbers(x)]);
});
