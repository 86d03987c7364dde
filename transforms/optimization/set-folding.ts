import path from 'node:path';
import { defineTransform, z } from '../../src/index.js';
import { resolveTarget } from '../../src/kernel.js';
import { DEFAULT_WWIDTH_MAX, foldModel, foldingConfigOf, formatFoldingConfig, targetCyclesFor } from '../../src/rewrite.js';

/** Attributes our kernel schemas share between backends that FINN's node of this op type does not have. */
const FINN_LACKS: Record<string, readonly string[]> = {
  Thresholding_rtl: ['ram_style'],
  Thresholding_hls: ['depth_trigger_uram', 'depth_trigger_bram'],
};

const options = z.object({
  target_fps: z.number().positive().optional(),
  clock_ns: z.number().positive().default(10),
  /** Cycles per frame directly (instead of target_fps at clock_ns). */
  target_cycles: z.number().int().positive().optional(),
  mvau_wwidth_max: z.number().int().positive().default(DEFAULT_WWIDTH_MAX),
  two_pass_relaxation: z.boolean().default(true),
  /**
   * A Pool/VVAU's PE, which sets its depthwise SWG's SIMD, walks until the SWG meets the target too (the
   * `optimized` blueprint). FINN judges the consumer alone (false, the default), which can leave the SWG
   * above the target as the bottleneck.
   */
  follower_cycles: z.boolean().default(false),
  /** A FINN folding config given to ApplyFoldingConfig: it overrides the target, so SetFolding does nothing. */
  folding_config: z.string().optional(),
  board: z.string().optional(),
  part: z.string().optional(),
  /** Where to write the chosen folding in FINN's format (e.g. <out>/report/auto_folding_config.json). */
  output: z.string().optional(),
});

/**
 * FINN's step_target_fps_parallelization. Rule (as in FINN): a folding config overrides the target, so
 * with `folding_config` set, or without a target, this transform changes nothing.
 */
export default defineTransform({
  name: 'SetFolding',
  stage: 'optimization',
  description: 'Choose PE/SIMD/… per kernel to reach a target throughput (FINN SetFolding: divisor walk, mvau_wwidth_max, two-pass relaxation)',
  options,
  async apply(model, ctx) {
    const o = ctx.options as z.infer<typeof options>;
    if (o.folding_config) {
      ctx.log.info(`SetFolding skipped: folding config ${o.folding_config} overrides the target (FINN's rule)`);
      return false;
    }
    if (o.target_cycles === undefined && o.target_fps === undefined) {
      ctx.log.debug('SetFolding skipped: no target_fps or target_cycles');
      return false;
    }
    const hw = ctx.hw;
    const targetCycles = o.target_cycles ?? targetCyclesFor(o.target_fps!, o.clock_ns);
    const target = o.board || o.part ? resolveTarget({ board: o.board, part: o.part }) : undefined;
    const r = await foldModel(model, hw, { targetCycles, wwidthMax: o.mvau_wwidth_max, twoPassRelaxation: o.two_pass_relaxation, followerCycles: o.follower_cycles, target });
    if (r.relaxedFrom) {
      ctx.log.warn(`SetFolding: node ${r.relaxedFrom.node} is the bottleneck with ${r.relaxedFrom.cycles} cycles (target ${targetCycles}); second pass balanced the pipeline to it`);
    }
    if (r.skipped.length) ctx.log.debug(`SetFolding left alone (no parallelism declared): ${r.skipped.join(', ')}`);
    ctx.log.info(`SetFolding: target ${targetCycles} cycles/frame, achieved ${r.maxCycles} (bottleneck ${r.bottleneck})`);
    if (o.output) {
      await ctx.fs.mkdir(path.dirname(o.output));
      await ctx.fs.writeFile(o.output, formatFoldingConfig(await foldingConfigOf(model, hw, { lacks: (op) => FINN_LACKS[op] ?? [] })));
    }
    return r.changed;
  },
});
