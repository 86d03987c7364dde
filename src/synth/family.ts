/**
 * Which Yosys `synth_xilinx -family` a part synthesizes for: `xc7` for 7-series and Zynq-7000, `xcup` for
 * UltraScale+ (Zynq UltraScale+, Alveo), `xcu` for UltraScale. Yosys has no Versal family: a Versal part is
 * synthesized for `xcup` (LUT6, CARRY8, RAMB36E2, URAM288, DSP48E2), an approximation that the result says.
 */
import { isVersalPart } from '../estimate/boards.js';

export type XilinxFamily = 'xc7' | 'xcu' | 'xcup';

export interface FamilyChoice {
  family: XilinxFamily;
  /** Why the family only approximates the part (Versal), when it does. */
  note?: string;
}

export function familyOfPart(part: string): FamilyChoice {
  const p = part.toLowerCase();
  if (isVersalPart(p)) return { family: 'xcup', note: `${part} is a Versal part, which Yosys does not model: synthesized for UltraScale+ (xcup; DSP48E2 instead of DSP58)` };
  if (/^xc7/.test(p)) return { family: 'xc7' };
  // UltraScale+: Zynq UltraScale+ (xczu), Alveo (xcu50, xcu200, …), Kintex/Virtex/Artix UltraScale+ (…p).
  if (/^xc(zu|u\d|ku\d+p|vu\d+p|au\d+p)/.test(p)) return { family: 'xcup' };
  if (/^xc(ku|vu)\d/.test(p)) return { family: 'xcu' };
  return { family: 'xc7', note: `unknown part family '${part}': synthesized for 7-series (xc7)` };
}
