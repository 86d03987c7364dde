/**
 * Simulation of generated hardware with open simulators: an AXI-Stream testbench around any module with N
 * input and M output streams, built once per content hash with Verilator (else Icarus Verilog), run on stream
 * words under random stalls.
 */
export * from './simulators.js';
export * from './testbench.js';
export * from './build.js';
export * from './run.js';
import { buildSimulation, type BuildOptions, type SimDesign } from './build.js';
import { runSimulation, type SimResult, type SimStimulus } from './run.js';

/** Builds (or reuses) the simulation of `design` and runs it once. */
export async function simulate(design: SimDesign, stimulus: SimStimulus, opts: BuildOptions = {}): Promise<SimResult & { build: { cached: boolean; ms: number; simulator: string } }> {
  const build = await buildSimulation(design, opts);
  const r = await runSimulation(build, stimulus);
  return { ...r, build: { cached: build.cached, ms: build.ms, simulator: build.simulator.kind } };
}
