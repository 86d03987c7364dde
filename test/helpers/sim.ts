import { spawnSync } from 'node:child_process';

function has(command: string, args: string[]): boolean {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}

export const hasVerilator = has('verilator', ['--version']);
export const hasIcarus = has('iverilog', ['-V']) || has('iverilog', ['-h']);
/** Pass as the `skip` option of tests that need Verilator / Icarus / either simulator. */
export const skipNoVerilator: string | false = hasVerilator ? false : 'needs Verilator (apt-get install verilator)';
export const skipNoIcarus: string | false = hasIcarus ? false : 'needs Icarus Verilog (apt-get install iverilog)';
export const skipNoSimulator: string | false = hasVerilator || hasIcarus ? false : 'needs Verilator or Icarus Verilog (apt-get install verilator iverilog)';
/** The simulators present, Verilator first. */
export const simulatorsPresent: ('verilator' | 'icarus')[] = [...(hasVerilator ? ['verilator' as const] : []), ...(hasIcarus ? ['icarus' as const] : [])];
