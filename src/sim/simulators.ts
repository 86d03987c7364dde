/**
 * Which Verilog simulator to use: Verilator (slow to build, fast to run: stitched designs, long runs) when
 * present, else Icarus Verilog (builds in well under a second, runs ~45 k cycles/s). With neither, one line
 * saying how to install them.
 */
import { BrainsmithError } from '../errors.js';
import { runTool } from './process.js';

export type SimulatorKind = 'verilator' | 'icarus';
export const SIMULATORS: readonly SimulatorKind[] = ['verilator', 'icarus'];

export interface Simulator {
  kind: SimulatorKind;
  /** First line of the tool's version output (part of the build cache key). */
  version: string;
}

export const INSTALL_HINT = 'apt-get install verilator iverilog';

const probes: Record<SimulatorKind, { command: string; args: string[] }> = {
  verilator: { command: 'verilator', args: ['--version'] },
  icarus: { command: 'iverilog', args: ['-V'] },
};

const found = new Map<SimulatorKind, Promise<Simulator | undefined>>();

/** The simulator of `kind` when it is installed (probed once per process). */
export function probeSimulator(kind: SimulatorKind): Promise<Simulator | undefined> {
  let p = found.get(kind);
  if (!p) {
    const { command, args } = probes[kind];
    p = runTool(command, args)
      .then((r) => {
        const line = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
        return r.code === 0 || line.toLowerCase().includes(kind === 'icarus' ? 'icarus' : 'verilator') ? { kind, version: line } : undefined;
      })
      .catch(() => undefined);
    found.set(kind, p);
  }
  return p;
}

/** The simulators installed, Verilator first. */
export async function availableSimulators(): Promise<Simulator[]> {
  const all = await Promise.all(SIMULATORS.map(probeSimulator));
  return all.filter((s): s is Simulator => s !== undefined);
}

/**
 * The simulator to use: `wanted` when given (an error when it is missing), else Verilator, else Icarus; an
 * error saying how to install them when there is none.
 */
export async function chooseSimulator(wanted?: SimulatorKind): Promise<Simulator> {
  if (wanted) {
    if (!SIMULATORS.includes(wanted)) throw new BrainsmithError('E_USAGE', `unknown simulator '${String(wanted)}' (verilator or icarus)`, { kind: 'usage' });
    const s = await probeSimulator(wanted);
    if (!s) throw new BrainsmithError('E_NO_SIMULATOR', `${wanted === 'icarus' ? 'Icarus Verilog (iverilog)' : 'Verilator'} is not installed: ${INSTALL_HINT}`, { kind: 'work' });
    return s;
  }
  const [first] = await availableSimulators();
  if (!first) throw new BrainsmithError('E_NO_SIMULATOR', `no Verilog simulator found (Verilator or Icarus Verilog): ${INSTALL_HINT}`, { kind: 'work' });
  return first;
}
